// Linux's own reboot (`reboot(LINUX_REBOOT_CMD_RESTART)` from its init, tessera.end=reboot) goes
// through the SBI's system reset and restarts only its VM, which boots again; its neighbour runs on.
// In the long suite: three boots of Linux. Bounded by virtual time.

import { describe, expect, it } from 'vitest';
import { runScenario, scenario } from '../integration/hypervisor/run-scenario.js';
import { SECOND, until } from '../integration/use-cases/use-case.js';
import { HAVE_LINUX, initLines, LINUX_BOOTARGS, LINUX_SKIP_REASON } from '../integration/linux/linux-image.js';
import { linuxBesideBusy } from './linux-scenarios.js';

describe.skipIf(!HAVE_LINUX)(`Linux VM reboot${LINUX_SKIP_REASON}`, () => {
  it('reboots itself: each reboot resets only its VM, which boots again from a clean partition', async () => {
    let text = '';
    const run = await runScenario(scenario(linuxBesideBusy('linux-reboot', { bootargs: `${LINUX_BOOTARGS} tessera.end=reboot`, vcpus: 1, affinity: [0] })), { durationCycles: 60 * SECOND, onConsole: (vm, bytes) => { if (vm === 'linux') text += Buffer.from(bytes).toString('latin1'); } }, async (system, progress) => {
      // A wide virtual-time bound: the host looks at the console only now and then, so it stops the run itself.
      await until(() => initLines(text).filter((l) => l === 'tessera-init: start').length >= 3 || progress.ended());
      system.stop();
    });
    const lines = initLines(run.consoles.linux);
    expect(lines.filter((l) => l === 'tessera-init: rebooting').length).toBeGreaterThanOrEqual(2);
    expect(lines.filter((l) => l === 'tessera-init: start').length).toBeGreaterThanOrEqual(3); // booted again after each
    expect(run.consoles.linux).toContain('reboot: Restarting system');
    const linux = run.events.filter((e) => e.vm === 'linux').map((e) => e.kind);
    expect(linux.filter((k) => k === 'reset').length).toBeGreaterThanOrEqual(2);
    expect(linux).not.toContain('fault');
    expect(run.events.filter((e) => e.vm === 'busy').map((e) => e.kind)).toEqual(['started']); // never reset with it
    expect(run.failed).toEqual([]);
  });
});
