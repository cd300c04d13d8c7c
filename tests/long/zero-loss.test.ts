// The zero-loss target of inter-VM channels, at full length: 10,000,000 messages across two cores
// (npm run test:long; about 40 s on a 2-CPU machine, so not part of npm test).

import { describe, expect, it } from 'vitest';
import { guest, runScenario, scenario } from '../integration/hypervisor/run-scenario.js';

describe('the zero-loss target', () => {
  it('delivers 10,000,000 checksummed messages across two cores: none lost, duplicated, reordered or corrupted', async () => {
    const run = await runScenario(scenario({
      name: 'stream-10m', cores: 2, memory: '16M', scheduler: { policy: 'partitioned' },
      vms: [{ name: 'producer', guest: guest('ipc-stream-10m'), ram: '2M' }, { name: 'consumer', guest: guest('ipc-stream-10m'), ram: '2M' }],
      channels: [{ name: 'stream', size: '64K', ring: 'producer', endpoints: [{ vm: 'producer', address: '0x90000000', irq: 32 }, { vm: 'consumer', address: '0x90000000', irq: 32 }] }],
    }), { recordTrace: false });
    expect(run.consoles.consumer).toContain('ipc-stream: 10000000 messages, 0 lost, 0 duplicated, 0 reordered, 0 corrupted\n');
    expect(run.snapshot.channels[0].flows[0].messages).toBe(10_000_001);
    expect(run.snapshot.channels[0].flows[0].latency.count).toBe(10_000_000);
  }, 300_000);
});
