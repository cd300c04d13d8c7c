// The per-core record ring: order, wrap-around, and a full ring dropping and counting instead of blocking.

import { describe, expect, it } from 'vitest';
import { TraceRing } from '../../../engine/metrics/trace-ring.js';

describe('trace ring', () => {
  it('hands the host every published record once, in order', () => {
    const ring = new TraceRing(TraceRing.create(8));
    ring.push(10, 1, 2, 30, 0);
    ring.push(11, 2, 3, 7, 120);
    expect(ring.drain()).toEqual([
      { time: 10, kind: 1, subject: 2, a: 30, b: 0 },
      { time: 11, kind: 2, subject: 3, a: 7, b: 120 },
    ]);
    expect(ring.drain()).toEqual([]);
    expect(ring.dropped).toBe(0);
  });

  it('a full ring drops and counts records at once instead of blocking its core', () => {
    const ring = new TraceRing(TraceRing.create(4));
    // Nobody drains it here: a push that waited for the host would never return.
    for (let i = 0; i < 10_000; i++) ring.push(i, 1, 0);
    expect(ring.dropped).toBe(10_000 - 4);
    expect(ring.drain().map((r) => r.time)).toEqual([0, 1, 2, 3]); // the oldest kept, none overwritten
    ring.push(20_000, 1, 0);
    expect(ring.drain().map((r) => r.time)).toEqual([20_000]);
    expect(ring.dropped).toBe(9_996);
  });

  it('keeps working across many laps of its slots', () => {
    const ring = new TraceRing(TraceRing.create(16));
    const seen: number[] = [];
    for (let lap = 0; lap < 1000; lap++) {
      for (let i = 0; i < 11; i++) ring.push(lap * 11 + i, 1, 0);
      seen.push(...ring.drain().map((r) => r.time));
    }
    expect(seen).toEqual(Array.from({ length: 11_000 }, (_, i) => i));
    expect(ring.dropped).toBe(0);
  });

  it('wants a power-of-two capacity', () => {
    expect(() => TraceRing.create(1000)).toThrow(/power of two/);
    expect(new TraceRing(TraceRing.create(1024)).capacity).toBe(1024);
  });
});
