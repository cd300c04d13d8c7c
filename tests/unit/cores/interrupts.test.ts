// Interrupts: enables, priority, delegation, vectored entry and WFI, with mipLines standing in for the CLINT.

import { describe, expect, it } from 'vitest';
import { Csr } from '../../../engine/cores/csr.js';
import { MSTATUS_MIE, MSTATUS_MPIE, MSTATUS_MPP, MSTATUS_SIE, MSTATUS_SPIE, MSTATUS_SPP } from '../../../engine/cores/mstatus.js';
import {
  INTERRUPT_BIT, MIP_MEIP, MIP_MSIP, MIP_MTIP, MIP_SEIP, MIP_SSIP, MIP_STIP, Privilege,
} from '../../../engine/cores/trap-cause.js';
import { A0, A1, T5, T6, ZERO, addi, csrrs, csrsi, mret, nop, wfi } from './rv-asm.js';
import { M_TRAP_VECTOR, RAM_BASE, S_TRAP_VECTOR, TestHart, u32 } from './test-hart.js';

const ALL = MIP_SSIP | MIP_MSIP | MIP_STIP | MIP_MTIP | MIP_SEIP | MIP_MEIP;
const NO_HANDLER_YET = -1;

/**
 * A bench whose M vector table writes the slot number into t6 and whose S table writes it into t5,
 * so a step that takes an interrupt shows which entry ran.
 */
function bench(program: number[] = [nop(), nop(), nop(), nop()]): TestHart {
  const t = new TestHart(program);
  t.load(Array.from({ length: 16 }, (_, k) => addi(T6, ZERO, k)), M_TRAP_VECTOR);
  t.load(Array.from({ length: 16 }, (_, k) => addi(T5, ZERO, k)), S_TRAP_VECTOR);
  t.set(T6, NO_HANDLER_YET).set(T5, NO_HANDLER_YET);
  return t;
}

/** Asserts that the last step entered the M-mode handler at `vectorSlot` for interrupt `cause`. */
function expectMachineInterrupt(t: TestHart, cause: number, mepc: number, vectorSlot = 0): void {
  expect(t.machineTrap).toEqual({ mcause: u32(INTERRUPT_BIT | cause), mepc, mtval: 0 });
  expect(t.hart.priv).toBe(Privilege.Machine);
  expect(t.get(T6)).toBe(vectorSlot);
  expect(t.pc).toBe(M_TRAP_VECTOR + 4 * vectorSlot + 4);
}

function expectSupervisorInterrupt(t: TestHart, cause: number, sepc: number, vectorSlot = 0): void {
  expect(t.supervisorTrap).toEqual({ scause: u32(INTERRUPT_BIT | cause), sepc, stval: 0 });
  expect(t.hart.priv).toBe(Privilege.Supervisor);
  expect(t.get(T5)).toBe(vectorSlot);
  expect(t.get(T6)).toBe(NO_HANDLER_YET);
  expect(t.hart.mcause).toBe(0);
}

function expectNoInterrupt(t: TestHart, pc: number): void {
  expect(t.pc).toBe(pc);
  expect([t.hart.mcause, t.hart.scause]).toEqual([0, 0]);
  expect([t.get(T6), t.get(T5)]).toEqual([NO_HANDLER_YET, NO_HANDLER_YET]);
}

