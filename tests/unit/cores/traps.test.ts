// Synchronous exceptions: causes, xepc/xtval, delegation, the xRET instructions and trap-loop detection.

import { describe, expect, it } from 'vitest';
import { Csr } from '../../../engine/cores/csr.js';
import {
  MSTATUS_MIE, MSTATUS_MPIE, MSTATUS_MPP, MSTATUS_MPRV, MSTATUS_SIE, MSTATUS_SPIE, MSTATUS_SPP, MSTATUS_TSR,
  MSTATUS_TVM, MSTATUS_TW,
} from '../../../engine/cores/mstatus.js';
import { Privilege, TrapCause } from '../../../engine/cores/trap-cause.js';
import {
  A0, A1, A2, T0, ZERO,
  addi, amoadd_w, csrr, csrw, csrwi, ebreak, ecall, jal, jalr, lw, mret, nop, sfence_vma, sret, sw, wfi,
} from './rv-asm.js';
import { M_TRAP_VECTOR, RAM_BASE, RAM_SIZE, SCRATCH_BASE, S_TRAP_VECTOR, TestHart, UNMAPPED } from './test-hart.js';

const MPP = (p: Privilege): number => p << 11;

/** A bench at `priv`, with mstatus preset, that executes its first instruction. */
function trapAt(instruction: number, priv: Privilege, mstatus = 0, setup: (t: TestHart) => void = () => {}): TestHart {
  const t = new TestHart([instruction]);
  t.hart.priv = priv;
  t.hart.mstatus = mstatus;
  setup(t);
  t.step();
  return t;
}

describe('exception causes and trap values', () => {
  it('should trap an illegal instruction with mcause 2, mepc = its address and mtval = its bits', () => {
    const t = new TestHart([nop(), 0xffffffff]);
    t.step(2);
    expect(t.machineTrap).toEqual({ mcause: TrapCause.IllegalInstruction, mepc: RAM_BASE + 4, mtval: 0xffffffff });
    expect(t.pc).toBe(M_TRAP_VECTOR);
  });

  it('should trap `ebreak` with mcause 3 and mepc = the EBREAK itself', () => {
    const t = trapAt(ebreak(), Privilege.Machine);
    expect(t.machineTrap.mcause).toBe(TrapCause.Breakpoint);
    expect(t.machineTrap.mepc).toBe(RAM_BASE);
    expect([0, RAM_BASE]).toContain(t.machineTrap.mtval); // the faulting address, or zero
    expect(t.pc).toBe(M_TRAP_VECTOR);
  });

  it.each([
    ['U', Privilege.User, TrapCause.EcallFromU],
    ['S', Privilege.Supervisor, TrapCause.EcallFromS],
    ['M', Privilege.Machine, TrapCause.EcallFromM],
  ] as const)('should trap `ecall` from %s-mode with mcause %i, mepc = the ECALL, mtval = 0', (_m, priv, cause) => {
    const t = trapAt(ecall(), priv, 0, (t) => {
      t.hart.mtval = 0x1234;
    });
    expect(t.machineTrap).toEqual({ mcause: cause, mepc: RAM_BASE, mtval: 0 });
    expect(t.hart.priv).toBe(Privilege.Machine);
    expect(t.pc).toBe(M_TRAP_VECTOR);
  });

  it('should trap a load from unmapped space with mcause 5 and mtval = the address', () => {
    const t = trapAt(lw(A0, 8, A1), Privilege.Machine, 0, (t) => t.set(A1, UNMAPPED));
    expect(t.machineTrap).toEqual({ mcause: TrapCause.LoadAccessFault, mepc: RAM_BASE, mtval: UNMAPPED + 8 });
  });

  it('should trap a store to unmapped space with mcause 7 and mtval = the address', () => {
    const t = trapAt(sw(A0, -8, A1), Privilege.Machine, 0, (t) => t.set(A1, UNMAPPED));
    expect(t.machineTrap).toEqual({ mcause: TrapCause.StoreAccessFault, mepc: RAM_BASE, mtval: UNMAPPED - 8 });
  });

  it('should trap a misaligned AMO with mcause 6 and mtval = the address', () => {
    const t = trapAt(amoadd_w(A0, A2, A1), Privilege.Machine, 0, (t) => t.set(A1, RAM_BASE + 0x4001));
    expect(t.machineTrap).toEqual({ mcause: TrapCause.StoreMisaligned, mepc: RAM_BASE, mtval: RAM_BASE + 0x4001 });
  });

  it('should trap a fetch from unmapped space with mcause 1, mepc = mtval = the target', () => {
    const t = new TestHart([jalr(ZERO, A1, 0)]);
    t.set(A1, UNMAPPED);
    t.step(2);
    expect(t.machineTrap).toEqual({ mcause: TrapCause.InstructionAccessFault, mepc: UNMAPPED, mtval: UNMAPPED });
    expect(t.pc).toBe(M_TRAP_VECTOR);
  });

  it('should trap a fetch from a device region with mcause 1 (devices are not executable)', () => {
    const t = new TestHart([jalr(ZERO, A1, 0)]);
    t.set(A1, SCRATCH_BASE);
    t.step(2);
    expect(t.machineTrap).toEqual({ mcause: TrapCause.InstructionAccessFault, mepc: SCRATCH_BASE, mtval: SCRATCH_BASE });
    expect(t.scratch.log).toEqual([]);
  });

  it('should trap a fetch of a 32-bit instruction whose upper half lies past the end of RAM', () => {
    const last = RAM_BASE + RAM_SIZE - 2;
    const t = new TestHart([jalr(ZERO, A1, 0)]);
    t.poke16(last, 0x0013); // the low half of `addi zero, zero, 0`
    t.set(A1, last);
    t.step(2);
    expect(t.machineTrap.mcause).toBe(TrapCause.InstructionAccessFault);
    expect(t.machineTrap.mepc).toBe(last);
    expect([last, last + 2]).toContain(t.machineTrap.mtval); // the instruction or the part that faulted
  });

  it('should not write rd of a trapping instruction', () => {
    const t = trapAt(lw(A0, 0, A1), Privilege.Machine, 0, (t) => t.set(A1, UNMAPPED).set(A0, 77));
    expect(t.get(A0)).toBe(77);
  });
});

