// Scheduling policies as pure functions: who runs, and until when.

import { describe, expect, it } from 'vitest';
import { pickFixedPriority, pickTimePartitioned, replenish, type Candidate } from '../../../engine/hypervisor/scheduler.js';

function vcpu(over: Partial<Candidate> & { vcpu: number }): Candidate {
  return { vm: over.vcpu, priority: 0, eligible: true, wakeAt: Infinity, budget: 0, period: 0, budgetLeft: 0, periodStart: 0, lastRun: 0, ...over };
}

describe('fixed priority', () => {
  it('runs the highest-priority runnable vCPU', () => {
    const choice = pickFixedPriority([vcpu({ vcpu: 0, priority: 1 }), vcpu({ vcpu: 1, priority: 9 }), vcpu({ vcpu: 2, priority: 5 })], 0, 10_000, 1000);
    expect(choice.vcpu).toBe(1);
  });

  it('skips vCPUs waiting in WFI and idles until the earliest timer when none can run', () => {
    const choice = pickFixedPriority([vcpu({ vcpu: 0, eligible: false, wakeAt: 700 }), vcpu({ vcpu: 1, eligible: false, wakeAt: 300 })], 100, 10_000, 1000);
    expect(choice).toEqual({ vcpu: -1, until: 300 });
  });

  it('ends a low-priority slice exactly at the timer deadline of a higher-priority vCPU', () => {
    const choice = pickFixedPriority([vcpu({ vcpu: 0, priority: 1 }), vcpu({ vcpu: 1, priority: 9, eligible: false, wakeAt: 5_432 })], 5_000, 1_000_000, 1_000_000);
    expect(choice).toEqual({ vcpu: 0, until: 5_432 });
  });

  it('bounds a slice by preemptionBound while a higher-priority vCPU could be woken from another core', () => {
    const choice = pickFixedPriority([vcpu({ vcpu: 0, priority: 1 }), vcpu({ vcpu: 1, priority: 9, eligible: false })], 0, 100_000, 2_000);
    expect(choice).toEqual({ vcpu: 0, until: 2_000 });
  });

  it('runs a lone vCPU for a whole quantum', () => {
    expect(pickFixedPriority([vcpu({ vcpu: 3 })], 1_000, 10_000, 500)).toEqual({ vcpu: 3, until: 11_000 });
  });

  it('shares equal priorities by least recently run', () => {
    const choice = pickFixedPriority([vcpu({ vcpu: 0, lastRun: 900 }), vcpu({ vcpu: 1, lastRun: 100 })], 1_000, 10_000, 1000);
    expect(choice.vcpu).toBe(1);
  });

  it('enforces a budget: an exhausted vCPU waits for its next period, a lower one runs until then', () => {
    const high = vcpu({ vcpu: 0, priority: 9, budget: 2_000, period: 10_000, budgetLeft: 0, periodStart: 0 });
    const low = vcpu({ vcpu: 1, priority: 1 });
    expect(pickFixedPriority([high, low], 4_000, 100_000, 100_000)).toEqual({ vcpu: 1, until: 10_000 });
  });

  it('ends a budgeted slice when the budget runs out', () => {
    const high = vcpu({ vcpu: 0, priority: 9, budget: 2_000, period: 10_000, budgetLeft: 1_500, periodStart: 0 });
    expect(pickFixedPriority([high], 500, 100_000, 100_000)).toEqual({ vcpu: 0, until: 2_000 });
  });

  it('replenishes the budget at each new period', () => {
    const c = vcpu({ vcpu: 0, budget: 2_000, period: 10_000, budgetLeft: -50, periodStart: 0 });
    replenish(c, 35_000);
    expect(c).toMatchObject({ budgetLeft: 2_000, periodStart: 30_000 });
    replenish(c, 39_999);
    expect(c).toMatchObject({ budgetLeft: 2_000, periodStart: 30_000 });
  });
});

describe('time partitioning (ARINC 653 major frame)', () => {
  const windows = [{ vm: 0, offset: 0, duration: 300 }, { vm: 1, offset: 500, duration: 400 }];
  const cands = [vcpu({ vcpu: 0, vm: 0 }), vcpu({ vcpu: 1, vm: 1 })];

  it('runs only the window owner, until the window ends', () => {
    expect(pickTimePartitioned(cands, 1_100, 10_000, windows, 1_000)).toEqual({ vcpu: 0, until: 1_300 });
    expect(pickTimePartitioned(cands, 1_600, 10_000, windows, 1_000)).toEqual({ vcpu: 1, until: 1_900 });
  });

  it('idles through a gap until the next window, also across the frame boundary', () => {
    expect(pickTimePartitioned(cands, 1_350, 10_000, windows, 1_000)).toEqual({ vcpu: -1, until: 1_500 });
    expect(pickTimePartitioned(cands, 1_950, 10_000, windows, 1_000)).toEqual({ vcpu: -1, until: 2_000 });
  });

  it('leaves a window unused when its VM has nothing runnable (no other VM borrows it)', () => {
    const idle = [vcpu({ vcpu: 0, vm: 0, eligible: false, wakeAt: 5_000 }), vcpu({ vcpu: 1, vm: 1 })];
    expect(pickTimePartitioned(idle, 100, 10_000, windows, 1_000)).toEqual({ vcpu: -1, until: 300 });
  });
});
