// The latency histogram: exact small values, percentiles against a sorted array, merge, and a worker writing while the host reads.

import { describe, expect, it } from 'vitest';
import {
  BUCKET_COUNT,
  EXACT_LIMIT,
  LatencyHistogram,
  MAX_LATENCY,
  bucketIndex,
  bucketLowerBound,
  bucketUpperBound,
} from '../../../engine/metrics/latency-histogram.js';
import { runInWorker } from '../../fixtures/ts-worker.js';

/** A small deterministic generator (mulberry32), so a failure reproduces. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** Nearest rank with integer arithmetic: p as per-mille (500, 990, 999). */
function sortedPercentile(sorted: number[], perMille: number): number {
  const rank = Math.max(1, Math.ceil((sorted.length * perMille) / 1000));
  return sorted[rank - 1];
}

function histogramOf(values: number[]): LatencyHistogram {
  const h = LatencyHistogram.create();
  for (const v of values) h.record(v);
  return h;
}

describe('bucket layout', () => {
  it('is exact below 1024 and 64 buckets per power of two above', () => {
    for (const v of [0, 1, 17, 1023]) expect([bucketIndex(v), bucketLowerBound(v), bucketUpperBound(v)]).toEqual([v, v, v]);
    expect(bucketIndex(1024)).toBe(EXACT_LIMIT);
    expect([bucketLowerBound(EXACT_LIMIT), bucketUpperBound(EXACT_LIMIT)]).toEqual([1024, 1039]);
    expect(bucketIndex(2047)).toBe(EXACT_LIMIT + 63);
    expect(bucketIndex(2048)).toBe(EXACT_LIMIT + 64);
    expect(bucketIndex(MAX_LATENCY)).toBe(BUCKET_COUNT - 1);
    expect(bucketUpperBound(BUCKET_COUNT - 1)).toBe(MAX_LATENCY);
  });

  it('every value lies within its bucket, and buckets are contiguous', () => {
    const next = random(1);
    for (let i = 0; i < 20000; i++) {
      const v = Math.floor(2 ** (next() * 53)) - 1;
      const b = bucketIndex(v);
      expect(v).toBeGreaterThanOrEqual(bucketLowerBound(b));
      expect(v).toBeLessThanOrEqual(bucketUpperBound(b));
    }
    for (let b = 1; b < BUCKET_COUNT; b++) expect(bucketLowerBound(b)).toBe(bucketUpperBound(b - 1) + 1);
    for (const v of [2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, 2 ** 40 + 12345]) {
      expect(v).toBeGreaterThanOrEqual(bucketLowerBound(bucketIndex(v)));
      expect(v).toBeLessThanOrEqual(bucketUpperBound(bucketIndex(v)));
    }
  });
});