describe('trap entry into M-mode', () => {
  it('should save MIE into MPIE, clear MIE and record the previous privilege in MPP', () => {
    const t = trapAt(ecall(), Privilege.Machine, MSTATUS_MIE);
    expect(t.hart.mstatus & (MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP)).toBe(MSTATUS_MPIE | MPP(Privilege.Machine));
  });

  it.each([
    ['U', Privilege.User],
    ['S', Privilege.Supervisor],
  ] as const)('should record %s-mode in MPP and clear MPIE when MIE was 0', (_m, priv) => {
    const t = trapAt(0xffffffff, priv, MSTATUS_MPIE | MPP(Privilege.Machine));
    expect(t.hart.mstatus & (MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP)).toBe(MPP(priv));
    expect(t.hart.priv).toBe(Privilege.Machine);
  });

  it('should go to the mtvec base for exceptions even in vectored mode', () => {
    const t = trapAt(ecall(), Privilege.Machine, 0, (t) => {
      t.hart.mtvec = (M_TRAP_VECTOR | 1) >>> 0;
    });
    expect(t.pc).toBe(M_TRAP_VECTOR);
  });
});

describe('delegation to S-mode (medeleg)', () => {
  it('should take a delegated `ecall` from U-mode in S-mode: scause 8, sepc, stval = 0, SPP = U', () => {
    const t = trapAt(ecall(), Privilege.User, MSTATUS_SIE, (t) => {
      t.hart.medeleg = 1 << TrapCause.EcallFromU;
      t.hart.stval = 0x1234;
    });
    expect(t.supervisorTrap).toEqual({ scause: TrapCause.EcallFromU, sepc: RAM_BASE, stval: 0 });
    expect(t.hart.priv).toBe(Privilege.Supervisor);
    expect(t.pc).toBe(S_TRAP_VECTOR);
    expect(t.hart.mstatus & (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP)).toBe(MSTATUS_SPIE);
    expect(t.machineTrap).toEqual({ mcause: 0, mepc: 0, mtval: 0 });
  });

  it('should take a delegated `ecall` from S-mode in S-mode with SPP = S and SPIE = the old SIE (0)', () => {
    const t = trapAt(ecall(), Privilege.Supervisor, MSTATUS_SPIE, (t) => {
      t.hart.medeleg = 1 << TrapCause.EcallFromS;
    });
    expect(t.supervisorTrap.scause).toBe(TrapCause.EcallFromS);
    expect(t.hart.mstatus & (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP)).toBe(MSTATUS_SPP);
  });

  it('should put the instruction bits in stval for a delegated illegal instruction', () => {
    const t = trapAt(0xffffffff, Privilege.User, 0, (t) => {
      t.hart.medeleg = 1 << TrapCause.IllegalInstruction;
    });
    expect(t.supervisorTrap).toEqual({ scause: TrapCause.IllegalInstruction, sepc: RAM_BASE, stval: 0xffffffff });
  });

  it('should put the address in stval for a delegated load access fault', () => {
    const t = trapAt(lw(A0, 0, A1), Privilege.Supervisor, 0, (t) => {
      t.hart.medeleg = 1 << TrapCause.LoadAccessFault;
      t.set(A1, UNMAPPED);
    });
    expect(t.supervisorTrap).toEqual({ scause: TrapCause.LoadAccessFault, sepc: RAM_BASE, stval: UNMAPPED });
  });

  it('should keep M-mode exceptions in M-mode whatever medeleg says', () => {
    const t = trapAt(0xffffffff, Privilege.Machine, 0, (t) => {
      t.hart.medeleg = -1;
    });
    expect(t.machineTrap.mcause).toBe(TrapCause.IllegalInstruction);
    expect(t.hart.scause).toBe(0);
    expect(t.pc).toBe(M_TRAP_VECTOR);
  });

  it('should take a non-delegated exception from U-mode in M-mode', () => {
    const t = trapAt(ecall(), Privilege.User, 0, (t) => {
      t.hart.medeleg = 1 << TrapCause.IllegalInstruction;
    });
    expect(t.machineTrap.mcause).toBe(TrapCause.EcallFromU);
    expect(t.hart.priv).toBe(Privilege.Machine);
  });

  it('should go to the stvec base for exceptions even in vectored mode', () => {
    const t = trapAt(ecall(), Privilege.User, 0, (t) => {
      t.hart.medeleg = 1 << TrapCause.EcallFromU;
      t.hart.stvec = (S_TRAP_VECTOR | 1) >>> 0;
    });
    expect(t.pc).toBe(S_TRAP_VECTOR);
  });
});

