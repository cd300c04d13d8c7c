// One RV32IMAC hart (Zicsr, Zifencei; M, S and U modes): state, decode cache and the batch-step loop.

import type { AccessSize } from '../memory/mmio-device.js';
import { PAGE_DECODED, PAGE_RESERVED, PAGE_WATCHED } from '../memory/page-flags.js';
import { PAGE_SHIFT } from '../memory/memory-map.js';
import { CSR_ILLEGAL, readCsr, writeCsr } from './csr.js';
import { ContextNumber as N, ContextWord as W } from './hart-context.js';
import { decode16, decode32, isWide } from './decode.js';
import type { HartMemory } from './hart-memory.js';
import { Op } from './op.js';
import { MSTATUS_MIE, MSTATUS_MPIE, MSTATUS_MPP, MSTATUS_MPP_SHIFT, MSTATUS_MPRV, MSTATUS_SIE, MSTATUS_SPIE, MSTATUS_SPP, MSTATUS_TSR, MSTATUS_TVM, MSTATUS_TW } from './mstatus.js';
import { INTERRUPT_BIT, MIP_SEIP, Privilege, TrapCause } from './trap-cause.js';

/** Consecutive traps with no instruction retired in between that count as a trap loop. */
const TRAP_LOOP_LIMIT = 8;

const INHIBIT_CY = 0b001;
const INHIBIT_IR = 0b100;
const MIP_CSR = 0x344;

interface WindowView {
  base: number;
  size: number;
  physOffset: number;
  writable: boolean;
  u8: Uint8Array;
  i32: Int32Array;
}

/** Placeholder for "no decoded page cached" that keeps the page variable monomorphic. */
const EMPTY_PAGE = new Int32Array(4096);
const EMPTY_FLAGS = new Uint8Array(1);

/** Interrupt priority order of the privileged spec: MEI, MSI, MTI, SEI, SSI, STI. */
const INTERRUPT_PRIORITY = [11, 3, 7, 9, 1, 5];

/** Why a hart stopped for good. */
export interface TrapLoop {
  mcause: number;
  mtval: number;
  pc: number;
  /** The first trap of the loop (usually the real culprit). */
  first: { mcause: number; mtval: number; pc: number };
}

export class Hart {
  /** x0..x31, plus x32 that swallows writes to x0. */
  readonly x = new Int32Array(33);
  pc = 0;
  priv: Privilege = Privilege.Machine;

  mstatus = 0;
  mie = 0;
  /** Software-writable pending bits (SSIP, STIP, SEIP). */
  mipSoft = 0;
  /** Pending bits driven by devices (MSIP, MTIP, MEIP, SEIP), refreshed by the core loop. */
  mipLines = 0;
  medeleg = 0;
  mideleg = 0;
  mtvec = 0;
  stvec = 0;
  mepc = 0;
  sepc = 0;
  mcause = 0;
  scause = 0;
  mtval = 0;
  stval = 0;
  mscratch = 0;
  sscratch = 0;
  mcounteren = 0;
  scounteren = 0;
  mcountinhibit = 0;
  satp = 0;
  readonly pmpcfg = new Int32Array(4);
  readonly pmpaddr = new Int32Array(16);

  /** Virtual cycles this hart has consumed (instructions executed plus idle time); drives mtime. */
  cycles = 0;
  /** Instructions retired. */
  instret = 0;
  // mcycle = cycles + cycleAdjust (minstret likewise), or the frozen value while mcountinhibit stops it.
  private cycleAdjust = 0;
  private instretAdjust = 0;
  private cycleFrozen = 0;
  private instretFrozen = 0;
  /**
   * Counts what may change the code this hart fetches: FENCE.I, and its own stores into pages some
   * hart has decoded. It travels with the saved context, so a copy of the hart that another core
   * holds (a vCPU that migrated) drops its decoded instructions when it resumes a newer epoch.
   */
  private codeEpoch = 0;

  /** Parked in WFI until an enabled interrupt is pending. */
  waiting = false;
  /** The interrupt taken at the start of the last run() (its code), or -1: for latency accounting. */
  lastInterrupt = -1;
  /** Access faults raised so far (loads, stores, AMOs, fetches outside the address space). */
  accessFaults = 0;
  /** Set when the hart is stuck in a trap loop; the hart never runs again. */
  trapLoop: TrapLoop | undefined;

  private reservedAddr = -1;
  private reservedSequence = 0;
  private reservedValue = 0;

  private trapStreak = 0;
  private lastTrapRetired = -1;
  private firstTrapOfStreak = { mcause: 0, mtval: 0, pc: 0 };

  // Progress of the current slice, for CSR reads of the counters in the middle of it.
  private sliceCycles = 0;
  private sliceRetired = 0;
  /** Set by a slow path when the slice must end after the current instruction. */
  private endSlice = false;
  private pendingCause = -1;
  private pendingTval = 0;

  private readonly ramBase: number;
  private readonly ramSize: number;
  private readonly u8: Uint8Array;
  private readonly i8: Int8Array;
  private readonly u16: Uint16Array;
  private readonly i16: Int16Array;
  private readonly i32: Int32Array;
  private readonly flags: Uint8Array;
  /** Decoded instructions per RAM page: [packed, imm] per halfword slot. */
  private readonly pages: (Int32Array | null)[];
  private readonly windows: WindowView[];

  constructor(readonly hartId: number, private readonly memory: HartMemory) {
    const { physical, ramPhysOffset, ramSize } = memory;
    if (ramPhysOffset % 4096 !== 0 || ramSize % 4096 !== 0) throw new Error('hart: RAM window must be page-aligned');
    this.ramBase = memory.ramBase | 0;
    this.ramSize = ramSize;
    this.u8 = new Uint8Array(physical, ramPhysOffset, ramSize);
    this.i8 = new Int8Array(physical, ramPhysOffset, ramSize);
    this.u16 = new Uint16Array(physical, ramPhysOffset, ramSize >>> 1);
    this.i16 = new Int16Array(physical, ramPhysOffset, ramSize >>> 1);
    this.i32 = new Int32Array(physical, ramPhysOffset, ramSize >>> 2);
    this.flags = memory.pageFlags.subarray(ramPhysOffset >>> PAGE_SHIFT, (ramPhysOffset + ramSize) >>> PAGE_SHIFT);
    this.pages = new Array<Int32Array | null>(ramSize >>> PAGE_SHIFT).fill(null);
    this.windows = (memory.windows ?? []).map((w) => ({
      base: w.base >>> 0,
      size: w.size,
      physOffset: w.physOffset,
      writable: w.writable,
      u8: new Uint8Array(physical, w.physOffset, w.size),
      i32: new Int32Array(physical, w.physOffset, w.size >>> 2),
    }));
  }

