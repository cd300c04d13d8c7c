// Linux (rv32, Sv32) boots on the bare machine under the built-in SBI and under the firmware in
// guests/bin/tessera-sbi.elf given as --bios: its init sees every hart, runs its workload and powers
// the machine off with exit code 0. Bounded by instructions, not by wall time.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Machine } from '../../../engine/host/machine.js';
import { planKernelBoot, type KernelBootFiles } from '../../../engine/loader/kernel-boot.js';
import { HAVE_LINUX, initLines, LINUX_BOOTARGS, LINUX_SKIP_REASON, linuxImage } from './linux-image.js';

const MiB = 1024 * 1024;
/** A boot to power-off takes about 60 M instructions a hart; the bound only ends a hang. */
const INSTRUCTION_LIMIT = 1_000_000_000;

async function boot(harts: number, bios?: Uint8Array) {
  const ramBytes = 128 * MiB;
  const files: KernelBootFiles = { kernel: linuxImage(), bootargs: LINUX_BOOTARGS, ...(bios !== undefined ? { bios } : {}) };
  const chunks: Buffer[] = [];
  const machine = await Machine.create(planKernelBoot(files, harts, ramBytes), {
    harts, ramBytes, instructionLimit: INSTRUCTION_LIMIT, onOutput: (bytes) => chunks.push(Buffer.from(bytes)),
  });
  try {
    const exit = await machine.run();
    return { exit, console: Buffer.concat(chunks).toString('utf8') };
  } finally {
    await machine.dispose();
  }
}

describe.skipIf(!HAVE_LINUX)(`Linux on the bare machine${LINUX_SKIP_REASON}`, () => {
  it('boots on one hart under the built-in SBI, runs its init and powers off with exit code 0', async () => {
    const { exit, console } = await boot(1);
    expect(console).toContain('Linux version 6.1');
    expect(console).toContain('Kernel command line: ' + LINUX_BOOTARGS);
    // The device tree names Sstc and the SBI turned it on: the kernel's timer is stimecmp.
    expect(console).toContain('Timer interrupt in S-mode is available via sstc extension');
    const lines = initLines(console);
    expect(lines[0]).toBe('tessera-init: start');
    expect(lines).toContain('tessera-init: 1 hart online');
    expect(lines).toContain('tessera-init: all checks passed');
    expect(exit).toEqual({ kind: 'guest', code: 0, hart: 0 });
  });

  it('boots two harts through --bios guests/bin/tessera-sbi.elf (fw_dynamic): /proc/cpuinfo shows both', async () => {
    const { exit, console } = await boot(2, new Uint8Array(readFileSync(new URL('../../../guests/bin/tessera-sbi.elf', import.meta.url))));
    expect(console).toContain('tessera-sbi: v1, 2 harts, next 0x80400000 S-mode');
    expect(console).toContain('smp: Brought up 1 node, 2 CPUs');
    expect(console).toContain('Timer interrupt in S-mode is available via sstc extension'); // the firmware found STCE too
    const lines = initLines(console);
    expect(lines).toContain('tessera-init: 2 harts online');
    expect(lines.filter((l) => /^tessera-init: worker \d crc=0x[0-9a-f]{8} ok/.test(l))).toHaveLength(2);
    expect(lines).toContain('tessera-init: all checks passed');
    expect(exit.kind).toBe('guest');
    expect(exit.kind === 'guest' && exit.code).toBe(0);
  });
});
