// The PLIC against QEMU virt's map: priorities at 4*source, pending at 0x1000, enables at
// 0x2000 + 0x80*context, threshold and claim/complete at 0x200000 + 0x1000*context; and its wiring
// into the bare machine's harts (MEIP, SEIP) and the UART (source 10).

import { describe, expect, it } from 'vitest';
import { MIP_MEIP, MIP_SEIP } from '../../../engine/cores/trap-cause.js';
import { PLIC_MAX_HARTS, PLIC_SOURCES, Plic, PlicState, UART_IRQ } from '../../../engine/devices/plic.js';
import { Uart16550 } from '../../../engine/devices/uart16550.js';
import { timerCycle, vcpuLines } from '../../../engine/hypervisor/interrupt-lines.js';
import { planBareMachine } from '../../../engine/hypervisor/layout.js';
import { createSystemBuffers, SystemTables } from '../../../engine/hypervisor/system-tables.js';
import { buildVcpu, type VcpuEvents } from '../../../engine/hypervisor/vcpu-space.js';
import { PLIC_SIZE, RAM_BASE } from '../../../engine/memory/memory-map.js';
import { ConsoleInput } from '../../../engine/system/console-input.js';
import { runInWorker } from '../../fixtures/ts-worker.js';
import { A0, A1, T0, T1, T2, ZERO, addi, lb, lui, lw, sb, sw } from '../cores/rv-asm.js';

const PRIORITY = (source: number): number => 4 * source;
const PENDING = 0x1000;
const ENABLE = (context: number, word = 0): number => 0x2000 + 0x80 * context + 4 * word;
const THRESHOLD = (context: number): number => 0x20_0000 + 0x1000 * context;
const CLAIM = (context: number): number => THRESHOLD(context) + 4;

function plic(harts = 2) {
  const state = PlicState.create(harts);
  const woken: number[] = [];
  const device = new Plic(state, (hart) => woken.push(hart));
  const read = (offset: number): number | undefined => device.read(offset, 4);
  const write = (offset: number, value: number): boolean => device.write(offset, 4, value);
  /** Priority p for the source, enabled on the context (threshold stays 0). */
  const route = (source: number, priority: number, context = 0): void => {
    write(PRIORITY(source), priority);
    write(ENABLE(context, source >>> 5), (read(ENABLE(context, source >>> 5))! | (1 << (source & 31))) >>> 0);
  };
  return { state, device, woken, read, write, route };
}

/** Raises and drops a line: the source is left pending with its line low. */
function pulse(device: Plic, source: number): void {
  device.setLine(source, true);
  device.setLine(source, false);
}

