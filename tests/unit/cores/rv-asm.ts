// A tiny RV32IMAC + Zicsr/Zifencei assembler: each helper returns one instruction's bits as a number.
//
// Operands follow assembly order: `lw(rd, offset, rs1)` is `lw rd, offset(rs1)`, `sw(rs2, offset, rs1)`
// is `sw rs2, offset(rs1)`, `sc_w(rd, rs2, rs1)` is `sc.w rd, rs2, (rs1)`. Branch and jump offsets are
// relative to the instruction itself. Helpers check field widths and alignment only, so reserved code
// points (C.LUI with 0, C.SRLI with shamt[5] = 1...) can be encoded on purpose. A 32-bit instruction
// is returned unsigned; a compressed one is a 16-bit number whose low two bits are not 11.

// ---------------------------------------------------------------- registers (ABI names)

export const ZERO = 0, RA = 1, SP = 2, GP = 3, TP = 4;
export const T0 = 5, T1 = 6, T2 = 7, S0 = 8, S1 = 9;
export const A0 = 10, A1 = 11, A2 = 12, A3 = 13, A4 = 14, A5 = 15, A6 = 16, A7 = 17;
export const S2 = 18, S3 = 19, S4 = 20, S5 = 21, S6 = 22, S7 = 23, S8 = 24, S9 = 25, S10 = 26, S11 = 27;
export const T3 = 28, T4 = 29, T5 = 30, T6 = 31;

// ---------------------------------------------------------------- field checks

function reg(r: number): number {
  if (!Number.isInteger(r) || r < 0 || r > 31) throw new RangeError(`not a register: ${r}`);
  return r;
}

/** A register of the compressed 3-bit fields (x8..x15), as its field value 0..7. */
function cReg(r: number): number {
  if (!Number.isInteger(r) || r < 8 || r > 15) throw new RangeError(`compressed forms need x8..x15, got x${r}`);
  return r - 8;
}

function signed(value: number, bits: number, what: string): number {
  const min = -(2 ** (bits - 1));
  if (!Number.isInteger(value) || value < min || value >= -min) throw new RangeError(`${what} ${value} does not fit ${bits} signed bits`);
  return value;
}

function unsigned(value: number, bits: number, what: string): number {
  if (!Number.isInteger(value) || value < 0 || value >= 2 ** bits) throw new RangeError(`${what} ${value} does not fit ${bits} unsigned bits`);
  return value;
}

function aligned(value: number, to: number, what: string): number {
  if (value % to !== 0) throw new RangeError(`${what} ${value} is not a multiple of ${to}`);
  return value;
}

/** Bit `n` of `v`, or bits hi..lo of `v` shifted down. */
const bit = (v: number, n: number): number => (v >>> n) & 1;
const bits = (v: number, hi: number, lo: number): number => (v >>> lo) & ((1 << (hi - lo + 1)) - 1);

// ---------------------------------------------------------------- 32-bit formats

export function rType(funct7: number, rs2: number, rs1: number, funct3: number, rd: number, opcode: number): number {
  return ((unsigned(funct7, 7, 'funct7') << 25) | (reg(rs2) << 20) | (reg(rs1) << 15) |
    (unsigned(funct3, 3, 'funct3') << 12) | (reg(rd) << 7) | unsigned(opcode, 7, 'opcode')) >>> 0;
}

export function iType(imm: number, rs1: number, funct3: number, rd: number, opcode: number): number {
  signed(imm, 12, 'immediate');
  return (((imm & 0xfff) << 20) | (reg(rs1) << 15) | (unsigned(funct3, 3, 'funct3') << 12) |
    (reg(rd) << 7) | unsigned(opcode, 7, 'opcode')) >>> 0;
}

export function sType(imm: number, rs2: number, rs1: number, funct3: number, opcode: number): number {
  signed(imm, 12, 'offset');
  return ((bits(imm, 11, 5) << 25) | (reg(rs2) << 20) | (reg(rs1) << 15) | (unsigned(funct3, 3, 'funct3') << 12) |
    (bits(imm, 4, 0) << 7) | unsigned(opcode, 7, 'opcode')) >>> 0;
}