  /** The shared window holding [addr, addr + size), if any. */
  private windowAt(addr: number, size: number): WindowView | undefined {
    for (const w of this.windows) {
      const off = ((addr >>> 0) - w.base) >>> 0;
      if (off < w.size && off + size <= w.size) return w;
    }
    return undefined;
  }

  /** Puts the hart in its reset state at `pc` (a0 and a1 as the board's boot code leaves them). */
  reset(pc: number, a0 = this.hartId, a1 = 0): void {
    this.x.fill(0);
    this.x[10] = a0;
    this.x[11] = a1;
    this.pc = pc | 0;
    this.priv = Privilege.Machine;
    this.mstatus = this.mie = this.mipSoft = this.medeleg = this.mideleg = 0;
    this.mtvec = this.stvec = this.mepc = this.sepc = this.mcause = this.scause = 0;
    this.mtval = this.stval = this.mscratch = this.sscratch = this.mcounteren = this.scounteren = 0;
    this.mcountinhibit = this.satp = 0;
    this.pmpcfg.fill(0);
    this.pmpaddr.fill(0);
    this.waiting = false;
    this.trapLoop = undefined;
    this.reservedAddr = -1;
    this.trapStreak = 0;
    this.lastTrapRetired = -1;
    this.flushDecodeCache();
  }

  mip(): number {
    return this.mipSoft | this.mipLines;
  }

  /** Saves the architectural state into shared memory so another core can continue this hart. */
  saveContext(words: Int32Array, numbers: Float64Array): void {
    words.set(this.x.subarray(0, 32), W.X0);
    words[W.Pc] = this.pc; words[W.Priv] = this.priv; words[W.Mstatus] = this.mstatus; words[W.Mie] = this.mie;
    words[W.MipSoft] = this.mipSoft; words[W.Medeleg] = this.medeleg; words[W.Mideleg] = this.mideleg;
    words[W.Mtvec] = this.mtvec; words[W.Stvec] = this.stvec; words[W.Mepc] = this.mepc; words[W.Sepc] = this.sepc;
    words[W.Mcause] = this.mcause; words[W.Scause] = this.scause; words[W.Mtval] = this.mtval; words[W.Stval] = this.stval;
    words[W.Mscratch] = this.mscratch; words[W.Sscratch] = this.sscratch; words[W.Mcounteren] = this.mcounteren;
    words[W.Scounteren] = this.scounteren; words[W.Mcountinhibit] = this.mcountinhibit; words[W.Satp] = this.satp;
    words[W.Waiting] = this.waiting ? 1 : 0;
    words[W.CodeEpoch] = this.codeEpoch;
    const loop = this.trapLoop;
    words[W.TrapLooped] = loop ? 1 : 0;
    if (loop) {
      words[W.TrapFirstCause] = loop.first.mcause; words[W.TrapFirstTval] = loop.first.mtval; words[W.TrapFirstPc] = loop.first.pc;
      words[W.TrapLastCause] = loop.mcause; words[W.TrapLastTval] = loop.mtval; words[W.TrapLastPc] = loop.pc;
    }
    words.set(this.pmpcfg, W.Pmpcfg0);
    words.set(this.pmpaddr, W.Pmpaddr0);
    numbers[N.Cycles] = this.cycles;
    numbers[N.Instret] = this.instret;
    numbers[N.CycleAdjust] = this.cycleAdjust;
    numbers[N.InstretAdjust] = this.instretAdjust;
    numbers[N.AccessFaults] = this.accessFaults;
    numbers[N.CycleFrozen] = this.cycleFrozen;
    numbers[N.InstretFrozen] = this.instretFrozen;
  }

  /**
   * Continues a hart saved by saveContext (an LR reservation does not survive the switch). Decoded
   * instructions survive only if the saved hart changed no code since this copy last ran.
   */
  loadContext(words: Int32Array, numbers: Float64Array): void {
    const epoch = words[W.CodeEpoch];
    if (epoch !== this.codeEpoch) {
      this.flushDecodeCache();
      this.codeEpoch = epoch;
    }
    this.x.set(words.subarray(W.X0, W.X0 + 32), 0);
    this.pc = words[W.Pc]; this.priv = words[W.Priv]; this.mstatus = words[W.Mstatus]; this.mie = words[W.Mie];
    this.mipSoft = words[W.MipSoft]; this.medeleg = words[W.Medeleg]; this.mideleg = words[W.Mideleg];
    this.mtvec = words[W.Mtvec]; this.stvec = words[W.Stvec]; this.mepc = words[W.Mepc]; this.sepc = words[W.Sepc];
    this.mcause = words[W.Mcause]; this.scause = words[W.Scause]; this.mtval = words[W.Mtval]; this.stval = words[W.Stval];
    this.mscratch = words[W.Mscratch]; this.sscratch = words[W.Sscratch]; this.mcounteren = words[W.Mcounteren];
    this.scounteren = words[W.Scounteren]; this.mcountinhibit = words[W.Mcountinhibit]; this.satp = words[W.Satp];
    this.waiting = words[W.Waiting] !== 0;
    this.trapLoop = words[W.TrapLooped] === 0 ? undefined : {
      mcause: words[W.TrapLastCause], mtval: words[W.TrapLastTval], pc: words[W.TrapLastPc],
      first: { mcause: words[W.TrapFirstCause], mtval: words[W.TrapFirstTval], pc: words[W.TrapFirstPc] },
    };
    this.pmpcfg.set(words.subarray(W.Pmpcfg0, W.Pmpcfg0 + 4));
    this.pmpaddr.set(words.subarray(W.Pmpaddr0, W.Pmpaddr0 + 16));
    this.cycles = numbers[N.Cycles];
    this.instret = numbers[N.Instret];
    this.cycleAdjust = numbers[N.CycleAdjust];
    this.instretAdjust = numbers[N.InstretAdjust];
    this.accessFaults = numbers[N.AccessFaults];
    this.cycleFrozen = numbers[N.CycleFrozen];
    this.instretFrozen = numbers[N.InstretFrozen];
    this.reservedAddr = -1;
    this.trapStreak = 0;
    this.lastTrapRetired = -1;
  }

