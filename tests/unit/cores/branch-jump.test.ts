// Control transfer: conditional branches, JAL and JALR.

import { describe, expect, it } from 'vitest';
import { A0, A1, RA, T0, ZERO, beq, bge, bgeu, blt, bltu, bne, jal, jalr } from './rv-asm.js';
import { RAM_BASE, TestHart } from './test-hart.js';

/** Where the instruction under test sits, so that negative offsets stay inside RAM. */
const AT = RAM_BASE + 0x2000;

const BRANCHES = { beq, bne, blt, bge, bltu, bgeu };

describe('conditional branches', () => {
  it.each([
    ['beq', 5, 5, true],
    ['beq', 5, 6, false],
    ['beq', -1, 0xffffffff, true],
    ['bne', 5, 6, true],
    ['bne', 5, 5, false],
    ['blt', -1, 1, true],
    ['blt', 1, -1, false],
    ['blt', 3, 3, false],
    ['blt', -0x80000000, 0x7fffffff, true],
    ['bge', 1, -1, true],
    ['bge', -1, 1, false],
    ['bge', 3, 3, true],
    ['bge', 0x7fffffff, -0x80000000, true],
    ['bltu', 1, -1, true],
    ['bltu', -1, 1, false],
    ['bltu', 3, 3, false],
    ['bltu', 0x7fffffff, 0x80000000, true],
    ['bgeu', -1, 1, true],
    ['bgeu', 1, -1, false],
    ['bgeu', 0, 0, true],
    ['bgeu', 0x80000000, 0x7fffffff, true],
  ] as const)('should execute `%s a0, a1, .+16` with a0 = %i, a1 = %i (taken: %s)', (op, a, b, taken) => {
    const t = new TestHart([BRANCHES[op](A0, A1, 16)], { at: AT });
    t.set(A0, a).set(A1, b);
    t.step();
    expect(t.pc).toBe(taken ? AT + 16 : AT + 4);
  });

  it.each(Object.keys(BRANCHES) as (keyof typeof BRANCHES)[])(
    'should execute a taken `%s` with a negative offset, relative to the branch itself',
    (op) => {
      const t = new TestHart([BRANCHES[op](A0, A1, -0x800)], { at: AT });
      // Operands that satisfy each condition: equal for beq/bge/bgeu, 0 < 1 for the others.
      const equalTakes = op === 'beq' || op === 'bge' || op === 'bgeu';
      t.set(A0, 0).set(A1, equalTakes ? 0 : 1);
      t.step();
      expect(t.pc).toBe(AT - 0x800);
    },
  );

  it('should reach the largest branch offsets, -4096 and +4094', () => {
    const back = new TestHart([beq(ZERO, ZERO, -4096)], { at: AT });
    back.step();
    expect(back.pc).toBe(AT - 4096);
    const forward = new TestHart([beq(ZERO, ZERO, 4094)], { at: AT });
    forward.step();
    expect(forward.pc).toBe(AT + 4094);
  });

  it('should not write any register', () => {
    const t = new TestHart([beq(A0, A1, 8)], { at: AT });
    t.set(A0, 1).set(A1, 1).set(RA, 0x1234);
    t.step();
    expect([t.get(A0), t.get(A1), t.get(RA), t.get(ZERO)]).toEqual([1, 1, 0x1234, 0]);
  });
});

describe('JAL', () => {
  it('should execute `jal ra, .+0x100` linking pc + 4 into ra', () => {
    const t = new TestHart([jal(RA, 0x100)], { at: AT });
    t.step();
    expect(t.pc).toBe(AT + 0x100);
    expect(t.getU(RA)).toBe(AT + 4);
  });

  it('should execute `jal ra, .-0x2000` jumping backwards', () => {
    const t = new TestHart([jal(RA, -0x2000)], { at: AT });
    t.step();
    expect(t.pc).toBe(RAM_BASE);
    expect(t.getU(RA)).toBe(AT + 4);
  });

  it('should execute `jal zero, .+8` (j) without linking', () => {
    const t = new TestHart([jal(ZERO, 8)], { at: AT });
    t.step();
    expect(t.pc).toBe(AT + 8);
    expect(t.get(ZERO)).toBe(0);
  });

  it('should execute `jal a0, .+0` (a jump to itself) and keep doing so', () => {
    const t = new TestHart([jal(A0, 0)], { at: AT });
    t.step(3);
    expect(t.pc).toBe(AT);
    expect(t.getU(A0)).toBe(AT + 4);
  });
});

describe('JALR', () => {
  it('should execute `jalr ra, 16(t0)` jumping to t0 + 16 and linking pc + 4', () => {
    const t = new TestHart([jalr(RA, T0, 16)], { at: AT });
    t.set(T0, RAM_BASE + 0x100);
    t.step();
    expect(t.pc).toBe(RAM_BASE + 0x110);
    expect(t.getU(RA)).toBe(AT + 4);
  });

  it('should execute `jalr ra, -4(t0)` with a negative offset', () => {
    const t = new TestHart([jalr(RA, T0, -4)], { at: AT });
    t.set(T0, RAM_BASE + 0x104);
    t.step();
    expect(t.pc).toBe(RAM_BASE + 0x100);
  });

  it('should execute `jalr zero, 1(t0)` clearing bit 0 of the target (no misaligned-fetch trap)', () => {
    const t = new TestHart([jalr(ZERO, T0, 1)], { at: AT });
    t.set(T0, RAM_BASE + 0x100);
    t.step();
    expect(t.pc).toBe(RAM_BASE + 0x100);
  });

  it('should execute `jalr zero, 0(t0)` with an odd t0, clearing bit 0 of the sum', () => {
    const t = new TestHart([jalr(ZERO, T0, 2)], { at: AT });
    t.set(T0, RAM_BASE + 0x101);
    t.step();
    expect(t.pc).toBe(RAM_BASE + 0x102);
  });

  it('should execute `jalr ra, 0(ra)` (rd == rs1) jumping to the old ra and linking the new one', () => {
    const t = new TestHart([jalr(RA, RA, 0)], { at: AT });
    t.set(RA, RAM_BASE + 0x40);
    t.step();
    expect(t.pc).toBe(RAM_BASE + 0x40);
    expect(t.getU(RA)).toBe(AT + 4);
  });

  it('should execute `jalr zero, 0(ra)` (ret) without linking', () => {
    const t = new TestHart([jalr(ZERO, RA, 0)], { at: AT });
    t.set(RA, RAM_BASE + 0x40);
    t.step();
    expect(t.pc).toBe(RAM_BASE + 0x40);
    expect(t.getU(RA)).toBe(RAM_BASE + 0x40);
  });

  it('should execute `jalr a0, -2048(a1)` with the most negative offset', () => {
    const t = new TestHart([jalr(A0, A1, -0x800)], { at: AT });
    t.set(A1, (RAM_BASE + 0x800) | 0);
    t.step();
    expect(t.pc).toBe(RAM_BASE);
  });

  it('should run a call and return through JAL and JALR', () => {
    const t = new TestHart([jal(RA, 0x40), jal(ZERO, 0)]);
    t.load([jalr(ZERO, RA, 0)], RAM_BASE + 0x40);
    t.step(2);
    expect(t.pc).toBe(RAM_BASE + 4);
  });
});
