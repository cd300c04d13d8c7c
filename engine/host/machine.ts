// The bare machine, like QEMU's virt board with `-bios none`: one ELF on N harts, run to its exit.
// It is a System of one VM that owns all memory and every hart (planBareMachine), so the bare machine
// and the hypervisor share one runner, one interrupt, timer and device path.

import type { HartSnapshot } from '../cores/hart-snapshot.js';
import { describeCause } from '../cores/trap-cause.js';
import { DEFAULT_QUANTUM, planBareMachine } from '../hypervisor/layout.js';
import { parseElf } from '../loader/elf.js';
import type { KernelBoot } from '../loader/kernel-boot.js';
import { DEFAULT_RAM_BYTES } from '../memory/memory-map.js';
import { System } from './system.js';

export const MAX_HARTS = 64;
const VM = 'machine';

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

const hex = (n: number) => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;

export class Machine {
  readonly harts: number;
  readonly ramBytes: number;

  /**
   * Loads a program into a new machine and starts its worker threads (the harts wait for run()):
   * an ELF's bytes, or a kernel boot planned by planKernelBoot for the same harts and RAM.
   */
  static async create(program: Uint8Array | KernelBoot, options: MachineOptions = {}): Promise<Machine> {
    const harts = options.harts ?? 1;
    if (!Number.isInteger(harts) || harts < 1 || harts > MAX_HARTS) throw new RangeError(`harts must be between 1 and ${MAX_HARTS}, got ${harts}`);
    const ramBytes = options.ramBytes ?? DEFAULT_RAM_BYTES;
    const kernel = program instanceof Uint8Array ? undefined : program;
    const plan = planBareMachine(kernel?.image ?? parseElf(program as Uint8Array), {
      harts,
      ramBytes,
      quantum: options.quantum ?? DEFAULT_QUANTUM,
      instructionLimit: options.instructionLimit ?? Infinity,
      ...(kernel !== undefined ? { boot: { deviceTree: kernel.deviceTree, fdtAddress: kernel.fdtAddress, firmware: kernel.firmware, a2: kernel.a2 } } : {}),
    });
    const system = await System.fromPlan(plan, { name: VM, vms: [{ name: VM, autostart: true }] }, {
      onConsole: (_, bytes) => options.onOutput?.(bytes),
      endWhenStuck: true,
      workerLabel: (cores) => `hart ${cores.join(',')}: core`,
    });
    try {
      system.powerOn(); // loads the image: one that does not fit throws here
    } catch (error) {
      await system.dispose();
      throw error;
    }
    return new Machine(system, harts, ramBytes, options);
  }

  private constructor(private readonly system: System, harts: number, ramBytes: number, private readonly options: MachineOptions) {
    this.harts = harts;
    this.ramBytes = ramBytes;
  }

  /** Runs every hart until the guest exits, a hart fails, or stop() is called. */
  async run(): Promise<MachineExit> {
    try {
      await this.system.run();
    } catch {
      // A crashed worker: end() says which.
    }
    return this.describeEnd();
  }

  private async describeEnd(): Promise<MachineExit> {
    const end = this.system.end();
    switch (end.kind) {
      case 'crash':
        return { kind: 'crash', hart: end.cores[0] ?? 0, message: end.message };
      case 'instruction-limit':
        return { kind: 'instruction-limit', hart: end.vcpu, message: `hart ${end.vcpu}: stopped at the instruction limit (${this.options.instructionLimit} instructions)` };
      case 'stuck':
        return { kind: 'deadlock', message: 'every hart is waiting in WFI for an interrupt that can never arrive' };
      case 'stopped':
        return { kind: 'stopped', message: end.message };
    }
    const state = this.system.snapshot().vms[0].state;
    if (state === 'exited') {
      const { code, vcpu } = this.system.exitOf(VM);
      return { kind: 'guest', code, hart: vcpu };
    }
    for (let hart = 0; hart < this.harts; hart++) {
      const loop = (await this.snapshot(hart)).trapLoop;
      if (loop === undefined) continue;
      const first = loop.first;
      return {
        kind: 'trap-loop',
        hart,
        message: `hart ${hart}: trap loop: ${describeCause(first.mcause)} at pc ${hex(first.pc)} (mtval ${hex(first.mtval)}), ` +
          `then ${describeCause(loop.mcause)} at the trap vector ${hex(loop.pc)}: no working trap handler`,
      };
    }
    return { kind: 'stopped', message: `the machine ended ${state}` };
  }

  /** Ends the run (for a timeout or the user); run() resolves with kind 'stopped'. */
  stop(message = 'stopped by the host'): void {
    this.system.stop(message);
  }

  /** Pauses every hart at its next slice boundary; resolves once all are paused. */
  pause(): Promise<void> {
    return this.system.suspend();
  }

  resume(): void {
    this.system.resume();
  }

  /** Single-steps a paused (or not yet running) hart. */
  step(hart: number, count = 1): Promise<HartSnapshot> {
    return this.system.step(VM, hart, count);
  }

  snapshot(hart: number): Promise<HartSnapshot> {
    return this.system.vcpuSnapshot(VM, hart);
  }

  csr(hart: number, csr: number): Promise<number | undefined> {
    return this.system.csr(VM, hart, csr);
  }

  /** Queues bytes for the guest's UART receiver; returns how many fitted. */
  input(bytes: Uint8Array): number {
    return this.system.consoleInput(VM, bytes);
  }

  /** Instructions retired per hart so far (published after every slice). */
  instructionsRetired(): number[] {
    return this.system.instructions(VM);
  }

  /** Terminates the worker threads. */
  async dispose(): Promise<void> {
    await this.system.dispose();
  }
}
