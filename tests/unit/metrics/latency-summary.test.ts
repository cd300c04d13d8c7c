import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from '../../../engine/metrics/latency-histogram.js';
import { summariseLatency } from '../../../engine/metrics/latency-summary.js';

describe('summariseLatency', () => {
  it('gives the percentiles of the merged histogram, as the histogram itself does', () => {
    const a = LatencyHistogram.create();
    const b = LatencyHistogram.create();
    const merged = LatencyHistogram.create();
    for (let i = 0; i < 5000; i++) {
      const x = (i * 7919) % 3000;
      const y = 20_000 + ((i * 104_729) % 50_000);
      a.record(x);
      b.record(y);
      merged.record(x);
      merged.record(y);
    }
    const s = summariseLatency([a.toJSON(), b.toJSON()]);
    expect(s.count).toBe(10_000);
    expect(s.min).toBe(merged.min);
    expect(s.max).toBe(merged.max);
    expect(s.p50).toBe(merged.percentile(50));
    expect(s.p90).toBe(merged.percentile(90));
    expect(s.p99).toBe(merged.percentile(99));
    expect(s.p999).toBe(merged.percentile(99.9));
  });

  it('is all null with nothing measured, and skips empty histograms', () => {
    expect(summariseLatency([])).toEqual({ count: 0, min: null, p50: null, p90: null, p99: null, p999: null, max: null });
    const one = LatencyHistogram.create();
    one.record(42);
    expect(summariseLatency([LatencyHistogram.create().toJSON(), one.toJSON()])).toEqual({ count: 1, min: 42, p50: 42, p90: 42, p99: 42, p999: 42, max: 42 });
  });
});
