// Latency rows in the layout of rt-tests' cyclictest, so real-time engineers read them at a glance.

import type { LatencyHistogramJson } from './latency-histogram.js';

/** One measured task: the fields cyclictest prints, plus its percentiles. */
export interface CyclictestRow {
  /** `T:` the thread (here: vCPU or task) index. */
  thread: number;
  /** In parentheses, where cyclictest prints the thread id: here the VM or task name. */
  name: string;
  /** `P:` the scheduling priority. */
  priority: number;
  /** `I:` the period between deadlines, in the caller's unit (cyclictest: microseconds). */
  interval: number;
  /** `Act:` the latest latency. */
  act: number;
  /** `C:` count, `Min:`, `Avg:`, `Max:`, `P99:` and `P99.9:`, in the same unit as the latencies. */
  stats: Pick<LatencyHistogramJson, 'count' | 'min' | 'avg' | 'max' | 'p99' | 'p999'>;
}

/**
 * One line in cyclictest's non-verbose layout (`T:%2d (%5d) P:%2d I:%ld C:%7lu Min:%7ld Act:%5ld
 * Avg:%5ld Max:%8ld`) with the name in place of the thread id, then `P99:%8ld P99.9:%8ld`:
 *
 *   T: 0 (rtos) P:10 I:1000000 C: 100000 Min:      3 Act:    5 Avg:    4 Max:      17 P99:      12 P99.9:      15
 *
 * Like cyclictest, the average is truncated to an integer; fields wider than their width grow.
 */
export function formatCyclictestRow(row: CyclictestRow): string {
  const { stats } = row;
  return (
    `T:${pad(row.thread, 2)} (${row.name}) P:${pad(row.priority, 2)} I:${whole(row.interval)} C:${pad(stats.count, 7)} ` +
    `Min:${pad(stats.min, 7)} Act:${pad(row.act, 5)} Avg:${pad(Math.trunc(stats.avg), 5)} Max:${pad(stats.max, 8)} ` +
    `P99:${pad(stats.p99, 8)} P99.9:${pad(stats.p999, 8)}`
  );
}

/** Rows, one per line, each ending in a newline. */
export function formatCyclictestTable(rows: readonly CyclictestRow[]): string {
  return rows.map((row) => `${formatCyclictestRow(row)}\n`).join('');
}

function whole(n: number): string {
  return Number.isFinite(n) ? String(Math.trunc(n)) : String(n);
}

function pad(n: number, width: number): string {
  return whole(n).padStart(width);
}
