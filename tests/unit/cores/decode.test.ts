// The base-ISA decoder: every encoding outside RV32IMA + Zicsr/Zifencei + privileged traps as illegal, and the
// odd-looking encodings that are legal (HINTs, FENCE variants) execute.

import { describe, expect, it } from 'vitest';
import { TrapCause } from '../../../engine/cores/trap-cause.js';
import {
  A0, A1, A2, ZERO,
  add, addi, bType, fence, fence_i, iType, lr_w, lui, rType, sType, slli, slt, sltu, srai, srli,
} from './rv-asm.js';
import { M_TRAP_VECTOR, RAM_BASE, TestHart } from './test-hart.js';

const SYSTEM = 0x73, OP = 0x33, OP_IMM = 0x13, AMO = 0x2f;

function expectIllegal(bits: number): void {
  const t = new TestHart([bits >>> 0]);
  t.set(A0, 0x5a).set(A1, RAM_BASE + 0x4000).set(A2, 3);
  t.step();
  expect(t.machineTrap).toEqual({ mcause: TrapCause.IllegalInstruction, mepc: RAM_BASE, mtval: bits >>> 0 });
  expect(t.pc).toBe(M_TRAP_VECTOR);
  expect([t.get(A0), t.get(A1), t.get(A2)]).toEqual([0x5a, RAM_BASE + 0x4000 | 0, 3]);
  expect(t.peek32(RAM_BASE + 0x4000)).toBe(0);
}

function expectExecutes(bits: number): TestHart {
  const t = new TestHart([bits >>> 0]);
  t.set(A0, 0x5a).set(A1, RAM_BASE + 0x4000);
  const before = Array.from(t.hart.x.subarray(0, 32));
  t.step();
  expect(t.hart.mcause).toBe(0);
  expect(t.pc).toBe(RAM_BASE + 4);
  expect(Array.from(t.hart.x.subarray(0, 32))).toEqual(before);
  return t;
}

describe('unknown major opcodes', () => {
  it.each([
    ['custom-0', 0x0000000b],
    ['custom-1', 0x0000002b],
    ['custom-2', 0x0000005b],
    ['custom-3', 0x0000007b],
    ['LOAD-FP (flw, no F)', 0x00002007],
    ['STORE-FP (fsw, no F)', 0x00002027],
    ['MADD', 0x00000043],
    ['MSUB', 0x00000047],
    ['NMSUB', 0x0000004b],
    ['NMADD', 0x0000004f],
    ['OP-FP', 0x00000053],
    ['OP-IMM-32 (addiw, RV64 only)', 0x0000001b],
    ['OP-32 (addw, RV64 only)', 0x0000003b],
    ['OP-V', 0x00000057],
    ['the reserved opcode 0x6b', 0x0000006b],
    ['the reserved opcode 0x77', 0x00000077],
    ['the 48-bit instruction prefix', 0x0000001f],
    ['the 64-bit instruction prefix', 0x0000003f],
    ['all ones', 0xffffffff],
  ])('should trap %s as an illegal instruction with mtval = the bits', (_name, bits) => {
    expectIllegal(bits);
  });
});

describe('bad funct3', () => {
  it.each([
    ['JALR with funct3 = 1', iType(0, A1, 1, A0, 0x67)],
    ['BRANCH with funct3 = 2', bType(8, A1, A0, 2, 0x63)],
    ['BRANCH with funct3 = 3', bType(8, A1, A0, 3, 0x63)],
    ['LOAD with funct3 = 3 (ld, RV64 only)', iType(0, A1, 3, A0, 0x03)],
    ['LOAD with funct3 = 6 (lwu, RV64 only)', iType(0, A1, 6, A0, 0x03)],
    ['LOAD with funct3 = 7', iType(0, A1, 7, A0, 0x03)],
    ['STORE with funct3 = 3 (sd, RV64 only)', sType(0, A0, A1, 3, 0x23)],
    ['STORE with funct3 = 4', sType(0, A0, A1, 4, 0x23)],
    ['STORE with funct3 = 7', sType(0, A0, A1, 7, 0x23)],
    ['MISC-MEM with funct3 = 2 (cbo.*, no Zicbom)', iType(0, A1, 2, 0, 0x0f)],
    ['MISC-MEM with funct3 = 7', iType(0, A1, 7, 0, 0x0f)],
    ['SYSTEM with funct3 = 4', iType(0, A1, 4, A0, SYSTEM)],
    ['AMO with funct3 = 3 (amoadd.d, RV64 only)', rType(0, A2, A1, 3, A0, AMO)],
    ['AMO with funct3 = 0 (byte AMOs, no Zabha)', rType(0, A2, A1, 0, A0, AMO)],
  ])('should trap %s as an illegal instruction', (_name, bits) => {
    expectIllegal(bits);
  });
});