describe('taking an interrupt in M-mode', () => {
  it('should take a machine timer interrupt before the next instruction: mcause = 2^31 + 7, mepc = that instruction', () => {
    const t = bench();
    t.hart.mstatus = MSTATUS_MIE;
    t.hart.mie = MIP_MTIP;
    t.step();
    t.hart.mipLines = MIP_MTIP;
    t.step();
    expectMachineInterrupt(t, 7, RAM_BASE + 4);
    expect(t.hart.mstatus & (MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP)).toBe(MSTATUS_MPIE | (3 << 11));
  });

  it.each([
    ['machine software (MSIP)', MIP_MSIP, 3],
    ['machine timer (MTIP)', MIP_MTIP, 7],
    ['machine external (MEIP)', MIP_MEIP, 11],
    ['supervisor software (SSIP), not delegated', MIP_SSIP, 1],
    ['supervisor timer (STIP), not delegated', MIP_STIP, 5],
    ['supervisor external (SEIP), not delegated', MIP_SEIP, 9],
  ])('should take a %s interrupt in M-mode with cause %i', (_name, bit, cause) => {
    const t = bench();
    t.hart.mstatus = MSTATUS_MIE;
    t.hart.mie = bit;
    if (bit & (MIP_MSIP | MIP_MTIP | MIP_MEIP)) t.hart.mipLines = bit;
    else t.hart.mipSoft = bit;
    t.step();
    expectMachineInterrupt(t, cause, RAM_BASE);
  });

  it('should not take an interrupt in M-mode while mstatus.MIE = 0', () => {
    const t = bench();
    t.hart.mie = ALL;
    t.hart.mipLines = MIP_MTIP | MIP_MEIP | MIP_MSIP;
    t.step(2);
    expectNoInterrupt(t, RAM_BASE + 8);
  });

  it('should not take a pending interrupt whose mie bit is clear', () => {
    const t = bench();
    t.hart.mstatus = MSTATUS_MIE;
    t.hart.mie = ALL & ~MIP_MTIP;
    t.hart.mipLines = MIP_MTIP;
    t.step(2);
    expectNoInterrupt(t, RAM_BASE + 8);
  });

  it('should take an interrupt unmasked by a CSR write before the instruction after that write', () => {
    const t = bench([csrsi(Csr.Mstatus, MSTATUS_MIE), addi(A0, ZERO, 1), nop(), nop()]);
    t.hart.mie = MIP_MTIP;
    t.hart.mipLines = MIP_MTIP;
    t.run(10);
    t.run(1);
    expect(t.get(A0)).toBe(0);
    expectMachineInterrupt(t, 7, RAM_BASE + 4);
  });
});

describe('interrupts unmasked by CSR writes', () => {
  it('should take a pending interrupt enabled by `csrsi mie` before the next instruction', () => {
    const t = bench([csrrs(ZERO, Csr.Mie, A1), addi(A0, ZERO, 1), nop()]);
    t.hart.mstatus = MSTATUS_MIE;
    t.hart.mipLines = MIP_MEIP;
    t.set(A1, MIP_MEIP);
    t.run(10);
    t.run(1);
    expect(t.get(A0)).toBe(0);
    expectMachineInterrupt(t, 11, RAM_BASE + 4);
  });

  it('should take a delegated interrupt enabled by setting sstatus.SIE in S-mode before the next instruction', () => {
    const t = bench([csrsi(Csr.Sstatus, MSTATUS_SIE), addi(A0, ZERO, 1), nop()]);
    t.hart.priv = Privilege.Supervisor;
    t.hart.mideleg = MIP_SSIP;
    t.hart.mie = MIP_SSIP;
    t.hart.mipSoft = MIP_SSIP;
    t.run(10);
    t.run(1);
    expect(t.get(A0)).toBe(0);
    expectSupervisorInterrupt(t, 1, RAM_BASE + 4);
  });
});

describe('interrupt priority', () => {
  // Privileged spec: MEI, MSI, MTI, SEI, SSI, STI in decreasing priority.
  const ORDER: [string, number, number][] = [
    ['MEI', MIP_MEIP, 11],
    ['MSI', MIP_MSIP, 3],
    ['MTI', MIP_MTIP, 7],
    ['SEI', MIP_SEIP, 9],
    ['SSI', MIP_SSIP, 1],
    ['STI', MIP_STIP, 5],
  ];

  it.each(ORDER.map((entry, i) => [entry[0], entry[2], i] as const))(
    'should take %s (cause %i) first when it and every lower-priority interrupt are pending',
    (_name, cause, i) => {
      const pending = ORDER.slice(i).reduce((m, [, bit]) => m | bit, 0);
      const t = bench();
      t.hart.mstatus = MSTATUS_MIE;
      t.hart.mie = ALL;
      t.hart.mipLines = pending & (MIP_MSIP | MIP_MTIP | MIP_MEIP | MIP_SEIP);
      t.hart.mipSoft = pending & (MIP_SSIP | MIP_STIP);
      t.step();
      expectMachineInterrupt(t, cause, RAM_BASE);
    },
  );

  it('should take an interrupt destined for M before one destined for S, whatever their causes', () => {
    const t = bench();
    t.hart.priv = Privilege.Supervisor;
    t.hart.mstatus = MSTATUS_SIE;
    t.hart.mideleg = MIP_SEIP;
    t.hart.mie = MIP_SEIP | MIP_STIP;
    t.hart.mipLines = MIP_SEIP;
    t.hart.mipSoft = MIP_STIP;
    t.step();
    expectMachineInterrupt(t, 5, RAM_BASE);
  });
});

