// The CLINT against its map: msip at 4*hart, mtimecmp at 0x4000 + 8*hart, mtime at 0xBFF8.

import { describe, expect, it } from 'vitest';
import { Clint, ClintState, CLINT_MAX_HARTS, CYCLES_PER_TICK } from '../../../engine/devices/clint.js';
import { runInWorker } from '../../fixtures/ts-worker.js';

/** A hand-driven virtual clock (cycles) for the accessing hart, so tests never depend on the wall clock. */
class FakeClock {
  cycles = 0;
  readonly read = () => this.cycles;
}

function clint(harts = 2) {
  const state = ClintState.create(harts);
  const clock = new FakeClock();
  const woken: number[] = [];
  const device = new Clint(state, clock.read, (hart) => woken.push(hart));
  return { state, clock, woken, device };
}

/** The 64-bit mtime the device answers, low word then high word. */
function readMtime(device: Clint): bigint {
  return BigInt(device.read(0xbff8, 4)!) | (BigInt(device.read(0xbffc, 4)!) << 32n);
}

describe('Clint msip', () => {
  it('msip for hart N sits at 4*N and starts clear', () => {
    const { device } = clint();
    expect([device.read(0x0, 4), device.read(0x4, 4)]).toEqual([0, 0]);
  });

  it('writing msip sets that hart\'s software interrupt and wakes that hart', () => {
    const { state, device, woken } = clint();
    expect(device.write(0x4, 4, 1)).toBe(true);
    expect([state.msip(0), state.msip(1)]).toEqual([false, true]);
    expect(device.read(0x4, 4)).toBe(1);
    expect(woken).toEqual([1]);
  });

  it('only bit 0 of msip is writable', () => {
    const { state, device } = clint();
    device.write(0x0, 4, 0xffff_fffe);
    expect(state.msip(0)).toBe(false);
    expect(device.read(0x0, 4)).toBe(0);
    device.write(0x0, 4, 0xffff_ffff);
    expect(device.read(0x0, 4)).toBe(1);
  });
});

describe('Clint mtimecmp', () => {
  it('mtimecmp resets to all ones, so no timer fires until it is programmed', () => {
    const { state, device } = clint();
    expect(state.timecmp(0)).toBe(0xffff_ffff_ffff_ffffn);
    expect(device.read(0x4000, 4)).toBe(0xffff_ffff);
    expect(device.read(0x4004, 4)).toBe(0xffff_ffff);
  });

  it('mtimecmp for hart N is two words at 0x4000 + 8*N, low first; each write wakes hart N', () => {
    const { state, device, woken } = clint();
    device.write(0x4008, 4, 0x8000_0010);
    device.write(0x400c, 4, 0x0000_0002);
    expect(state.timecmp(1)).toBe(0x2_8000_0010n);
    expect(state.timecmp(0)).toBe(0xffff_ffff_ffff_ffffn);
    expect([device.read(0x4008, 4), device.read(0x400c, 4)]).toEqual([0x8000_0010, 2]);
    expect(woken).toEqual([1, 1]);
  });

  it('setTimecmp stores a 64-bit value that timecmp reads back whole', () => {
    const { state } = clint();
    state.setTimecmp(0, 0x1234_5678_9abc_def0n);
    expect(state.timecmp(0)).toBe(0x1234_5678_9abc_def0n);
  });

  it('setTimecmpWord replaces one half and keeps the other', () => {
    const { state } = clint();
    state.setTimecmp(0, 0x1111_1111_2222_2222n);
    state.setTimecmpWord(0, 1, 0x3333_3333);
    expect(state.timecmp(0)).toBe(0x3333_3333_2222_2222n);
    state.setTimecmpWord(0, 0, 0xffff_ffff);
    expect(state.timecmp(0)).toBe(0x3333_3333_ffff_ffffn);
  });
});

