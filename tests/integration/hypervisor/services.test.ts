// Hypervisor services from inside VMs: identity, yield, ready, console, argument checks, the watchdog,
// and the reference real-time guest's own latency figures agreeing with the hypervisor's.

import { describe, expect, it } from 'vitest';
import { guest, runScenario, scenario } from './run-scenario.js';

describe('hypervisor services ABI', () => {
  it('answers identity, yield, ready and console, and refuses bad arguments with -22', async () => {
    const run = await runScenario(scenario({
      name: 'services', cores: 1, memory: '8M', scheduler: { policy: 'fixed-priority' },
      vms: [{ name: 'other', guest: guest('hello'), ram: '1M' }, { name: 'caller', guest: guest('yield'), ram: '1M' }],
    }));
    const out = run.consoles.caller;
    expect(out).toContain('yield: vm 1 "caller" vcpu 0 of 1, services version 2');
    expect(out).toContain('yield: 1000 yields, 0 with a non-zero status');
    expect(out).toContain('hv_ready(0) -> status 0');
    expect(out).toContain('hv_ready(300) -> status -22');
    expect(out).toContain('hv_console_putc(0x1234) -> status -22');
    expect(out).toContain('yield: hello through the hv console');
    expect(run.snapshot.vms[1]).toMatchObject({ state: 'exited', ready: 0 });
    expect(run.events.filter((e) => e.vm === 'caller').map((e) => e.kind)).toEqual(['started', 'ready', 'exited']);
  });

  it('fires the watchdog of a VM that stops kicking, and applies its fault policy', async () => {
    const run = await runScenario(scenario({
      name: 'watchdog', cores: 1, memory: '8M', scheduler: { policy: 'fixed-priority' },
      vms: [{ name: 'dog', guest: guest('watchdog'), ram: '1M', watchdog: 1_000_000, onFault: { policy: 'restart', limit: 1 } }],
    }));
    const events = run.events.map((e) => `${e.kind}${e.detail ? ` (${e.detail})` : ''}`);
    expect(events).toEqual(['started', 'fault (watchdog expired)', 'restarted (restart 1)', 'fault (watchdog expired)', 'halted (restart limit 1 reached)']);
    const [, fault, restart] = run.events;
    expect(restart.time).toBe(fault.time);
    expect(run.failed).toEqual(['dog']);
  });
});

describe('interrupt latency', () => {
  it("the real-time guest's own wake-up latency agrees with the hypervisor's measurement", async () => {
    const run = await runScenario(scenario({
      name: 'agreement', cores: 1, memory: '8M', scheduler: { policy: 'fixed-priority', switchCost: 230 },
      vms: [{ name: 'rtos', guest: guest('rt-timer'), ram: '1M', priority: 10 }, { name: 'hog', guest: guest('cpu-hog'), ram: '1M', priority: 1 }],
    }), { durationCycles: 100_500_000 });
    // The first report covers the first 1000 periods of 1 ms, all inside the run.
    const report = /rt-timer: n=(\d+) min=(\d+) avg=[\d.]+ max=(\d+) misses=(\d+)/.exec(run.consoles.rtos);
    expect(report).not.toBeNull();
    const [, n, min, max, misses] = report!.map(Number);
    const hv = run.snapshot.vms[0].latency;
    expect(n).toBe(1000);
    expect(hv.count).toBeGreaterThanOrEqual(1000);
    expect(misses).toBe(0);
    // The guest reads mtime (10 cycles a tick) at its handler's first instruction.
    expect(min).toBe(Math.floor(hv.min / 10));
    expect(max).toBe(Math.floor(hv.max / 10));
    expect(hv.max).toBe(230);
    expect(run.snapshot.vms[1].instructions).toBeGreaterThan(90_000_000);
  });
});
