// Assembles, inside one core worker, the QEMU-virt-like board a bare-machine hart runs on.

import { Hart } from '../cores/hart.js';
import { CoreControl, ExitKind } from '../cores/core-control.js';
import type { InterruptLines } from '../cores/core-loop.js';
import { MIP_MEIP, MIP_MSIP, MIP_MTIP, MIP_SEIP } from '../cores/trap-cause.js';
import { Clint, ClintState } from '../devices/clint.js';
import { Plic, PlicState, UART_IRQ } from '../devices/plic.js';
import { SifiveTest } from '../devices/sifive-test.js';
import { Uart16550, UartState, type UartBuffers } from '../devices/uart16550.js';
import { Bus } from '../memory/bus.js';
import { CLINT_BASE, CLINT_SIZE, PAGE_SHIFT, PLIC_BASE, PLIC_SIZE, RAM_BASE, TEST_DEVICE_BASE, TEST_DEVICE_SIZE, UART_BASE, UART_SIZE } from '../memory/memory-map.js';
import type { AccessSize, MmioDevice } from '../memory/mmio-device.js';
import { PAGE_WATCHED } from '../memory/page-flags.js';
import { ReservationTable } from '../memory/reservation-table.js';

/** Everything a worker needs to build its hart; structured-clonable. */
export interface BoardBuffers {
  physical: SharedArrayBuffer;
  pageFlags: SharedArrayBuffer;
  reservations: SharedArrayBuffer;
  clint: SharedArrayBuffer;
  plic: SharedArrayBuffer;
  uart: UartBuffers;
  control: { control: SharedArrayBuffer; progress: SharedArrayBuffer };
}

export interface BoardConfig {
  ramBytes: number;
  /** Guest-physical address of the HTIF tohost word, when the ELF defines one. */
  tohost?: number;
}

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
  const clint = new Clint(clintState, () => hart!.liveTime(), (target) => control.wake(target));
  const plic = new Plic(PlicState.attach(buffers.plic), (target) => control.wake(target));
  const plicState = plic.state;
  const uartDevice = new Uart16550(uart);
  const test = new SifiveTest({
    onExit: (code) => control.requestExit(ExitKind.Guest, code, hartId),
    onReset: () => control.requestExit(ExitKind.Reset, 0, hartId),
  });
  const bus = new Bus([
    { base: TEST_DEVICE_BASE, size: TEST_DEVICE_SIZE, device: test },
    { base: CLINT_BASE, size: CLINT_SIZE, device: clint },
    { base: PLIC_BASE, size: PLIC_SIZE, device: plic },
    { base: UART_BASE, size: UART_SIZE, device: uartDrivingPlic(uartDevice, plic) },
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
    timebase: clintState,
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
      const id = h.hartId;
      let bits = clintState.msip(id) ? MIP_MSIP : 0;
      if (h.liveTime() >= clintState.timerCycle(id)) bits |= MIP_MTIP;
      // Every UART access re-drives its line; this once-a-slice look is a safety net for input
      // the host pushed while the line was being driven from another worker.
      driveUartLine(uartDevice, plic);
      if (plicState.contextPending(2 * id)) bits |= MIP_MEIP;
      if (plicState.contextPending(2 * id + 1)) bits |= MIP_SEIP;
      return bits;
    },
    timerCycle(h) {
      return clintState.timerCycle(h.hartId);
    },
  };
  return { hart, control, lines };
}

/**
 * The UART on the bus, its interrupt output wired to PLIC source 10: the line is re-driven after
 * every access, since a register read (IIR acknowledging THR-empty, RBR taking a byte) can lower
 * it and a write (IER, THR) can raise it. Device accesses are the hart's slow path already.
 */
function uartDrivingPlic(uart: Uart16550, plic: Plic): MmioDevice {
  return {
    name: uart.name,
    read(offset: number, size: AccessSize): number | undefined {
      const value = uart.read(offset, size);
      driveUartLine(uart, plic);
      return value;
    },
    write(offset: number, size: AccessSize, value: number): boolean {
      const decoded = uart.write(offset, size, value);
      driveUartLine(uart, plic);
      return decoded;
    },
  };
}

/**
 * Sets PLIC source 10 to the UART's interrupt level. Workers and the host drive the line from
 * the shared registers concurrently, so each writer reads the level again after its write and
 * corrects a level that another writer's older reading overwrote.
 */
export function driveUartLine(uart: Uart16550, plic: Plic): void {
  let level = uart.interruptPending();
  for (;;) {
    plic.setLine(UART_IRQ, level);
    const now = uart.interruptPending();
    if (now === level) return;
    level = now;
  }
}
