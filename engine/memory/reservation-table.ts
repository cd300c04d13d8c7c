// LR/SC reservations shared by all harts: a store sequence number and a lock per address bucket.
//
// LR remembers the bucket's sequence number and the loaded value. Any store that may hit a reserved
// word (its page is flagged PAGE_RESERVED) takes the bucket lock and bumps the sequence, so a later
// SC fails even when the other hart wrote back the very value LR saw (no ABA success).

const BUCKETS = 4096;
const SPINS_BEFORE_YIELD = 64;

export class ReservationTable {
  private readonly words: Int32Array;

  static create(): SharedArrayBuffer {
    return new SharedArrayBuffer(BUCKETS * 2 * 4);
  }

  constructor(readonly buffer: SharedArrayBuffer) {
    this.words = new Int32Array(buffer);
  }

  /** Index of the lock word of the bucket holding a physical byte address; the sequence follows it. */
  bucketOf(physAddr: number): number {
    return ((physAddr >>> 2) & (BUCKETS - 1)) * 2;
  }

  sequence(bucket: number): number {
    return Atomics.load(this.words, bucket + 1);
  }

  lock(bucket: number): void {
    let spins = 0;
    while (Atomics.compareExchange(this.words, bucket, 0, 1) !== 0) {
      // The holder may be a worker the host descheduled: back off instead of burning the core.
      if (++spins > SPINS_BEFORE_YIELD) Atomics.wait(this.words, bucket, 1, 1);
    }
  }

  /** Records a store into the bucket; call with the lock held. */
  bump(bucket: number): void {
    Atomics.add(this.words, bucket + 1, 1);
  }

  unlock(bucket: number): void {
    Atomics.store(this.words, bucket, 0);
    Atomics.notify(this.words, bucket, 1);
  }
}
