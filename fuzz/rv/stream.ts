// Random RV32IMAC (+Zicsr, privileged) instruction streams: mostly well-formed instructions of
// every class, with loads, stores and AMOs based on registers the prologue points at RAM edges,
// every device, the channel window and unmapped space; plus raw words and compressed parcels.

import type { Rng } from '../prng.js';
import { Asm } from './asm.js';
import { buildElf } from './elf-writer.js';
import { bType, CSR, csrrw, iType, jal, MRET, Op, rType, sType, sw, uType, WFI, wordsToBytes, addi } from './encode.js';

export interface StreamShape {
  /** The fuzzed VM's RAM size (its guest RAM starts at 0x80000000). */
  ramBytes: number;
  /** Guest-physical address of the VM's channel window (mapped read-write). */
  window: number;
  windowBytes: number;
}

const RAM_BASE = 0x8000_0000;
const HANDLER = RAM_BASE + 0x200;
const STREAM = RAM_BASE + 0x300;
/** Scratch registers the stream writes; base registers (x16..x31) are written only now and then. */
const SCRATCH = [1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 13, 14, 15];
const BASES = Array.from({ length: 16 }, (_, i) => 16 + i);

const CSRS = [...Object.values(CSR), 0x3a1, 0x3a2, 0x3a3, 0x3b1, 0x3bf, 0x320, 0xb03, 0xb1f, 0xc03, 0x7a1, 0x5a8, 0x600, 0x680, 0xfff];

/** Addresses the base registers start at: where isolation and device decoding are decided. */
function interestingAddresses(shape: StreamShape): number[] {
  const ramEnd = RAM_BASE + shape.ramBytes;
  return [
    RAM_BASE, RAM_BASE + 0x1000, STREAM, HANDLER, ramEnd - 4, ramEnd - 1, ramEnd, ramEnd + 0x1000, ramEnd + 0x10_0000, RAM_BASE - 4,
    0x0010_0000, 0x0200_0000, 0x0200_4000, 0x0200_bff8, 0x0400_0000, 0x0400_0020, 0x0400_0040, 0x0400_0060, 0x0400_0100, 0x0410_0000,
    0x0c00_0000, 0x0c00_2000, 0x0c20_0000, 0x0c20_0004, 0x1000_0000, 0x1000_0005, shape.window, shape.window + shape.windowBytes - 4,
    shape.window + shape.windowBytes, 0, 4, 0xffff_fffc, 0x7fff_f000, 0xffff_f000, 0x4000_0000,
  ];
}

/** A whole guest: prologue, trap handler, stream; `variant` describes its choices (one line). */
export function streamElf(rng: Rng, shape: StreamShape): { elf: Uint8Array; variant: string } {
  const prologue = new Asm(RAM_BASE);
  const handlerKind = rng.weighted([[6, 'skip'], [2, 'exit'], [1, 'random'], [1, 'none']] as const);
  const mode = rng.weighted([[6, 'M'], [2, 'S'], [2, 'U']] as const);
  const count = 16 + rng.size(11);
  if (handlerKind === 'skip' || handlerKind === 'exit') prologue.li(5, HANDLER).emit(csrrw(0, CSR.mtvec, 5));
  if (handlerKind === 'random') prologue.li(5, rng.u32()).emit(csrrw(0, CSR.mtvec, 5));
  if (mode !== 'M') {
    // Open PMP over everything (else S and U fault on every access), delegate some traps, drop to the mode.
    prologue.li(5, 0xffff_ffff).emit(csrrw(0, CSR.pmpaddr0, 5)).li(5, 0x1f).emit(csrrw(0, CSR.pmpcfg0, 5));
    if (rng.chance(0.5)) prologue.li(5, rng.u32() & 0xb3ff).emit(csrrw(0, CSR.medeleg, 5));
    prologue.li(5, mode === 'S' ? 0x800 : 0).emit(csrrw(0, CSR.mstatus, 5)).li(5, STREAM).emit(csrrw(0, CSR.mepc, 5));
  }
  const addresses = interestingAddresses(shape);
  for (const r of BASES) prologue.li(r, rng.chance(0.85) ? rng.pick(addresses) + rng.pick([0, 0, 0, 4, 8, -4, 0x100]) : rng.u32());
  for (const r of SCRATCH) if (r !== 2 && rng.chance(0.5)) prologue.li(r, rng.u32());
  prologue.emit(mode === 'M' ? jal(0, STREAM - prologue.here) : MRET);
  const prologueBytes = wordsToBytes(prologue.assemble());
  if (prologueBytes.length > HANDLER - RAM_BASE) throw new Error('stream prologue too long');

  const handler = new Asm(HANDLER);
  if (handlerKind === 'exit') handler.li(31, 0x0010_0000).li(30, 0x5555).emit(sw(30, 31, 0));
  // mepc += 4 and return: the stream goes on after whatever trapped.
  handler.emit(iType(Op.System, 31, 2, 0, CSR.mepc), addi(31, 31, 4), csrrw(0, CSR.mepc, 31), MRET);

  const parcels: number[] = [];
  for (let i = 0; i < count; i++) emitInstruction(rng, parcels, count);
  if (rng.chance(0.7)) pushWord(parcels, jal(0, -parcels.length * 2));
  const stream = new Uint8Array(parcels.length * 2);
  parcels.forEach((p, i) => { stream[i * 2] = p & 0xff; stream[i * 2 + 1] = p >>> 8; });

  const image = new Uint8Array(STREAM - RAM_BASE + stream.length);
  image.set(prologueBytes, 0);
  image.set(wordsToBytes(handler.assemble()), HANDLER - RAM_BASE);
  image.set(stream, STREAM - RAM_BASE);
  return { elf: buildElf(RAM_BASE, [{ paddr: RAM_BASE, data: image }]), variant: `${count} instructions in ${mode} mode, handler ${handlerKind}` };
}

