// Pure data transforms from successive samples to what the charts draw: rates, per-interval latency,
// decimated series, histogram bars and timeline segments. No DOM here, so they are unit-tested.

import type { ChannelSample, LatencyJson, RunSpan } from '../shared/monitor-types.js';

export interface Point {
  x: number;
  y: number;
}

/** Change per second between two cumulative readings; null when no time passed or the counter went back (a restart). */
export function ratePerSecond(previous: number, current: number, seconds: number): number | null {
  if (!(seconds > 0) || current < previous) return null;
  return (current - previous) / seconds;
}

export interface IntervalLatency {
  count: number;
  min: number;
  avg: number;
  max: number;
}

/**
 * Latency of the interrupts taken between two cumulative histograms: count and average from the
 * totals, min and max from the buckets that grew (exact below 1024 cycles, bucket bounds above).
 * Null when no interrupt arrived, or the histogram was reset (VM restarted).
 */
export function intervalLatency(previous: LatencyJson | undefined, current: LatencyJson): IntervalLatency | null {
  const before = previous ?? { count: 0, avg: 0, buckets: [] as [number, number][] };
  const count = current.count - before.count;
  if (count <= 0) return null;
  const earlier = new Map(before.buckets);
  let min = Infinity;
  let max = -Infinity;
  let previousBound = -1;
  for (const [upper, n] of current.buckets) {
    if (n - (earlier.get(upper) ?? 0) > 0) {
      min = Math.min(min, previousBound + 1);
      max = Math.max(max, upper);
    }
    previousBound = upper;
  }
  if (min === Infinity) return null;
  // Exact extremes of the whole run bound the interval's too.
  min = Math.max(min, current.min);
  max = Math.min(max, current.max);
  const avg = (current.avg * current.count - before.avg * before.count) / count;
  return { count, min, avg: Math.min(Math.max(avg, min), max), max };
}

/**
 * At most `maxPoints` points keeping each bucket's first, minimum and maximum, so spikes survive
 * (min/max decimation). Points must be in increasing x.
 */
export function decimateMinMax(points: readonly Point[], maxPoints: number): Point[] {
  if (points.length <= maxPoints) return points.slice();
  const buckets = Math.max(1, Math.floor(maxPoints / 3));
  const size = points.length / buckets;
  const out: Point[] = [];
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor(b * size);
    const to = Math.min(points.length, Math.floor((b + 1) * size));
    if (from >= to) continue;
    let lo = from;
    let hi = from;
    for (let i = from; i < to; i++) {
      if (points[i].y < points[lo].y) lo = i;
      if (points[i].y > points[hi].y) hi = i;
    }
    for (const i of [...new Set([from, lo, hi])].sort((a, c) => a - c)) out.push(points[i]);
  }
  return out;
}

/** A series that keeps the points of the last `windowSeconds` of x. */
export class SlidingSeries {
  private points: Point[] = [];

  constructor(private readonly windowSeconds: number) {}

  push(point: Point): void {
    this.points.push(point);
    const oldest = point.x - this.windowSeconds;
    let drop = 0;
    while (drop < this.points.length && this.points[drop].x < oldest) drop++;
    if (drop > 0) this.points.splice(0, drop);
  }

  get length(): number {
    return this.points.length;
  }

  last(): Point | undefined {
    return this.points.at(-1);
  }

  view(maxPoints: number): Point[] {
    return decimateMinMax(this.points, maxPoints);
  }

  clear(): void {
    this.points = [];
  }
}

export interface HistogramBar {
  /** Upper bounds (cycles) of the first and last bucket in the bar. */
  from: number;
  to: number;
  count: number;
}

/**
 * Merges runs of adjacent non-empty buckets into at most `maxBars` bars. A bar is labelled by the
 * upper bounds of its first and last bucket (exact values below 1024 cycles).
 */
export function histogramBars(buckets: readonly [number, number][], maxBars: number): HistogramBar[] {
  const perBar = Math.ceil(buckets.length / Math.max(1, maxBars));
  const bars: HistogramBar[] = [];
  for (let i = 0; i < buckets.length; i += perBar) {
    const group = buckets.slice(i, i + perBar);
    bars.push({ from: group[0][0], to: group.at(-1)![0], count: group.reduce((sum, [, n]) => sum + n, 0) });
  }
  return bars;
}

export interface ChannelRates {
  name: string;
  endpoints: [string, string];
  /** Per direction (endpoint 0 to 1, 1 to 0); null where the engine does not measure messages. */
  messagesPerSecond: [number | null, number | null];
  bytesPerSecond: [number | null, number | null];
  doorbellsPerSecond: [number | null, number | null];
  queueDepth: [number | null, number | null];
  /** Average latency of the interval's messages per direction (cycles), null without messages. */
  latencyAvg: [number | null, number | null];
  latencyP99: [number | null, number | null];
}

