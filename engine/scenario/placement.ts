// Where partitions live: VM RAM and channel windows in physical memory, partitioned vCPUs on cores, time windows on cores.

import { PAGE_SIZE } from '../memory/memory-map.js';
import { describeValue, formatSize, hexRange, plural, type Problems } from './fields.js';

export interface PartitionRequest {
  ramBytes: number;
  /** Explicit byte offset in physical memory; allocated first-fit when absent. */
  physicalBase?: number;
}

export interface ChannelWindowRequest {
  size: number;
  /** Explicit byte offset in physical memory; allocated first-fit, after the partitions, when absent. */
  physicalBase?: number;
}

/** Physical bases by VM and by channel (undefined entries are ones whose request was invalid). */
export interface MemoryPlacement {
  partitions: (number | undefined)[];
  windows: (number | undefined)[];
}

interface Taken {
  start: number;
  end: number;
}

/**
 * Where every partition and channel window lives in physical memory, or undefined when they cannot
 * all be placed (undefined requests are VMs or channels whose sizes were invalid). Explicit bases,
 * of partitions and of windows alike, stay where they are; then the other partitions, in VM order,
 * and after them the other windows, in channel order, go into the lowest free page-aligned range
 * that holds them.
 */
export function placeMemory(
  problems: Problems,
  partitions: readonly (PartitionRequest | undefined)[],
  windows: readonly (ChannelWindowRequest | undefined)[],
  memoryBytes: number | undefined,
): MemoryPlacement | undefined {
  const before = problems.count;
  if (memoryBytes !== undefined) {
    const partitionBytes = partitions.reduce((sum, r) => sum + (r?.ramBytes ?? 0), 0);
    const windowBytes = windows.reduce((sum, r) => sum + (r?.size ?? 0), 0);
    if (partitionBytes > memoryBytes) {
      problems.add('vms', `partitions need ${formatSize(partitionBytes)} but memory is ${formatSize(memoryBytes)}`);
    } else if (partitionBytes + windowBytes > memoryBytes) {
      problems.add(
        'channels',
        `partitions (${formatSize(partitionBytes)}) and channel windows (${formatSize(windowBytes)}) ` +
          `need ${formatSize(partitionBytes + windowBytes)} but memory is ${formatSize(memoryBytes)}`,
      );
    }
  }

  const taken: Taken[] = [];
  partitions.forEach((request, i) => {
    if (request?.physicalBase === undefined) return;
    const start = request.physicalBase;
    const end = start + request.ramBytes;
    if (memoryBytes !== undefined && end > memoryBytes) {
      problems.add(
        `vms[${i}].physicalBase`,
        `partition ${hexRange(start, end)} ends past the end of physical memory (${formatSize(memoryBytes)})`,
      );
    }
    partitions.forEach((other, j) => {
      if (j <= i || other?.physicalBase === undefined) return;
      const otherEnd = other.physicalBase + other.ramBytes;
      if (start < otherEnd && other.physicalBase < end) {
        problems.add(`vms[${i}].physicalBase`, `partition ${hexRange(start, end)} overlaps vms[${j}] (${hexRange(other.physicalBase, otherEnd)})`);
      }
    });
    taken.push({ start, end });
  });

  windows.forEach((request, i) => {
    if (request?.physicalBase === undefined) return;
    const start = request.physicalBase;
    const end = start + request.size;
    const path = `channels[${i}].physicalBase`;
    if (memoryBytes !== undefined && end > memoryBytes) {
      problems.add(path, `window ${hexRange(start, end)} ends past the end of physical memory (${formatSize(memoryBytes)})`);
    }
    partitions.forEach((partition, j) => {
      if (partition?.physicalBase === undefined) return;
      const partitionEnd = partition.physicalBase + partition.ramBytes;
      if (start < partitionEnd && partition.physicalBase < end) {
        problems.add(path, `window ${hexRange(start, end)} overlaps vms[${j}] (${hexRange(partition.physicalBase, partitionEnd)})`);
      }
    });
    windows.forEach((other, j) => {
      if (j <= i || other?.physicalBase === undefined) return;
      const otherEnd = other.physicalBase + other.size;
      if (start < otherEnd && other.physicalBase < end) {
        problems.add(path, `window ${hexRange(start, end)} overlaps channels[${j}] (${hexRange(other.physicalBase, otherEnd)})`);
      }
    });
    taken.push({ start, end });
  });
  if (problems.count > before || memoryBytes === undefined) return undefined;

  const partitionBases = partitions.map((request) => request?.physicalBase);
  partitions.forEach((request, i) => {
    if (request === undefined || request.physicalBase !== undefined) return;
    const base = firstFit(taken, request.ramBytes, memoryBytes);
    if (base === undefined) {
      problems.add(
        `vms[${i}].ram`,
        `no free ${formatSize(request.ramBytes)} range is left in physical memory (${formatSize(memoryBytes)}) ` +
          `between the ${windows.some((w) => w?.physicalBase !== undefined) ? 'partitions and channel windows' : 'partitions'} with an explicit physicalBase`,
      );
      return;
    }
    partitionBases[i] = base;
    taken.push({ start: base, end: base + request.ramBytes });
  });
  if (problems.count > before) return undefined;

  const windowBases = windows.map((request) => request?.physicalBase);
  windows.forEach((request, i) => {
    if (request === undefined || request.physicalBase !== undefined) return;
    const base = firstFit(taken, request.size, memoryBytes);
    if (base === undefined) {
      problems.add(
        `channels[${i}].size`,
        `no free ${formatSize(request.size)} range is left in physical memory (${formatSize(memoryBytes)}) after placing the partitions`,
      );
      return;
    }
    windowBases[i] = base;
    taken.push({ start: base, end: base + request.size });
  });
  return problems.count > before ? undefined : { partitions: partitionBases, windows: windowBases };
}

