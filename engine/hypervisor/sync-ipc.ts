// Short synchronous IPC through the hypervisor (the L4 model): up to 8 message registers copied
// from one vCPU to another over a channel, the receiver blocked until a message arrives.
//
// Each channel has two directions (d = the sending endpoint). Per direction, at most one vCPU
// waits to receive and one waits to send. A send to a waiting receiver copies the registers
// straight into it and unblocks it; otherwise the sender blocks until the receiver comes. CALL
// sends and then waits for the reply on the opposite direction; REPLY never blocks.
// All state is in shared memory and changes under one lock per channel, so the two endpoints may
// run on different cores.
//
// Firmware over the air: each channel endpoint has an owner VM, which an update moves from the old
// version to the new one (handover). Until then the new version's IPC on that channel waits
// (Standby). The handover happens only at a quiet moment, when the old owner holds no request it
// has not answered and no message of its own in flight, so no message is lost or answered twice.

import { HV_IPC_REGISTERS as IPC_REGISTERS } from '../devices/hv-services.js';
import type { TraceRing } from '../metrics/trace-ring.js';
import { TraceKind } from './trace-kinds.js';

export const enum IpcStatus {
  Ok = 0,
  Interrupted = -4, // EINTR: an enabled interrupt ended the wait
  Again = -11, // EAGAIN: REPLY while the peer is not waiting for a reply
  Busy = -16, // EBUSY: another vCPU of this VM already waits on that side of the channel
  Invalid = -22, // EINVAL: no such channel, or more than 8 registers
  PeerGone = -32, // EPIPE: the peer VM is not running (or stopped while this vCPU waited)
}

export const enum IpcOp {
  Send = 0,
  Recv = 1,
  Call = 2,
  Reply = 3,
}

/** What a blocked vCPU waits for. */
export const enum IpcBlock {
  None = 0,
  Send = 1, // its message waits for the receiver
  CallSend = 2, // as Send, then it waits for the reply
  Recv = 3, // waits for a message
  Reply = 4, // a caller waits for its reply (it also takes a plain send)
  Standby = 5, // a new version's operation, until its channel is handed over to it
  Retired = 6, // an old version that lost its channel: it waits until the host stops it
  Rerun = 7, // a waiting operation being run again under the lock (never seen as runnable meanwhile)
}

// Per channel ints: lock, per direction the waiting receiver and sender (vCPU + 1, 0 = none), per
// endpoint its owner VM and the VM it is being handed over to (VM + 1, 0 = none).
const CHANNEL_INTS = 9;
const LOCK = 0;
const RECV_WAITER = 1;
const SEND_WAITER = 3;
const OWNER = 5;
const HANDOVER_TO = 7;
// Per vCPU ints: block kind, its slot (channel * 2 + direction), register count, the operation a
// standby vCPU waits to do, registers.
const VCPU_INTS = 4 + IPC_REGISTERS;
const BLOCK = 0;
const SLOT = 1;
const LEN = 2;
const PENDING_OP = 3;
const MR = 4;
// Per vCPU numbers: when its pending message was sent; when a message was delivered to it while
// it was blocked (+ 1, 0 = none) and on which slot, for the latency recorded when it resumes; the
// sequence numbers of its pending message and of the one delivered to it (a message's trace flow).
const VCPU_NUMS = 5;
const SENT_AT = 0;
const DELIVERED_SINCE = 1;
const DELIVERED_SLOT = 2;
const SENT_SEQ = 3;
const DELIVERED_SEQ = 4;
// Per direction numbers: synchronous messages and payload bytes delivered; per endpoint, when its
// last handover happened and the time after it with no owner ready to receive (downtime); messages
// sent (the last sequence number given out).
const FLOW_NUMS = 5;
const FLOW_MESSAGES = 0;
const FLOW_BYTES = 1;
const HANDOVER_AT = 2; // + 1 while the new owner has not yet waited to receive; 0 otherwise
const DOWNTIME = 3;
const FLOW_SEQ = 4;

export interface SyncIpcBuffers {
  ints: SharedArrayBuffer;
  nums: SharedArrayBuffer;
  flows: SharedArrayBuffer;
}