export function channelRates(previous: ChannelSample | undefined, current: ChannelSample, seconds: number): ChannelRates {
  const pair = <T>(f: (i: 0 | 1) => T): [T, T] => [f(0), f(1)];
  const flows = current.flows;
  const before = previous?.flows;
  return {
    name: current.name,
    endpoints: current.endpoints,
    messagesPerSecond: pair((i) => (flows && before ? ratePerSecond(before[i].messages, flows[i].messages, seconds) : null)),
    bytesPerSecond: pair((i) => (flows && before ? ratePerSecond(before[i].bytes, flows[i].bytes, seconds) : null)),
    doorbellsPerSecond: pair((i) => (previous ? ratePerSecond(previous.doorbells[i], current.doorbells[i], seconds) : null)),
    queueDepth: pair((i) => (flows ? flows[i].queueDepth : null)),
    latencyAvg: pair((i) => (flows ? intervalLatency(before?.[i].latency, flows[i].latency)?.avg ?? null : null)),
    latencyP99: pair((i) => (flows && flows[i].latency.count > 0 ? flows[i].latency.p99 : null)),
  };
}

/** Share of a core's time spent running vCPUs between two samples, 0..1; null when its clock did not move. */
export function utilisation(previous: { time: number; busy: number } | undefined, current: { time: number; busy: number }): number | null {
  if (previous === undefined) return current.time > 0 ? Math.min(1, current.busy / current.time) : null;
  const elapsed = current.time - previous.time;
  if (!(elapsed > 0)) return null;
  return Math.min(1, Math.max(0, (current.busy - previous.busy) / elapsed));
}

export interface LaneSegment {
  x: number;
  width: number;
  /** The VM that ran most of these columns. */
  vm: string;
  /** Another VM that ran in them too (drawn as a thin strip, so short frequent runs stay visible). */
  minor?: string;
}

/**
 * The runs of one core drawn over [from, to) on whole pixel columns: each column shows the VM that
 * ran most of its time (idle when runs cover less than half of it) and the next busiest VM as its
 * minor one, and equal neighbours merge. So a core switching VMs every microsecond costs at most one
 * rectangle per column, in clear colours, and a 1 kHz real-time task still shows.
 */
export function laneSegments(runs: readonly RunSpan[], from: number, to: number, pixels: number): LaneSegment[] {
  const span = to - from;
  const columns = Math.floor(pixels);
  if (!(span > 0) || columns <= 0) return [];
  const scale = columns / span;
  const coverage = new Map<string, Float64Array>();
  for (const run of runs) {
    if (run.end <= from || run.start >= to) continue;
    let cover = coverage.get(run.vm);
    if (cover === undefined) coverage.set(run.vm, (cover = new Float64Array(columns)));
    const x0 = (Math.max(run.start, from) - from) * scale;
    const x1 = Math.min((Math.min(run.end, to) - from) * scale, columns);
    for (let c = Math.floor(x0); c < x1; c++) cover[c] += Math.min(x1, c + 1) - Math.max(x0, c);
  }
  const out: LaneSegment[] = [];
  for (let c = 0; c < columns; c++) {
    let vm: string | undefined;
    let minor: string | undefined;
    let best = 0;
    let second = 0;
    let total = 0;
    for (const [name, cover] of coverage) {
      const value = cover[c];
      total += value;
      if (value > best) {
        [minor, second] = [vm, best];
        [vm, best] = [name, value];
      } else if (value > second) {
        [minor, second] = [name, value];
      }
    }
    if (vm === undefined || total < 0.5) continue;
    const last = out.at(-1);
    if (last !== undefined && last.vm === vm && last.minor === minor && last.x + last.width === c) last.width++;
    else out.push({ x: c, width: 1, vm, ...(minor !== undefined ? { minor } : {}) });
  }
  return out;
}

/** The rate of a cumulative counter over about the last `windowSeconds`, steadier than sample to sample. */
export class WindowedRate {
  private readings: Point[] = [];

  constructor(private readonly windowSeconds: number) {}

  /** Adds a reading (x: seconds, y: counter) and returns the rate per second, or null without two readings. */
  push(seconds: number, value: number): number | null {
    const last = this.readings.at(-1);
    if (last !== undefined && (value < last.y || seconds < last.x)) this.readings = []; // a reset (restart)
    this.readings.push({ x: seconds, y: value });
    while (this.readings.length > 2 && seconds - this.readings[1].x >= this.windowSeconds) this.readings.shift();
    const first = this.readings[0];
    return ratePerSecond(first.y, value, seconds - first.x);
  }
}