describe('MRET', () => {
  it.each([
    ['U', Privilege.User],
    ['S', Privilege.Supervisor],
    ['M', Privilege.Machine],
  ] as const)('should return to %s-mode at mepc, MIE = MPIE, MPIE = 1, MPP = U', (_m, priv) => {
    const t = trapAt(mret(), Privilege.Machine, MSTATUS_MPIE | MPP(priv), (t) => {
      t.hart.mepc = RAM_BASE + 0x100;
    });
    expect(t.hart.priv).toBe(priv);
    expect(t.pc).toBe(RAM_BASE + 0x100);
    expect(t.hart.mstatus & (MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP)).toBe(MSTATUS_MIE | MSTATUS_MPIE);
  });

  it('should restore MIE = 0 from MPIE = 0', () => {
    const t = trapAt(mret(), Privilege.Machine, MSTATUS_MIE | MPP(Privilege.Machine));
    expect(t.hart.mstatus & (MSTATUS_MIE | MSTATUS_MPIE)).toBe(MSTATUS_MPIE);
  });

  it('should clear MPRV when returning to a mode below M', () => {
    const t = trapAt(mret(), Privilege.Machine, MSTATUS_MPRV | MPP(Privilege.Supervisor));
    expect(t.hart.mstatus & MSTATUS_MPRV).toBe(0);
  });

  it('should keep MPRV when returning to M-mode', () => {
    const t = trapAt(mret(), Privilege.Machine, MSTATUS_MPRV | MPP(Privilege.Machine));
    expect(t.hart.mstatus & MSTATUS_MPRV).toBe(MSTATUS_MPRV);
  });

  it('should leave the S-mode status fields alone', () => {
    const t = trapAt(mret(), Privilege.Machine, MSTATUS_SIE | MSTATUS_SPP | MPP(Privilege.Supervisor));
    expect(t.hart.mstatus & (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP)).toBe(MSTATUS_SIE | MSTATUS_SPP);
  });

  it('should round-trip an ecall from U-mode through an M-mode handler that skips it', () => {
    const t = new TestHart([mret()]);
    const [, userEcall, after] = t.load([nop(), ecall(), addi(A0, ZERO, 1)], RAM_BASE + 0x100);
    t.load([csrr(T0, Csr.Mepc), addi(T0, T0, 4), csrw(Csr.Mepc, T0), mret()], M_TRAP_VECTOR);
    t.hart.mepc = RAM_BASE + 0x100;
    t.step(1 + 2 + 4);
    expect(t.machineTrap.mepc).toBe(after);
    expect(t.pc).toBe(after);
    expect(t.hart.priv).toBe(Privilege.User);
    expect(t.hart.mcause).toBe(TrapCause.EcallFromU);
    expect(userEcall).toBe(RAM_BASE + 0x104);
    t.step();
    expect(t.get(A0)).toBe(1);
  });
});

