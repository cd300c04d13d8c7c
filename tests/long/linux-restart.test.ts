// A Linux VM restarted by the host boots again from a clean partition under a fresh SBI. In the long
// suite: three boots of Linux on two vCPUs. Bounded by virtual time.

import { describe, expect, it } from 'vitest';
import { runScenario, scenario } from '../integration/hypervisor/run-scenario.js';
import { SECOND, until, vmOf } from '../integration/use-cases/use-case.js';
import { HAVE_LINUX, initLines, LINUX_SKIP_REASON } from '../integration/linux/linux-image.js';
import { linuxBesideBusy } from './linux-scenarios.js';

describe.skipIf(!HAVE_LINUX)(`Linux VM restart${LINUX_SKIP_REASON}`, () => {
  it('restarts: the host restarts the powered-off Linux VM, which boots again from a clean partition under a fresh SBI', async () => {
    let second = '';
    const run = await runScenario(scenario(linuxBesideBusy('linux-restart')), { durationCycles: 60 * SECOND }, async (system, progress) => {
      // A wide virtual-time bound: the host acts only when it sees the VM's state, so it stops the run itself.
      await until(() => vmOf(system, 'linux').state === 'exited' || progress.ended());
      await system.command('linux', 'restart');
      const mark = system.snapshot().vms[0].restarts;
      await until(() => (vmOf(system, 'linux').state === 'exited' && vmOf(system, 'linux').restarts === mark) || progress.ended());
      second = progress.ended() ? 'the run ended first' : 'done';
      system.stop();
    });
    expect(second).toBe('done');
    const lines = initLines(run.consoles.linux);
    expect(lines.filter((l) => l === 'tessera-init: 2 harts online')).toHaveLength(2);
    expect(lines.filter((l) => l === 'tessera-init: all checks passed')).toHaveLength(2);
    expect(run.snapshot.vms[0]).toMatchObject({ state: 'exited', restarts: 1 });
  });
});
