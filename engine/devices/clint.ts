// The CLINT of QEMU's virt board: per-hart software interrupt (msip) and timer compare (mtimecmp).

import type { AccessSize, MmioDevice } from '../memory/mmio-device.js';

const MSIP_OFFSET = 0x0000;
const MTIMECMP_OFFSET = 0x4000;
const MTIME_OFFSET = 0xbff8;
/** mtimecmp slots fit between 0x4000 and mtime: 4095 harts. */
export const CLINT_MAX_HARTS = (MTIME_OFFSET - MTIMECMP_OFFSET) / 8;

const LOW_WORD = 0xffff_ffffn;
/** Reset value of mtimecmp: the timer cannot fire until software programs it. */
const NEVER = 0xffff_ffff_ffff_ffffn;
/** Virtual cycles per mtime tick: 100 MHz cores and the 10 MHz timebase of QEMU virt. */
export const CYCLES_PER_TICK = 10;
/** Cycle counts are doubles, exact integers below 2^53: a timer due later never fires. */
const MAX_TICKS = BigInt(Math.floor(2 ** 53 / CYCLES_PER_TICK));

/*
 * Shared layout: Int32 hart count, Int32 count of timer changes, then one Int32 msip per hart, then (8-byte aligned) one
 * Uint64 mtimecmp per hart, then the machine-wide timebase: an Int64 mtime offset in ticks and a
 * Float64 count of frozen cycles. mtimecmp and the offset are single 64-bit words so that Atomics
 * make a read of both halves consistent while another worker writes them.
 *
 * mtime is one clock for every hart of the machine (as the CLINT defines it):
 *   mtime(cycles) = floor((cycles - frozen) / CYCLES_PER_TICK) + offset   (mod 2^64)
 * where `cycles` is the reading hart's virtual time, `offset` moves when software writes mtime,
 * and `frozen` counts the cycles during which the machine (a VM) was paused, so its timers stop.
 */
const HEADER_BYTES = 8;

function timecmpOffset(harts: number): number {
  return (HEADER_BYTES + 4 * harts + 7) & ~7;
}

function timebaseOffset(harts: number): number {
  return timecmpOffset(harts) + 8 * harts;
}

const TIMEBASE_BYTES = 16;

/** CLINT registers shared by all harts' device objects and the platform. */
export class ClintState {
  readonly harts: number;
  private readonly msipWords: Int32Array;
  private readonly timecmpWords: BigUint64Array;
  /** [0]: mtime offset in ticks. */
  private readonly offsetWord: BigInt64Array;
  /** [0]: cycles during which the clock stood still (pauses). */
  private readonly frozen: Float64Array;
  /** [1]: bumped after every change of an mtimecmp, the offset or the frozen cycles. */
  private readonly header: Int32Array;
  /**
   * This worker's last timerCycle per hart and the change count it was computed at: the scheduler
   * asks twice a slice, and the 64-bit arithmetic behind it allocates BigInts.
   */
  private readonly cachedAt: Float64Array;
  private readonly cachedCycle: Float64Array;

  static create(harts: number): ClintState {
    if (!Number.isInteger(harts) || harts < 1 || harts > CLINT_MAX_HARTS) {
      throw new RangeError(`CLINT supports 1..${CLINT_MAX_HARTS} harts, got ${harts}`);
    }
    const sab = new SharedArrayBuffer(timebaseOffset(harts) + TIMEBASE_BYTES);
    new Int32Array(sab, 0, 1)[0] = harts;
    new BigUint64Array(sab, timecmpOffset(harts), harts).fill(NEVER);
    return new ClintState(sab);
  }

  static attach(sab: SharedArrayBuffer): ClintState {
    return new ClintState(sab);
  }

  private constructor(sab: SharedArrayBuffer) {
    this.header = new Int32Array(sab, 0, 2);
    this.harts = this.header[0]!;
    this.msipWords = new Int32Array(sab, HEADER_BYTES, this.harts);
    this.timecmpWords = new BigUint64Array(sab, timecmpOffset(this.harts), this.harts);
    this.offsetWord = new BigInt64Array(sab, timebaseOffset(this.harts), 1);
    this.frozen = new Float64Array(sab, timebaseOffset(this.harts) + 8, 1);
    this.cachedAt = new Float64Array(this.harts).fill(NaN);
    this.cachedCycle = new Float64Array(this.harts);
  }

