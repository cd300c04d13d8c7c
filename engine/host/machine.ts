// The bare machine: physical memory, QEMU-virt devices and one worker thread per hart, run to its exit.

import { CoreControl, ExitKind, HartCommand } from '../cores/core-control.js';
import { describeCause } from '../cores/trap-cause.js';
import { ClintState } from '../devices/clint.js';
import { Plic, PlicState, UART_IRQ } from '../devices/plic.js';
import { Uart16550, UartState } from '../devices/uart16550.js';
import { buildDeviceTree, fdtLoadAddress } from '../loader/device-tree.js';
import { loadElf, parseElf, type ElfImage } from '../loader/elf.js';
import { DEFAULT_RAM_BYTES, RAM_BASE } from '../memory/memory-map.js';
import { createPageFlags, createPhysicalMemory } from '../memory/physical-memory.js';
import { ReservationTable } from '../memory/reservation-table.js';
import type { CoreWorker, HartSnapshot } from './core-worker.js';
import { driveUartLine, type BoardBuffers, type BoardConfig } from './virt-board.js';
import { callWorker, startWorkerHandle, stopWorkers, type WorkerHandle } from './worker-handle.js';

export const MAX_HARTS = 64;
const POLL_MS = 10;

export interface MachineOptions {
  harts?: number;
  ramBytes?: number;
  /** Instructions per slice between signal checks. */
  quantum?: number;
  /** Stop when any hart has retired this many instructions. */
  instructionLimit?: number;
  /** Receives the guest's UART output as it arrives. */
  onOutput?: (bytes: Uint8Array) => void;
}

export type MachineExit =
  | { kind: 'guest'; code: number; hart: number }
  | { kind: 'trap-loop'; hart: number; message: string }
  | { kind: 'instruction-limit'; hart: number; message: string }
  | { kind: 'stopped'; message: string }
  | { kind: 'deadlock'; message: string }
  | { kind: 'crash'; hart: number; message: string };

type CoreHandle = WorkerHandle<CoreWorker>;

const hex = (n: number) => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;

export class Machine {
  readonly harts: number;
  readonly ramBytes: number;
  private readonly control: CoreControl;
  private readonly uart: UartState;
  private readonly clint: ClintState;
  /** The host's handle on the PLIC, to drive the UART's line when input arrives. */
  private readonly plic: Plic;
  /** A view of the UART registers, for the level of its interrupt line. */
  private readonly uartView: Uart16550;
  private readonly physical: SharedArrayBuffer;
  private readonly cores: CoreHandle[] = [];
  private readonly fdtAddress: number;
  private readonly fdt: Uint8Array;
  private stopMessage = '';
  private crash: { hart: number; message: string } | undefined;
  private resumeWaiters: (() => void)[] = [];
  private pausedWaiters: (() => void)[] = [];
  private paused = false;
  private disposed = false;

  /** Loads `elfBytes` into a new machine and starts its worker threads (the harts wait for run()). */
  static async create(elfBytes: Uint8Array, options: MachineOptions = {}): Promise<Machine> {
    const image = parseElf(elfBytes);
    const machine = new Machine(image, options);
    try {
      await machine.spawn();
    } catch (error) {
      await machine.dispose();
      throw error;
    }
    return machine;
  }

  private constructor(private readonly image: ElfImage, private readonly options: MachineOptions) {
    this.harts = options.harts ?? 1;
    if (!Number.isInteger(this.harts) || this.harts < 1 || this.harts > MAX_HARTS) {
      throw new RangeError(`harts must be between 1 and ${MAX_HARTS}, got ${this.harts}`);
    }
    this.ramBytes = options.ramBytes ?? DEFAULT_RAM_BYTES;
    this.physical = createPhysicalMemory(this.ramBytes);
    this.fdt = buildDeviceTree({ harts: this.harts, ramBase: RAM_BASE, ramBytes: this.ramBytes, isa: 'rv32imac_zicsr_zifencei', timebaseHz: 10_000_000 });
    this.fdtAddress = fdtLoadAddress(RAM_BASE, this.ramBytes, this.fdt.length);
    this.loadImages();
    this.control = new CoreControl(CoreControl.create(this.harts));
    this.uart = UartState.create();
    this.clint = ClintState.create(this.harts);
    this.plic = new Plic(PlicState.create(this.harts), (hart) => this.control.wake(hart));
    this.uartView = new Uart16550(this.uart);
  }

