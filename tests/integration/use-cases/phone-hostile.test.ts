// scenarios/phone-hostile.json: the rich OS is compromised; the PIN stays secret, the PIN service locks, the baseband keeps its deadlines.

import { describe, expect, it } from 'vitest';
import { runScenario } from '../hypervisor/run-scenario.js';
import { basebandReports, contains, PIN_DIGITS, PIN_WORD, scenarioFile, SECOND } from './use-case.js';

describe('phone-hostile.json', () => {
  it('faults every access outside the hostile VM, keeps the PIN secret, locks after 3 guesses, and misses no deadline', async () => {
    const run = await runScenario(scenarioFile('phone-hostile.json'), { durationCycles: 3 * SECOND, capturePartitions: true });
    const hostile = run.consoles.rich;

    // Every probe outside its map faulted, inside the hostile VM, and was counted by the hypervisor.
    const summary = /rich-hostile: summary: (\d+) probes outside its map, (\d+) faulted, (\d+) leaks; (\d+) faults taken; (secret [A-Za-z ]+) in \d+ KiB/.exec(hostile);
    expect(summary).not.toBeNull();
    const [probes, faulted, leaks, taken] = summary!.slice(1, 5).map(Number);
    expect(probes).toBeGreaterThan(8000);
    expect(faulted).toBe(probes);
    expect(leaks).toBe(0);
    const rich = run.snapshot.vms.find((v) => v.name === 'rich')!;
    expect(rich.violations).toBeGreaterThanOrEqual(taken);
    expect(rich.state).toBe('running');

    // Never the secret: not found by its scans, and not in its partition at the end.
    expect(summary![5]).toBe('secret not found');
    expect(hostile).not.toContain('FOUND');
    expect(contains(run.partitions!.rich, PIN_DIGITS)).toBe(false);
    expect(contains(run.partitions!.rich, PIN_WORD)).toBe(false);
    expect(contains(run.partitions!.pin, PIN_DIGITS)).toBe(true); // the search would have seen it

    // The brute force: three wrong guesses lock the service; nothing is accepted afterwards.
    expect(hostile).toContain('PIN locked after 3 tries, 20 later guesses refused, 0 accepted');
    expect(hostile.match(/guess \d{6} -> no/g)).toHaveLength(3);
    expect(run.consoles.pin).toContain('pin: LOCKED after 3 consecutive wrong tries');

    // The baseband detected the broken ring, stayed up and met every deadline throughout.
    expect(run.consoles.baseband).toMatch(/modem ring (corrupt|message too big|cannot be attached)/);
    const reports = basebandReports(run.consoles.baseband);
    expect(reports.length).toBe(2);
    for (const r of reports) expect(r).toMatchObject({ n: 1000, misses: 0 });
    expect(run.consoles.baseband).not.toMatch(/misses=[1-9]/);
    const baseband = run.snapshot.vms.find((v) => v.name === 'baseband')!;
    expect(baseband).toMatchObject({ state: 'running', restarts: 0, faults: 0 });
    expect(run.snapshot.channels[1].doorbells[0]).toBeGreaterThan(10_000); // forged doorbells on the modem channel
    expect(run.failed).toEqual([]);
  });
});