describe('Plic register map', () => {
  it('starts with every priority, pending bit, enable, threshold and claim at 0', () => {
    const { read } = plic();
    for (const offset of [PRIORITY(1), PRIORITY(10), PRIORITY(95), PENDING, PENDING + 4, PENDING + 8, ENABLE(0), ENABLE(3, 2), THRESHOLD(0), THRESHOLD(3), CLAIM(0), CLAIM(3)]) {
      expect(read(offset)).toBe(0);
    }
  });

  it('keeps 3 bits of a priority, as QEMU does (WARL: the value modulo 8)', () => {
    const { state, read, write } = plic();
    for (const [value, stored] of [[5, 5], [7, 7], [8, 0], [9, 1], [0xffff_ffff, 7]]) {
      expect(write(PRIORITY(10), value)).toBe(true);
      expect(read(PRIORITY(10))).toBe(stored);
      expect(state.priority(10)).toBe(stored);
    }
    write(PRIORITY(95), 3);
    expect(read(PRIORITY(95))).toBe(3);
  });

  it('source 0 and the sources past 95 have no priority: reads 0, writes ignored, no fault', () => {
    const { read, write } = plic();
    for (const offset of [PRIORITY(0), PRIORITY(96), PRIORITY(1023)]) {
      expect(write(offset, 3)).toBe(true);
      expect(read(offset)).toBe(0);
    }
  });

  it('keeps 3 bits of a threshold, per context', () => {
    const { state, read, write } = plic();
    write(THRESHOLD(0), 3);
    write(THRESHOLD(1), 0xffff_ffff);
    write(THRESHOLD(3), 9);
    expect([read(THRESHOLD(0)), read(THRESHOLD(1)), read(THRESHOLD(2)), read(THRESHOLD(3))]).toEqual([3, 7, 0, 1]);
    expect(state.threshold(1)).toBe(7);
  });

  it('stores three enable words per context (sources 0..95) and ignores the rest of the 0x80 stride', () => {
    const { state, read, write } = plic();
    write(ENABLE(1, 0), 0xffff_ffff);
    write(ENABLE(1, 2), 0x8000_0001);
    write(ENABLE(1, 3), 0xffff_ffff);
    write(ENABLE(1, 31), 0xffff_ffff);
    expect([read(ENABLE(1, 0)), read(ENABLE(1, 1)), read(ENABLE(1, 2)), read(ENABLE(1, 3)), read(ENABLE(1, 31))]).toEqual([0xffff_ffff, 0, 0x8000_0001, 0, 0]);
    expect([read(ENABLE(0, 0)), read(ENABLE(2, 0))]).toEqual([0, 0]);
    expect([state.enabled(1, 95), state.enabled(1, 64), state.enabled(1, 65), state.enabled(0, 95)]).toEqual([true, true, false, false]);
  });

  it('pending bits are read-only: a write is decoded and changes nothing', () => {
    const { state, device, read, write } = plic();
    pulse(device, 33);
    expect(write(PENDING, 0xffff_ffff)).toBe(true);
    expect(write(PENDING + 4, 0)).toBe(true);
    expect([read(PENDING), read(PENDING + 4), read(PENDING + 8), read(PENDING + 12)]).toEqual([0, 2, 0, 0]);
    expect(state.pendingWord(1)).toBe(2);
  });

  it('contexts the board does not have read 0 and ignore writes, like QEMU', () => {
    const { read, write } = plic(1); // contexts 0 and 1 only
    for (const offset of [ENABLE(2), THRESHOLD(2), CLAIM(2), THRESHOLD(1023)]) {
      expect(write(offset, 1)).toBe(true);
      expect(read(offset)).toBe(0);
    }
  });

  it('holes in the map read 0 and ignore writes', () => {
    const { read, write } = plic();
    for (const offset of [0x800, 0xffc, 0x100c, 0x1ffc, 0x1f_fffc, THRESHOLD(0) + 8, THRESHOLD(0) + 0xffc, PLIC_SIZE - 4]) {
      expect(write(offset, 0xffff_ffff)).toBe(true);
      expect(read(offset)).toBe(0);
    }
  });

  it('decodes only naturally aligned 4-byte accesses inside its 0x600000 window', () => {
    const { state, device } = plic();
    for (const size of [1, 2] as const) {
      expect(device.read(PRIORITY(10), size)).toBeUndefined();
      expect(device.write(PRIORITY(10), size, 1)).toBe(false);
    }
    for (const offset of [PRIORITY(10) + 1, PRIORITY(10) + 2, CLAIM(0) + 2, -4, PLIC_SIZE, PLIC_SIZE + 4]) {
      expect(device.read(offset, 4)).toBeUndefined();
      expect(device.write(offset, 4, 1)).toBe(false);
    }
    expect(state.priority(10)).toBe(0);
  });
});

