// The NS16550A's interrupt output wired to its PLIC source (UART_IRQ): kept at the UART's level by
// whoever touches either side, the hart (a register access) or the host (input it pushed).

import type { AccessSize, MmioDevice } from '../memory/mmio-device.js';
import { UART_IRQ } from '../memory/memory-map.js';
import type { Plic } from './plic.js';
import type { Uart16550 } from './uart16550.js';

/**
 * Sets the UART's PLIC source to its interrupt level. Workers and the host drive the line from the
 * shared registers concurrently, so each writer reads the level again after its write and corrects
 * a level that another writer's older reading overwrote.
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

/**
 * The UART on the bus with its line re-driven after every access: a register read (IIR
 * acknowledging THR-empty, RBR taking a byte) can lower it and a write (IER, THR) can raise it.
 * Device accesses are the hart's slow path already.
 */
export function uartDrivingPlic(uart: Uart16550, plic: Plic): MmioDevice {
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
