// Sweep points: CLI lists, their product, labels, and how a point rewrites scenario JSON.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { scenarioFromObject } from '../../../engine/host/scenario-file.js';
import { applyPoint, copyName, parseAxisList, pointLabel, runId, sweepPoints, type SweepPoint } from '../../../engine/experiment/sweep-plan.js';

const FOLDER = fileURLToPath(new URL('../../../scenarios/', import.meta.url));
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- scenario JSON, which the tests walk and edit freely
type Json = Record<string, any>;

function shipped(name: string): Json {
  return JSON.parse(readFileSync(FOLDER + name, 'utf8')) as Json;
}

function errorsOf(json: unknown): string[] {
  return scenarioFromObject(json, FOLDER).errors;
}

function apply(raw: unknown, point: SweepPoint): Json {
  return applyPoint(raw, point) as Json;
}

describe('parseAxisList', () => {
  it('reads numbers, with _ separators, spaces and duplicates removed in order', () => {
    expect(parseAxisList('cores', '1,2,4,8')).toEqual([1, 2, 4, 8]);
    expect(parseAxisList('quantum', '10_000, 100_000,10000')).toEqual([10_000, 100_000]);
    expect(parseAxisList('vms', '4,2,4,2')).toEqual([4, 2]);
  });

  it('reads policy names', () => {
    expect(parseAxisList('policy', 'fixed-priority,partitioned,fixed-priority')).toEqual(['fixed-priority', 'partitioned']);
  });

  it('names the option and the bad element', () => {
    expect(() => parseAxisList('cores', '1,3x')).toThrow("--cores: '3x' is not a whole number");
    expect(() => parseAxisList('cores', '-1')).toThrow("--cores: '-1' is not a whole number");
    expect(() => parseAxisList('quantum', '1.5')).toThrow("--quantum: '1.5' is not a whole number");
    expect(() => parseAxisList('quantum', '1__0')).toThrow("--quantum: '1__0' is not a whole number");
    expect(() => parseAxisList('vms', '1,,2')).toThrow("--vms: empty element in '1,,2'");
    expect(() => parseAxisList('vms', '')).toThrow('--vms: the list is empty');
    expect(() => parseAxisList('policy', 'fixed-priority,round-robin')).toThrow(
      "--policy: 'round-robin' is not a policy (partitioned, fixed-priority, time-partitioned)",
    );
  });

  it('checks the bounds of the scenario format', () => {
    expect(parseAxisList('cores', '1,64')).toEqual([1, 64]);
    expect(() => parseAxisList('cores', '0')).toThrow("--cores: '0' is out of range (1 to 64)");
    expect(() => parseAxisList('cores', '65')).toThrow("--cores: '65' is out of range (1 to 64)");
    expect(() => parseAxisList('vms', '65')).toThrow("--vms: '65' is out of range (1 to 64)");
    expect(parseAxisList('quantum', '100,10_000_000')).toEqual([100, 10_000_000]);
    expect(() => parseAxisList('quantum', '99')).toThrow("--quantum: '99' is out of range (100 to 10000000)");
    expect(() => parseAxisList('quantum', '10_000_001')).toThrow("--quantum: '10_000_001' is out of range");
  });

  it('throws a one-line Error', () => {
    try {
      parseAxisList('cores', '1,x');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).not.toContain('\n');
    }
  });
});

describe('sweepPoints', () => {
  it('varies cores fastest, then vms, quantum, policy', () => {
    const points = sweepPoints({ cores: [1, 2], vms: [2, 4], quantum: [100], policy: ['fixed-priority', 'partitioned'] });
    expect(points.map(pointLabel)).toEqual([
      'cores=1 vms=2 quantum=100 policy=fixed-priority',
      'cores=2 vms=2 quantum=100 policy=fixed-priority',
      'cores=1 vms=4 quantum=100 policy=fixed-priority',
      'cores=2 vms=4 quantum=100 policy=fixed-priority',
      'cores=1 vms=2 quantum=100 policy=partitioned',
      'cores=2 vms=2 quantum=100 policy=partitioned',
      'cores=1 vms=4 quantum=100 policy=partitioned',
      'cores=2 vms=4 quantum=100 policy=partitioned',
    ]);
  });

  it('leaves out the axes not swept', () => {
    expect(sweepPoints({ cores: [1, 2, 4] })).toEqual([{ cores: 1 }, { cores: 2 }, { cores: 4 }]);
    expect(sweepPoints({ cores: [8], quantum: [1000, 2000] })).toEqual([{ cores: 8, quantum: 1000 }, { cores: 8, quantum: 2000 }]);
  });

  it('refuses an empty axis', () => {
    expect(() => sweepPoints({ cores: [] })).toThrow('sweep: the cores axis is empty');
  });
});

