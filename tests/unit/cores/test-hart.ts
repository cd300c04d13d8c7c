// A hart on a bench: 64 KiB of RAM at 0x80000000, a 4-byte scratch device, a program, and single-stepping.

import { expect } from 'vitest';
import { Hart } from '../../../engine/cores/hart.js';
import { TrapCause } from '../../../engine/cores/trap-cause.js';
import type { HartMemory } from '../../../engine/cores/hart-memory.js';
import { Bus } from '../../../engine/memory/bus.js';
import type { AccessSize, MmioDevice } from '../../../engine/memory/mmio-device.js';
import { ReservationTable } from '../../../engine/memory/reservation-table.js';
import { lengthOf } from './rv-asm.js';

export const RAM_BASE = 0x8000_0000;
export const RAM_SIZE = 64 * 1024;
/** A 4-byte read/write register on the bus. */
export const SCRATCH_BASE = 0x1000_0000;
/** Nothing answers here. */
export const UNMAPPED = 0x4000_0000;
/** Where the bench points mtvec and stvec unless a test says otherwise. */
export const M_TRAP_VECTOR = RAM_BASE + 0x8000;
export const S_TRAP_VECTOR = RAM_BASE + 0x9000;

/** A 4-byte little-endian register that logs every access. */
export class ScratchDevice implements MmioDevice {
  readonly name = 'scratch';
  value = 0;
  readonly log: { kind: 'read' | 'write'; offset: number; size: AccessSize; value: number }[] = [];

  read(offset: number, size: AccessSize): number | undefined {
    if (offset + size > 4) return undefined;
    const value = size === 4 ? this.value >>> 0 : (this.value >>> (8 * offset)) & ((1 << (8 * size)) - 1);
    this.log.push({ kind: 'read', offset, size, value });
    return value;
  }

  write(offset: number, size: AccessSize, value: number): boolean {
    if (offset + size > 4) return false;
    const mask = size === 4 ? 0xffff_ffff : ((1 << (8 * size)) - 1) << (8 * offset);
    this.value = ((this.value & ~mask) | ((value << (8 * offset)) & mask)) >>> 0;
    this.log.push({ kind: 'write', offset, size, value: size === 4 ? value >>> 0 : value & ((1 << (8 * size)) - 1) });
    return true;
  }
}

/** The buffers a hart needs, so a second hart (or a worker) can share them. */
export interface SharedMachine {
  physical: SharedArrayBuffer;
  pageFlags: SharedArrayBuffer;
  reservations: SharedArrayBuffer;
}

export function createSharedMachine(): SharedMachine {
  return {
    physical: new SharedArrayBuffer(RAM_SIZE),
    pageFlags: new SharedArrayBuffer(RAM_SIZE / 4096),
    reservations: ReservationTable.create(),
  };
}

export interface TestHartOptions {
  hartId?: number;
  /** Share RAM, page flags and reservations with another bench. */
  machine?: SharedMachine;
  /** Where the program goes and the hart starts (default RAM_BASE). */
  at?: number;
}

/** Unsigned view of a 32-bit value, for comparing with encodings and addresses. */
export const u32 = (v: number): number => v >>> 0;

/** mtime at 10 MHz of the hart's cycles, plus an offset a test may set. */
export class TestTimebase {
  offset = 0n;
  private changes = 0;
  mtimeAt(cycles: number): bigint {
    return BigInt(Math.floor(cycles / 10)) + this.offset;
  }
  dueCycle(value: bigint): number {
    return value <= this.offset ? 0 : value - this.offset >= 2n ** 49n ? Infinity : Number(value - this.offset) * 10;
  }
  changeCount(): number {
    return this.changes;
  }
  /** Moves mtime by `ticks` (as a write of mtime would). */
  shift(ticks: bigint): void {
    this.offset += ticks;
    this.changes++;
  }
}

export class TestHart {
  readonly hart: Hart;
  readonly timebase = new TestTimebase();
  readonly machine: SharedMachine;
  readonly scratch = new ScratchDevice();
  private readonly ram: DataView;

  /** Builds a hart in M-mode at the program's first instruction, with mtvec/stvec at the bench vectors. */
  constructor(program: readonly number[] = [], options: TestHartOptions = {}) {
    this.machine = options.machine ?? createSharedMachine();
    this.ram = new DataView(this.machine.physical);
    const memory: HartMemory = {
      physical: this.machine.physical,
      ramPhysOffset: 0,
      ramBase: RAM_BASE,
      ramSize: RAM_SIZE,
      pageFlags: new Uint8Array(this.machine.pageFlags),
      reservations: new ReservationTable(this.machine.reservations),
      bus: new Bus([{ base: SCRATCH_BASE, size: 4, device: this.scratch }]),
      timebase: this.timebase,
      onWatchedStore: () => false, // the bench watches no pages
    };
    this.hart = new Hart(options.hartId ?? 0, memory);
    const at = options.at ?? RAM_BASE;
    this.load(program, at);
    this.hart.reset(at);
    this.hart.mtvec = M_TRAP_VECTOR;
    this.hart.stvec = S_TRAP_VECTOR;
    openPmp(this.hart);
  }