/** The hypervisor's side: where vCPUs live, what is true of VMs, what to do on delivery. */
export interface SyncIpcHost {
  /** VM index of a vCPU. */
  vmOf(vcpu: number): number;
  /** The vCPUs of a VM. */
  vcpusOf(vm: number): readonly number[];
  /** True while the VM may take part in IPC (running or paused). */
  alive(vm: number): boolean;
  /** Sets the STATUS a vCPU reads after its IPC write. */
  setStatus(vcpu: number, status: number): void;
  /** A message reached the receiver: end-to-end latency in cycles on direction `slot`. */
  recordLatency(slot: number, cycles: number): void;
  /** A blocked vCPU became runnable at virtual time `now`. */
  wake(vcpu: number, now: number): void;
}

export function createSyncIpcBuffers(channels: number, vcpus: number): SyncIpcBuffers {
  return {
    ints: new SharedArrayBuffer(Math.max(4, (channels * CHANNEL_INTS + vcpus * VCPU_INTS) * 4)),
    nums: new SharedArrayBuffer(Math.max(8, vcpus * VCPU_NUMS * 8)),
    flows: new SharedArrayBuffer(Math.max(8, channels * 2 * FLOW_NUMS * 8)),
  };
}

export class SyncIpc {
  private readonly ints: Int32Array;
  private readonly nums: Float64Array;
  private readonly flows: Float64Array;
  private readonly vcpuBase: number;

  constructor(buffers: SyncIpcBuffers, channels: number, private readonly host: SyncIpcHost) {
    this.ints = new Int32Array(buffers.ints);
    this.nums = new Float64Array(buffers.nums);
    this.flows = new Float64Array(buffers.flows);
    this.vcpuBase = channels * CHANNEL_INTS;
  }

  /** Sets each channel endpoint's first owner ([channel][endpoint] = VM); before any core runs. */
  initOwners(owners: readonly (readonly [number, number])[]): void {
    owners.forEach(([a, b], channel) => {
      Atomics.store(this.ints, channel * CHANNEL_INTS + OWNER, a);
      Atomics.store(this.ints, channel * CHANNEL_INTS + OWNER + 1, b);
    });
  }

  /** The VM that currently owns endpoint `endpoint` of `channel`. */
  owner(channel: number, endpoint: number): number {
    return Atomics.load(this.ints, channel * CHANNEL_INTS + OWNER + endpoint);
  }

  /** Virtual cycles the endpoint had no owner waiting to receive after its last handover. */
  downtime(channel: number, endpoint: number): number {
    return this.flows[(channel * 2 + endpoint) * FLOW_NUMS + DOWNTIME];
  }

  register(vcpu: number, index: number): number {
    return Atomics.load(this.ints, this.vcpuBase + vcpu * VCPU_INTS + MR + index);
  }

  setRegister(vcpu: number, index: number, value: number): void {
    Atomics.store(this.ints, this.vcpuBase + vcpu * VCPU_INTS + MR + index, value | 0);
  }

  length(vcpu: number): number {
    return Atomics.load(this.ints, this.vcpuBase + vcpu * VCPU_INTS + LEN);
  }

  /** Sets the register count for the next send; false (and no change) when above IPC_REGISTERS. */
  setLength(vcpu: number, value: number): boolean {
    if (value < 0 || value > IPC_REGISTERS) return false;
    Atomics.store(this.ints, this.vcpuBase + vcpu * VCPU_INTS + LEN, value);
    return true;
  }

  block(vcpu: number): IpcBlock {
    return Atomics.load(this.ints, this.vcpuBase + vcpu * VCPU_INTS + BLOCK);
  }

  /** Synchronous messages and bytes delivered on a direction (channel * 2 + sending endpoint). */
  flow(slot: number): { messages: number; bytes: number } {
    return { messages: this.flows[slot * FLOW_NUMS + FLOW_MESSAGES], bytes: this.flows[slot * FLOW_NUMS + FLOW_BYTES] };
  }

  /**
   * One IPC operation by `vcpu` on `channel` as endpoint `endpoint`, at virtual time `now`.
   * Sets the vCPU's STATUS now, or when it is unblocked if it blocks. `trace`: the calling core's
   * trace ring while tracing, for IpcSend/IpcReceive records.
   */
  operate(vcpu: number, op: IpcOp, channel: number, endpoint: number, now: number, trace?: TraceRing): void {
    this.lock(channel);
    try {
      this.operateLocked(vcpu, op, channel, endpoint, now, trace);
    } finally {
      this.unlock(channel);
    }
  }