describe('interrupts and privilege', () => {
  it.each([
    ['U', Privilege.User],
    ['S', Privilege.Supervisor],
  ] as const)('should take M-mode interrupts in %s-mode even with mstatus.MIE = 0', (_m, priv) => {
    const t = bench();
    t.hart.priv = priv;
    t.hart.mie = MIP_MTIP;
    t.hart.mipLines = MIP_MTIP;
    t.step();
    expectMachineInterrupt(t, 7, RAM_BASE);
    expect((t.hart.mstatus & MSTATUS_MPP) >>> 11).toBe(priv);
  });

  it('should take a delegated supervisor timer interrupt in S-mode when sstatus.SIE = 1', () => {
    const t = bench();
    t.hart.priv = Privilege.Supervisor;
    t.hart.mstatus = MSTATUS_SIE;
    t.hart.mideleg = MIP_STIP;
    t.hart.mie = MIP_STIP;
    t.hart.mipSoft = MIP_STIP;
    t.step();
    expectSupervisorInterrupt(t, 5, RAM_BASE);
    expect(t.pc).toBe(S_TRAP_VECTOR + 4);
    expect(t.hart.mstatus & (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP)).toBe(MSTATUS_SPIE | MSTATUS_SPP);
  });

  it('should not take a delegated interrupt in S-mode while sstatus.SIE = 0', () => {
    const t = bench();
    t.hart.priv = Privilege.Supervisor;
    t.hart.mideleg = MIP_STIP | MIP_SSIP | MIP_SEIP;
    t.hart.mie = ALL;
    t.hart.mipSoft = MIP_STIP | MIP_SSIP;
    t.step(2);
    expectNoInterrupt(t, RAM_BASE + 8);
  });

  it('should take a delegated interrupt in U-mode whatever sstatus.SIE says, into S-mode with SPP = U', () => {
    const t = bench();
    t.hart.priv = Privilege.User;
    t.hart.mideleg = MIP_SSIP;
    t.hart.mie = MIP_SSIP;
    t.hart.mipSoft = MIP_SSIP;
    t.step();
    expectSupervisorInterrupt(t, 1, RAM_BASE);
    expect(t.hart.mstatus & (MSTATUS_SPP | MSTATUS_SPIE)).toBe(0);
  });

  it('should never take an S-mode (delegated) interrupt while in M-mode, even with MIE = SIE = 1', () => {
    const t = bench();
    t.hart.mstatus = MSTATUS_MIE | MSTATUS_SIE;
    t.hart.mideleg = MIP_STIP | MIP_SSIP | MIP_SEIP;
    t.hart.mie = ALL;
    t.hart.mipSoft = MIP_STIP | MIP_SSIP;
    t.hart.mipLines = MIP_SEIP;
    t.step(2);
    expectNoInterrupt(t, RAM_BASE + 8);
  });

  it('should take a non-delegated S-level interrupt from S-mode into M-mode', () => {
    const t = bench();
    t.hart.priv = Privilege.Supervisor;
    t.hart.mie = MIP_SEIP;
    t.hart.mipLines = MIP_SEIP;
    t.step();
    expectMachineInterrupt(t, 9, RAM_BASE);
  });

  it('should take a pending M interrupt as soon as MRET drops to U-mode, with mepc = the U-mode entry', () => {
    const t = bench([mret()]);
    t.hart.mepc = RAM_BASE + 0x100;
    t.hart.mie = MIP_MTIP;
    t.hart.mipLines = MIP_MTIP;
    t.run(10);
    expect(t.hart.priv).toBe(Privilege.User);
    t.step();
    expectMachineInterrupt(t, 7, RAM_BASE + 0x100);
  });

  it('should take a software interrupt raised by setting mip.SSIP', () => {
    const t = bench([csrsi(Csr.Mip, MIP_SSIP), nop(), nop()]);
    t.hart.mstatus = MSTATUS_MIE;
    t.hart.mie = MIP_SSIP;
    t.step(2);
    expectMachineInterrupt(t, 1, RAM_BASE + 4);
  });
});