  /**
   * Writes instructions (16- or 32-bit each, told apart by their low two bits) little-endian from `at`
   * and flushes the decode cache. Returns the address of each instruction.
   */
  load(program: readonly number[], at = RAM_BASE): number[] {
    const addresses: number[] = [];
    let addr = at;
    for (const instruction of program) {
      addresses.push(addr);
      if (lengthOf(instruction) === 4) this.poke32(addr, instruction);
      else this.poke16(addr, instruction);
      addr += lengthOf(instruction);
    }
    this.hart.flushDecodeCache();
    return addresses;
  }

  /** Runs `count` single-instruction slices; each first takes a pending enabled interrupt, as run() does. */
  step(count = 1): void {
    for (let i = 0; i < count; i++) this.hart.run(1);
  }

  /** One slice of up to `budget` instructions (slices end early on WFI, xRET, CSR writes that unmask...). */
  run(budget: number): number {
    return this.hart.run(budget);
  }

  /** Runs slices until the pc reaches `addr` or `limit` instructions have executed. */
  runUntil(addr: number, limit = 10_000): void {
    for (let i = 0; i < limit && u32(this.hart.pc) !== u32(addr); i++) this.hart.run(1);
  }

  get pc(): number {
    return u32(this.hart.pc);
  }

  /** Register value as a signed 32-bit number. */
  get(r: number): number {
    return this.hart.x[r];
  }

  /** Register value as an unsigned 32-bit number. */
  getU(r: number): number {
    return this.hart.x[r] >>> 0;
  }

  set(r: number, value: number): this {
    if (r !== 0) this.hart.x[r] = value;
    return this;
  }

  /** mcause, mepc and mtval, unsigned. */
  get machineTrap(): { mcause: number; mepc: number; mtval: number } {
    const h = this.hart;
    return { mcause: u32(h.mcause), mepc: u32(h.mepc), mtval: u32(h.mtval) };
  }

  /** scause, sepc and stval, unsigned. */
  get supervisorTrap(): { scause: number; sepc: number; stval: number } {
    const h = this.hart;
    return { scause: u32(h.scause), sepc: u32(h.sepc), stval: u32(h.stval) };
  }

  private offset(addr: number, size: number): number {
    const off = (addr >>> 0) - RAM_BASE;
    if (off < 0 || off + size > RAM_SIZE) throw new RangeError(`0x${(addr >>> 0).toString(16)} is outside the bench RAM`);
    return off;
  }

  peek8(addr: number): number {
    return this.ram.getUint8(this.offset(addr, 1));
  }
  peek16(addr: number): number {
    return this.ram.getUint16(this.offset(addr, 2), true);
  }
  peek32(addr: number): number {
    return this.ram.getUint32(this.offset(addr, 4), true);
  }
  /** Pokes write RAM behind the hart's back: they do not invalidate decoded instructions (load() does). */
  poke8(addr: number, value: number): void {
    this.ram.setUint8(this.offset(addr, 1), value & 0xff);
  }
  poke16(addr: number, value: number): void {
    this.ram.setUint16(this.offset(addr, 2), value & 0xffff, true);
  }
  poke32(addr: number, value: number): void {
    this.ram.setUint32(this.offset(addr, 4), value >>> 0, true);
  }
}

/**
 * What firmware does before it runs S or U code: PMP entry 0 gives them all of memory (NAPOT over the
 * whole space, RWX). Without an entry on, S and U reach nothing (and QEMU refuses the mret to them).
 */
export function openPmp(hart: Hart): void {
  hart.pmpaddr[0] = -1;
  hart.pmpcfg[0] = 0x1f;
  hart.pmpChanged();
}

/** Turns every PMP entry off. */
export function closePmp(hart: Hart): void {
  hart.pmpaddr.fill(0);
  hart.pmpcfg.fill(0);
  hart.pmpChanged();
}

/** Runs `program` one instruction per step, `count` steps (default: the whole program). */
export function exec(program: number[], setup: (t: TestHart) => void = () => {}, count = program.length): TestHart {
  const t = new TestHart(program);
  setup(t);
  t.step(count);
  return t;
}

export function expectIllegal(t: TestHart, bits: number, pc = RAM_BASE): void {
  expect(t.machineTrap).toEqual({ mcause: TrapCause.IllegalInstruction, mepc: pc, mtval: bits });
  expect(t.pc).toBe(M_TRAP_VECTOR);
}

