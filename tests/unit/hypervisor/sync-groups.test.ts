import { describe, expect, it } from 'vitest';
import { coreThreads, syncGroups } from '../../../engine/hypervisor/sync-groups.js';

const vm = (affinity: number[], placement: number[] = []) => ({ affinity, placement });

describe('syncGroups', () => {
  it('leaves cores that share nothing in groups of their own', () => {
    expect(syncGroups(4, [vm([0]), vm([1]), vm([2]), vm([3])], [])).toEqual([0, 1, 2, 3]);
  });

  it('joins the cores a VM may run on', () => {
    expect(syncGroups(4, [vm([1, 3]), vm([2])], [])).toEqual([0, 1, 2, 1]);
    expect(syncGroups(3, [vm([], [2, 0])], [])).toEqual([0, 1, 0]);
  });

  it('joins the cores of the two ends of a channel, and transitively', () => {
    const vms = [vm([0]), vm([1]), vm([2]), vm([2, 3])];
    expect(syncGroups(5, vms, [{ endpoints: [{ vm: 0 }, { vm: 1 }] }])).toEqual([0, 0, 2, 2, 4]);
    expect(syncGroups(5, vms, [{ endpoints: [{ vm: 1 }, { vm: 3 }] }, { endpoints: [{ vm: 0 }, { vm: 1 }] }])).toEqual([0, 0, 0, 0, 4]);
  });
});

describe('coreThreads', () => {
  it('gives cores that share nothing a thread each, whatever the host', () => {
    expect(coreThreads([0, 1, 2, 3, 4, 5, 6, 7], 2)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('shares at most one thread per host CPU among the cores of a group', () => {
    expect(coreThreads([0, 0, 0, 0, 0, 0, 0, 0], 2)).toEqual([0, 1, 0, 1, 0, 1, 0, 1]);
    expect(coreThreads([0, 1, 2, 3, 4, 5, 6, 6], 2)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(coreThreads([0, 1, 0, 1, 0, 1], 2)).toEqual([0, 2, 1, 3, 0, 2]);
    expect(coreThreads([0, 0, 0], 1)).toEqual([0, 0, 0]);
  });

  it('uses the thread count asked for, core c on thread c % threads', () => {
    expect(coreThreads([0, 1, 2, 3], 8, 2)).toEqual([0, 1, 0, 1]);
    expect(coreThreads([0, 1], 8, 5)).toEqual([0, 1]);
  });
});