describe('vectored trap vectors', () => {
  it.each([
    ['MSI', MIP_MSIP, 3],
    ['MTI', MIP_MTIP, 7],
    ['MEI', MIP_MEIP, 11],
  ])('should enter %s at mtvec base + 4 * cause', (_name, bit, cause) => {
    const t = bench();
    t.hart.mtvec = (M_TRAP_VECTOR | 1) >>> 0;
    t.hart.mstatus = MSTATUS_MIE;
    t.hart.mie = bit;
    t.hart.mipLines = bit;
    t.step();
    expectMachineInterrupt(t, cause, RAM_BASE, cause);
  });

  it('should enter a delegated SSI at stvec base + 4', () => {
    const t = bench();
    t.hart.stvec = (S_TRAP_VECTOR | 1) >>> 0;
    t.hart.priv = Privilege.User;
    t.hart.mideleg = MIP_SSIP;
    t.hart.mie = MIP_SSIP;
    t.hart.mipSoft = MIP_SSIP;
    t.step();
    expectSupervisorInterrupt(t, 1, RAM_BASE, 1);
    expect(t.pc).toBe(S_TRAP_VECTOR + 8);
  });
});

describe('WFI', () => {
  it('should park the hart when no enabled interrupt is pending, with the pc after the WFI', () => {
    const t = bench([wfi(), addi(A0, ZERO, 1)]);
    t.hart.mstatus = MSTATUS_MIE;
    t.hart.mie = MIP_MTIP;
    t.step();
    expect(t.hart.waiting).toBe(true);
    expect(t.pc).toBe(RAM_BASE + 4);
    expect(t.run(100)).toBe(0);
    expect(t.pc).toBe(RAM_BASE + 4);
    expect(t.get(A0)).toBe(0);
  });

  it('should stay parked while the pending interrupt is disabled in mie', () => {
    const t = bench([wfi(), addi(A0, ZERO, 1)]);
    t.hart.mie = MIP_MSIP;
    t.step();
    t.hart.mipLines = MIP_MTIP;
    expect(t.run(100)).toBe(0);
    expect(t.hart.waiting).toBe(true);
    expect(t.get(A0)).toBe(0);
  });

  it('should wake into the handler with mepc = the instruction after WFI when the interrupt is enabled', () => {
    const t = bench([wfi(), addi(A0, ZERO, 1)]);
    t.hart.mstatus = MSTATUS_MIE;
    t.hart.mie = MIP_MTIP;
    t.step();
    t.hart.mipLines = MIP_MTIP;
    t.step();
    expect(t.hart.waiting).toBe(false);
    expectMachineInterrupt(t, 7, RAM_BASE + 4);
  });

  it('should resume after WFI without trapping when the interrupt is enabled in mie but MIE = 0', () => {
    const t = bench([wfi(), addi(A0, ZERO, 1)]);
    t.hart.mie = MIP_MTIP;
    t.step();
    expect(t.hart.waiting).toBe(true);
    t.hart.mipLines = MIP_MTIP;
    t.step();
    expect(t.hart.waiting).toBe(false);
    expect(t.get(A0)).toBe(1);
    expectNoInterrupt(t, RAM_BASE + 8);
  });

  it('should not park when an enabled interrupt is already pending (WFI acts as a NOP)', () => {
    const t = bench([wfi(), addi(A0, ZERO, 1)]);
    t.hart.mie = MIP_MSIP;
    t.hart.mipLines = MIP_MSIP;
    t.step();
    expect(t.hart.waiting).toBe(false);
    t.step();
    expect(t.get(A0)).toBe(1);
  });

  it('should wake S-mode WFI for a delegated interrupt and enter the S handler', () => {
    const t = bench([wfi(), addi(A0, ZERO, 1)]);
    t.hart.priv = Privilege.Supervisor;
    t.hart.mstatus = MSTATUS_SIE;
    t.hart.mideleg = MIP_STIP;
    t.hart.mie = MIP_STIP;
    t.step();
    expect(t.hart.waiting).toBe(true);
    t.hart.mipSoft = MIP_STIP;
    t.step();
    expectSupervisorInterrupt(t, 5, RAM_BASE + 4);
  });
});
