// The part of a validated scenario the monitor draws: partitions, channel windows, cores.

import type { Scenario, VmConfig } from '../../engine/scenario/scenario.js';
import type { ScenarioInfo } from '../shared/monitor-types.js';

/** The physical base of the VM's second (A/B) partition, on engines with firmware update. */
function updateSlot(vm: VmConfig): { updatable: boolean; updateSlot?: number } {
  const slot = (vm as VmConfig & { updateSlot?: unknown }).updateSlot;
  return typeof slot === 'number' ? { updatable: true, updateSlot: slot } : { updatable: false };
}

export function scenarioInfo(path: string, scenario: Scenario): ScenarioInfo {
  const name = (index: number) => scenario.vms[index].name;
  return {
    path,
    name: scenario.name,
    description: scenario.description ?? '',
    cores: scenario.cores,
    memoryBytes: scenario.memoryBytes,
    frequency: scenario.timing.frequency,
    mode: scenario.timing.mode,
    policy: scenario.scheduler.policy,
    vms: scenario.vms.map((vm) => ({
      name: vm.name,
      physicalBase: vm.physicalBase,
      ramBytes: vm.ramBytes,
      vcpus: vm.vcpus,
      priority: vm.priority,
      cores: vm.placement.length > 0 ? vm.placement : vm.affinity,
      ...updateSlot(vm),
    })),
    channels: scenario.channels.map((channel) => ({
      name: channel.name,
      physicalBase: channel.physicalBase,
      size: channel.size,
      endpoints: channel.endpoints.map((e) => ({ vm: name(e.vmIndex), address: e.address, writable: e.writable })),
    })),
  };
}
