// Kinds of records in the per-core trace rings (see metrics/trace-ring.ts) and of VM faults.

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
}

export const enum FaultKind {
  TrapLoop = 1,
  Watchdog = 2,
  TestDeviceFailure = 3,
}

export const FAULT_NAMES: Record<number, string> = {
  1: 'trap loop',
  2: 'watchdog expired',
  3: 'test device failure',
};
