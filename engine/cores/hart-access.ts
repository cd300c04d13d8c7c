// A hart's memory side: its RAM window and shared windows (inter-VM channels) of physical memory,
// the decode cache kept per RAM page, and the slow paths of loads, stores, LR/SC and AMOs (devices,
// misalignment, flagged pages, atomics across workers). The fast paths are inlined in hart.ts.

import type { AccessSize } from '../memory/mmio-device.js';
import { PAGE_DECODED, PAGE_RESERVED, PAGE_WATCHED } from '../memory/page-flags.js';
import { PAGE_SHIFT } from '../memory/memory-map.js';
import { decode16, decode32, isWide } from './decode.js';
import type { HartMemory } from './hart-memory.js';
import { HartState } from './hart-state.js';
import { Op } from './op.js';
import { TrapCause } from './trap-cause.js';

export interface WindowView {
  base: number;
  size: number;
  physOffset: number;
  writable: boolean;
  u8: Uint8Array;
  i32: Int32Array;
}

export abstract class HartAccess extends HartState {
  protected readonly ramBase: number;
  protected readonly ramSize: number;
  protected readonly u8: Uint8Array;
  protected readonly i8: Int8Array;
  protected readonly u16: Uint16Array;
  protected readonly i16: Int16Array;
  protected readonly i32: Int32Array;
  protected readonly flags: Uint8Array;
  /** Decoded instructions per RAM page: [packed, imm] per halfword slot. */
  protected readonly pages: (Int32Array | null)[];
  /** The virtual page number each RAM page was decoded for, bit 20 set under translation (pc-relative targets and a straddling last instruction depend on both). */
  protected readonly decodedVpn: Int32Array;
  protected readonly windows: WindowView[];

  constructor(hartId: number, memory: HartMemory) {
    super(hartId, memory);
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
    this.decodedVpn = new Int32Array(ramSize >>> PAGE_SHIFT);
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
  protected windowAt(addr: number, size: number): WindowView | undefined {
    for (const w of this.windows) {
      const off = ((addr >>> 0) - w.base) >>> 0;
      if (off < w.size && off + size <= w.size) return w;
    }
    return undefined;
  }

  /** Flushes every decoded instruction (FENCE.I, reset, or memory loaded behind the hart's back). */
  flushDecodeCache(): void {
    this.pages.fill(null);
  }

  protected newPage(off: number): Int32Array {
    const page = new Int32Array(4096);
    const index = off >>> PAGE_SHIFT;
    this.pages[index] = page;
    this.decodedVpn[index] = ((this.ramBase + off) | 0) >>> PAGE_SHIFT;
    if ((this.flags[index] & PAGE_DECODED) === 0) Atomics.or(this.flags, index, PAGE_DECODED);
    return page;
  }

  protected decodeSlot(page: Int32Array, slot: number, off: number, pc: number): number {
    const low = this.u16[off >>> 1];
    if (!isWide(low)) {
      const decoded = decode16(low, pc);
      page[slot] = decoded.packed;
      page[slot + 1] = decoded.imm;
      return decoded.packed;
    }
    if (off + 2 >= this.ramSize) {
      page[slot] = (Op.FetchFault | (4 << 24)) | 0;
      page[slot + 1] = (pc + 2) | 0;
      return page[slot];
    }
    const next = (off + 2) >>> PAGE_SHIFT;
    // An instruction straddling a page boundary must be invalidated by stores to either page.
    if (next !== off >>> PAGE_SHIFT && (this.flags[next] & PAGE_DECODED) === 0) Atomics.or(this.flags, next, PAGE_DECODED);
    return this.decodeAt(page, slot, off, off + 2, pc);
  }

  /** Decodes the 32-bit instruction whose halves are at RAM offsets `off` and `upper`. */
  protected decodeAt(page: Int32Array, slot: number, off: number, upper: number, pc: number): number {
    const decoded = decode32(this.u16[off >>> 1] | (this.u16[upper >>> 1] << 16), pc);
    page[slot] = decoded.packed;
    page[slot + 1] = decoded.imm;
    return decoded.packed;
  }

  protected invalidatePage(index: number): void {
    this.pages[index] = null;
    const previous = this.pages[index - 1];
    if (previous) previous[4094] = previous[4095] = 0; // an instruction that straddles into this page
  }

  /** Loads that miss the fast path: misaligned RAM accesses (done in place) and devices. */
  protected loadSlow(addr: number, size: AccessSize, signed: boolean): number {
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
  protected storeSlow(addr: number, size: AccessSize, value: number): void {
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

  protected storeRam(off: number, size: AccessSize, value: number): void {
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
  protected codeWritten(index: number): void {
    this.invalidatePage(index);
    this.codeEpoch = (this.codeEpoch + 1) | 0;
  }

  /** A store into a shared window: byte by byte, breaking LR reservations the peer may hold. */
  protected storeWindow(w: WindowView, at: number, size: AccessSize, value: number): void {
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

  protected writeRam(off: number, size: AccessSize, value: number): void {
    if (size === 4) this.i32[off >>> 2] = value;
    else if (size === 2) this.u16[off >>> 1] = value;
    else this.u8[off] = value;
  }

  /** LR/SC and AMOs, atomic across workers through Atomics on the shared physical memory. */
  protected atomic(op: number, addr: number, operand: number): number {
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

  protected afterAtomicStore(page: number, off: number): void {
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

