// The saved state of a hart: the one layout of a vCPU's context in shared memory, used by the hart
// (save and load), the hypervisor (schedulers read slots in place; boot writes the reset state) and the tests.

/** Int32 slots of a saved context. */
export const enum ContextWord {
  /** x0..x31 at X0 + i. */
  X0 = 0,
  Pc = 32,
  Priv = 33,
  Mstatus = 34,
  Mie = 35,
  MipSoft = 36,
  Medeleg = 37,
  Mideleg = 38,
  Mtvec = 39,
  Stvec = 40,
  Mepc = 41,
  Sepc = 42,
  Mcause = 43,
  Scause = 44,
  Mtval = 45,
  Stval = 46,
  Mscratch = 47,
  Sscratch = 48,
  Mcounteren = 49,
  Scounteren = 50,
  Mcountinhibit = 51,
  Satp = 52,
  /** 1 while parked in WFI. */
  Waiting = 53,
  /** 1 once the hart is stuck in a trap loop (it never runs again); the Trap* slots say how. */
  TrapLooped = 54,
  /** See Hart.codeEpoch. */
  CodeEpoch = 55,
  /** The first trap of the loop (usually the culprit) and the last one. */
  TrapFirstCause = 56,
  TrapFirstTval = 57,
  TrapFirstPc = 58,
  TrapLastCause = 59,
  TrapLastTval = 60,
  TrapLastPc = 61,
  /** pmpcfg0..3 at Pmpcfg0 + i, pmpaddr0..15 at Pmpaddr0 + i. */
  Pmpcfg0 = 64,
  Pmpaddr0 = 68,
  /** Sstc: menvcfgh (STCE) and stimecmp's two halves. */
  Menvcfgh = 84,
  StimecmpLo = 85,
  StimecmpHi = 86,
}

export const CONTEXT_WORDS = 87;

/** Float64 slots of a saved context. */
export const enum ContextNumber {
  /** Virtual cycles the hart has consumed: its clock. */
  Cycles = 0,
  Instret = 1,
  CycleAdjust = 2,
  InstretAdjust = 3,
  AccessFaults = 5,
  CycleFrozen = 6,
  InstretFrozen = 7,
}

export const CONTEXT_NUMBERS = 8;

/** stimecmp as one unsigned 64-bit value, from the two signed 32-bit halves the context keeps. */
export function stimecmpOf(low: number, high: number): bigint {
  return (BigInt(high >>> 0) << 32n) | BigInt(low >>> 0);
}