export function bType(offset: number, rs2: number, rs1: number, funct3: number, opcode: number): number {
  aligned(signed(offset, 13, 'branch offset'), 2, 'branch offset');
  return ((bit(offset, 12) << 31) | (bits(offset, 10, 5) << 25) | (reg(rs2) << 20) | (reg(rs1) << 15) |
    (unsigned(funct3, 3, 'funct3') << 12) | (bits(offset, 4, 1) << 8) | (bit(offset, 11) << 7) |
    unsigned(opcode, 7, 'opcode')) >>> 0;
}

/** `imm20` is the value of bits 31:12 (as `lui rd, imm20` writes it), signed or unsigned. */
export function uType(imm20: number, rd: number, opcode: number): number {
  if (!Number.isInteger(imm20) || imm20 < -(2 ** 19) || imm20 >= 2 ** 20) throw new RangeError(`upper immediate ${imm20} does not fit 20 bits`);
  return (((imm20 & 0xfffff) << 12) | (reg(rd) << 7) | unsigned(opcode, 7, 'opcode')) >>> 0;
}

export function jType(offset: number, rd: number, opcode: number): number {
  aligned(signed(offset, 21, 'jump offset'), 2, 'jump offset');
  return ((bit(offset, 20) << 31) | (bits(offset, 10, 1) << 21) | (bit(offset, 11) << 20) |
    (bits(offset, 19, 12) << 12) | (reg(rd) << 7) | unsigned(opcode, 7, 'opcode')) >>> 0;
}

const OP_LUI = 0x37, OP_AUIPC = 0x17, OP_JAL = 0x6f, OP_JALR = 0x67, OP_BRANCH = 0x63, OP_LOAD = 0x03;
const OP_STORE = 0x23, OP_IMM = 0x13, OP_OP = 0x33, OP_MISC_MEM = 0x0f, OP_SYSTEM = 0x73, OP_AMO = 0x2f;

// ---------------------------------------------------------------- RV32I

export const lui = (rd: number, imm20: number): number => uType(imm20, rd, OP_LUI);
export const auipc = (rd: number, imm20: number): number => uType(imm20, rd, OP_AUIPC);
export const jal = (rd: number, offset: number): number => jType(offset, rd, OP_JAL);
export const jalr = (rd: number, rs1: number, imm: number): number => iType(imm, rs1, 0, rd, OP_JALR);

export const beq = (rs1: number, rs2: number, offset: number): number => bType(offset, rs2, rs1, 0, OP_BRANCH);
export const bne = (rs1: number, rs2: number, offset: number): number => bType(offset, rs2, rs1, 1, OP_BRANCH);
export const blt = (rs1: number, rs2: number, offset: number): number => bType(offset, rs2, rs1, 4, OP_BRANCH);
export const bge = (rs1: number, rs2: number, offset: number): number => bType(offset, rs2, rs1, 5, OP_BRANCH);
export const bltu = (rs1: number, rs2: number, offset: number): number => bType(offset, rs2, rs1, 6, OP_BRANCH);
export const bgeu = (rs1: number, rs2: number, offset: number): number => bType(offset, rs2, rs1, 7, OP_BRANCH);

export const lb = (rd: number, offset: number, rs1: number): number => iType(offset, rs1, 0, rd, OP_LOAD);
export const lh = (rd: number, offset: number, rs1: number): number => iType(offset, rs1, 1, rd, OP_LOAD);
export const lw = (rd: number, offset: number, rs1: number): number => iType(offset, rs1, 2, rd, OP_LOAD);
export const lbu = (rd: number, offset: number, rs1: number): number => iType(offset, rs1, 4, rd, OP_LOAD);
export const lhu = (rd: number, offset: number, rs1: number): number => iType(offset, rs1, 5, rd, OP_LOAD);

export const sb = (rs2: number, offset: number, rs1: number): number => sType(offset, rs2, rs1, 0, OP_STORE);
export const sh = (rs2: number, offset: number, rs1: number): number => sType(offset, rs2, rs1, 1, OP_STORE);
export const sw = (rs2: number, offset: number, rs1: number): number => sType(offset, rs2, rs1, 2, OP_STORE);