/**
 * Physical bases of the update (A/B) slots of updatable VMs (`slots[i]` = its RAM size, undefined
 * for the others), first-fit after every partition and window; undefined entries elsewhere.
 */
export function placeUpdateSlots(
  problems: Problems,
  memory: MemoryPlacement,
  partitionSizes: readonly (number | undefined)[],
  windowSizes: readonly (number | undefined)[],
  slots: readonly (number | undefined)[],
  memoryBytes: number,
): (number | undefined)[] {
  const taken: Taken[] = [];
  memory.partitions.forEach((base, i) => { if (base !== undefined) taken.push({ start: base, end: base + (partitionSizes[i] ?? 0) }); });
  memory.windows.forEach((base, i) => { if (base !== undefined) taken.push({ start: base, end: base + (windowSizes[i] ?? 0) }); });
  return slots.map((bytes, i) => {
    if (bytes === undefined) return undefined;
    const base = firstFit(taken, bytes, memoryBytes);
    if (base === undefined) {
      problems.add(`vms[${i}].updatable`, `no free ${formatSize(bytes)} range is left in physical memory (${formatSize(memoryBytes)}) for the update slot after the partitions and channel windows`);
      return undefined;
    }
    taken.push({ start: base, end: base + bytes });
    return base;
  });
}

/** The lowest page-aligned start of `bytes` free bytes below `limit`, given the taken ranges. */
function firstFit(taken: readonly Taken[], bytes: number, limit: number): number | undefined {
  const sorted = [...taken].sort((a, b) => a.start - b.start);
  let candidate = 0;
  for (const r of sorted) {
    if (candidate + bytes <= r.start) break;
    candidate = Math.max(candidate, alignUp(r.end));
  }
  return candidate + bytes <= limit ? candidate : undefined;
}

function alignUp(value: number): number {
  return Math.ceil(value / PAGE_SIZE) * PAGE_SIZE;
}

export interface VcpuRequest {
  vcpus: number;
  /** The explicit affinity list (vCPU i runs on affinity[i]); free cores are assigned when absent. */
  affinity?: readonly number[];
}

/**
 * Partitioned policy: the core of each vCPU, one vCPU per core (undefined entries are VMs whose
 * vcpus or affinity were invalid). Explicit lists are honoured first; the other VMs get the lowest
 * free cores, in VM order.
 */
