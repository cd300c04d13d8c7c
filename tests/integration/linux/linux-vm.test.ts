// Linux in a partition: a kernel VM on two vCPUs beside the real-time baseband, which keeps every
// deadline while Linux boots, runs its init and powers its own VM off. Bounded by virtual time.

import { describe, expect, it } from 'vitest';
import { runScenario, scenario } from '../hypervisor/run-scenario.js';
import { basebandReports, SECOND } from '../use-cases/use-case.js';
import { HAVE_LINUX, initLines, LINUX_BOOTARGS, LINUX_IMAGE, LINUX_SKIP_REASON } from './linux-image.js';

describe.skipIf(!HAVE_LINUX)(`Linux as a VM${LINUX_SKIP_REASON}`, () => {
  it('boots on two vCPUs beside the baseband, which misses no deadline, and powers off only its own VM', async () => {
    const run = await runScenario(scenario({
      name: 'linux-vm', cores: 2, memory: '80M',
      scheduler: { policy: 'fixed-priority', switchCost: 100 },
      vms: [
        { name: 'baseband', guest: 'guests/bin/baseband.elf', ram: '1M', priority: 10, affinity: [0], watchdog: 5_000_000 },
        { name: 'linux', kernel: LINUX_IMAGE, bootargs: LINUX_BOOTARGS, ram: '64M', vcpus: 2, priority: 1, affinity: [0, 1] },
      ],
    }), { durationCycles: 1.2 * SECOND });

    const lines = initLines(run.consoles.linux);
    expect(lines).toContain('tessera-init: 2 harts online');
    expect(lines).toContain('tessera-init: all checks passed');
    expect(run.snapshot.vms.map((v) => [v.name, v.state])).toEqual([['baseband', 'running'], ['linux', 'exited']]);
    expect(run.events.find((e) => e.kind === 'exited' && e.vm === 'linux')?.detail ?? '').toMatch(/exit code 0/);

    const [window] = basebandReports(run.consoles.baseband);
    expect(window).toMatchObject({ n: 1000, misses: 0 });
    console.log(`linux-vm: baseband worst wake-up ${window.max} ticks while Linux booted`);
    expect(window.max).toBeLessThan(500);
  });
});