export const addi = (rd: number, rs1: number, imm: number): number => iType(imm, rs1, 0, rd, OP_IMM);
export const slti = (rd: number, rs1: number, imm: number): number => iType(imm, rs1, 2, rd, OP_IMM);
export const sltiu = (rd: number, rs1: number, imm: number): number => iType(imm, rs1, 3, rd, OP_IMM);
export const xori = (rd: number, rs1: number, imm: number): number => iType(imm, rs1, 4, rd, OP_IMM);
export const ori = (rd: number, rs1: number, imm: number): number => iType(imm, rs1, 6, rd, OP_IMM);
export const andi = (rd: number, rs1: number, imm: number): number => iType(imm, rs1, 7, rd, OP_IMM);
export const slli = (rd: number, rs1: number, shamt: number): number => rType(0, unsigned(shamt, 5, 'shamt'), rs1, 1, rd, OP_IMM);
export const srli = (rd: number, rs1: number, shamt: number): number => rType(0, unsigned(shamt, 5, 'shamt'), rs1, 5, rd, OP_IMM);
export const srai = (rd: number, rs1: number, shamt: number): number => rType(0x20, unsigned(shamt, 5, 'shamt'), rs1, 5, rd, OP_IMM);

export const add = (rd: number, rs1: number, rs2: number): number => rType(0, rs2, rs1, 0, rd, OP_OP);
export const sub = (rd: number, rs1: number, rs2: number): number => rType(0x20, rs2, rs1, 0, rd, OP_OP);
export const sll = (rd: number, rs1: number, rs2: number): number => rType(0, rs2, rs1, 1, rd, OP_OP);
export const slt = (rd: number, rs1: number, rs2: number): number => rType(0, rs2, rs1, 2, rd, OP_OP);
export const sltu = (rd: number, rs1: number, rs2: number): number => rType(0, rs2, rs1, 3, rd, OP_OP);
export const xor = (rd: number, rs1: number, rs2: number): number => rType(0, rs2, rs1, 4, rd, OP_OP);
export const srl = (rd: number, rs1: number, rs2: number): number => rType(0, rs2, rs1, 5, rd, OP_OP);
export const sra = (rd: number, rs1: number, rs2: number): number => rType(0x20, rs2, rs1, 5, rd, OP_OP);
export const or = (rd: number, rs1: number, rs2: number): number => rType(0, rs2, rs1, 6, rd, OP_OP);
export const and = (rd: number, rs1: number, rs2: number): number => rType(0, rs2, rs1, 7, rd, OP_OP);

/** FENCE with predecessor and successor sets as 4-bit IORW masks. */
export const fence = (pred = 0b1111, succ = 0b1111): number =>
  ((unsigned(pred, 4, 'pred') << 24) | (unsigned(succ, 4, 'succ') << 20) | OP_MISC_MEM) >>> 0;
export const fence_i = (): number => (1 << 12) | OP_MISC_MEM;

export const ecall = (): number => 0x00000073;
export const ebreak = (): number => 0x00100073;

// ---------------------------------------------------------------- M

export const mul = (rd: number, rs1: number, rs2: number): number => rType(1, rs2, rs1, 0, rd, OP_OP);
export const mulh = (rd: number, rs1: number, rs2: number): number => rType(1, rs2, rs1, 1, rd, OP_OP);
export const mulhsu = (rd: number, rs1: number, rs2: number): number => rType(1, rs2, rs1, 2, rd, OP_OP);
export const mulhu = (rd: number, rs1: number, rs2: number): number => rType(1, rs2, rs1, 3, rd, OP_OP);
export const div = (rd: number, rs1: number, rs2: number): number => rType(1, rs2, rs1, 4, rd, OP_OP);
export const divu = (rd: number, rs1: number, rs2: number): number => rType(1, rs2, rs1, 5, rd, OP_OP);
export const rem = (rd: number, rs1: number, rs2: number): number => rType(1, rs2, rs1, 6, rd, OP_OP);
export const remu = (rd: number, rs1: number, rs2: number): number => rType(1, rs2, rs1, 7, rd, OP_OP);

