// The test assembler against GNU as: every helper must produce the bits the real assembler does.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as asm from './rv-asm.js';
import {
  A0, A1, A2, A5, RA, S0, S1, SP, T0, T6, ZERO, lengthOf,
} from './rv-asm.js';

const AS = 'riscv64-unknown-elf-as';
const OBJCOPY = 'riscv64-unknown-elf-objcopy';

function toolAvailable(tool: string): boolean {
  try {
    execFileSync(tool, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const hasAssembler = toolAvailable(AS) && toolAvailable(OBJCOPY);

/** [GNU assembly, helper encoding]. Compressed lines must use the `c.` mnemonics. */
const CASES: [string, number][] = [
  ['lui a0, 0xfffff', asm.lui(A0, 0xfffff)],
  ['lui a0, 0x12345', asm.lui(A0, 0x12345)],
  ['auipc t6, 0x80000', asm.auipc(T6, 0x80000)],
  ['jal ra, .+2048', asm.jal(RA, 2048)],
  ['jal zero, .-1048576', asm.jal(ZERO, -1048576)],
  ['jal ra, .+1048574', asm.jal(RA, 1048574)],
  ['jalr ra, -4(a0)', asm.jalr(RA, A0, -4)],
  ['jalr zero, 2047(t0)', asm.jalr(ZERO, T0, 2047)],
  ['beq a0, a1, .+4094', asm.beq(A0, A1, 4094)],
  ['bne a0, a1, .-4096', asm.bne(A0, A1, -4096)],
  ['blt s0, s1, .+2048', asm.blt(S0, S1, 2048)],
  ['bge t6, zero, .-2', asm.bge(T6, ZERO, -2)],
  ['bltu a0, a1, .+30', asm.bltu(A0, A1, 30)],
  ['bgeu a0, a1, .-30', asm.bgeu(A0, A1, -30)],
  ['lb a0, -1(a1)', asm.lb(A0, -1, A1)],
  ['lh a0, 2047(a1)', asm.lh(A0, 2047, A1)],
  ['lw a0, -2048(a1)', asm.lw(A0, -2048, A1)],
  ['lbu t6, 5(sp)', asm.lbu(T6, 5, SP)],
  ['lhu t6, 6(sp)', asm.lhu(T6, 6, SP)],
  ['sb a0, -1(a1)', asm.sb(A0, -1, A1)],
  ['sh a0, 2047(a1)', asm.sh(A0, 2047, A1)],
  ['sw t6, -2048(sp)', asm.sw(T6, -2048, SP)],
  ['addi a0, a1, -2048', asm.addi(A0, A1, -2048)],
  ['slti a0, a1, 2047', asm.slti(A0, A1, 2047)],
  ['sltiu a0, a1, -1', asm.sltiu(A0, A1, -1)],
  ['xori a0, a1, -1', asm.xori(A0, A1, -1)],
  ['ori a0, a1, 0x555', asm.ori(A0, A1, 0x555)],
  ['andi a0, a1, -16', asm.andi(A0, A1, -16)],
  ['slli a0, a1, 31', asm.slli(A0, A1, 31)],
  ['srli a0, a1, 1', asm.srli(A0, A1, 1)],
  ['srai a0, a1, 17', asm.srai(A0, A1, 17)],
  ['add a0, a1, a2', asm.add(A0, A1, A2)],
  ['sub a0, a1, a2', asm.sub(A0, A1, A2)],
  ['sll a0, a1, a2', asm.sll(A0, A1, A2)],
  ['slt a0, a1, a2', asm.slt(A0, A1, A2)],
  ['sltu a0, a1, a2', asm.sltu(A0, A1, A2)],
  ['xor a0, a1, a2', asm.xor(A0, A1, A2)],
  ['srl a0, a1, a2', asm.srl(A0, A1, A2)],
  ['sra a0, a1, a2', asm.sra(A0, A1, A2)],
  ['or a0, a1, a2', asm.or(A0, A1, A2)],
  ['and t6, t0, ra', asm.and(T6, T0, RA)],
  ['fence', asm.fence()],
  ['fence rw, w', asm.fence(0b0011, 0b0001)],
  ['fence.i', asm.fence_i()],
  ['ecall', asm.ecall()],
  ['ebreak', asm.ebreak()],
  ['mul a0, a1, a2', asm.mul(A0, A1, A2)],
  ['mulh a0, a1, a2', asm.mulh(A0, A1, A2)],
  ['mulhsu a0, a1, a2', asm.mulhsu(A0, A1, A2)],
  ['mulhu a0, a1, a2', asm.mulhu(A0, A1, A2)],
  ['div a0, a1, a2', asm.div(A0, A1, A2)],
  ['divu a0, a1, a2', asm.divu(A0, A1, A2)],
  ['rem a0, a1, a2', asm.rem(A0, A1, A2)],
  ['remu a0, a1, a2', asm.remu(A0, A1, A2)],
  ['lr.w a0, (a1)', asm.lr_w(A0, A1)],
  ['lr.w.aq a0, (a1)', asm.lr_w(A0, A1, { aq: true })],
  ['sc.w a0, a2, (a1)', asm.sc_w(A0, A2, A1)],
  ['sc.w.rl a0, a2, (a1)', asm.sc_w(A0, A2, A1, { rl: true })],
  ['amoswap.w a0, a2, (a1)', asm.amoswap_w(A0, A2, A1)],
  ['amoadd.w.aqrl a0, a2, (a1)', asm.amoadd_w(A0, A2, A1, { aq: true, rl: true })],
  ['amoxor.w a0, a2, (a1)', asm.amoxor_w(A0, A2, A1)],
  ['amoand.w a0, a2, (a1)', asm.amoand_w(A0, A2, A1)],
  ['amoor.w a0, a2, (a1)', asm.amoor_w(A0, A2, A1)],
  ['amomin.w a0, a2, (a1)', asm.amomin_w(A0, A2, A1)],
  ['amomax.w a0, a2, (a1)', asm.amomax_w(A0, A2, A1)],
  ['amominu.w a0, a2, (a1)', asm.amominu_w(A0, A2, A1)],
  ['amomaxu.w zero, a2, (a1)', asm.amomaxu_w(ZERO, A2, A1)],
  ['csrrw a0, 0x340, a1', asm.csrrw(A0, 0x340, A1)],
  ['csrrs a0, 0xf14, zero', asm.csrrs(A0, 0xf14, ZERO)],
  ['csrrc a0, 0x300, a1', asm.csrrc(A0, 0x300, A1)],
  ['csrrwi a0, 0x340, 31', asm.csrrwi(A0, 0x340, 31)],
  ['csrrsi zero, 0x300, 8', asm.csrrsi(ZERO, 0x300, 8)],
  ['csrrci a0, 0x300, 1', asm.csrrci(A0, 0x300, 1)],
  ['mret', asm.mret()],
  ['sret', asm.sret()],
  ['wfi', asm.wfi()],
  ['sfence.vma', asm.sfence_vma()],
  ['sfence.vma a0, a1', asm.sfence_vma(A0, A1)],
  ['nop', asm.nop()],
  ['ret', asm.ret()],
  ['lui a5, 0x80000', asm.li(A5, 0x7fffffff)[0]],
  ['addi a5, a5, -1', asm.li(A5, 0x7fffffff)[1]],
  // RV32C
  ['c.addi4spn a0, sp, 4', asm.c_addi4spn(A0, 4)],
  ['c.addi4spn s0, sp, 1020', asm.c_addi4spn(S0, 1020)],
  ['c.lw a0, 124(a1)', asm.c_lw(A0, 124, A1)],
  ['c.lw s1, 4(a5)', asm.c_lw(S1, 4, A5)],
  ['c.sw a0, 64(a1)', asm.c_sw(A0, 64, A1)],
  ['c.nop', asm.c_nop()],
  ['c.addi a0, -32', asm.c_addi(A0, -32)],
  ['c.addi t6, 31', asm.c_addi(T6, 31)],
  ['c.jal .+2046', asm.c_jal(2046)],
  ['c.jal .-2048', asm.c_jal(-2048)],
  ['c.li a0, -1', asm.c_li(A0, -1)],
  ['c.li t6, 17', asm.c_li(T6, 17)],
  ['c.addi16sp sp, -512', asm.c_addi16sp(-512)],
  ['c.addi16sp sp, 496', asm.c_addi16sp(496)],
  ['c.lui a0, 0xfffe0', asm.c_lui(A0, -32)],
  ['c.lui t6, 31', asm.c_lui(T6, 31)],
  ['c.srli a0, 31', asm.c_srli(A0, 31)],
  ['c.srai s1, 1', asm.c_srai(S1, 1)],
  ['c.andi a5, -32', asm.c_andi(A5, -32)],
  ['c.sub a0, a1', asm.c_sub(A0, A1)],
  ['c.xor s0, a5', asm.c_xor(S0, A5)],
  ['c.or a0, a1', asm.c_or(A0, A1)],
  ['c.and a0, a1', asm.c_and(A0, A1)],
  ['c.j .+1026', asm.c_j(1026)],
  ['c.j .-2', asm.c_j(-2)],
  ['c.beqz a0, .+254', asm.c_beqz(A0, 254)],
  ['c.bnez s0, .-256', asm.c_bnez(S0, -256)],
  ['c.slli a0, 31', asm.c_slli(A0, 31)],
  ['c.lwsp a0, 252(sp)', asm.c_lwsp(A0, 252)],
  ['c.lwsp ra, 0(sp)', asm.c_lwsp(RA, 0)],
  ['c.swsp t6, 252(sp)', asm.c_swsp(T6, 252)],
  ['c.swsp a0, 36(sp)', asm.c_swsp(A0, 36)],
  ['c.jr ra', asm.c_jr(RA)],
  ['c.mv a0, t6', asm.c_mv(A0, T6)],
  ['c.ebreak', asm.c_ebreak()],
  ['c.jalr a5', asm.c_jalr(A5)],
  ['c.add a0, t6', asm.c_add(A0, T6)],
];

/** Assembles the cases (each compressed one under `.option rvc`) and returns each one's bits in order. */
function assembleWithGnuAs(cases: readonly [string, number][]): number[] {
  const dir = mkdtempSync(join(tmpdir(), 'rv-asm-'));
  try {
    const lines = ['.text', '.option norvc'];
    for (const [text, bits] of cases) {
      lines.push(lengthOf(bits) === 2 ? `.option rvc\n ${text}\n.option norvc` : ` ${text}`);
    }
    writeFileSync(join(dir, 'cases.s'), lines.join('\n') + '\n');
    execFileSync(AS, ['-march=rv32imac_zicsr_zifencei', '-mabi=ilp32', '-mno-relax', '-o', join(dir, 'cases.o'), join(dir, 'cases.s')]);
    execFileSync(OBJCOPY, ['-O', 'binary', '-j', '.text', join(dir, 'cases.o'), join(dir, 'cases.bin')]);
    const bytes = readFileSync(join(dir, 'cases.bin'));
    const out: number[] = [];
    let at = 0;
    for (const [, bits] of cases) {
      out.push(lengthOf(bits) === 2 ? bytes.readUInt16LE(at) : bytes.readUInt32LE(at));
      at += lengthOf(bits);
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const hex = (n: number, digits: number): string => '0x' + (n >>> 0).toString(16).padStart(digits, '0');

const crossCheckTitle = hasAssembler
  ? 'rv-asm encodes like GNU as'
  : `rv-asm encodes like GNU as (skipped: ${AS} or ${OBJCOPY} is not on PATH)`;

describe.skipIf(!hasAssembler)(crossCheckTitle, () => {
  const assembled = hasAssembler ? assembleWithGnuAs(CASES) : [];
  it.each(CASES.map(([text, bits], i) => ({ text, bits, i })))('should encode `$text` as GNU as does', ({ bits, i }) => {
    const digits = lengthOf(bits) * 2;
    expect(hex(bits, digits)).toBe(hex(assembled[i], digits));
  });
});

describe('rv-asm field checks', () => {
  it('rejects an immediate that does not fit its field', () => {
    expect(() => asm.addi(A0, A0, 2048)).toThrow(RangeError);
    expect(() => asm.c_addi(A0, 32)).toThrow(RangeError);
  });

  it('rejects a misaligned branch offset and a register outside x8..x15 in a compressed form', () => {
    expect(() => asm.beq(A0, A1, 3)).toThrow(RangeError);
    expect(() => asm.c_lw(T6, 0, A0)).toThrow(RangeError);
  });

  it('li builds any 32-bit value from LUI + ADDI, compensating the sign-extended low part', () => {
    expect(asm.li(A0, -1)).toEqual([asm.lui(A0, 0), asm.addi(A0, A0, -1)]);
    expect(asm.li(A0, 0x12345fff)).toEqual([asm.lui(A0, 0x12346), asm.addi(A0, A0, -1)]);
  });
});