describe('Clint mtime', () => {
  it('mtime at 0xBFF8 reads the accessing hart\'s time in ticks, low word then high word', () => {
    const { clock, device } = clint();
    clock.cycles = 0x5_0000_0007 * CYCLES_PER_TICK + 3;
    expect([device.read(0xbff8, 4), device.read(0xbffc, 4)]).toEqual([7, 5]);
  });

  it('writing either half of mtime sets the time and wakes every hart', () => {
    const { clock, device, woken } = clint(3);
    clock.cycles = 0x1_0000_0001 * CYCLES_PER_TICK;
    device.write(0xbff8, 4, 0x20);
    expect(readMtime(device)).toBe(0x1_0000_0020n);
    device.write(0xbffc, 4, 0x9);
    expect(readMtime(device)).toBe(0x9_0000_0020n);
    expect(woken).toEqual([0, 1, 2, 0, 1, 2]);
  });

  it('is one clock for every hart: a write by one hart moves the time every other hart reads', () => {
    const state = ClintState.create(2);
    const clocks = [new FakeClock(), new FakeClock()];
    const [hart0, hart1] = clocks.map((c) => new Clint(state, c.read, () => undefined));
    clocks[0].cycles = 1_000;
    clocks[1].cycles = 1_000;
    hart0.write(0xbffc, 4, 2 ** 8); // mtime = 2^40
    hart0.write(0xbff8, 4, 0);
    expect(readMtime(hart1)).toBe(2n ** 40n);
    clocks[1].cycles += 50 * CYCLES_PER_TICK;
    expect(readMtime(hart1)).toBe(2n ** 40n + 50n);
    expect(readMtime(hart0)).toBe(2n ** 40n);
  });

  it('is exact to the tick over all 64 bits (no steps near 2^60, where a double has none left)', () => {
    const { clock, device } = clint(1);
    const start = 2n ** 60n + 3n;
    device.write(0xbffc, 4, Number(start >> 32n));
    device.write(0xbff8, 4, Number(start & 0xffff_ffffn));
    const seen: bigint[] = [];
    for (let tick = 0; tick < 5; tick++) {
      seen.push(readMtime(device));
      clock.cycles += CYCLES_PER_TICK;
    }
    expect(seen).toEqual([0n, 1n, 2n, 3n, 4n].map((d) => start + d));
  });
});

describe('ClintState timer', () => {
  it('names the cycle at which a hart\'s timer becomes due, after mtime writes too', () => {
    const state = ClintState.create(2);
    expect(state.timerCycle(0)).toBe(Infinity); // mtimecmp all ones: never
    state.setTimecmp(1, 500n);
    expect(state.timerCycle(1)).toBe(500 * CYCLES_PER_TICK);
    state.setMtimeAt(2n ** 40n, 0);
    expect(state.timerCycle(1)).toBe(0); // mtime is already past it
    state.setTimecmp(1, 2n ** 40n + 7n);
    expect(state.timerCycle(1)).toBe(7 * CYCLES_PER_TICK);
  });

  it('stands still while frozen: a paused machine\'s timers resume where they stopped', () => {
    const state = ClintState.create(1);
    state.setTimecmp(0, 100n);
    expect(state.mtimeAt(400)).toBe(40n);
    state.freeze(10_000); // paused for 10,000 cycles
    expect(state.mtimeAt(10_400)).toBe(40n);
    expect(state.timerCycle(0)).toBe(11_000);
    state.resetTimebase();
    expect([state.mtimeAt(400), state.timecmp(0), state.frozenCycles]).toEqual([40n, 0xffff_ffff_ffff_ffffn, 0]);
  });
  it('a worker\'s remembered due cycle follows every change another worker makes', () => {
    // Two views of one buffer, as two core workers hold them: each caches its last answer.
    const mine = ClintState.create(2);
    const theirs = ClintState.attach(mine.buffer);
    mine.setTimecmp(0, 100n);
    expect(theirs.timerCycle(0)).toBe(100 * CYCLES_PER_TICK);
    mine.setTimecmpWord(0, 0, 300);
    expect(theirs.timerCycle(0)).toBe(300 * CYCLES_PER_TICK);
    mine.freeze(50);
    expect(theirs.timerCycle(0)).toBe(300 * CYCLES_PER_TICK + 50);
    mine.setMtimeAt(200n, 50);
    expect(theirs.timerCycle(0)).toBe(100 * CYCLES_PER_TICK + 50);
    mine.resetTimebase();
    expect(theirs.timerCycle(0)).toBe(Infinity);
  });
});

