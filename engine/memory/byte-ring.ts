// A bounded byte FIFO in a SharedArrayBuffer: many producers, one consumer, across workers.

/*
 * Layout: an Int32 header, then the data bytes.
 *   head, tail  free-running 32-bit counters (they wrap); size = tail - head (mod 2^32)
 *   lock        the producers' spinlock (0 free, 1 held)
 *   capacity    the usable byte count (the data area is the next power of two, so a
 *               wrapping counter maps to a slot with one mask)
 * Producers serialise on the lock and publish with an atomic store of `tail`; the consumer
 * publishes freed space with an atomic store of `head`. Those stores order the plain byte
 * accesses around them, so the data area itself needs no Atomics.
 */
const HEAD = 0;
const TAIL = 1;
const LOCK = 2;
const CAPACITY = 3;
const HEADER_BYTES = 16;

const UNLOCKED = 0;
const LOCKED = 1;

export class ByteRing {
  private readonly control: Int32Array;
  private readonly data: Uint8Array;
  private readonly mask: number;
  /** Usable bytes; the data area may be larger (rounded up to a power of two). */
  readonly capacity: number;

  /** Allocates a ring that holds up to `capacity` bytes. */
  static create(capacity: number): ByteRing {
    if (!Number.isInteger(capacity) || capacity < 1 || capacity > 0x4000_0000) {
      throw new RangeError(`ByteRing capacity must be an integer in 1..2^30, got ${capacity}`);
    }
    let slots = 1;
    while (slots < capacity) slots *= 2;
    const sab = new SharedArrayBuffer(HEADER_BYTES + slots);
    new Int32Array(sab, 0, HEADER_BYTES / 4)[CAPACITY] = capacity;
    return new ByteRing(sab);
  }

  /** Attaches to a ring created elsewhere (possibly in another worker). */
  constructor(sab: SharedArrayBuffer) {
    this.control = new Int32Array(sab, 0, HEADER_BYTES / 4);
    this.data = new Uint8Array(sab, HEADER_BYTES);
    const slots = this.data.length;
    this.capacity = this.control[CAPACITY]!;
    if (slots === 0 || (slots & (slots - 1)) !== 0 || this.capacity < 1 || this.capacity > slots) {
      throw new RangeError('SharedArrayBuffer does not hold a ByteRing');
    }
    this.mask = slots - 1;
  }

  /** The shared buffer, to hand to another worker. */
  get buffer(): SharedArrayBuffer {
    return this.control.buffer as SharedArrayBuffer;
  }

  /** Bytes queued (a snapshot: other workers may change it at once). */
  get size(): number {
    // head first: tail never falls behind a head read earlier, so the difference cannot go
    // negative; it can overshoot while both move, hence the clamp.
    const head = Atomics.load(this.control, HEAD);
    return Math.min((Atomics.load(this.control, TAIL) - head) >>> 0, this.capacity);
  }

  /** Bytes that can be pushed before the ring is full. */
  get available(): number {
    return this.capacity - this.size;
  }

  /** Queues one byte; false when the ring is full. */
  tryPush(byte: number): boolean {
    this.lock();
    try {
      const tail = Atomics.load(this.control, TAIL);
      if (((tail - Atomics.load(this.control, HEAD)) >>> 0) >= this.capacity) return false;
      this.data[tail & this.mask] = byte;
      Atomics.store(this.control, TAIL, (tail + 1) | 0);
      return true;
    } finally {
      this.unlock();
    }
  }

  /**
   * Queues one byte, sleeping (Atomics.wait, so not on a browser's main thread) while the ring
   * is full. False only if it is still full after `waitMs`.
   */
  push(byte: number, waitMs: number): boolean {
    const deadline = Date.now() + waitMs;
    for (;;) {
      if (this.tryPush(byte)) return true;
      if (!this.waitForSpace(deadline)) return false;
    }
  }

  /**
   * Queues as many of `bytes` as fit, waiting up to `waitMs` in total for space; returns how
   * many were queued (a prefix of `bytes`). A call's bytes stay contiguous in the ring unless
   * it had to wait for space part-way.
   */
  pushBytes(bytes: Uint8Array, waitMs = 0): number {
    const deadline = Date.now() + waitMs;
    let done = 0;
    for (;;) {
      done += this.pushSome(bytes, done);
      if (done === bytes.length) return done;
      if (!this.waitForSpace(deadline)) return done;
    }
  }

  /** Takes the oldest byte; -1 when empty. */
  pop(): number {
    // A compare-exchange on head (rather than a plain store) keeps two accidental consumers,
    // e.g. two harts reading the UART at once, from both taking the same byte.
    for (;;) {
      const head = Atomics.load(this.control, HEAD);
      if (head === Atomics.load(this.control, TAIL)) return -1;
      const byte = this.data[head & this.mask];
      if (Atomics.compareExchange(this.control, HEAD, head, (head + 1) | 0) === head) {
        Atomics.notify(this.control, HEAD);
        return byte;
      }
    }
  }

  /** Takes up to `max` bytes (all queued bytes by default), oldest first. */
  drain(max = Number.POSITIVE_INFINITY): Uint8Array {
    for (;;) {
      const head = Atomics.load(this.control, HEAD);
      const count = Math.min(max, (Atomics.load(this.control, TAIL) - head) >>> 0);
      const out = new Uint8Array(count);
      for (let i = 0; i < count; i++) out[i] = this.data[(head + i) & this.mask]!;
      if (count === 0) return out;
      if (Atomics.compareExchange(this.control, HEAD, head, (head + count) | 0) === head) {
        Atomics.notify(this.control, HEAD);
        return out;
      }
    }
  }

  private pushSome(bytes: Uint8Array, from: number): number {
    this.lock();
    try {
      const tail = Atomics.load(this.control, TAIL);
      const free = this.capacity - ((tail - Atomics.load(this.control, HEAD)) >>> 0);
      const count = Math.min(free, bytes.length - from);
      for (let i = 0; i < count; i++) this.data[(tail + i) & this.mask] = bytes[from + i]!;
      if (count > 0) Atomics.store(this.control, TAIL, (tail + count) | 0);
      return count;
    } finally {
      this.unlock();
    }
  }

  /**
   * Sleeps until the consumer frees space or the deadline passes; false once past it.
   * It waits on `head`, the word the consumer changes: a wake-up that lands between our
   * "full" check and the wait then shows up as a changed value instead of being lost.
   */
  private waitForSpace(deadline: number): boolean {
    const head = Atomics.load(this.control, HEAD);
    if (((Atomics.load(this.control, TAIL) - head) >>> 0) < this.capacity) return true;
    const remaining = deadline - Date.now();
    if (remaining <= 0) return false;
    Atomics.wait(this.control, HEAD, head, remaining);
    return true;
  }

  private lock(): void {
    // Critical sections are a handful of stores, so spinning beats sleeping here.
    while (Atomics.compareExchange(this.control, LOCK, UNLOCKED, LOCKED) !== UNLOCKED) {
      /* spin */
    }
  }

  private unlock(): void {
    Atomics.store(this.control, LOCK, UNLOCKED);
  }
}
