// VM lifecycle through the engine API: legal and illegal transitions, pause, restart, wipe, destroy.

import { describe, expect, it } from 'vitest';
import type { System } from '../../../engine/host/system.js';
import { guest, runScenario, scenario } from './run-scenario.js';

const twoSpinners = scenario({
  name: 'lifecycle', cores: 3, memory: '16M', scheduler: { policy: 'partitioned' },
  vms: [
    { name: 'subject', guest: guest('spin'), ram: '1M' },
    { name: 'clock', guest: guest('spin'), ram: '1M' },
    { name: 'later', guest: guest('hello'), ram: '1M', autostart: false },
  ],
});

/** Waits (without timing assertions) until the other VM has run `instructions` more. */
async function whileClockRuns(system: System, instructions: number): Promise<void> {
  const vm = () => system.snapshot().vms.find((v) => v.name === 'clock')!.instructions;
  const target = vm() + instructions;
  while (vm() < target) await new Promise((r) => setTimeout(r, 5));
}

const vmOf = (system: System, name: string) => system.snapshot().vms.find((v) => v.name === name)!;

describe('VM lifecycle', () => {
  it('pauses, resumes, stops, restarts, starts, wipes and destroys, refusing what is illegal', async () => {
    const run = await runScenario(twoSpinners, {}, async (system) => {
      await whileClockRuns(system, 1_000_000);
      await system.command('subject', 'pause');
      expect(vmOf(system, 'subject').state).toBe('paused');
      const frozen = vmOf(system, 'subject').instructions;
      await whileClockRuns(system, 5_000_000);
      expect(vmOf(system, 'subject').instructions).toBe(frozen);
      await expect(system.command('subject', 'pause')).rejects.toThrow("cannot pause VM 'subject': it is paused");
      await expect(system.command('subject', 'start')).rejects.toThrow("cannot start VM 'subject': it is paused");

      await system.command('subject', 'resume');
      await whileClockRuns(system, 5_000_000);
      expect(vmOf(system, 'subject').instructions).toBeGreaterThan(frozen);

      await system.command('subject', 'restart');
      expect(vmOf(system, 'subject')).toMatchObject({ state: 'running', restarts: 1 });

      await expect(system.command('later', 'resume')).rejects.toThrow("cannot resume VM 'later': it is created");
      await system.command('later', 'start');

      await system.command('subject', 'wipe');
      expect(vmOf(system, 'subject').state).toBe('wiped');
      expect(system.readPartition('subject').every((b) => b === 0)).toBe(true);
      expect(system.readPartition('clock').some((b) => b !== 0)).toBe(true);
      await expect(system.command('subject', 'resume')).rejects.toThrow("cannot resume VM 'subject': it is wiped");
      await system.command('subject', 'destroy');

      await expect(system.command('nobody', 'stop')).rejects.toThrow("no VM named 'nobody' (VMs: subject, clock, later)");
      await system.command('clock', 'stop');
    });
    expect(run.consoles.later).toContain('hello from tessera guest');
    const subject = run.events.filter((e) => e.vm === 'subject').map((e) => e.kind);
    expect(subject).toEqual(['started', 'paused', 'resumed', 'restarted', 'wiped', 'destroyed']);
    for (const e of run.events) expect(e.time).toBeGreaterThanOrEqual(0);
    expect(run.snapshot.vms.map((v) => v.state)).toEqual(['destroyed', 'stopped', 'exited']);
  });
});

describe('a paused VM', () => {
  it('keeps its timers and watchdog frozen in its own time: resumed after 50 watchdog periods, it neither faults nor misses a deadline', async () => {
    const s = scenario({
      name: 'paused-watchdog', cores: 2, memory: '16M', scheduler: { policy: 'partitioned' },
      vms: [
        // A 100 us periodic task that kicks its 1 ms watchdog every period.
        { name: 'rt', guest: guest('rt-timer-fast'), ram: '1M', watchdog: 100_000, onFault: { policy: 'restart', limit: 3 } },
        { name: 'clock', guest: guest('spin'), ram: '1M' },
      ],
    });
    let rtOutput = '';
    const reports = () => rtOutput.split('\n').filter((l) => l.startsWith('rt-timer: n='));
    const run = await runScenario(s, { onConsole: (vm, bytes) => { if (vm === 'rt') rtOutput += Buffer.from(bytes).toString('latin1'); } }, async (system) => {
      while (reports().length < 1) await new Promise((r) => setTimeout(r, 5));
      await system.command('rt', 'pause');
      await whileClockRuns(system, 5_000_000); // 50 ms of virtual time: 50 watchdog periods
      await system.command('rt', 'resume');
      const resumedAt = reports().length;
      while (reports().length < resumedAt + 2) await new Promise((r) => setTimeout(r, 5));
      await system.command('clock', 'stop');
      await system.command('rt', 'stop');
    });
    expect(run.events.filter((e) => e.vm === 'rt').map((e) => e.kind)).toEqual(['started', 'ready', 'paused', 'resumed', 'stopped']);
    expect(reports().length).toBeGreaterThanOrEqual(3);
    for (const line of reports()) expect(line).toMatch(/ misses=0$/);
    expect(run.snapshot.vms[0]).toMatchObject({ restarts: 0, faults: 0 });
  });
});
