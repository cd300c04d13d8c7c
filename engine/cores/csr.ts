// The CSR file: access checks, reads and WARL writes of the machine and supervisor CSRs.

import type { HartState } from './hart-state.js';
import { Privilege, MIP_SSIP, MIP_STIP, MIP_SEIP } from './trap-cause.js';
import { MSTATUS_MPP, MSTATUS_MPP_SHIFT, MSTATUS_TVM, MSTATUS_WRITABLE, SSTATUS_VISIBLE } from './mstatus.js';

export const enum Csr {
  Sstatus = 0x100, Sie = 0x104, Stvec = 0x105, Scounteren = 0x106, Senvcfg = 0x10a,
  Sscratch = 0x140, Sepc = 0x141, Scause = 0x142, Stval = 0x143, Sip = 0x144, Stimecmp = 0x14d, Stimecmph = 0x15d, Satp = 0x180,
  Mstatus = 0x300, Misa = 0x301, Medeleg = 0x302, Mideleg = 0x303, Mie = 0x304, Mtvec = 0x305,
  Mcounteren = 0x306, Menvcfg = 0x30a, Mstatush = 0x310, Menvcfgh = 0x31a, Mcountinhibit = 0x320,
  Mscratch = 0x340, Mepc = 0x341, Mcause = 0x342, Mtval = 0x343, Mip = 0x344, Mtinst = 0x34a, Mtval2 = 0x34b,
  Pmpcfg0 = 0x3a0, Pmpaddr0 = 0x3b0,
  Tselect = 0x7a0, Tdata1 = 0x7a1, Tdata2 = 0x7a2, Tdata3 = 0x7a3, Tinfo = 0x7a4,
  Mcycle = 0xb00, Minstret = 0xb02, Mcycleh = 0xb80, Minstreth = 0xb82,
  Cycle = 0xc00, Time = 0xc01, Instret = 0xc02, Cycleh = 0xc80, Timeh = 0xc81, Instreth = 0xc82,
  Mvendorid = 0xf11, Marchid = 0xf12, Mimpid = 0xf13, Mhartid = 0xf14, Mconfigptr = 0xf15,
}

/** misa for RV32 (MXL=1) with A, C, I, M, S and U. */
export const MISA = (0x4000_0000 | (1 << 0) | (1 << 2) | (1 << 8) | (1 << 12) | (1 << 18) | (1 << 20)) | 0;

/** menvcfgh.STCE (menvcfg bit 63): stimecmp is on, and STIP follows it alone. */
export const MENVCFGH_STCE = 1 << 31;
const MCOUNTEREN_TM = 1 << 1;

const MIE_WRITABLE = 0xaaa; // SSIE MSIE STIE MTIE SEIE MEIE
const MIDELEG_WRITABLE = MIP_SSIP | MIP_STIP | MIP_SEIP;
const MIP_WRITABLE = MIP_SSIP | MIP_STIP | MIP_SEIP;
const MEDELEG_WRITABLE = 0xb3ff; // every exception but ecall from M and the reserved codes
const TWO_32 = 0x1_0000_0000;

/** Result of a CSR read that is not allowed: the instruction is illegal. */
export const CSR_ILLEGAL = undefined;

/** Whether the current privilege may access the CSR (and write it, when `writes`). */
function accessible(h: HartState, csr: number, writes: boolean): boolean {
  if (h.priv < ((csr >>> 8) & 3)) return false;
  if (writes && (csr >>> 10) === 3) return false;
  if (csr === Csr.Satp && h.priv === Privilege.Supervisor && (h.mstatus & MSTATUS_TVM) !== 0) return false;
  // Sstc: below M, stimecmp exists only while M-mode turned it on and lets S read time.
  if ((csr === Csr.Stimecmp || csr === Csr.Stimecmph) && h.priv < Privilege.Machine) {
    return (h.menvcfgh & MENVCFGH_STCE) !== 0 && (h.mcounteren & MCOUNTEREN_TM) !== 0;
  }
  return true;
}

/** Counter CSRs (cycle, time, instret and high halves) visible below M only where xcounteren allows. */
function counterEnabled(h: HartState, csr: number): boolean {
  const bit = 1 << (csr & 0x1f);
  if (h.priv < Privilege.Machine && (h.mcounteren & bit) === 0) return false;
  if (h.priv < Privilege.Supervisor && (h.scounteren & bit) === 0) return false;
  return true;
}

const lo32 = (v: number): number => (v % TWO_32) | 0;
const hi32 = (v: number): number => Math.floor(v / TWO_32) | 0;

