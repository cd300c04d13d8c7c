// The bus: routes accesses by address range, refuses overlaps, and tells the hart what a store did.

import { describe, expect, it } from 'vitest';
import { Bus } from '../../../engine/memory/bus.js';
import type { AccessSize, MmioDevice } from '../../../engine/memory/mmio-device.js';

/** A device with one word register at 0 (any store ends the slice) and one plain word at 4. */
function device(name: string) {
  const writes: [number, AccessSize, number][] = [];
  const d: MmioDevice = {
    name,
    read: (offset) => (offset === 0 || offset === 4 ? offset + 1 : undefined),
    write: (offset, size, value) => {
      if (offset !== 0 && offset !== 4) return false;
      writes.push([offset, size, value]);
      return true;
    },
    plainStore: (offset) => offset === 4,
  };
  return { d, writes };
}

describe('Bus', () => {
  it('routes by address and answers undefined or false outside every device', () => {
    const a = device('a');
    const b = device('b');
    const bus = new Bus([{ base: 0x2000, size: 0x100, device: b.d }, { base: 0x1000, size: 0x100, device: a.d }]);
    expect(bus.read(0x1004, 4)).toBe(5);
    expect(bus.read(0x2000, 4)).toBe(1);
    expect(bus.read(0x1800, 4)).toBeUndefined();
    expect(bus.write(0x2000, 4, 7)).toBe(true);
    expect(bus.write(0x10fe, 4, 7)).toBe(false); // would straddle the end of the device
    expect(b.writes).toEqual([[0, 4, 7]]);
  });

  it('store: 0 when nothing decodes it, 1 when it may have side effects, 2 for a plain store', () => {
    const a = device('a');
    const bus = new Bus([{ base: 0x1000, size: 0x100, device: a.d }]);
    expect(bus.store(0x1000, 4, 1)).toBe(1);
    expect(bus.store(0x1004, 4, 2)).toBe(2);
    expect(bus.store(0x1008, 4, 3)).toBe(0); // the device refuses the offset
    expect(bus.store(0x3000, 4, 4)).toBe(0);
    expect(a.writes).toEqual([[0, 4, 1], [4, 4, 2]]);
  });

  it('refuses overlapping devices with one line naming both', () => {
    expect(() => new Bus([{ base: 0x1000, size: 0x100, device: device('uart').d }, { base: 0x10f0, size: 0x10, device: device('clint').d }]))
      .toThrow('bus: uart at 0x00001000 overlaps clint at 0x000010f0');
  });
});