function pushWord(parcels: number[], word: number): void {
  parcels.push(word & 0xffff, word >>> 16);
}

const rd = (rng: Rng) => (rng.chance(0.9) ? rng.pick(SCRATCH) : rng.below(32));
const rs = (rng: Rng) => rng.below(32);
const base = (rng: Rng) => (rng.chance(0.85) ? rng.pick(BASES) : rng.below(32));
const imm12 = (rng: Rng) => (rng.chance(0.7) ? rng.between(-64, 64) : rng.between(-2048, 2047));

function emitInstruction(rng: Rng, parcels: number[], count: number): void {
  const kind = rng.weighted([
    [12, 'alu-imm'], [12, 'alu'], [3, 'upper'], [12, 'load'], [12, 'store'], [7, 'amo'], [6, 'branch'], [3, 'jump'],
    [8, 'csr'], [4, 'system'], [2, 'fence'], [8, 'compressed'], [3, 'raw'],
  ] as const);
  const span = Math.max(8, count * 2);
  switch (kind) {
    case 'alu-imm': {
      const f3 = rng.below(8);
      const imm = f3 === 1 ? rng.below(32) : f3 === 5 ? rng.below(32) | (rng.chance(0.5) ? 0x400 : 0) : imm12(rng);
      return pushWord(parcels, iType(Op.OpImm, rd(rng), f3, rs(rng), imm));
    }
    case 'alu': {
      const f7 = rng.weighted([[5, 0], [2, 0x20], [4, 1], [1, rng.below(128)]] as const);
      return pushWord(parcels, rType(Op.Op, rd(rng), rng.below(8), rs(rng), rs(rng), f7));
    }
    case 'upper':
      return pushWord(parcels, uType(rng.chance(0.5) ? Op.Lui : Op.Auipc, rd(rng), rng.u32() >>> 12));
    case 'load':
      return pushWord(parcels, iType(Op.Load, rd(rng), rng.chance(0.9) ? rng.pick([0, 1, 2, 4, 5]) : rng.below(8), base(rng), imm12(rng)));
    case 'store':
      return pushWord(parcels, sType(Op.Store, rng.chance(0.9) ? rng.below(3) : rng.below(8), base(rng), rs(rng), imm12(rng)));
    case 'amo': {
      const funct5 = rng.pick([0x02, 0x03, 0x01, 0x00, 0x04, 0x0c, 0x08, 0x10, 0x14, 0x18, 0x1c, rng.below(32)]);
      const rs2 = funct5 === 0x02 ? 0 : rs(rng);
      return pushWord(parcels, rType(Op.Amo, rd(rng), rng.chance(0.9) ? 2 : rng.below(8), base(rng), rs2, (funct5 << 2) | rng.below(4)));
    }
    case 'branch': {
      const offset = (rng.chance(0.8) ? rng.between(-span, span) : rng.between(-4096, 4094)) & ~1;
      return pushWord(parcels, bType(rng.pick([0, 1, 4, 5, 6, 7, 2]), rs(rng), rs(rng), offset));
    }
    case 'jump': {
      if (rng.chance(0.5)) return pushWord(parcels, jal(rng.chance(0.5) ? 0 : 1, (rng.chance(0.8) ? rng.between(-span, span) : rng.between(-(1 << 20), (1 << 20) - 2)) & ~1));
      return pushWord(parcels, iType(Op.Jalr, rng.chance(0.5) ? 0 : 1, 0, base(rng), imm12(rng)));
    }
    case 'csr': {
      const csr = rng.chance(0.85) ? rng.pick(CSRS) : rng.below(4096);
      const f3 = rng.pick([1, 2, 3, 5, 6, 7]);
      return pushWord(parcels, iType(Op.System, rng.chance(0.5) ? 0 : rd(rng), f3, f3 >= 5 ? rng.below(32) : rs(rng), csr));
    }
    case 'system':
      return pushWord(parcels, rng.pick([0x0000_0073, 0x0010_0073, MRET, 0x1020_0073, WFI, 0x1200_0073 | (rs(rng) << 15), 0x0020_0073, 0x7b20_0073, 0x1050_0073 | (1 << 7)]));
    case 'fence':
      return pushWord(parcels, rng.pick([0x0ff0_000f, 0x0000_100f, 0x8330_000f, rng.u32() & ~0x7f | Op.MiscMem]));
    case 'compressed': {
      let parcel = rng.u32() & 0xffff;
      if ((parcel & 3) === 3) parcel &= ~1;
      parcels.push(parcel);
      return;
    }
    case 'raw':
      return pushWord(parcels, rng.u32());
  }
}
