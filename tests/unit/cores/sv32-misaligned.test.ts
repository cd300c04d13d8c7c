// Misaligned loads and stores under Sv32 that straddle two virtual pages mapped to unrelated physical pages.

import { describe, expect, it } from 'vitest';
import { Privilege, TrapCause } from '../../../engine/cores/trap-cause.js';
import { A0, A1, A2, lw, sw } from './rv-asm.js';
import { pagedHart, Pte } from './sv32-bench.js';
import { RAM_BASE, TestHart } from './test-hart.js';

const VA = 0x4000_0000;
const LOW = RAM_BASE + 0x5000;
const HIGH = RAM_BASE + 0x3000; // the next virtual page lies below, physically
const RW = Pte.V | Pte.R | Pte.W | Pte.A | Pte.D;

function straddling(program: number[], highFlags = RW): TestHart {
  const t = new TestHart(program);
  pagedHart(t, Privilege.Supervisor).map(VA, LOW, RW).map(VA + 0x1000, HIGH, highFlags);
  t.set(A1, VA + 0xffe).set(A2, 0x4433_2211);
  return t;
}

describe('Sv32 misaligned accesses across a page boundary', () => {
  it('should load the two halves of a word from each page\'s own mapping', () => {
    const t = straddling([lw(A0, 0, A1)]);
    t.poke16(LOW + 0xffe, 0xbbaa);
    t.poke16(HIGH, 0xddcc);
    t.step();
    expect(t.getU(A0)).toBe(0xddcc_bbaa);
  });

  it('should store the two halves into each page\'s own mapping', () => {
    const t = straddling([sw(A2, 0, A1)]);
    t.step();
    expect([t.peek16(LOW + 0xffe), t.peek16(HIGH)]).toEqual([0x2211, 0x4433]);
  });

  it('should fault on the second page before writing a byte of the first', () => {
    const t = straddling([sw(A2, 0, A1)], Pte.V | Pte.R | Pte.A);
    t.step();
    expect(t.machineTrap).toMatchObject({ mcause: TrapCause.StorePageFault, mtval: VA + 0x1000 });
    expect(t.peek16(LOW + 0xffe)).toBe(0);
  });
});