  get buffer(): SharedArrayBuffer {
    return this.msipWords.buffer as SharedArrayBuffer;
  }

  msip(hart: number): boolean {
    return Atomics.load(this.msipWords, this.index(hart)) !== 0;
  }

  setMsip(hart: number, pending: boolean): void {
    Atomics.store(this.msipWords, this.index(hart), pending ? 1 : 0);
  }

  timecmp(hart: number): bigint {
    return Atomics.load(this.timecmpWords, this.index(hart));
  }

  setTimecmp(hart: number, value: bigint): void {
    Atomics.store(this.timecmpWords, this.index(hart), BigInt.asUintN(64, value));
    this.changed();
  }

  /** Replaces one 32-bit half (0 low, 1 high) without disturbing a concurrent write of the other. */
  setTimecmpWord(hart: number, half: 0 | 1, value: number): void {
    const i = this.index(hart);
    const shift = BigInt(32 * half);
    const keep = ~(LOW_WORD << shift);
    const insert = BigInt(value >>> 0) << shift;
    for (;;) {
      const old = Atomics.load(this.timecmpWords, i);
      const next = BigInt.asUintN(64, (old & keep) | insert);
      if (Atomics.compareExchange(this.timecmpWords, i, old, next) === old) break;
    }
    this.changed();
  }

  /** mtime as a hart whose virtual time is `cycles` reads it: exact to the tick over all 64 bits. */
  mtimeAt(cycles: number): bigint {
    return BigInt.asUintN(64, BigInt(this.ticks(cycles)) + Atomics.load(this.offsetWord, 0));
  }

  /** A write of mtime by a hart at `cycles`: every hart's clock runs on from `value`. */
  setMtimeAt(value: bigint, cycles: number): void {
    Atomics.store(this.offsetWord, 0, BigInt.asIntN(64, value - BigInt(this.ticks(cycles))));
    this.changed();
  }

  /**
   * The first cycle count at which `hart`'s timer is due (mtime >= mtimecmp), as a hart's clock
   * reads it; Infinity when that lies beyond 2^53 cycles (no modelled run gets there). mtime is
   * taken not to wrap past 2^64 within a run (it would take 58,000 years from a reset).
   */
  timerCycle(hart: number): number {
    const i = this.index(hart);
    // The change count is read before the words: a change racing with this read bumps it after,
    // so the next call computes again.
    const version = Atomics.load(this.header, 1);
    if (this.cachedAt[i] === version) return this.cachedCycle[i];
    const cycle = this.dueCycle(Atomics.load(this.timecmpWords, i));
    this.cachedAt[i] = version;
    this.cachedCycle[i] = cycle;
    return cycle;
  }

  /** The first cycle count at which mtime >= `value` (a timer compare: mtimecmp, or a hart's stimecmp). */
  dueCycle(value: bigint): number {
    const base = BigInt.asUintN(64, Atomics.load(this.offsetWord, 0));
    if (base >= value) return this.frozen[0]; // due from the first tick on
    if (value - base >= MAX_TICKS) return Infinity;
    return Number(value - base) * CYCLES_PER_TICK + this.frozen[0];
  }

  /** Bumped by every change of the timebase or a compare register: a cached dueCycle may be stale. */
  changeCount(): number {
    return Atomics.load(this.header, 1);
  }

  /** Cycles during which the clock has stood still (a paused VM's timers do not run). */
  get frozenCycles(): number {
    return this.frozen[0];
  }

  /** Stops the clock for `cycles` more (called while no hart of the machine runs). */
  freeze(cycles: number): void {
    if (cycles <= 0) return;
    this.frozen[0] += cycles;
    this.changed();
  }

