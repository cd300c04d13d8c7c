// The SiFive test finisher: pass, fail with a code, reset; everything else ignored.

import { describe, expect, it } from 'vitest';
import { SifiveTest } from '../../../engine/devices/sifive-test.js';

function finisher() {
  const events: string[] = [];
  const device = new SifiveTest({
    onExit: (code) => events.push(`exit ${code}`),
    onReset: () => events.push('reset'),
  });
  return { device, events };
}

describe('SifiveTest', () => {
  it('writing 0x5555 at offset 0 ends the run with exit code 0', () => {
    const { device, events } = finisher();
    expect(device.write(0, 4, 0x5555)).toBe(true);
    expect(events).toEqual(['exit 0']);
  });

  it('writing 0x3333 ends the run with the code in bits 31..16', () => {
    const { device, events } = finisher();
    device.write(0, 4, (3 << 16) | 0x3333);
    device.write(0, 4, 0xffff_3333);
    expect(events).toEqual(['exit 3', 'exit 65535']);
  });

  it('a fail with code 0 exits 0, as in QEMU', () => {
    const { device, events } = finisher();
    device.write(0, 4, 0x3333);
    expect(events).toEqual(['exit 0']);
  });

  it('writing 0x7777 resets the board', () => {
    const { device, events } = finisher();
    device.write(0, 4, 0x7777);
    expect(events).toEqual(['reset']);
  });

  it('ignores other values and other offsets, but decodes the write', () => {
    const { device, events } = finisher();
    expect(device.write(0, 4, 0x1234)).toBe(true);
    expect(device.write(4, 4, 0x5555)).toBe(true);
    expect(device.write(0xffc, 4, 0x3333)).toBe(true);
    expect(events).toEqual([]);
  });

  it('reads return 0', () => {
    const { device } = finisher();
    expect(device.read(0, 4)).toBe(0);
    expect(device.read(0x10, 2)).toBe(0);
  });

  it('a 16-bit write at offset 0 acts on its value, as QEMU allows', () => {
    const { device, events } = finisher();
    expect(device.write(0, 2, 0x5555)).toBe(true);
    expect(device.write(0, 2, 0xabcd_3333)).toBe(true);
    expect(events).toEqual(['exit 0', 'exit 0']);
  });

  it('byte accesses, misaligned accesses and offsets past the 4 KiB page are not decoded', () => {
    const { device, events } = finisher();
    expect(device.write(0, 1, 0x55)).toBe(false);
    expect(device.read(0, 1)).toBeUndefined();
    expect(device.write(2, 4, 0x5555)).toBe(false);
    expect(device.read(0x1000, 4)).toBeUndefined();
    expect(events).toEqual([]);
  });
});
