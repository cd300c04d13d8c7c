// What a scenario the validator accepted must satisfy, checked independently of the validator:
// partitions, update slots and windows disjoint and inside physical memory, images inside RAM,
// channel windows clear of RAM and devices, and a system the hypervisor can lay out.

import { planSystem } from '../../engine/hypervisor/layout.js';
import { PAGE_SIZE } from '../../engine/memory/memory-map.js';
import { imageFitProblems } from '../../engine/scenario/image-fit.js';
import { ADDRESS_SPACE_END, GUEST_DEVICES, guestRam } from '../../engine/scenario/guest-map.js';
import { SCENARIO_LIMITS as LIMITS, type Scenario } from '../../engine/scenario/scenario.js';

interface Range {
  what: string;
  start: number;
  end: number;
}

/** The first broken promise of an accepted scenario, or undefined. */
export function scenarioInvariantProblem(s: Scenario): string | undefined {
  const aligned = (n: number) => Number.isSafeInteger(n) && n % PAGE_SIZE === 0;
  if (!aligned(s.memoryBytes) || s.memoryBytes < LIMITS.memoryBytes.min || s.memoryBytes > LIMITS.memoryBytes.max) return `memory ${s.memoryBytes} out of bounds`;
  if (!Number.isInteger(s.cores) || s.cores < 1 || s.cores > LIMITS.cores.max) return `cores ${s.cores} out of bounds`;
  if (s.vms.length < 1 || s.vms.length > LIMITS.vms.max) return `${s.vms.length} VMs`;
  const ranges: Range[] = [];
  const used = new Set<number>();
  for (const [i, vm] of s.vms.entries()) {
    if (!aligned(vm.ramBytes) || vm.ramBytes < PAGE_SIZE || !aligned(vm.physicalBase)) return `vms[${i}] has unaligned RAM ${vm.ramBytes} at ${vm.physicalBase}`;
    if (vm.vcpus < 1 || vm.vcpus > LIMITS.vcpus.max) return `vms[${i}] has ${vm.vcpus} vCPUs`;
    ranges.push({ what: `vms[${i}]`, start: vm.physicalBase, end: vm.physicalBase + vm.ramBytes });
    if (vm.updateSlot !== undefined) {
      if (!aligned(vm.updateSlot)) return `vms[${i}] has an unaligned update slot`;
      ranges.push({ what: `vms[${i}] update slot`, start: vm.updateSlot, end: vm.updateSlot + vm.ramBytes });
    }
    const fit = imageFitProblems(vm.image, vm.ramBytes);
    if (fit.length > 0) return `vms[${i}]: ${fit[0]}`;
    if (vm.affinity.length === 0 || vm.affinity.some((c) => !Number.isInteger(c) || c < 0 || c >= s.cores)) return `vms[${i}] affinity ${JSON.stringify(vm.affinity)} with ${s.cores} cores`;
    if (s.scheduler.policy === 'partitioned') {
      if (vm.placement.length !== vm.vcpus) return `vms[${i}] has ${vm.placement.length} placed vCPUs of ${vm.vcpus}`;
      for (const core of vm.placement) {
        if (used.has(core)) return `core ${core} runs two partitioned vCPUs`;
        used.add(core);
      }
    }
  }
  for (const [i, channel] of s.channels.entries()) {
    if (!aligned(channel.size) || channel.size < PAGE_SIZE || !aligned(channel.physicalBase)) return `channels[${i}] has an unaligned window`;
    ranges.push({ what: `channels[${i}]`, start: channel.physicalBase, end: channel.physicalBase + channel.size });
    const [a, b] = channel.endpoints;
    if (a.vmIndex === b.vmIndex || s.vms[a.vmIndex] === undefined || s.vms[b.vmIndex] === undefined) return `channels[${i}] joins VMs ${a.vmIndex} and ${b.vmIndex}`;
    for (const e of channel.endpoints) {
      const start = e.address;
      const end = e.address + channel.size;
      if (!aligned(start) || end > ADDRESS_SPACE_END) return `channels[${i}] window at ${start} leaves the address space`;
      for (const r of [...GUEST_DEVICES, guestRam(s.vms[e.vmIndex].ramBytes)]) {
        if (start < r.base + r.size && r.base < end) return `channels[${i}] window at 0x${start.toString(16)} overlaps the ${r.name} of vms[${e.vmIndex}]`;
      }
    }
  }
  for (const r of ranges) {
    if (r.start < 0 || r.end > s.memoryBytes) return `${r.what} 0x${r.start.toString(16)}..0x${r.end.toString(16)} is outside physical memory (0x${s.memoryBytes.toString(16)})`;
  }
  for (let i = 0; i < ranges.length; i++) {
    for (let j = i + 1; j < ranges.length; j++) {
      if (ranges[i].start < ranges[j].end && ranges[j].start < ranges[i].end) return `${ranges[i].what} overlaps ${ranges[j].what} in physical memory`;
    }
  }
  try {
    planSystem(s);
  } catch (error) {
    return `planSystem threw ${error instanceof Error ? error.message.split('\n', 1)[0] : String(error)}`;
  }
  return undefined;
}
