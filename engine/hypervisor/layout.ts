// Turns a validated scenario into the plain-data system layout the cores run, and each VM's device tree.

import { buildDeviceTree, fdtLoadAddress, ISA_STRING, type UioRegion } from '../loader/device-tree.js';
import { DOORBELL_BASE, DOORBELL_SIZE, HV_SERVICES_BASE, HV_SERVICES_SIZE, RAM_BASE } from '../memory/memory-map.js';
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
    const tree = buildDeviceTree({
      harts: vm.vcpus, ramBase: RAM_BASE, ramBytes: vm.ramBytes, isa: ISA_STRING, timebaseHz: 10_000_000,
      ...(vm.kernel !== undefined ? { ...vm.kernel, uio: uioRegions(scenario, logical) } : {}),
    });
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
      hypervisor: true,
      tohost: tohostOf(vm.image),
      firmware: vm.kernel !== undefined ? 'sbi' as const : 'none' as const,
      bootA2: 0,
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
      instructionLimit: Infinity,
      checks: false,
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

/**
 * What a kernel VM's user programs map through uio: the hypervisor services (IPC, yield, watchdog),
 * the doorbell device, and each of its channel windows with its doorbell interrupt.
 */
function uioRegions(scenario: Scenario, vm: number): UioRegion[] {
  const regions: UioRegion[] = [
    { name: 'hv-services', base: HV_SERVICES_BASE, size: HV_SERVICES_SIZE },
    { name: 'doorbell', base: DOORBELL_BASE, size: DOORBELL_SIZE },
  ];
  for (const channel of scenario.channels) {
    for (const end of channel.endpoints) {
      if (end.vmIndex === vm) regions.push({ name: `channel-${channel.name}`, base: end.address, size: channel.size, irq: end.irq });
    }
  }
  return regions;
}

/** The HTIF tohost word of an ELF that defines one (test suites written for Spike), or -1. */
function tohostOf(image: ElfImage): number {
  return image.symbols.get('tohost')?.value ?? -1;
}

export interface BareMachineOptions {
  harts: number;
  ramBytes: number;
  /** Instructions per slice between checks of signals and interrupt lines. */
  quantum: number;
  /** Stop when a hart has retired this many instructions (Infinity: never). */
  instructionLimit: number;
  /** A kernel boot (kernel-boot.ts): the device tree it made, where it goes, and what runs in M-mode. */
  boot?: { deviceTree: Uint8Array; fdtAddress: number; firmware: 'none' | 'sbi'; a2: number };
}

/** Virtual cycles per second of the modelled cores. */
const FREQUENCY = 100_000_000;
/** The bare machine's instructions per slice unless told otherwise (a scenario's default quantum too). */
export const DEFAULT_QUANTUM = 10_000;

/**
 * The bare machine as a system of one VM, like QEMU's virt board with `-bios none`: the VM owns all
 * of memory (identity-mapped at RAM_BASE) and every hart (hart i on core i, entered in M-mode), sees
 * no hypervisor device, ends the run with its own exit code, and pays nothing for a world switch.
 */
export function planBareMachine(image: ElfImage, options: BareMachineOptions): SystemPlan {
  const { harts, ramBytes } = options;
  const cores = Array.from({ length: harts }, (_, c) => c);
  const tree = options.boot?.deviceTree ?? buildDeviceTree({ harts, ramBase: RAM_BASE, ramBytes, isa: ISA_STRING, timebaseHz: 10_000_000 });
  const vm = {
    name: 'machine',
    logical: 0,
    twin: -1,
    physicalBase: 0,
    ramBytes,
    vcpus: harts,
    firstVcpu: 0,
    priority: 0,
    budget: 0,
    period: 0,
    affinity: cores,
    placement: cores,
    watchdog: 0,
    entry: image.entry,
    fdtAddress: options.boot?.fdtAddress ?? fdtLoadAddress(RAM_BASE, ramBytes, tree.length),
    // A guest may reset the board as often as it likes: each reset costs it the reload.
    onFault: { policy: 'halt' as const, limit: 0, resetInterval: 0 },
    hypervisor: false,
    tohost: tohostOf(image),
    firmware: options.boot?.firmware ?? 'none',
    bootA2: options.boot?.a2 ?? 0,
  };
  return {
    boot: [{ image, deviceTree: tree }],
    layout: {
      cores: harts,
      threadOf: cores,
      spin: true,
      syncGroup: syncGroups(harts, [vm], []),
      memoryBytes: ramBytes,
      mode: 'virtual',
      quantum: options.quantum,
      frequency: FREQUENCY,
      policy: 'partitioned',
      instructionLimit: options.instructionLimit,
      checks: false,
      preemptionBound: options.quantum,
      switchCost: 0,
      majorFrame: 0,
      windows: [],
      vms: [vm],
      channels: [],
    },
  };
}
