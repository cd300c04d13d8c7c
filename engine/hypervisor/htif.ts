// HTIF's tohost convention (Spike, riscv-tests): an ELF that defines `tohost` ends its run by
// storing (code << 1) | 1 there. The word's page is watched, so only stores to it leave the fast path.

import { PAGE_SHIFT, RAM_BASE } from '../memory/memory-map.js';
import { PAGE_WATCHED } from '../memory/page-flags.js';
import type { SystemTables } from './system-tables.js';

/** Flags the page of the VM's tohost word (after every boot: booting clears the partition's flags). */
export function watchTohost(tables: SystemTables, vm: number): void {
  const layout = tables.layout.vms[vm];
  if (!holdsTohost(layout)) return;
  const page = (layout.physicalBase + ((layout.tohost - RAM_BASE) >>> 0)) >>> PAGE_SHIFT;
  Atomics.or(new Uint8Array(tables.buffers.pageFlags), page, PAGE_WATCHED);
}

/**
 * The hart's hook for stores into watched pages: a store of (code << 1) | 1 to tohost calls
 * `exit(code)` and ends the slice; anything else there is an ordinary store (proxy-kernel requests
 * are not served).
 */
export function watchesStore(tables: SystemTables, vm: number, exit: (code: number) => void): (guestAddr: number) => boolean {
  const layout = tables.layout.vms[vm];
  if (!holdsTohost(layout)) return () => false;
  const words = new Int32Array(tables.buffers.physical, layout.physicalBase, layout.ramBytes >>> 2);
  const index = ((layout.tohost - RAM_BASE) >>> 0) >>> 2;
  return (guestAddr) => {
    if ((guestAddr & ~3) !== (layout.tohost & ~3)) return false;
    const value = Atomics.load(words, index);
    if ((value & 1) === 0) return false;
    exit(value >>> 1);
    return true;
  };
}

/** Whether the VM has a tohost word inside its RAM (a symbol elsewhere is no HTIF). */
function holdsTohost(layout: { tohost: number; ramBytes: number }): boolean {
  return layout.tohost >= 0 && ((layout.tohost - RAM_BASE) >>> 0) + 4 <= layout.ramBytes;
}
