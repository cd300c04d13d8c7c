// The physical memory map of a scenario as consecutive regions: partitions, channel windows, free gaps.

import type { ScenarioInfo } from '../shared/monitor-types.js';
import { hex } from './format.js';

export interface Region {
  kind: 'vm' | 'slot' | 'channel' | 'free';
  name: string;
  base: number;
  size: number;
  detail: string;
}

export function memoryRegions(scenario: ScenarioInfo): Region[] {
  const used: Region[] = [
    ...scenario.vms.map((vm) => ({ kind: 'vm' as const, name: vm.name, base: vm.physicalBase, size: vm.ramBytes, detail: `RAM, seen at 0x80000000` })),
    ...scenario.vms.filter((vm) => vm.updateSlot !== undefined).map((vm) => ({
      kind: 'slot' as const, name: `${vm.name}′`, base: vm.updateSlot!, size: vm.ramBytes, detail: `update slot of ${vm.name} (A/B): an update boots here`,
    })),
    ...scenario.channels.map((c) => ({
      kind: 'channel' as const, name: c.name, base: c.physicalBase, size: c.size,
      detail: c.endpoints.map((e) => `${e.vm} ${e.writable ? 'rw' : 'ro'} at ${hex(e.address)}`).join(', '),
    })),
  ].sort((a, b) => a.base - b.base);
  const regions: Region[] = [];
  let at = 0;
  for (const region of used) {
    if (region.base > at) regions.push({ kind: 'free', name: 'free', base: at, size: region.base - at, detail: '' });
    regions.push(region);
    at = Math.max(at, region.base + region.size);
  }
  if (at < scenario.memoryBytes) regions.push({ kind: 'free', name: 'free', base: at, size: scenario.memoryBytes - at, detail: '' });
  return regions;
}
