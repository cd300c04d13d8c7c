// The execution trace as the host sees it: records drained from the cores' rings, merged in time
// order, named, and kept in a bounded log for live views (the monitor) and tests.

import type { SystemTables } from '../hypervisor/system-tables.js';
import { TraceKind } from '../hypervisor/trace-kinds.js';
import type { TraceRecord, TraceRing } from '../metrics/trace-ring.js';

/** Newest records the log keeps (about 100 MB); older ones are let go of and counted. */
export const MAX_TRACE_LOG_ENTRIES = 1_000_000;

/** One record of the execution trace, merged over all cores in time order. */
export interface TraceEntry {
  time: number;
  core: number;
  kind: 'run' | 'interrupt' | 'ipc-send' | 'ipc-receive' | 'doorbell' | 'doorbell-take' | 'fault' | 'exit' | 'ready' | 'reset';
  /** The VM the record is about. */
  vm: string;
  /** Per-vCPU records (run, interrupt, IPC, doorbells): the vCPU index within the VM. */
  vcpu?: number;
  /** Run: end time; interrupt: the interrupt code; IPC and doorbells: the direction (channel * 2 + sending endpoint); fault: the fault kind. */
  a: number;
  /** Interrupt: the latency in cycles; IPC and doorbells: the message's sequence number on its direction; fault: the detail. */
  b: number;
}

/** A drained ring record and the core whose ring held it. */
export type CoreRecord = TraceRecord & { core: number };

const TRACE_KIND_NAMES: Record<number, TraceEntry['kind']> = {
  [TraceKind.Run]: 'run', [TraceKind.Interrupt]: 'interrupt', [TraceKind.IpcSend]: 'ipc-send', [TraceKind.IpcReceive]: 'ipc-receive',
  [TraceKind.DoorbellRing]: 'doorbell', [TraceKind.DoorbellTake]: 'doorbell-take', [TraceKind.Fault]: 'fault',
  [TraceKind.Exit]: 'exit', [TraceKind.Ready]: 'ready', [TraceKind.Reset]: 'reset',
};

/** Whether a record kind belongs in the trace (the lifecycle ring also carries host-only requests). */
export function isTraced(kind: number): boolean {
  return TRACE_KIND_NAMES[kind] !== undefined;
}

/** Every record of these per-core rings, in time order (core order among equal times). */
export function drainRings(rings: readonly TraceRing[]): CoreRecord[] {
  const records: CoreRecord[] = [];
  rings.forEach((ring, core) => ring.drainEach((time, kind, subject, a, b) => records.push({ time, kind, subject, a, b, core })));
  return records.sort((a, b) => a.time - b.time || a.core - b.core);
}

/** A record with its VM's name and the vCPU's index within the VM. */
export function traceEntryOf(tables: SystemTables, r: CoreRecord): TraceEntry {
  const perVcpu = r.kind === TraceKind.Run || r.kind === TraceKind.Interrupt || r.kind >= TraceKind.IpcSend;
  const vm = perVcpu ? tables.vmOf[r.subject] : r.subject;
  const layout = tables.layout.vms[vm];
  return {
    time: r.time, core: r.core, kind: TRACE_KIND_NAMES[r.kind], vm: layout.name,
    ...(perVcpu ? { vcpu: r.subject - layout.firstVcpu } : {}), a: r.a, b: r.b,
  };
}

const byTime = (x: TraceEntry, y: TraceEntry) => x.time - y.time || x.core - y.core;

/** The newest MAX_TRACE_LOG_ENTRIES trace entries, each handed out once by drain(). */
export class TraceLog {
  private readonly log: TraceEntry[] = [];
  private drained = 0;
  /** Entries let go of. */
  omitted = 0;

  /** Adds an entry, letting go of the oldest in batches. */
  keep(entry: TraceEntry): void {
    this.log.push(entry);
    const excess = this.log.length - MAX_TRACE_LOG_ENTRIES;
    if (excess < MAX_TRACE_LOG_ENTRIES / 16) return;
    this.log.splice(0, excess);
    this.omitted += excess;
    this.drained = Math.max(0, this.drained - excess);
  }

  /** The entries added since the previous call, in time order. */
  drain(): TraceEntry[] {
    const fresh = this.log.slice(this.drained);
    this.drained = this.log.length;
    return fresh.sort(byTime);
  }

  /** Every entry kept, in time order. */
  all(): TraceEntry[] {
    return [...this.log].sort(byTime);
  }
}
