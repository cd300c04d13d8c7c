// A single-producer trace ring in shared memory: a core worker appends records, the host drains them.

/** Numbers per record: time (virtual cycles), kind, subject (vCPU or VM index), two arguments. */
export const TRACE_FIELDS = 5;
const HEADER_INTS = 4; // written, read, dropped, unused

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

  static create(capacity = 16384): SharedArrayBuffer {
    return new SharedArrayBuffer(HEADER_INTS * 4 + capacity * TRACE_FIELDS * 8);
  }

  constructor(readonly buffer: SharedArrayBuffer) {
    this.header = new Int32Array(buffer, 0, HEADER_INTS);
    this.records = new Float64Array(buffer, HEADER_INTS * 4);
    this.capacity = this.records.length / TRACE_FIELDS;
  }

  /** Appends a record; when the host has fallen behind, the record is counted as dropped instead. */
  push(time: number, kind: number, subject: number, a = 0, b = 0): void {
    const written = this.header[0];
    if (written - Atomics.load(this.header, 1) >= this.capacity) {
      Atomics.add(this.header, 2, 1);
      return;
    }
    const at = (written % this.capacity) * TRACE_FIELDS;
    const r = this.records;
    r[at] = time;
    r[at + 1] = kind;
    r[at + 2] = subject;
    r[at + 3] = a;
    r[at + 4] = b;
    Atomics.store(this.header, 0, written + 1);
  }

  /** Removes and returns every published record. */
  drain(): TraceRecord[] {
    const written = Atomics.load(this.header, 0);
    let read = this.header[1];
    const out: TraceRecord[] = [];
    for (; read !== written; read++) {
      const at = (read % this.capacity) * TRACE_FIELDS;
      const r = this.records;
      out.push({ time: r[at], kind: r[at + 1], subject: r[at + 2], a: r[at + 3], b: r[at + 4] });
    }
    Atomics.store(this.header, 1, read);
    return out;
  }

  get dropped(): number {
    return Atomics.load(this.header, 2);
  }
}
