// Sstc: menvcfgh.STCE turns on stimecmp, S-mode's own timer compare; STIP then follows it alone.

import { describe, expect, it } from 'vitest';
import { Csr, MENVCFGH_STCE } from '../../../engine/cores/csr.js';
import { ContextWord, CONTEXT_NUMBERS, CONTEXT_WORDS } from '../../../engine/cores/hart-context.js';
import { MSTATUS_SIE } from '../../../engine/cores/mstatus.js';
import { INTERRUPT_BIT, Interrupt, MIP_STIP, Privilege } from '../../../engine/cores/trap-cause.js';
import { A0, A1, csrr, csrw, nop } from './rv-asm.js';
import { exec, expectIllegal, RAM_BASE, S_TRAP_VECTOR, TestHart, u32 } from './test-hart.js';

const MCOUNTEREN_TM = 1 << 1;

/** A hart in S-mode with Sstc on (as a firmware leaves it), the S timer delegated and enabled. */
function supervisorWithSstc(program: number[]): TestHart {
  const t = new TestHart(program);
  t.hart.menvcfgh = MENVCFGH_STCE;
  t.hart.mcounteren = MCOUNTEREN_TM;
  t.hart.mideleg = MIP_STIP;
  t.hart.mie = MIP_STIP;
  t.hart.mstatus = MSTATUS_SIE;
  t.hart.priv = Privilege.Supervisor;
  return t;
}

describe('menvcfgh.STCE', () => {
  it('is the only writable bit of menvcfgh, and menvcfg reads 0', () => {
    const t = exec([csrw(Csr.Menvcfgh, A0), csrr(A1, Csr.Menvcfgh), csrw(Csr.Menvcfg, A0), csrr(A0, Csr.Menvcfg)], (t) => t.set(A0, -1));
    expect(u32(t.get(A1))).toBe(u32(MENVCFGH_STCE));
    expect(t.get(A0)).toBe(0);
  });
});

describe('stimecmp', () => {
  it('is an illegal instruction in S-mode while STCE is off, and while mcounteren.TM is off', () => {
    const off = exec([csrr(A0, Csr.Stimecmp)], (t) => { t.hart.mcounteren = MCOUNTEREN_TM; t.hart.priv = Privilege.Supervisor; });
    expectIllegal(off, csrr(A0, Csr.Stimecmp));
    const noTm = exec([csrw(Csr.Stimecmph, A0)], (t) => { t.hart.menvcfgh = MENVCFGH_STCE; t.hart.priv = Privilege.Supervisor; });
    expectIllegal(noTm, csrw(Csr.Stimecmph, A0));
  });

  it('raises STIP exactly when time reaches it, and S takes the timer interrupt then', () => {
    // time counts a tick every 10 cycles on the bench: stimecmp = 5 is due at cycle 50.
    const t = supervisorWithSstc([csrw(Csr.Stimecmph, 0), csrw(Csr.Stimecmp, A0), ...Array.from({ length: 80 }, () => nop())]);
    t.set(A0, 5);
    t.load([nop()], S_TRAP_VECTOR);
    t.step(2);
    expect(t.hart.mip() & MIP_STIP).toBe(0);
    expect(t.hart.stimerCycle()).toBe(50);
    t.run(48); // to cycle 50: a budget ends there as the core's slice would
    expect(t.hart.mip() & MIP_STIP).toBe(MIP_STIP);
    t.step();
    expect(t.supervisorTrap).toEqual({ scause: u32(INTERRUPT_BIT | Interrupt.SupervisorTimer), sepc: RAM_BASE + 4 * 50, stval: 0 });
    expect(t.pc).toBe(S_TRAP_VECTOR + 4);
  });

  it('ends the slice on a write only when the new deadline falls inside it (Linux writes it three times a tick)', () => {
    const program = [csrw(Csr.Stimecmph, 0), csrw(Csr.Stimecmp, A0), ...Array.from({ length: 10 }, () => nop())];
    const far = supervisorWithSstc(program);
    far.set(A0, 1000); // due at cycle 10,000: the next slice is cut there
    expect(far.run(12)).toBe(12);
    const near = supervisorWithSstc(program);
    near.set(A0, 1); // due at cycle 10, inside this slice
    expect(near.run(12)).toBe(2);
  });

  it('drops STIP when moved into the future, and keeps STIP read-only in mip for M-mode', () => {
    const t = new TestHart([csrw(Csr.Mip, A0), csrr(A1, Csr.Mip)]);
    t.hart.menvcfgh = MENVCFGH_STCE;
    t.hart.setStimecmp(0, 0); // due at once
    t.set(A0, 0);
    t.step(2);
    expect(t.get(A1) & MIP_STIP).toBe(MIP_STIP); // the write of 0 could not clear it
    t.hart.setStimecmp(-1, 0x7fff_ffff);
    expect(t.hart.mip() & MIP_STIP).toBe(0);
    expect(t.hart.stimerCycle()).toBe(Infinity);
  });

  it('follows a change of the timebase (mtime written, a paused clock)', () => {
    const t = supervisorWithSstc([]);
    t.hart.setStimecmp(1000, 0);
    expect(t.hart.stimerCycle()).toBe(10_000);
    t.timebase.shift(400n);
    expect(t.hart.stimerCycle()).toBe(6_000);
  });

  it('moves with the saved context: another core continues the same deadline', () => {
    const a = supervisorWithSstc([]);
    a.hart.setStimecmp(0x1234, 0x5);
    const words = new Int32Array(CONTEXT_WORDS);
    const numbers = new Float64Array(CONTEXT_NUMBERS);
    a.hart.saveContext(words, numbers);
    expect([words[ContextWord.Menvcfgh], words[ContextWord.StimecmpLo], words[ContextWord.StimecmpHi]]).toEqual([MENVCFGH_STCE, 0x1234, 0x5]);
    const b = new TestHart([]);
    b.hart.loadContext(words, numbers);
    expect([b.hart.menvcfgh, b.hart.stimecmpLo, b.hart.stimecmpHi]).toEqual([MENVCFGH_STCE, 0x1234, 0x5]);
    expect(b.hart.stimerCycle()).toBe(a.hart.stimerCycle());
  });

  it('without STCE leaves STIP to software, as before', () => {
    const t = exec([csrw(Csr.Mip, A0), csrr(A1, Csr.Mip)], (t) => { t.set(A0, MIP_STIP); t.hart.setStimecmp(0, 0); });
    expect(t.get(A1) & MIP_STIP).toBe(MIP_STIP);
    expect(t.hart.stimerCycle()).toBe(Infinity);
  });
});
