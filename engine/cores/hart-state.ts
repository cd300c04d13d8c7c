// A hart's architectural state: registers, CSRs and counters, its saved context, pending
// interrupts and trap entry and return. Memory access is hart-access.ts; execution is hart.ts.

import { ContextNumber as N, ContextWord as W, stimecmpOf } from './hart-context.js';
import type { HartMemory } from './hart-memory.js';
import { MSTATUS_MIE, MSTATUS_MPIE, MSTATUS_MPP, MSTATUS_MPP_SHIFT, MSTATUS_MPRV, MSTATUS_SIE, MSTATUS_SPIE, MSTATUS_SPP } from './mstatus.js';
import { PmpRules } from './pmp.js';
import { MIP_MSIP, MIP_MTIP, MIP_STIP, Privilege, TrapCause } from './trap-cause.js';

/** Consecutive traps with no instruction retired in between that count as a trap loop. */
const TRAP_LOOP_LIMIT = 8;

const INHIBIT_CY = 0b001;
const INHIBIT_IR = 0b100;

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

/**
 * The M-mode firmware a hart may have built in (Tessera's SBI, engine/hypervisor/sbi-firmware.ts):
 * it serves S-mode's ecalls and the machine timer and software interrupts in place of code running
 * in M-mode, the way a hypervisor serves its guests' SBI calls.
 */
export interface MachineFirmware {
  /**
   * An ecall from S-mode that S-mode does not handle itself (medeleg bit 9 clear). Returns the pc
   * to go on at: pc + 4 once served, `pc` to try again later (the call waits for other harts).
   */
  ecall(hart: HartState, pc: number): number;
  /** Serves the machine-level interrupts pending and enabled (`pending`: mip bits, MSIP and MTIP). */
  interrupt(hart: HartState, pending: number): void;
  /** Whether the hart is stopped (SBI HSM): it runs nothing until another hart starts it. */
  stopped(hart: HartState): boolean;
}

export abstract class HartState {
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
  /** Sstc: menvcfgh holds STCE (bit 31, so negative when on); stimecmp in two halves. */
  menvcfgh = 0;
  stimecmpLo = -1;
  stimecmpHi = -1;
  /** stimecmp as a cycle, valid while the timebase's change count is stimerVersion. */
  private stimerAt = Infinity;
  private stimerVersion = -1;
  mcountinhibit = 0;
  satp = 0;
  readonly pmpcfg = new Int32Array(4);
  readonly pmpaddr = new Int32Array(16);
  /** pmpcfg and pmpaddr decoded; pmpChanged() keeps it current. */
  readonly pmp = new PmpRules();

  /** Virtual cycles this hart has consumed (instructions executed plus idle time); drives mtime. */
  cycles = 0;
  /** Instructions retired. */
  instret = 0;
  // mcycle = cycles + cycleAdjust (minstret likewise), or the frozen value while mcountinhibit stops it.
  protected cycleAdjust = 0;
  protected instretAdjust = 0;
  protected cycleFrozen = 0;
  protected instretFrozen = 0;
  /**
   * Counts what may change the code this hart fetches: FENCE.I, and its own stores into pages some
   * hart has decoded. It travels with the saved context, so a copy of the hart that another core
   * holds (a vCPU that migrated) drops its decoded instructions when it resumes a newer epoch.
   */
  protected codeEpoch = 0;

  /** Parked in WFI until an enabled interrupt is pending. */
  waiting = false;
  /** The interrupt taken at the start of the last run() (its code), or -1: for latency accounting. */
  lastInterrupt = -1;
  /** Access faults raised so far (loads, stores, AMOs, fetches outside the address space). */
  accessFaults = 0;
  /** Set when the hart is stuck in a trap loop; the hart never runs again. */
  trapLoop: TrapLoop | undefined;
  /** The M-mode firmware built into this hart (Tessera's SBI), if any: M-mode then runs no code. */
  firmware: MachineFirmware | undefined;

  protected reservedAddr = -1;
  protected reservedSequence = 0;
  protected reservedValue = 0;

  protected trapStreak = 0;
  protected lastTrapRetired = -1;
  protected firstTrapOfStreak = { mcause: 0, mtval: 0, pc: 0 };

  // Progress of the current slice, for CSR reads of the counters in the middle of it.
  protected sliceCycles = 0;
  protected sliceRetired = 0;
  /** The cycle at which the current slice ends (run() sets it). */
  protected sliceEnd = Infinity;
  /** Set by a slow path when the slice must end after the current instruction. */
  protected endSlice = false;
  protected pendingCause = -1;
  protected pendingTval = 0;


  constructor(readonly hartId: number, protected readonly memory: HartMemory) {}

  /** Flushes every decoded instruction (FENCE.I, reset, or memory loaded behind the hart's back). */
  abstract flushDecodeCache(): void;

  /** Drops every cached translation (SFENCE.VMA, satp and PMP writes, a context switch). */
  abstract flushTlb(): void;

