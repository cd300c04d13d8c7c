// A latency histogram in a SharedArrayBuffer: one worker records cycle counts, the host reads percentiles without messages.

import { contractBroken } from '../memory/contracts.js';

/** Values below this have a bucket each. */
export const EXACT_LIMIT = 1024;
const EXACT_BITS = 10;
/** Above EXACT_LIMIT each power of two [2^e, 2^(e+1)) splits into this many equal buckets (under 1.6 % wide). */
export const SUB_BUCKETS = 64;
const SUB_BITS = 6;
/** The largest value recorded exactly (2^53 - 1); larger ones are refused. */
export const MAX_LATENCY = Number.MAX_SAFE_INTEGER;
const TOP_EXPONENT = 52;
export const BUCKET_COUNT = EXACT_LIMIT + (TOP_EXPONENT - EXACT_BITS + 1) * SUB_BUCKETS;

/*
 * Shared layout: Int32 [layout tag, sequence, writer collisions, unused], then Float64 [count, sum,
 * min, max], then one Float64 count per bucket. Float64 counts stay exact up to 2^53, so they do not
 * overflow in practice. One writer at a time: the sequence is odd while a write is in progress (a
 * seqlock), and readers copy until they see the same even sequence before and after. A writer that
 * finds the sequence odd has met another writer: the contract is broken, and it is counted.
 */
const LAYOUT_TAG = 0x4c48_0002; // "HL", layout 2
const SEQ = 1;
const COLLISIONS = 2;
const HEADER_INTS = 4;
const HEADER_BYTES = HEADER_INTS * 4;
const COUNT = 0;
const SUM = 1;
const MIN = 2;
const MAX = 3;
const TOTALS = 4;
const BUCKETS_OFFSET = HEADER_BYTES + TOTALS * 8;
export const LATENCY_HISTOGRAM_BYTES = BUCKETS_OFFSET + BUCKET_COUNT * 8;
/** A reader gives up waiting for a quiet moment after this many tries and uses its last copy. */
const READ_RETRIES = 1000;

/** A histogram as JSON: exact count/min/avg/max, bucket-based percentiles, and the non-empty buckets. */
export interface LatencyHistogramJson {
  count: number;
  min: number;
  avg: number;
  max: number;
  p50: number;
  p99: number;
  p999: number;
  /** [upperBound, count] for each non-empty bucket in increasing order; upperBound is inclusive. */
  buckets: [number, number][];
}

/** Bucket index of a value in 0..MAX_LATENCY. */
export function bucketIndex(value: number): number {
  if (value < EXACT_LIMIT) return value;
  const exponent = value < 2 ** 32 ? 31 - Math.clz32(value) : 63 - Math.clz32(Math.floor(value / 2 ** 32));
  const sub = Math.floor(value / 2 ** (exponent - SUB_BITS)) - SUB_BUCKETS;
  return EXACT_LIMIT + (exponent - EXACT_BITS) * SUB_BUCKETS + sub;
}

/** The smallest value in bucket `index`. */
export function bucketLowerBound(index: number): number {
  if (index < EXACT_LIMIT) return index;
  const exponent = EXACT_BITS + Math.floor((index - EXACT_LIMIT) / SUB_BUCKETS);
  const sub = (index - EXACT_LIMIT) % SUB_BUCKETS;
  return (SUB_BUCKETS + sub) * 2 ** (exponent - SUB_BITS);
}

/** The largest value in bucket `index` (inclusive). */
export function bucketUpperBound(index: number): number {
  if (index < EXACT_LIMIT) return index;
  const exponent = EXACT_BITS + Math.floor((index - EXACT_LIMIT) / SUB_BUCKETS);
  return bucketLowerBound(index) + 2 ** (exponent - SUB_BITS) - 1;
}

/** ceil(p% of count), without letting binary fractions (99.9 % of 1000 = 999.0000000000001) push it one rank up. */
function nearestRank(p: number, count: number): number {
  const exact = (p / 100) * count;
  const nearest = Math.round(exact);
  return Math.abs(exact - nearest) <= 1e-9 * Math.max(1, exact) ? nearest : Math.ceil(exact);
}