  private operateLocked(vcpu: number, op: IpcOp, channel: number, endpoint: number, now: number, trace: TraceRing | undefined): void {
    const h = this.host;
    const me = h.vmOf(vcpu);
    if (this.owner(channel, endpoint) !== me) {
      // A new version before its handover: the operation waits for it.
      this.setInt(vcpu, SLOT, channel * 2 + endpoint);
      this.setInt(vcpu, PENDING_OP, op);
      this.setInt(vcpu, BLOCK, IpcBlock.Standby);
      return;
    }
    const peerVm = this.owner(channel, 1 - endpoint);
    const out = channel * 2 + endpoint;
    const back = channel * 2 + 1 - endpoint;
    if (op === IpcOp.Recv) {
      const to = Atomics.load(this.ints, channel * CHANNEL_INTS + HANDOVER_TO + endpoint) - 1;
      // The old version back for its next request: a pending handover happens now instead.
      if (to >= 0 && this.quiet(channel, endpoint)) {
        this.switchOwner(channel, endpoint, to, now, trace);
        this.retire(vcpu, channel, endpoint);
        return;
      }
      this.receive(vcpu, back, now, trace);
      return;
    }
    if (!h.alive(peerVm)) {
      h.setStatus(vcpu, IpcStatus.PeerGone);
      return;
    }
    this.setNum(vcpu, SENT_AT, now);
    const receiver = this.waiter(out, RECV_WAITER);
    if (receiver >= 0 && (op !== IpcOp.Reply || this.block(receiver) === IpcBlock.Reply)) {
      this.sent(vcpu, out, now, trace);
      this.deliver(vcpu, receiver, out, now);
      if (op === IpcOp.Call) this.wait(vcpu, back, RECV_WAITER, IpcBlock.Reply, now);
      else h.setStatus(vcpu, IpcStatus.Ok);
      return;
    }
    if (op === IpcOp.Reply) {
      h.setStatus(vcpu, IpcStatus.Again);
      return;
    }
    const kind = op === IpcOp.Call ? IpcBlock.CallSend : IpcBlock.Send;
    this.wait(vcpu, out, SEND_WAITER, kind, now);
    if (this.block(vcpu) === kind) this.sent(vcpu, out, now, trace); // blocked until taken (not refused busy)
  }

  /** A message leaves `vcpu` on direction `slot`: it gets the direction's next sequence number. */
  private sent(vcpu: number, slot: number, now: number, trace: TraceRing | undefined): void {
    const f = slot * FLOW_NUMS + FLOW_SEQ;
    const seq = this.flows[f] + 1;
    this.flows[f] = seq;
    this.setNum(vcpu, SENT_SEQ, seq);
    trace?.push(now, TraceKind.IpcSend, vcpu, slot, seq);
  }

  /**
   * Hands endpoint `endpoint` of `channel` from its owner to VM `to` (a new version) when the owner
   * is quiet: it holds no unanswered request and has no message in flight. Otherwise remembers the
   * handover, which then happens when the old owner next comes back to receive (or at a later try).
   * Returns true once `to` owns the endpoint.
   */
  handover(channel: number, endpoint: number, to: number, now: number, force = false): boolean {
    this.lock(channel);
    try {
      if (this.owner(channel, endpoint) === to) return true;
      if (!force && !this.quiet(channel, endpoint)) {
        Atomics.store(this.ints, channel * CHANNEL_INTS + HANDOVER_TO + endpoint, to + 1);
        return false;
      }
      this.switchOwner(channel, endpoint, to, now, undefined);
      return true;
    } finally {
      this.unlock(channel);
    }
  }

  /** False between a handover and the moment the new owner first waits to receive. */
  serving(channel: number, endpoint: number): boolean {
    return this.flows[(channel * 2 + endpoint) * FLOW_NUMS + HANDOVER_AT] === 0;
  }

