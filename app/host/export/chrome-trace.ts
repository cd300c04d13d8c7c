// The monitor's trace export: the engine's Chrome Trace Event converter (engine/metrics/chrome-trace.ts,
// the same one `tessera run --trace` streams to a file) over the run's recorded trace, at once.

import type { SystemEvent, TraceEntry } from '../../../engine/host/system.js';
import { chromeTraceDocument, type ChromeTraceSetup } from '../../../engine/metrics/chrome-trace.js';

/** Newest records kept in an export; a longer run's older records are left out (and counted). */
export const MAX_TRACE_EXPORT_ENTRIES = 1_000_000;

export interface ChromeTraceInput {
  scenario: string;
  frequency: number;
  cores: number;
  vmNames: readonly string[];
  /** Channels, to name IPC flows (the VM at each endpoint). */
  channels?: ChromeTraceSetup['channels'];
  trace: readonly TraceEntry[];
  events: readonly SystemEvent[];
  /** Records the engine had already let go of (its trace log keeps the newest only). */
  omitted?: number;
  /** Records the cores' trace rings dropped. */
  dropped?: number;
}

export function chromeTrace(input: ChromeTraceInput): string {
  const kept = input.trace.slice(Math.max(0, input.trace.length - MAX_TRACE_EXPORT_ENTRIES));
  const setup: ChromeTraceSetup = { frequency: input.frequency, cores: input.cores, vmNames: input.vmNames, ...(input.channels ? { channels: input.channels } : {}) };
  return chromeTraceDocument(setup, kept, input.events, {
    scenario: input.scenario,
    omittedRecords: input.trace.length - kept.length + (input.omitted ?? 0),
    droppedRecords: input.dropped ?? 0,
  });
}
