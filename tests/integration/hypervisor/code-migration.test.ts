// Self-modifying code on vCPUs that migrate between cores: no core ever runs a vCPU's stale decoding.

import { describe, expect, it } from 'vitest';
import { guest, runScenario, scenario } from './run-scenario.js';

describe('code rewritten on one core and run on another', () => {
  it('six vCPUs on two cores rewrite, FENCE.I, yield and call their code 20,000 times each: no stale call', async () => {
    const run = await runScenario(scenario({
      name: 'smc', cores: 2, memory: '16M', scheduler: { policy: 'fixed-priority' },
      vms: [{ name: 'smc', guest: guest('smc-migrate'), ram: '1M', vcpus: 6, affinity: [0, 1] }],
    }), { recordTrace: false });
    expect(run.consoles.smc).toContain('smc-migrate: 6 harts x 20000 rewrites: 0 stale\n');
    expect(run.snapshot.vms[0]).toMatchObject({ state: 'exited', exitCode: 0 });
  });
});
