// The M extension: MUL/MULH/MULHSU/MULHU and DIV/DIVU/REM/REMU, including the defined corner cases.

import { describe, expect, it } from 'vitest';
import { mulhSigned, mulhSignedUnsigned, mulhUnsigned } from '../../../engine/cores/mul-high.js';
import { A0, A1, A2, div, divu, mul, mulh, mulhsu, mulhu, rem, remu } from './rv-asm.js';
import { RAM_BASE, TestHart } from './test-hart.js';

const MIN = -0x8000_0000;
const MAX = 0x7fff_ffff;

/** Runs one instruction with a1 = `rs1` and a2 = `rs2`; returns a0 as an unsigned number. */
function exec(instruction: number, rs1: number, rs2: number): number {
  const t = new TestHart([instruction]);
  t.set(A1, rs1).set(A2, rs2);
  t.step();
  expect(t.pc).toBe(RAM_BASE + 4);
  return t.getU(A0);
}

/** Reference: bits 63:32 of the 64-bit product, each operand signed or unsigned. */
function refHigh(a: number, b: number, aSigned: boolean, bSigned: boolean): number {
  const big = (v: number, isSigned: boolean): bigint => (isSigned ? BigInt(v | 0) : BigInt(v >>> 0));
  return Number(BigInt.asUintN(32, (big(a, aSigned) * big(b, bSigned)) >> 32n));
}

const refLow = (a: number, b: number): number => Number(BigInt.asUintN(32, BigInt(a | 0) * BigInt(b | 0)));

describe('MUL', () => {
  it.each([
    [6, 7, 42],
    [-3, 7, -21 >>> 0],
    [-3, -7, 21],
    [MAX, 2, 0xfffffffe],
    [MIN, -1, 0x80000000],
    [0xffff, 0xffff, 0xfffe0001],
    [0x12345678, 0x9abcdef0, refLow(0x12345678, 0x9abcdef0)],
  ])('should execute `mul a0, a1, a2` with a1 = %i, a2 = %i keeping the low 32 bits of the product', (a, b, expected) => {
    expect(exec(mul(A0, A1, A2), a, b)).toBe(expected);
  });
});

describe('MULH, MULHSU and MULHU', () => {
  // Every sign combination and the extremes, with the expected high word written out.
  it.each([
    ['mulh', 2, 3, 0],
    ['mulh', -2, 3, 0xffffffff],
    ['mulh', 2, -3, 0xffffffff],
    ['mulh', -2, -3, 0],
    ['mulh', MIN, MIN, 0x40000000],
    ['mulh', MIN, MAX, 0xc0000000],
    ['mulh', MAX, MAX, 0x3fffffff],
    ['mulh', -1, -1, 0],
    ['mulh', MIN, -1, 0],
    ['mulhu', -1, -1, 0xfffffffe],
    ['mulhu', MIN, 2, 1],
    ['mulhu', -1, 1, 0],
    ['mulhu', MIN, MIN, 0x40000000],
    ['mulhsu', -1, -1, 0xffffffff],
    ['mulhsu', -1, 1, 0xffffffff],
    ['mulhsu', 1, -1, 0],
    ['mulhsu', MIN, -1, 0x80000000],
    ['mulhsu', MAX, -1, 0x7ffffffe],
    ['mulhsu', MIN, MIN, 0xc0000000],
  ] as const)('should execute `%s a0, a1, a2` with a1 = %i, a2 = %i', (op, a, b, expected) => {
    const instruction = { mulh, mulhu, mulhsu }[op](A0, A1, A2);
    expect(exec(instruction, a, b)).toBe(expected);
    const aSigned = op !== 'mulhu';
    const bSigned = op === 'mulh';
    expect(expected).toBe(refHigh(a, b, aSigned, bSigned));
  });

  it('should agree with 64-bit BigInt products for random and extreme operands (the exported helpers)', () => {
    const edges = [0, 1, -1, 2, -2, MIN, MAX, MIN + 1, 0xffff, 0x10000, -0x10000, 0x7fff8000];
    const operands = [...edges];
    let seed = 0x2545f491;
    const random = (): number => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return seed | 0;
    };
    for (let i = 0; i < 2000; i++) operands.push(random());
    let checked = 0;
    for (let i = 0; i < operands.length; i++) {
      const a = operands[i];
      const bs = i < edges.length ? edges : [operands[(i * 7919) % operands.length], random()];
      for (const b of bs) {
        expect([a, b, mulhSigned(a, b) >>> 0]).toEqual([a, b, refHigh(a, b, true, true)]);
        expect([a, b, mulhUnsigned(a, b) >>> 0]).toEqual([a, b, refHigh(a, b, false, false)]);
        expect([a, b, mulhSignedUnsigned(a, b) >>> 0]).toEqual([a, b, refHigh(a, b, true, false)]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(4000);
  });

  it('should agree with BigInt when executed as instructions on random operands', () => {
    let seed = 12345;
    const random = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) | 0;
      return (seed ^ (seed << 7) ^ Math.imul(seed >>> 3, 0x9e3779b9)) | 0;
    };
    for (let i = 0; i < 200; i++) {
      const a = random(), b = random();
      expect(exec(mulh(A0, A1, A2), a, b)).toBe(refHigh(a, b, true, true));
      expect(exec(mulhsu(A0, A1, A2), a, b)).toBe(refHigh(a, b, true, false));
      expect(exec(mulhu(A0, A1, A2), a, b)).toBe(refHigh(a, b, false, false));
      expect(exec(mul(A0, A1, A2), a, b)).toBe(refLow(a, b));
    }
  });
});

