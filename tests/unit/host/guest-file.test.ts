// The one image reader: regular files only, under a size cap, never blocking on a FIFO or a device.

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GuestFileError, readGuestFile, readGuestFileSync } from '../../../engine/host/guest-file.js';

const scratch = mkdtempSync(join(tmpdir(), 'tessera-guest-file-'));
const at = (name: string) => join(scratch, name);
let socketServer: Server;

beforeAll(async () => {
  writeFileSync(at('image.elf'), Buffer.from([1, 2, 3, 4, 5]));
  writeFileSync(at('sparse.elf'), '');
  truncateSync(at('sparse.elf'), 4097); // sparse: no disk space, but its size says 4097 bytes
  execFileSync('mkfifo', [at('fifo.elf')]);
  mkdirSync(at('folder.elf'));
  symlinkSync('/dev/zero', at('zero-link.elf'));
  socketServer = createServer();
  await new Promise<void>((resolve) => socketServer.listen(at('socket.elf'), resolve));
});

afterAll(() => new Promise<void>((resolve) => socketServer.close(() => resolve())));

/** The one-line error of reading `path` both ways; both must agree. */
async function refusal(path: string, maxBytes?: number): Promise<string> {
  const asynchronous = await readGuestFile(path, { maxBytes }).then(() => 'read', (e: unknown) => (e instanceof GuestFileError ? e.message : `other: ${String(e)}`));
  let synchronous: string;
  try {
    readGuestFileSync(path, maxBytes);
    synchronous = 'read';
  } catch (e) {
    synchronous = e instanceof GuestFileError ? e.message : `other: ${String(e)}`;
  }
  expect(synchronous).toBe(asynchronous);
  return asynchronous;
}

describe('readGuestFile and readGuestFileSync', () => {
  it('read a regular file whole', async () => {
    expect([...await readGuestFile(at('image.elf'))]).toEqual([1, 2, 3, 4, 5]);
    expect([...readGuestFileSync(at('image.elf'))]).toEqual([1, 2, 3, 4, 5]);
  });

  it('refuse a FIFO at once, without waiting for a writer', async () => {
    expect(await refusal(at('fifo.elf'))).toBe(`cannot read ${at('fifo.elf')}: is a FIFO (named pipe), not a regular file`);
  });

  it('refuse character devices, also behind a symbolic link, before reading a byte', async () => {
    expect(await refusal('/dev/zero')).toBe('cannot read /dev/zero: is a character device, not a regular file');
    expect(await refusal(at('zero-link.elf'))).toBe(`cannot read ${at('zero-link.elf')}: is a character device, not a regular file`);
  });

  it('refuse a directory, a socket and a missing file with one line each', async () => {
    expect(await refusal(at('folder.elf'))).toBe(`cannot read ${at('folder.elf')}: is a directory`);
    expect(await refusal(at('socket.elf'))).toBe(`cannot read ${at('socket.elf')}: is a socket, not a regular file`);
    expect(await refusal(at('absent.elf'))).toBe(`cannot read ${at('absent.elf')}: no such file`);
  });

  it('refuse a file over the size cap by its size, without reading it', async () => {
    expect(await refusal(at('sparse.elf'), 4096)).toBe(`cannot read ${at('sparse.elf')}: too large: 4097 bytes (at most 4096)`);
    expect((await readGuestFile(at('sparse.elf'), { maxBytes: 4097 })).length).toBe(4097);
  });

  it('give the reason alone for callers that name the file themselves', async () => {
    const error = await readGuestFile(at('fifo.elf')).then(() => undefined, (e: GuestFileError) => e);
    expect(error?.reason).toBe('is a FIFO (named pipe), not a regular file');
  });

  it('stop reading when the signal is aborted, with its reason', async () => {
    const stop = new Error('timeout after 1 s');
    await expect(readGuestFile(at('image.elf'), { signal: AbortSignal.abort(stop) })).rejects.toBe(stop);
  });
});
