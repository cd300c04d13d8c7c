// Trace records in the hypervisor: lifecycle and trace rings apart, tracing switched by one shared
// word, and synchronous IPC naming each message (direction, sequence number) from send to receipt.

import { describe, expect, it } from 'vitest';
import { createSyncIpcBuffers, IpcOp, SyncIpc } from '../../../engine/hypervisor/sync-ipc.js';
import { createSystemBuffers, SystemTables, type SystemLayout, type VmLayout } from '../../../engine/hypervisor/system-tables.js';
import { TraceKind } from '../../../engine/hypervisor/trace-kinds.js';
import { IDLE_TRACE_RING_RECORDS, LIFECYCLE_RING_RECORDS, TRACE_RING_RECORDS, TraceRing } from '../../../engine/metrics/trace-ring.js';

const vm = (name: string, firstVcpu: number): VmLayout => ({
  name, logical: firstVcpu, twin: -1, physicalBase: 0, ramBytes: 4096, vcpus: 1, firstVcpu, priority: 1, budget: 0, period: 0,
  affinity: [0], placement: [], watchdog: 0, entry: 0, fdtAddress: 0, onFault: { policy: 'halt', limit: 0, resetInterval: 1 }, hypervisor: true, tohost: -1, firmware: 'none', bootA2: 0,
});

const layout: SystemLayout = {
  cores: 2, threadOf: [0, 1], spin: false, syncGroup: [0, 0], memoryBytes: 1 << 20, mode: 'virtual', quantum: 10_000, frequency: 100_000_000,
  policy: 'fixed-priority', instructionLimit: Infinity, checks: false, preemptionBound: 10_000, switchCost: 100, majorFrame: 0, windows: [],
  vms: [vm('a', 0), vm('b', 1)],
  channels: [{ name: 'c', physicalBase: 0, size: 4096, endpoints: [{ vm: 0, address: 0, writable: true, irq: 32 }, { vm: 1, address: 0, writable: true, irq: 32 }], ringProducer: -1 }],
};

describe('the trace rings of the system tables', () => {
  it('keep lifecycle records apart from trace records, so trace traffic cannot crowd them out', () => {
    const t = new SystemTables(layout, createSystemBuffers(layout, 4));
    expect(t.traces.map((r) => r.capacity)).toEqual([4, 4]);
    expect(t.lifecycle.map((r) => r.capacity)).toEqual([LIFECYCLE_RING_RECORDS, LIFECYCLE_RING_RECORDS]);
    for (let i = 0; i < 100; i++) t.traces[0].push(i, TraceKind.Run, 0, i + 1);
    t.lifecycle[0].push(50, TraceKind.RestartRequest, 1);
    expect(t.traceDropped()).toBe(96);
    expect(t.lifecycleDropped()).toBe(0);
    expect(t.lifecycle[0].drain()).toEqual([{ time: 50, kind: TraceKind.RestartRequest, subject: 1, a: 0, b: 0 }]);
  });

  it('are small unless someone traces, and tracing is one word every thread sees', () => {
    expect(new SystemTables(layout, createSystemBuffers(layout)).traces[1].capacity).toBe(IDLE_TRACE_RING_RECORDS);
    const buffers = createSystemBuffers(layout, TRACE_RING_RECORDS);
    const host = new SystemTables(layout, buffers);
    const core = new SystemTables(layout, buffers); // as a worker thread sees the same buffers
    expect(core.traces[0].capacity).toBe(65536);
    expect(core.tracing()).toBe(false);
    host.setTracing(true);
    expect(core.tracing()).toBe(true);
  });

  it('number traced doorbells per channel direction, from 1', () => {
    const t = new SystemTables(layout, createSystemBuffers(layout));
    expect([t.nextDoorbellSeq(0), t.nextDoorbellSeq(0), t.nextDoorbellSeq(1), t.nextDoorbellSeq(0)]).toEqual([1, 2, 1, 3]);
  });
});

describe('synchronous IPC trace records', () => {
  // Channel 0 joins VM 0 (vCPU 0, endpoint 0) and VM 1 (vCPU 1, endpoint 1).
  function setup() {
    const ipc = new SyncIpc(createSyncIpcBuffers(1, 2), 1, {
      vmOf: (v) => v, vcpusOf: (v) => [v], alive: () => true, setStatus: () => undefined, recordLatency: () => undefined, wake: () => undefined,
    });
    ipc.initOwners([[0, 1]]);
    const rings = [new TraceRing(TraceRing.create(64)), new TraceRing(TraceRing.create(64))];
    const records = (core: number) => rings[core].drain().map((r) => [r.time, r.kind, r.subject, r.a, r.b]);
    return { ipc, rings, records };
  }

  it('a send to a waiting receiver: the send on the sender\'s core, the receipt on the receiver\'s when it resumes, same direction and number', () => {
    const { ipc, rings, records } = setup();
    ipc.operate(1, IpcOp.Recv, 0, 1, 100, rings[1]);
    ipc.setLength(0, 1);
    ipc.operate(0, IpcOp.Send, 0, 0, 250, rings[0]);
    ipc.resumed(1, 400, rings[1]);
    ipc.resumed(1, 500, rings[1]); // once
    expect(records(0)).toEqual([[250, TraceKind.IpcSend, 0, 0, 1]]);
    expect(records(1)).toEqual([[400, TraceKind.IpcReceive, 1, 0, 1]]);
  });

  it('a sender that blocks: its send when it blocks, the receipt when the receiver takes it; numbers go up per direction', () => {
    const { ipc, rings, records } = setup();
    ipc.operate(0, IpcOp.Send, 0, 0, 10, rings[0]);
    ipc.operate(1, IpcOp.Recv, 0, 1, 60, rings[1]);
    ipc.operate(0, IpcOp.Send, 0, 0, 70, rings[0]);
    ipc.operate(1, IpcOp.Recv, 0, 1, 90, rings[1]);
    ipc.operate(1, IpcOp.Send, 0, 1, 95, rings[1]); // the other direction numbers from 1 too
    expect(records(0)).toEqual([[10, TraceKind.IpcSend, 0, 0, 1], [70, TraceKind.IpcSend, 0, 0, 2]]);
    expect(records(1)).toEqual([[60, TraceKind.IpcReceive, 1, 0, 1], [90, TraceKind.IpcReceive, 1, 0, 2], [95, TraceKind.IpcSend, 1, 1, 1]]);
  });

  it('a receipt is never recorded before its send (the receiver\'s core may lag by up to a quantum)', () => {
    const { ipc, rings, records } = setup();
    ipc.operate(0, IpcOp.Send, 0, 0, 500, rings[0]);
    ipc.operate(1, IpcOp.Recv, 0, 1, 300, rings[1]);
    expect(records(1)).toEqual([[501, TraceKind.IpcReceive, 1, 0, 1]]);
  });

  it('records nothing without a ring (tracing off), yet keeps numbering messages', () => {
    const { ipc, rings, records } = setup();
    ipc.operate(1, IpcOp.Recv, 0, 1, 0);
    ipc.operate(0, IpcOp.Send, 0, 0, 10);
    ipc.resumed(1, 20);
    ipc.operate(1, IpcOp.Recv, 0, 1, 30, rings[1]);
    ipc.operate(0, IpcOp.Send, 0, 0, 40, rings[0]);
    expect(records(0)).toEqual([[40, TraceKind.IpcSend, 0, 0, 2]]);
  });
});
