// Operation ids of decoded instructions; compressed forms decode to the same ids.

export const enum Op {
  Undecoded = 0,
  Illegal,
  Li, // lui, auipc, c.lui: the value is folded in at decode time
  Jal, Jalr,
  Beq, Bne, Blt, Bge, Bltu, Bgeu,
  Lb, Lh, Lw, Lbu, Lhu,
  Sb, Sh, Sw,
  Addi, Slti, Sltiu, Xori, Ori, Andi, Slli, Srli, Srai,
  Add, Sub, Sll, Slt, Sltu, Xor, Srl, Sra, Or, And,
  Mul, Mulh, Mulhsu, Mulhu, Div, Divu, Rem, Remu,
  Fence, FenceI,
  Ecall, Ebreak, Mret, Sret, Wfi, SfenceVma,
  Csrrw, Csrrs, Csrrc, Csrrwi, Csrrsi, Csrrci,
  LrW, ScW, AmoSwap, AmoAdd, AmoXor, AmoAnd, AmoOr, AmoMin, AmoMax, AmoMinu, AmoMaxu,
  FetchFault, // a 32-bit instruction whose upper half lies outside RAM
  PendingFault, // a fetch that failed translation or PMP: the pending trap is taken here
}

/** Register index that swallows writes to x0, so the hot loop needs no rd != 0 test. */
export const DISCARD_REGISTER = 32;

/**
 * A decoded instruction is two int32 words: `packed` and `imm`.
 * packed = op | rd << 8 | rs1 << 14 | rs2 << 19 | length << 24
 */
export function pack(op: Op, rd: number, rs1: number, rs2: number, length: 2 | 4): number {
  return op | ((rd === 0 ? DISCARD_REGISTER : rd) << 8) | (rs1 << 14) | (rs2 << 19) | (length << 24);
}