describe('LatencyHistogram', () => {
  it('is empty at first: zeros everywhere', () => {
    expect(LatencyHistogram.create().toJSON()).toEqual({ count: 0, min: 0, avg: 0, max: 0, p50: 0, p99: 0, p999: 0, buckets: [] });
  });

  it('small values are exact: count, min, max, sum, avg, percentiles and buckets', () => {
    const h = histogramOf([5, 3, 5, 17, 4]);
    expect([h.count, h.min, h.max, h.sum, h.avg]).toEqual([5, 3, 17, 34, 6.8]);
    expect(h.toJSON()).toEqual({
      count: 5, min: 3, avg: 6.8, max: 17, p50: 5, p99: 17, p999: 17,
      buckets: [[3, 1], [4, 1], [5, 2], [17, 1]],
    });
    expect([h.percentile(0), h.percentile(20), h.percentile(21), h.percentile(100)]).toEqual([3, 3, 4, 17]);
  });

  it('percentiles of random data below 1024 equal those of the sorted array', () => {
    const next = random(2);
    const values = Array.from({ length: 100_001 }, () => Math.floor(next() ** 3 * 1024));
    const h = histogramOf(values);
    const sorted = [...values].sort((a, b) => a - b);
    const json = h.toJSON();
    expect([json.p50, json.p99, json.p999]).toEqual([500, 990, 999].map((pm) => sortedPercentile(sorted, pm)));
    for (const p of [0, 1, 10, 25, 75, 90, 99.99, 100]) {
      expect(h.percentile(p)).toBe(sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1]);
    }
  });

  it('percentiles of random data over many magnitudes stay within one bucket (under 1/64) above the truth', () => {
    const next = random(3);
    const values = Array.from({ length: 50_000 }, () => Math.floor(2 ** (next() * 40)));
    const h = histogramOf(values);
    const sorted = [...values].sort((a, b) => a - b);
    const json = h.toJSON();
    expect([json.count, json.min, json.max]).toEqual([values.length, sorted[0], sorted[sorted.length - 1]]);
    expect(json.avg).toBeCloseTo(values.reduce((s, v) => s + v, 0) / values.length, 6);
    const got = [json.p50, json.p99, json.p999];
    [500, 990, 999].forEach((pm, i) => {
      const truth = sortedPercentile(sorted, pm);
      expect(got[i]).toBe(Math.min(bucketUpperBound(bucketIndex(truth)), json.max));
      expect(got[i]).toBeGreaterThanOrEqual(truth);
      expect(got[i]).toBeLessThanOrEqual(truth * (1 + 1 / 64));
    });
  });

  it('buckets in JSON are the non-empty ones, by inclusive upper bound, summing to the count', () => {
    const h = histogramOf([0, 1023, 1024, 1039, 1040, 5000, 5000]);
    expect(h.toJSON().buckets).toEqual([[0, 1], [1023, 1], [1039, 2], [1055, 1], [5055, 2]]);
  });

  it('refuses negative, fractional and unsafe latencies', () => {
    const h = LatencyHistogram.create();
    for (const bad of [-1, 1.5, NaN, Infinity, 2 ** 53]) expect(() => h.record(bad)).toThrow(RangeError);
    expect(h.count).toBe(0);
  });

  it('merge adds counts, sums and buckets and widens min/max', () => {
    const a = histogramOf([10, 20, 30]);
    const b = histogramOf([5, 2000]);
    a.merge(b);
    a.merge(LatencyHistogram.create());
    expect(a.toJSON()).toEqual(histogramOf([10, 20, 30, 5, 2000]).toJSON());
    expect(b.count).toBe(2);
  });

  it('reset empties it', () => {
    const h = histogramOf([1, 2, 3]);
    h.reset();
    expect(h.toJSON()).toEqual(LatencyHistogram.create().toJSON());
    h.record(7);
    expect([h.min, h.max]).toEqual([7, 7]);
  });

  it('attach refuses a buffer that is not a histogram', () => {
    expect(() => LatencyHistogram.attach(new SharedArrayBuffer(64))).toThrow(RangeError);
    const wrongTag = new SharedArrayBuffer(LatencyHistogram.create().buffer.byteLength);
    expect(() => LatencyHistogram.attach(wrongTag)).toThrow(RangeError);
  });
});

describe('LatencyHistogram in shared memory', () => {
  it('the host sees what a worker records, without messages', async () => {
    const h = LatencyHistogram.create();
    await runInWorker<void>(
      `const { LatencyHistogram } = engine('metrics/latency-histogram.ts');
       const h = LatencyHistogram.attach(workerData.sab);
       for (const v of [3, 5, 5, 1500, 70000]) h.record(v);`,
      { sab: h.buffer },
    );
    const json = h.toJSON();
    expect([json.count, json.min, json.max, json.avg]).toEqual([5, 3, 70000, (3 + 5 + 5 + 1500 + 70000) / 5]);
    expect(json.buckets).toEqual([[3, 1], [5, 2], [1503, 1], [70655, 1]]);
  });

  it('snapshots taken while a worker records are consistent (count = sum of buckets)', async () => {
    const h = LatencyHistogram.create();
    const done = runInWorker<void>(
      `const { LatencyHistogram } = engine('metrics/latency-histogram.ts');
       const h = LatencyHistogram.attach(workerData.sab);
       for (let i = 0; i < 300000; i++) h.record(i % 3000);`,
      { sab: h.buffer },
    );
    let finished = false;
    void done.then(() => { finished = true; }, () => { finished = true; });
    let checked = 0;
    while (!finished) {
      const s = h.snapshot();
      expect(s.buckets.reduce((a, b) => a + b, 0)).toBe(s.count);
      checked++;
      await new Promise((resolve) => setImmediate(resolve));
    }
    await done;
    expect(h.count).toBe(300000);
    expect(checked).toBeGreaterThan(0);
  });
});
