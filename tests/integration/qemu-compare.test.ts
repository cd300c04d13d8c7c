// Each committed guest prints byte-identical UART output (minstret figures included) on QEMU and Tessera.

import { describe, expect, it } from 'vitest';
import { qemuAvailable, runOnQemu, runOnTessera } from './run-guest.js';

const HAVE_QEMU = qemuAvailable();
const compared: { guest: string; harts: number }[] = [
  { guest: 'hello', harts: 1 },
  { guest: 'hello', harts: 4 },
  { guest: 'isa-selfcheck', harts: 1 },
  { guest: 'bench', harts: 1 },
  { guest: 'wfi-idle', harts: 1 },
  { guest: 'fail', harts: 1 },
  { guest: 'yield', harts: 1 },
  { guest: 'isa-selfcheck', harts: 2 },
  { guest: 'smp-counter', harts: 1 },
  { guest: 'smc-migrate', harts: 1 },
  { guest: 'smp-counter', harts: 2 },
  { guest: 'smp-counter', harts: 4 },
  { guest: 'uart-irq', harts: 1 },
  { guest: 'sv32', harts: 1 },
  { guest: 'pmp', harts: 1 },
];

/** Shared-memory ring guests print their timing-dependent figures on lines marked `timing:`. */
const comparedWithoutTiming: { guest: string; harts: number }[] = [
  { guest: 'ring-smp', harts: 2 },
  { guest: 'ring-smp-4k', harts: 2 },
  { guest: 'ring-pingpong', harts: 2 },
  { guest: 'ring-corrupt', harts: 2 },
  { guest: 'ring-smp', harts: 4 },
];
const withoutTiming = (text: string) => text.split('\n').filter((line) => !line.includes('timing:')).join('\n');

const SKIP_REASON = HAVE_QEMU ? '' : ' (skipped: qemu-system-riscv32 is not installed; apt-get install qemu-system-misc)';

describe.skipIf(!HAVE_QEMU)(`Tessera matches QEMU virt (-icount shift=0)${SKIP_REASON}`, () => {
  for (const { guest, harts } of compared) {
    it(`${guest} with ${harts} hart(s): same output and exit code`, async () => {
      const qemu = runOnQemu(guest, harts);
      const tessera = await runOnTessera(guest, { harts });
      expect(tessera.exit.kind).toBe('guest');
      expect(tessera.output).toBe(qemu.output);
      expect(tessera.exit).toMatchObject({ code: qemu.code });
    });
  }
  for (const { guest, harts } of comparedWithoutTiming) {
    it(`${guest} with ${harts} harts: same output but for its timing lines, exit code 0`, async () => {
      const qemu = runOnQemu(guest, harts);
      const tessera = await runOnTessera(guest, { harts });
      expect(tessera.exit).toMatchObject({ kind: 'guest', code: 0 });
      expect(qemu.code).toBe(0);
      expect(withoutTiming(tessera.output)).toBe(withoutTiming(qemu.output));
    });
  }
});

