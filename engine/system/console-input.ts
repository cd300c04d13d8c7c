// Bytes for a VM's UART receiver (a terminal's keystrokes): queued, and its interrupt line driven.

import { Plic } from '../devices/plic.js';
import { driveUartLine } from '../devices/uart-line.js';
import { Uart16550 } from '../devices/uart16550.js';
import { UART_IRQ } from '../memory/memory-map.js';
import type { SystemTables } from '../hypervisor/system-tables.js';

export class ConsoleInput {
  private readonly uarts: Uart16550[];
  private readonly plics: Plic[];

  constructor(private readonly tables: SystemTables) {
    this.uarts = tables.uarts.map((state) => new Uart16550(state));
    // The host's view of each VM's PLIC: it only drives the UART's line, so it wakes nobody itself.
    this.plics = tables.plics.map((state) => new Plic(state, () => undefined));
  }

  /** Queues bytes for VM `vm`'s UART; returns how many fitted. */
  push(vm: number, bytes: Uint8Array): number {
    const pushed = this.tables.uarts[vm].input.pushBytes(bytes);
    if (pushed > 0) {
      driveUartLine(this.uarts[vm], this.plics[vm]);
      this.tables.wakeAllCores();
    }
    return pushed;
  }

  /** Whether a byte of input would raise some VM's UART interrupt and its PLIC would deliver it. */
  couldInterrupt(): boolean {
    return this.uarts.some((uart, vm) => uart.receiveInterruptEnabled() && this.tables.plics[vm].routed(UART_IRQ));
  }
}
