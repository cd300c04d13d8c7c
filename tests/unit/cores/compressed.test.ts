// RV32C: every compressed instruction behaves as its 32-bit expansion, advances the pc by 2, and the
// reserved encodings trap as illegal instructions.

import { describe, expect, it } from 'vitest';
import { TrapCause } from '../../../engine/cores/trap-cause.js';
import {
  A0, A1, A5, RA, S0, S1, SP, T6, ZERO,
  add, addi, and, andi, c_add, c_addi, c_addi16sp, c_addi4spn, c_and, c_andi, c_beqz, c_bnez, c_ebreak, c_j, c_jal,
  c_jalr, c_jr, c_li, c_lui, c_lw, c_lwsp, c_mv, c_nop, c_or, c_slli, c_srai, c_srli, c_sub, c_sw, c_swsp, c_xor,
  lui, lw, or, slli, srai, srli, sub, sw, xor,
} from './rv-asm.js';
import { M_TRAP_VECTOR, RAM_BASE, TestHart } from './test-hart.js';

const AT = RAM_BASE + 0x2000;
const STACK = RAM_BASE + 0x6000;
const DATA = RAM_BASE + 0x5000;

/** Registers every case starts from: distinct values, negatives among them. */
function seed(t: TestHart): TestHart {
  for (let r = 1; r < 32; r++) t.set(r, Math.imul(r, 0x9e3779b1) | 0);
  t.set(SP, STACK).set(A1, DATA).set(S1, DATA + 0x40);
  t.set(A0, 0x12345678).set(S0, -0x1000).set(T6, 0x8000_00f0);
  for (let i = 0; i < 0x100; i += 4) {
    t.poke32(STACK + i, 0xa0000000 + i);
    t.poke32(DATA + i, 0xd0000000 + i);
  }
  return t;
}

function runOne(instruction: number): TestHart {
  const t = seed(new TestHart([instruction], { at: AT }));
  t.step();
  return t;
}

const registers = (t: TestHart): number[] => Array.from(t.hart.x.subarray(0, 32));
const memory = (t: TestHart, base: number): number[] => Array.from({ length: 64 }, (_, i) => t.peek32(base + 4 * i));

describe('compressed instructions behave as their expansions', () => {
  it.each([
    ['c.addi a0, -5', c_addi(A0, -5), addi(A0, A0, -5), A0, 0x12345673],
    ['c.addi t6, 31', c_addi(T6, 31), addi(T6, T6, 31), T6, 0x8000010f],
    ['c.li a0, -1', c_li(A0, -1), addi(A0, ZERO, -1), A0, 0xffffffff],
    ['c.li t6, 17', c_li(T6, 17), addi(T6, ZERO, 17), T6, 17],
    ['c.lui a0, 1', c_lui(A0, 1), lui(A0, 1), A0, 0x1000],
    ['c.lui a0, -32 (0xfffe0)', c_lui(A0, -32), lui(A0, 0xfffe0), A0, 0xfffe0000],
    ['c.addi16sp sp, -512', c_addi16sp(-512), addi(SP, SP, -512), SP, STACK - 512],
    ['c.addi16sp sp, 496', c_addi16sp(496), addi(SP, SP, 496), SP, STACK + 496],
    ['c.addi4spn a0, sp, 1020', c_addi4spn(A0, 1020), addi(A0, SP, 1020), A0, STACK + 1020],
    ['c.addi4spn s0, sp, 4', c_addi4spn(S0, 4), addi(S0, SP, 4), S0, STACK + 4],
    ['c.lw a0, 124(a1)', c_lw(A0, 124, A1), lw(A0, 124, A1), A0, 0xd000007c],
    ['c.lw s0, 0(s1)', c_lw(S0, 0, S1), lw(S0, 0, S1), S0, 0xd0000040],
    ['c.lwsp a0, 252(sp)', c_lwsp(A0, 252), lw(A0, 252, SP), A0, 0xa00000fc],
    ['c.lwsp ra, 0(sp)', c_lwsp(RA, 0), lw(RA, 0, SP), RA, 0xa0000000],
    ['c.srli s0, 31', c_srli(S0, 31), srli(S0, S0, 31), S0, 1],
    ['c.srai s0, 4', c_srai(S0, 4), srai(S0, S0, 4), S0, 0xffffff00],
    ['c.andi a0, -32', c_andi(A0, -32), andi(A0, A0, -32), A0, 0x12345660],
    ['c.andi a0, 15', c_andi(A0, 15), andi(A0, A0, 15), A0, 8],
    ['c.slli t6, 31', c_slli(T6, 31), slli(T6, T6, 31), T6, 0],
    ['c.slli a0, 4', c_slli(A0, 4), slli(A0, A0, 4), A0, 0x23456780],
    ['c.sub a0, s0', c_sub(A0, S0), sub(A0, A0, S0), A0, 0x12346678],
    ['c.xor a0, s0', c_xor(A0, S0), xor(A0, A0, S0), A0, 0xedcba678],
    ['c.or a0, s0', c_or(A0, S0), or(A0, A0, S0), A0, 0xfffff678],
    ['c.and a0, s0', c_and(A0, S0), and(A0, A0, S0), A0, 0x12345000],
    ['c.mv a0, t6', c_mv(A0, T6), add(A0, ZERO, T6), A0, 0x800000f0],
    ['c.add a0, t6', c_add(A0, T6), add(A0, A0, T6), A0, 0x92345768],
  ])('should execute `%s` like its expansion and advance the pc by 2', (_name, compressed, expanded, rd, expected) => {
    const c = runOne(compressed);
    const e = runOne(expanded);
    expect(c.pc).toBe(AT + 2);
    expect(e.pc).toBe(AT + 4);
    expect(registers(c)).toEqual(registers(e));
    expect(c.getU(rd)).toBe(expected);
  });

  it.each([
    ['c.sw a0, 64(a1)', c_sw(A0, 64, A1), sw(A0, 64, A1), A0, DATA + 64],
    ['c.sw s0, 124(s1)', c_sw(S0, 124, S1), sw(S0, 124, S1), S0, DATA + 0x40 + 124],
    ['c.swsp t6, 252(sp)', c_swsp(T6, 252), sw(T6, 252, SP), T6, STACK + 252],
    ['c.swsp ra, 0(sp)', c_swsp(RA, 0), sw(RA, 0, SP), RA, STACK],
  ])('should execute `%s` like its expansion and advance the pc by 2', (_name, compressed, expanded, rs2, addr) => {
    const c = runOne(compressed);
    const e = runOne(expanded);
    expect(c.pc).toBe(AT + 2);
    expect([memory(c, DATA), memory(c, STACK)]).toEqual([memory(e, DATA), memory(e, STACK)]);
    expect(registers(c)).toEqual(registers(e));
    expect(c.peek32(addr)).toBe(runOne(c_nop()).getU(rs2));
  });
});