describe('Clint access faults', () => {
  it('slots of absent harts are not decoded', () => {
    const { device } = clint(2);
    expect(device.read(0x8, 4)).toBeUndefined();
    expect(device.write(0x8, 4, 1)).toBe(false);
    expect(device.read(0x4010, 4)).toBeUndefined();
    expect(device.write(0x4014, 4, 0)).toBe(false);
  });

  it('gaps in the map and offsets past mtime are not decoded', () => {
    const { device } = clint(2);
    expect(device.read(0x3ffc, 4)).toBeUndefined();
    expect(device.read(0xbff4, 4)).toBeUndefined();
    expect(device.read(0xc000, 4)).toBeUndefined();
  });

  it('only aligned 4-byte accesses are decoded', () => {
    const { device, woken } = clint();
    expect(device.read(0x0, 1)).toBeUndefined();
    expect(device.read(0x0, 2)).toBeUndefined();
    expect(device.write(0x4002, 2, 0)).toBe(false);
    expect(device.read(0xbffa, 4)).toBeUndefined();
    expect(woken).toEqual([]);
  });
});

describe('ClintState', () => {
  it('a state attached to the same buffer shares msip and mtimecmp', () => {
    const { state } = clint(4);
    const other = ClintState.attach(state.buffer);
    state.setMsip(3, true);
    other.setTimecmp(2, 42n);
    expect(other.harts).toBe(4);
    expect(other.msip(3)).toBe(true);
    expect(state.timecmp(2)).toBe(42n);
  });

  it('serves 1 to 4095 harts', () => {
    expect(ClintState.create(CLINT_MAX_HARTS).harts).toBe(4095);
    expect(() => ClintState.create(0)).toThrow(RangeError);
    expect(() => ClintState.create(4096)).toThrow(RangeError);
  });

  it('rejects a hart it does not have', () => {
    expect(() => ClintState.create(2).msip(2)).toThrow(RangeError);
  });

  it('two workers writing different halves of one mtimecmp never undo each other', async () => {
    const state = ClintState.create(1);
    const writes = 200_000;
    // A start gate, so the two writers overlap instead of running one after the other's start-up.
    const gate = new Int32Array(new SharedArrayBuffer(8));
    const body = `
      const { ClintState } = engine('devices/clint.ts');
      const state = ClintState.attach(workerData.buffer);
      const gate = new Int32Array(workerData.gate);
      Atomics.add(gate, 0, 1);
      Atomics.wait(gate, 1, 0);
      // The other worker only ever writes the other half, so ours must read back as written.
      let clobbered = 0;
      const shift = BigInt(32 * workerData.half);
      for (let i = 1; i <= workerData.writes; i++) {
        state.setTimecmpWord(0, workerData.half, i);
        if (((state.timecmp(0) >> shift) & 0xffffffffn) !== BigInt(i)) clobbered++;
      }
      return clobbered;
    `;
    const writers = ([0, 1] as const).map((half) =>
      runInWorker<number>(body, { buffer: state.buffer, gate: gate.buffer, half, writes }),
    );
    while (Atomics.load(gate, 0) < 2) await new Promise((resolve) => setTimeout(resolve, 1));
    Atomics.store(gate, 1, 1);
    Atomics.notify(gate, 1);
    expect(await Promise.all(writers)).toEqual([0, 0]);
    expect(state.timecmp(0)).toBe((BigInt(writes) << 32n) | BigInt(writes));
  });
});