/** A consistent copy of a histogram's numbers, read once and queried many times. */
export class LatencySnapshot {
  constructor(
    readonly count: number,
    readonly sum: number,
    /** 0 when empty. */
    readonly min: number,
    /** 0 when empty. */
    readonly max: number,
    /** Count per bucket, BUCKET_COUNT long. */
    readonly buckets: Float64Array,
  ) {}

  get avg(): number {
    return this.count === 0 ? 0 : this.sum / this.count;
  }

  /**
   * The nearest-rank percentile (`p` in 0..100): the upper bound of the bucket holding the
   * ceil(p% * count)-th smallest value, clamped to [min, max]. Exact below EXACT_LIMIT; above it,
   * never below the true value and at most 1/64 above it. 0 when empty.
   */
  percentile(p: number): number {
    if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile ${p} is not in 0..100`);
    if (this.count === 0) return 0;
    const rank = Math.max(1, nearestRank(p, this.count));
    let seen = 0;
    for (let i = 0; i < BUCKET_COUNT; i++) {
      seen += this.buckets[i];
      if (seen >= rank) return Math.min(Math.max(bucketUpperBound(i), this.min), this.max);
    }
    return this.max;
  }

  toJSON(): LatencyHistogramJson {
    const buckets: [number, number][] = [];
    for (let i = 0; i < BUCKET_COUNT; i++) {
      if (this.buckets[i] !== 0) buckets.push([bucketUpperBound(i), this.buckets[i]]);
    }
    return {
      count: this.count,
      min: this.min,
      avg: this.avg,
      max: this.max,
      p50: this.percentile(50),
      p99: this.percentile(99),
      p999: this.percentile(99.9),
      buckets,
    };
  }
}

/**
 * Latencies in cycles (non-negative safe integers). Exact count, sum, min and max; percentiles
 * from buckets exact below EXACT_LIMIT and HDR-style (SUB_BUCKETS per power of two) above.
 * Lives in a SharedArrayBuffer: `create()` in one thread, `attach(histogram.buffer)` in another.
 * Only one thread may write (record, merge, reset) to a given histogram; any number may read.
 */
export class LatencyHistogram {
  private readonly header: Int32Array;
  private readonly totals: Float64Array;
  private readonly buckets: Float64Array;

  static create(): LatencyHistogram {
    const histogram = new LatencyHistogram(new SharedArrayBuffer(LATENCY_HISTOGRAM_BYTES));
    histogram.header[0] = LAYOUT_TAG;
    histogram.clear();
    return histogram;
  }

  static attach(sab: SharedArrayBuffer): LatencyHistogram {
    if (sab.byteLength !== LATENCY_HISTOGRAM_BYTES || new Int32Array(sab, 0, 1)[0] !== LAYOUT_TAG) {
      throw new RangeError(`not a latency histogram buffer (${sab.byteLength} bytes)`);
    }
    return new LatencyHistogram(sab);
  }

  private constructor(readonly buffer: SharedArrayBuffer) {
    this.header = new Int32Array(buffer, 0, HEADER_INTS);
    this.totals = new Float64Array(buffer, HEADER_BYTES, TOTALS);
    this.buckets = new Float64Array(buffer, BUCKETS_OFFSET, BUCKET_COUNT);
  }

  /** Adds one latency; throws a RangeError unless it is an integer in 0..MAX_LATENCY. */
  record(cycles: number): void {
    if (!Number.isSafeInteger(cycles) || cycles < 0) throw new RangeError(`latency ${cycles} is not a non-negative safe integer`);
    const t = this.totals;
    this.beginWrite();
    t[COUNT]++;
    t[SUM] += cycles;
    if (cycles < t[MIN]) t[MIN] = cycles;
    if (cycles > t[MAX]) t[MAX] = cycles;
    this.buckets[bucketIndex(cycles)]++;
    Atomics.add(this.header, SEQ, 1);
  }

  /** Adds every sample of `other` (which may be written concurrently by its own writer). */
  merge(other: LatencyHistogram): void {
    const s = other.snapshot();
    if (s.count === 0) return;
    const t = this.totals;
    this.beginWrite();
    t[COUNT] += s.count;
    t[SUM] += s.sum;
    if (s.min < t[MIN]) t[MIN] = s.min;
    if (s.max > t[MAX]) t[MAX] = s.max;
    for (let i = 0; i < BUCKET_COUNT; i++) this.buckets[i] += s.buckets[i];
    Atomics.add(this.header, SEQ, 1);
  }

  reset(): void {
    this.beginWrite();
    this.clear();
    Atomics.add(this.header, SEQ, 1);
  }

  /** Writes that met another writer in progress (the one-writer contract broken): 0 in a correct system. */
  get collisions(): number {
    return Atomics.load(this.header, COLLISIONS);
  }

  /** Opens a write (the sequence turns odd); another write still open means two writers at once. */
  private beginWrite(): void {
    if ((Atomics.add(this.header, SEQ, 1) & 1) === 0) return;
    Atomics.add(this.header, COLLISIONS, 1);
    contractBroken('two writers at once on a latency histogram');
  }

  /** A consistent copy, safe to take while the writer records. */
  snapshot(): LatencySnapshot {
    const buckets = new Float64Array(BUCKET_COUNT);
    const totals = this.consistentCopy(buckets);
    const count = totals[COUNT];
    return new LatencySnapshot(count, totals[SUM], count === 0 ? 0 : totals[MIN], count === 0 ? 0 : totals[MAX], buckets);
  }

  get count(): number {
    return this.readTotals()[COUNT];
  }

  get sum(): number {
    return this.readTotals()[SUM];
  }

  /** 0 when empty. */
  get min(): number {
    const t = this.readTotals();
    return t[COUNT] === 0 ? 0 : t[MIN];
  }

  /** 0 when empty. */
  get max(): number {
    const t = this.readTotals();
    return t[COUNT] === 0 ? 0 : t[MAX];
  }

  /** sum / count, 0 when empty. */
  get avg(): number {
    const t = this.readTotals();
    return t[COUNT] === 0 ? 0 : t[SUM] / t[COUNT];
  }

  /** See LatencySnapshot.percentile; takes a fresh snapshot (use snapshot() for several). */
  percentile(p: number): number {
    return this.snapshot().percentile(p);
  }

  toJSON(): LatencyHistogramJson {
    return this.snapshot().toJSON();
  }

  private readTotals(): Float64Array {
    return this.consistentCopy(undefined);
  }

  /**
   * Copies the totals (and the buckets into `buckets`) between two equal, even sequence numbers,
   * copying buckets only up to the one holding max. If the writer never pauses long enough, the
   * last copy is used with its count taken from its buckets, so percentiles still agree with it.
   */
  private consistentCopy(buckets: Float64Array | undefined): Float64Array {
    const totals = new Float64Array(TOTALS);
    for (let attempt = 0; attempt < READ_RETRIES; attempt++) {
      const before = Atomics.load(this.header, SEQ);
      if ((before & 1) !== 0) continue;
      totals.set(this.totals);
      if (buckets !== undefined) {
        const max = totals[MAX];
        const end = totals[COUNT] > 0 && Number.isSafeInteger(max) && max >= 0 ? bucketIndex(max) + 1 : 0;
        buckets.set(this.buckets.subarray(0, end));
        buckets.fill(0, end);
      }
      if (Atomics.load(this.header, SEQ) === before) return totals;
    }
    totals.set(this.totals);
    if (buckets !== undefined) {
      buckets.set(this.buckets);
      totals[COUNT] = buckets.reduce((sum, n) => sum + n, 0);
    }
    return totals;
  }

  private clear(): void {
    this.totals[COUNT] = 0;
    this.totals[SUM] = 0;
    this.totals[MIN] = Infinity;
    this.totals[MAX] = -Infinity;
    this.buckets.fill(0);
  }
}
