// scenarios/phone-linux.json (in the long suite): Linux on two vCPUs as the phone's rich OS, its /bin/phone making the
// PIN calls (synchronous IPC) and feeding the modem ring through uio, beside the real-time baseband
// and the PIN service. Bounded by virtual time.

import { describe, expect, it } from 'vitest';
import { runScenario } from '../integration/hypervisor/run-scenario.js';
import { basebandReports, scenarioFile, SECOND } from '../integration/use-cases/use-case.js';
import { HAVE_LINUX, initLines, LINUX_SKIP_REASON } from '../integration/linux/linux-image.js';

/** The last status line of /bin/phone, as numbers. */
function phoneTotals(text: string) {
  const lines = [...text.matchAll(/pin: (\d+) calls, (\d+) answered \((\d+) yes, (\d+) no\), (\d+) wrong, (\d+) lost, (\d+) dup, (\d+) interrupted \| modem: (\d+) sent/g)];
  expect(lines.length).toBeGreaterThan(0);
  const [calls, answered, yes, no, wrong, lost, dup, interrupted, sent] = lines[lines.length - 1].slice(1).map(Number);
  return { calls, answered, yes, no, wrong, lost, dup, interrupted, sent };
}

describe.skipIf(!HAVE_LINUX)(`phone-linux.json${LINUX_SKIP_REASON}`, () => {
  it('Linux boots and runs the phone: every PIN call answered right, modem commands flow, the baseband misses no deadline', async () => {
    const run = await runScenario(scenarioFile('phone-linux.json'), { durationCycles: 3 * SECOND });
    expect(run.failed).toEqual([]);
    expect(run.snapshot.vms.map((v) => [v.name, v.state, v.restarts])).toEqual([['baseband', 'running', 0], ['pin', 'running', 0], ['rich', 'running', 0]]);
    expect(initLines(run.consoles.rich)).toEqual(expect.arrayContaining(['tessera-init: 2 harts online', 'tessera-init: all checks passed', 'tessera-init: running /bin/phone']));
    expect(run.events.filter((e) => e.kind === 'ready').map((e) => e.vm).sort()).toEqual(['baseband', 'pin', 'rich']);

    const phone = phoneTotals(run.consoles.rich);
    expect(phone.calls).toBeGreaterThanOrEqual(150); // one every 10 ms once Linux is up
    expect(phone).toMatchObject({ wrong: 0, lost: 0, dup: 0 });
    expect(phone.answered + phone.interrupted).toBe(phone.calls);
    expect(phone.no).toBeGreaterThan(0);
    expect(run.consoles.pin).not.toContain('LOCKED');

    const reports = basebandReports(run.consoles.baseband);
    expect(reports.length).toBe(2);
    for (const r of reports) expect(r).toMatchObject({ n: 1000, misses: 0, bad: 0, lost: 0, dup: 0, ringErrors: 0 });
    console.log(`phone-linux.json baseband worst wake-ups: ${reports.map((r) => r.max).join(', ')} ticks`);
    expect(reports[1].ok).toBeGreaterThan(8_000);
    const [, modem] = run.snapshot.channels;
    expect(modem.flows[0]).toMatchObject({ from: 'rich', to: 'baseband' });
    expect(modem.flows[0].messages).toBeGreaterThanOrEqual(reports[1].ok);
  });
});
