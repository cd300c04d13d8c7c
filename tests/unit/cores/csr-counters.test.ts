// The counter CSRs: minstret and mcycle, mcountinhibit, their access from S and U, and time.

import { describe, expect, it } from 'vitest';
import { Csr } from '../../../engine/cores/csr.js';
import { CYCLES_PER_TICK } from '../../../engine/devices/clint.js';
import { Privilege } from '../../../engine/cores/trap-cause.js';
import { A0, A1, A2, ZERO, addi, csrr, csrw, csrwi, ecall, jal, lw, mret, nop } from './rv-asm.js';
import { exec, expectIllegal, M_TRAP_VECTOR, RAM_BASE, TestHart, UNMAPPED } from './test-hart.js';

describe('minstret and mcycle', () => {
  it('should count every retired instruction: csrr, five nops, csrr read 6 apart (one slice)', () => {
    const t = new TestHart([csrr(A0, Csr.Minstret), nop(), nop(), nop(), nop(), nop(), csrr(A1, Csr.Minstret)]);
    t.run(7);
    expect(t.get(A1) - t.get(A0)).toBe(6);
  });

  it('should count every retired instruction across single steps too', () => {
    const t = new TestHart([csrr(A0, Csr.Instret), nop(), nop(), csrr(A1, Csr.Instret)]);
    t.step(4);
    expect(t.get(A1) - t.get(A0)).toBe(3);
  });

  it.each([
    ['ecall', ecall()],
    ['an illegal instruction', 0xffffffff],
    ['a load access fault', lw(A2, 0, A2)],
  ])('should not count %s, which traps instead of retiring', (_name, trapping) => {
    const t = new TestHart([csrr(A0, Csr.Minstret), trapping]);
    t.load([csrr(A1, Csr.Minstret)], M_TRAP_VECTOR);
    t.set(A2, UNMAPPED);
    t.run(3);
    expect(t.hart.mcause).not.toBe(0);
    expect(t.get(A1) - t.get(A0)).toBe(1);
  });

  it('should make a write to minstret replace that instruction\'s own increment: the next read sees the value', () => {
    const t = exec([csrw(Csr.Minstret, A1), csrr(A0, Csr.Minstret), nop(), nop(), csrr(A2, Csr.Minstret)], (t) => t.set(A1, 100));
    expect([t.get(A0), t.get(A2)]).toEqual([100, 103]);
  });

  it('should make a write to minstret take effect after the instruction within one slice too', () => {
    const t = new TestHart([csrw(Csr.Minstret, A1), csrr(A0, Csr.Minstret), nop(), csrr(A2, Csr.Minstret)]);
    t.set(A1, 100);
    t.run(4);
    expect([t.get(A0), t.get(A2)]).toEqual([100, 102]);
  });

  it('should carry minstret into minstreth', () => {
    const t = exec([csrw(Csr.Minstret, A1), nop(), csrr(A0, Csr.Minstret), csrr(A2, Csr.Minstreth)], (t) => t.set(A1, -1));
    expect([t.get(A0), t.get(A2)]).toEqual([0, 1]);
  });

  it('should write minstreth independently of the low half', () => {
    const t = exec([csrw(Csr.Minstreth, A1), csrr(A0, Csr.Instreth)], (t) => t.set(A1, 7));
    expect(t.get(A0)).toBe(7);
  });

  it('should make a write to mcycle visible to the next read (plus at most that read\'s own cycle)', () => {
    const t = exec([csrw(Csr.Mcycle, A1), csrr(A0, Csr.Mcycle)], (t) => t.set(A1, 1000));
    expect(t.get(A0)).toBeGreaterThanOrEqual(1000);
    expect(t.get(A0)).toBeLessThanOrEqual(1001);
  });

  it('should advance mcycle as instructions execute', () => {
    const t = new TestHart([csrr(A0, Csr.Mcycle), nop(), nop(), nop(), csrr(A1, Csr.Cycle)]);
    t.run(5);
    expect(t.get(A1) - t.get(A0)).toBeGreaterThanOrEqual(4);
  });
});