// ---------------------------------------------------------------- A

export interface Ordering {
  aq?: boolean;
  rl?: boolean;
}

function amo(funct5: number, rd: number, rs2: number, rs1: number, ordering: Ordering = {}): number {
  const funct7 = (funct5 << 2) | (ordering.aq ? 2 : 0) | (ordering.rl ? 1 : 0);
  return rType(funct7, rs2, rs1, 2, rd, OP_AMO);
}

export const lr_w = (rd: number, rs1: number, ordering?: Ordering): number => amo(0x02, rd, 0, rs1, ordering);
export const sc_w = (rd: number, rs2: number, rs1: number, ordering?: Ordering): number => amo(0x03, rd, rs2, rs1, ordering);
export const amoswap_w = (rd: number, rs2: number, rs1: number, ordering?: Ordering): number => amo(0x01, rd, rs2, rs1, ordering);
export const amoadd_w = (rd: number, rs2: number, rs1: number, ordering?: Ordering): number => amo(0x00, rd, rs2, rs1, ordering);
export const amoxor_w = (rd: number, rs2: number, rs1: number, ordering?: Ordering): number => amo(0x04, rd, rs2, rs1, ordering);
export const amoand_w = (rd: number, rs2: number, rs1: number, ordering?: Ordering): number => amo(0x0c, rd, rs2, rs1, ordering);
export const amoor_w = (rd: number, rs2: number, rs1: number, ordering?: Ordering): number => amo(0x08, rd, rs2, rs1, ordering);
export const amomin_w = (rd: number, rs2: number, rs1: number, ordering?: Ordering): number => amo(0x10, rd, rs2, rs1, ordering);
export const amomax_w = (rd: number, rs2: number, rs1: number, ordering?: Ordering): number => amo(0x14, rd, rs2, rs1, ordering);
export const amominu_w = (rd: number, rs2: number, rs1: number, ordering?: Ordering): number => amo(0x18, rd, rs2, rs1, ordering);
export const amomaxu_w = (rd: number, rs2: number, rs1: number, ordering?: Ordering): number => amo(0x1c, rd, rs2, rs1, ordering);

// ---------------------------------------------------------------- Zicsr and privileged

function csrType(csr: number, rs1OrZimm: number, funct3: number, rd: number): number {
  return ((unsigned(csr, 12, 'CSR number') << 20) | (unsigned(rs1OrZimm, 5, 'rs1/zimm') << 15) |
    (funct3 << 12) | (reg(rd) << 7) | OP_SYSTEM) >>> 0;
}

export const csrrw = (rd: number, csr: number, rs1: number): number => csrType(csr, rs1, 1, rd);
export const csrrs = (rd: number, csr: number, rs1: number): number => csrType(csr, rs1, 2, rd);
export const csrrc = (rd: number, csr: number, rs1: number): number => csrType(csr, rs1, 3, rd);
export const csrrwi = (rd: number, csr: number, zimm: number): number => csrType(csr, zimm, 5, rd);
export const csrrsi = (rd: number, csr: number, zimm: number): number => csrType(csr, zimm, 6, rd);
export const csrrci = (rd: number, csr: number, zimm: number): number => csrType(csr, zimm, 7, rd);

export const mret = (): number => 0x30200073;
export const sret = (): number => 0x10200073;
export const wfi = (): number => 0x10500073;
export const sfence_vma = (rs1 = 0, rs2 = 0): number => rType(0x09, rs2, rs1, 0, 0, OP_SYSTEM);

// ---------------------------------------------------------------- pseudo-instructions