  /** mcycle as the current instruction reads it. */
  liveCycle(): number {
    return (this.mcountinhibit & INHIBIT_CY) !== 0 ? this.cycleFrozen : this.cycles + this.sliceCycles + this.cycleAdjust;
  }

  /** minstret as the current instruction reads it. */
  liveInstret(): number {
    return (this.mcountinhibit & INHIBIT_IR) !== 0 ? this.instretFrozen : this.instret + this.sliceRetired + this.instretAdjust;
  }

  /** Writes mcountinhibit: a counter stops (or resumes) counting after the current instruction. */
  setCountInhibit(value: number): void {
    const next = value & (INHIBIT_CY | INHIBIT_IR);
    const cycleAfter = this.liveCycle() + ((this.mcountinhibit & INHIBIT_CY) !== 0 ? 0 : 1);
    const instretAfter = this.liveInstret() + ((this.mcountinhibit & INHIBIT_IR) !== 0 ? 0 : 1);
    this.mcountinhibit = next;
    if (next & INHIBIT_CY) this.cycleFrozen = cycleAfter;
    else this.setCycle(cycleAfter);
    if (next & INHIBIT_IR) this.instretFrozen = instretAfter;
    else this.setInstret(instretAfter);
  }

  /** Virtual time (cycles) at the current instruction, also from inside a device access. */
  liveTime(): number {
    return this.cycles + this.sliceCycles;
  }

  /** mtime as the current instruction reads it. */
  liveMtime(): bigint {
    return this.memory.timebase.mtimeAt(this.cycles + this.sliceCycles);
  }

  /** Sets mcycle as seen after the current instruction. */
  setCycle(value: number): void {
    if (this.mcountinhibit & INHIBIT_CY) this.cycleFrozen = value;
    else this.cycleAdjust = value - (this.cycles + this.sliceCycles + 1);
  }

  /** Sets minstret as seen after the current instruction (the write replaces its increment). */
  setInstret(value: number): void {
    if (this.mcountinhibit & INHIBIT_IR) this.instretFrozen = value;
    else this.instretAdjust = value - (this.instret + this.sliceRetired + 1);
  }

  /** Advances virtual time while the hart idles (WFI skipped ahead to its next timer). */
  idle(cycles: number): void {
    if (cycles > 0) this.cycles += cycles;
  }

  /** The highest-priority interrupt the hart would take now, or -1. */
  pendingInterrupt(): number {
    const pending = this.mip() & this.mie;
    if (pending === 0) return -1;
    const machineEnabled = this.priv < Privilege.Machine || (this.mstatus & MSTATUS_MIE) !== 0;
    const toMachine = machineEnabled ? pending & ~this.mideleg : 0;
    const supervisorEnabled = this.priv < Privilege.Supervisor || (this.priv === Privilege.Supervisor && (this.mstatus & MSTATUS_SIE) !== 0);
    const toSupervisor = supervisorEnabled ? pending & this.mideleg : 0;
    const candidates = toMachine !== 0 ? toMachine : toSupervisor;
    if (candidates === 0) return -1;
    for (const irq of INTERRUPT_PRIORITY) if (candidates & (1 << irq)) return irq;
    return -1;
  }

