// Physical memory: one SharedArrayBuffer that every core worker maps without copying.

import { MAX_RAM_BYTES, PAGE_SIZE } from './memory-map.js';

/** Allocates physical memory of `bytes` (a multiple of 4 KiB, at most 2 GiB). */
export function createPhysicalMemory(bytes: number): SharedArrayBuffer {
  if (!Number.isInteger(bytes) || bytes < PAGE_SIZE || bytes % PAGE_SIZE !== 0 || bytes > MAX_RAM_BYTES) {
    throw new RangeError(`memory size must be a multiple of 4 KiB between 4 KiB and 2 GiB, got ${bytes} bytes`);
  }
  return new SharedArrayBuffer(bytes);
}

/** One flag byte per 4 KiB page of `physical` (see page-flags.ts). */
export function createPageFlags(physical: SharedArrayBuffer): SharedArrayBuffer {
  return new SharedArrayBuffer(Math.ceil(physical.byteLength / PAGE_SIZE));
}

const SIZE_UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** Parses a size such as "256M", "64k", "1G", "0x1000000" or "4096"; undefined if malformed. */
export function parseSize(text: string): number | undefined {
  const match = /^(0x[0-9a-f]+|\d+)\s*([kmg]?)(?:i?b)?$/i.exec(text.trim());
  if (match === null) return undefined;
  return Number(match[1]) * SIZE_UNITS[match[2].toLowerCase()];
}
