// Exception and interrupt codes of the RISC-V privileged specification (mcause values).

export const enum TrapCause {
  InstructionMisaligned = 0,
  InstructionAccessFault = 1,
  IllegalInstruction = 2,
  Breakpoint = 3,
  LoadMisaligned = 4,
  LoadAccessFault = 5,
  StoreMisaligned = 6,
  StoreAccessFault = 7,
  EcallFromU = 8,
  EcallFromS = 9,
  EcallFromM = 11,
  InstructionPageFault = 12,
  LoadPageFault = 13,
  StorePageFault = 15,
}

export const enum Interrupt {
  SupervisorSoftware = 1,
  MachineSoftware = 3,
  SupervisorTimer = 5,
  MachineTimer = 7,
  SupervisorExternal = 9,
  MachineExternal = 11,
}

/** mcause's top bit marks an interrupt. */
export const INTERRUPT_BIT = 0x8000_0000;

export const enum Privilege {
  User = 0,
  Supervisor = 1,
  Machine = 3,
}

/** mip/mie bit masks. */
export const MIP_SSIP = 1 << Interrupt.SupervisorSoftware;
export const MIP_MSIP = 1 << Interrupt.MachineSoftware;
export const MIP_STIP = 1 << Interrupt.SupervisorTimer;
export const MIP_MTIP = 1 << Interrupt.MachineTimer;
export const MIP_SEIP = 1 << Interrupt.SupervisorExternal;
export const MIP_MEIP = 1 << Interrupt.MachineExternal;

const EXCEPTION_NAMES: Record<number, string> = {
  0: 'instruction address misaligned',
  1: 'instruction access fault',
  2: 'illegal instruction',
  3: 'breakpoint',
  4: 'load address misaligned',
  5: 'load access fault',
  6: 'store/AMO address misaligned',
  7: 'store/AMO access fault',
  8: 'environment call from U-mode',
  9: 'environment call from S-mode',
  11: 'environment call from M-mode',
  12: 'instruction page fault',
  13: 'load page fault',
  15: 'store/AMO page fault',
};

const INTERRUPT_NAMES: Record<number, string> = {
  1: 'supervisor software interrupt',
  3: 'machine software interrupt',
  5: 'supervisor timer interrupt',
  7: 'machine timer interrupt',
  9: 'supervisor external interrupt',
  11: 'machine external interrupt',
};

/** Human name of an mcause value, for messages. */
export function describeCause(mcause: number): string {
  const code = mcause & 0x7fff_ffff;
  const isInterrupt = (mcause & INTERRUPT_BIT) !== 0;
  return (isInterrupt ? INTERRUPT_NAMES[code] : EXCEPTION_NAMES[code]) ?? `cause ${mcause >>> 0}`;
}