  /** Gives up a pending handover (the update was rolled back); true if `to` did not get the endpoint. */
  abandonHandover(channel: number, endpoint: number, to: number): boolean {
    this.lock(channel);
    try {
      Atomics.store(this.ints, channel * CHANNEL_INTS + HANDOVER_TO + endpoint, 0);
      return this.owner(channel, endpoint) !== to;
    } finally {
      this.unlock(channel);
    }
  }

  /** The owner of the endpoint has nothing in progress on the channel (lock held). */
  private quiet(channel: number, endpoint: number): boolean {
    const owner = this.owner(channel, endpoint);
    const out = channel * 2 + endpoint;
    // A peer waiting for the owner's reply, or the owner's own send not yet taken.
    const replyWaiter = this.waiter(out, RECV_WAITER);
    if (replyWaiter >= 0 && this.block(replyWaiter) === IpcBlock.Reply) return false;
    const sender = this.waiter(out, SEND_WAITER);
    if (sender >= 0 && this.host.vmOf(sender) === owner) return false;
    const caller = this.waiter(out ^ 1, RECV_WAITER);
    return !(caller >= 0 && this.host.vmOf(caller) === owner && this.block(caller) === IpcBlock.Reply);
  }

  /**
   * Moves the endpoint to `to` (lock held): the old owner's receive ends (it retires), and the
   * operations that `to`'s vCPUs left waiting on the endpoint (standby, or retired when an update
   * is rolled back) run now.
   */
  private switchOwner(channel: number, endpoint: number, to: number, now: number, trace: TraceRing | undefined): void {
    const back = channel * 2 + 1 - endpoint;
    const old = this.waiter(back, RECV_WAITER);
    if (old >= 0 && this.host.vmOf(old) === this.owner(channel, endpoint)) {
      this.setWaiter(back, RECV_WAITER, -1);
      this.retire(old, channel, endpoint);
    }
    Atomics.store(this.ints, channel * CHANNEL_INTS + OWNER + endpoint, to);
    Atomics.store(this.ints, channel * CHANNEL_INTS + HANDOVER_TO + endpoint, 0);
    const f = (channel * 2 + endpoint) * FLOW_NUMS;
    this.flows[f + HANDOVER_AT] = now + 1;
    this.flows[f + DOWNTIME] = 0;
    for (const v of this.host.vcpusOf(to)) {
      const kind = this.block(v);
      if ((kind !== IpcBlock.Standby && kind !== IpcBlock.Retired) || this.int(v, SLOT) !== channel * 2 + endpoint) continue;
      this.setInt(v, BLOCK, IpcBlock.Rerun);
      this.operateLocked(v, this.int(v, PENDING_OP), channel, endpoint, now, trace);
      // Still Rerun: the operation completed at once (a waiting kind was set otherwise).
      if (this.block(v) === IpcBlock.Rerun) {
        this.setInt(v, BLOCK, IpcBlock.None);
        this.host.wake(v, now);
      }
    }
  }

  /** An old owner's receive, parked: it runs again only if the endpoint comes back (a rollback). */
  private retire(vcpu: number, channel: number, endpoint: number): void {
    this.setInt(vcpu, SLOT, channel * 2 + endpoint);
    this.setInt(vcpu, PENDING_OP, IpcOp.Recv);
    this.setInt(vcpu, BLOCK, IpcBlock.Retired);
  }

  /**
   * Ends a wait early with `status` (an interrupt, or the peer went away); false if the vCPU was
   * not blocked any more by the time the lock was taken.
   */
  cancel(vcpu: number, status: IpcStatus): boolean {
    // A vCPU's wait stays on one channel (only the direction changes), so its lock covers it.
    const channel = this.int(vcpu, SLOT) >> 1;
    this.lock(channel);
    try {
      return this.cancelLocked(vcpu, status);
    } finally {
      this.unlock(channel);
    }
  }

  /**
   * Ends the wait of a vCPU whose peer is gone (a send, or a caller waiting for its reply) with
   * EPIPE; true if it did. Decided under the lock, on the wait as it is then.
   */
  cancelIfPeerGone(vcpu: number): boolean {
    const channel = this.int(vcpu, SLOT) >> 1;
    this.lock(channel);
    try {
      return this.peerGoneLocked(vcpu) && this.cancelLocked(vcpu, IpcStatus.PeerGone);
    } finally {
      this.unlock(channel);
    }
  }