describe('compressed control transfer', () => {
  it.each([
    ['c.j .+1026', c_j(1026), AT + 1026],
    ['c.j .-2', c_j(-2), AT - 2],
    ['c.j .-2048', c_j(-2048), AT - 2048],
  ])('should execute `%s` without linking', (_name, instruction, target) => {
    const t = runOne(instruction);
    expect(t.pc).toBe(target);
    expect(t.getU(RA)).toBe(Math.imul(RA, 0x9e3779b1) >>> 0);
  });

  it('should execute `c.jal .+2046` linking pc + 2 (not pc + 4) into ra', () => {
    const t = runOne(c_jal(2046));
    expect(t.pc).toBe(AT + 2046);
    expect(t.getU(RA)).toBe(AT + 2);
  });

  it('should execute `c.jal .-2048` backwards', () => {
    const t = runOne(c_jal(-2048));
    expect(t.pc).toBe(AT - 2048);
    expect(t.getU(RA)).toBe(AT + 2);
  });

  it.each([
    ['c.beqz s0, .+254 with s0 = 0 (taken)', c_beqz(S0, 254), 0, AT + 254],
    ['c.beqz s0, .-256 with s0 = 0 (taken)', c_beqz(S0, -256), 0, AT - 256],
    ['c.beqz s0, .+254 with s0 = 1 (not taken)', c_beqz(S0, 254), 1, AT + 2],
    ['c.bnez s0, .+8 with s0 = -1 (taken)', c_bnez(S0, 8), -1, AT + 8],
    ['c.bnez s0, .-256 with s0 = 1 (taken)', c_bnez(S0, -256), 1, AT - 256],
    ['c.bnez s0, .+8 with s0 = 0 (not taken)', c_bnez(S0, 8), 0, AT + 2],
  ])('should execute `%s`', (_name, instruction, s0, target) => {
    const t = seed(new TestHart([instruction], { at: AT }));
    t.set(S0, s0);
    t.step();
    expect(t.pc).toBe(target);
  });

  it('should execute `c.jr ra` jumping to ra without linking', () => {
    const t = seed(new TestHart([c_jr(RA)], { at: AT }));
    t.set(RA, RAM_BASE + 0x100);
    t.step();
    expect(t.pc).toBe(RAM_BASE + 0x100);
    expect(t.getU(RA)).toBe(RAM_BASE + 0x100);
  });

  it('should execute `c.jr a5` with an odd a5, clearing bit 0 like `jalr zero, 0(a5)`', () => {
    const t = seed(new TestHart([c_jr(A5)], { at: AT }));
    t.set(A5, RAM_BASE + 0x101);
    t.step();
    expect(t.pc).toBe(RAM_BASE + 0x100);
  });

  it('should execute `c.jalr a5` jumping to a5 and linking pc + 2 into ra', () => {
    const t = seed(new TestHart([c_jalr(A5)], { at: AT }));
    t.set(A5, RAM_BASE + 0x100);
    t.step();
    expect(t.pc).toBe(RAM_BASE + 0x100);
    expect(t.getU(RA)).toBe(AT + 2);
  });

  it('should execute `c.jalr ra` (link register is also the target) jumping to the old ra', () => {
    const t = seed(new TestHart([c_jalr(RA)], { at: AT }));
    t.set(RA, RAM_BASE + 0x100);
    t.step();
    expect(t.pc).toBe(RAM_BASE + 0x100);
    expect(t.getU(RA)).toBe(AT + 2);
  });

  it('should execute `c.ebreak` as a breakpoint exception at its own address', () => {
    const t = runOne(c_ebreak());
    expect(t.machineTrap.mcause).toBe(TrapCause.Breakpoint);
    expect(t.machineTrap.mepc).toBe(AT);
    expect(t.pc).toBe(M_TRAP_VECTOR);
  });
});

