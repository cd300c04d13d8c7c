// RV32I integer computational instructions: register-immediate, register-register, LUI and AUIPC.

import { describe, expect, it } from 'vitest';
import {
  A0, A1, A2, ZERO,
  add, addi, and, andi, auipc, jal, lui, or, ori, sll, slli, slt, slti, sltiu, sltu, sra, srai, srl, srli, sub, xor, xori,
} from './rv-asm.js';
import { RAM_BASE, TestHart } from './test-hart.js';

/** Runs one instruction with a1 = `rs1` and a2 = `rs2`; returns a0 as an unsigned number. */
function exec(instruction: number, rs1: number, rs2 = 0): number {
  const t = new TestHart([instruction]);
  t.set(A1, rs1).set(A2, rs2);
  t.step();
  expect(t.pc).toBe(RAM_BASE + 4);
  return t.getU(A0);
}

describe('register-immediate instructions', () => {
  it.each([
    ['addi a0, a1, 5', addi(A0, A1, 5), 10, 15],
    ['addi a0, a1, -1 (the immediate is sign-extended)', addi(A0, A1, -1), 10, 9],
    ['addi a0, a1, -2048 (the most negative immediate)', addi(A0, A1, -2048), 0, 0xfffff800],
    ['addi a0, a1, 1 (overflow wraps, no trap)', addi(A0, A1, 1), 0x7fffffff, 0x80000000],
    ['slti a0, a1, 1 with a1 = -1', slti(A0, A1, 1), -1, 1],
    ['slti a0, a1, -1 with a1 = 1', slti(A0, A1, -1), 1, 0],
    ['slti a0, a1, 5 with a1 = 5 (not less)', slti(A0, A1, 5), 5, 0],
    ['sltiu a0, a1, -1 (the immediate is sign-extended, then compared unsigned)', sltiu(A0, A1, -1), 0xfffffffe, 1],
    ['sltiu a0, a1, 1 with a1 = 0 (seqz)', sltiu(A0, A1, 1), 0, 1],
    ['sltiu a0, a1, 1 with a1 = -1', sltiu(A0, A1, 1), -1, 0],
    ['xori a0, a1, -1 (not)', xori(A0, A1, -1), 0x0f0f0f0f, 0xf0f0f0f0],
    ['xori a0, a1, 0x7ff', xori(A0, A1, 0x7ff), 0x12345678, 0x12345187],
    ['ori a0, a1, -2048 (sets the upper bits through sign extension)', ori(A0, A1, -2048), 0x1, 0xfffff801],
    ['andi a0, a1, 0xff', andi(A0, A1, 0xff), 0xdeadbeef, 0xef],
    ['andi a0, a1, -16 (sign-extended mask)', andi(A0, A1, -16), 0xdeadbeef, 0xdeadbee0],
    ['slli a0, a1, 31', slli(A0, A1, 31), 3, 0x80000000],
    ['slli a0, a1, 0', slli(A0, A1, 0), 0x89abcdef, 0x89abcdef],
    ['srli a0, a1, 4 (fills with zeros)', srli(A0, A1, 4), 0x80000000, 0x08000000],
    ['srli a0, a1, 31', srli(A0, A1, 31), 0xffffffff, 1],
    ['srai a0, a1, 4 (fills with copies of the sign bit)', srai(A0, A1, 4), 0x80000000, 0xf8000000],
    ['srai a0, a1, 31 on a negative value', srai(A0, A1, 31), 0x80000000, 0xffffffff],
    ['srai a0, a1, 31 on a positive value', srai(A0, A1, 31), 0x7fffffff, 0],
  ])('should execute `%s`', (_name, instruction, rs1, expected) => {
    expect(exec(instruction, rs1)).toBe(expected);
  });
});