  /** Copies the ELF segments and the device tree into RAM (at creation and on a board reset). */
  private loadImages(): void {
    const ram = new Uint8Array(this.physical);
    loadElf(this.image, ram, RAM_BASE);
    ram.set(this.fdt, this.fdtAddress - RAM_BASE);
  }

  private async spawn(): Promise<void> {
    const tohost = this.image.symbols.get('tohost')?.value;
    const buffers: BoardBuffers = {
      physical: this.physical,
      pageFlags: createPageFlags(this.physical),
      reservations: ReservationTable.create(),
      clint: this.clint.buffer,
      plic: this.plic.state.buffer,
      uart: this.uart.buffers,
      control: this.control.buffers,
    };
    const config: BoardConfig = { ramBytes: this.ramBytes, ...(tohost !== undefined ? { tohost } : {}) };
    for (let hart = 0; hart < this.harts; hart++) {
      this.cores.push(startWorkerHandle<CoreWorker>('core-worker', `hart ${hart}: core`, (message) => {
        this.crash ??= { hart, message };
        this.control.requestExit(ExitKind.Host, 0, hart);
      }, () => this.disposed));
    }
    await Promise.all(this.cores.map((core, hart) => this.call(core, core.remote.init(hart, buffers, config, this.image.entry, this.fdtAddress))));
  }

  private call<T>(core: CoreHandle, promise: Promise<T>): Promise<T> {
    return callWorker(core, promise);
  }

  /** Runs every hart until the guest exits, a hart fails, or stop() is called. */
  async run(): Promise<MachineExit> {
    const timer = setInterval(() => this.poll(), POLL_MS);
    let parkedPolls = 0;
    let lastWakes = '';
    this.poll = () => {
      this.drainOutput();
      // A hart woken by another stays "parked" until its thread runs again: only a machine whose
      // wake-ups have all stopped moving is deadlocked.
      const wakes = Array.from({ length: this.harts }, (_, h) => this.control.wakeSequence(h)).join(',');
      const moved = wakes !== lastWakes;
      lastWakes = wakes;
      parkedPolls = this.allParked() && !moved && !this.inputCanInterrupt() ? parkedPolls + 1 : 0;
      if (parkedPolls >= 3) {
        this.stopMessage = 'every hart is waiting in WFI for an interrupt that can never arrive';
        this.control.requestExit(ExitKind.Host, 1, 0);
      }
    };
    try {
      for (;;) {
        const runs = this.cores.map((core) => this.call(core, core.remote.run({
          ...(this.options.quantum !== undefined ? { quantum: this.options.quantum } : {}),
          ...(this.options.instructionLimit !== undefined ? { instructionLimit: this.options.instructionLimit } : {}),
        })));
        const results = await Promise.all(runs).catch(async () => {
          this.control.requestExit(ExitKind.Host, 0, 0);
          await Promise.allSettled(runs);
          return undefined;
        });
        if (results === undefined || this.crash) {
          const crash = this.crash ?? { hart: 0, message: 'a core worker failed' };
          return { kind: 'crash', ...crash };
        }
        if (results.every((r) => r === 'paused')) {
          this.settlePaused();
          await new Promise<void>((resolve) => this.resumeWaiters.push(resolve));
          continue;
        }
        if (results.some((r) => r === 'paused')) {
          // An exit raced with a pause: finish the paused harts so the machine can stop as a whole.
          for (let h = 0; h < this.harts; h++) this.control.setCommand(h, HartCommand.Run);
          this.paused = false;
          continue;
        }
        if (this.control.exitKind() === ExitKind.Reset) {
          await this.resetBoard();
          continue;
        }
        return await this.describeExit();
      }
    } finally {
      clearInterval(timer);
      this.drainOutput();
    }
  }

  private poll: () => void = () => undefined;

  /** True when a byte of input would raise the UART's interrupt and the PLIC would deliver it. */
  private inputCanInterrupt(): boolean {
    return this.uartView.receiveInterruptEnabled() && this.plic.state.routed(UART_IRQ);
  }

  private allParked(): boolean {
    for (let h = 0; h < this.harts; h++) if (!this.control.parkedAndAsleep(h)) return false;
    return true;
  }

