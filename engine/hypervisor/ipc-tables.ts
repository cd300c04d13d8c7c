// Synchronous IPC's state in shared memory (see sync-ipc.ts): per channel a lock, the waiters of
// each direction and each endpoint's owner; per vCPU its wait, message registers and timing; per
// direction its counters. Low-level accessors shared by the operations and the update hand-over.

import { HV_IPC_REGISTERS as IPC_REGISTERS } from '../devices/hv-services.js';

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
export const CHANNEL_INTS = 9;
export const LOCK = 0;
export const RECV_WAITER = 1;
export const SEND_WAITER = 3;
export const OWNER = 5;
export const HANDOVER_TO = 7;
// Per vCPU ints: block kind, its slot (channel * 2 + direction), register count, the operation a
// standby vCPU waits to do, registers.
export const VCPU_INTS = 4 + IPC_REGISTERS;
export const BLOCK = 0;
export const SLOT = 1;
export const LEN = 2;
export const PENDING_OP = 3;
export const MR = 4;
// Per vCPU numbers: when its pending message was sent; when a message was delivered to it while
// it was blocked (+ 1, 0 = none) and on which slot, for the latency recorded when it resumes; the
// sequence numbers of its pending message and of the one delivered to it (a message's trace flow).
export const VCPU_NUMS = 5;
export const SENT_AT = 0;
export const DELIVERED_SINCE = 1;
export const DELIVERED_SLOT = 2;
export const SENT_SEQ = 3;
export const DELIVERED_SEQ = 4;
// Per direction numbers: synchronous messages and payload bytes delivered; per endpoint, when its
// last handover happened and the time after it with no owner ready to receive (downtime); messages
// sent (the last sequence number given out).
export const FLOW_NUMS = 5;
export const FLOW_MESSAGES = 0;
export const FLOW_BYTES = 1;
export const HANDOVER_AT = 2; // + 1 while the new owner has not yet used the endpoint; 0 otherwise
export const DOWNTIME = 3;
export const FLOW_SEQ = 4;

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

export class IpcTables {
  protected readonly ints: Int32Array;
  protected readonly nums: Float64Array;
  protected readonly flows: Float64Array;
  private readonly vcpuBase: number;

  constructor(buffers: SyncIpcBuffers, channels: number, protected readonly host: SyncIpcHost) {
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

  /** Virtual cycles the endpoint had no owner waiting to receive after its last handover (until `now` while none has yet). */
  downtime(channel: number, endpoint: number, now: number): number {
    const f = (channel * 2 + endpoint) * FLOW_NUMS;
    const since = this.flows[f + HANDOVER_AT];
    // Not served yet: the downtime runs on until now.
    return since === 0 ? this.flows[f + DOWNTIME] : Math.max(0, now - (since - 1));
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

  /** The vCPU waiting in `role` on `slot`, or -1; a waiter whose VM is gone does not count. */
  protected waiter(slot: number, role: number): number {
    const v = Atomics.load(this.ints, (slot >> 1) * CHANNEL_INTS + role + (slot & 1)) - 1;
    if (v < 0) return -1;
    if (!this.host.alive(this.host.vmOf(v)) || this.block(v) === IpcBlock.None) {
      this.setWaiter(slot, role, -1);
      return -1;
    }
    return v;
  }

  protected setWaiter(slot: number, role: number, vcpu: number): void {
    Atomics.store(this.ints, (slot >> 1) * CHANNEL_INTS + role + (slot & 1), vcpu + 1);
  }

  protected int(vcpu: number, field: number): number {
    return Atomics.load(this.ints, this.vcpuBase + vcpu * VCPU_INTS + field);
  }

  protected setInt(vcpu: number, field: number, value: number): void {
    Atomics.store(this.ints, this.vcpuBase + vcpu * VCPU_INTS + field, value);
  }

  protected setNum(vcpu: number, field: number, value: number): void {
    this.nums[vcpu * VCPU_NUMS + field] = value;
  }

  /** Runs `fn` holding the channel's lock: every writer of the channel's shared state takes it. */
  withLock<T>(channel: number, fn: () => T): T {
    this.lock(channel);
    try {
      return fn();
    } finally {
      this.unlock(channel);
    }
  }

  protected lock(channel: number): void {
    const i = channel * CHANNEL_INTS + LOCK;
    while (Atomics.compareExchange(this.ints, i, 0, 1) !== 0) Atomics.wait(this.ints, i, 1, 1);
  }

  protected unlock(channel: number): void {
    const i = channel * CHANNEL_INTS + LOCK;
    Atomics.store(this.ints, i, 0);
    Atomics.notify(this.ints, i, 1);
  }
}
