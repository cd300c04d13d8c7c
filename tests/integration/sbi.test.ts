// SBI for S-mode kernels: guests/bin/sbi-check.elf (an S-mode payload that calls every SBI function)
// passes under Tessera's built-in SBI, and under the firmware guests/bin/tessera-sbi.elf given as
// --bios it prints byte for byte what it prints on QEMU with the same firmware.

import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { Machine, type MachineExit } from '../../engine/host/machine.js';
import { planKernelBoot, type KernelBootFiles } from '../../engine/loader/kernel-boot.js';
import { guestPath, QEMU, qemuAvailable } from './run-guest.js';

const MiB = 1024 * 1024;
const RAM = 128 * MiB;
const HAVE_QEMU = qemuAvailable();
const SKIP_REASON = HAVE_QEMU ? '' : ' (skipped: qemu-system-riscv32 is not installed; apt-get install qemu-system-misc)';

async function runKernel(harts: number, withFirmware: boolean): Promise<{ exit: MachineExit; output: string }> {
  const files: KernelBootFiles = {
    kernel: new Uint8Array(readFileSync(guestPath('sbi-check'))),
    ...(withFirmware ? { bios: new Uint8Array(readFileSync(guestPath('tessera-sbi'))) } : {}),
  };
  const chunks: Buffer[] = [];
  const machine = await Machine.create(planKernelBoot(files, harts, RAM), {
    harts, ramBytes: RAM, instructionLimit: 200_000_000, onOutput: (bytes) => chunks.push(Buffer.from(bytes)),
  });
  try {
    const exit = await machine.run();
    return { exit, output: Buffer.concat(chunks).toString('latin1') };
  } finally {
    await machine.dispose();
  }
}

describe('the built-in SBI', () => {
  for (const harts of [1, 2]) {
    it(`passes every check of sbi-check with ${harts} hart(s)`, async () => {
      const { exit, output } = await runKernel(harts, false);
      expect(output).toContain('sbi-check: impl id TESS');
      expect(output).not.toContain('FAIL');
      expect(output).toMatch(new RegExp(`sbi-check: ${harts === 1 ? 43 : 60} passed, 0 failed`));
      expect(exit.kind === 'guest' && exit.code).toBe(0);
    });
  }
});

describe.skipIf(!HAVE_QEMU)(`the firmware tessera-sbi.elf as --bios, against QEMU${SKIP_REASON}`, () => {
  for (const harts of [1, 2]) {
    it(`sbi-check prints the same on both with ${harts} hart(s) and passes`, async () => {
      const qemu = spawnSync(QEMU, [
        '-M', 'virt', '-nographic', '-m', '128M', '-smp', String(harts), '-bios', guestPath('tessera-sbi'), '-kernel', guestPath('sbi-check'),
      ], { encoding: 'latin1', timeout: 120_000, stdio: ['ignore', 'pipe', 'pipe'] });
      const tessera = await runKernel(harts, true);
      expect(tessera.output).toBe(qemu.stdout);
      expect(tessera.output).toMatch(/sbi-check: \d+ passed, 0 failed/);
      expect(qemu.status).toBe(0);
      expect(tessera.exit.kind === 'guest' && tessera.exit.code).toBe(0);
    });
  }
});
