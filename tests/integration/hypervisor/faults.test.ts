// Fault policies: a VM that faults fatally is restarted up to its limit, then halted; others run on.

import { describe, expect, it } from 'vitest';
import { System } from '../../../engine/host/system.js';
import { guest, runScenario, scenario } from './run-scenario.js';

describe('fault policies', () => {
  it('restarts a trap-looping VM up to its limit, then halts it, without disturbing its neighbour', async () => {
    const run = await runScenario(scenario({
      name: 'faults', cores: 1, memory: '8M', scheduler: { policy: 'fixed-priority' },
      vms: [
        { name: 'broken', guest: guest('trap-loop'), ram: '1M', priority: 5, onFault: { policy: 'restart', limit: 2 } },
        { name: 'bench', guest: guest('bench'), ram: '2M', priority: 1 },
      ],
    }));
    const broken = run.events.filter((e) => e.vm === 'broken').map((e) => e.kind);
    expect(broken).toEqual(['started', 'fault', 'restarted', 'fault', 'restarted', 'fault', 'halted']);
    expect(run.events.find((e) => e.kind === 'fault')?.detail).toBe('trap loop (illegal instruction)');
    expect(run.snapshot.vms[0]).toMatchObject({ state: 'halted', restarts: 2, faults: 3 });
    expect(run.failed).toEqual(['broken']);
    expect(run.snapshot.vms[1].state).toBe('exited');
    expect(run.consoles.bench).toContain('bench: total instret 395974680, 0 wrong');
  });

  it('halts at once under the halt policy', async () => {
    const run = await runScenario(scenario({
      name: 'halt', cores: 1, memory: '4M', scheduler: { policy: 'fixed-priority' },
      vms: [{ name: 'broken', guest: guest('trap-loop'), ram: '1M' }],
    }));
    expect(run.events.map((e) => e.kind)).toEqual(['started', 'fault', 'halted']);
    expect(run.failed).toEqual(['broken']);
  });

  it('treats a test-device failure as a fatal fault of that VM only', async () => {
    const run = await runScenario(scenario({
      name: 'test-device', cores: 1, memory: '4M', scheduler: { policy: 'fixed-priority' },
      vms: [{ name: 'failing', guest: guest('fail'), ram: '1M', onFault: { policy: 'restart', limit: 1 } }, { name: 'hello', guest: guest('hello'), ram: '1M' }],
    }));
    expect(run.events.filter((e) => e.vm === 'failing').map((e) => `${e.kind}${e.detail ? ` (${e.detail})` : ''}`)).toEqual([
      'started', 'fault (test device failure, exit code 7)', 'restarted (restart 1)', 'fault (test device failure, exit code 7)', 'halted (restart limit 1 reached)',
    ]);
    expect(run.consoles.failing).toBe('fail: exiting with code 7\nfail: exiting with code 7\n');
    expect(run.snapshot.vms[1].state).toBe('exited');
    expect(run.failed).toEqual(['failing']);
  });
});

describe('a core worker that dies', () => {
  it('is reported as one line instead of hanging the system', async () => {
    const system = await System.create(scenario({
      name: 'crash', cores: 2, memory: '4M', scheduler: { policy: 'partitioned' },
      vms: [{ name: 'a', guest: guest('spin'), ram: '1M' }, { name: 'b', guest: guest('spin'), ram: '1M' }],
    }));
    try {
      const running = system.run();
      // Kill a core's thread from outside, as a crash would.
      void (system as unknown as { cores: { worker: { terminate(): Promise<number> } }[] }).cores[1].worker.terminate();
      await expect(running).rejects.toThrow(/^core 1: worker exited unexpectedly \(code 1\)$/);
    } finally {
      await system.dispose();
    }
  });
});
