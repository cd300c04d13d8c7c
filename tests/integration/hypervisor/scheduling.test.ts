// Scheduler policies on real core workers: time windows, budgets, determinism, one stack on 1..4 cores.

import { describe, expect, it } from 'vitest';
import { guest, runScenario, scenario } from './run-scenario.js';

describe('time-partitioned scheduling', () => {
  it('gives each VM exactly its windows of every major frame', async () => {
    const frame = 1_000_000;
    const windows = { a: [0, 300_000], b: [400_000, 500_000] } as const;
    const run = await runScenario(scenario({
      name: 'arinc', cores: 1, memory: '8M',
      scheduler: {
        policy: 'time-partitioned', majorFrame: frame, switchCost: 100,
        windows: [{ core: 0, vm: 'a', offset: 0, duration: 300_000 }, { core: 0, vm: 'b', offset: 400_000, duration: 500_000 }],
      },
      vms: [{ name: 'a', guest: guest('spin'), ram: '1M' }, { name: 'b', guest: guest('spin'), ram: '1M' }],
    }), { durationCycles: 10 * frame });
    const perFrame = new Map<string, number>();
    for (const r of run.trace.filter((t) => t.kind === 'run')) {
      const [offset, duration] = windows[r.vm as 'a' | 'b'];
      const frameStart = Math.floor(r.time / frame) * frame;
      expect(r.time).toBeGreaterThanOrEqual(frameStart + offset);
      expect(r.a).toBeLessThanOrEqual(frameStart + offset + duration);
      const key = `${r.vm}@${frameStart}`;
      perFrame.set(key, (perFrame.get(key) ?? 0) + (r.a - r.time));
    }
    for (let f = 0; f < 10; f++) {
      // Every window is used in full but for the vCPU switch at its start.
      expect(perFrame.get(`a@${f * frame}`)).toBe(300_000 - 100);
      expect(perFrame.get(`b@${f * frame}`)).toBe(500_000 - 100);
    }
  });
});

describe('fixed-priority budgets', () => {
  it('holds a high-priority CPU hog to its budget while a lower one gets the rest', async () => {
    const run = await runScenario(scenario({
      name: 'budget', cores: 1, memory: '8M', scheduler: { policy: 'fixed-priority', switchCost: 0 },
      vms: [
        { name: 'high', guest: guest('spin'), ram: '1M', priority: 9, budget: 20_000, period: 100_000 },
        { name: 'low', guest: guest('spin'), ram: '1M', priority: 1 },
      ],
    }), { durationCycles: 10_000_000 });
    const ran = (vm: string) => run.trace.filter((t) => t.kind === 'run' && t.vm === vm).reduce((s, t) => s + (t.a - t.time), 0);
    expect(ran('high')).toBe(100 * 20_000);
    expect(ran('low')).toBe(10_000_000 - 100 * 20_000);
  });
});

const mixed = (cores: number) => scenario({
  name: `mixed-${cores}`, cores, memory: '32M', scheduler: { policy: 'fixed-priority' },
  vms: [
    { name: 'hello', guest: guest('hello'), ram: '1M', priority: 3, affinity: [0] },
    { name: 'wfi', guest: guest('wfi-idle'), ram: '1M', priority: 5, affinity: [cores - 1] },
    { name: 'smc', guest: guest('smc-migrate'), ram: '1M', priority: 1, affinity: [Math.min(1, cores - 1)] },
    { name: 'smp', guest: guest('smp-counter'), ram: '1M', vcpus: 2, priority: 2 },
    { name: 'check', guest: guest('isa-selfcheck'), ram: '1M', priority: 4, affinity: [0] },
  ],
});

describe('virtual time', () => {
  it('is deterministic: two runs give the same trace and the same consoles', async () => {
    const s = scenario({
      name: 'determinism', cores: 2, memory: '16M', scheduler: { policy: 'fixed-priority' },
      vms: [
        { name: 'hello', guest: guest('hello'), ram: '1M', priority: 3, affinity: [0] },
        { name: 'smc', guest: guest('smc-migrate'), ram: '1M', priority: 1, affinity: [0] },
        { name: 'wfi', guest: guest('wfi-idle'), ram: '1M', priority: 5, affinity: [1] },
        { name: 'check', guest: guest('isa-selfcheck'), ram: '1M', priority: 4, affinity: [1] },
      ],
    });
    const first = await runScenario(s);
    const second = await runScenario(s);
    expect(first.trace.length).toBeGreaterThan(10);
    expect(second.trace).toEqual(first.trace);
    expect(second.consoles).toEqual(first.consoles);
    expect(second.snapshot.time).toBe(first.snapshot.time);
  });
});

describe('architectural abstraction', () => {
  it('runs the same guests on 1, 2 and 4 physical cores with identical outputs', async () => {
    const outputs = [];
    for (const cores of [1, 2, 4]) {
      const run = await runScenario(mixed(cores));
      expect(run.snapshot.vms.map((v) => v.state)).toEqual(['exited', 'exited', 'exited', 'exited', 'exited']);
      outputs.push(run.consoles);
    }
    expect(outputs[0].smp).toContain('2 harts x 100000: amoadd 200000 lr/sc 200000 OK');
    expect(outputs[0].check).toContain('isa-selfcheck: 305 passed, 0 failed');
    expect(outputs[1]).toEqual(outputs[0]);
    expect(outputs[2]).toEqual(outputs[0]);
  });
});

describe('realtime mode', () => {
  it('never lets virtual time run ahead of the wall clock', async () => {
    const run = await runScenario(scenario({
      name: 'realtime', cores: 2, memory: '8M', timing: { mode: 'realtime' }, scheduler: { policy: 'partitioned' },
      vms: [{ name: 'rtos', guest: guest('rt-timer'), ram: '1M' }, { name: 'hog', guest: guest('spin'), ram: '1M' }],
    }), { durationCycles: 100_000_000 });
    expect(run.snapshot.virtualSeconds).toBe(1);
    // Pacing holds virtual time back, so the run cannot take less wall time than it simulated
    // (unpaced, this machine simulates the same second in well under half a second).
    expect(run.snapshot.wallSeconds).toBeGreaterThanOrEqual(1);
    expect(run.snapshot.vms[0].interrupts).toBe(999);
  });
});

describe('a vCPU alone on its core', () => {
  it('takes its timer interrupt at the deadline while it computes, though nothing else ends its slice', async () => {
    // With no other vCPU to run, slices are long; the vCPU's own deadline must still end one.
    const run = await runScenario(scenario({
      name: 'busy-rt', cores: 1, memory: '4M', scheduler: { policy: 'partitioned' },
      vms: [{ name: 'rt', guest: guest('rt-timer-busy'), ram: '1M' }],
    }), { durationCycles: 20_000_000 });
    expect(run.snapshot.vms[0]).toMatchObject({ state: 'exited', exitCode: 0 });
    // Entry latency in mtime ticks (100 ns): a few instructions, never a slice.
    const done = /rt-timer: done n=1000 min=(\d+) avg=[\d.]+ max=(\d+) misses=0/.exec(run.consoles.rt ?? '');
    expect(done, run.consoles.rt).not.toBeNull();
    expect(Number(done![2])).toBeLessThanOrEqual(2);
  });
});
