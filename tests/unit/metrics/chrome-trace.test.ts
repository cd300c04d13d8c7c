// The Chrome Trace Event converter: tracks, time conversion, instants, IPC flows and how Perfetto
// binds them, and a document streamed in chunks.

import { describe, expect, it } from 'vitest';
import { ChromeTraceStream, chromeTraceDocument, flowId, type ChromeTraceEntry, type ChromeTraceSetup } from '../../../engine/metrics/chrome-trace.js';
import { importChromeTrace } from './perfetto-import.js';

const setup: ChromeTraceSetup = {
  frequency: 100_000_000, cores: 2, vmNames: ['client', 'server'],
  channels: [{ name: 'rpc', endpoints: ['client', 'server'] }, { name: 'bell', endpoints: ['server', 'client'] }],
};

interface Ev { ph: string; name: string; cat?: string; pid: number; tid: number; ts?: number; dur?: number; id?: number; bp?: string; args?: Record<string, unknown> }

// client (core 0) calls the server (core 1) on rpc, the server rings the client on bell; an
// interrupt opens the client's second run, before its receive.
const entries: ChromeTraceEntry[] = [
  { time: 1_000, core: 0, kind: 'run', vm: 'client', vcpu: 0, a: 2_000, b: 0 },
  { time: 1_500, core: 0, kind: 'ipc-send', vm: 'client', vcpu: 0, a: 0, b: 1 },
  { time: 1_000, core: 1, kind: 'run', vm: 'server', vcpu: 0, a: 3_000, b: 0 },
  { time: 1_600, core: 1, kind: 'ipc-receive', vm: 'server', vcpu: 0, a: 0, b: 1 },
  { time: 2_000, core: 1, kind: 'doorbell', vm: 'server', vcpu: 0, a: 2, b: 1 },
  { time: 2_100, core: 0, kind: 'run', vm: 'client', vcpu: 0, a: 4_000, b: 0 },
  { time: 2_100, core: 0, kind: 'interrupt', vm: 'client', vcpu: 0, a: 11, b: 100 },
  { time: 2_100, core: 0, kind: 'doorbell-take', vm: 'client', vcpu: 0, a: 2, b: 1 },
  { time: 2_500, core: 1, kind: 'ipc-send', vm: 'server', vcpu: 0, a: 1, b: 1 },
  { time: 2_600, core: 0, kind: 'ipc-receive', vm: 'client', vcpu: 0, a: 1, b: 1 },
];
const lifecycle = [{ time: 5_000, vm: 'server', kind: 'exited', detail: 'exit code 0' }];

const parse = (text: string) => JSON.parse(text) as { traceEvents: Ev[]; displayTimeUnit: string; otherData: Record<string, unknown> };