  private cancelLocked(vcpu: number, status: IpcStatus): boolean {
    const kind = this.block(vcpu);
    // A retired old version stays put until the host stops it.
    if (kind === IpcBlock.None || kind === IpcBlock.Retired) return false;
    if (kind !== IpcBlock.Standby) {
      const slot = this.int(vcpu, SLOT);
      const role = kind === IpcBlock.Recv || kind === IpcBlock.Reply ? RECV_WAITER : SEND_WAITER;
      if (this.waiter(slot, role) === vcpu) this.setWaiter(slot, role, -1);
    }
    this.setInt(vcpu, BLOCK, IpcBlock.None);
    this.host.setStatus(vcpu, status);
    return true;
  }

  private peerGoneLocked(vcpu: number): boolean {
    const kind = this.block(vcpu);
    // A plain receive waits on, for a peer that may come back; a caller waiting for its reply does not.
    if (kind !== IpcBlock.Send && kind !== IpcBlock.CallSend && kind !== IpcBlock.Reply) return false;
    const channel = this.int(vcpu, SLOT) >> 1;
    const myEndpoint = this.owner(channel, 0) === this.host.vmOf(vcpu) ? 0 : 1;
    return !this.host.alive(this.owner(channel, 1 - myEndpoint));
  }

  /**
   * The vCPU resumed after a delivery while blocked: its end-to-end latency, recorded once (and,
   * while tracing, its IpcReceive record on the resuming core's `trace` ring).
   */
  resumed(vcpu: number, now: number, trace?: TraceRing): void {
    if (this.nums[vcpu * VCPU_NUMS + DELIVERED_SINCE] === 0) return;
    const slot = this.nums[vcpu * VCPU_NUMS + DELIVERED_SLOT];
    this.lock(slot >> 1); // the direction's histogram has one writer at a time
    try {
      const since = this.nums[vcpu * VCPU_NUMS + DELIVERED_SINCE];
      if (since > 0) {
        this.host.recordLatency(slot, Math.max(0, now - since + 1));
        // Never before the send (+ 1 cycle): the cores' clocks run up to a quantum apart.
        trace?.push(Math.max(now, since), TraceKind.IpcReceive, vcpu, slot, this.nums[vcpu * VCPU_NUMS + DELIVERED_SEQ]);
      }
      this.setNum(vcpu, DELIVERED_SINCE, 0);
    } finally {
      this.unlock(slot >> 1);
    }
  }

  /** Forgets everything about a VM's vCPUs (it was rebooted, stopped or wiped). */
  reset(vcpus: readonly number[]): void {
    for (const vcpu of vcpus) {
      if (this.block(vcpu) !== IpcBlock.None) this.cancel(vcpu, IpcStatus.Ok);
      for (let i = 0; i < VCPU_INTS; i++) this.setInt(vcpu, i, 0);
      for (let i = 0; i < VCPU_NUMS; i++) this.setNum(vcpu, i, 0);
    }
  }

  private receive(vcpu: number, slot: number, now: number, trace: TraceRing | undefined): void {
    const h = this.host;
    this.noteServing(slot ^ 1, now);
    const sender = this.waiter(slot, SEND_WAITER);
    if (sender >= 0) {
      this.setWaiter(slot, SEND_WAITER, -1);
      this.copy(sender, vcpu, slot);
      h.recordLatency(slot, Math.max(0, now - this.nums[sender * VCPU_NUMS + SENT_AT]));
      // Never before the send (+ 1 cycle): the cores' clocks run up to a quantum apart.
      trace?.push(Math.max(now, this.nums[sender * VCPU_NUMS + SENT_AT] + 1), TraceKind.IpcReceive, vcpu, slot, this.nums[sender * VCPU_NUMS + SENT_SEQ]);
      h.setStatus(vcpu, IpcStatus.Ok);
      if (this.block(sender) === IpcBlock.CallSend) {
        // The caller now waits for the reply on the opposite direction (it never looks runnable in between).
        this.wait(sender, slot ^ 1, RECV_WAITER, IpcBlock.Reply, now);
      } else {
        this.unblock(sender, IpcStatus.Ok, now);
      }
      return;
    }
    this.wait(vcpu, slot, RECV_WAITER, IpcBlock.Recv, now);
  }