  private async describeExit(): Promise<MachineExit> {
    const kind = this.control.exitKind();
    const hart = this.control.exitHart();
    switch (kind) {
      case ExitKind.Guest:
        return { kind: 'guest', code: this.control.exitCode(), hart };
      case ExitKind.TrapLoop: {
        const s = await this.snapshot(hart);
        const loop = s.trapLoop!;
        const first = loop.first;
        return {
          kind: 'trap-loop',
          hart,
          message: `hart ${hart}: trap loop: ${describeCause(first.mcause)} at pc ${hex(first.pc)} (mtval ${hex(first.mtval)}), ` +
            `then ${describeCause(loop.mcause)} at the trap vector ${hex(loop.pc)}: no working trap handler`,
        };
      }
      case ExitKind.InstructionLimit:
        return { kind: 'instruction-limit', hart, message: `hart ${hart}: stopped at the instruction limit (${this.options.instructionLimit} instructions)` };
      default:
        return this.stopMessage.startsWith('every hart')
          ? { kind: 'deadlock', message: this.stopMessage }
          : { kind: 'stopped', message: this.stopMessage || 'stopped by the host' };
    }
  }

  /** The test device's reset: reload the images, reset devices and harts, and run on. */
  private async resetBoard(): Promise<void> {
    this.loadImages();
    this.uart.reset();
    this.plic.state.reset();
    this.driveUartLine();
    this.clint.resetTimebase();
    await Promise.all(this.cores.map((core) => this.call(core, core.remote.reset(this.image.entry, this.fdtAddress))));
    this.control.clearExit();
  }

  /** Ends the run (for a timeout or the user); run() resolves with kind 'stopped'. */
  stop(message = 'stopped by the host'): void {
    this.stopMessage ||= message;
    this.control.requestExit(ExitKind.Host, 0, 0);
    if (this.paused) this.resume();
  }

  /** Pauses every hart at its next slice boundary; resolves once all are paused. */
  async pause(): Promise<void> {
    if (this.paused) return;
    this.paused = true;
    const settled = new Promise<void>((resolve) => this.pausedWaiters.push(resolve));
    for (let h = 0; h < this.harts; h++) this.control.setCommand(h, HartCommand.Pause);
    await settled;
  }

  private settlePaused(): void {
    for (const resolve of this.pausedWaiters.splice(0)) resolve();
  }

  resume(): void {
    for (let h = 0; h < this.harts; h++) this.control.setCommand(h, HartCommand.Run);
    this.paused = false;
    for (const resolve of this.resumeWaiters.splice(0)) resolve();
  }

  /** Single-steps a paused (or not yet running) hart. */
  step(hart: number, count = 1): Promise<HartSnapshot> {
    const core = this.core(hart);
    return this.call(core, core.remote.step(count));
  }

  snapshot(hart: number): Promise<HartSnapshot> {
    const core = this.core(hart);
    return this.call(core, core.remote.snapshot());
  }

  csr(hart: number, csr: number): Promise<number | undefined> {
    const core = this.core(hart);
    return this.call(core, core.remote.csr(csr));
  }

  /** Queues bytes for the guest's UART receiver; returns how many fitted. */
  input(bytes: Uint8Array): number {
    const pushed = this.uart.input.pushBytes(bytes);
    if (pushed > 0) {
      this.driveUartLine();
      // Every hart re-drives the line from the UART registers when it looks at its interrupt
      // lines, so a level computed by a worker that raced with this push cannot stick.
      for (let h = 0; h < this.harts; h++) this.control.wake(h);
    }
    return pushed;
  }

  private driveUartLine(): void {
    driveUartLine(this.uartView, this.plic);
  }

  /** Instructions retired per hart so far (published after every slice). */
  instructionsRetired(): number[] {
    return Array.from({ length: this.harts }, (_, h) => this.control.instret(h));
  }

  private core(hart: number): CoreHandle {
    const core = this.cores[hart];
    if (core === undefined) throw new RangeError(`no hart ${hart} (the machine has ${this.harts})`);
    return core;
  }

  private drainOutput(): void {
    const bytes = this.uart.output.drain();
    if (bytes.length > 0) this.options.onOutput?.(bytes);
  }

  /** Terminates the worker threads. */
  async dispose(): Promise<void> {
    this.disposed = true;
    await stopWorkers(this.cores);
  }
}
