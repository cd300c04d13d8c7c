// What a hart executes against: a RAM window of physical memory, devices, and shared atomics state.

import type { Bus } from '../memory/bus.js';
import type { ReservationTable } from '../memory/reservation-table.js';

export interface HartMemory {
  /** All of physical memory. */
  readonly physical: SharedArrayBuffer;
  /** Byte offset of this address space's RAM inside `physical` (a multiple of 4 KiB). */
  readonly ramPhysOffset: number;
  /** Guest-physical address where RAM starts. */
  readonly ramBase: number;
  /** RAM size in bytes (a multiple of 4 KiB). */
  readonly ramSize: number;
  /** Shared per-page flags over all of physical memory (see memory/page-flags.ts). */
  readonly pageFlags: Uint8Array;
  readonly reservations: ReservationTable;
  /** Devices, reached for every non-RAM access. */
  readonly bus: Bus;
  /** Shared-memory windows (inter-VM channels): more ranges of physical memory, data only. */
  readonly windows?: readonly MemoryWindow[];
  /** The platform timer the `time` CSRs read (the CLINT's machine-wide mtime). */
  readonly timebase: Timebase;
  /** Called after a store into a PAGE_WATCHED page; returns true when the hart must stop its slice. */
  onWatchedStore(guestAddr: number): boolean;
}

export interface Timebase {
  /** mtime (64 bits) as a hart whose virtual time is `cycles` reads it. */
  mtimeAt(cycles: number): bigint;
  /** The first cycle at which mtime >= `value` (unsigned 64 bits), or Infinity. */
  dueCycle(value: bigint): number;
  /** Changes whenever dueCycle's answers may have (mtime written, the clock frozen). */
  changeCount(): number;
}

export interface MemoryWindow {
  /** Guest-physical address and size (multiples of 4 KiB). */
  readonly base: number;
  readonly size: number;
  /** Byte offset in `physical`. */
  readonly physOffset: number;
  /** False: loads only; stores and AMOs are access faults. */
  readonly writable: boolean;
}