  /**
   * Executes up to `budget` instructions, taking interrupts first. Returns the number of cycles used.
   * A slice ends early on WFI, on a write that may unmask an interrupt, on a trap loop, or when a
   * device asks for it.
   */
  run(budget: number): number {
    if (this.trapLoop !== undefined) return 0;
    const irq = this.pendingInterrupt();
    this.lastInterrupt = irq;
    if (irq >= 0) {
      this.waiting = false;
      this.pc = this.enterTrap((irq | INTERRUPT_BIT) | 0, 0, this.pc);
    } else if (this.waiting) {
      if ((this.mip() & this.mie) === 0) return 0;
      this.waiting = false;
    }
    const x = this.x;
    const pages = this.pages;
    const flags = this.flags;
    const u8 = this.u8, i8 = this.i8, u16 = this.u16, i16 = this.i16, i32 = this.i32;
    const ramBase = this.ramBase;
    const ramSize = this.ramSize;
    let pc = this.pc | 0;
    let n = budget;
    let trapped = 0;
    this.endSlice = false;
    // The first shared window (an inter-VM channel) gets a fast path too, on the RAM path's miss side.
    const win = this.windows[0];
    const winBase = win === undefined ? 0 : win.base | 0;
    const winSize = win === undefined ? 0 : win.size;
    const winI32 = win === undefined ? EMPTY_PAGE : win.i32;
    const winStorable = win !== undefined && win.writable;
    const winFlags = win === undefined ? EMPTY_FLAGS : this.memory.pageFlags.subarray(win.physOffset >>> PAGE_SHIFT);
    // The decoded page the pc is in; `pageStart` is its guest address (odd = none cached).
    let page: Int32Array = EMPTY_PAGE;
    let pageStart = 1;

    loop: while (n > 0) {
      n--;
      if (((pc - pageStart) >>> 0) >= 4096) {
        const off = ((pc - ramBase) | 0) >>> 0;
        if (off >= ramSize) {
          pc = this.trapAt(TrapCause.InstructionAccessFault, pc, pc, budget - n - 1, trapped++);
          if (this.trapLoop !== undefined) break;
          continue;
        }
        page = pages[off >>> PAGE_SHIFT] ?? this.newPage(off);
        pageStart = pc & ~4095;
      }
      const slot = pc & 4094;
      let w = page[slot];
      if (w === 0) w = this.decodeSlot(page, slot, ((pc - ramBase) | 0) >>> 0, pc);
      const imm = page[slot + 1];
      const npc = (pc + (w >>> 24)) | 0;
      switch (w & 0xff) {
        case Op.Li:
          x[(w >>> 8) & 63] = imm;
          pc = npc;
          continue;
        case Op.Jal:
          x[(w >>> 8) & 63] = npc;
          pc = imm;
          continue;
        case Op.Jalr: {
          const target = (x[(w >>> 14) & 31] + imm) & ~1;
          x[(w >>> 8) & 63] = npc;
          pc = target;
          continue;
        }
        case Op.Beq: pc = x[(w >>> 14) & 31] === x[(w >>> 19) & 31] ? imm : npc; continue;
        case Op.Bne: pc = x[(w >>> 14) & 31] !== x[(w >>> 19) & 31] ? imm : npc; continue;
        case Op.Blt: pc = x[(w >>> 14) & 31] < x[(w >>> 19) & 31] ? imm : npc; continue;
        case Op.Bge: pc = x[(w >>> 14) & 31] >= x[(w >>> 19) & 31] ? imm : npc; continue;
        case Op.Bltu: pc = (x[(w >>> 14) & 31] >>> 0) < (x[(w >>> 19) & 31] >>> 0) ? imm : npc; continue;
        case Op.Bgeu: pc = (x[(w >>> 14) & 31] >>> 0) >= (x[(w >>> 19) & 31] >>> 0) ? imm : npc; continue;

        case Op.Lw: {
          const addr = (x[(w >>> 14) & 31] + imm) | 0;
          const a = (addr - ramBase | 0) >>> 0;
          if (a < ramSize && (a & 3) === 0) {
            x[(w >>> 8) & 63] = i32[a >>> 2];
          } else if (((addr - winBase | 0) >>> 0) < winSize && (addr & 3) === 0) {
            // Atomics, so a guest spinning on a word the peer writes always sees the new value.
            x[(w >>> 8) & 63] = Atomics.load(winI32, ((addr - winBase | 0) >>> 0) >>> 2);
          } else {
            this.sliceCycles = budget - n - 1;
            const v = this.loadSlow(addr, 4, true);
            this.sliceCycles = 0;
            if (this.pendingCause >= 0) { pc = this.trapPending(pc, budget - n - 1, trapped++); if (this.trapLoop) break loop; continue; }
            x[(w >>> 8) & 63] = v;
            if (this.endSlice) { pc = npc; break loop; }
          }
          pc = npc;
          continue;
        }
        case Op.Lh: case Op.Lhu: {
          const addr = (x[(w >>> 14) & 31] + imm) | 0;
          const a = (addr - ramBase | 0) >>> 0;
          const signed = (w & 0xff) === Op.Lh;
          if (a < ramSize && (a & 1) === 0) {
            x[(w >>> 8) & 63] = signed ? i16[a >>> 1] : u16[a >>> 1];
          } else {
            this.sliceCycles = budget - n - 1;
            const v = this.loadSlow(addr, 2, signed);
            this.sliceCycles = 0;
            if (this.pendingCause >= 0) { pc = this.trapPending(pc, budget - n - 1, trapped++); if (this.trapLoop) break loop; continue; }
            x[(w >>> 8) & 63] = v;
            if (this.endSlice) { pc = npc; break loop; }
          }
          pc = npc;
          continue;
        }
        case Op.Lb: case Op.Lbu: {
          const addr = (x[(w >>> 14) & 31] + imm) | 0;
          const a = (addr - ramBase | 0) >>> 0;
          const signed = (w & 0xff) === Op.Lb;
          if (a < ramSize) {
            x[(w >>> 8) & 63] = signed ? i8[a] : u8[a];
          } else {
            this.sliceCycles = budget - n - 1;
            const v = this.loadSlow(addr, 1, signed);
            this.sliceCycles = 0;
            if (this.pendingCause >= 0) { pc = this.trapPending(pc, budget - n - 1, trapped++); if (this.trapLoop) break loop; continue; }
            x[(w >>> 8) & 63] = v;
            if (this.endSlice) { pc = npc; break loop; }
          }
          pc = npc;
          continue;
        }
        case Op.Sw: {
          const addr = (x[(w >>> 14) & 31] + imm) | 0;
          const a = (addr - ramBase | 0) >>> 0;
          if (a < ramSize && (a & 3) === 0 && flags[a >>> PAGE_SHIFT] === 0) {
            i32[a >>> 2] = x[(w >>> 19) & 31];
          } else if (winStorable && ((addr - winBase | 0) >>> 0) < winSize && (addr & 3) === 0 && winFlags[((addr - winBase | 0) >>> 0) >>> PAGE_SHIFT] === 0) {
            Atomics.store(winI32, ((addr - winBase | 0) >>> 0) >>> 2, x[(w >>> 19) & 31]);
          } else {
            this.sliceCycles = budget - n - 1;
            this.storeSlow(addr, 4, x[(w >>> 19) & 31]);
            this.sliceCycles = 0;
            pageStart = 1; // the store may have invalidated decoded code
            if (this.pendingCause >= 0) { pc = this.trapPending(pc, budget - n - 1, trapped++); if (this.trapLoop) break loop; continue; }
            if (this.endSlice) { pc = npc; break loop; }
          }
          pc = npc;
          continue;
        }
        case Op.Sh: {
          const addr = (x[(w >>> 14) & 31] + imm) | 0;
          const a = (addr - ramBase | 0) >>> 0;
          if (a < ramSize && (a & 1) === 0 && flags[a >>> PAGE_SHIFT] === 0) {
            u16[a >>> 1] = x[(w >>> 19) & 31];
          } else {
            this.sliceCycles = budget - n - 1;
            this.storeSlow(addr, 2, x[(w >>> 19) & 31]);
            this.sliceCycles = 0;
            pageStart = 1;
            if (this.pendingCause >= 0) { pc = this.trapPending(pc, budget - n - 1, trapped++); if (this.trapLoop) break loop; continue; }
            if (this.endSlice) { pc = npc; break loop; }
          }
          pc = npc;
          continue;
        }
        case Op.Sb: {
          const addr = (x[(w >>> 14) & 31] + imm) | 0;
          const a = (addr - ramBase | 0) >>> 0;
          if (a < ramSize && flags[a >>> PAGE_SHIFT] === 0) {
            u8[a] = x[(w >>> 19) & 31];
          } else {
            this.sliceCycles = budget - n - 1;
            this.storeSlow(addr, 1, x[(w >>> 19) & 31]);
            this.sliceCycles = 0;
            pageStart = 1;
            if (this.pendingCause >= 0) { pc = this.trapPending(pc, budget - n - 1, trapped++); if (this.trapLoop) break loop; continue; }
            if (this.endSlice) { pc = npc; break loop; }
          }
          pc = npc;
          continue;
        }

        case Op.Addi: x[(w >>> 8) & 63] = x[(w >>> 14) & 31] + imm; pc = npc; continue;
        case Op.Slti: x[(w >>> 8) & 63] = x[(w >>> 14) & 31] < imm ? 1 : 0; pc = npc; continue;
        case Op.Sltiu: x[(w >>> 8) & 63] = (x[(w >>> 14) & 31] >>> 0) < (imm >>> 0) ? 1 : 0; pc = npc; continue;
        case Op.Xori: x[(w >>> 8) & 63] = x[(w >>> 14) & 31] ^ imm; pc = npc; continue;
        case Op.Ori: x[(w >>> 8) & 63] = x[(w >>> 14) & 31] | imm; pc = npc; continue;
        case Op.Andi: x[(w >>> 8) & 63] = x[(w >>> 14) & 31] & imm; pc = npc; continue;
        case Op.Slli: x[(w >>> 8) & 63] = x[(w >>> 14) & 31] << imm; pc = npc; continue;
        case Op.Srli: x[(w >>> 8) & 63] = x[(w >>> 14) & 31] >>> imm; pc = npc; continue;
        case Op.Srai: x[(w >>> 8) & 63] = x[(w >>> 14) & 31] >> imm; pc = npc; continue;

        case Op.Add: x[(w >>> 8) & 63] = x[(w >>> 14) & 31] + x[(w >>> 19) & 31]; pc = npc; continue;
        case Op.Sub: x[(w >>> 8) & 63] = x[(w >>> 14) & 31] - x[(w >>> 19) & 31]; pc = npc; continue;
        case Op.Sll: x[(w >>> 8) & 63] = x[(w >>> 14) & 31] << (x[(w >>> 19) & 31] & 31); pc = npc; continue;
        case Op.Slt: x[(w >>> 8) & 63] = x[(w >>> 14) & 31] < x[(w >>> 19) & 31] ? 1 : 0; pc = npc; continue;
        case Op.Sltu: x[(w >>> 8) & 63] = (x[(w >>> 14) & 31] >>> 0) < (x[(w >>> 19) & 31] >>> 0) ? 1 : 0; pc = npc; continue;
        case Op.Xor: x[(w >>> 8) & 63] = x[(w >>> 14) & 31] ^ x[(w >>> 19) & 31]; pc = npc; continue;
        case Op.Srl: x[(w >>> 8) & 63] = x[(w >>> 14) & 31] >>> (x[(w >>> 19) & 31] & 31); pc = npc; continue;
        case Op.Sra: x[(w >>> 8) & 63] = x[(w >>> 14) & 31] >> (x[(w >>> 19) & 31] & 31); pc = npc; continue;
        case Op.Or: x[(w >>> 8) & 63] = x[(w >>> 14) & 31] | x[(w >>> 19) & 31]; pc = npc; continue;
        case Op.And: x[(w >>> 8) & 63] = x[(w >>> 14) & 31] & x[(w >>> 19) & 31]; pc = npc; continue;

        case Op.Mul: x[(w >>> 8) & 63] = Math.imul(x[(w >>> 14) & 31], x[(w >>> 19) & 31]); pc = npc; continue;
        case Op.Mulh: x[(w >>> 8) & 63] = mulhSigned(x[(w >>> 14) & 31], x[(w >>> 19) & 31]); pc = npc; continue;
        case Op.Mulhsu: x[(w >>> 8) & 63] = mulhSignedUnsigned(x[(w >>> 14) & 31], x[(w >>> 19) & 31]); pc = npc; continue;
        case Op.Mulhu: x[(w >>> 8) & 63] = mulhUnsigned(x[(w >>> 14) & 31], x[(w >>> 19) & 31]); pc = npc; continue;
        case Op.Div: {
          const a = x[(w >>> 14) & 31], b = x[(w >>> 19) & 31];
          // Division by zero gives -1; the one overflow (-2^31 / -1) gives -2^31 (the |0 wraps it).
          x[(w >>> 8) & 63] = b === 0 ? -1 : (a / b) | 0;
          pc = npc;
          continue;
        }
        case Op.Divu: {
          const a = x[(w >>> 14) & 31] >>> 0, b = x[(w >>> 19) & 31] >>> 0;
          x[(w >>> 8) & 63] = b === 0 ? -1 : (a / b) >>> 0;
          pc = npc;
          continue;
        }
        case Op.Rem: {
          const a = x[(w >>> 14) & 31], b = x[(w >>> 19) & 31];
          x[(w >>> 8) & 63] = b === 0 ? a : b === -1 ? 0 : a % b;
          pc = npc;
          continue;
        }
        case Op.Remu: {
          const a = x[(w >>> 14) & 31] >>> 0, b = x[(w >>> 19) & 31] >>> 0;
          x[(w >>> 8) & 63] = b === 0 ? a : a % b;
          pc = npc;
          continue;
        }

        case Op.Fence:
          pc = npc;
          continue;
        case Op.FenceI:
          this.flushDecodeCache();
          this.codeEpoch = (this.codeEpoch + 1) | 0;
          pc = npc;
          break loop;

        case Op.Csrrw: case Op.Csrrs: case Op.Csrrc: case Op.Csrrwi: case Op.Csrrsi: case Op.Csrrci: {
          this.sliceCycles = budget - n - 1;
          this.sliceRetired = this.sliceCycles - trapped;
          const unmask = this.csrInstruction(w, imm);
          this.sliceCycles = this.sliceRetired = 0;
          if (this.pendingCause >= 0) { pc = this.trapPending(pc, budget - n - 1, trapped++); if (this.trapLoop) break loop; continue; }
          pc = npc;
          if (unmask) break loop;
          continue;
        }

        case Op.Ecall:
          pc = this.trapAt(TrapCause.EcallFromU + this.priv, 0, pc, budget - n - 1, trapped++);
          if (this.trapLoop) break loop;
          continue;
        case Op.Ebreak:
          pc = this.trapAt(TrapCause.Breakpoint, pc, pc, budget - n - 1, trapped++);
          if (this.trapLoop) break loop;
          continue;
        case Op.Mret:
          if (this.priv !== Privilege.Machine) {
            pc = this.trapAt(TrapCause.IllegalInstruction, 0x30200073, pc, budget - n - 1, trapped++);
            if (this.trapLoop) break loop;
            continue;
          }
          pc = this.mret();
          break loop;
        case Op.Sret:
          if (this.priv === Privilege.User || (this.priv === Privilege.Supervisor && (this.mstatus & MSTATUS_TSR) !== 0)) {
            pc = this.trapAt(TrapCause.IllegalInstruction, 0x10200073, pc, budget - n - 1, trapped++);
            if (this.trapLoop) break loop;
            continue;
          }
          pc = this.sret();
          break loop;
        case Op.Wfi:
          if (this.priv === Privilege.User || (this.priv === Privilege.Supervisor && (this.mstatus & MSTATUS_TW) !== 0)) {
            pc = this.trapAt(TrapCause.IllegalInstruction, 0x10500073, pc, budget - n - 1, trapped++);
            if (this.trapLoop) break loop;
            continue;
          }
          pc = npc;
          this.waiting = (this.mip() & this.mie) === 0;
          break loop;
        case Op.SfenceVma:
          if (this.priv === Privilege.User || (this.priv === Privilege.Supervisor && (this.mstatus & MSTATUS_TVM) !== 0)) {
            const bits = 0x12000073 | (((w >>> 14) & 31) << 15) | (((w >>> 19) & 31) << 20);
            pc = this.trapAt(TrapCause.IllegalInstruction, bits, pc, budget - n - 1, trapped++);
            if (this.trapLoop) break loop;
            continue;
          }
          pc = npc;
          continue;

        case Op.LrW: case Op.ScW: case Op.AmoSwap: case Op.AmoAdd: case Op.AmoXor: case Op.AmoAnd:
        case Op.AmoOr: case Op.AmoMin: case Op.AmoMax: case Op.AmoMinu: case Op.AmoMaxu: {
          const v = this.atomic(w & 0xff, x[(w >>> 14) & 31], x[(w >>> 19) & 31]);
          pageStart = 1;
          if (this.pendingCause >= 0) { pc = this.trapPending(pc, budget - n - 1, trapped++); if (this.trapLoop) break loop; continue; }
          x[(w >>> 8) & 63] = v;
          pc = npc;
          if (this.endSlice) break loop;
          continue;
        }

        case Op.FetchFault:
          pc = this.trapAt(TrapCause.InstructionAccessFault, imm, pc, budget - n - 1, trapped++);
          if (this.trapLoop) break loop;
          continue;
        default: // Op.Illegal
          pc = this.trapAt(TrapCause.IllegalInstruction, imm, pc, budget - n - 1, trapped++);
          if (this.trapLoop) break loop;
          continue;
      }
    }

    this.pc = pc;
    const executed = budget - n;
    this.cycles += executed;
    const retired = executed - trapped;
    this.instret += retired;
    return executed;
  }