/** Reads a CSR as the hart currently sees it; undefined when the access is illegal. */
export function readCsr(h: HartState, csr: number, writes = false): number | undefined {
  if (!accessible(h, csr, writes)) return CSR_ILLEGAL;
  const counter = csr & ~0x80;
  if (counter >= Csr.Cycle && counter <= Csr.Instret && !counterEnabled(h, csr)) return CSR_ILLEGAL;
  switch (csr) {
    case Csr.Sstatus: return h.mstatus & SSTATUS_VISIBLE;
    case Csr.Sie: return h.mie & h.mideleg;
    case Csr.Stvec: return h.stvec;
    case Csr.Scounteren: return h.scounteren;
    case Csr.Senvcfg: return 0;
    case Csr.Sscratch: return h.sscratch;
    case Csr.Sepc: return h.sepc;
    case Csr.Scause: return h.scause;
    case Csr.Stval: return h.stval;
    case Csr.Sip: return h.mip() & h.mideleg;
    case Csr.Stimecmp: return h.stimecmpLo;
    case Csr.Stimecmph: return h.stimecmpHi;
    case Csr.Satp: return h.satp;
    case Csr.Mstatus: return h.mstatus;
    case Csr.Misa: return MISA;
    case Csr.Medeleg: return h.medeleg;
    case Csr.Mideleg: return h.mideleg;
    case Csr.Mie: return h.mie;
    case Csr.Mtvec: return h.mtvec;
    case Csr.Mcounteren: return h.mcounteren;
    case Csr.Menvcfgh: return h.menvcfgh;
    case Csr.Menvcfg: case Csr.Mstatush: return 0;
    case Csr.Mcountinhibit: return h.mcountinhibit;
    case Csr.Mscratch: return h.mscratch;
    case Csr.Mepc: return h.mepc;
    case Csr.Mcause: return h.mcause;
    case Csr.Mtval: return h.mtval;
    case Csr.Mip: return h.mip();
    case Csr.Mtinst: case Csr.Mtval2: return 0;
    // Sdtrig with no triggers: tselect holds only 0, whose tdata1 says "no trigger" (type 0); tinfo lists type 0.
    case Csr.Tselect: case Csr.Tdata1: case Csr.Tdata2: case Csr.Tdata3: return 0;
    case Csr.Tinfo: return 1;
    case Csr.Mcycle: case Csr.Cycle: return lo32(h.liveCycle());
    case Csr.Mcycleh: case Csr.Cycleh: return hi32(h.liveCycle());
    case Csr.Minstret: case Csr.Instret: return lo32(h.liveInstret());
    case Csr.Minstreth: case Csr.Instreth: return hi32(h.liveInstret());
    case Csr.Time: return Number(h.liveMtime() & 0xffff_ffffn) | 0;
    case Csr.Timeh: return Number(h.liveMtime() >> 32n) | 0;
    case Csr.Mvendorid: case Csr.Marchid: case Csr.Mimpid: case Csr.Mconfigptr: return 0;
    case Csr.Mhartid: return h.hartId;
  }
  if (csr >= Csr.Pmpcfg0 && csr < Csr.Pmpcfg0 + 4) return h.pmpcfg[csr - Csr.Pmpcfg0];
  if (csr >= Csr.Pmpaddr0 && csr < Csr.Pmpaddr0 + 16) return h.pmpaddr[csr - Csr.Pmpaddr0];
  // Unimplemented hardware performance counters and their events read as zero.
  if ((csr >= 0xb03 && csr <= 0xb1f) || (csr >= 0xb83 && csr <= 0xb9f) || (csr >= 0x323 && csr <= 0x33f)) return 0;
  if ((csr >= 0xc03 && csr <= 0xc1f) || (csr >= 0xc83 && csr <= 0xc9f)) return counterEnabled(h, csr) ? 0 : CSR_ILLEGAL;
  return CSR_ILLEGAL;
}

/**
 * Writes a CSR after a successful access check (the caller reads first with writes=true).
 * Returns true when the write may change which interrupts are deliverable.
 */
