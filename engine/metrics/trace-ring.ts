// A single-producer record ring in shared memory: a core worker appends records, the host drains
// them. A full ring never blocks its core: the record is dropped and counted instead.

import { contractBroken, contractChecks } from '../memory/contracts.js';

/** Numbers per record: time (virtual cycles), kind, subject (vCPU or VM index), two arguments. */
export const TRACE_FIELDS = 5;
const HEADER_INTS = 4; // written, read, dropped, producing (while contract checks are on)
const WRITTEN = 0;
const READ = 1;
const DROPPED = 2;
const PRODUCING = 3;

/** Records per core while tracing: 64 Ki records (2.5 MiB) hold far more than one 10 ms poll brings. */
export const TRACE_RING_RECORDS = 65536;
/** Records per core while nobody traces: nothing is pushed then. */
export const IDLE_TRACE_RING_RECORDS = 16;
/** Records per core for lifecycle events (faults, exits, restarts): few, and never to be lost. */
export const LIFECYCLE_RING_RECORDS = 4096;

export interface TraceRecord {
  time: number;
  kind: number;
  subject: number;
  a: number;
  b: number;
}

export class TraceRing {
  private readonly header: Int32Array;
  private readonly records: Float64Array;
  readonly capacity: number;
  private readonly mask: number;

  static create(capacity = TRACE_RING_RECORDS): SharedArrayBuffer {
    if (!(Number.isInteger(capacity) && capacity > 0 && (capacity & (capacity - 1)) === 0 && capacity <= 2 ** 24)) {
      throw new RangeError(`trace ring capacity must be a power of two up to 2^24, got ${capacity}`);
    }
    return new SharedArrayBuffer(HEADER_INTS * 4 + capacity * TRACE_FIELDS * 8);
  }

  constructor(readonly buffer: SharedArrayBuffer) {
    this.header = new Int32Array(buffer, 0, HEADER_INTS);
    this.records = new Float64Array(buffer, HEADER_INTS * 4);
    this.capacity = this.records.length / TRACE_FIELDS;
    this.mask = this.capacity - 1;
  }

  /** Appends a record; when the host has fallen behind, the record is counted as dropped instead. */
  push(time: number, kind: number, subject: number, a = 0, b = 0): void {
    if (contractChecks()) {
      if (Atomics.exchange(this.header, PRODUCING, 1) !== 0) contractBroken('two producers at once on a trace ring');
      this.append(time, kind, subject, a, b);
      Atomics.store(this.header, PRODUCING, 0);
    } else {
      this.append(time, kind, subject, a, b);
    }
  }

  private append(time: number, kind: number, subject: number, a: number, b: number): void {
    const written = this.header[WRITTEN];
    // The counters wrap at 2^32 (| 0); with a power-of-two capacity the slots stay consistent.
    if (((written - Atomics.load(this.header, READ)) | 0) >= this.capacity) {
      Atomics.add(this.header, DROPPED, 1);
      return;
    }
    const at = (written & this.mask) * TRACE_FIELDS;
    const r = this.records;
    r[at] = time;
    r[at + 1] = kind;
    r[at + 2] = subject;
    r[at + 3] = a;
    r[at + 4] = b;
    // Published only now: the host never reads a record half written.
    Atomics.store(this.header, WRITTEN, (written + 1) | 0);
  }

  /** Removes and returns every published record. */
  drain(): TraceRecord[] {
    const out: TraceRecord[] = [];
    this.drainEach((time, kind, subject, a, b) => out.push({ time, kind, subject, a, b }));
    return out;
  }

  /** Removes every published record, handing each to `sink` in order; returns how many. */
  drainEach(sink: (time: number, kind: number, subject: number, a: number, b: number) => void): number {
    const written = Atomics.load(this.header, WRITTEN);
    const r = this.records;
    let read = this.header[READ];
    let count = 0;
    for (; read !== written; read = (read + 1) | 0, count++) {
      const at = (read & this.mask) * TRACE_FIELDS;
      sink(r[at], r[at + 1], r[at + 2], r[at + 3], r[at + 4]);
    }
    Atomics.store(this.header, READ, read);
    return count;
  }

  /** Records refused because the ring was full. */
  get dropped(): number {
    return Atomics.load(this.header, DROPPED);
  }
}
