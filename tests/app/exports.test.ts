// Exports: metrics as the CLI's JSON and as CSV, and the trace as Chrome Trace Event JSON.

import { describe, expect, it } from 'vitest';
import type { SystemEvent, SystemSnapshot, TraceEntry } from '../../engine/host/system.js';
import { chromeTrace, MAX_TRACE_EXPORT_ENTRIES } from '../../app/host/export/chrome-trace.js';
import { CSV_COLUMNS, metricsCsv } from '../../app/host/export/metrics-csv.js';
import { metricsJson } from '../../app/host/export/metrics-json.js';

const latency = { count: 3, min: 100, avg: 120, max: 160, p50: 100, p99: 160, p999: 160, buckets: [[100, 2], [160, 1]] as [number, number][] };
const noLatency = { count: 0, min: 0, avg: 0, max: 0, p50: 0, p99: 0, p999: 0, buckets: [] };

const snapshot = {
  time: 200_000_000, virtualSeconds: 2, wallSeconds: 4,
  cores: [{ time: 200_000_000, busy: 150_000_000 }],
  channels: [],
  vms: [
    { name: 'rtos', state: 'running', cores: [0], priority: 10, instructions: 1_000_000, interrupts: 3, violations: 0, restarts: 1, faults: 1, exitCode: 0, ready: 0, latency },
    { name: 'hog, "the" CPU eater', state: 'paused', cores: [0, 1], priority: 1, instructions: 400_000_000, interrupts: 0, violations: 2, restarts: 0, faults: 0, exitCode: 0, ready: null, latency: noLatency },
  ],
} as unknown as SystemSnapshot;

describe('metrics CSV', () => {
  it('has a header and a row per VM with the CLI\'s figures (MIPS over the whole run\'s wall time)', () => {
    const lines = metricsCsv(snapshot).split('\r\n');
    expect(lines[0]).toBe(CSV_COLUMNS.join(','));
    expect(lines[1]).toBe('rtos,running,0,1000000,0.3,3,100,120.0,160,160,160,0,1,1,2.000000,4.000');
    expect(lines[2]).toBe('"hog, ""the"" CPU eater",paused,0 1,400000000,100.0,0,,,,,,2,0,0,2.000000,4.000');
    expect(lines[3]).toBe('');
  });
});

describe('metrics JSON', () => {
  it('is the document `tessera run --json` writes', () => {
    const events: SystemEvent[] = [{ time: 5, wallMs: 1, vm: 'rtos', kind: 'started' }];
    expect(JSON.parse(metricsJson('demo', snapshot, events, ['hog']))).toEqual({ scenario: 'demo', ...JSON.parse(JSON.stringify(snapshot)), events, failed: ['hog'] });
  });
});

describe('Chrome trace', () => {
  const trace: TraceEntry[] = [
    { time: 1_000, core: 0, kind: 'run', vm: 'rtos', vcpu: 0, a: 3_000, b: 0 },
    { time: 1_500, core: 1, kind: 'interrupt', vm: 'hog', vcpu: 1, a: 7, b: 100 },
    { time: 2_000, core: 1, kind: 'fault', vm: 'hog', a: 2, b: 0 },
  ];
  const events: SystemEvent[] = [{ time: 4_000, wallMs: 3, vm: 'hog', kind: 'paused' }];
  const parse = (entries = trace) => JSON.parse(chromeTrace({ scenario: 'demo', frequency: 100_000_000, cores: 2, vmNames: ['rtos', 'hog'], trace: entries, events }));

  it('names a track per core and per VM', () => {
    const names = parse().traceEvents.filter((e: { ph: string }) => e.ph === 'M').map((e: { pid: number; tid: number; args: { name: string } }) => `${e.pid}/${e.tid}:${e.args.name}`);
    expect(names).toEqual(['1/0:cores', '2/0:VMs', '1/0:core 0', '1/1:core 1', '2/0:rtos', '2/1:hog']);
  });

  it('turns runs into complete events in microseconds, interrupts and faults into instants', () => {
    const events = parse().traceEvents.filter((e: { ph: string }) => e.ph !== 'M');
    expect(events[0]).toEqual({ name: 'rtos vCPU 0', cat: 'run', ph: 'X', pid: 1, tid: 0, ts: 10, dur: 20, args: { vm: 'rtos', vcpu: 0 } });
    expect(events[1]).toMatchObject({ name: 'interrupt 7', ph: 'i', s: 't', pid: 1, tid: 1, ts: 15, args: { latencyCycles: 100 } });
    expect(events[2]).toMatchObject({ name: 'fault', ph: 'i', pid: 2, tid: 1, ts: 20 });
    expect(events[3]).toMatchObject({ name: 'paused', cat: 'lifecycle', pid: 2, tid: 1, ts: 40 });
  });

  it('keeps the newest records of a very long trace and says how many it left out', () => {
    const long = Array.from({ length: MAX_TRACE_EXPORT_ENTRIES + 5 }, (_, i): TraceEntry => ({ time: i, core: 0, kind: 'run', vm: 'rtos', vcpu: 0, a: i + 1, b: 0 }));
    const parsed = parse(long);
    expect(parsed.otherData.omittedRecords).toBe(5);
    expect(parsed.traceEvents.find((e: { ph: string }) => e.ph === 'X').ts).toBeCloseTo(0.05);
  });
});