describe('register-register instructions', () => {
  it.each([
    ['add a0, a1, a2', add(A0, A1, A2), 2, 3, 5],
    ['add a0, a1, a2 (overflow wraps)', add(A0, A1, A2), 0x7fffffff, 1, 0x80000000],
    ['add a0, a1, a2 (carry out is dropped)', add(A0, A1, A2), 0xffffffff, 2, 1],
    ['sub a0, a1, a2', sub(A0, A1, A2), 3, 5, 0xfffffffe],
    ['sub a0, a1, a2 (underflow wraps)', sub(A0, A1, A2), 0x80000000, 1, 0x7fffffff],
    ['sll a0, a1, a2', sll(A0, A1, A2), 1, 31, 0x80000000],
    ['sll a0, a1, a2 uses only the low 5 bits of a2 (33 shifts by 1)', sll(A0, A1, A2), 1, 33, 2],
    ['sll a0, a1, a2 with a2 = -1 shifts by 31', sll(A0, A1, A2), 1, -1, 0x80000000],
    ['srl a0, a1, a2', srl(A0, A1, A2), 0x80000000, 31, 1],
    ['srl a0, a1, a2 uses only the low 5 bits of a2 (32 shifts by 0)', srl(A0, A1, A2), 0x80000000, 32, 0x80000000],
    ['sra a0, a1, a2', sra(A0, A1, A2), 0x80000000, 31, 0xffffffff],
    ['sra a0, a1, a2 uses only the low 5 bits of a2 (0x24 shifts by 4)', sra(A0, A1, A2), 0x80000000, 0x24, 0xf8000000],
    ['srl a0, a1, a2 vs sra on the same negative value', srl(A0, A1, A2), 0xf0000000, 4, 0x0f000000],
    ['slt a0, a1, a2 with -1 < 1', slt(A0, A1, A2), -1, 1, 1],
    ['slt a0, a1, a2 with 1 < -1', slt(A0, A1, A2), 1, -1, 0],
    ['slt a0, a1, a2 with -2^31 < 2^31-1', slt(A0, A1, A2), 0x80000000, 0x7fffffff, 1],
    ['slt a0, a1, a2 with equal operands', slt(A0, A1, A2), -7, -7, 0],
    ['sltu a0, a1, a2 with 0xffffffff < 1 (unsigned)', sltu(A0, A1, A2), -1, 1, 0],
    ['sltu a0, a1, a2 with 1 < 0xffffffff (unsigned)', sltu(A0, A1, A2), 1, -1, 1],
    ['sltu a0, zero, a2 (snez)', sltu(A0, ZERO, A2), 0, 5, 1],
    ['xor a0, a1, a2', xor(A0, A1, A2), 0xff00ff00, 0x0ff00ff0, 0xf0f0f0f0],
    ['or a0, a1, a2', or(A0, A1, A2), 0xff00ff00, 0x0ff00ff0, 0xfff0fff0],
    ['and a0, a1, a2', and(A0, A1, A2), 0xff00ff00, 0x0ff00ff0, 0x0f000f00],
  ])('should execute `%s`', (_name, instruction, rs1, rs2, expected) => {
    expect(exec(instruction, rs1, rs2)).toBe(expected);
  });

  it('should execute `add a0, a0, a0` reading both sources before writing rd', () => {
    const t = new TestHart([add(A0, A0, A0)]);
    t.set(A0, 21);
    t.step();
    expect(t.get(A0)).toBe(42);
  });
});

describe('LUI and AUIPC', () => {
  it('should execute `lui a0, 0xfffff` placing the immediate in bits 31:12 and zeroing the rest', () => {
    const t = new TestHart([lui(A0, 0xfffff)]);
    t.set(A0, 0x123);
    t.step();
    expect(t.getU(A0)).toBe(0xfffff000);
  });

  it('should execute `lui a0, 0x12345`', () => {
    expect(exec(lui(A0, 0x12345), 0)).toBe(0x12345000);
  });

  it('should execute `auipc a0, 0x1` adding the immediate to the address of the AUIPC itself', () => {
    const t = new TestHart([addi(ZERO, ZERO, 0), auipc(A0, 1)]);
    t.step(2);
    expect(t.getU(A0)).toBe(RAM_BASE + 4 + 0x1000);
  });

  it('should execute `auipc a0, 0xfffff` (a negative upper immediate reaches below the pc)', () => {
    const t = new TestHart([auipc(A0, 0xfffff)]);
    t.step();
    expect(t.getU(A0)).toBe(RAM_BASE - 0x1000);
  });

  it('should execute `auipc a0, 0` as "the address of this instruction", also when reached by a jump', () => {
    const t = new TestHart([jal(ZERO, 0x100)]);
    t.load([auipc(A0, 0)], RAM_BASE + 0x100);
    t.step(2);
    expect(t.getU(A0)).toBe(RAM_BASE + 0x100);
  });
});

describe('x0', () => {
  it.each([
    ['addi zero, zero, 5', addi(ZERO, ZERO, 5)],
    ['lui zero, 0x12345', lui(ZERO, 0x12345)],
    ['auipc zero, 1', auipc(ZERO, 1)],
    ['add zero, a1, a1', add(ZERO, A1, A1)],
  ])('should discard the result of `%s` and keep reading zero', (_name, instruction) => {
    const t = new TestHart([instruction, add(A0, ZERO, ZERO), addi(A2, ZERO, 0)]);
    t.set(A0, 99).set(A1, 7).set(A2, 99);
    t.step(3);
    expect(t.get(ZERO)).toBe(0);
    expect(t.get(A0)).toBe(0);
    expect(t.get(A2)).toBe(0);
    expect(t.pc).toBe(RAM_BASE + 12);
  });
});