describe('Chrome trace converter', () => {
  const doc = parse(chromeTraceDocument(setup, entries, lifecycle, { run: 'r1', droppedRecords: 3 }));
  const events = doc.traceEvents.filter((e) => e.ph !== 'M');

  it('names a "cores" process with a track per core and a "VMs" process with a track per VM', () => {
    const names = doc.traceEvents.filter((e) => e.ph === 'M').map((e) => `${e.pid}/${e.tid} ${e.name}:${String(e.args?.name)}`);
    expect(names).toEqual(['1/0 process_name:cores', '2/0 process_name:VMs', '1/0 thread_name:core 0', '1/1 thread_name:core 1', '2/0 thread_name:client', '2/1 thread_name:server']);
  });

  it('turns cycles into microseconds of virtual time (to the nanosecond)', () => {
    const run = events.find((e) => e.ph === 'X')!;
    expect(run).toEqual({ name: 'client vCPU 0', cat: 'run', ph: 'X', pid: 1, tid: 0, ts: 10, dur: 10, args: { vm: 'client', vcpu: 0 } });
    const stream = new ChromeTraceStream({ ...setup, frequency: 3_000_000 });
    expect(stream.micros(1)).toBe(0.333);
    expect(stream.micros(3_000_000)).toBe(1_000_000);
  });

  it('makes interrupts thread instants on the core with their latency in cycles and microseconds', () => {
    expect(events.find((e) => e.cat === 'interrupt')).toEqual({
      name: 'interrupt 11', cat: 'interrupt', ph: 'i', s: 't', pid: 1, tid: 0, ts: 21,
      args: { vm: 'client', vcpu: 0, code: 11, latencyCycles: 100, latencyUs: 1 },
    });
  });

  it('puts lifecycle events on the VM\'s track and run metadata and drops in otherData', () => {
    expect(events.find((e) => e.cat === 'lifecycle')).toMatchObject({ name: 'exited', ph: 'i', s: 't', pid: 2, tid: 1, ts: 50, args: { detail: 'exit code 0' } });
    expect(doc.otherData).toEqual({ clock: 'virtual, 100000000 Hz', run: 'r1', droppedRecords: 3 });
    expect(doc.displayTimeUnit).toBe('ns');
  });

  it('pairs each message\'s flow start and end by id, name and category, from the sender\'s core to the receiver\'s', () => {
    const flows = events.filter((e) => e.ph === 's' || e.ph === 'f');
    const starts = flows.filter((e) => e.ph === 's');
    expect(starts).toHaveLength(3);
    for (const s of starts) {
      const ends = flows.filter((e) => e.ph === 'f' && e.id === s.id);
      expect(ends).toHaveLength(1);
      expect(ends[0]).toMatchObject({ name: s.name, cat: s.cat, bp: 'e' });
      expect(ends[0].ts!).toBeGreaterThanOrEqual(s.ts!);
    }
    expect(starts.map((s) => [s.name, s.cat, s.tid])).toEqual([['rpc client→server', 'ipc', 0], ['bell server→client', 'doorbell', 1], ['rpc server→client', 'ipc', 1]]);
    expect(new Set(starts.map((s) => s.id)).size).toBe(3);
  });

  it('gives every direction, message and kind its own flow id', () => {
    const ids = new Set<number>();
    for (const doorbell of [false, true]) for (let slot = 0; slot < 6; slot++) for (let seq = 1; seq <= 50; seq++) ids.add(flowId(doorbell, slot, seq, 6));
    expect(ids.size).toBe(2 * 6 * 50);
  });

  it('binds flows, as Perfetto imports them, to the send and receive points inside the runs (not to an earlier interrupt)', () => {
    const imported = importChromeTrace(doc);
    expect(imported.stats).toEqual({ flowNoEnclosingSlice: 0, flowEndWithoutStart: 0, flowDuplicateId: 0 });
    const arrows = imported.flows.map((f) => `${f.out.track} ${f.out.name} < ${f.out.parent?.name} → ${f.in.track} ${f.in.name} < ${f.in.parent?.name}`);
    expect(arrows).toEqual([
      '1/0 send rpc < client vCPU 0 → 1/1 receive rpc < server vCPU 0',
      '1/1 doorbell bell < server vCPU 0 → 1/0 interrupt 11 < client vCPU 0',
      '1/1 send rpc < server vCPU 0 → 1/0 receive rpc < client vCPU 0',
    ]);
  });

  it('gives a doorbell taken without its interrupt instant (a wake from WFI) an instant of its own', () => {
    const woke = parse(chromeTraceDocument(setup, [
      { time: 0, core: 1, kind: 'run', vm: 'server', vcpu: 0, a: 100, b: 0 },
      { time: 50, core: 1, kind: 'doorbell', vm: 'server', vcpu: 0, a: 2, b: 7 },
      { time: 60, core: 0, kind: 'run', vm: 'client', vcpu: 0, a: 90, b: 0 },
      { time: 60, core: 0, kind: 'doorbell-take', vm: 'client', vcpu: 0, a: 2, b: 7 },
    ], []));
    const imported = importChromeTrace(woke);
    expect(imported.flows.map((f) => [f.out.name, f.in.name, f.in.parent?.name])).toEqual([['doorbell bell', 'doorbell taken bell', 'client vCPU 0']]);
  });

  it('streams a valid document in chunks, empty ones included', () => {
    const stream = new ChromeTraceStream(setup);
    const chunks = [stream.begin(), stream.write([], []), stream.write(entries.slice(0, 4)), stream.write([], lifecycle), stream.write(entries.slice(4)), stream.end({ droppedRecords: 0 })];
    const streamed = parse(chunks.join(''));
    // The same events as the one-shot document (the lifecycle event comes earlier in the file).
    const sorted = (list: Ev[]) => list.map((e) => JSON.stringify(e)).sort();
    expect(sorted(streamed.traceEvents)).toEqual(sorted(doc.traceEvents));
    expect(stream.eventCount).toBe(events.length);
    expect(chunks[1]).toBe('');
    // With no records at all it is still a valid, empty trace.
    const empty = new ChromeTraceStream(setup);
    expect(parse(empty.begin() + empty.end()).traceEvents).toHaveLength(6);
  });
});
