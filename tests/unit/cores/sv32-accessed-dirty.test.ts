// Sv32 A and D bits: set by the hart on access (A) and store (D), atomically in the shared PTE word.

import { describe, expect, it } from 'vitest';
import { Privilege, TrapCause } from '../../../engine/cores/trap-cause.js';
import { A0, A1, A2, amoadd_w, lr_w, lw, sc_w, sw } from './rv-asm.js';
import { pagedHart, Pte } from './sv32-bench.js';
import { RAM_BASE, TestHart } from './test-hart.js';

const DATA = RAM_BASE + 0x4000;
const VA = 0x4000_0000;
const RW = Pte.V | Pte.R | Pte.W;

function setUp(program: number[], flags: number): { t: TestHart; pte: () => number } {
  const t = new TestHart(program);
  const tables = pagedHart(t, Privilege.Supervisor);
  tables.map(VA, DATA, flags);
  t.set(A1, VA).set(A2, 5);
  return { t, pte: () => tables.leaf(VA) };
}

describe('Sv32 accessed and dirty bits', () => {
  it('should set A and not D on a load', () => {
    const { t, pte } = setUp([lw(A0, 0, A1)], RW);
    t.step();
    expect(pte() & (Pte.A | Pte.D)).toBe(Pte.A);
  });

  it('should set A and D on a store', () => {
    const { t, pte } = setUp([sw(A2, 0, A1)], RW);
    t.step();
    expect(pte() & (Pte.A | Pte.D)).toBe(Pte.A | Pte.D);
    expect(t.peek32(DATA)).toBe(5);
  });

  it('should set D on a store that follows a load of the same page (the load\'s TLB entry does not allow stores)', () => {
    const { t, pte } = setUp([lw(A0, 0, A1), sw(A2, 4, A1)], RW);
    t.step();
    expect(pte() & Pte.D).toBe(0);
    t.step();
    expect(pte() & Pte.D).toBe(Pte.D);
  });

  it('should set D on an AMO and translate it as a store', () => {
    const { t, pte } = setUp([amoadd_w(A0, A2, A1)], RW);
    t.poke32(DATA, 10);
    t.step();
    expect(t.peek32(DATA)).toBe(15);
    expect(pte() & Pte.D).toBe(Pte.D);
  });

  it('should raise a store page fault for an AMO on a read-only page, leaving A and D clear', () => {
    const { t, pte } = setUp([amoadd_w(A0, A2, A1)], Pte.V | Pte.R);
    t.step();
    expect(t.machineTrap.mcause).toBe(TrapCause.StorePageFault);
    expect(pte() & (Pte.A | Pte.D)).toBe(0);
  });

  it('should translate LR as a load (A only) and SC as a store (D)', () => {
    const { t, pte } = setUp([lr_w(A0, A1), sc_w(A0, A2, A1)], RW);
    t.step();
    expect(pte() & (Pte.A | Pte.D)).toBe(Pte.A);
    t.step();
    expect(t.get(A0)).toBe(0);
    expect(pte() & Pte.D).toBe(Pte.D);
  });

  it('should raise a load page fault for LR on an unreadable page', () => {
    const { t } = setUp([lr_w(A0, A1)], Pte.V | Pte.X);
    t.step();
    expect(t.machineTrap.mcause).toBe(TrapCause.LoadPageFault);
  });

  it('should walk again when another hart changes the PTE between the walk\'s read and its update', () => {
    // Another hart makes the page read-only just before the update's compare-and-swap: the store must then fault.
    const { t, pte } = setUp([sw(A2, 0, A1)], RW);
    type Cas = (array: Int32Array, index: number, expected: number, replacement: number) => number;
    const atomics = Atomics as unknown as { compareExchange: Cas };
    const cas = atomics.compareExchange;
    let interfered = 0;
    atomics.compareExchange = (array, index, expected, replacement) => {
      atomics.compareExchange = cas;
      interfered++;
      Atomics.store(array, index, pte() & ~Pte.W);
      return cas(array, index, expected, replacement);
    };
    try {
      t.step();
    } finally {
      atomics.compareExchange = cas;
    }
    expect(interfered).toBe(1);
    expect(t.machineTrap.mcause).toBe(TrapCause.StorePageFault);
    expect(pte() & (Pte.A | Pte.D | Pte.W)).toBe(0);
  });
});
