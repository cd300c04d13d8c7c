// Shared windows (inter-VM channels): more physical memory in a hart's map, data only, maybe read-only.

import { describe, expect, it } from 'vitest';
import { Hart } from '../../../engine/cores/hart.js';
import { Bus } from '../../../engine/memory/bus.js';
import { ReservationTable } from '../../../engine/memory/reservation-table.js';
import { A0, A1, A2, amoadd_w, jalr, lb, lr_w, lw, sb, sc_w, sw, ZERO } from './rv-asm.js';

const RAM = 0x8000_0000;
const WINDOW = 0x9000_0000;
const RAM_BYTES = 0x4000;
const WINDOW_PHYS = 0x8000; // physical offset of the window, past both RAMs

/** Two harts with their own RAM, sharing one window (writable for the first, read-only for the second unless asked). */
function twoHarts(secondWritable = false) {
  const physical = new SharedArrayBuffer(0xa000);
  const pageFlags = new Uint8Array(new SharedArrayBuffer(0xa));
  const reservations = new ReservationTable(ReservationTable.create());
  const make = (ramPhysOffset: number, writable: boolean) => new Hart(0, {
    physical, ramPhysOffset, ramBase: RAM, ramSize: RAM_BYTES, pageFlags, reservations, bus: new Bus([]),
    windows: [{ base: WINDOW, size: 0x1000, physOffset: WINDOW_PHYS, writable }],
    timebase: { mtimeAt: () => 0n, dueCycle: () => Infinity, changeCount: () => 0 },
    onWatchedStore: () => false,
  });
  return { writer: make(0, true), reader: make(0x4000, secondWritable), physical, ram: (phys: number) => new Uint8Array(physical, phys, RAM_BYTES) };
}

function program(ram: Uint8Array, words: number[]): void {
  new DataView(ram.buffer, ram.byteOffset).setUint32(0, 0);
  words.forEach((w, i) => new DataView(ram.buffer, ram.byteOffset).setUint32(4 * i, w >>> 0, true));
}

function start(hart: Hart): void {
  hart.reset(RAM);
  hart.mtvec = RAM + 0x1000;
  hart.x[A0] = WINDOW;
}

describe('shared windows', () => {
  it('a word stored through the window by one hart is loaded by the other, and bytes too', () => {
    const { writer, reader, ram } = twoHarts();
    program(ram(0), [sw(A1, 8, A0), sb(A1, 13, A0)]);
    program(ram(0x4000), [lw(A2, 8, A0), lb(A1, 13, A0)]);
    start(writer);
    start(reader);
    writer.x[A1] = 0x1234_56f0;
    writer.run(2);
    reader.run(2);
    expect(reader.x[A2]).toBe(0x1234_56f0);
    expect(reader.x[A1]).toBe(-16); // 0xf0 sign-extended
  });

  it('AMOs and LR/SC work on the window; a store by the other hart, even of the same value, fails the SC', () => {
    const { writer, reader, ram } = twoHarts(true);
    program(ram(0), [amoadd_w(A2, A1, A0), lr_w(A2, A0), sc_w(A1, A1, A0), lr_w(A2, A0), sc_w(A1, A1, A0)]);
    program(ram(0x4000), [sw(A2, 0, A0)]);
    start(writer);
    start(reader);
    writer.x[A1] = 5;
    writer.run(3); // amoadd, then an undisturbed LR/SC pair
    expect(writer.x[A1]).toBe(0);
    writer.x[A1] = 9;
    writer.run(1); // LR reads 5
    expect(writer.x[A2]).toBe(5);
    reader.x[A2] = 5;
    reader.run(1); // the other hart stores 5 again
    writer.run(1); // SC
    expect(writer.x[A1]).toBe(1);
  });

  it('a read-only window faults on stores and AMOs with cause 7, and nothing is written', () => {
    const { reader, ram, physical } = twoHarts();
    program(ram(0x4000), [sw(A0, 0, A0), amoadd_w(A2, A0, A0)]);
    start(reader);
    reader.run(1);
    expect(reader.mcause).toBe(7);
    expect(reader.mtval >>> 0).toBe(WINDOW);
    expect(new Uint32Array(physical, WINDOW_PHYS, 1)[0]).toBe(0);
  });

  it('fetching from a window is an instruction access fault (windows hold data only)', () => {
    const { writer, ram } = twoHarts();
    program(ram(0), [jalr(ZERO, A0, 0)]);
    start(writer);
    writer.run(2);
    expect(writer.mcause).toBe(1);
    expect(writer.mtval >>> 0).toBe(WINDOW);
  });
});
