// The points of a scaling sweep (`tessera sweep`) and how each one rewrites the scenario's JSON.
//
// applyPoint returns a rewritten deep copy and never validates: the caller runs the validator and
// reports its lines under the run's name. The rules, applied in this order:
//
// - policy: sets scheduler.policy (creating scheduler if absent). The validator refuses the fields
//   of another policy, so they are dropped: scheduler.preemptionBound unless fixed-priority;
//   scheduler.majorFrame and scheduler.windows unless time-partitioned; the VMs' priority, budget
//   and period unless fixed-priority. Switching *into* partitioned from another policy also drops
//   the VMs' affinity (and placement) lists: there they named cores a VM may share, while under
//   partitioned affinity[i] is the one core of vCPU i, so the validator places the vCPUs on the
//   lowest free cores instead. A file that already is partitioned keeps its lists. Switching to
//   time-partitioned without windows is left to the validator to refuse.
// - vms: keeps the first `vms` VMs, or repeats them in file order until there are `vms`. The k-th
//   copy of VM "x" (k = 2, 3, ...) is "x-k", the base cut so the name stays within 32 characters;
//   copies have no physicalBase (the validator places them), join no channel, and under partitioned
//   have no affinity/placement (a core per vCPU cannot be shared with the original). Channels and
//   time windows that name a dropped VM are dropped. When the VMs' RAM, their update slots and the
//   channel windows no longer fit in `memory`, it grows by the RAM (and update slots) of the copies.
//   Name clashes with VMs already called "x-k", and copies without a time window, are left to the
//   validator.
// - cores: sets cores; every core index the file names (VM affinity and placement lists,
//   scheduler.windows[].core) becomes index % cores, affinity lists keeping the first of equal
//   entries. A file for 8 cores so folds onto fewer; a VM without affinity may run anywhere. Time
//   windows folded onto one core may overlap: the validator reports that.
// - quantum: sets timing.quantum (creating timing if absent).
//
// Fields of the wrong type are left alone for the validator to report.

import { parseSize } from '../memory/physical-memory.js';
import { SCENARIO_LIMITS } from '../scenario/scenario.js';
import { SCHEDULER_POLICIES } from '../scenario/validate.js';
import type { SweepPoint } from './sweep-record.js';

export type { SweepPoint };

export interface SweepAxes {
  cores: number[];
  vms?: number[];
  quantum?: number[];
  policy?: string[];
}

export type NumericAxis = 'cores' | 'vms' | 'quantum';
export type SweepAxis = NumericAxis | 'policy';

const AXIS_BOUNDS: Record<NumericAxis, { min: number; max: number }> = {
  cores: SCENARIO_LIMITS.cores,
  vms: SCENARIO_LIMITS.vms,
  quantum: SCENARIO_LIMITS.quantum,
};

const MAX_NAME_LENGTH = 32;

/**
 * The values of a comma-separated CLI list such as "1,2,4,8" or "10_000,100_000" (or policy names),
 * duplicates removed in order. Throws an Error of one line naming the option and the bad element.
 */
export function parseAxisList(name: NumericAxis, text: string): number[];
export function parseAxisList(name: 'policy', text: string): string[];
export function parseAxisList(name: SweepAxis, text: string): number[] | string[];
export function parseAxisList(name: SweepAxis, text: string): number[] | string[] {
  const option = `--${name}`;
  const elements = text.split(',').map((e) => e.trim());
  if (elements.length === 1 && elements[0] === '') throw new Error(`${option}: the list is empty`);
  if (elements.includes('')) throw new Error(`${option}: empty element in '${text}'`);
  if (name === 'policy') {
    for (const e of elements) {
      if (!(SCHEDULER_POLICIES as readonly string[]).includes(e)) {
        throw new Error(`${option}: '${e}' is not a policy (${SCHEDULER_POLICIES.join(', ')})`);
      }
    }
    return [...new Set(elements)];
  }
  const { min, max } = AXIS_BOUNDS[name];
  const values = elements.map((e) => {
    if (!/^\d+(_\d+)*$/.test(e)) throw new Error(`${option}: '${e}' is not a whole number`);
    const value = Number(e.replaceAll('_', ''));
    if (value < min || value > max) throw new Error(`${option}: '${e}' is out of range (${min} to ${max})`);
    return value;
  });
  return [...new Set(values)];
}