export const nop = (): number => addi(ZERO, ZERO, 0);
export const mv = (rd: number, rs1: number): number => addi(rd, rs1, 0);
export const j = (offset: number): number => jal(ZERO, offset);
export const ret = (): number => jalr(ZERO, RA, 0);
export const csrr = (rd: number, csr: number): number => csrrs(rd, csr, ZERO);
export const csrw = (csr: number, rs1: number): number => csrrw(ZERO, csr, rs1);
export const csrs = (csr: number, rs1: number): number => csrrs(ZERO, csr, rs1);
export const csrc = (csr: number, rs1: number): number => csrrc(ZERO, csr, rs1);
export const csrwi = (csr: number, zimm: number): number => csrrwi(ZERO, csr, zimm);
export const csrsi = (csr: number, zimm: number): number => csrrsi(ZERO, csr, zimm);
export const csrci = (csr: number, zimm: number): number => csrrci(ZERO, csr, zimm);

/** `li rd, value` for any 32-bit value, always as LUI + ADDI (two instructions). */
export function li(rd: number, value: number): [number, number] {
  const lo = (value << 20) >> 20;
  const hi = ((value - lo) >>> 12) & 0xfffff;
  return [lui(rd, hi), addi(rd, rd, lo)];
}

// ---------------------------------------------------------------- RV32C

/** CI: funct3 | imm[5] | rd | imm[4:0] | op, with a 6-bit signed immediate. */
function ciSigned(funct3: number, rd: number, imm: number, op: number): number {
  signed(imm, 6, 'immediate');
  return (funct3 << 13) | (bit(imm, 5) << 12) | (reg(rd) << 7) | (bits(imm, 4, 0) << 2) | op;
}

/** CJ offset field (bits 12:2): offset[11|4|9:8|10|6|7|3:1|5]. */
function cjOffset(offset: number): number {
  aligned(signed(offset, 12, 'jump offset'), 2, 'jump offset');
  return (bit(offset, 11) << 12) | (bit(offset, 4) << 11) | (bits(offset, 9, 8) << 9) | (bit(offset, 10) << 8) |
    (bit(offset, 6) << 7) | (bit(offset, 7) << 6) | (bits(offset, 3, 1) << 3) | (bit(offset, 5) << 2);
}

/** CB branch: offset[8|4:3] in 12:10, offset[7:6|2:1|5] in 6:2. */
function cbBranch(funct3: number, rs1: number, offset: number): number {
  aligned(signed(offset, 9, 'branch offset'), 2, 'branch offset');
  return (funct3 << 13) | (bit(offset, 8) << 12) | (bits(offset, 4, 3) << 10) | (cReg(rs1) << 7) |
    (bits(offset, 7, 6) << 5) | (bits(offset, 2, 1) << 3) | (bit(offset, 5) << 2) | 1;
}

/** CB shift/andi: 100 | imm[5] | funct2 | rd' | imm[4:0] | 01. */
function cbArith(funct2: number, rd: number, imm: number): number {
  return (0b100 << 13) | (bit(imm, 5) << 12) | (funct2 << 10) | (cReg(rd) << 7) | (bits(imm, 4, 0) << 2) | 1;
}

/** CL/CS word offset: offset[5:3] in 12:10, offset[2] in 6, offset[6] in 5. */
function clsOffset(offset: number): number {
  aligned(unsigned(offset, 7, 'offset'), 4, 'offset');
  return (bits(offset, 5, 3) << 10) | (bit(offset, 2) << 6) | (bit(offset, 6) << 5);
}

/** CA: 100011 | rd' | funct2 | rs2' | 01. */
function caType(funct2: number, rd: number, rs2: number): number {
  return (0b100011 << 10) | (cReg(rd) << 7) | (funct2 << 5) | (cReg(rs2) << 2) | 1;
}

// Quadrant 0
export function c_addi4spn(rd: number, uimm: number): number {
  aligned(unsigned(uimm, 10, 'immediate'), 4, 'immediate');
  return (bits(uimm, 5, 4) << 11) | (bits(uimm, 9, 6) << 7) | (bit(uimm, 2) << 6) | (bit(uimm, 3) << 5) | (cReg(rd) << 2);
}
export const c_lw = (rd: number, offset: number, rs1: number): number => (0b010 << 13) | clsOffset(offset) | (cReg(rs1) << 7) | (cReg(rd) << 2);
export const c_sw = (rs2: number, offset: number, rs1: number): number => (0b110 << 13) | clsOffset(offset) | (cReg(rs1) << 7) | (cReg(rs2) << 2);

