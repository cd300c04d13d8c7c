// Short synchronous IPC through the hypervisor (the L4 model): up to 8 message registers copied
// from one vCPU to another over a channel, the receiver blocked until a message arrives.
//
// Each channel has two directions (d = the sending endpoint). Per direction, at most one vCPU
// waits to receive and one waits to send. A send to a waiting receiver copies the registers
// straight into it and unblocks it; otherwise the sender blocks until the receiver comes. CALL
// sends and then waits for the reply on the opposite direction; REPLY never blocks.
// All state is in shared memory and changes under one lock per channel, so the two endpoints may
// run on different cores.

/** Message registers copied per IPC. */
export const IPC_REGISTERS = 8;

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
}

// Per channel ints: lock, then per direction the waiting receiver and sender (vCPU + 1, 0 = none).
const CHANNEL_INTS = 5;
const LOCK = 0;
const RECV_WAITER = 1;
const SEND_WAITER = 3;
// Per vCPU ints: block kind, its slot (channel * 2 + direction), register count, registers.
const VCPU_INTS = 3 + IPC_REGISTERS;
const BLOCK = 0;
const SLOT = 1;
const LEN = 2;
const MR = 3;
// Per vCPU numbers: when its pending message was sent; when a message was delivered to it while
// it was blocked (+ 1, 0 = none) and on which slot, for the latency recorded when it resumes.
const VCPU_NUMS = 3;
const SENT_AT = 0;
const DELIVERED_SINCE = 1;
const DELIVERED_SLOT = 2;
// Per direction numbers: synchronous messages and payload bytes delivered.
const FLOW_NUMS = 2;
const FLOW_MESSAGES = 0;
const FLOW_BYTES = 1;

export interface SyncIpcBuffers {
  ints: SharedArrayBuffer;
  nums: SharedArrayBuffer;
  flows: SharedArrayBuffer;
}

/** The hypervisor's side: where vCPUs live, what is true of VMs, what to do on delivery. */
export interface SyncIpcHost {
  /** VM index of a vCPU. */
  vmOf(vcpu: number): number;
  /** VM at endpoint `endpoint` (0 or 1) of channel `channel`. */
  endpointVm(channel: number, endpoint: number): number;
  /** True while the VM may take part in IPC (running or paused). */
  alive(vm: number): boolean;
  /** Sets the STATUS a vCPU reads after its IPC write. */
  setStatus(vcpu: number, status: number): void;
  /** A message reached the receiver: end-to-end latency in cycles on direction `slot`. */
  recordLatency(slot: number, cycles: number): void;
  /** A blocked vCPU became runnable. */
  wake(vcpu: number): void;
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
   * Sets the vCPU's STATUS now, or when it is unblocked if it blocks.
   */
  operate(vcpu: number, op: IpcOp, channel: number, endpoint: number, now: number): void {
    const h = this.host;
    const peerVm = h.endpointVm(channel, 1 - endpoint);
    this.lock(channel);
    try {
      const out = channel * 2 + endpoint;
      const back = channel * 2 + 1 - endpoint;
      if (op === IpcOp.Recv) {
        this.receive(vcpu, back, now);
        return;
      }
      if (!h.alive(peerVm)) {
        h.setStatus(vcpu, IpcStatus.PeerGone);
        return;
      }
      this.setNum(vcpu, SENT_AT, now);
      const receiver = this.waiter(out, RECV_WAITER);
      if (receiver >= 0 && (op !== IpcOp.Reply || this.block(receiver) === IpcBlock.Reply)) {
        this.deliver(vcpu, receiver, out, now);
        if (op === IpcOp.Call) this.wait(vcpu, back, RECV_WAITER, IpcBlock.Reply);
        else h.setStatus(vcpu, IpcStatus.Ok);
        return;
      }
      if (op === IpcOp.Reply) {
        h.setStatus(vcpu, IpcStatus.Again);
        return;
      }
      this.wait(vcpu, out, SEND_WAITER, op === IpcOp.Call ? IpcBlock.CallSend : IpcBlock.Send);
    } finally {
      this.unlock(channel);
    }
  }