describe('labels', () => {
  it('name only the axes present, in a fixed order', () => {
    expect(pointLabel({ policy: 'partitioned', quantum: 10_000, vms: 4, cores: 2 })).toBe('cores=2 vms=4 quantum=10000 policy=partitioned');
    expect(pointLabel({ cores: 8 })).toBe('cores=8');
    expect(runId({ cores: 2, quantum: 10_000 }, 1)).toBe('cores=2 quantum=10000 #1');
  });
});

describe('applyPoint', () => {
  const base = (): Json => ({
    name: 't',
    cores: 8,
    memory: '4M',
    scheduler: { policy: 'fixed-priority', preemptionBound: 500 },
    vms: [
      { name: 'a', guest: 'a.elf', ram: '1M', priority: 3, budget: 10, period: 20, affinity: [0, 4, 5] },
      { name: 'b', guest: 'b.elf', ram: '1M', physicalBase: '2M', vcpus: 2, affinity: [6, 7] },
      { name: 'c', guest: 'c.elf', ram: '1M' },
    ],
    channels: [
      { name: 'ab', size: '4K', endpoints: [{ vm: 'a', address: '0x90000000', irq: 32 }, { vm: 'b', address: '0x90000000', irq: 32 }] },
      { name: 'ac', size: '4K', endpoints: [{ vm: 'a', address: '0x91000000', irq: 33 }, { vm: 'c', address: '0x90000000', irq: 32 }] },
    ],
  });

  it('returns a copy and leaves the input alone', () => {
    const raw = base();
    const before = JSON.stringify(raw);
    const out = apply(raw, { cores: 1, vms: 5, quantum: 1000, policy: 'partitioned' });
    expect(JSON.stringify(raw)).toBe(before);
    expect(out).not.toBe(raw);
    expect(out.vms[0]).not.toBe(raw.vms[0]);
  });

  it('cores: folds every named core index modulo the count, de-duplicating affinity', () => {
    const out = apply(base(), { cores: 4 });
    expect(out.cores).toBe(4);
    expect(out.vms.map((vm: Json) => vm.affinity)).toEqual([[0, 1], [2, 3], undefined]);
    expect(apply(base(), { cores: 1 }).vms[1].affinity).toEqual([0]);
    expect(apply(base(), { cores: 16 }).vms[1].affinity).toEqual([6, 7]);
  });

  it('cores: folds placement lists and time windows (overlaps are the validator\'s)', () => {
    const raw = {
      cores: 4,
      scheduler: { policy: 'time-partitioned', majorFrame: 1000, windows: [{ core: 0, vm: 'a', offset: 0, duration: 10 }, { core: 3, vm: 'b', offset: 0, duration: 10 }] },
      vms: [{ name: 'a', placement: [1, 3] }, { name: 'b' }],
    };
    const out = apply(raw, { cores: 2 });
    expect(out.scheduler.windows.map((w: Json) => w.core)).toEqual([0, 1]);
    expect(out.vms[0].placement).toEqual([1, 1]);
    expect(apply(raw, { cores: 1 }).scheduler.windows.map((w: Json) => w.core)).toEqual([0, 0]);
  });

  it('cores: leaves entries of the wrong type for the validator', () => {
    const out = apply({ vms: [{ name: 'a', affinity: ['x', 5, 1] }] }, { cores: 2 });
    expect(out.vms[0].affinity).toEqual(['x', 1]);
  });

  it('quantum: sets timing.quantum, creating timing', () => {
    expect(apply(base(), { cores: 8, quantum: 5000 }).timing).toEqual({ quantum: 5000 });
    expect(apply({ ...base(), timing: { mode: 'virtual', quantum: 1 } }, { cores: 8, quantum: 5000 }).timing).toEqual({ mode: 'virtual', quantum: 5000 });
  });

  it('policy: drops the fields of fixed-priority when leaving it, and affinity when entering partitioned', () => {
    const out = apply(base(), { cores: 8, policy: 'partitioned' });
    expect(out.scheduler).toEqual({ policy: 'partitioned' });
    for (const vm of out.vms) {
      for (const key of ['priority', 'budget', 'period', 'affinity']) expect(vm).not.toHaveProperty(key);
    }
  });

  it('policy: keeps affinity of a file that already is partitioned', () => {
    const raw = { scheduler: { policy: 'partitioned' }, vms: [{ name: 'a', affinity: [1] }] };
    expect(apply(raw, { cores: 2, policy: 'partitioned' }).vms[0].affinity).toEqual([1]);
  });

  it('policy: drops majorFrame and windows when leaving time-partitioned, keeps priorities for fixed-priority', () => {
    const raw = { scheduler: { policy: 'time-partitioned', switchCost: 5, majorFrame: 1000, windows: [] }, vms: [{ name: 'a', affinity: [0] }] };
    const out = apply(raw, { cores: 1, policy: 'fixed-priority' });
    expect(out.scheduler).toEqual({ policy: 'fixed-priority', switchCost: 5 });
    expect(out.vms[0].affinity).toEqual([0]);
    expect(apply(base(), { cores: 8, policy: 'fixed-priority' }).vms[0]).toMatchObject({ priority: 3, budget: 10, period: 20 });
  });

  it('policy: time-partitioned drops preemptionBound and priorities but adds no windows', () => {
    const out = apply(base(), { cores: 8, policy: 'time-partitioned' });
    expect(out.scheduler).toEqual({ policy: 'time-partitioned' });
    expect(out.vms[0]).not.toHaveProperty('priority');
    expect(out.vms[0].affinity).toEqual([0, 4, 5]);
  });

  it('vms: keeps the first ones and drops the channels and windows of the others', () => {
    const out = apply(base(), { cores: 8, vms: 2 });
    expect(out.vms.map((vm: Json) => vm.name)).toEqual(['a', 'b']);
    expect(out.channels.map((c: Json) => c.name)).toEqual(['ab']);
    const timed = { scheduler: { policy: 'time-partitioned', windows: [{ core: 0, vm: 'a' }, { core: 0, vm: 'b' }] }, vms: [{ name: 'a' }, { name: 'b' }] };
    expect(apply(timed, { cores: 1, vms: 1 }).scheduler.windows).toEqual([{ core: 0, vm: 'a' }]);
  });

  it('vms: repeats the VMs in file order as x-2, x-3 ..., without physicalBase or channels', () => {
    const out = apply(base(), { cores: 8, vms: 7 });
    expect(out.vms.map((vm: Json) => vm.name)).toEqual(['a', 'b', 'c', 'a-2', 'b-2', 'c-2', 'a-3']);
    expect(out.vms[4]).toEqual({ name: 'b-2', guest: 'b.elf', ram: '1M', vcpus: 2, affinity: [6, 7] });
    expect(out.vms[1].physicalBase).toBe('2M');
    expect(out.vms[3]).toMatchObject({ priority: 3, affinity: [0, 4, 5] });
    expect(out.channels).toHaveLength(2);
    expect(JSON.stringify(out.channels)).not.toMatch(/-2/);
  });

  it('vms: copies have no affinity under partitioned (their cores are the validator\'s to pick)', () => {
    const raw = { scheduler: { policy: 'partitioned' }, memory: '16M', vms: [{ name: 'a', ram: '1M', affinity: [1] }] };
    const out = apply(raw, { cores: 4, vms: 2 });
    expect(out.vms).toEqual([{ name: 'a', ram: '1M', affinity: [1] }, { name: 'a-2', ram: '1M' }]);
  });

  it('vms: cuts long names to 32 characters with the suffix', () => {
    expect(copyName('a'.repeat(32), 2)).toBe(`${'a'.repeat(30)}-2`);
    expect(copyName('a'.repeat(32), 12)).toBe(`${'a'.repeat(29)}-12`);
    expect(copyName('abc', 3)).toBe('abc-3');
  });

  it('vms: grows memory by the copies (with update slots) only when it no longer fits', () => {
    // 3 MiB of VMs + 8 KiB of windows in 4 MiB: one more 1 MiB VM does not fit.
    expect(apply(base(), { cores: 8, vms: 3 }).memory).toBe('4M');
    expect(apply(base(), { cores: 8, vms: 4 }).memory).toBe('5M');
    expect(apply(base(), { cores: 8, vms: 6 }).memory).toBe('7M');
    const updatable = { memory: '3M', vms: [{ name: 'u', ram: '1M', updatable: true }] };
    expect(apply(updatable, { cores: 1, vms: 2 }).memory).toBe('5M');
    expect(apply({ memory: 8 * 1024 * 1024, vms: [{ name: 'x', ram: 4 * 1024 * 1024 }] }, { cores: 1, vms: 3 }).memory).toBe('16M');
  });

  it('leaves input that is not an object alone', () => {
    expect(applyPoint(null, { cores: 1 })).toBeNull();
    expect(applyPoint([1], { cores: 1 })).toEqual([1]);
  });
});

