// scenarios/automotive.json: ARINC 653 style time partitioning; every VM runs in its own windows and nowhere else.

import { describe, expect, it } from 'vitest';
import { runScenario } from '../hypervisor/run-scenario.js';
import { scenarioFile } from './use-case.js';

describe('automotive.json', () => {
  it('gives each VM exactly its windows of every major frame', async () => {
    const s = scenarioFile('automotive.json');
    expect(s.scheduler.policy).toBe('time-partitioned');
    const frame = 100_000;
    const frames = 50;
    const windows: Record<string, [number, number]> = { brake: [0, 20_000], infotainment: [20_000, 60_000], telemetry: [80_000, 20_000] };
    const run = await runScenario(s, { durationCycles: frames * frame });

    const ran = new Map<string, number>();
    const runs = run.trace.filter((t) => t.kind === 'run');
    for (const r of runs) {
      const [offset, duration] = windows[r.vm];
      const frameStart = Math.floor(r.time / frame) * frame;
      expect(r.time).toBeGreaterThanOrEqual(frameStart + offset);
      expect(r.a).toBeLessThanOrEqual(frameStart + offset + duration);
      const key = `${r.vm}@${frameStart / frame}`;
      ran.set(key, (ran.get(key) ?? 0) + (r.a - r.time));
    }
    for (let f = 0; f < frames; f++) {
      // The hog uses its window in full but for the vCPU switch at its start; nobody else gets a cycle of it.
      expect(ran.get(`infotainment@${f}`)).toBe(60_000 - 100);
    }
    // The brake task wakes at every 1 ms deadline inside its own window, each time with the same latency.
    const brakeIrqs = run.trace.filter((t) => t.kind === 'interrupt' && t.vm === 'brake');
    expect(brakeIrqs.length).toBe(frames - 1);
    for (const i of brakeIrqs) expect(i.time % frame).toBeLessThan(windows.brake[1]);
    expect(new Set(brakeIrqs.map((i) => i.b)).size).toBe(1);
    // The telemetry task only ever runs in the last fifth of the frame.
    expect(runs.filter((r) => r.vm === 'telemetry').length).toBeGreaterThan(0);
    expect(run.snapshot.vms.map((v) => v.state)).toEqual(['running', 'running', 'running']);
  });
});