describe('Plic claim and complete', () => {
  it('claims nothing (0) when nothing is pending', () => {
    const { read } = plic();
    expect(read(CLAIM(0))).toBe(0);
    expect(read(CLAIM(1))).toBe(0);
  });

  it('claims the pending enabled source of highest priority, clearing its pending bit', () => {
    const { state, device, read, route } = plic();
    route(3, 2);
    route(40, 5);
    route(7, 4);
    for (const source of [3, 40, 7]) pulse(device, source);
    expect(read(PENDING)).toBe((1 << 3) | (1 << 7));
    expect(read(CLAIM(0))).toBe(40);
    expect(state.pending(40)).toBe(false);
    expect(state.inService(40)).toBe(true);
    expect(read(CLAIM(0))).toBe(7);
    expect(read(CLAIM(0))).toBe(3);
    expect(read(CLAIM(0))).toBe(0);
    expect([read(PENDING), read(PENDING + 4)]).toEqual([0, 0]);
  });

  it('breaks a tie of priorities in favour of the lowest id', () => {
    const { device, read, route } = plic();
    for (const source of [90, 12, 33]) {
      route(source, 3);
      pulse(device, source);
    }
    expect([read(CLAIM(0)), read(CLAIM(0)), read(CLAIM(0))]).toEqual([12, 33, 90]);
  });

  it('ignores sources with priority 0, not enabled for the context, or not above its threshold', () => {
    const { state, device, read, write, route } = plic();
    route(1, 0);
    write(PRIORITY(2), 7); // not enabled
    route(3, 2);
    for (const source of [1, 2, 3]) pulse(device, source);
    write(THRESHOLD(0), 2);
    expect(state.contextPending(0)).toBe(false);
    expect(read(CLAIM(0))).toBe(0);
    write(THRESHOLD(0), 1);
    expect(state.contextPending(0)).toBe(true);
    expect(read(CLAIM(0))).toBe(3);
    expect(read(PENDING)).toBe((1 << 1) | (1 << 2)); // still pending, never claimable here
  });

  it('a line still high at completion makes the source pending again (level-triggered)', () => {
    const { state, device, read, write, route } = plic();
    route(10, 1);
    device.setLine(10, true);
    expect(read(CLAIM(0))).toBe(10);
    expect(state.contextPending(0)).toBe(false);
    // While in service the source does not pend, however often its device raises the line.
    device.setLine(10, true);
    expect([state.pending(10), read(CLAIM(0))]).toEqual([false, 0]);
    write(CLAIM(0), 10);
    expect([state.pending(10), state.inService(10), state.contextPending(0)]).toEqual([true, false, true]);
    expect(read(CLAIM(0))).toBe(10);
  });

  it('a line low at completion ends the request', () => {
    const { state, device, read, write, route } = plic();
    route(10, 1);
    device.setLine(10, true);
    expect(read(CLAIM(0))).toBe(10);
    device.setLine(10, false);
    write(CLAIM(0), 10);
    expect([state.pending(10), state.inService(10), state.contextPending(0), read(CLAIM(0))]).toEqual([false, false, false, 0]);
  });

  it('a line that drops before the claim leaves the source pending (as the spec and QEMU 7.2 do)', () => {
    const { state, device, read, route } = plic();
    route(10, 1);
    pulse(device, 10);
    expect([state.line(10), state.pending(10)]).toEqual([false, true]);
    expect(read(CLAIM(0))).toBe(10);
  });

  it('completion of an id outside 1..95 changes nothing; any context may complete, as in QEMU', () => {
    const { state, device, read, write, route } = plic();
    route(10, 1);
    device.setLine(10, true);
    expect(read(CLAIM(0))).toBe(10);
    for (const id of [0, 96, 0xffff_ffff]) expect(write(CLAIM(0), id)).toBe(true);
    expect(state.inService(10)).toBe(true);
    write(CLAIM(1), 10); // context 1 never had it enabled: QEMU still ends the claim
    expect([state.inService(10), state.pending(10)]).toEqual([false, true]);
  });

  it('source 0 has no line', () => {
    const { state, device } = plic();
    device.setLine(0, true);
    expect([state.line(0), state.pending(0)]).toEqual([false, false]);
    expect(() => device.setLine(PLIC_SOURCES, true)).toThrow(RangeError);
  });
});

