// RV32 instruction encoders, the few the fuzzer's hand-made guests and random streams need
// (an assembler would be a build dependency for a handful of words).

export const enum Op {
  Load = 0x03, MiscMem = 0x0f, OpImm = 0x13, Auipc = 0x17, Store = 0x23, Amo = 0x2f, Op = 0x33, Lui = 0x37,
  Branch = 0x63, Jalr = 0x67, Jal = 0x6f, System = 0x73,
}

const bits = (value: number, hi: number, lo: number) => (value >>> lo) & ((1 << (hi - lo + 1)) - 1);

export function rType(op: number, rd: number, f3: number, rs1: number, rs2: number, f7: number): number {
  return ((f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op) >>> 0;
}

export function iType(op: number, rd: number, f3: number, rs1: number, imm: number): number {
  return (((imm & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op) >>> 0;
}

export function sType(op: number, f3: number, rs1: number, rs2: number, imm: number): number {
  return ((bits(imm, 11, 5) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (bits(imm, 4, 0) << 7) | op) >>> 0;
}

export function bType(f3: number, rs1: number, rs2: number, offset: number): number {
  return ((bits(offset, 12, 12) << 31) | (bits(offset, 10, 5) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (bits(offset, 4, 1) << 8) | (bits(offset, 11, 11) << 7) | Op.Branch) >>> 0;
}

export function uType(op: number, rd: number, upper20: number): number {
  return (((upper20 & 0xfffff) << 12) | (rd << 7) | op) >>> 0;
}

export function jal(rd: number, offset: number): number {
  return ((bits(offset, 20, 20) << 31) | (bits(offset, 10, 1) << 21) | (bits(offset, 11, 11) << 20) | (bits(offset, 19, 12) << 12) | (rd << 7) | Op.Jal) >>> 0;
}

export const addi = (rd: number, rs1: number, imm: number) => iType(Op.OpImm, rd, 0, rs1, imm);
export const add = (rd: number, rs1: number, rs2: number) => rType(Op.Op, rd, 0, rs1, rs2, 0);
export const sub = (rd: number, rs1: number, rs2: number) => rType(Op.Op, rd, 0, rs1, rs2, 0x20);
export const sltu = (rd: number, rs1: number, rs2: number) => rType(Op.Op, rd, 3, rs1, rs2, 0);
export const andi = (rd: number, rs1: number, imm: number) => iType(Op.OpImm, rd, 7, rs1, imm);
export const lui = (rd: number, upper20: number) => uType(Op.Lui, rd, upper20);
export const lw = (rd: number, rs1: number, imm: number) => iType(Op.Load, rd, 2, rs1, imm);
export const sw = (rs2: number, rs1: number, imm: number) => sType(Op.Store, 2, rs1, rs2, imm);
export const sb = (rs2: number, rs1: number, imm: number) => sType(Op.Store, 0, rs1, rs2, imm);
export const csrrw = (rd: number, csr: number, rs1: number) => iType(Op.System, rd, 1, rs1, csr);
export const WFI = 0x1050_0073;
export const MRET = 0x3020_0073;

/** The words of `li rd, value` (lui + addi, the addi's sign folded into the lui). */
export function li(rd: number, value: number): number[] {
  const v = value >>> 0;
  const low = ((v & 0xfff) << 20) >> 20;
  const high = ((v - low) >>> 12) & 0xfffff;
  return high === 0 ? [addi(rd, 0, low)] : [lui(rd, high), addi(rd, rd, low)];
}

export const CSR = {
  mstatus: 0x300, misa: 0x301, medeleg: 0x302, mideleg: 0x303, mie: 0x304, mtvec: 0x305, mcounteren: 0x306,
  mscratch: 0x340, mepc: 0x341, mcause: 0x342, mtval: 0x343, mip: 0x344,
  sstatus: 0x100, sie: 0x104, stvec: 0x105, scounteren: 0x106, sscratch: 0x140, sepc: 0x141, scause: 0x142, stval: 0x143, sip: 0x144, satp: 0x180,
  pmpcfg0: 0x3a0, pmpaddr0: 0x3b0, mcycle: 0xb00, minstret: 0xb02, mcycleh: 0xb80, cycle: 0xc00, time: 0xc01, instret: 0xc02, cycleh: 0xc80, timeh: 0xc81,
  mvendorid: 0xf11, marchid: 0xf12, mimpid: 0xf13, mhartid: 0xf14, tselect: 0x7a0, dcsr: 0x7b0,
} as const;

/** Little-endian bytes of 32-bit words. */
export function wordsToBytes(words: readonly number[]): Uint8Array {
  const out = new Uint8Array(words.length * 4);
  const view = new DataView(out.buffer);
  words.forEach((w, i) => view.setUint32(i * 4, w >>> 0, true));
  return out;
}