export function placeVcpus(
  problems: Problems,
  requests: readonly (VcpuRequest | undefined)[],
  cores: number | undefined,
): number[][] | undefined {
  const before = problems.count;
  const total = requests.reduce((sum, r) => sum + (r?.vcpus ?? 0), 0);
  if (cores !== undefined && total > cores) {
    problems.add('vms', `partitioned gives every vCPU its own core: ${total} vCPUs need ${total} cores, the scenario has ${cores}`);
  }

  const owner = new Map<number, string>();
  const placements: number[][] = requests.map(() => []);
  requests.forEach((request, i) => {
    if (request?.affinity === undefined) return;
    if (request.affinity.length < request.vcpus) {
      problems.add(
        `vms[${i}].affinity`,
        `partitioned needs a core for each of the VM's ${request.vcpus} vCPUs (got ${request.affinity.length})`,
      );
      return;
    }
    for (let vcpu = 0; vcpu < request.vcpus; vcpu++) {
      const core = request.affinity[vcpu];
      const holder = owner.get(core);
      if (holder !== undefined) {
        problems.add(`vms[${i}].affinity[${vcpu}]`, `core ${core} already runs ${holder}`);
        continue;
      }
      owner.set(core, `vms[${i}] vCPU ${vcpu}`);
      placements[i].push(core);
    }
  });
  if (problems.count > before || cores === undefined) return undefined;

  let next = 0;
  requests.forEach((request, i) => {
    if (request === undefined || request.affinity !== undefined) return;
    for (let vcpu = 0; vcpu < request.vcpus; vcpu++) {
      while (owner.has(next)) next++;
      owner.set(next, `vms[${i}] vCPU ${vcpu}`);
      placements[i].push(next);
    }
  });
  return placements;
}

export interface WindowRequest {
  core?: number;
  vm?: string;
  offset?: number;
  duration?: number;
}

export interface WindowVm {
  name: string;
  /** Undefined when the VM's affinity was invalid. */
  affinity: readonly number[] | undefined;
}

/**
 * Time-partitioned policy: checks each window against the cores, the VMs and the major frame, and
 * that windows on one core never overlap and every VM gets one. Returns each window's VM index.
 * Undefined fields are ones already reported as invalid; the rules that need them are skipped.
 */
export function checkWindows(
  problems: Problems,
  windows: readonly WindowRequest[],
  vms: readonly (WindowVm | undefined)[],
  cores: number | undefined,
  majorFrame: number | undefined,
): (number | undefined)[] {
  const indexes = windows.map((window, i) => {
    const path = `scheduler.windows[${i}]`;
    let core = window.core;
    if (core !== undefined && cores !== undefined && core >= cores) {
      problems.add(path, `core ${core} is out of range (the scenario has ${plural(cores, 'core')})`);
      core = undefined;
    }
    if (window.vm === undefined) return undefined;
    const vmIndex = vms.findIndex((vm) => vm?.name === window.vm);
    if (vmIndex < 0) {
      problems.add(path, `no VM is named ${describeValue(window.vm)}`);
      return undefined;
    }
    const affinity = vms[vmIndex]?.affinity;
    if (core !== undefined && affinity !== undefined && !affinity.includes(core)) {
      problems.add(path, `vms[${vmIndex}] has no vCPU allowed on core ${core} (its affinity is [${affinity.join(', ')}])`);
    }
    return vmIndex;
  });

  windows.forEach((window, i) => {
    if (window.offset === undefined || window.duration === undefined) return;
    const end = window.offset + window.duration;
    if (majorFrame !== undefined && end > majorFrame) {
      problems.add(`scheduler.windows[${i}]`, `ends at ${end}, past the major frame (${majorFrame})`);
    }
    for (let j = 0; j < i; j++) {
      const other = windows[j];
      if (other.core !== window.core || window.core === undefined || other.offset === undefined || other.duration === undefined) continue;
      if (window.offset < other.offset + other.duration && other.offset < end) {
        problems.add(`scheduler.windows[${i}]`, `overlaps scheduler.windows[${j}] on core ${window.core}`);
      }
    }
  });

  // A window whose vm field was invalid might have been meant for any VM.
  if (windows.every((window) => window.vm !== undefined)) {
    vms.forEach((vm, i) => {
      if (vm !== undefined && !indexes.includes(i)) problems.add(`vms[${i}]`, 'has no window in scheduler.windows');
    });
  }
  return indexes;
}