/** Every combination of the axes; cores vary fastest, then vms, quantum, policy. */
export function sweepPoints(axes: SweepAxes): SweepPoint[] {
  for (const name of ['cores', 'vms', 'quantum', 'policy'] as const) {
    if (axes[name]?.length === 0) throw new Error(`sweep: the ${name} axis is empty`);
  }
  const points: SweepPoint[] = [];
  for (const policy of axes.policy ?? [undefined]) {
    for (const quantum of axes.quantum ?? [undefined]) {
      for (const vms of axes.vms ?? [undefined]) {
        for (const cores of axes.cores) {
          points.push({
            cores,
            ...(vms === undefined ? {} : { vms }),
            ...(quantum === undefined ? {} : { quantum }),
            ...(policy === undefined ? {} : { policy }),
          });
        }
      }
    }
  }
  return points;
}

/** "cores=2 vms=4 quantum=10000 policy=partitioned", with only the axes present. */
export function pointLabel(point: SweepPoint): string {
  const parts = [`cores=${point.cores}`];
  if (point.vms !== undefined) parts.push(`vms=${point.vms}`);
  if (point.quantum !== undefined) parts.push(`quantum=${point.quantum}`);
  if (point.policy !== undefined) parts.push(`policy=${point.policy}`);
  return parts.join(' ');
}

/** The name of one repeat (1-based) of a point, e.g. "cores=2 #1". */
export function runId(point: SweepPoint, repeat: number): string {
  return `${pointLabel(point)} #${repeat}`;
}

type Json = Record<string, unknown>;

/** A deep copy of scenario JSON with `point` applied; see the rules at the top of this file. */
export function applyPoint(raw: unknown, point: SweepPoint): unknown {
  const json: unknown = raw === undefined ? undefined : JSON.parse(JSON.stringify(raw));
  if (!isObject(json)) return json;
  if (point.policy !== undefined) setPolicy(json, point.policy);
  if (point.vms !== undefined) setVmCount(json, point.vms);
  setCores(json, point.cores);
  if (point.quantum !== undefined) {
    if (json.timing === undefined) json.timing = {};
    if (isObject(json.timing)) json.timing.quantum = point.quantum;
  }
  return json;
}

function setPolicy(json: Json, policy: string): void {
  if (json.scheduler === undefined) json.scheduler = {};
  const scheduler = json.scheduler;
  if (!isObject(scheduler)) return;
  const previous = scheduler.policy;
  scheduler.policy = policy;
  if (policy !== 'fixed-priority') delete scheduler.preemptionBound;
  if (policy !== 'time-partitioned') {
    delete scheduler.majorFrame;
    delete scheduler.windows;
  }
  for (const vm of vmObjects(json)) {
    if (policy !== 'fixed-priority') for (const key of ['priority', 'budget', 'period']) delete vm[key];
    if (policy === 'partitioned' && previous !== 'partitioned') dropCoreLists(vm);
  }
}

function setVmCount(json: Json, count: number): void {
  if (!Array.isArray(json.vms) || json.vms.length === 0) return;
  const vms: unknown[] = json.vms;
  if (count <= vms.length) {
    const dropped = new Set(vms.slice(count).map(nameOf));
    json.vms = vms.slice(0, count);
    dropNamed(json, dropped);
    return;
  }
  const partitioned = isObject(json.scheduler) && json.scheduler.policy === 'partitioned';
  const copies: unknown[] = [];
  for (let i = 0; i < count - vms.length; i++) {
    const copy: unknown = JSON.parse(JSON.stringify(vms[i % vms.length]));
    if (isObject(copy)) {
      if (typeof copy.name === 'string') copy.name = copyName(copy.name, Math.floor(i / vms.length) + 2);
      delete copy.physicalBase;
      if (partitioned) dropCoreLists(copy);
    }
    copies.push(copy);
  }
  json.vms = [...vms, ...copies];
  growMemory(json, copies);
}