describe('DIV, DIVU, REM and REMU', () => {
  it.each([
    ['div', 7, 2, 3],
    ['div', -7, 2, -3 >>> 0],
    ['div', 7, -2, -3 >>> 0],
    ['div', -7, -2, 3],
    ['rem', 7, 2, 1],
    ['rem', -7, 2, -1 >>> 0],
    ['rem', 7, -2, 1],
    ['rem', -7, -2, -1 >>> 0],
    ['divu', -1, 2, 0x7fffffff],
    ['divu', MIN, 3, 0x2aaaaaaa],
    ['divu', 7, -1, 0],
    ['remu', -1, 10, 5],
    ['remu', 7, -1, 7],
    ['div', MIN, 3, (-715827882) >>> 0],
    ['rem', MIN, 3, -2 >>> 0],
  ] as const)('should execute `%s a0, a1, a2` with a1 = %i, a2 = %i (rounding toward zero)', (op, a, b, expected) => {
    expect(exec({ div, divu, rem, remu }[op](A0, A1, A2), a, b)).toBe(expected);
  });

  it.each([
    ['div', 42, 0xffffffff],
    ['div', -42, 0xffffffff],
    ['divu', 42, 0xffffffff],
    ['divu', 0, 0xffffffff],
    ['rem', 42, 42],
    ['rem', -42, -42 >>> 0],
    ['remu', -42, -42 >>> 0],
    ['remu', 0, 0],
  ] as const)('should execute `%s a0, a1, zero` with a1 = %i: division by zero gives %i without trapping', (op, a, expected) => {
    expect(exec({ div, divu, rem, remu }[op](A0, A1, A2), a, 0)).toBe(expected >>> 0);
  });

  it('should execute `div a0, a1, a2` with -2^31 / -1 giving -2^31 (signed overflow)', () => {
    expect(exec(div(A0, A1, A2), MIN, -1)).toBe(0x80000000);
  });

  it('should execute `rem a0, a1, a2` with -2^31 % -1 giving 0 (signed overflow)', () => {
    expect(exec(rem(A0, A1, A2), MIN, -1)).toBe(0);
  });

  it('should execute `div a0, a1, a2` with x % -1 giving 0 and x / -1 giving -x for ordinary x', () => {
    expect(exec(rem(A0, A1, A2), -5, -1)).toBe(0);
    expect(exec(div(A0, A1, A2), -5, -1)).toBe(5);
  });

  it('satisfies dividend = divisor * quotient + remainder for random operands, signed and unsigned', () => {
    let seed = 99;
    const random = (): number => {
      seed = (Math.imul(seed, 1664525) + 1013904223) | 0;
      return seed >> ((seed >>> 27) & 31);
    };
    for (let i = 0; i < 200; i++) {
      const a = random(), b = random() || 1;
      const q = exec(div(A0, A1, A2), a, b) | 0, r = exec(rem(A0, A1, A2), a, b) | 0;
      expect((Math.imul(q, b) + r) | 0).toBe(a | 0);
      expect(Math.abs(r)).toBeLessThan(Math.abs(b));
      expect(r === 0 || Math.sign(r) === Math.sign(a)).toBe(true);
      const qu = exec(divu(A0, A1, A2), a, b), ru = exec(remu(A0, A1, A2), a, b);
      expect(Number(BigInt(qu) * BigInt(b >>> 0) + BigInt(ru))).toBe(a >>> 0);
      expect(ru).toBeLessThan(b >>> 0);
    }
  });
});