  /** Flushes every decoded instruction (FENCE.I, reset, or memory loaded behind the hart's back). */
  flushDecodeCache(): void {
    this.pages.fill(null);
  }

  private newPage(off: number): Int32Array {
    const page = new Int32Array(4096);
    const index = off >>> PAGE_SHIFT;
    this.pages[index] = page;
    if ((this.flags[index] & PAGE_DECODED) === 0) Atomics.or(this.flags, index, PAGE_DECODED);
    return page;
  }

  private decodeSlot(page: Int32Array, slot: number, off: number, pc: number): number {
    const low = this.u16[off >>> 1];
    let decoded;
    if (!isWide(low)) {
      decoded = decode16(low, pc);
    } else if (off + 2 >= this.ramSize) {
      page[slot] = (Op.FetchFault | (4 << 24)) | 0;
      page[slot + 1] = (pc + 2) | 0;
      return page[slot];
    } else {
      const next = (off + 2) >>> PAGE_SHIFT;
      // An instruction straddling a page boundary must be invalidated by stores to either page.
      if (next !== off >>> PAGE_SHIFT && (this.flags[next] & PAGE_DECODED) === 0) Atomics.or(this.flags, next, PAGE_DECODED);
      decoded = decode32(low | (this.u16[(off + 2) >>> 1] << 16), pc);
    }
    page[slot] = decoded.packed;
    page[slot + 1] = decoded.imm;
    return decoded.packed;
  }