  /** The owner of the endpoint sending on `out` is ready to receive: ends the downtime of a handover. */
  private noteServing(out: number, now: number): void {
    const f = out * FLOW_NUMS;
    const since = this.flows[f + HANDOVER_AT];
    if (since === 0) return;
    this.flows[f + DOWNTIME] = Math.max(0, now - (since - 1));
    this.flows[f + HANDOVER_AT] = 0;
  }

  /** Copies the sender's registers into a receiver that waits, and unblocks it. */
  private deliver(sender: number, receiver: number, slot: number, now: number): void {
    this.setWaiter(slot, RECV_WAITER, -1);
    this.copy(sender, receiver, slot);
    this.setNum(receiver, DELIVERED_SINCE, now + 1);
    this.setNum(receiver, DELIVERED_SLOT, slot);
    this.setNum(receiver, DELIVERED_SEQ, this.nums[sender * VCPU_NUMS + SENT_SEQ]);
    this.unblock(receiver, IpcStatus.Ok, now);
  }

  private copy(from: number, to: number, slot: number): void {
    const count = this.length(from);
    for (let i = 0; i < count; i++) this.setRegister(to, i, this.register(from, i));
    this.setInt(to, LEN, count);
    const f = slot * FLOW_NUMS;
    this.flows[f + FLOW_MESSAGES] += 1;
    this.flows[f + FLOW_BYTES] += count * 4;
  }

  /**
   * Blocks `vcpu` as the `role` waiter of `slot`; if another vCPU already waits there, the vCPU is
   * not blocked (or no longer) and reads EBUSY. Other cores read a vCPU's block kind without the
   * lock, so it only ever changes from one final value to another.
   */
  private wait(vcpu: number, slot: number, role: number, kind: IpcBlock, now: number): void {
    const current = this.waiter(slot, role);
    if (current >= 0 && current !== vcpu && this.host.alive(this.host.vmOf(current))) {
      const wasBlocked = this.block(vcpu) !== IpcBlock.None;
      this.host.setStatus(vcpu, IpcStatus.Busy);
      this.setInt(vcpu, BLOCK, IpcBlock.None);
      if (wasBlocked) this.host.wake(vcpu, now);
      return;
    }
    this.setWaiter(slot, role, vcpu);
    this.setInt(vcpu, SLOT, slot);
    this.setInt(vcpu, BLOCK, kind);
  }

  private unblock(vcpu: number, status: IpcStatus, now: number): void {
    this.setInt(vcpu, BLOCK, IpcBlock.None);
    this.host.setStatus(vcpu, status);
    this.host.wake(vcpu, now);
  }

  /** The vCPU waiting in `role` on `slot`, or -1; a waiter whose VM is gone does not count. */
  private waiter(slot: number, role: number): number {
    const v = Atomics.load(this.ints, (slot >> 1) * CHANNEL_INTS + role + (slot & 1)) - 1;
    if (v < 0) return -1;
    if (!this.host.alive(this.host.vmOf(v)) || this.block(v) === IpcBlock.None) {
      this.setWaiter(slot, role, -1);
      return -1;
    }
    return v;
  }

  private setWaiter(slot: number, role: number, vcpu: number): void {
    Atomics.store(this.ints, (slot >> 1) * CHANNEL_INTS + role + (slot & 1), vcpu + 1);
  }

  private int(vcpu: number, field: number): number {
    return Atomics.load(this.ints, this.vcpuBase + vcpu * VCPU_INTS + field);
  }

  private setInt(vcpu: number, field: number, value: number): void {
    Atomics.store(this.ints, this.vcpuBase + vcpu * VCPU_INTS + field, value);
  }

  private setNum(vcpu: number, field: number, value: number): void {
    this.nums[vcpu * VCPU_NUMS + field] = value;
  }

  private lock(channel: number): void {
    const i = channel * CHANNEL_INTS + LOCK;
    while (Atomics.compareExchange(this.ints, i, 0, 1) !== 0) Atomics.wait(this.ints, i, 1, 1);
  }

  private unlock(channel: number): void {
    const i = channel * CHANNEL_INTS + LOCK;
    Atomics.store(this.ints, i, 0);
    Atomics.notify(this.ints, i, 1);
  }
}
