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
// The state lives in ipc-tables.ts; an update's hand-over of a channel endpoint in ipc-handover.ts.

import type { TraceRing } from '../metrics/trace-ring.js';
import { IpcHandover } from './ipc-handover.js';
import {
  BLOCK, DELIVERED_SEQ, DELIVERED_SINCE, DELIVERED_SLOT, FLOW_BYTES, FLOW_MESSAGES, FLOW_NUMS, FLOW_SEQ, HANDOVER_TO, CHANNEL_INTS, IpcBlock, IpcOp,
  IpcStatus, LEN, PENDING_OP, RECV_WAITER, SEND_WAITER, SENT_AT, SENT_SEQ, SLOT, VCPU_INTS, VCPU_NUMS, type SyncIpcBuffers,
} from './ipc-tables.js';
import { TraceKind } from './trace-kinds.js';

export { IpcBlock, IpcOp, IpcStatus, type SyncIpcBuffers } from './ipc-tables.js';

export function createSyncIpcBuffers(channels: number, vcpus: number): SyncIpcBuffers {
  return {
    ints: new SharedArrayBuffer(Math.max(4, (channels * CHANNEL_INTS + vcpus * VCPU_INTS) * 4)),
    nums: new SharedArrayBuffer(Math.max(8, vcpus * VCPU_NUMS * 8)),
    flows: new SharedArrayBuffer(Math.max(8, channels * 2 * FLOW_NUMS * 8)),
  };
}

export class SyncIpc extends IpcHandover {
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

  protected operateLocked(vcpu: number, op: IpcOp, channel: number, endpoint: number, now: number, trace: TraceRing | undefined): void {
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
    this.noteServing(out, now); // a new version's first use of the endpoint ends its downtime
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
    // The status first: another core may run the vCPU as soon as it sees BLOCK None.
    this.host.setStatus(vcpu, status);
    this.setInt(vcpu, BLOCK, IpcBlock.None);
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
    // The status first: another core may run the vCPU as soon as it sees BLOCK None.
    this.host.setStatus(vcpu, status);
    this.setInt(vcpu, BLOCK, IpcBlock.None);
    this.host.wake(vcpu, now);
  }

}
