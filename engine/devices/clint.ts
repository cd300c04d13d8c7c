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

/*
 * Shared layout: Int32 hart count, then one Int32 msip per hart, then (8-byte aligned) one
 * Uint64 mtimecmp per hart. mtimecmp is a single 64-bit word so that Atomics make a read of
 * both halves consistent while another worker writes it.
 */
const HEADER_BYTES = 8;

function timecmpOffset(harts: number): number {
  return (HEADER_BYTES + 4 * harts + 7) & ~7;
}

/** CLINT registers shared by all harts' device objects and the platform. */
export class ClintState {
  readonly harts: number;
  private readonly msipWords: Int32Array;
  private readonly timecmpWords: BigUint64Array;

  static create(harts: number): ClintState {
    if (!Number.isInteger(harts) || harts < 1 || harts > CLINT_MAX_HARTS) {
      throw new RangeError(`CLINT supports 1..${CLINT_MAX_HARTS} harts, got ${harts}`);
    }
    const sab = new SharedArrayBuffer(timecmpOffset(harts) + 8 * harts);
    new Int32Array(sab, 0, 1)[0] = harts;
    new BigUint64Array(sab, timecmpOffset(harts), harts).fill(NEVER);
    return new ClintState(sab);
  }

  static attach(sab: SharedArrayBuffer): ClintState {
    return new ClintState(sab);
  }

  private constructor(sab: SharedArrayBuffer) {
    this.harts = new Int32Array(sab, 0, 1)[0]!;
    this.msipWords = new Int32Array(sab, HEADER_BYTES, this.harts);
    this.timecmpWords = new BigUint64Array(sab, timecmpOffset(this.harts), this.harts);
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
      if (Atomics.compareExchange(this.timecmpWords, i, old, next) === old) return;
    }
  }

  private index(hart: number): number {
    if (!Number.isInteger(hart) || hart < 0 || hart >= this.harts) {
      throw new RangeError(`hart ${hart} is not on this CLINT (0..${this.harts - 1})`);
    }
    return hart;
  }
}

/** mtime as the accessing hart sees it. */
export interface ClintTime {
  now(): bigint;
  set(value: bigint): void;
}

/**
 * The MMIO face of the CLINT, one per hart over the same ClintState. Only naturally aligned
 * 4-byte accesses are decoded (the hart splits 8-byte ones), as QEMU's ACLINT requires;
 * anything else, an absent hart's slot, or a gap in the map is an access fault.
 */
export class Clint implements MmioDevice {
  readonly name = 'clint';

  /** `onChange(hart)` runs after a write that may change that hart's pending interrupts. */
  constructor(
    private readonly state: ClintState,
    private readonly time: ClintTime,
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
        return wordOf(this.time.now(), reg.half);
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
        const keep = this.time.now() & ~(LOW_WORD << shift);
        this.time.set(keep | (BigInt(value >>> 0) << shift));
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
