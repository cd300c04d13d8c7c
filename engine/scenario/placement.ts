// Where partitions live: VM RAM in physical memory, partitioned vCPUs on cores, time windows on cores.

import { PAGE_SIZE } from '../memory/memory-map.js';
import { formatSize, hex, plural, type Problems } from './fields.js';

export interface PartitionRequest {
  ramBytes: number;
  /** Explicit byte offset in physical memory; allocated first-fit when absent. */
  physicalBase?: number;
}

/**
 * The physical base of every requested partition (undefined entries are VMs whose RAM was invalid),
 * or undefined when they cannot all be placed. Explicit bases stay where they are; the others go,
 * in VM order, into the lowest free page-aligned range that holds them.
 */
export function placePartitions(
  problems: Problems,
  requests: readonly (PartitionRequest | undefined)[],
  memoryBytes: number | undefined,
): (number | undefined)[] | undefined {
  const before = problems.lines.length;
  if (memoryBytes !== undefined) {
    const total = requests.reduce((sum, r) => sum + (r?.ramBytes ?? 0), 0);
    if (total > memoryBytes) {
      problems.add('vms', `partitions need ${formatSize(total)} but memory is ${formatSize(memoryBytes)}`);
    }
  }

  const taken: { start: number; end: number }[] = [];
  requests.forEach((request, i) => {
    if (request?.physicalBase === undefined) return;
    const start = request.physicalBase;
    const end = start + request.ramBytes;
    if (memoryBytes !== undefined && end > memoryBytes) {
      problems.add(
        `vms[${i}].physicalBase`,
        `partition ${range(start, end)} ends past the end of physical memory (${formatSize(memoryBytes)})`,
      );
    }
    requests.forEach((other, j) => {
      if (j <= i || other?.physicalBase === undefined) return;
      const otherEnd = other.physicalBase + other.ramBytes;
      if (start < otherEnd && other.physicalBase < end) {
        problems.add(`vms[${i}].physicalBase`, `partition ${range(start, end)} overlaps vms[${j}] (${range(other.physicalBase, otherEnd)})`);
      }
    });
    taken.push({ start, end });
  });
  if (problems.lines.length > before || memoryBytes === undefined) return undefined;

  const bases = requests.map((request) => request?.physicalBase);
  requests.forEach((request, i) => {
    if (request === undefined || request.physicalBase !== undefined) return;
    const base = firstFit(taken, request.ramBytes, memoryBytes);
    if (base === undefined) {
      problems.add(
        `vms[${i}].ram`,
        `no free ${formatSize(request.ramBytes)} range is left in physical memory (${formatSize(memoryBytes)}) ` +
          'between the partitions with an explicit physicalBase',
      );
      return;
    }
    bases[i] = base;
    taken.push({ start: base, end: base + request.ramBytes });
  });
  return problems.lines.length > before ? undefined : bases;
}

/** The lowest page-aligned start of `bytes` free bytes below `limit`, given the taken ranges. */
function firstFit(taken: readonly { start: number; end: number }[], bytes: number, limit: number): number | undefined {
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

/** "0x100000..0x1fffff": the inclusive range of [start, end). */
function range(start: number, end: number): string {
  return `${hex(start)}..${hex(end - 1)}`;
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
  const before = problems.lines.length;
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
  if (problems.lines.length > before || cores === undefined) return undefined;

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
      problems.add(path, `no VM is named ${JSON.stringify(window.vm)}`);
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
