// ByteRing: a bounded shared byte FIFO, alone and with two producer workers racing.

import { describe, expect, it } from 'vitest';
import { ByteRing } from '../../../engine/memory/byte-ring.js';
import { runInWorker } from '../../fixtures/ts-worker.js';

describe('ByteRing', () => {
  it('pops bytes in the order they were pushed, and -1 when empty', () => {
    const ring = ByteRing.create(8);
    expect(ring.pop()).toBe(-1);
    for (const b of [1, 2, 255]) expect(ring.tryPush(b)).toBe(true);
    expect([ring.pop(), ring.pop(), ring.pop(), ring.pop()]).toEqual([1, 2, 255, -1]);
  });

  it('holds exactly its capacity, even when that is not a power of two', () => {
    const ring = ByteRing.create(5);
    for (let i = 0; i < 5; i++) expect(ring.tryPush(i)).toBe(true);
    expect(ring.tryPush(99)).toBe(false);
    expect(ring.size).toBe(5);
    expect(ring.available).toBe(0);
    expect(ring.pop()).toBe(0);
    expect(ring.available).toBe(1);
  });

  it('stores bytes modulo 256', () => {
    const ring = ByteRing.create(2);
    ring.tryPush(0x1ff);
    expect(ring.pop()).toBe(0xff);
  });

  it('keeps order across many wrap-arounds of its slots', () => {
    const ring = ByteRing.create(3);
    const seen: number[] = [];
    for (let i = 0; i < 1000; i++) {
      ring.tryPush(i & 0xff);
      if (i % 2 === 1) seen.push(...ring.drain());
    }
    expect(seen).toEqual(Array.from({ length: 1000 }, (_, i) => i & 0xff));
  });

  it('drain takes everything queued, or at most max bytes', () => {
    const ring = ByteRing.create(16);
    ring.pushBytes(new Uint8Array([10, 20, 30, 40]));
    expect([...ring.drain(3)]).toEqual([10, 20, 30]);
    expect([...ring.drain()]).toEqual([40]);
    expect(ring.drain().length).toBe(0);
  });

  it('pushBytes queues the prefix that fits and says how many', () => {
    const ring = ByteRing.create(3);
    expect(ring.pushBytes(new Uint8Array([1, 2, 3, 4, 5]))).toBe(3);
    expect([...ring.drain()]).toEqual([1, 2, 3]);
  });

  it('push gives up after waitMs when nobody drains a full ring', () => {
    const ring = ByteRing.create(1);
    expect(ring.push(1, 0)).toBe(true);
    expect(ring.push(2, 5)).toBe(false);
    expect(ring.size).toBe(1);
  });

  it('a ring attached to the same buffer sees the same bytes', () => {
    const producer = ByteRing.create(4);
    const consumer = new ByteRing(producer.buffer);
    producer.tryPush(42);
    expect(consumer.capacity).toBe(4);
    expect(consumer.pop()).toBe(42);
    expect(producer.size).toBe(0);
  });

  it('rejects a capacity below 1 and a buffer that is not a ring', () => {
    expect(() => ByteRing.create(0)).toThrow(RangeError);
    expect(() => new ByteRing(new SharedArrayBuffer(16 + 6))).toThrow(RangeError);
  });

  // Each producer tags its bytes (bit 7) and counts 0..127 in the low bits, so the consumer can
  // check that every producer's stream arrived complete, once, and in order.
  const producerBody = `
    const { ByteRing } = engine('memory/byte-ring.ts');
    const ring = new ByteRing(workerData.buffer);
    const gate = new Int32Array(workerData.gate);
    Atomics.add(gate, 0, 1);
    Atomics.wait(gate, 1, 0);
    for (let i = 0; i < workerData.count; i++) {
      const byte = (workerData.id << 7) | (i & 0x7f);
      if (workerData.mode === 'spin') {
        while (!ring.tryPush(byte));
      } else if (workerData.mode === 'bytes') {
        if (ring.pushBytes(new Uint8Array([byte]), 10_000) !== 1) throw new Error('pushBytes timed out');
      } else if (!ring.push(byte, 10_000)) {
        throw new Error('push timed out');
      }
    }
    return workerData.count;
  `;

  async function raceTwoProducers(capacity: number, perProducer: number, modes: [string, string]) {
    const ring = ByteRing.create(capacity);
    // A start gate, so both producers run at once rather than one after the other's start-up.
    const gate = new Int32Array(new SharedArrayBuffer(8));
    const producers = modes.map((mode, id) =>
      runInWorker<number>(producerBody, { buffer: ring.buffer, gate: gate.buffer, count: perProducer, id, mode }),
    );
    let settled = false;
    const finished = Promise.allSettled(producers).then(() => (settled = true));
    while (Atomics.load(gate, 0) < 2 && !settled) await new Promise((resolve) => setTimeout(resolve, 1));
    Atomics.store(gate, 1, 1);
    Atomics.notify(gate, 1);

    const next = [0, 0];
    let outOfOrder: string | undefined;
    const consume = (bytes: Uint8Array): void => {
      for (const byte of bytes) {
        const id = byte >> 7;
        if ((byte & 0x7f) !== (next[id] & 0x7f)) outOfOrder ??= `producer ${id}: byte ${next[id]} out of order`;
        next[id]++;
      }
    };
    const total = 2 * perProducer;
    const deadline = Date.now() + 30_000;
    while (next[0] + next[1] < total && !settled && Date.now() < deadline) {
      consume(ring.drain(total));
      // Yield to the event loop so a worker's failure is seen, instead of spinning to the deadline.
      if (ring.size === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await finished;
    expect(await Promise.all(producers)).toEqual([perProducer, perProducer]);
    consume(ring.drain(total));
    return { outOfOrder, next, leftOver: ring.size };
  }

  it('loses and duplicates no byte with two producer workers pushing flat out', async () => {
    const result = await raceTwoProducers(4096, 200_000, ['spin', 'spin']);
    expect(result).toEqual({ outOfOrder: undefined, next: [200_000, 200_000], leftOver: 0 });
  });

  it('wakes producer workers sleeping on a full ring as the consumer drains it', async () => {
    const result = await raceTwoProducers(16, 50_000, ['wait', 'bytes']);
    expect(result).toEqual({ outOfOrder: undefined, next: [50_000, 50_000], leftOver: 0 });
  });
});