  /**
   * Ends a wait early with `status` (an interrupt, or the peer went away); false if the vCPU was
   * not blocked any more by the time the lock was taken.
   */
  cancel(vcpu: number, status: IpcStatus): boolean {
    const slot = this.int(vcpu, SLOT);
    const channel = slot >> 1;
    this.lock(channel);
    try {
      const kind = this.block(vcpu);
      if (kind === IpcBlock.None) return false;
      const role = kind === IpcBlock.Recv || kind === IpcBlock.Reply ? RECV_WAITER : SEND_WAITER;
      if (this.waiter(slot, role) === vcpu) this.setWaiter(slot, role, -1);
      this.setInt(vcpu, BLOCK, IpcBlock.None);
      this.host.setStatus(vcpu, status);
      return true;
    } finally {
      this.unlock(channel);
    }
  }

  /** True when a blocked vCPU waits on a peer that is gone (a send, or a caller's reply). */
  peerGone(vcpu: number): boolean {
    const kind = this.block(vcpu);
    if (kind === IpcBlock.None) return false;
    const slot = this.int(vcpu, SLOT);
    const channel = slot >> 1;
    // A plain receive waits on, for a peer that may come back; a caller waiting for its reply does not.
    if (kind === IpcBlock.Recv) return false;
    const myEndpoint = this.host.endpointVm(channel, 0) === this.host.vmOf(vcpu) ? 0 : 1;
    return !this.host.alive(this.host.endpointVm(channel, 1 - myEndpoint));
  }

  /** The vCPU resumed after a delivery while blocked: its end-to-end latency, recorded once. */
  resumed(vcpu: number, now: number): void {
    if (this.nums[vcpu * VCPU_NUMS + DELIVERED_SINCE] === 0) return;
    const slot = this.nums[vcpu * VCPU_NUMS + DELIVERED_SLOT];
    this.lock(slot >> 1); // the direction's histogram has one writer at a time
    try {
      const since = this.nums[vcpu * VCPU_NUMS + DELIVERED_SINCE];
      if (since > 0) this.host.recordLatency(slot, Math.max(0, now - since + 1));
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

  private receive(vcpu: number, slot: number, now: number): void {
    const h = this.host;
    const sender = this.waiter(slot, SEND_WAITER);
    if (sender >= 0) {
      this.setWaiter(slot, SEND_WAITER, -1);
      this.copy(sender, vcpu, slot);
      h.recordLatency(slot, Math.max(0, now - this.nums[sender * VCPU_NUMS + SENT_AT]));
      h.setStatus(vcpu, IpcStatus.Ok);
      if (this.block(sender) === IpcBlock.CallSend) {
        // The caller now waits for the reply on the opposite direction.
        this.setInt(sender, BLOCK, IpcBlock.None);
        this.wait(sender, slot ^ 1, RECV_WAITER, IpcBlock.Reply);
      } else {
        this.unblock(sender, IpcStatus.Ok);
      }
      return;
    }
    this.wait(vcpu, slot, RECV_WAITER, IpcBlock.Recv);
  }

  /** Copies the sender's registers into a receiver that waits, and unblocks it. */
  private deliver(sender: number, receiver: number, slot: number, now: number): void {
    this.setWaiter(slot, RECV_WAITER, -1);
    this.copy(sender, receiver, slot);
    this.setNum(receiver, DELIVERED_SINCE, now + 1);
    this.setNum(receiver, DELIVERED_SLOT, slot);
    this.unblock(receiver, IpcStatus.Ok);
  }

  private copy(from: number, to: number, slot: number): void {
    const count = this.length(from);
    for (let i = 0; i < count; i++) this.setRegister(to, i, this.register(from, i));
    this.setInt(to, LEN, count);
    const f = slot * FLOW_NUMS;
    this.flows[f + FLOW_MESSAGES] += 1;
    this.flows[f + FLOW_BYTES] += count * 4;
  }

  private wait(vcpu: number, slot: number, role: number, kind: IpcBlock): void {
    const current = this.waiter(slot, role);
    if (current >= 0 && current !== vcpu && this.host.alive(this.host.vmOf(current))) {
      this.host.setStatus(vcpu, IpcStatus.Busy);
      return;
    }
    this.setWaiter(slot, role, vcpu);
    this.setInt(vcpu, SLOT, slot);
    this.setInt(vcpu, BLOCK, kind);
  }

  private unblock(vcpu: number, status: IpcStatus): void {
    this.setInt(vcpu, BLOCK, IpcBlock.None);
    this.host.setStatus(vcpu, status);
    this.host.wake(vcpu);
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