describe('mcountinhibit', () => {
  it('should keep only CY and IR (bit 1, TM, is read-only zero)', () => {
    const t = exec([csrw(Csr.Mcountinhibit, A1), csrr(A0, Csr.Mcountinhibit)], (t) => t.set(A1, 7));
    expect(t.get(A0)).toBe(5);
  });

  it('should stop minstret while mcountinhibit.IR = 1 (reads stay equal)', () => {
    // Privileged spec, mcountinhibit: "When the CY, IR, or HPMn bit ... is set, the corresponding counter
    // does not increment."
    const t = new TestHart([csrwi(Csr.Mcountinhibit, 4), csrr(A0, Csr.Minstret), nop(), nop(), nop(), csrr(A1, Csr.Minstret), jal(ZERO, 0)]);
    t.run(100);
    t.run(100);
    expect(t.get(A1) - t.get(A0)).toBe(0);
  });

  it('should stop minstret while mcountinhibit.IR = 1, single-stepped (it must never run backwards)', () => {
    const t = new TestHart([csrwi(Csr.Mcountinhibit, 4), csrr(A0, Csr.Minstret), nop(), nop(), nop(), csrr(A1, Csr.Minstret)]);
    t.step(6);
    expect(t.get(A1) - t.get(A0)).toBe(0);
  });

  it('should stop mcycle while mcountinhibit.CY = 1, also between reads in one slice', () => {
    const t = new TestHart([csrwi(Csr.Mcountinhibit, 1), csrr(A0, Csr.Mcycle), nop(), nop(), nop(), csrr(A1, Csr.Mcycle), jal(ZERO, 0)]);
    t.run(100);
    t.run(100);
    expect(t.get(A1) - t.get(A0)).toBe(0);
  });

  it('should stop mcycle while mcountinhibit.CY = 1, single-stepped', () => {
    const t = new TestHart([csrwi(Csr.Mcountinhibit, 1), csrr(A0, Csr.Mcycle), nop(), nop(), nop(), csrr(A1, Csr.Mcycle)]);
    t.step(6);
    expect(t.get(A1) - t.get(A0)).toBe(0);
  });

  it('should keep the cycles counted before mcountinhibit.CY was set in the same slice', () => {
    const t = new TestHart([csrr(A0, Csr.Mcycle), nop(), nop(), csrwi(Csr.Mcountinhibit, 1), csrr(A1, Csr.Mcycle), jal(ZERO, 0)]);
    t.run(100);
    t.run(100);
    expect(t.get(A1) - t.get(A0)).toBeGreaterThanOrEqual(3);
  });

  it('should keep the instructions retired before mcountinhibit.IR was set in the same slice', () => {
    const t = new TestHart([csrr(A0, Csr.Minstret), nop(), nop(), csrwi(Csr.Mcountinhibit, 4), csrr(A1, Csr.Minstret), jal(ZERO, 0)]);
    t.run(100);
    t.run(100);
    expect(t.get(A1) - t.get(A0)).toBeGreaterThanOrEqual(3);
  });

  it('should resume counting when mcountinhibit is cleared', () => {
    const t = exec([csrwi(Csr.Mcountinhibit, 5), csrwi(Csr.Mcountinhibit, 0), csrr(A0, Csr.Minstret), nop(), csrr(A1, Csr.Minstret)]);
    expect(t.get(A1) - t.get(A0)).toBe(2);
  });
});

describe('counter access from S and U', () => {
  const CY = 1 << 0, TM = 1 << 1, IR = 1 << 2, HPM3 = 1 << 3;

  it.each([
    ['S', Privilege.Supervisor, 'cycle', Csr.Cycle, 0, 0, false],
    ['S', Privilege.Supervisor, 'cycle', Csr.Cycle, CY, 0, true],
    ['S', Privilege.Supervisor, 'cycleh', Csr.Cycleh, CY, 0, true],
    ['S', Privilege.Supervisor, 'time', Csr.Time, CY | IR, 0, false],
    ['S', Privilege.Supervisor, 'time', Csr.Time, TM, 0, true],
    ['S', Privilege.Supervisor, 'instret', Csr.Instret, CY | TM, 0, false],
    ['S', Privilege.Supervisor, 'instret', Csr.Instret, IR, 0, true],
    ['S', Privilege.Supervisor, 'hpmcounter3', 0xc03, IR, 0, false],
    ['S', Privilege.Supervisor, 'hpmcounter3', 0xc03, HPM3, 0, true],
    ['U', Privilege.User, 'cycle', Csr.Cycle, CY, 0, false],
    ['U', Privilege.User, 'cycle', Csr.Cycle, 0, CY, false],
    ['U', Privilege.User, 'cycle', Csr.Cycle, CY, CY, true],
    ['U', Privilege.User, 'instreth', Csr.Instreth, IR, IR, true],
    ['U', Privilege.User, 'time', Csr.Time, TM, CY, false],
  ] as const)('should let %s-mode read %s with mcounteren = %i, scounteren = %i: allowed = %s', (_m, priv, _name, csr, mcounteren, scounteren, allowed) => {
    const instruction = csrr(A0, csr);
    const t = exec([instruction], (t) => {
      t.hart.priv = priv;
      t.hart.mcounteren = mcounteren;
      t.hart.scounteren = scounteren;
    });
    if (allowed) expect(t.pc).toBe(RAM_BASE + 4);
    else expectIllegal(t, instruction);
  });

  it('should let M-mode read the user counters whatever mcounteren says', () => {
    const t = exec([csrr(A0, Csr.Cycle), csrr(A0, Csr.Time), csrr(A0, Csr.Instret)]);
    expect(t.pc).toBe(RAM_BASE + 12);
  });

  it('should read cycle and instret from U-mode as the same counters M sees', () => {
    const t = new TestHart([csrr(A0, Csr.Minstret), mret()]);
    t.load([csrr(A1, Csr.Instret), addi(ZERO, ZERO, 0)], RAM_BASE + 0x100);
    t.hart.mepc = RAM_BASE + 0x100;
    t.hart.mcounteren = t.hart.scounteren = -1;
    t.step(3);
    expect(t.hart.priv).toBe(Privilege.User);
    expect(t.get(A1) - t.get(A0)).toBe(2);
  });
});

describe('time', () => {
  it('should read time and timeh as the two halves of the 64-bit mtime', () => {
    const t = exec([csrr(A0, Csr.Time), csrr(A1, Csr.Timeh)], (t) => {
      t.timebase.offset = 5_000_000_000n;
    });
    expect([t.getU(A0), t.get(A1)]).toEqual([5_000_000_000 - 2 ** 32, 1]);
  });

  it('should advance time with the hart\'s cycles at the platform timebase', () => {
    const program = [csrr(A0, Csr.Time), ...Array.from({ length: 10 * CYCLES_PER_TICK }, () => nop()), csrr(A1, Csr.Time)];
    const t = new TestHart(program);
    t.run(program.length);
    expect(t.get(A1) - t.get(A0)).toBe(10);
  });
});