describe('SRET', () => {
  it.each([
    ['U', Privilege.User, 0],
    ['S', Privilege.Supervisor, MSTATUS_SPP],
  ] as const)('should return from S-mode to %s-mode at sepc, SIE = SPIE, SPIE = 1, SPP = U', (_m, priv, spp) => {
    const t = trapAt(sret(), Privilege.Supervisor, MSTATUS_SPIE | spp, (t) => {
      t.hart.sepc = RAM_BASE + 0x100;
    });
    expect(t.hart.priv).toBe(priv);
    expect(t.pc).toBe(RAM_BASE + 0x100);
    expect(t.hart.mstatus & (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP)).toBe(MSTATUS_SIE | MSTATUS_SPIE);
  });

  it('should be allowed in M-mode, returning to SPP', () => {
    const t = trapAt(sret(), Privilege.Machine, MSTATUS_SPP | MSTATUS_TSR, (t) => {
      t.hart.sepc = RAM_BASE + 0x100;
    });
    expect(t.hart.priv).toBe(Privilege.Supervisor);
    expect(t.pc).toBe(RAM_BASE + 0x100);
  });

  it('should clear MPRV (SRET never returns to M)', () => {
    const t = trapAt(sret(), Privilege.Machine, MSTATUS_MPRV | MSTATUS_SPP);
    expect(t.hart.mstatus & MSTATUS_MPRV).toBe(0);
  });

  it('should leave MIE, MPIE and MPP alone', () => {
    const t = trapAt(sret(), Privilege.Supervisor, MSTATUS_MPIE | MPP(Privilege.Supervisor));
    expect(t.hart.mstatus & (MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP)).toBe(MSTATUS_MPIE | MPP(Privilege.Supervisor));
  });
});