export function writeCsr(h: HartState, csr: number, value: number): boolean {
  value |= 0;
  switch (csr) {
    case Csr.Sstatus:
      h.mstatus = (h.mstatus & ~SSTATUS_VISIBLE) | (value & SSTATUS_VISIBLE);
      return true;
    case Csr.Sie:
      h.mie = (h.mie & ~h.mideleg) | (value & h.mideleg & MIE_WRITABLE);
      return true;
    case Csr.Stvec: h.stvec = legalTvec(value); return false;
    case Csr.Scounteren: h.scounteren = value; return false;
    case Csr.Senvcfg: return false;
    case Csr.Sscratch: h.sscratch = value; return false;
    case Csr.Sepc: h.sepc = value & ~1; return false;
    case Csr.Scause: h.scause = value; return false;
    case Csr.Stval: h.stval = value; return false;
    case Csr.Sip: {
      const mask = MIP_SSIP & h.mideleg;
      h.mipSoft = (h.mipSoft & ~mask) | (value & mask);
      return true;
    }
    // A deadline inside the current slice ends it (true): the core cuts the next one at it.
    case Csr.Stimecmp: return h.setStimecmp(value, h.stimecmpHi);
    case Csr.Stimecmph: return h.setStimecmp(h.stimecmpLo, value);
    case Csr.Satp:
      // RV32's one-bit MODE makes every value legal (Bare or Sv32); QEMU keeps ASID and PPN under Bare too.
      h.satp = value;
      h.flushTlb();
      return true;
    case Csr.Mstatus: {
      let next = (h.mstatus & ~MSTATUS_WRITABLE) | (value & MSTATUS_WRITABLE);
      if (((next & MSTATUS_MPP) >>> MSTATUS_MPP_SHIFT) === 2) next = (next & ~MSTATUS_MPP) | (h.mstatus & MSTATUS_MPP);
      h.mstatus = next;
      return true;
    }
    case Csr.Menvcfgh: h.menvcfgh = value & MENVCFGH_STCE; return true;
    case Csr.Misa: case Csr.Menvcfg: case Csr.Mstatush: case Csr.Mtinst: case Csr.Mtval2:
    case Csr.Tselect: case Csr.Tdata1: case Csr.Tdata2: case Csr.Tdata3: case Csr.Tinfo:
      return false;
    case Csr.Medeleg: h.medeleg = value & MEDELEG_WRITABLE; return false;
    case Csr.Mideleg: h.mideleg = value & MIDELEG_WRITABLE; return true;
    case Csr.Mie: h.mie = value & MIE_WRITABLE; return true;
    case Csr.Mtvec: h.mtvec = legalTvec(value); return false;
    case Csr.Mcounteren: h.mcounteren = value; return false;
    case Csr.Mcountinhibit: h.setCountInhibit(value); return false;
    case Csr.Mscratch: h.mscratch = value; return false;
    case Csr.Mepc: h.mepc = value & ~1; return false;
    case Csr.Mcause: h.mcause = value; return false;
    case Csr.Mtval: h.mtval = value; return false;
    case Csr.Mip: {
      // Under Sstc STIP is stimecmp's alone: read-only here.
      const writable = (h.menvcfgh & MENVCFGH_STCE) !== 0 ? MIP_WRITABLE & ~MIP_STIP : MIP_WRITABLE;
      h.mipSoft = (h.mipSoft & ~writable) | (value & writable);
      return true;
    }
    case Csr.Mcycle: h.setCycle(hi32(h.liveCycle() + 1) * TWO_32 + (value >>> 0)); return false;
    case Csr.Mcycleh: h.setCycle((value >>> 0) * TWO_32 + (lo32(h.liveCycle() + 1) >>> 0)); return false;
    case Csr.Minstret: h.setInstret(hi32(h.liveInstret() + 1) * TWO_32 + (value >>> 0)); return false;
    case Csr.Minstreth: h.setInstret((value >>> 0) * TWO_32 + (lo32(h.liveInstret() + 1) >>> 0)); return false;
  }
  // A PMP write ends the slice: the hart's translation mode may change with it.
  if (csr >= Csr.Pmpcfg0 && csr < Csr.Pmpcfg0 + 4) {
    writePmpcfg(h, csr - Csr.Pmpcfg0, value);
    h.pmpChanged();
    return true;
  }
  if (csr >= Csr.Pmpaddr0 && csr < Csr.Pmpaddr0 + 16) {
    const i = csr - Csr.Pmpaddr0;
    if (!pmpLocked(h, i) && !(i < 15 && pmpLocked(h, i + 1) && ((pmpCfgByte(h, i + 1) >>> 3) & 3) === 1)) h.pmpaddr[i] = value;
    h.pmpChanged();
    return true;
  }
  return false; // read-as-zero performance counters and events ignore writes
}

/** Direct (0) and vectored (1) modes are supported; the reserved modes keep the base only. */
function legalTvec(value: number): number {
  return (value & 3) >= 2 ? value & ~3 : value & ~2;
}

function pmpCfgByte(h: HartState, entry: number): number {
  return (h.pmpcfg[entry >>> 2] >>> ((entry & 3) * 8)) & 0xff;
}

function pmpLocked(h: HartState, entry: number): boolean {
  return (pmpCfgByte(h, entry) & 0x80) !== 0;
}

/** Writes pmpcfg<reg>: locked entries keep their byte; reserved encodings and bits are cleared. */
function writePmpcfg(h: HartState, reg: number, value: number): void {
  let next = 0;
  for (let b = 0; b < 4; b++) {
    const entry = reg * 4 + b;
    let byte = pmpLocked(h, entry) ? pmpCfgByte(h, entry) : (value >>> (b * 8)) & 0xff;
    if ((byte & 0b011) === 0b010) byte &= ~0b011; // R=0, W=1 is reserved
    byte &= 0x9f; // bits 5 and 6 are reserved zero
    next |= byte << (b * 8);
  }
  h.pmpcfg[reg] = next;
}
