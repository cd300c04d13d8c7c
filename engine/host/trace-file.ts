// Streams a run's Chrome trace to a file while it runs: each poll's events are appended with one
// synchronous write, so the trace never piles up in memory, and finish() closes the document so
// the file is valid JSON however the run ended.

import { closeSync, writeSync } from 'node:fs';
import { ChromeTraceStream, type ChromeTraceEntry, type ChromeTraceLifecycle, type ChromeTraceSetup } from '../metrics/chrome-trace.js';
import { fileErrorReason } from './guest-file.js';
import { openOutputSync } from './output-file.js';

/** Text held before a write even within one poll (a burst of records). */
const FLUSH_CHARS = 1 << 20;

export class TraceFileError extends Error {
  override readonly name = 'TraceFileError';
}

export class TraceFile {
  private fd: number | undefined;
  private readonly stream: ChromeTraceStream;
  private pending: string[] = [];
  private pendingChars = 0;
  private readonly buffer = Buffer.allocUnsafe(FLUSH_CHARS);
  /** The first write failure, as one line; nothing more is written after it. */
  error: string | undefined;

  private constructor(readonly path: string, fd: number, setup: ChromeTraceSetup) {
    this.fd = fd;
    this.stream = new ChromeTraceStream(setup);
    this.queue(this.stream.begin());
  }

  /** Creates (or truncates) the file; a TraceFileError says in one line why it cannot. */
  static open(path: string, setup: ChromeTraceSetup): TraceFile {
    const fd = openOutputSync(path);
    if (typeof fd !== 'number') throw new TraceFileError(`cannot write trace file ${path}: ${fd.reason}`);
    const file = new TraceFile(path, fd, setup);
    file.flush();
    if (file.error !== undefined) throw new TraceFileError(file.error);
    return file;
  }

  /** Trace events written (or queued), metadata not counted. */
  get events(): number {
    return this.stream.eventCount;
  }

  get finished(): boolean {
    return this.fd === undefined;
  }

  /** Queues the events of these records and lifecycle events. */
  add(entries: readonly ChromeTraceEntry[], lifecycle: readonly ChromeTraceLifecycle[] = []): void {
    if (this.fd === undefined) return;
    this.queue(this.stream.write(entries, lifecycle));
    if (this.pendingChars >= FLUSH_CHARS) this.flush();
  }

  /** Writes what is queued, through one reused buffer (fresh large buffers cost page faults). */
  flush(): void {
    const fd = this.fd;
    if (fd === undefined || this.pending.length === 0) return;
    const pending = this.pending;
    this.pending = [];
    this.pendingChars = 0;
    const buffer = this.buffer;
    let used = 0;
    try {
      for (const text of pending) {
        for (let at = 0; at < text.length;) {
          if (used === buffer.length) used = writeAll(fd, buffer, used);
          const n = Math.min(text.length - at, buffer.length - used);
          // latin1 is a plain copy: the converter writes ASCII only.
          buffer.write(n === text.length ? text : text.substring(at, at + n), used, n, 'latin1');
          used += n;
          at += n;
        }
      }
      writeAll(fd, buffer, used);
    } catch (error) {
      this.error = `cannot write trace file ${this.path}: ${fileErrorReason(error)}`;
      this.close();
    }
  }

  /** Ends the document with `otherData` and closes the file (once; later calls do nothing). */
  finish(otherData: Record<string, unknown>): void {
    if (this.fd === undefined) return;
    this.queue(this.stream.end(otherData));
    this.flush();
    this.close();
  }

  private queue(text: string): void {
    if (text.length === 0) return;
    this.pending.push(text);
    this.pendingChars += text.length;
  }

  private close(): void {
    const fd = this.fd;
    this.fd = undefined;
    if (fd === undefined) return;
    try {
      closeSync(fd);
    } catch (error) {
      this.error ??= `cannot write trace file ${this.path}: ${fileErrorReason(error)}`;
    }
  }
}

/** Writes `length` bytes of `buffer`; returns 0 (the buffer is free again). */
function writeAll(fd: number, buffer: Buffer, length: number): number {
  for (let at = 0; at < length;) at += writeSync(fd, buffer, at, length - at);
  return 0;
}
