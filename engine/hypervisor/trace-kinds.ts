// Kinds of records in the per-core rings (see metrics/trace-ring.ts) and of VM faults. Run,
// Interrupt and the IPC kinds go to a core's trace ring, only while tracing is on; the lifecycle
// kinds (Fault .. RestartRequest) go to its lifecycle ring, always: the host acts on them.

export const enum TraceKind {
  /** A vCPU ran: time = start, subject = vCPU, a = end. */
  Run = 1,
  /** An interrupt reached a guest handler: subject = vCPU, a = interrupt code, b = latency in cycles. */
  Interrupt = 2,
  /** A VM failed: subject = VM, a = FaultKind, b = detail (mcause or exit code). */
  Fault = 3,
  /** A VM ended by itself with exit code 0: subject = VM. */
  Exit = 4,
  /** A VM reported ready: subject = VM, a = its code. */
  Ready = 5,
  /** A VM asked its test device for a reset: subject = VM. */
  Reset = 6,
  /** A core rebooted a VM in place (fault policy or reset): subject = VM, a = restarts so far. */
  Restart = 7,
  /** A VM stays halted after a fault (policy halt, or out of restarts): subject = VM. */
  Halt = 8,
  /** A VM must be rebooted but runs on several cores: the host does it. subject = VM. */
  RestartRequest = 9,
  /**
   * A synchronous IPC message was sent (delivered at once, or its sender blocked until taken):
   * subject = sending vCPU, a = direction slot (channel * 2 + sending endpoint), b = its sequence
   * number on that direction (from 1). Slot and sequence name the message: its flow.
   */
  IpcSend = 10,
  /**
   * The receiver got that message: subject = receiving vCPU, a = slot, b = sequence number. Its time
   * is never before the send's (+ 1 cycle), though the receiver's core may lag by up to a quantum.
   */
  IpcReceive = 11,
  /** A doorbell raised the peer VM's line: subject = ringing vCPU, a = slot (channel * 2 + ringing endpoint), b = sequence number. */
  DoorbellRing = 12,
  /** A vCPU of the peer took that doorbell's external interrupt: subject = vCPU, a = slot, b = sequence number; never before the ring (+ 1 cycle). */
  DoorbellTake = 13,
}

export const enum FaultKind {
  TrapLoop = 1,
  Watchdog = 2,
  TestDeviceFailure = 3,
  /** The guest reset itself again sooner than its scenario allows (onFault.resetsPerSecond). */
  ResetStorm = 4,
}

export const FAULT_NAMES: Record<number, string> = {
  1: 'trap loop',
  2: 'watchdog expired',
  3: 'test device failure',
  4: 'reset storm',
};
