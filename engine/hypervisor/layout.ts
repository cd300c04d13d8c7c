// Turns a validated scenario into the plain-data system layout the cores run, and each VM's device tree.

import { buildDeviceTree } from '../loader/device-tree.js';
import { RAM_BASE } from '../memory/memory-map.js';
import type { ElfImage } from '../loader/elf.js';
import type { Scenario } from '../scenario/scenario.js';
import { syncGroups } from './sync-groups.js';
import type { SystemLayout } from './system-tables.js';

export interface SystemPlan {
  layout: SystemLayout;
  /** What a VM boots from: its ELF and device tree (cores reboot VMs in place). */
  boot: VmBootImage[];
}

export interface VmBootImage {
  image: ElfImage;
  deviceTree: Uint8Array;
}

/**
 * An updatable VM gets a twin: a second entry of the same name and shape whose partition is the
 * VM's update slot (A/B). Twins follow every scenario VM, so a scenario VM keeps its index.
 */
export function planSystem(scenario: Scenario): SystemPlan {
  let firstVcpu = 0;
  const boot: VmBootImage[] = [];
  const slots = scenario.vms.map((vm, i) => ({ vm, logical: i, base: vm.physicalBase, twin: -1 }));
  scenario.vms.forEach((vm, i) => {
    if (vm.updateSlot === undefined) return;
    slots[i].twin = slots.length;
    slots.push({ vm, logical: i, base: vm.updateSlot, twin: i });
  });
  const vms = slots.map(({ vm, logical, base, twin }) => {
    const tree = buildDeviceTree({ harts: vm.vcpus, ramBase: RAM_BASE, ramBytes: vm.ramBytes, isa: 'rv32imac_zicsr_zifencei', timebaseHz: 10_000_000 });
    boot.push({ image: vm.image, deviceTree: tree });
    const layout = {
      name: vm.name,
      logical,
      twin,
      physicalBase: base,
      ramBytes: vm.ramBytes,
      vcpus: vm.vcpus,
      firstVcpu,
      priority: vm.priority,
      budget: vm.budget ?? 0,
      period: vm.period ?? 0,
      affinity: vm.affinity,
      placement: vm.placement,
      watchdog: vm.watchdog ?? 0,
      entry: vm.image.entry,
      // The last page(s) of the VM's RAM, so a small VM's program and stack never meet the tree.
      onFault: { policy: vm.onFault.policy, limit: vm.onFault.limit, resetInterval: Math.ceil(scenario.timing.frequency / vm.onFault.resetsPerSecond) },
      fdtAddress: RAM_BASE + vm.ramBytes - Math.ceil(tree.length / 4096) * 4096,
    };
    firstVcpu += vm.vcpus;
    return layout;
  });
  const s = scenario.scheduler;
  return {
    boot,
    layout: {
      cores: scenario.cores,
      threadOf: Array.from({ length: scenario.cores }, (_, c) => c),
      spin: true,
      syncGroup: syncGroups(scenario.cores, vms, scenario.channels.map((c) => ({ endpoints: c.endpoints.map((e) => ({ vm: e.vmIndex })) }))),
      memoryBytes: scenario.memoryBytes,
      mode: scenario.timing.mode,
      quantum: scenario.timing.quantum,
      frequency: scenario.timing.frequency,
      policy: s.policy,
      preemptionBound: s.policy === 'fixed-priority' ? s.preemptionBound : scenario.timing.quantum,
      switchCost: s.switchCost,
      majorFrame: s.policy === 'time-partitioned' ? s.majorFrame : 0,
      // A twin runs in its VM's windows.
      windows: s.policy === 'time-partitioned'
        ? s.windows.flatMap((w) => [w.vmIndex, slots[w.vmIndex].twin].filter((vm) => vm >= 0).map((vm) => ({ core: w.core, vm, offset: w.offset, duration: w.duration })))
        : [],
      vms,
      channels: scenario.channels.map((c) => ({
        name: c.name,
        physicalBase: c.physicalBase,
        size: c.size,
        endpoints: c.endpoints.map((e) => ({ vm: e.vmIndex, address: e.address, writable: e.writable, irq: e.irq })),
        ringProducer: c.ringProducer ?? -1,
      })),
    },
  };
}
