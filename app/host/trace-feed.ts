// Hands the monitor the vCPU runs recorded since it last asked, for the cores timeline.

import type { System, TraceEntry } from '../../engine/host/system.js';
import type { RunSpan } from '../shared/monitor-types.js';

export function runSpans(entries: readonly TraceEntry[]): RunSpan[] {
  const runs: RunSpan[] = [];
  for (const e of entries) {
    if (e.kind === 'run') runs.push({ core: e.core, vm: e.vm, vcpu: e.vcpu ?? 0, start: e.time, end: e.a });
  }
  return runs;
}

export class TraceFeed {
  constructor(private readonly system: System) {}

  /** Runs since the previous call (cheap at any run length: the engine hands over only new records). */
  next(): RunSpan[] {
    return runSpans(this.system.drainTrace());
  }
}
