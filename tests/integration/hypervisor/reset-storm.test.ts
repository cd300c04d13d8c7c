// A guest that resets itself in a loop pays for every reboot in its own virtual time, counts as
// faulting when it resets faster than its scenario allows, and never holds up another VM.

import { describe, expect, it } from 'vitest';
import { bootCycles } from '../../../engine/hypervisor/partition.js';
import { guest, runScenario, scenario } from './run-scenario.js';

const rtLines = (text: string | undefined) => (text ?? '').split('\n').filter((l) => l.startsWith('rt-timer: n='));

describe('a guest that keeps resetting itself', () => {
  it('is halted for a reset storm under its fault policy, while a real-time VM on its core misses nothing', async () => {
    const run = await runScenario(scenario({
      name: 'storm', cores: 1, memory: '32M', scheduler: { policy: 'fixed-priority' },
      vms: [
        { name: 'storm', guest: guest('reset-loop'), ram: '8M' }, // default: 10 resets a second, halt
        { name: 'rt', guest: guest('rt-timer-fast'), ram: '1M' },
      ],
    }), { durationCycles: 30_000_000, recordTrace: false });
    const storm = run.events.filter((e) => e.vm === 'storm').map((e) => `${e.kind}${e.detail ? ` (${e.detail})` : ''}`);
    // The first reset is allowed (and rebuilds the partition); the next one, soon after, is a storm.
    expect(storm).toEqual(['started', 'reset', 'restarted (restart 1)', 'fault (reset storm)', 'halted (fault policy halt)']);
    expect(run.failed).toEqual(['storm']);
    expect(rtLines(run.consoles.rt).length).toBe(2); // a report every 0.1 s of virtual time
    for (const line of rtLines(run.consoles.rt)) expect(line).toMatch(/ misses=0$/);
  });

  it('allowed to reset at any rate, reboots no faster than rebuilding its partition takes, on two cores, with events in time order', async () => {
    const s = scenario({
      name: 'storm-smp', cores: 2, memory: '32M', scheduler: { policy: 'fixed-priority' },
      vms: [
        { name: 'storm', guest: guest('reset-loop'), ram: '8M', vcpus: 2, onFault: { policy: 'restart', limit: 1000, resetsPerSecond: 1_000_000 } },
        { name: 'rt', guest: guest('rt-timer-fast'), ram: '1M', affinity: [0], priority: 9 },
      ],
    });
    const duration = 30_000_000;
    const run = await runScenario(s, { durationCycles: duration, recordTrace: false });
    const resets = run.events.filter((e) => e.vm === 'storm' && e.kind === 'reset').length;
    const vm = s.vms[0];
    const perReboot = bootCycles(vm.ramBytes, vm.image, new Uint8Array(0));
    expect(resets).toBeGreaterThan(5);
    expect(resets).toBeLessThanOrEqual(Math.ceil(duration / perReboot));
    for (let i = 1; i < run.events.length; i++) expect(run.events[i].time).toBeGreaterThanOrEqual(run.events[i - 1].time);
    expect(rtLines(run.consoles.rt).length).toBe(2);
    for (const line of rtLines(run.consoles.rt)) expect(line).toMatch(/ misses=0$/);
  });
});
