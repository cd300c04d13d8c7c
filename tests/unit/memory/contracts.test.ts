// The shared-memory contracts: one writer at a time on a latency histogram and a trace ring. A
// broken contract is counted and, with checks on, thrown; the channel latency histograms, which
// cores on either side of a channel write, keep to it by taking the channel's lock.

import { afterEach, describe, expect, it } from 'vitest';
import { createSyncIpcBuffers, SyncIpc } from '../../../engine/hypervisor/sync-ipc.js';
import { setContractChecks } from '../../../engine/memory/contracts.js';
import { LatencyHistogram } from '../../../engine/metrics/latency-histogram.js';
import { TraceRing } from '../../../engine/metrics/trace-ring.js';
import { runInWorker } from '../../fixtures/ts-worker.js';

afterEach(() => setContractChecks(false));

/** Leaves a write open, as a second writer caught in the middle of one would. */
function openWrite(histogram: LatencyHistogram): void {
  Atomics.add(new Int32Array(histogram.buffer, 4, 1), 0, 1);
}

describe('a latency histogram', () => {
  it('counts a write that meets another in progress, and throws with checks on', () => {
    const quiet = LatencyHistogram.create();
    openWrite(quiet);
    quiet.record(5); // checks off: counted, not thrown
    expect(quiet.collisions).toBe(1);
    setContractChecks(true);
    const checked = LatencyHistogram.create();
    openWrite(checked);
    expect(() => checked.record(7)).toThrow('contract broken: two writers at once on a latency histogram');
    expect(checked.collisions).toBe(1);
  });

  it('written by two workers at once through the channel lock, loses nothing and meets no other writer', async () => {
    const histogram = LatencyHistogram.create();
    const ipc = createSyncIpcBuffers(1, 1);
    const gate = new Int32Array(new SharedArrayBuffer(8));
    const body = `
      const { LatencyHistogram } = engine('metrics/latency-histogram.ts');
      const { SyncIpc } = engine('hypervisor/sync-ipc.ts');
      const { setContractChecks } = engine('memory/contracts.ts');
      setContractChecks(true);
      const histogram = LatencyHistogram.attach(workerData.histogram);
      const ipc = new SyncIpc(workerData.ipc, 1, {});
      const gate = new Int32Array(workerData.gate);
      Atomics.add(gate, 0, 1);
      Atomics.wait(gate, 1, 0);
      for (let i = 0; i < workerData.records; i++) ipc.withLock(0, () => histogram.record(i % 1000));
      return true;
    `;
    const records = 100_000;
    const writers = [0, 1].map(() => runInWorker<boolean>(body, { histogram: histogram.buffer, ipc, gate: gate.buffer, records }));
    while (Atomics.load(gate, 0) < 2) await new Promise((resolve) => setTimeout(resolve, 1));
    Atomics.store(gate, 1, 1);
    Atomics.notify(gate, 1);
    expect(await Promise.all(writers)).toEqual([true, true]);
    expect(histogram.count).toBe(2 * records);
    expect(histogram.collisions).toBe(0);
  });
});

describe('a trace ring', () => {
  it('with checks on, refuses a second producer caught in the middle of a push', () => {
    const buffer = TraceRing.create(16);
    const ring = new TraceRing(buffer);
    setContractChecks(true);
    ring.push(1, 1, 0);
    Atomics.store(new Int32Array(buffer, 12, 1), 0, 1); // another producer mid-push
    expect(() => ring.push(2, 1, 0)).toThrow('contract broken: two producers at once on a trace ring');
  });
});

describe('SyncIpc.withLock', () => {
  it('hands back what its function returns and frees the lock even when it throws', () => {
    const ipc = new SyncIpc(createSyncIpcBuffers(1, 1), 1, { vmOf: () => 0, vcpusOf: () => [], alive: () => true, setStatus: () => undefined, recordLatency: () => undefined, wake: () => undefined });
    expect(ipc.withLock(0, () => 42)).toBe(42);
    expect(() => ipc.withLock(0, () => { throw new Error('inside'); })).toThrow('inside');
    expect(ipc.withLock(0, () => 'again')).toBe('again');
  });
});
