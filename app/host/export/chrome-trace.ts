// The execution trace as Chrome Trace Event JSON (opens in Perfetto and chrome://tracing): one track
// per core with the vCPU runs and interrupts, one per VM with its lifecycle events.

import type { SystemEvent, TraceEntry } from '../../../engine/host/system.js';

/** Newest records kept in an export; a longer run's older records are left out (and counted). */
export const MAX_TRACE_EXPORT_ENTRIES = 1_000_000;

const CORES_PID = 1;
const VMS_PID = 2;

interface TraceEvent {
  name: string;
  ph: 'X' | 'i' | 'M';
  pid: number;
  tid: number;
  ts?: number;
  dur?: number;
  cat?: string;
  s?: 't' | 'p' | 'g';
  args?: Record<string, unknown>;
}

export interface ChromeTraceInput {
  scenario: string;
  frequency: number;
  cores: number;
  vmNames: readonly string[];
  trace: readonly TraceEntry[];
  events: readonly SystemEvent[];
}

export function chromeTrace(input: ChromeTraceInput): string {
  const micros = (cycles: number) => (cycles / input.frequency) * 1e6;
  const kept = input.trace.slice(Math.max(0, input.trace.length - MAX_TRACE_EXPORT_ENTRIES));
  const out: TraceEvent[] = [
    { name: 'process_name', ph: 'M', pid: CORES_PID, tid: 0, args: { name: 'cores' } },
    { name: 'process_name', ph: 'M', pid: VMS_PID, tid: 0, args: { name: 'VMs' } },
  ];
  for (let core = 0; core < input.cores; core++) out.push({ name: 'thread_name', ph: 'M', pid: CORES_PID, tid: core, args: { name: `core ${core}` } });
  input.vmNames.forEach((vm, i) => out.push({ name: 'thread_name', ph: 'M', pid: VMS_PID, tid: i, args: { name: vm } }));
  const vmTid = (vm: string) => Math.max(0, input.vmNames.indexOf(vm));
  for (const e of kept) {
    const ts = micros(e.time);
    switch (e.kind) {
      case 'run':
        out.push({ name: `${e.vm} vCPU ${e.vcpu ?? 0}`, cat: 'run', ph: 'X', pid: CORES_PID, tid: e.core, ts, dur: micros(e.a - e.time), args: { vm: e.vm, vcpu: e.vcpu ?? 0 } });
        break;
      case 'interrupt':
        out.push({ name: `interrupt ${e.a}`, cat: 'interrupt', ph: 'i', s: 't', pid: CORES_PID, tid: e.core, ts, args: { vm: e.vm, vcpu: e.vcpu ?? 0, code: e.a, latencyCycles: e.b } });
        break;
      default:
        out.push({ name: e.kind, cat: 'vm', ph: 'i', s: 't', pid: VMS_PID, tid: vmTid(e.vm), ts, args: { core: e.core, a: e.a, b: e.b } });
    }
  }
  for (const ev of input.events) {
    out.push({ name: ev.kind, cat: 'lifecycle', ph: 'i', s: 't', pid: VMS_PID, tid: vmTid(ev.vm), ts: micros(ev.time), args: ev.detail !== undefined ? { detail: ev.detail } : {} });
  }
  return JSON.stringify({
    traceEvents: out,
    displayTimeUnit: 'ns',
    otherData: { scenario: input.scenario, clock: `virtual, ${input.frequency} Hz`, omittedRecords: input.trace.length - kept.length },
  }) + '\n';
}