  /** A reset machine: mtime counts from the system's virtual time again, every timer disarmed. */
  resetTimebase(): void {
    Atomics.store(this.offsetWord, 0, 0n);
    this.frozen[0] = 0;
    this.changed();
    for (let hart = 0; hart < this.harts; hart++) {
      this.setMsip(hart, false);
      this.setTimecmp(hart, NEVER);
    }
  }

  private changed(): void {
    Atomics.add(this.header, 1, 1);
  }

  private ticks(cycles: number): number {
    return Math.floor(Math.max(0, cycles - this.frozen[0]) / CYCLES_PER_TICK);
  }

  private index(hart: number): number {
    if (!Number.isInteger(hart) || hart < 0 || hart >= this.harts) {
      throw new RangeError(`hart ${hart} is not on this CLINT (0..${this.harts - 1})`);
    }
    return hart;
  }
}

/**
 * The MMIO face of the CLINT, one per hart over the same ClintState. Only naturally aligned
 * 4-byte accesses are decoded (the hart splits 8-byte ones), as QEMU's ACLINT requires;
 * anything else, an absent hart's slot, or a gap in the map is an access fault.
 */
export class Clint implements MmioDevice {
  readonly name = 'clint';

  /**
   * `cycles()` is the accessing hart's virtual time (mtime is read and written as of it);
   * `onChange(hart)` runs after a write that may change that hart's pending interrupts.
   */
  constructor(
    private readonly state: ClintState,
    private readonly cycles: () => number,
    private readonly onChange: (hart: number) => void,
  ) {}

  read(offset: number, size: AccessSize): number | undefined {
    const reg = this.decode(offset, size);
    if (reg === undefined) return undefined;
    switch (reg.kind) {
      case 'msip':
        return this.state.msip(reg.hart) ? 1 : 0;
      case 'mtimecmp':
        return wordOf(this.state.timecmp(reg.hart), reg.half);
      case 'mtime':
        return wordOf(this.state.mtimeAt(this.cycles()), reg.half);
    }
  }

  write(offset: number, size: AccessSize, value: number): boolean {
    const reg = this.decode(offset, size);
    if (reg === undefined) return false;
    switch (reg.kind) {
      case 'msip':
        this.state.setMsip(reg.hart, (value & 1) !== 0);
        this.onChange(reg.hart);
        break;
      case 'mtimecmp':
        this.state.setTimecmpWord(reg.hart, reg.half, value);
        this.onChange(reg.hart);
        break;
      case 'mtime': {
        const shift = BigInt(32 * reg.half);
        const at = this.cycles();
        const keep = this.state.mtimeAt(at) & ~(LOW_WORD << shift);
        this.state.setMtimeAt(keep | (BigInt(value >>> 0) << shift), at);
        // Moving mtime can make any hart's timer due.
        for (let hart = 0; hart < this.state.harts; hart++) this.onChange(hart);
        break;
      }
    }
    return true;
  }

  private decode(offset: number, size: AccessSize): Register | undefined {
    if (size !== 4 || (offset & 3) !== 0 || offset < 0) return undefined;
    if (offset >= MTIME_OFFSET) {
      return offset < MTIME_OFFSET + 8 ? { kind: 'mtime', half: half(offset) } : undefined;
    }
    if (offset >= MTIMECMP_OFFSET) {
      const hart = (offset - MTIMECMP_OFFSET) >>> 3;
      return hart < this.state.harts ? { kind: 'mtimecmp', hart, half: half(offset) } : undefined;
    }
    const hart = (offset - MSIP_OFFSET) >>> 2;
    return hart < this.state.harts ? { kind: 'msip', hart } : undefined;
  }
}

type Register =
  | { kind: 'msip'; hart: number }
  | { kind: 'mtimecmp'; hart: number; half: 0 | 1 }
  | { kind: 'mtime'; half: 0 | 1 };

function half(offset: number): 0 | 1 {
  return (offset & 4) === 0 ? 0 : 1;
}

function wordOf(value: bigint, half: 0 | 1): number {
  return Number((value >> BigInt(32 * half)) & LOW_WORD);
}