describe('bad funct7 / funct5', () => {
  it.each([
    ['SLL with funct7 = 0x20', rType(0x20, A2, A1, 1, A0, OP)],
    ['SLT with funct7 = 0x20', rType(0x20, A2, A1, 2, A0, OP)],
    ['XOR with funct7 = 0x20', rType(0x20, A2, A1, 4, A0, OP)],
    ['OR with funct7 = 0x20', rType(0x20, A2, A1, 6, A0, OP)],
    ['ADD with funct7 = 0x02', rType(0x02, A2, A1, 0, A0, OP)],
    ['ADD with funct7 = 0x40', rType(0x40, A2, A1, 0, A0, OP)],
    ['ANDN (funct7 = 0x20 with AND, no Zbb)', rType(0x20, A2, A1, 7, A0, OP)],
    ['SLLI with funct7 = 0x20', rType(0x20, 3, A1, 1, A0, OP_IMM)],
    ['SLLI with shamt[5] = 1 (RV64 only)', rType(0x01, 3, A1, 1, A0, OP_IMM)],
    ['SRLI with shamt[5] = 1 (RV64 only)', rType(0x01, 3, A1, 5, A0, OP_IMM)],
    ['SRAI with shamt[5] = 1 (RV64 only)', rType(0x21, 3, A1, 5, A0, OP_IMM)],
    ['RORI (funct7 = 0x30, no Zbb)', rType(0x30, 3, A1, 5, A0, OP_IMM)],
    ['the AMO funct5 0x05 (amocas.w, no Zacas)', rType(0x05 << 2, A2, A1, 2, A0, AMO)],
    ['the AMO funct5 0x1f', rType(0x1f << 2, A2, A1, 2, A0, AMO)],
    ['LR.W with rs2 != 0', lr_w(A0, A1) | (A2 << 20)],
  ])('should trap %s as an illegal instruction', (_name, bits) => {
    expectIllegal(bits);
  });
});

describe('SYSTEM encodings with funct3 = 0', () => {
  it.each([
    ['ECALL with rd != 0', 0x000000f3],
    ['ECALL with rs1 != 0', 0x00058073],
    ['EBREAK with rd != 0', 0x001000f3],
    ['URET (the removed N extension)', 0x00200073],
    ['DRET outside debug mode', 0x7b200073],
    ['MRET with rd != 0', 0x302000f3],
    ['SRET with rs1 != 0', 0x10258073],
    ['WFI with rs1 != 0', 0x10558073],
    ['SFENCE.VMA with rd != 0', 0x120000f3],
    ['SINVAL.VMA (no Svinval)', 0x16000073],
    ['HFENCE.VVMA (no H)', 0x22000073],
    ['an unassigned funct12 0x7ff', 0x7ff00073],
  ])('should trap %s as an illegal instruction', (_name, bits) => {
    expectIllegal(bits);
  });
});

describe('legal encodings that look odd', () => {
  it.each([
    ['FENCE iorw, iorw', fence()],
    ['FENCE rw, w', fence(0b0011, 0b0001)],
    ['FENCE.TSO', 0x8330000f],
    ['PAUSE (a FENCE hint)', 0x0100000f],
    ['FENCE with nonzero rd and rs1 (reserved fields, ignored)', fence() | (A0 << 7) | (A1 << 15)],
    ['FENCE.I', fence_i()],
    ['ADDI x0, x0, 1 (a HINT)', addi(ZERO, ZERO, 1)],
    ['LUI x0, 1 (a HINT)', lui(ZERO, 1)],
    ['ADD x0, x0, a0 (a HINT)', add(ZERO, ZERO, A0)],
    ['SLT x0, a0, a1 (a HINT)', slt(ZERO, A0, A1)],
    ['SLTU x0, a0, a1 (a HINT)', sltu(ZERO, A0, A1)],
    ['SLLI x0, x0, 1 (a HINT)', slli(ZERO, ZERO, 1)],
    ['SRLI x0, a0, 2 (a HINT)', srli(ZERO, A0, 2)],
    ['SRAI x0, a0, 3 (a HINT)', srai(ZERO, A0, 3)],
  ])('should execute %s without trapping or changing registers', (_name, bits) => {
    expectExecutes(bits);
  });

  it('should execute LR.W with rd = x0', () => {
    const t = new TestHart([lr_w(ZERO, A1)]);
    t.set(A1, RAM_BASE + 0x4000);
    t.step();
    expect(t.hart.mcause).toBe(0);
    expect(t.get(ZERO)).toBe(0);
  });
});
