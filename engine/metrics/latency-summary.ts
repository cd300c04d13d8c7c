// Percentiles over several latency histograms taken as JSON (every VM's, or every channel's).

import type { LatencyHistogramJson } from './latency-histogram.js';

/** Latency figures in virtual cycles (the scenario's clock); null when nothing was measured. */
export interface LatencySummary {
  count: number;
  min: number | null;
  p50: number | null;
  p90: number | null;
  p99: number | null;
  p999: number | null;
  max: number | null;
}

const EMPTY: LatencySummary = { count: 0, min: null, p50: null, p90: null, p99: null, p999: null, max: null };

/**
 * Merges the histograms' buckets and reads nearest-rank percentiles from them, as each histogram
 * does for itself (a bucket's upper bound, clamped to the exact min and max).
 */
export function summariseLatency(histograms: readonly LatencyHistogramJson[]): LatencySummary {
  const counts = new Map<number, number>();
  let count = 0, min = Infinity, max = -Infinity;
  for (const h of histograms) {
    if (h.count === 0) continue;
    count += h.count;
    min = Math.min(min, h.min);
    max = Math.max(max, h.max);
    for (const [upper, n] of h.buckets) counts.set(upper, (counts.get(upper) ?? 0) + n);
  }
  if (count === 0) return { ...EMPTY };
  const buckets = [...counts].sort((a, b) => a[0] - b[0]);
  const percentile = (p: number): number => {
    const rank = Math.max(1, Math.ceil(((p / 100) * count) - 1e-9));
    let seen = 0;
    for (const [upper, n] of buckets) {
      seen += n;
      if (seen >= rank) return Math.min(Math.max(upper, min), max);
    }
    return max;
  };
  return { count, min, p50: percentile(50), p90: percentile(90), p99: percentile(99), p999: percentile(99.9), max };
}