describe('Plic contexts', () => {
  it('context 2h is hart h in M-mode and 2h+1 in S-mode, each with its own enables and threshold', () => {
    const { state, device, read, write, route } = plic(2);
    route(5, 3, 1); // hart 0, S-mode
    route(6, 3, 2); // hart 1, M-mode
    pulse(device, 5);
    pulse(device, 6);
    expect([0, 1, 2, 3].map((c) => state.contextPending(c))).toEqual([false, true, true, false]);
    write(THRESHOLD(1), 3);
    expect(state.contextPending(1)).toBe(false);
    expect([read(CLAIM(1)), read(CLAIM(0)), read(CLAIM(3)), read(CLAIM(2))]).toEqual([0, 0, 0, 6]);
  });

  it('a source enabled on two contexts goes to whichever claims first, once', () => {
    const { state, device, read, route } = plic(2);
    route(20, 1, 0);
    route(20, 1, 2);
    pulse(device, 20);
    expect([state.contextPending(0), state.contextPending(2)]).toEqual([true, true]);
    expect(read(CLAIM(2))).toBe(20);
    expect([state.contextPending(0), state.contextPending(2)]).toEqual([false, false]);
    expect(read(CLAIM(0))).toBe(0);
  });

  it('wakes the harts a change may interrupt: a new pending source, priority, enable, threshold, completion', () => {
    const { device, woken, write, route } = plic(3);
    route(8, 1, 5); // hart 2, S-mode
    expect(woken).toEqual([]); // nothing pending yet
    device.setLine(8, true);
    expect(woken).toEqual([2]);
    device.setLine(8, true); // already pending: no news
    expect(woken).toEqual([2]);
    write(THRESHOLD(5), 1);
    write(PRIORITY(8), 2);
    write(ENABLE(0), 1 << 8);
    expect(woken).toEqual([2, 2, 0, 2]);
    woken.length = 0;
    write(THRESHOLD(0), 7);
    write(THRESHOLD(5), 7);
    expect(device.read(CLAIM(5), 4)).toBe(0);
    write(THRESHOLD(5), 0);
    expect(device.read(CLAIM(5), 4)).toBe(8);
    woken.length = 0;
    write(CLAIM(5), 8); // the line is still high: pending again
    expect(woken).toEqual([2]);
  });

  it('create/attach share one state; bad sizes and contexts are refused', () => {
    const state = PlicState.create(4);
    const other = PlicState.attach(state.buffer);
    expect([other.harts, other.contexts]).toEqual([4, 8]);
    state.setPriority(9, 6);
    other.setLine(9, true);
    expect([other.priority(9), state.pending(9)]).toEqual([6, true]);
    expect(PlicState.create(PLIC_MAX_HARTS).contexts).toBe(1024);
    expect(() => PlicState.create(0)).toThrow(RangeError);
    expect(() => PlicState.create(PLIC_MAX_HARTS + 1)).toThrow(RangeError);
    expect(() => PlicState.attach(new SharedArrayBuffer(16))).toThrow(RangeError);
    expect(() => state.threshold(8)).toThrow(RangeError);
  });

  it('reset clears priorities, enables, thresholds, pending, claims and lines', () => {
    const { state, device, read, route } = plic();
    route(10, 1);
    device.setLine(10, true);
    device.setLine(11, true);
    expect(read(CLAIM(0))).toBe(10);
    state.reset();
    expect([state.priority(10), state.enableWord(0, 0), state.pendingWord(0), state.inService(10), state.line(11)]).toEqual([0, 0, 0, false, false]);
  });

  it('two workers claiming at once never get the same source', async () => {
    const state = PlicState.create(1);
    for (let source = 1; source < PLIC_SOURCES; source++) state.setPriority(source, 1 + (source % 7));
    for (const context of [0, 1]) for (let w = 0; w < 3; w++) state.setEnableWord(context, w, -1);
    const rounds = 300;
    const gate = new Int32Array(new SharedArrayBuffer(8));
    const counts = new Int32Array(new SharedArrayBuffer(4 * PLIC_SOURCES));
    const body = `
      const { PlicState } = engine('devices/plic.ts');
      const state = PlicState.attach(workerData.buffer);
      const gate = new Int32Array(workerData.gate);
      const counts = new Int32Array(workerData.counts);
      const me = workerData.context;
      const barrier = () => {
        const generation = Atomics.load(gate, 1);
        if (Atomics.add(gate, 0, 1) === 1) {
          Atomics.store(gate, 0, 0);
          Atomics.add(gate, 1, 1);
          Atomics.notify(gate, 1);
        } else {
          while (Atomics.load(gate, 1) === generation) Atomics.wait(gate, 1, generation, 1000);
        }
      };
      let wrong = 0;
      let claimed = 0;
      for (let round = 0; round < workerData.rounds; round++) {
        if (me === 0) for (let s = 1; s < 96; s++) { state.setLine(s, true); state.setLine(s, false); }
        barrier();
        const mine = [];
        for (let id; (id = state.claim(me)) !== 0;) { mine.push(id); Atomics.add(counts, id, 1); }
        claimed += mine.length;
        barrier();
        if (me === 0) {
          for (let s = 1; s < 96; s++) if (Atomics.exchange(counts, s, 0) !== 1) wrong++;
        }
        for (const id of mine) state.complete(me, id);
        barrier();
      }
      return { wrong, claimed };
    `;
    const results = await Promise.all([0, 1].map((context) =>
      runInWorker<{ wrong: number; claimed: number }>(body, { buffer: state.buffer, gate: gate.buffer, counts: counts.buffer, context, rounds }),
    ));
    expect(results.map((r) => r.wrong)).toEqual([0, 0]);
    expect(results[0].claimed + results[1].claimed).toBe(rounds * (PLIC_SOURCES - 1));
    expect([state.pendingWord(0), state.pendingWord(1), state.pendingWord(2)]).toEqual([0, 0, 0]);
  });
});

