// The renderer's data transforms: rates, per-interval latency, decimation, bars and timeline lanes.

import { describe, expect, it } from 'vitest';
import type { ChannelSample, LatencyJson } from '../../app/shared/monitor-types.js';
import {
  channelRates, decimateMinMax, histogramBars, intervalLatency, laneSegments, ratePerSecond, SlidingSeries, utilisation, WindowedRate, type Point,
} from '../../app/renderer/transforms.js';

const latency = (values: number[]): LatencyJson => {
  const buckets = new Map<number, number>();
  for (const v of values) buckets.set(v, (buckets.get(v) ?? 0) + 1);
  const count = values.length;
  return {
    count, min: count ? Math.min(...values) : 0, max: count ? Math.max(...values) : 0, avg: count ? values.reduce((a, b) => a + b, 0) / count : 0,
    p50: 0, p99: 0, p999: 0, buckets: [...buckets].sort((a, b) => a[0] - b[0]),
  };
};

describe('ratePerSecond', () => {
  it('divides the change by the seconds, and gives nothing for no time or a counter that went back', () => {
    expect(ratePerSecond(100, 350, 0.5)).toBe(500);
    expect(ratePerSecond(100, 350, 0)).toBeNull();
    expect(ratePerSecond(400, 10, 1)).toBeNull();
  });
});

describe('WindowedRate', () => {
  it('averages over about the window, and starts over after a reset', () => {
    const rate = new WindowedRate(1);
    expect(rate.push(0, 0)).toBeNull();
    expect(rate.push(0.1, 10)).toBeCloseTo(100);
    expect(rate.push(0.2, 40)).toBeCloseTo(200); // (40 - 0) / 0.2
    for (let i = 3; i <= 20; i++) rate.push(i / 10, 40 + (i - 2) * 100);
    expect(rate.push(2.1, 1940)).toBeCloseTo(1000, 0);
    expect(rate.push(2.2, 5)).toBeNull(); // the VM restarted: counters from zero
    expect(rate.push(2.3, 105)).toBeCloseTo(1000);
  });
});

describe('intervalLatency', () => {
  it('gives the interval\'s count, exact min and max (below 1024), and average from the totals', () => {
    const before = latency([100, 100, 500]);
    const after = latency([100, 100, 500, 120, 300, 90]);
    const interval = intervalLatency(before, after)!;
    expect(interval.count).toBe(3);
    expect(interval.min).toBe(90);
    expect(interval.max).toBe(300);
    expect(interval.avg).toBeCloseTo((120 + 300 + 90) / 3);
  });

  it('counts everything for the first reading, and nothing when no interrupt arrived or the VM restarted', () => {
    expect(intervalLatency(undefined, latency([7, 9]))).toMatchObject({ count: 2, min: 7, max: 9, avg: 8 });
    expect(intervalLatency(latency([7, 9]), latency([7, 9]))).toBeNull();
    expect(intervalLatency(latency([7, 9, 11]), latency([5]))).toBeNull();
  });

  it('bounds wide buckets above 1024 cycles by the run\'s exact extremes', () => {
    const before: LatencyJson = { count: 1, min: 2000, avg: 2000, max: 2000, p50: 0, p99: 0, p999: 0, buckets: [[2015, 1]] };
    const after: LatencyJson = { count: 2, min: 2000, avg: 2050, max: 2100, p50: 0, p99: 0, p999: 0, buckets: [[2015, 1], [2111, 1]] };
    expect(intervalLatency(before, after)).toEqual({ count: 1, min: 2016, avg: 2100, max: 2100 });
  });
});

describe('decimateMinMax', () => {
  const points = (ys: number[]): Point[] => ys.map((y, x) => ({ x, y }));

  it('leaves short series alone', () => {
    expect(decimateMinMax(points([1, 2, 3]), 10)).toEqual(points([1, 2, 3]));
  });

  it('keeps at most the limit, in order, and keeps a single spike', () => {
    const ys = Array.from({ length: 10_000 }, (_, i) => (i === 6_789 ? 1_000 : i === 1_234 ? -50 : 1));
    const out = decimateMinMax(points(ys), 300);
    expect(out.length).toBeLessThanOrEqual(300);
    expect(out.map((p) => p.x)).toEqual([...out.map((p) => p.x)].sort((a, b) => a - b));
    expect(out).toContainEqual({ x: 6_789, y: 1_000 });
    expect(out).toContainEqual({ x: 1_234, y: -50 });
  });
});

