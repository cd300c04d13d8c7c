// Decodes RV32IMAC + Zicsr/Zifencei instruction bits into the two-word form the hart executes.

import { Op, pack } from './op.js';

/** Decoded form: `packed` (see op.ts) and `imm`; pc-relative targets are already absolute. */
export interface Decoded {
  packed: number;
  imm: number;
}

const illegal = (bits: number, length: 2 | 4): Decoded => ({ packed: pack(Op.Illegal, 0, 0, 0, length), imm: bits });
const d = (op: Op, rd: number, rs1: number, rs2: number, imm: number, length: 2 | 4): Decoded => ({
  packed: pack(op, rd, rs1, rs2, length),
  imm: imm | 0,
});

/** True when the low halfword starts a 32-bit instruction. */
export function isWide(lowHalf: number): boolean {
  return (lowHalf & 3) === 3;
}

const BRANCH_OPS: (Op | undefined)[] = [Op.Beq, Op.Bne, undefined, undefined, Op.Blt, Op.Bge, Op.Bltu, Op.Bgeu];
const LOAD_OPS: (Op | undefined)[] = [Op.Lb, Op.Lh, Op.Lw, undefined, Op.Lbu, Op.Lhu, undefined, undefined];
const STORE_OPS: (Op | undefined)[] = [Op.Sb, Op.Sh, Op.Sw];
const IMM_OPS: Op[] = [Op.Addi, Op.Slli, Op.Slti, Op.Sltiu, Op.Xori, Op.Srli, Op.Ori, Op.Andi];
const REG_OPS: Op[] = [Op.Add, Op.Sll, Op.Slt, Op.Sltu, Op.Xor, Op.Srl, Op.Or, Op.And];
const MUL_OPS: Op[] = [Op.Mul, Op.Mulh, Op.Mulhsu, Op.Mulhu, Op.Div, Op.Divu, Op.Rem, Op.Remu];
const CSR_OPS: (Op | undefined)[] = [undefined, Op.Csrrw, Op.Csrrs, Op.Csrrc, undefined, Op.Csrrwi, Op.Csrrsi, Op.Csrrci];
const AMO_OPS = new Map<number, Op>([
  [0x00, Op.AmoAdd], [0x01, Op.AmoSwap], [0x02, Op.LrW], [0x03, Op.ScW], [0x04, Op.AmoXor],
  [0x08, Op.AmoOr], [0x0c, Op.AmoAnd], [0x10, Op.AmoMin], [0x14, Op.AmoMax], [0x18, Op.AmoMinu], [0x1c, Op.AmoMaxu],
]);

