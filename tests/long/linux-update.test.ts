// Firmware over the air of a kernel VM: the phone's Linux rich OS is updated to a new kernel Image
// while it makes PIN calls. The new version boots in the update slot with the same initrd and command
// line, reports ready from /bin/phone, takes the channels over, and the calls go on answered right.
// In the long suite: two boots of Linux on two vCPUs. Bounded by virtual time.

import { describe, expect, it } from 'vitest';
import { runScenario, scenario } from '../integration/hypervisor/run-scenario.js';
import { SECOND, until } from '../integration/use-cases/use-case.js';
import { HAVE_LINUX, LINUX_IMAGE, LINUX_SKIP_REASON } from '../integration/linux/linux-image.js';
import { phoneLinux } from './linux-scenarios.js';
import type { UpdateReport } from '../../engine/system/over-the-air.js';

/** The rich OS's status lines: "rich: t=… | pin: N calls, A answered (…), W wrong, L lost, D dup | …". */
function pinStatus(text: string): { calls: number; wrong: number; dup: number }[] {
  return [...text.matchAll(/rich: t=\d+ ms .*?pin: (\d+) calls, .*?(\d+) wrong, \d+ lost, (\d+) dup/g)].map((m) => ({ calls: Number(m[1]), wrong: Number(m[2]), dup: Number(m[3]) }));
}

describe.skipIf(!HAVE_LINUX)(`Linux VM update over the air${LINUX_SKIP_REASON}`, () => {
  it('boots the new kernel in the update slot, hands the channels over once /bin/phone is ready, and the PIN calls go on', async () => {
    let report: UpdateReport | undefined;
    let before = '';
    let richText = '';
    const afterUpdate = () => pinStatus(richText.slice(richText.lastIndexOf('Linux version 6.1'))).length;
    const run = await runScenario(scenario(phoneLinux('linux-update', { updatable: true }, '144M')), {
      // A wide virtual-time bound: the host acts only when it sees events, so it stops the run itself.
      durationCycles: 60 * SECOND,
      onConsole: (vm, bytes) => { if (vm === 'rich') richText += Buffer.from(bytes).toString('latin1'); },
    }, async (system, progress) => {
      await until(() => system.eventLog().some((e) => e.vm === 'rich' && e.kind === 'ready') || progress.ended());
      before = 'ready';
      report = await system.update('rich', LINUX_IMAGE);
      await until(() => afterUpdate() >= 3 || progress.ended()); // the new version's status lines
      system.stop();
    });
    expect(before).toBe('ready');
    expect(report).toMatchObject({ vm: 'rich', slot: 'b', unservedChannels: [] });
    console.log(`Linux VM update: the new kernel booted to ready in ${report!.bootCycles} cycles; downtime ${report!.downtimeCycles} cycles`);
    const kinds = run.events.filter((e) => e.vm === 'rich').map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['update-started', 'update-switched']));
    expect(kinds).not.toContain('update-rolled-back');
    const text = run.consoles.rich;
    expect(text.match(/Linux version 6\.1/g)).toHaveLength(2); // the old version's boot, then the new one's
    const after = pinStatus(text.slice(text.lastIndexOf('Linux version 6.1')));
    expect(after.length).toBeGreaterThan(0);
    expect(after.at(-1)!.calls).toBeGreaterThan(0);
    for (const s of pinStatus(text)) expect(s).toMatchObject({ wrong: 0, dup: 0 });
    expect(run.failed).toEqual([]);
  });
});