  private invalidatePage(index: number): void {
    this.pages[index] = null;
    const previous = this.pages[index - 1];
    if (previous) previous[4094] = previous[4095] = 0; // an instruction that straddles into this page
  }

  /** Takes a synchronous trap of the instruction at `pc`; `executed` counts instructions before it. */
  private trapAt(cause: number, tval: number, pc: number, executed: number, trappedBefore: number): number {
    if (cause === TrapCause.InstructionAccessFault || cause === TrapCause.LoadAccessFault || cause === TrapCause.StoreAccessFault) this.accessFaults++;
    const retiredSoFar = this.instret + executed - trappedBefore;
    if (this.lastTrapRetired === retiredSoFar) {
      this.trapStreak++;
    } else {
      this.trapStreak = 1;
      this.firstTrapOfStreak = { mcause: cause, mtval: tval | 0, pc: pc | 0 };
    }
    this.lastTrapRetired = retiredSoFar;
    if (this.trapStreak >= TRAP_LOOP_LIMIT) {
      this.trapLoop = { mcause: cause, mtval: tval | 0, pc: pc | 0, first: this.firstTrapOfStreak };
      return pc;
    }
    return this.enterTrap(cause, tval, pc);
  }

  private trapPending(pc: number, executed: number, trappedBefore: number): number {
    const cause = this.pendingCause;
    this.pendingCause = -1;
    return this.trapAt(cause, this.pendingTval, pc, executed, trappedBefore);
  }

  private fault(cause: TrapCause, tval: number): void {
    this.pendingCause = cause;
    this.pendingTval = tval | 0;
  }

