// Assembles, inside one core worker, the QEMU-virt-like board a bare-machine hart runs on.

import { Hart, CYCLES_PER_TICK } from '../cores/hart.js';
import { CoreControl, ExitKind } from '../cores/core-control.js';
import type { InterruptLines } from '../cores/core-loop.js';
import { MIP_MSIP, MIP_MTIP } from '../cores/trap-cause.js';
import { Clint, ClintState } from '../devices/clint.js';
import { SifiveTest } from '../devices/sifive-test.js';
import { Uart16550, UartState, type UartBuffers } from '../devices/uart16550.js';
import { Bus } from '../memory/bus.js';
import { CLINT_BASE, CLINT_SIZE, PAGE_SHIFT, RAM_BASE, TEST_DEVICE_BASE, TEST_DEVICE_SIZE, UART_BASE, UART_SIZE } from '../memory/memory-map.js';
import { PAGE_WATCHED } from '../memory/page-flags.js';
import { ReservationTable } from '../memory/reservation-table.js';

/** Everything a worker needs to build its hart; structured-clonable. */
export interface BoardBuffers {
  physical: SharedArrayBuffer;
  pageFlags: SharedArrayBuffer;
  reservations: SharedArrayBuffer;
  clint: SharedArrayBuffer;
  uart: UartBuffers;
  control: { control: SharedArrayBuffer; progress: SharedArrayBuffer };
}

export interface BoardConfig {
  ramBytes: number;
  /** Guest-physical address of the HTIF tohost word, when the ELF defines one. */
  tohost?: number;
}

const NEVER = 2 ** 53;

export interface Board {
  hart: Hart;
  control: CoreControl;
  lines: InterruptLines;
}

export function buildBoard(hartId: number, buffers: BoardBuffers, config: BoardConfig): Board {
  const control = new CoreControl(buffers.control);
  const clintState = ClintState.attach(buffers.clint);
  const uart = UartState.attach(buffers.uart);
  const pageFlags = new Uint8Array(buffers.pageFlags);
  const physical = buffers.physical;
  const words = new Int32Array(physical);
  const tohost = config.tohost;

  let hart: Hart | undefined;
  const clint = new Clint(
    clintState,
    {
      now: () => BigInt(hart!.liveMtime()),
      set: (value) => { hart!.mtimeOffset += Number(value) - hart!.liveMtime(); },
    },
    (target) => control.wake(target),
  );
  const test = new SifiveTest({
    onExit: (code) => control.requestExit(ExitKind.Guest, code, hartId),
    onReset: () => control.requestExit(ExitKind.Reset, 0, hartId),
  });
  const bus = new Bus([
    { base: TEST_DEVICE_BASE, size: TEST_DEVICE_SIZE, device: test },
    { base: CLINT_BASE, size: CLINT_SIZE, device: clint },
    { base: UART_BASE, size: UART_SIZE, device: new Uart16550(uart) },
  ]);
  if (tohost !== undefined) Atomics.or(pageFlags, ((tohost - RAM_BASE) >>> 0) >>> PAGE_SHIFT, PAGE_WATCHED);

  hart = new Hart(hartId, {
    physical,
    ramPhysOffset: 0,
    ramBase: RAM_BASE,
    ramSize: config.ramBytes,
    pageFlags,
    reservations: new ReservationTable(buffers.reservations),
    bus,
    onWatchedStore(addr) {
      if (tohost === undefined || (addr & ~3) !== (tohost & ~3)) return false;
      // HTIF: (code << 1) | 1 in tohost ends the run; other values are proxy-kernel requests we do not serve.
      const value = Atomics.load(words, ((tohost - RAM_BASE) >>> 0) >>> 2);
      if ((value & 1) === 0) return false;
      control.requestExit(ExitKind.Guest, value >>> 1, hartId);
      return true;
    },
  });

  const lines: InterruptLines = {
    lines(h) {
      let bits = clintState.msip(h.hartId) ? MIP_MSIP : 0;
      if (h.liveMtime() >= Number(clintState.timecmp(h.hartId))) bits |= MIP_MTIP;
      return bits;
    },
    timerCycle(h) {
      const cmp = Number(clintState.timecmp(h.hartId));
      if (cmp >= NEVER / CYCLES_PER_TICK) return Infinity;
      return (cmp - h.mtimeOffset) * CYCLES_PER_TICK;
    },
  };
  return { hart, control, lines };
}