describe('privileged instructions that are illegal at the current privilege', () => {
  it.each([
    ['mret in S-mode', mret(), Privilege.Supervisor, 0],
    ['mret in U-mode', mret(), Privilege.User, 0],
    ['sret in U-mode', sret(), Privilege.User, 0],
    ['sret in S-mode with mstatus.TSR = 1', sret(), Privilege.Supervisor, MSTATUS_TSR],
    ['wfi in U-mode', wfi(), Privilege.User, 0],
    ['wfi in S-mode with mstatus.TW = 1', wfi(), Privilege.Supervisor, MSTATUS_TW],
    ['sfence.vma in U-mode', sfence_vma(), Privilege.User, 0],
    ['sfence.vma a0, a1 in S-mode with mstatus.TVM = 1', sfence_vma(A0, A1), Privilege.Supervisor, MSTATUS_TVM],
  ] as const)('should trap `%s` as an illegal instruction with mtval = its bits', (_name, instruction, priv, mstatus) => {
    const t = trapAt(instruction, priv, mstatus);
    expect(t.machineTrap).toEqual({ mcause: TrapCause.IllegalInstruction, mepc: RAM_BASE, mtval: instruction });
    expect(t.hart.priv).toBe(Privilege.Machine);
    expect(t.hart.mstatus & MSTATUS_MPP).toBe(MPP(priv));
  });

  it.each([
    ['wfi in M-mode with mstatus.TW = 1 (TW only constrains lower modes)', wfi(), Privilege.Machine, MSTATUS_TW],
    ['wfi in S-mode with mstatus.TW = 0', wfi(), Privilege.Supervisor, 0],
    ['sfence.vma in S-mode with mstatus.TVM = 0', sfence_vma(), Privilege.Supervisor, 0],
    ['sfence.vma in M-mode with mstatus.TVM = 1', sfence_vma(), Privilege.Machine, MSTATUS_TVM],
  ] as const)('should execute `%s`', (_name, instruction, priv, mstatus) => {
    const t = trapAt(instruction, priv, mstatus);
    expect(t.hart.mcause).toBe(0);
    expect(t.pc).toBe(RAM_BASE + 4);
    expect(t.hart.priv).toBe(priv);
  });
});

describe('trap-loop detection', () => {
  it('should stop a hart whose mtvec points at unmapped memory instead of spinning', () => {
    const t = new TestHart([ecall()]);
    t.hart.mtvec = UNMAPPED;
    const used = t.run(1_000_000);
    expect(used).toBeLessThan(100);
    expect(t.hart.trapLoop).toBeDefined();
    expect(t.hart.trapLoop?.first).toEqual({ mcause: TrapCause.EcallFromM, mtval: 0, pc: RAM_BASE | 0 });
    expect(t.hart.trapLoop?.mcause).toBe(TrapCause.InstructionAccessFault);
    expect(t.run(1000)).toBe(0);
  });

  it('should stop a hart whose handler is itself an illegal instruction, also when single-stepped', () => {
    const t = new TestHart([0xffffffff]);
    t.step(100);
    expect(t.hart.trapLoop).toBeDefined();
    expect(t.hart.trapLoop?.first.mcause).toBe(TrapCause.IllegalInstruction);
  });

  it('should not mistake many handled traps for a loop when instructions retire in between', () => {
    const ecalls = Array.from({ length: 40 }, () => ecall());
    const t = new TestHart([...ecalls, jal(ZERO, 0)]);
    t.load([csrr(T0, Csr.Mepc), addi(T0, T0, 4), csrw(Csr.Mepc, T0), mret()], M_TRAP_VECTOR);
    for (let i = 0; i < 100; i++) t.run(10_000);
    expect(t.hart.trapLoop).toBeUndefined();
    expect(t.pc).toBe(RAM_BASE + 4 * 40);
  });

  it('should not mistake handled traps for a loop while mcountinhibit.IR stops minstret', () => {
    // minstret is inhibited, but instructions still retire: the hart is making progress.
    const ecalls = Array.from({ length: 40 }, () => ecall());
    const t = new TestHart([csrwi(Csr.Mcountinhibit, 4), ...ecalls, jal(ZERO, 0)]);
    t.load([csrr(T0, Csr.Mepc), addi(T0, T0, 4), csrw(Csr.Mepc, T0), mret()], M_TRAP_VECTOR);
    for (let i = 0; i < 100; i++) t.run(10_000);
    expect(t.hart.trapLoop).toBeUndefined();
    expect(t.pc).toBe(RAM_BASE + 4 + 4 * 40);
  });
});