describe('PLIC in the bare machine', () => {
  const RAM_BYTES = 64 * 1024;

  function board(harts = 1) {
    const plan = planBareMachine({ entry: RAM_BASE, segments: [], symbols: new Map() }, { harts, ramBytes: RAM_BYTES, quantum: 10_000, instructionLimit: Infinity });
    const tables = new SystemTables(plan.layout, createSystemBuffers(plan.layout));
    const ignore = () => undefined;
    const events: VcpuEvents = { exit: ignore, reset: ignore, kick: ignore, ready: ignore, yield: ignore, poke: ignore, ring: ignore, sentAt: ignore, ipc: ignore };
    const hart = buildVcpu(tables, 0, events);
    // Another hart's (or the host's) view of the same PLIC and UART.
    const state = tables.plics[0];
    const host = new Plic(state, () => undefined);
    const uart = tables.uarts[0];
    const uartView = new Uart16550(uart);
    const input = new ConsoleInput(tables);
    const ram = new DataView(tables.buffers.physical);
    const run = (program: number[]): void => {
      program.forEach((instruction, i) => ram.setUint32(4 * i, instruction, true));
      hart.flushDecodeCache();
      hart.reset(RAM_BASE);
      for (let i = 0; i < program.length; i++) hart.run(1);
    };
    const lines = (): number => vcpuLines(tables, 0, timerCycle(tables, 0), hart.cycles) & (MIP_MEIP | MIP_SEIP);
    return { hart, state, host, uart, uartView, input, run, lines };
  }

  it('the UART drives source 10 on every access; claim and complete reach the PLIC through the bus', () => {
    const b = board();
    b.host.write(PRIORITY(UART_IRQ), 4, 1);
    b.host.write(ENABLE(0), 4, 1 << UART_IRQ);
    b.run([
      lui(T0, 0x10000), // UART
      addi(T1, ZERO, 2),
      sb(T1, 1, T0), // IER = THRI: THR is empty, the line rises at once
      lui(T2, 0x0c200), // PLIC context 0
      lw(A0, 4, T2), // claim
      lb(A1, 2, T0), // IIR: acknowledges THR-empty, the line drops
      sw(A0, 4, T2), // complete: the line is low, nothing pends again
    ]);
    expect(b.hart.x[A0]).toBe(UART_IRQ);
    expect(b.hart.x[A1]).toBe(0x02);
    expect([b.state.line(UART_IRQ), b.state.pending(UART_IRQ), b.state.inService(UART_IRQ)]).toEqual([false, false, false]);
    expect(b.lines()).toBe(0);
  });

  it('MEIP follows context 2*hart and SEIP context 2*hart+1', () => {
    const b = board();
    b.host.write(PRIORITY(3), 4, 2);
    b.host.setLine(3, true);
    expect(b.lines()).toBe(0);
    b.host.write(ENABLE(1), 4, 1 << 3);
    expect(b.lines()).toBe(MIP_SEIP);
    b.host.write(ENABLE(0), 4, 1 << 3);
    expect(b.lines()).toBe(MIP_MEIP | MIP_SEIP);
    b.host.write(THRESHOLD(0), 4, 2);
    expect(b.lines()).toBe(MIP_SEIP);
    expect(b.host.read(CLAIM(1), 4)).toBe(3);
    expect(b.lines()).toBe(0);
  });

  it('input the host pushes raises the UART\'s source, which the hart\'s lines show', () => {
    const b = board();
    b.host.write(PRIORITY(UART_IRQ), 4, 1);
    b.host.write(ENABLE(0), 4, 1 << UART_IRQ);
    b.uartView.write(1, 1, 0x01); // IER = received data available (without driving the line)
    expect(b.uartView.receiveInterruptEnabled()).toBe(true);
    expect(b.state.routed(UART_IRQ)).toBe(true);
    expect(b.input.couldInterrupt()).toBe(true);
    expect(b.lines()).toBe(0);
    expect(b.input.push(0, new Uint8Array([0x41]))).toBe(1);
    expect(b.lines()).toBe(MIP_MEIP);
  });
});