describe('SlidingSeries', () => {
  it('drops points older than its window', () => {
    const series = new SlidingSeries(10);
    for (let x = 0; x <= 30; x++) series.push({ x, y: x });
    expect(series.length).toBe(11);
    expect(series.view(100)[0]).toEqual({ x: 20, y: 20 });
    expect(series.last()).toEqual({ x: 30, y: 30 });
  });
});

describe('histogramBars', () => {
  it('merges adjacent buckets into at most the limit, keeping every count', () => {
    const buckets: [number, number][] = Array.from({ length: 100 }, (_, i) => [i * 10, i + 1]);
    const bars = histogramBars(buckets, 40);
    expect(bars.length).toBeLessThanOrEqual(40);
    expect(bars.reduce((sum, b) => sum + b.count, 0)).toBe(5050);
    expect(bars[0]).toEqual({ from: 0, to: 20, count: 6 });
    expect(histogramBars([[100, 7]], 40)).toEqual([{ from: 100, to: 100, count: 7 }]);
    expect(histogramBars([], 40)).toEqual([]);
  });
});

describe('channelRates', () => {
  const flow = (messages: number, bytes: number, queueDepth: number) => ({
    from: 'a', to: 'b', messages, bytes, queueDepth, doorbellsRung: 0, doorbellsSuppressed: 0, syncMessages: 0, latency: latency([]), latencyRejected: 0,
  });
  const channel = (doorbells: [number, number], flows?: ChannelSample['flows']): ChannelSample => ({ name: 'c', endpoints: ['a', 'b'], doorbells, ...(flows ? { flows } : {}) });

  it('gives messages/s and bytes/s per direction when the engine counts messages', () => {
    const r = channelRates(channel([0, 0], [flow(100, 6_400, 0), flow(0, 0, 0)]), channel([10, 2], [flow(1_100, 70_400, 3), flow(0, 0, 0)]), 0.5);
    expect(r.messagesPerSecond).toEqual([2_000, 0]);
    expect(r.bytesPerSecond).toEqual([128_000, 0]);
    expect(r.doorbellsPerSecond).toEqual([20, 4]);
    expect(r.queueDepth).toEqual([3, 0]);
  });

  it('gives doorbell rates only, when the engine does not count messages', () => {
    const r = channelRates(channel([0, 0]), channel([50, 5]), 1);
    expect(r.messagesPerSecond).toEqual([null, null]);
    expect(r.bytesPerSecond).toEqual([null, null]);
    expect(r.doorbellsPerSecond).toEqual([50, 5]);
    expect(r.queueDepth).toEqual([null, null]);
  });
});

describe('utilisation', () => {
  it('is the busy share of the elapsed core time, within 0..1', () => {
    expect(utilisation({ time: 1_000, busy: 500 }, { time: 2_000, busy: 1_250 })).toBe(0.75);
    expect(utilisation(undefined, { time: 2_000, busy: 500 })).toBe(0.25);
    expect(utilisation({ time: 2_000, busy: 0 }, { time: 2_000, busy: 0 })).toBeNull();
  });
});

describe('laneSegments', () => {
  const run = (vm: string, start: number, end: number) => ({ core: 0, vm, vcpu: 0, start, end });

  it('clips runs to the window and scales them to whole pixel columns, leaving idle time empty', () => {
    expect(laneSegments([run('a', -50, 50), run('b', 60, 200)], 0, 100, 1000)).toEqual([
      { x: 0, width: 500, vm: 'a' },
      { x: 600, width: 400, vm: 'b' },
    ]);
  });

  it('merges many short runs of one VM into one rectangle', () => {
    const runs = Array.from({ length: 1000 }, (_, i) => run('a', i * 10, i * 10 + 9));
    expect(laneSegments(runs, 0, 10_000, 100)).toEqual([{ x: 0, width: 100, vm: 'a' }]);
  });

  it('gives each column to the VM that ran most of it, and leaves mostly idle columns empty', () => {
    // Within every column of 10 cycles: a runs 6, b runs 3, idle 1.
    const runs = Array.from({ length: 20 }, (_, i) => [run('a', i * 10, i * 10 + 6), run('b', i * 10 + 6, i * 10 + 9)]).flat();
    expect(laneSegments(runs, 0, 200, 20)).toEqual([{ x: 0, width: 20, vm: 'a', minor: 'b' }]);
    expect(laneSegments([run('a', 0, 3), run('b', 10, 20)], 0, 20, 2)).toEqual([{ x: 1, width: 1, vm: 'b' }]);
  });
});
