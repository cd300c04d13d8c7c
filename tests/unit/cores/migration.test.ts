// A vCPU moving between cores: each core keeps its own copy of the hart (and its decoded code);
// the saved context alone must tell a copy that its decoded instructions are stale.

import { describe, expect, it } from 'vitest';
import { CONTEXT_NUMBERS, CONTEXT_WORDS } from '../../../engine/cores/hart-context.js';
import { A0, A1, addi, fence_i, jalr, RA, sw, ZERO } from './rv-asm.js';
import { RAM_BASE, TestHart } from './test-hart.js';

const CALLEE = RAM_BASE + 0x2000;

/** Two copies of one hart over the same memory, as two cores hold a vCPU, and its saved context. */
function twoCores() {
  const coreA = new TestHart();
  const coreB = new TestHart([], { machine: coreA.machine });
  const words = new Int32Array(CONTEXT_WORDS);
  const numbers = new Float64Array(CONTEXT_NUMBERS);
  const migrate = (from: TestHart, to: TestHart) => {
    from.hart.saveContext(words, numbers);
    to.hart.loadContext(words, numbers);
  };
  return { coreA, coreB, migrate };
}

/** Calls CALLEE (which returns a value in a0) from `at`, and stops at the instruction after the call. */
function callAt(t: TestHart, at: number): number {
  t.load([jalr(RA, A1, 0), addi(ZERO, ZERO, 0)], at);
  t.set(A1, CALLEE);
  t.hart.pc = at;
  t.runUntil(at + 4);
  return t.get(A0);
}

describe('a hart copy on another core', () => {
  it('never runs code decoded before the hart rewrote it and ran FENCE.I elsewhere', () => {
    const { coreA, coreB, migrate } = twoCores();
    coreA.load([addi(A0, ZERO, 1), jalr(ZERO, RA, 0)], CALLEE);
    expect(callAt(coreA, RAM_BASE)).toBe(1); // core A decodes the callee

    migrate(coreA, coreB);
    // On core B the hart writes `addi a0, zero, 2` over the callee's first instruction, then FENCE.I.
    coreB.load([sw(A1, 0, A0), fence_i(), addi(ZERO, ZERO, 0)], RAM_BASE + 0x100);
    coreB.set(A0, CALLEE).set(A1, addi(A0, ZERO, 2));
    coreB.hart.pc = RAM_BASE + 0x100;
    coreB.runUntil(RAM_BASE + 0x108);

    migrate(coreB, coreA);
    coreA.set(A1, CALLEE);
    coreA.hart.pc = RAM_BASE;
    coreA.runUntil(RAM_BASE + 4);
    expect(coreA.get(A0)).toBe(2);
  });

  it('keeps its decoded code when the hart changed no code in between', () => {
    const { coreA, coreB, migrate } = twoCores();
    coreA.load([addi(A0, ZERO, 1), jalr(ZERO, RA, 0)], CALLEE);
    expect(callAt(coreA, RAM_BASE)).toBe(1);
    migrate(coreA, coreB);
    migrate(coreB, coreA);
    // Behind every hart's back (no store through a hart): a copy that kept its decoding still returns 1.
    coreA.poke32(CALLEE, addi(A0, ZERO, 3));
    coreA.hart.pc = RAM_BASE;
    coreA.runUntil(RAM_BASE + 4);
    expect(coreA.get(A0)).toBe(1);
  });
});

describe('the saved context', () => {
  it('carries a trap loop and its first and last trap to the copy that loads it', () => {
    const { coreA, coreB, migrate } = twoCores();
    // mtvec points at an illegal instruction: the first trap's handler traps again, forever.
    coreA.load([0, 0], RAM_BASE);
    coreA.hart.mtvec = RAM_BASE + 2;
    coreA.run(100);
    const loop = coreA.hart.trapLoop;
    expect(loop).toBeDefined();
    migrate(coreA, coreB);
    expect(coreB.hart.trapLoop).toEqual(loop);
    expect(coreB.run(10)).toBe(0); // a looped hart never runs again
  });
});
