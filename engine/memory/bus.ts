// Routes device accesses by address range; RAM never comes here (the hart's fast path owns it).

import type { AccessSize, MmioDevice } from './mmio-device.js';

export interface BusMapping {
  base: number;
  size: number;
  device: MmioDevice;
}

export class Bus {
  private readonly mappings: readonly BusMapping[];

  constructor(mappings: readonly BusMapping[]) {
    const sorted = [...mappings].sort((a, b) => a.base - b.base);
    for (let i = 1; i < sorted.length; i++) {
      const prev = sorted[i - 1];
      if (prev.base + prev.size > sorted[i].base) {
        throw new Error(`bus: ${prev.device.name} at 0x${hex(prev.base)} overlaps ${sorted[i].device.name} at 0x${hex(sorted[i].base)}`);
      }
    }
    this.mappings = sorted;
  }

  private find(addr: number, size: number): BusMapping | undefined {
    for (const m of this.mappings) {
      const off = (addr - m.base) >>> 0;
      if (off < m.size && off + size <= m.size) return m;
    }
    return undefined;
  }

  /** The value read, or undefined when nothing decodes the access (an access fault). */
  read(addr: number, size: AccessSize): number | undefined {
    const m = this.find(addr >>> 0, size);
    return m === undefined ? undefined : m.device.read((addr >>> 0) - m.base, size);
  }

  /** False when nothing decodes the access (an access fault). */
  write(addr: number, size: AccessSize, value: number): boolean {
    const m = this.find(addr >>> 0, size);
    return m !== undefined && m.device.write((addr >>> 0) - m.base, size, value);
  }

  /**
   * A store as the hart needs it, with one lookup: 0 when nothing decodes it (an access fault), 1
   * when it may have side effects (the hart ends its slice), 2 for a plain store (MmioDevice.plainStore).
   */
  store(addr: number, size: AccessSize, value: number): 0 | 1 | 2 {
    const m = this.find(addr >>> 0, size);
    if (m === undefined) return 0;
    const off = (addr >>> 0) - m.base;
    if (!m.device.write(off, size, value)) return 0;
    return m.device.plainStore !== undefined && m.device.plainStore(off) ? 2 : 1;
  }
}

function hex(n: number): string {
  return (n >>> 0).toString(16).padStart(8, '0');
}
