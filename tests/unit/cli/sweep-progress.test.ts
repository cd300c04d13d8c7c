// The sweep's progress line: bar, counts, times and the estimate of what is left.

import { describe, expect, it } from 'vitest';
import { estimateRemainingMs, formatDuration, formatProgress } from '../../../engine/cli/sweep-progress.js';

describe('formatProgress', () => {
  it('shows bar, runs, elapsed, remaining and the current run', () => {
    expect(formatProgress({ done: 4, total: 10, elapsedMs: 65_000, remainingMs: 98_000, current: 'cores=2 quantum=10000', width: 20 })).toBe(
      '[########............] 4/10 runs  elapsed 1:05  remaining ~1:38  cores=2 quantum=10000',
    );
  });

  it('defaults to 24 cells, and fills the bar only when done', () => {
    const bar = (done: number, total: number) => /^\[([#.]*)\]/.exec(formatProgress({ done, total, elapsedMs: 0, remainingMs: 0 }))![1];
    expect(bar(0, 10)).toBe('.'.repeat(24));
    expect(bar(9, 10)).toBe('#'.repeat(21) + '...');
    expect(bar(10, 10)).toBe('#'.repeat(24));
    expect(bar(12, 10)).toBe('#'.repeat(24));
    expect(bar(0, 0)).toBe('.'.repeat(24));
  });

  it('says "remaining ?" until it can estimate, and omits an absent current run', () => {
    expect(formatProgress({ done: 0, total: 3, elapsedMs: 1_000, remainingMs: undefined, width: 3 })).toBe(
      '[...] 0/3 runs  elapsed 0:01  remaining ?',
    );
    expect(formatProgress({ done: 0, total: 3, elapsedMs: 0, remainingMs: NaN, width: 3 })).toContain('remaining ?');
  });
});

describe('formatDuration', () => {
  it('writes m:ss below an hour and h:mm:ss from one on', () => {
    expect([0, 999, 5_000, 59_400, 65_000, 600_000, 3_599_000, 3_600_000, 3_661_000, 36_005_000].map(formatDuration)).toEqual(
      ['0:00', '0:01', '0:05', '0:59', '1:05', '10:00', '59:59', '1:00:00', '1:01:01', '10:00:05'],
    );
  });

  it('shows nonsense durations as 0:00', () => {
    expect([-5_000, NaN, Infinity].map(formatDuration)).toEqual(['0:00', '0:00', '0:00']);
  });
});

describe('estimateRemainingMs', () => {
  it('is the mean finished run time times the runs left', () => {
    expect(estimateRemainingMs([1_000, 3_000], 5)).toBe(10_000);
    expect(estimateRemainingMs([2_000], 0)).toBe(0);
  });

  it('is unknown before any run finished', () => {
    expect(estimateRemainingMs([], 5)).toBeUndefined();
  });
});
