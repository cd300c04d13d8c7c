// The doorbell device: channel descriptions are read-only, RING rings the peer, everything else faults.

import { describe, expect, it } from 'vitest';
import { Doorbells, type DoorbellChannel } from '../../../engine/devices/doorbell.js';

function channels() {
  const rung: number[] = [];
  const stamps: [number, number][] = [];
  const list: DoorbellChannel[] = [
    { base: 0x9000_0000, size: 0x4000, writable: true, irq: 32, ring: () => rung.push(0), received: () => 7, sentAt: (c) => stamps.push([0, c]) },
    { base: 0xa000_0000, size: 0x1000, writable: false, irq: 33, ring: () => rung.push(1), received: () => 0x1_0000_0005, sentAt: (c) => stamps.push([1, c]) },
  ];
  return { device: new Doorbells(list), rung, stamps };
}

describe('doorbell device', () => {
  it('reports the channel count and each window, its access and its interrupt', () => {
    const { device } = channels();
    expect(device.read(0x000, 4)).toBe(2);
    expect([0x100, 0x104, 0x108, 0x10c].map((o) => device.read(o, 4))).toEqual([0x9000_0000, 0x4000, 1, 32]);
    expect([0x120, 0x124, 0x128, 0x12c].map((o) => device.read(o, 4))).toEqual([0xa000_0000, 0x1000, 0, 33]);
  });

  it('rings the peer of exactly the channel written, and counts what the peer rang', () => {
    const { device, rung } = channels();
    expect(device.write(0x130, 4, 0)).toBe(true);
    expect(device.write(0x110, 4, 123)).toBe(true);
    expect(rung).toEqual([1, 0]);
    expect(device.read(0x114, 4)).toBe(7);
    expect(device.read(0x134, 4)).toBe(5); // low 32 bits
  });

  it('faults on a missing channel, a read of RING, a write to a read-only register and a bad width', () => {
    const { device, rung } = channels();
    expect(device.read(0x140, 4)).toBeUndefined();
    expect(device.read(0x110, 4)).toBeUndefined();
    expect(device.write(0x100, 4, 1)).toBe(false);
    expect(device.write(0x000, 4, 1)).toBe(false);
    expect(device.read(0x100, 2)).toBeUndefined();
    expect(device.write(0x111, 4, 1)).toBe(false);
    expect(device.read(0x118, 4)).toBeUndefined(); // SENT_AT is write-only
    expect(device.write(0x11c, 4, 1)).toBe(false);
    expect(rung).toEqual([]);
  });

  it('SENT_AT hands the send time to the channel written, unsigned, and does not end the slice', () => {
    const { device, rung, stamps } = channels();
    expect(device.write(0x138, 4, -1)).toBe(true);
    expect(device.write(0x118, 4, 1234)).toBe(true);
    expect(stamps).toEqual([[1, 0xffff_ffff], [0, 1234]]);
    expect(rung).toEqual([]);
    expect(device.plainStore(0x118)).toBe(true);
    expect(device.plainStore(0x110)).toBe(false); // RING may raise an interrupt
    expect(device.plainStore(0x158)).toBe(false); // no such channel
  });
});