describe('applyPoint on the shipped scenarios', () => {
  for (const file of ['scaling-2.json', 'phone.json']) {
    for (const cores of [1, 2, 4, 8]) {
      it(`${file} at cores=${cores} validates`, () => {
        const out = apply(shipped(file), { cores });
        expect(errorsOf(out)).toEqual([]);
        expect(out.cores).toBe(cores);
      });
      it(`${file} at cores=${cores} with vms=12, quantum=100000, fixed-priority validates`, () => {
        expect(errorsOf(apply(shipped(file), { cores, vms: 12, quantum: 100_000, policy: 'fixed-priority' }))).toEqual([]);
      });
    }
  }

  it('scaling-8 folds onto 1, 2 and 4 cores', () => {
    for (const cores of [1, 2, 4]) expect(errorsOf(apply(shipped('scaling-8.json'), { cores }))).toEqual([]);
  });

  it('phone with fewer VMs loses the channels of the dropped ones', () => {
    const out = apply(shipped('phone.json'), { cores: 2, vms: 2 });
    expect(out.channels).toEqual([]);
    expect(errorsOf(out)).toEqual([]);
  });

  it('phone with 6 VMs gets more memory and validates', () => {
    // 8M + baseband-2 (1M) + pin-2 (1M and its 1M update slot) + rich-2 (2M).
    const out = apply(shipped('phone.json'), { cores: 2, vms: 6 });
    expect(out.memory).toBe('13M');
    expect(errorsOf(out)).toEqual([]);
  });

  it('partitioned validates when there is a core per vCPU and is refused otherwise', () => {
    expect(errorsOf(apply(shipped('phone.json'), { cores: 4, policy: 'partitioned' }))).toEqual([]);
    expect(errorsOf(apply(shipped('phone.json'), { cores: 2, policy: 'partitioned' }))).toEqual([
      'vms: partitioned gives every vCPU its own core: 4 vCPUs need 4 cores, the scenario has 2',
    ]);
    expect(errorsOf(apply(shipped('scaling-2.json'), { cores: 8, policy: 'partitioned' }))).toEqual([
      'vms: partitioned gives every vCPU its own core: 9 vCPUs need 9 cores, the scenario has 8',
    ]);
    expect(errorsOf(apply(shipped('scaling-2.json'), { cores: 16, policy: 'partitioned' }))).toEqual([]);
  });

  it('time-partitioned on a file without windows is refused by the validator', () => {
    expect(errorsOf(apply(shipped('scaling-2.json'), { cores: 2, policy: 'time-partitioned' }))).toEqual([
      'scheduler.majorFrame: required for time-partitioned',
      'scheduler.windows: required for time-partitioned',
    ]);
  });

  it('automotive leaves time partitioning for fixed priorities, and its copies have no window', () => {
    expect(errorsOf(apply(shipped('automotive.json'), { cores: 2, policy: 'fixed-priority' }))).toEqual([]);
    expect(errorsOf(apply(shipped('automotive.json'), { cores: 1, vms: 2 }))).toEqual([]);
    expect(errorsOf(apply(shipped('automotive.json'), { cores: 1, vms: 4 }))).toEqual(['vms[3]: has no window in scheduler.windows']);
  });
});
