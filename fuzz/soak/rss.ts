// The resident memory of a process over time, from /proc/PID/status (Linux), and whether it stayed
// flat: after a warm-up, the median of the last minute within a bound of the median of the minute
// after warm-up.

import { readFileSync } from 'node:fs';

export interface RssSample {
  /** Wall seconds since the run started. */
  seconds: number;
  bytes: number;
}

/** VmRSS in bytes, or undefined when the process is gone (or this is not Linux). */
export function readRss(pid: number): number | undefined {
  try {
    const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m === null ? undefined : Number(m[1]) * 1024;
  } catch {
    return undefined;
  }
}

export interface RssVerdict {
  first: number;
  peak: number;
  last: number;
  /** Median after warm-up, and of the last minute. */
  baseline: number;
  end: number;
  ok: boolean;
}

const MINUTE = 60;

/** Warm-up: the first 30 s or tenth of the run, whichever is longer. */
export function rssVerdict(samples: readonly RssSample[], maxGrowthBytes: number): RssVerdict | undefined {
  if (samples.length === 0) return undefined;
  const duration = samples[samples.length - 1].seconds;
  const warm = Math.max(30, duration / 10);
  const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
  const after = samples.filter((s) => s.seconds >= warm && s.seconds < warm + MINUTE).map((s) => s.bytes);
  const last = samples.filter((s) => s.seconds >= duration - MINUTE).map((s) => s.bytes);
  const baseline = median(after.length > 0 ? after : samples.map((s) => s.bytes));
  const end = median(last);
  return {
    first: samples[0].bytes,
    peak: Math.max(...samples.map((s) => s.bytes)),
    last: samples[samples.length - 1].bytes,
    baseline,
    end,
    ok: end - baseline <= maxGrowthBytes,
  };
}
