// The memory map's regions: partitions, update slots and channel windows in address order, gaps free.

import { describe, expect, it } from 'vitest';
import type { ScenarioInfo } from '../../app/shared/monitor-types.js';
import { memoryRegions } from '../../app/renderer/memory-regions.js';

const MiB = 1 << 20;

describe('memoryRegions', () => {
  it('lays out every partition, slot and window over physical memory, with the gaps between', () => {
    const scenario: ScenarioInfo = {
      path: 's.json', name: 's', description: '', cores: 1, memoryBytes: 16 * MiB, frequency: 100e6, mode: 'virtual', policy: 'fixed-priority',
      vms: [
        { name: 'rich', physicalBase: 4 * MiB, ramBytes: 2 * MiB, vcpus: 1, priority: 1, cores: [0], updatable: false },
        { name: 'rtos', physicalBase: 0, ramBytes: MiB, vcpus: 1, priority: 9, cores: [0], updatable: true, updateSlot: 8 * MiB },
      ],
      channels: [{ name: 'pin', physicalBase: MiB, size: 16384, endpoints: [{ vm: 'rich', address: 0x90000000, writable: true }, { vm: 'rtos', address: 0x90000000, writable: false }] }],
    };
    expect(memoryRegions(scenario).map((r) => [r.kind, r.name, r.base, r.size])).toEqual([
      ['vm', 'rtos', 0, MiB],
      ['channel', 'pin', MiB, 16384],
      ['free', 'free', MiB + 16384, 3 * MiB - 16384],
      ['vm', 'rich', 4 * MiB, 2 * MiB],
      ['free', 'free', 6 * MiB, 2 * MiB],
      ['slot', 'rtos′', 8 * MiB, MiB],
      ['free', 'free', 9 * MiB, 7 * MiB],
    ]);
    expect(memoryRegions(scenario)[1].detail).toBe('rich rw at 0x90000000, rtos ro at 0x90000000');
  });
});
