// Scenario validation: each rule of the format, with the exact one-line error it gives, and normalization.

import { describe, expect, it } from 'vitest';
import { validateScenario } from '../../../engine/scenario/validate.js';
import { describeCases } from './case-tests.js';
import { baseScenario, everyField, MiB, SOURCE, timePartitioned, withVm } from './fixtures.js';
import { SCENARIO_CASES } from './validator-cases.js';

describe('a valid scenario', () => {
  it('normalizes with every default filled in', () => {
    const { scenario, errors } = validateScenario(baseScenario(), SOURCE);
    expect(errors).toEqual([]);
    expect(scenario).toEqual({
      name: 'test',
      cores: 2,
      memoryBytes: 16 * MiB,
      timing: { mode: 'virtual', quantum: 10_000, frequency: 100_000_000 },
      scheduler: { policy: 'fixed-priority', switchCost: 100, preemptionBound: 1000 },
      vms: [
        {
          name: 'alpha',
          guestPath: '/fs/guests/small.elf',
          image: expect.objectContaining({ entry: 0x8000_0000 }),
          ramBytes: MiB,
          physicalBase: 0,
          vcpus: 1,
          priority: 0,
          affinity: [0, 1],
          placement: [],
          onFault: { policy: 'halt', limit: 3, resetsPerSecond: 10 },
          autostart: true,
        },
        expect.objectContaining({ name: 'beta', ramBytes: 2 * MiB, physicalBase: MiB, affinity: [0, 1] }),
      ],
      channels: [],
    });
    expect(scenario?.vms[0].image.segments).toHaveLength(2);
  });

  it('keeps every field given, and accepts sizes as integers or strings', () => {
    const { scenario, errors } = validateScenario(everyField(), SOURCE);
    expect(errors).toEqual([]);
    expect(scenario).toMatchObject({
      description: 'every field',
      memoryBytes: 64 * MiB,
      timing: { mode: 'realtime', quantum: 5000, frequency: 50_000_000 },
      scheduler: { policy: 'fixed-priority', preemptionBound: 200, switchCost: 0 },
    });
    expect(scenario?.vms[0]).toMatchObject({
      guestPath: '/fs/guests/small.elf',
      ramBytes: 65536,
      physicalBase: 0x10_0000,
      vcpus: 2,
      priority: 200,
      budget: 200_000,
      period: 1_000_000,
      affinity: [3, 1],
      placement: [],
      onFault: { policy: 'restart', limit: 0, resetsPerSecond: 5 },
      watchdog: 5_000_000,
      autostart: false,
      updateSlot: expect.any(Number),
    });
  });

  it('places partitions first-fit in VM order around explicit bases, page-aligned', () => {
    const json = baseScenario();
    json.vms = [
      { name: 'fixed', guest: '../guests/small.elf', ram: '1M', physicalBase: '1M' },
      { name: 'a', guest: '../guests/small.elf', ram: '512K' },
      { name: 'b', guest: '../guests/small.elf', ram: '1M' },
      { name: 'c', guest: '../guests/small.elf', ram: '512K' },
    ];
    const bases = validateScenario(json, SOURCE).scenario?.vms.map((vm) => vm.physicalBase);
    // a takes 0..512K; b does not fit in the 512K hole below "fixed", so goes above it; c fills the hole.
    expect(bases).toEqual([MiB, 0, 2 * MiB, 512 * 1024]);
  });

  it('reads each guest file once, however many VMs run it', () => {
    const reads: string[] = [];
    const source = { ...SOURCE, readFile: (path: string) => (reads.push(path), SOURCE.readFile(path)) };
    expect(validateScenario(baseScenario(), source).errors).toEqual([]);
    expect(reads).toEqual(['/fs/guests/small.elf']);
  });
});

describe('update slots', () => {
  it('an updatable VM gets a second partition of its size, first-fit after the others', () => {
    const result = validateScenario(withVm(1, { updatable: true }), SOURCE);
    expect(result.errors).toEqual([]);
    const [alpha, beta] = result.scenario!.vms;
    expect(alpha.updateSlot).toBeUndefined();
    expect(beta.updateSlot).toBe(3 * MiB); // after alpha (1 MiB at 0) and beta (2 MiB at 1 MiB)
  });
});

describe('partitioned placement', () => {
  const partitioned = () => ({ ...baseScenario(), scheduler: { policy: 'partitioned' } });

  it('gives every vCPU its own core: free cores in VM order, explicit ones as listed', () => {
    const json = withVm(1, { vcpus: 2 }, { ...partitioned(), cores: 4 });
    json.vms.push({ name: 'pinned', guest: '../guests/small.elf', ram: '1M', affinity: [1] });
    const vms = validateScenario(json, SOURCE).scenario?.vms;
    expect(vms?.map((vm) => vm.placement)).toEqual([[0], [2, 3], [1]]);
    expect(vms?.map((vm) => vm.affinity)).toEqual([[0], [2, 3], [1]]);
  });

  it('vCPU i runs on affinity[i]', () => {
    const vm = validateScenario(withVm(0, { vcpus: 2, affinity: [3, 1, 0] }, { ...partitioned(), cores: 4 }), SOURCE).scenario?.vms[0];
    expect(vm).toMatchObject({ placement: [3, 1], affinity: [3, 1, 0] });
  });
});

describe('time-partitioned windows', () => {
  it('normalizes windows with the VM index, sorted by core and offset', () => {
    const json = timePartitioned();
    json.scheduler.windows.push({ core: 0, vm: 'beta', offset: 600_000, duration: 400_000 });
    json.scheduler.windows.reverse();
    const { scenario, errors } = validateScenario(json, SOURCE);
    expect(errors).toEqual([]);
    expect(scenario?.scheduler).toEqual({
      policy: 'time-partitioned',
      switchCost: 100,
      majorFrame: 1_000_000,
      windows: [
        { core: 0, vmIndex: 0, offset: 0, duration: 500_000 },
        { core: 0, vmIndex: 1, offset: 600_000, duration: 400_000 },
        { core: 1, vmIndex: 1, offset: 0, duration: 250_000 },
      ],
    });
    expect(scenario?.vms.map((vm) => vm.placement)).toEqual([[], []]);
  });
});

describeCases(SCENARIO_CASES);
