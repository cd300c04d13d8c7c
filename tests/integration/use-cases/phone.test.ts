// scenarios/phone.json: a rich OS, a real-time baseband and a PIN service side by side; and a remote wipe of the PIN service.

import { describe, expect, it } from 'vitest';
import { runScenario } from '../hypervisor/run-scenario.js';
import { basebandReports, contains, PIN_DIGITS, scenarioFile, SECOND, until, vmOf } from './use-case.js';

/** The last `rich: t=...` status line, as numbers. */
function richTotals(text: string) {
  const lines = [...text.matchAll(/pin: (\d+) calls, (\d+) answered \((\d+) yes, (\d+) no\), (\d+) wrong, (\d+) lost, (\d+) dup \| modem: (\d+) sent/g)];
  expect(lines.length).toBeGreaterThan(0);
  const m = lines[lines.length - 1];
  const [calls, answered, yes, no, wrong, lost, dup, sent] = m.slice(1).map(Number);
  return { lines: lines.length, calls, answered, yes, no, wrong, lost, dup, sent };
}

describe('phone.json', () => {
  it('runs the three VMs: the baseband misses no deadline, every PIN call is answered once and in order, modem commands flow', async () => {
    const run = await runScenario(scenarioFile('phone.json'), { durationCycles: 3 * SECOND });
    expect(run.snapshot.vms.map((v) => [v.name, v.state, v.restarts])).toEqual([['baseband', 'running', 0], ['pin', 'running', 0], ['rich', 'running', 0]]);
    expect(run.events.filter((e) => e.kind === 'ready').map((e) => e.vm).sort()).toEqual(['baseband', 'pin', 'rich']);
    expect(run.failed).toEqual([]);

    // Two full windows of 1000 periods, no deadline missed; every modem command arrived intact and in order.
    const reports = basebandReports(run.consoles.baseband);
    expect(reports.length).toBe(2);
    for (const r of reports) expect(r).toMatchObject({ n: 1000, misses: 0, bad: 0, lost: 0, dup: 0, ringErrors: 0 });
    expect(run.consoles.baseband).not.toMatch(/misses=[1-9]/);
    // Wake-ups stay well inside half a quantum (500 ticks): a core that lost a vCPU to the other core
    // once idled a whole quantum past the baseband's timer (up to 961 ticks late).
    console.log(`phone.json baseband worst wake-ups: ${reports.map((r) => r.max).join(', ')} ticks`);
    for (const r of reports) expect(r.max).toBeLessThan(500);

    // 10 ms apart: about 300 calls, each answered with its own sequence number and the right verdict.
    const rich = richTotals(run.consoles.rich);
    expect(rich.calls).toBeGreaterThanOrEqual(250);
    expect(rich).toMatchObject({ answered: rich.calls, wrong: 0, lost: 0, dup: 0 });
    expect(rich.no).toBeGreaterThan(0); // wrong PINs were typed too, and rejected
    expect(rich.yes + rich.no).toBe(rich.calls);
    expect(run.consoles.pin).not.toContain('LOCKED');

    const [pin, modem] = run.snapshot.channels;
    expect(pin.name).toBe('pin');
    expect(pin.flows[0].syncMessages).toBeGreaterThanOrEqual(rich.calls);
    expect(pin.flows[1].syncMessages).toBeGreaterThanOrEqual(rich.answered);
    expect(modem.name).toBe('modem');
    expect(modem.flows[0]).toMatchObject({ from: 'rich', to: 'baseband' });
    expect(modem.flows[0].messages).toBeGreaterThan(reports[1].ok - 1);
    expect(reports[1].ok).toBeGreaterThan(15_000); // 8 commands a millisecond
    expect(modem.doorbells[0]).toBeGreaterThan(0); // the baseband sleeps between commands and asks to be rung
  });

  it('remote wipe: zeroes the PIN service and halts it while the baseband and the rich OS keep running', async () => {
    let wipedAt = { rich: 0, baseband: 0 };
    const run = await runScenario(scenarioFile('phone.json'), { durationCycles: 60 * SECOND }, async (system) => {
      await until(() => (system.snapshot().channels[0].flows[1].syncMessages ?? 0) >= 50);
      const before = system.readPartition('pin');
      expect(contains(before, PIN_DIGITS)).toBe(true); // the secret is there to be wiped

      await system.command('pin', 'wipe');
      expect(vmOf(system, 'pin').state).toBe('wiped');
      expect(system.readPartition('pin').every((b) => b === 0)).toBe(true);
      wipedAt = { rich: vmOf(system, 'rich').instructions, baseband: vmOf(system, 'baseband').instructions };

      await until(() => vmOf(system, 'rich').instructions > wipedAt.rich + 100_000_000 && vmOf(system, 'baseband').instructions > wipedAt.baseband + 3_000_000);
      expect(system.readPartition('pin').every((b) => b === 0)).toBe(true);
      system.stop();
    });
    expect(run.snapshot.vms.map((v) => [v.name, v.state])).toEqual([['baseband', 'running'], ['pin', 'wiped'], ['rich', 'running']]);
    expect(run.events.filter((e) => e.vm === 'pin').map((e) => e.kind)).toEqual(['started', 'ready', 'wiped']);
    // The rich OS notices: its calls fail with EPIPE from then on, and are counted as lost.
    expect(run.consoles.rich).toMatch(/rich: PIN call \d+ failed with -32/);
    expect(richTotals(run.consoles.rich).lost).toBeGreaterThan(0);
    expect(basebandReports(run.consoles.baseband).length).toBeGreaterThan(0);
    expect(run.consoles.baseband).not.toMatch(/misses=[1-9]/);
    expect(run.snapshot.vms[0].restarts).toBe(0);
  });
});
