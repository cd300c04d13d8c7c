// Runs a committed guest ELF on Tessera (real workers) or on QEMU, capturing its UART output.

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Machine, type MachineExit, type MachineOptions } from '../../engine/host/machine.js';

export const GUESTS = fileURLToPath(new URL('../../guests/bin/', import.meta.url));

export function guestPath(name: string): string {
  return `${GUESTS}${name}.elf`;
}

export interface GuestRun {
  exit: MachineExit;
  output: string;
  instret: number[];
}

export async function runOnTessera(name: string, options: MachineOptions = {}): Promise<GuestRun> {
  const chunks: Buffer[] = [];
  const machine = await Machine.create(readFileSync(guestPath(name)), {
    ...options,
    onOutput: (bytes) => chunks.push(Buffer.from(bytes)),
  });
  try {
    const exit = await machine.run();
    return { exit, output: Buffer.concat(chunks).toString('latin1'), instret: machine.instructionsRetired() };
  } finally {
    await machine.dispose();
  }
}

export const QEMU = 'qemu-system-riscv32';

export function qemuAvailable(): boolean {
  return spawnSync(QEMU, ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Runs the guest on QEMU virt with exact instruction counting; `code` is QEMU's exit status. */
export function runOnQemu(name: string, harts = 1): { output: string; code: number | null } {
  const result = spawnSync(QEMU, [
    '-M', 'virt', '-bios', 'none', '-nographic', '-m', '256M', '-smp', String(harts),
    '-icount', 'shift=0', '-kernel', guestPath(name),
  ], { encoding: 'latin1', timeout: 120_000, stdio: ['ignore', 'pipe', 'pipe'] });
  return { output: result.stdout, code: result.status };
}