// Quadrant 1
export const c_nop = (): number => 0x0001;
export const c_addi = (rd: number, imm: number): number => ciSigned(0b000, rd, imm, 1);
export const c_jal = (offset: number): number => (0b001 << 13) | cjOffset(offset) | 1;
export const c_li = (rd: number, imm: number): number => ciSigned(0b010, rd, imm, 1);
/** `c.lui rd, imm` loads imm << 12 for a 6-bit signed imm (rd must not be sp: that is C.ADDI16SP). */
export function c_lui(rd: number, imm: number): number {
  if (rd === SP) throw new RangeError('c.lui with rd = sp encodes c.addi16sp');
  return ciSigned(0b011, rd, imm, 1);
}
export function c_addi16sp(imm: number): number {
  aligned(signed(imm, 10, 'immediate'), 16, 'immediate');
  return (0b011 << 13) | (bit(imm, 9) << 12) | (SP << 7) | (bit(imm, 4) << 6) | (bit(imm, 6) << 5) |
    (bits(imm, 8, 7) << 3) | (bit(imm, 5) << 2) | 1;
}
/** Shift amounts 32..63 encode the shamt[5] = 1 code points, reserved on RV32. */
export const c_srli = (rd: number, shamt: number): number => cbArith(0b00, rd, unsigned(shamt, 6, 'shamt'));
export const c_srai = (rd: number, shamt: number): number => cbArith(0b01, rd, unsigned(shamt, 6, 'shamt'));
export const c_andi = (rd: number, imm: number): number => cbArith(0b10, rd, signed(imm, 6, 'immediate'));
export const c_sub = (rd: number, rs2: number): number => caType(0b00, rd, rs2);
export const c_xor = (rd: number, rs2: number): number => caType(0b01, rd, rs2);
export const c_or = (rd: number, rs2: number): number => caType(0b10, rd, rs2);
export const c_and = (rd: number, rs2: number): number => caType(0b11, rd, rs2);
export const c_j = (offset: number): number => (0b101 << 13) | cjOffset(offset) | 1;
export const c_beqz = (rs1: number, offset: number): number => cbBranch(0b110, rs1, offset);
export const c_bnez = (rs1: number, offset: number): number => cbBranch(0b111, rs1, offset);

// Quadrant 2
export function c_slli(rd: number, shamt: number): number {
  unsigned(shamt, 6, 'shamt');
  return (bit(shamt, 5) << 12) | (reg(rd) << 7) | (bits(shamt, 4, 0) << 2) | 2;
}
export function c_lwsp(rd: number, offset: number): number {
  aligned(unsigned(offset, 8, 'offset'), 4, 'offset');
  return (0b010 << 13) | (bit(offset, 5) << 12) | (reg(rd) << 7) | (bits(offset, 4, 2) << 4) | (bits(offset, 7, 6) << 2) | 2;
}
export function c_swsp(rs2: number, offset: number): number {
  aligned(unsigned(offset, 8, 'offset'), 4, 'offset');
  return (0b110 << 13) | (bits(offset, 5, 2) << 9) | (bits(offset, 7, 6) << 7) | (reg(rs2) << 2) | 2;
}
export const c_jr = (rs1: number): number => (0b1000 << 12) | (reg(rs1) << 7) | 2;
export const c_mv = (rd: number, rs2: number): number => (0b1000 << 12) | (reg(rd) << 7) | (reg(rs2) << 2) | 2;
export const c_ebreak = (): number => 0x9002;
export const c_jalr = (rs1: number): number => (0b1001 << 12) | (reg(rs1) << 7) | 2;
export const c_add = (rd: number, rs2: number): number => (0b1001 << 12) | (reg(rd) << 7) | (reg(rs2) << 2) | 2;

/** Byte length of an encoded instruction: 2 when its low two bits are not 11. */
export function lengthOf(instruction: number): 2 | 4 {
  return (instruction & 3) === 3 ? 4 : 2;
}
