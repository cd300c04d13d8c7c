// Output files (--json, --trace) open without blocking: a FIFO with no reader is one line, not a hang.

import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openOutputSync } from '../../../engine/host/output-file.js';

const scratch = mkdtempSync(join(tmpdir(), 'tessera-output-'));

describe('openOutputSync', () => {
  it('creates a regular file for writing', () => {
    const path = join(scratch, 'report.json');
    const fd = openOutputSync(path);
    if (typeof fd !== 'number') throw new Error(fd.reason);
    writeSync(fd, '{}');
    closeSync(fd);
    expect(readFileSync(path, 'utf8')).toBe('{}');
  });

  it('refuses a FIFO that no one reads, at once', () => {
    const path = join(scratch, 'fifo-unread');
    execFileSync('mkfifo', [path]);
    expect(openOutputSync(path)).toEqual({ reason: 'a FIFO that no one reads' });
  });

  it('writes into a FIFO that someone reads', () => {
    const path = join(scratch, 'fifo-read');
    execFileSync('mkfifo', [path]);
    const reader = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK); // a reader, without waiting for a writer
    const fd = openOutputSync(path);
    if (typeof fd !== 'number') throw new Error(fd.reason);
    writeSync(fd, 'hello');
    closeSync(fd);
    const got = Buffer.alloc(16);
    expect(got.toString('utf8', 0, readSync(reader, got))).toBe('hello');
    closeSync(reader);
  });

  it('names a missing folder', () => {
    expect(openOutputSync(join(scratch, 'no', 'such.json'))).toEqual({ reason: 'no such folder' });
  });
});
