// cyclictest's row layout, with the VM name for the thread id and two percentile columns.

import { describe, expect, it } from 'vitest';
import { formatCyclictestRow, formatCyclictestTable } from '../../../engine/metrics/cyclictest-format.js';
import { LatencyHistogram } from '../../../engine/metrics/latency-histogram.js';

const stats = { count: 100000, min: 3, avg: 4.9, max: 17, p99: 12, p999: 15 };

describe('formatCyclictestRow', () => {
  it('lays a row out like cyclictest, average truncated, then P99 and P99.9', () => {
    expect(formatCyclictestRow({ thread: 0, name: 'rtos', priority: 10, interval: 1000000, act: 5, stats })).toBe(
      'T: 0 (rtos) P:10 I:1000000 C: 100000 Min:      3 Act:    5 Avg:    4 Max:      17 P99:      12 P99.9:      15',
    );
  });

  it('lets wide numbers grow their field, as printf does', () => {
    const row = formatCyclictestRow({
      thread: 12, name: 'linux', priority: 0, interval: 10, act: 123456,
      stats: { count: 12345678, min: 1, avg: 2, max: 123456789, p99: 5, p999: 6 },
    });
    expect(row).toBe('T:12 (linux) P: 0 I:10 C:12345678 Min:      1 Act:123456 Avg:    2 Max:123456789 P99:       5 P99.9:       6');
  });

  it('formats a histogram\'s JSON directly, and a table with one line per row', () => {
    const h = LatencyHistogram.create();
    for (const v of [3, 4, 5]) h.record(v);
    const table = formatCyclictestTable([
      { thread: 0, name: 'a', priority: 1, interval: 100, act: 5, stats: h.toJSON() },
      { thread: 1, name: 'b', priority: 2, interval: 100, act: 0, stats: LatencyHistogram.create().toJSON() },
    ]);
    expect(table.split('\n')).toEqual([
      'T: 0 (a) P: 1 I:100 C:      3 Min:      3 Act:    5 Avg:    4 Max:       5 P99:       5 P99.9:       5',
      'T: 1 (b) P: 2 I:100 C:      0 Min:      0 Act:    0 Avg:    0 Max:       0 P99:       0 P99.9:       0',
      '',
    ]);
  });
});