/** Decodes a 32-bit instruction found at `pc`. */
export function decode32(bits: number, pc: number): Decoded {
  bits |= 0;
  const opcode = bits & 0x7f;
  const rd = (bits >>> 7) & 31;
  const f3 = (bits >>> 12) & 7;
  const rs1 = (bits >>> 15) & 31;
  const rs2 = (bits >>> 20) & 31;
  const f7 = bits >>> 25;
  const immI = bits >> 20;
  switch (opcode) {
    case 0x37: // LUI
      return d(Op.Li, rd, 0, 0, bits & 0xfffff000, 4);
    case 0x17: // AUIPC
      return d(Op.Li, rd, 0, 0, pc + (bits & 0xfffff000), 4);
    case 0x6f: { // JAL
      const off = ((bits >> 31) << 20) | (bits & 0xff000) | (((bits >>> 20) & 1) << 11) | (((bits >>> 21) & 0x3ff) << 1);
      return d(Op.Jal, rd, 0, 0, pc + off, 4);
    }
    case 0x67: // JALR
      return f3 === 0 ? d(Op.Jalr, rd, rs1, 0, immI, 4) : illegal(bits, 4);
    case 0x63: { // BRANCH
      const op = BRANCH_OPS[f3];
      if (op === undefined) return illegal(bits, 4);
      const off = ((bits >> 31) << 12) | (((bits >>> 7) & 1) << 11) | (((bits >>> 25) & 0x3f) << 5) | (((bits >>> 8) & 0xf) << 1);
      return d(op, 0, rs1, rs2, pc + off, 4);
    }
    case 0x03: { // LOAD
      const op = LOAD_OPS[f3];
      return op === undefined ? illegal(bits, 4) : d(op, rd, rs1, 0, immI, 4);
    }
    case 0x23: { // STORE
      const op = STORE_OPS[f3];
      const immS = ((bits >> 25) << 5) | ((bits >>> 7) & 31);
      return op === undefined ? illegal(bits, 4) : d(op, 0, rs1, rs2, immS, 4);
    }
    case 0x13: { // OP-IMM
      if (f3 === 1) return f7 === 0 ? d(Op.Slli, rd, rs1, 0, rs2, 4) : illegal(bits, 4);
      if (f3 === 5) {
        if (f7 === 0) return d(Op.Srli, rd, rs1, 0, rs2, 4);
        if (f7 === 0x20) return d(Op.Srai, rd, rs1, 0, rs2, 4);
        return illegal(bits, 4);
      }
      return d(IMM_OPS[f3], rd, rs1, 0, immI, 4);
    }
    case 0x33: // OP
      if (f7 === 0) return d(REG_OPS[f3], rd, rs1, rs2, 0, 4);
      if (f7 === 1) return d(MUL_OPS[f3], rd, rs1, rs2, 0, 4);
      if (f7 === 0x20 && f3 === 0) return d(Op.Sub, rd, rs1, rs2, 0, 4);
      if (f7 === 0x20 && f3 === 5) return d(Op.Sra, rd, rs1, rs2, 0, 4);
      return illegal(bits, 4);
    case 0x0f: // MISC-MEM
      if (f3 === 0) return d(Op.Fence, 0, 0, 0, 0, 4);
      if (f3 === 1) return d(Op.FenceI, 0, 0, 0, 0, 4);
      return illegal(bits, 4);
    case 0x73: // SYSTEM
      if (f3 === 0) return decodePrivileged(bits);
      {
        const op = CSR_OPS[f3];
        // The CSR number is the unsigned 12-bit immediate; rs1 holds the register or the 5-bit zimm.
        return op === undefined ? illegal(bits, 4) : d(op, rd, rs1, 0, bits >>> 20, 4);
      }
    case 0x2f: { // AMO
      const op = AMO_OPS.get(bits >>> 27);
      if (f3 !== 2 || op === undefined) return illegal(bits, 4);
      if (op === Op.LrW && rs2 !== 0) return illegal(bits, 4);
      return d(op, rd, rs1, rs2, 0, 4);
    }
    default:
      return illegal(bits, 4);
  }
}

function decodePrivileged(bits: number): Decoded {
  switch (bits >>> 0) {
    case 0x00000073: return d(Op.Ecall, 0, 0, 0, 0, 4);
    case 0x00100073: return d(Op.Ebreak, 0, 0, 0, 0, 4);
    case 0x30200073: return d(Op.Mret, 0, 0, 0, 0, 4);
    case 0x10200073: return d(Op.Sret, 0, 0, 0, 0, 4);
    case 0x10500073: return d(Op.Wfi, 0, 0, 0, 0, 4);
  }
  // SFENCE.VMA rs1, rs2: funct7 0001001, rd 0.
  if (bits >>> 25 === 0x09 && ((bits >>> 7) & 31) === 0) {
    return d(Op.SfenceVma, 0, (bits >>> 15) & 31, (bits >>> 20) & 31, 0, 4);
  }
  return illegal(bits, 4);
}