  /** Trap entry: delegation, xepc/xcause/xtval, the status stack, and the (vectored) handler address. */
  private enterTrap(cause: number, tval: number, pc: number): number {
    const isInterrupt = cause < 0;
    const code = cause & 0x7fff_ffff;
    const delegated = this.priv <= Privilege.Supervisor && ((isInterrupt ? this.mideleg : this.medeleg) >>> code) & 1;
    let s = this.mstatus;
    let vector: number;
    if (delegated) {
      this.sepc = pc;
      this.scause = cause;
      this.stval = tval | 0;
      s = (s & ~(MSTATUS_SPIE | MSTATUS_SIE | MSTATUS_SPP)) | ((s & MSTATUS_SIE) << 4) | (this.priv << 8);
      this.priv = Privilege.Supervisor;
      vector = this.stvec;
    } else {
      this.mepc = pc;
      this.mcause = cause;
      this.mtval = tval | 0;
      s = (s & ~(MSTATUS_MPIE | MSTATUS_MIE | MSTATUS_MPP)) | ((s & MSTATUS_MIE) << 4) | (this.priv << MSTATUS_MPP_SHIFT);
      this.priv = Privilege.Machine;
      vector = this.mtvec;
    }
    this.mstatus = s;
    const base = vector & ~3;
    return (isInterrupt && (vector & 1) ? base + 4 * code : base) | 0;
  }

  private mret(): number {
    const s = this.mstatus;
    const previous = (s & MSTATUS_MPP) >>> MSTATUS_MPP_SHIFT;
    let next = (s & ~(MSTATUS_MIE | MSTATUS_MPP)) | ((s & MSTATUS_MPIE) >>> 4) | MSTATUS_MPIE;
    if (previous !== Privilege.Machine) next &= ~MSTATUS_MPRV;
    this.mstatus = next;
    this.priv = previous;
    return this.mepc;
  }

  private sret(): number {
    const s = this.mstatus;
    const previous = (s & MSTATUS_SPP) >>> 8;
    this.mstatus = ((s & ~(MSTATUS_SIE | MSTATUS_SPP)) | ((s & MSTATUS_SPIE) >>> 4) | MSTATUS_SPIE) & ~MSTATUS_MPRV;
    this.priv = previous;
    return this.sepc;
  }