describe('mixing 16- and 32-bit instructions', () => {
  it('should fetch a 32-bit instruction at an address that is 2 mod 4', () => {
    const t = new TestHart([c_addi(A0, 1), addi(A0, A0, 2), c_addi(A0, 4), lui(A1, 1)]);
    const pcs: number[] = [];
    for (let i = 0; i < 4; i++) {
      pcs.push(t.pc);
      t.step();
    }
    expect(pcs).toEqual([RAM_BASE, RAM_BASE + 2, RAM_BASE + 6, RAM_BASE + 8]);
    expect(t.pc).toBe(RAM_BASE + 12);
    expect([t.get(A0), t.get(A1)]).toEqual([7, 0x1000]);
  });

  it('should run a compressed loop: c.li, c.addi, c.bnez', () => {
    const t = new TestHart([c_li(S0, 5), c_li(A0, 0), c_addi(A0, 3), c_addi(S0, -1), c_bnez(S0, -4), c_nop()]);
    t.runUntil(RAM_BASE + 10);
    expect([t.get(A0), t.get(S0)]).toEqual([15, 0]);
  });
});

describe('reserved and unsupported compressed encodings', () => {
  it.each([
    ['0x0000 (the defined illegal instruction)', 0x0000],
    ['C.ADDI4SPN with nzuimm = 0', c_addi4spn(A0, 0)],
    ['C.ADDI16SP with nzimm = 0', c_addi16sp(0)],
    ['C.LUI with nzimm = 0', c_lui(A0, 0)],
    ['C.SRLI with shamt[5] = 1', c_srli(A0, 32)],
    ['C.SRAI with shamt[5] = 1', c_srai(S0, 33)],
    ['C.SLLI with shamt[5] = 1', c_slli(A0, 32)],
    ['C.LWSP with rd = x0', c_lwsp(ZERO, 4)],
    ['C.JR with rs1 = x0', c_jr(ZERO)],
    ['C.SUBW (RV64 only)', 0x9d01],
    ['C.ADDW (RV64 only)', 0x9d21],
    ['the reserved quadrant-1 arithmetic code point 100 1 11 xxx 10', 0x9d41],
    ['the reserved quadrant-0 funct3 100', 0x8000 | (1 << 2)],
    ['C.FLD (no D extension)', 0x2000 | (1 << 2)],
    ['C.FLW (no F extension)', 0x6000 | (1 << 2)],
    ['C.FSD (no D extension)', 0xa000 | (1 << 2)],
    ['C.FSW (no F extension)', 0xe000 | (1 << 2)],
    ['C.FLDSP (no D extension)', 0x2002 | (A0 << 7)],
    ['C.FLWSP (no F extension)', 0x6002 | (A0 << 7)],
    ['C.FSDSP (no D extension)', 0xa002],
    ['C.FSWSP (no F extension)', 0xe002],
  ])('should trap %s as an illegal instruction with mtval = its 16 bits', (_name, bits) => {
    const t = seed(new TestHart([bits, c_li(A0, 31)], { at: AT }));
    const before = registers(t);
    t.step();
    expect(t.machineTrap).toEqual({ mcause: TrapCause.IllegalInstruction, mepc: AT, mtval: bits });
    expect(t.pc).toBe(M_TRAP_VECTOR);
    expect(registers(t)).toEqual(before);
  });
});

describe('compressed HINTs', () => {
  it.each([
    ['C.NOP with a nonzero immediate', c_addi(ZERO, 5)],
    ['C.ADDI with a zero immediate', c_addi(A0, 0)],
    ['C.LI to x0', c_li(ZERO, 7)],
    ['C.LUI to x0', c_lui(ZERO, 3)],
    ['C.MV to x0', c_mv(ZERO, A0)],
    ['C.ADD to x0', c_add(ZERO, A0)],
    ['C.SLLI to x0', c_slli(ZERO, 3)],
    ['C.SRLI by 0', c_srli(S0, 0)],
    ['C.NOP', c_nop()],
  ])('should execute %s as a no-op that advances the pc by 2', (_name, bits) => {
    const t = seed(new TestHart([bits], { at: AT }));
    const before = registers(t);
    t.step();
    expect(t.pc).toBe(AT + 2);
    expect(registers(t)).toEqual(before);
  });
});
