// Spatial isolation: a hostile guest probes every boundary of its map; the other partitions stay intact.

import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { guest, runScenario, scenario } from './run-scenario.js';

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

const layout = (attacker: string) => scenario({
  name: 'isolation', cores: 2, memory: '16M', scheduler: { policy: 'fixed-priority' },
  vms: [
    { name: 'below', guest: guest('park'), ram: '1M', affinity: [1] },
    { name: 'attacker', guest: guest(attacker), ram: '2M', affinity: [0] },
    { name: 'above', guest: guest('park'), ram: '1M', affinity: [1] },
  ],
});

describe('isolation between partitions', () => {
  it('faults every probe of a hostile guest inside its own VM and counts the violations', async () => {
    const run = await runScenario(layout('hostile'), { durationCycles: 20_000_000 });
    expect(run.consoles.attacker).toMatch(/hostile: (\d+) probes, \1 faults, 0 leaks/);
    expect(run.consoles.attacker).not.toContain('LEAK');
    const attacker = run.snapshot.vms[1];
    expect(attacker.state).toBe('exited');
    expect(attacker.violations).toBeGreaterThan(50);
    expect(run.snapshot.vms[0].violations).toBe(0);
    expect(run.snapshot.vms[2].violations).toBe(0);
  });

  it('leaves the partitions on either side byte-for-byte as a harmless neighbour would', async () => {
    const hostile = await runScenario(layout('hostile'), { durationCycles: 20_000_000, capturePartitions: true });
    const benign = await runScenario(layout('hello'), { durationCycles: 20_000_000, capturePartitions: true });
    for (const vm of ['below', 'above']) {
      expect(sha(hostile.partitions![vm])).toBe(sha(benign.partitions![vm]));
    }
    expect(sha(hostile.partitions!.attacker)).not.toBe(sha(benign.partitions!.attacker));
  });
});