  /** After a write to pmpcfg or pmpaddr: decode the entries again; cached translations were checked against the old ones. */
  pmpChanged(): void {
    this.pmp.update(this.pmpcfg, this.pmpaddr);
    this.flushTlb();
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
    this.mcountinhibit = this.satp = this.menvcfgh = 0;
    this.setStimecmp(-1, -1);
    this.pmpcfg.fill(0);
    this.pmpaddr.fill(0);
    this.waiting = false;
    this.trapLoop = undefined;
    this.reservedAddr = -1;
    this.trapStreak = 0;
    this.lastTrapRetired = -1;
    this.flushDecodeCache();
    this.pmpChanged();
  }

  mip(): number {
    const bits = this.mipSoft | this.mipLines;
    if (this.menvcfgh >= 0) return bits;
    // Sstc: STIP is up exactly while time >= stimecmp.
    return this.liveTime() >= this.stimerCycle() ? bits | MIP_STIP : bits & ~MIP_STIP;
  }

  /** Sstc on: the cycle at which STIP rises (time reaches stimecmp); Infinity when Sstc is off or that never comes. */
  stimerCycle(): number {
    if (this.menvcfgh >= 0) return Infinity;
    const timebase = this.memory.timebase;
    const version = timebase.changeCount();
    if (version !== this.stimerVersion) {
      this.stimerAt = timebase.dueCycle(stimecmpOf(this.stimecmpLo, this.stimecmpHi));
      this.stimerVersion = version;
    }
    return this.stimerAt;
  }

  /**
   * Writes stimecmp; true when its deadline now falls inside the current slice (which must then end
   * for the core to cut the next one at it). Linux writes it three times a tick (low half all ones,
   * high, low): ending the slice on each write cost its boot 15 %.
   */
  setStimecmp(low: number, high: number): boolean {
    this.stimecmpLo = low | 0;
    this.stimecmpHi = high | 0;
    this.stimerVersion = -1;
    return this.stimerCycle() < this.sliceEnd;
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
    words[W.Menvcfgh] = this.menvcfgh; words[W.StimecmpLo] = this.stimecmpLo; words[W.StimecmpHi] = this.stimecmpHi;
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
    this.menvcfgh = words[W.Menvcfgh];
    this.setStimecmp(words[W.StimecmpLo], words[W.StimecmpHi]);
    this.pmpChanged(); // also drops the TLB: it may hold another core's stale view of this vCPU's mappings
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

  /** Ends the current slice after the instruction under way (a firmware call that changed what may run). */
  requestSliceEnd(): void {
    this.endSlice = true;
  }

  /**
   * Lets the built-in firmware serve its machine-level interrupts (whatever mstatus.MIE says: S and
   * U always take M interrupts); true when the hart is stopped and must run nothing.
   */
  protected serveFirmware(firmware: MachineFirmware): boolean {
    const pending = this.mip() & this.mie & ~this.mideleg & (MIP_MSIP | MIP_MTIP);
    if (pending !== 0) firmware.interrupt(this, pending);
    if (!firmware.stopped(this)) return false;
    this.waiting = true;
    return true;
  }

  /** Takes a synchronous trap of the instruction at `pc`; `executed` counts instructions before it. */
  protected trapAt(cause: number, tval: number, pc: number, executed: number, trappedBefore: number): number {
    if (cause === TrapCause.EcallFromS && this.firmware !== undefined && ((this.medeleg >>> TrapCause.EcallFromS) & 1) === 0) {
      return this.firmware.ecall(this, pc);
    }
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

  protected trapPending(pc: number, executed: number, trappedBefore: number): number {
    const cause = this.pendingCause;
    this.pendingCause = -1;
    return this.trapAt(cause, this.pendingTval, pc, executed, trappedBefore);
  }

  protected fault(cause: TrapCause, tval: number): void {
    this.pendingCause = cause;
    this.pendingTval = tval | 0;
  }

  /** Trap entry: delegation, xepc/xcause/xtval, the status stack, and the (vectored) handler address. */
  protected enterTrap(cause: number, tval: number, pc: number): number {
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

  protected mret(): number {
    const s = this.mstatus;
    const previous = (s & MSTATUS_MPP) >>> MSTATUS_MPP_SHIFT;
    let next = (s & ~(MSTATUS_MIE | MSTATUS_MPP)) | ((s & MSTATUS_MPIE) >>> 4) | MSTATUS_MPIE;
    if (previous !== Privilege.Machine) next &= ~MSTATUS_MPRV;
    this.mstatus = next;
    this.priv = previous;
    return this.mepc;
  }

  protected sret(): number {
    const s = this.mstatus;
    const previous = (s & MSTATUS_SPP) >>> 8;
    this.mstatus = ((s & ~(MSTATUS_SIE | MSTATUS_SPP)) | ((s & MSTATUS_SPIE) >>> 4) | MSTATUS_SPIE) & ~MSTATUS_MPRV;
    this.priv = previous;
    return this.sepc;
  }



}