/** Decodes a 16-bit compressed instruction found at `pc` into its 32-bit equivalent. */
export function decode16(bits: number, pc: number): Decoded {
  bits &= 0xffff;
  const quadrant = bits & 3;
  const f3 = bits >>> 13;
  const b12 = (bits >>> 12) & 1;
  const rdFull = (bits >>> 7) & 31;
  const rs2Full = (bits >>> 2) & 31;
  const rdP = 8 + ((bits >>> 7) & 7); // rd' / rs1'
  const rs2P = 8 + ((bits >>> 2) & 7); // rs2' / rd'
  const imm6 = ((-b12) << 5) | rs2Full; // sign-extended imm[5] | imm[4:0]
  if (bits === 0) return illegal(bits, 2);
  if (quadrant === 0) {
    const offW = (((bits >>> 10) & 7) << 3) | (((bits >>> 6) & 1) << 2) | (((bits >>> 5) & 1) << 6);
    switch (f3) {
      case 0: { // C.ADDI4SPN
        const uimm = (((bits >>> 11) & 3) << 4) | (((bits >>> 7) & 0xf) << 6) | (((bits >>> 6) & 1) << 2) | (((bits >>> 5) & 1) << 3);
        return uimm === 0 ? illegal(bits, 2) : d(Op.Addi, rs2P, 2, 0, uimm, 2);
      }
      case 2: return d(Op.Lw, rs2P, rdP, 0, offW, 2); // C.LW
      case 6: return d(Op.Sw, 0, rdP, rs2P, offW, 2); // C.SW
      default: return illegal(bits, 2);
    }
  }
  if (quadrant === 1) {
    switch (f3) {
      case 0: return d(Op.Addi, rdFull, rdFull, 0, imm6, 2); // C.ADDI / C.NOP
      case 1: return d(Op.Jal, 1, 0, 0, pc + compressedJumpOffset(bits), 2); // C.JAL
      case 2: return d(Op.Addi, rdFull, 0, 0, imm6, 2); // C.LI
      case 3:
        if (rdFull === 2) { // C.ADDI16SP
          const imm = ((-b12) << 9) | (((bits >>> 6) & 1) << 4) | (((bits >>> 5) & 1) << 6) | (((bits >>> 3) & 3) << 7) | (((bits >>> 2) & 1) << 5);
          return imm === 0 ? illegal(bits, 2) : d(Op.Addi, 2, 2, 0, imm, 2);
        }
        // C.LUI
        return imm6 === 0 ? illegal(bits, 2) : d(Op.Li, rdFull, 0, 0, imm6 << 12, 2);
      case 4: {
        const f2 = (bits >>> 10) & 3;
        if (f2 === 0) return b12 ? illegal(bits, 2) : d(Op.Srli, rdP, rdP, 0, rs2Full, 2); // C.SRLI
        if (f2 === 1) return b12 ? illegal(bits, 2) : d(Op.Srai, rdP, rdP, 0, rs2Full, 2); // C.SRAI
        if (f2 === 2) return d(Op.Andi, rdP, rdP, 0, imm6, 2); // C.ANDI
        if (b12) return illegal(bits, 2); // C.SUBW / C.ADDW are RV64 only
        const op = [Op.Sub, Op.Xor, Op.Or, Op.And][(bits >>> 5) & 3];
        return d(op, rdP, rdP, rs2P, 0, 2);
      }
      case 5: return d(Op.Jal, 0, 0, 0, pc + compressedJumpOffset(bits), 2); // C.J
      case 6: return d(Op.Beq, 0, rdP, 0, pc + compressedBranchOffset(bits), 2); // C.BEQZ
      default: return d(Op.Bne, 0, rdP, 0, pc + compressedBranchOffset(bits), 2); // C.BNEZ
    }
  }
  if (quadrant === 2) {
    switch (f3) {
      case 0: return b12 ? illegal(bits, 2) : d(Op.Slli, rdFull, rdFull, 0, rs2Full, 2); // C.SLLI
      case 2: { // C.LWSP
        const off = (b12 << 5) | (((bits >>> 4) & 7) << 2) | (((bits >>> 2) & 3) << 6);
        return rdFull === 0 ? illegal(bits, 2) : d(Op.Lw, rdFull, 2, 0, off, 2);
      }
      case 4:
        if (!b12) {
          if (rs2Full === 0) return rdFull === 0 ? illegal(bits, 2) : d(Op.Jalr, 0, rdFull, 0, 0, 2); // C.JR
          return d(Op.Add, rdFull, 0, rs2Full, 0, 2); // C.MV
        }
        if (rs2Full === 0) {
          if (rdFull === 0) return d(Op.Ebreak, 0, 0, 0, 0, 2); // C.EBREAK
          return d(Op.Jalr, 1, rdFull, 0, 0, 2); // C.JALR
        }
        return d(Op.Add, rdFull, rdFull, rs2Full, 0, 2); // C.ADD
      case 6: { // C.SWSP
        const off = (((bits >>> 9) & 0xf) << 2) | (((bits >>> 7) & 3) << 6);
        return d(Op.Sw, 0, 2, rs2Full, off, 2);
      }
      default: return illegal(bits, 2);
    }
  }
  return illegal(bits, 2);
}

function compressedJumpOffset(bits: number): number {
  const b = (n: number) => (bits >>> n) & 1;
  return ((-b(12)) << 11) | (b(11) << 4) | (((bits >>> 9) & 3) << 8) | (b(8) << 10) | (b(7) << 6) | (b(6) << 7) | (((bits >>> 3) & 7) << 1) | (b(2) << 5);
}

function compressedBranchOffset(bits: number): number {
  const b = (n: number) => (bits >>> n) & 1;
  return ((-b(12)) << 8) | (((bits >>> 10) & 3) << 3) | (((bits >>> 5) & 3) << 6) | (((bits >>> 3) & 3) << 1) | (b(2) << 5);
}