/** "x-k", with x cut so that the name stays within the 32 characters VM names may have. */
export function copyName(base: string, k: number): string {
  const suffix = `-${k}`;
  return base.slice(0, MAX_NAME_LENGTH - suffix.length) + suffix;
}

/** Drops the channels and time windows that name a VM no longer in the scenario. */
function dropNamed(json: Json, dropped: Set<unknown>): void {
  if (Array.isArray(json.channels)) {
    json.channels = json.channels.filter(
      (channel) => !(isObject(channel) && Array.isArray(channel.endpoints) && channel.endpoints.some((e) => isObject(e) && dropped.has(e.vm))),
    );
  }
  const scheduler = json.scheduler;
  if (isObject(scheduler) && Array.isArray(scheduler.windows)) {
    scheduler.windows = scheduler.windows.filter((w) => !(isObject(w) && dropped.has(w.vm)));
  }
}

/** Grows memory by what the copies need when everything no longer fits; unreadable sizes are left to the validator. */
function growMemory(json: Json, copies: unknown[]): void {
  const memory = sizeOf(json.memory);
  if (memory === undefined) return;
  let needed = 0;
  for (const vm of vmObjects(json)) needed += vmBytes(vm) ?? 0;
  if (Array.isArray(json.channels)) for (const channel of json.channels) needed += (isObject(channel) ? sizeOf(channel.size) : undefined) ?? 0;
  if (needed <= memory) return;
  const extra = copies.reduce<number>((sum, copy) => sum + ((isObject(copy) ? vmBytes(copy) : undefined) ?? 0), 0);
  json.memory = formatBytes(memory + extra);
}

/** RAM of a VM, twice over when it is updatable (its A/B update slot). */
function vmBytes(vm: Json): number | undefined {
  const ram = sizeOf(vm.ram);
  return ram === undefined ? undefined : vm.updatable === true ? 2 * ram : ram;
}

function setCores(json: Json, cores: number): void {
  json.cores = cores;
  const fold = (core: unknown): unknown => (isCoreIndex(core) ? core % cores : core);
  for (const vm of vmObjects(json)) {
    for (const key of ['affinity', 'placement']) {
      const list = vm[key];
      if (!Array.isArray(list)) continue;
      const folded = list.map(fold);
      vm[key] = key === 'affinity' ? folded.filter((core, i) => !isCoreIndex(core) || folded.indexOf(core) === i) : folded;
    }
  }
  const scheduler = json.scheduler;
  if (isObject(scheduler) && Array.isArray(scheduler.windows)) {
    for (const window of scheduler.windows) if (isObject(window)) window.core = fold(window.core);
  }
}

function dropCoreLists(vm: Json): void {
  delete vm.affinity;
  delete vm.placement;
}

function vmObjects(json: Json): Json[] {
  return Array.isArray(json.vms) ? json.vms.filter(isObject) : [];
}

function nameOf(vm: unknown): unknown {
  return isObject(vm) ? vm.name : undefined;
}

/** A size as the validator reads it: a non-negative integer, or a string such as "16M" (parseSize). */
function sizeOf(value: unknown): number | undefined {
  if (typeof value === 'string') return parseSize(value);
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

/** "24M" or "1028K" when whole, else the byte count. */
function formatBytes(bytes: number): string | number {
  if (bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)}M`;
  if (bytes % 1024 === 0) return `${bytes / 1024}K`;
  return bytes;
}

function isCoreIndex(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
