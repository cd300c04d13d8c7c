// The watchdog and remote wipe with a Linux VM as the phone's rich OS: /bin/phone kicks the
// hypervisor watchdog, so a watchdog longer than the boot never fires, while one shorter than the
// boot restarts the VM by its fault policy; a wipe zeroes the Linux partition and the baseband keeps
// its deadlines, and a restart boots Linux again. In the long suite. Bounded by virtual time.

import { describe, expect, it } from 'vitest';
import { runScenario, scenario } from '../integration/hypervisor/run-scenario.js';
import { SECOND, until, vmOf } from '../integration/use-cases/use-case.js';
import { HAVE_LINUX, LINUX_SKIP_REASON } from '../integration/linux/linux-image.js';
import { phoneLinux } from './linux-scenarios.js';

const richEvents = (events: readonly { vm: string; kind: string }[]) => events.filter((e) => e.vm === 'rich').map((e) => e.kind);

describe.skipIf(!HAVE_LINUX)(`Linux VM watchdog and wipe${LINUX_SKIP_REASON}`, () => {
  it('a watchdog longer than the boot never fires: /bin/phone kicks it while it works', async () => {
    const run = await runScenario(scenario(phoneLinux('linux-watchdog', { watchdog: 150_000_000 })), { durationCycles: 3 * SECOND });
    expect(richEvents(run.events)).not.toContain('fault');
    expect(run.consoles.rich).toContain('rich: Linux process');
    expect(run.snapshot.vms.find((v) => v.name === 'rich')).toMatchObject({ state: 'running', restarts: 0 });
  });

  it('a watchdog shorter than the boot restarts Linux by its fault policy, then halts it at the limit', async () => {
    // The host carries out the restart when it sees the fault, so the run stops itself once Linux is halted.
    const run = await runScenario(scenario(phoneLinux('linux-watchdog-short', { watchdog: 20_000_000, onFault: { policy: 'restart', limit: 1 } })), { durationCycles: 60 * SECOND }, async (system, progress) => {
      await until(() => (vmOf(system, 'rich').state === 'halted' && vmOf(system, 'rich').restarts >= 1) || progress.ended());
      system.stop();
    });
    const kinds = richEvents(run.events);
    expect(kinds.filter((k) => k === 'fault')).toHaveLength(2);
    expect(kinds).toContain('restarted');
    expect(run.events.find((e) => e.vm === 'rich' && e.kind === 'fault')?.detail).toMatch(/watchdog/);
    expect(run.snapshot.vms.find((v) => v.name === 'rich')).toMatchObject({ state: 'halted', restarts: 1 });
    expect(run.snapshot.vms.find((v) => v.name === 'baseband')).toMatchObject({ state: 'running' });
  });

  it('a wipe zeroes the Linux partition while the baseband runs on; a restart boots Linux again', async () => {
    let wiped: Uint8Array | undefined;
    // A wide virtual-time bound: the host acts only when it sees events, so it stops the run itself.
    const run = await runScenario(scenario(phoneLinux('linux-wipe')), { durationCycles: 60 * SECOND }, async (system, progress) => {
      await until(() => system.eventLog().some((e) => e.vm === 'rich' && e.kind === 'ready') || progress.ended());
      await system.command('rich', 'wipe');
      wiped = system.readPartition('rich');
      await system.command('rich', 'restart');
      await until(() => system.eventLog().filter((e) => e.vm === 'rich' && e.kind === 'ready').length >= 2 || vmOf(system, 'rich').state !== 'running' || progress.ended());
      system.stop();
    });
    expect(wiped?.length).toBe(64 * 1024 * 1024);
    expect(wiped!.every((byte) => byte === 0)).toBe(true);
    expect(richEvents(run.events)).toEqual(expect.arrayContaining(['wiped', 'restarted']));
    expect(run.consoles.rich.match(/Linux version 6\.1/g)).toHaveLength(2);
    const baseband = run.consoles.baseband.match(/misses=(\d+)/g) ?? [];
    expect(baseband.length).toBeGreaterThan(0);
    expect(baseband.every((m) => m === 'misses=0')).toBe(true);
  });
});