  /** Executes a CSR instruction; returns true when interrupts may have become deliverable. */
  private csrInstruction(w: number, csr: number): boolean {
    const op = w & 0xff;
    const rdField = (w >>> 8) & 63;
    const rs1 = (w >>> 14) & 31;
    const immediate = op >= Op.Csrrwi;
    const operand = immediate ? rs1 : this.x[rs1];
    const kind = immediate ? op - Op.Csrrwi : op - Op.Csrrw; // 0 write, 1 set, 2 clear
    const writes = kind === 0 || rs1 !== 0;
    const reads = kind !== 0 || rdField !== 32;
    const old = readCsr(this, csr, writes);
    if (old === CSR_ILLEGAL) {
      const rd = rdField === 32 ? 0 : rdField;
      const f3 = (immediate ? 5 : 1) + kind;
      this.fault(TrapCause.IllegalInstruction, (csr << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | 0x73);
      return false;
    }
    let unmask = false;
    if (writes) {
      // Only the software-writable SEIP bit takes part in a read-modify-write of mip, not the line.
      const base = csr === MIP_CSR ? (old & ~MIP_SEIP) | (this.mipSoft & MIP_SEIP) : old;
      const value = kind === 0 ? operand : kind === 1 ? base | operand : base & ~operand;
      unmask = writeCsr(this, csr, value);
    }
    if (reads) this.x[rdField] = old;
    return unmask;
  }

  /** Loads that miss the fast path: misaligned RAM accesses (done in place) and devices. */
  private loadSlow(addr: number, size: AccessSize, signed: boolean): number {
    const off = ((addr - this.ramBase) | 0) >>> 0;
    let value: number | undefined;
    if (off < this.ramSize && off + size <= this.ramSize) {
      value = 0;
      for (let i = size - 1; i >= 0; i--) value = (value << 8) | this.u8[off + i];
    } else {
      const w = this.windows.length > 0 ? this.windowAt(addr, size) : undefined;
      if (w !== undefined) {
        const at = ((addr >>> 0) - w.base) >>> 0;
        if (size === 4 && (at & 3) === 0) {
          value = Atomics.load(w.i32, at >>> 2);
        } else {
          value = 0;
          for (let i = size - 1; i >= 0; i--) value = (value << 8) | Atomics.load(w.u8, at + i);
        }
      } else if ((addr & (size - 1)) === 0) {
        value = this.memory.bus.read(addr, size);
      }
    }
    if (value === undefined) {
      this.fault(TrapCause.LoadAccessFault, addr);
      return 0;
    }
    const shift = 32 - 8 * size;
    return signed ? (value << shift) >> shift : size === 4 ? value | 0 : value & ((1 << (8 * size)) - 1);
  }

  /** Stores that miss the fast path: misaligned, flagged pages (code, reservations, watched) and devices. */
  private storeSlow(addr: number, size: AccessSize, value: number): void {
    const off = ((addr - this.ramBase) | 0) >>> 0;
    if (off < this.ramSize && off + size <= this.ramSize) {
      if ((off & (size - 1)) === 0) {
        this.storeRam(off, size, value);
      } else {
        for (let i = 0; i < size; i++) this.storeRam(off + i, 1, value >>> (8 * i));
      }
      return;
    }
    const w = this.windows.length > 0 ? this.windowAt(addr, size) : undefined;
    if (w !== undefined) {
      if (w.writable) this.storeWindow(w, ((addr >>> 0) - w.base) >>> 0, size, value);
      else this.fault(TrapCause.StoreAccessFault, addr);
      return;
    }
    const stored = (addr & (size - 1)) === 0 ? this.memory.bus.store(addr, size, value) : 0;
    if (stored !== 0) {
      // A device write may raise an interrupt or stop the machine, unless the device says it cannot.
      if (stored === 1) this.endSlice = true;
      return;
    }
    this.fault(TrapCause.StoreAccessFault, addr);
  }

  private storeRam(off: number, size: AccessSize, value: number): void {
    const index = off >>> PAGE_SHIFT;
    const f = this.flags[index];
    if (f & PAGE_RESERVED) {
      const table = this.memory.reservations;
      const bucket = table.bucketOf(this.memory.ramPhysOffset + off);
      table.lock(bucket);
      table.bump(bucket);
      this.writeRam(off, size, value);
      table.unlock(bucket);
    } else {
      this.writeRam(off, size, value);
    }
    if (f & PAGE_DECODED) this.codeWritten(index);
    if ((f & PAGE_WATCHED) && this.memory.onWatchedStore((this.ramBase + off) | 0)) this.endSlice = true;
  }

  /** This hart stored into a page whose instructions some hart has decoded. */
  private codeWritten(index: number): void {
    this.invalidatePage(index);
    this.codeEpoch = (this.codeEpoch + 1) | 0;
  }

  /** A store into a shared window: byte by byte, breaking LR reservations the peer may hold. */
  private storeWindow(w: WindowView, at: number, size: AccessSize, value: number): void {
    const phys = w.physOffset + at;
    const reserved = (this.memory.pageFlags[phys >>> PAGE_SHIFT] & PAGE_RESERVED) !== 0;
    const table = this.memory.reservations;
    const bucket = table.bucketOf(phys);
    if (reserved) {
      table.lock(bucket);
      table.bump(bucket);
    }
    if (size === 4 && (at & 3) === 0) Atomics.store(w.i32, at >>> 2, value);
    else for (let i = 0; i < size; i++) Atomics.store(w.u8, at + i, value >>> (8 * i));
    if (reserved) table.unlock(bucket);
  }

  private writeRam(off: number, size: AccessSize, value: number): void {
    if (size === 4) this.i32[off >>> 2] = value;
    else if (size === 2) this.u16[off >>> 1] = value;
    else this.u8[off] = value;
  }

  /** LR/SC and AMOs, atomic across workers through Atomics on the shared physical memory. */
  private atomic(op: number, addr: number, operand: number): number {
    const isLoad = op === Op.LrW;
    const off = ((addr - this.ramBase) | 0) >>> 0;
    if ((addr & 3) !== 0) {
      this.fault(isLoad ? TrapCause.LoadMisaligned : TrapCause.StoreMisaligned, addr);
      return 0;
    }
    let i32 = this.i32;
    let index = off >>> 2;
    let phys = this.memory.ramPhysOffset + off;
    const inRam = off < this.ramSize;
    if (!inRam) {
      const w = this.windows.length > 0 ? this.windowAt(addr, 4) : undefined;
      if (w === undefined || (!isLoad && !w.writable)) {
        this.fault(isLoad ? TrapCause.LoadAccessFault : TrapCause.StoreAccessFault, addr);
        return 0;
      }
      const at = ((addr >>> 0) - w.base) >>> 0;
      i32 = w.i32;
      index = at >>> 2;
      phys = w.physOffset + at;
    }
    const flags = this.memory.pageFlags;
    const page = off >>> PAGE_SHIFT;
    const physPage = phys >>> PAGE_SHIFT;
    const table = this.memory.reservations;
    const bucket = table.bucketOf(phys);
    if (op === Op.LrW) {
      if ((flags[physPage] & PAGE_RESERVED) === 0) Atomics.or(flags, physPage, PAGE_RESERVED);
      this.reservedAddr = addr;
      this.reservedSequence = table.sequence(bucket);
      this.reservedValue = Atomics.load(i32, index);
      return this.reservedValue;
    }
    if (op === Op.ScW) {
      const reserved = this.reservedAddr === addr;
      this.reservedAddr = -1;
      if (!reserved) return 1;
      table.lock(bucket);
      let ok = table.sequence(bucket) === this.reservedSequence;
      if (ok) ok = Atomics.compareExchange(i32, index, this.reservedValue, operand) === this.reservedValue;
      if (ok) table.bump(bucket);
      table.unlock(bucket);
      if (ok && inRam) this.afterAtomicStore(page, off);
      return ok ? 0 : 1;
    }
    const flagged = (flags[physPage] & PAGE_RESERVED) !== 0;
    if (flagged) {
      table.lock(bucket);
      table.bump(bucket);
    }
    const old = amo(op, i32, index, operand);
    if (flagged) table.unlock(bucket);
    if (inRam) this.afterAtomicStore(page, off);
    return old;
  }

  private afterAtomicStore(page: number, off: number): void {
    const f = this.flags[page];
    if (f & PAGE_DECODED) this.codeWritten(page);
    if ((f & PAGE_WATCHED) && this.memory.onWatchedStore((this.ramBase + off) | 0)) this.endSlice = true;
  }
}

function amo(op: number, i32: Int32Array, index: number, operand: number): number {
  switch (op) {
    case Op.AmoSwap: return Atomics.exchange(i32, index, operand);
    case Op.AmoAdd: return Atomics.add(i32, index, operand);
    case Op.AmoXor: return Atomics.xor(i32, index, operand);
    case Op.AmoAnd: return Atomics.and(i32, index, operand);
    case Op.AmoOr: return Atomics.or(i32, index, operand);
  }
  // min/max have no Atomics primitive: a compare-and-swap loop.
  for (;;) {
    const old = Atomics.load(i32, index);
    let next: number;
    if (op === Op.AmoMin) next = Math.min(old, operand);
    else if (op === Op.AmoMax) next = Math.max(old, operand);
    else if (op === Op.AmoMinu) next = (old >>> 0) < (operand >>> 0) ? old : operand;
    else next = (old >>> 0) > (operand >>> 0) ? old : operand;
    if (Atomics.compareExchange(i32, index, old, next) === old) return old;
  }
}

/** Upper 32 bits of the signed 64-bit product. */
export function mulhSigned(a: number, b: number): number {
  // Signed from unsigned: subtract the other operand once for each negative factor (mod 2^32).
  return (mulhuParts(a >>> 0, b >>> 0) - (a < 0 ? b >>> 0 : 0) - (b < 0 ? a >>> 0 : 0)) | 0;
}

export function mulhUnsigned(a: number, b: number): number {
  return mulhuParts(a >>> 0, b >>> 0);
}

export function mulhSignedUnsigned(a: number, b: number): number {
  // (a as signed) * (b as unsigned) = a_u * b_u - (a < 0 ? b_u << 32 : 0)
  const high = mulhuParts(a >>> 0, b >>> 0);
  return a < 0 ? (high - (b >>> 0)) | 0 : high;
}

/** High word of an unsigned 32x32 product using 16-bit limbs (exact in doubles, no BigInt). */
function mulhuParts(a: number, b: number): number {
  const aLo = a & 0xffff, aHi = a >>> 16, bLo = b & 0xffff, bHi = b >>> 16;
  const lolo = aLo * bLo;
  const mid1 = aHi * bLo;
  const mid2 = aLo * bHi;
  const carry = ((lolo >>> 16) + (mid1 & 0xffff) + (mid2 & 0xffff)) >>> 16;
  return (aHi * bHi + (mid1 >>> 16) + (mid2 >>> 16) + carry) | 0;
}
