// Reads guest images and scenario files: regular files only, under a size cap, errors in one line.
//
// Every file the engine loads comes through here: `tessera run GUEST.elf`, a scenario and its guests,
// and an update image from `tessera update` or the monitor. The file is opened with O_NONBLOCK, so
// opening a FIFO never waits for a writer, and the open descriptor is checked (fstat): anything but a
// regular file within the cap is refused before a byte is read, with no window between check and
// read. At most the size fstat gave is read, so a file that grows meanwhile cannot make it more.
//
// readGuestFile is asynchronous: the host's event loop (polling consoles, serving the control socket)
// runs on while it reads. readGuestFileSync is the same path for scenario validation, which asks for
// guests synchronously (engine/scenario/validate.ts, ScenarioSource.readFile): making validation
// asynchronous would change every caller of the validator for no gain, since after these checks a
// read is of one regular file of bounded size and ends at disk speed.

import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';

/** No guest image comes near this (the default machine has 256 MiB of RAM); larger files are refused unread. */
export const MAX_GUEST_BYTES = 256 * 1024 * 1024;
/** Reads go in pieces this large, so an abort (a --timeout) is noticed between them. */
const CHUNK_BYTES = 4 * 1024 * 1024;
/** Read-only, never blocking in open (a FIFO without writer), never becoming the controlling terminal. */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);

export class GuestFileError extends Error {
  override readonly name = 'GuestFileError';

  /** `reason` alone ("no such file"), for callers that name the file themselves. */
  constructor(readonly path: string, readonly reason: string) {
    super(`cannot read ${path}: ${reason}`);
  }
}

export interface ReadOptions {
  /** Larger files are refused (default MAX_GUEST_BYTES). */
  maxBytes?: number;
  /** Stops the read between pieces, throwing the signal's reason. */
  signal?: AbortSignal;
}

const REASONS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EISDIR: 'is a directory',
  ENOTDIR: 'a folder on the path is a file',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'the name is too long',
};

/** A file-system error as a short reason ("no such file"), or its message's first line. */
export function fileErrorReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  return REASONS[code] ?? String((error as Error).message).split('\n', 1)[0];
}

export async function readGuestFile(path: string, options: ReadOptions = {}): Promise<Uint8Array> {
  const maxBytes = options.maxBytes ?? MAX_GUEST_BYTES;
  let handle;
  try {
    handle = await open(path, OPEN_FLAGS);
  } catch (error) {
    throw new GuestFileError(path, openFailure(path, error));
  }
  try {
    const size = checkOpened(path, await handle.stat().catch(failed(path)), maxBytes);
    const bytes = new Uint8Array(size);
    let filled = 0;
    while (filled < size) {
      options.signal?.throwIfAborted();
      const { bytesRead } = await handle.read(bytes, filled, Math.min(CHUNK_BYTES, size - filled), filled).catch(failed(path));
      if (bytesRead === 0) break; // the file shrank since fstat
      filled += bytesRead;
    }
    return filled === size ? bytes : bytes.subarray(0, filled);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** readGuestFile for synchronous callers (scenario validation): the same open, checks and reads. */
export function readGuestFileSync(path: string, maxBytes = MAX_GUEST_BYTES): Uint8Array {
  let fd: number;
  try {
    fd = openSync(path, OPEN_FLAGS);
  } catch (error) {
    throw new GuestFileError(path, openFailure(path, error));
  }
  try {
    let size: number;
    try {
      size = checkOpened(path, fstatSync(fd), maxBytes);
    } catch (error) {
      return failed(path)(error);
    }
    const bytes = new Uint8Array(size);
    let filled = 0;
    while (filled < size) {
      let bytesRead: number;
      try {
        bytesRead = readSync(fd, bytes, filled, size - filled, filled);
      } catch (error) {
        return failed(path)(error);
      }
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return filled === size ? bytes : bytes.subarray(0, filled);
  } finally {
    closeSync(fd);
  }
}

/** The size to read from the open file's own status, or a GuestFileError naming what it is instead. */
function checkOpened(path: string, stats: Stats, maxBytes: number): number {
  if (!stats.isFile()) throw new GuestFileError(path, notRegular(stats));
  if (stats.size > maxBytes) throw new GuestFileError(path, `too large: ${stats.size} bytes (at most ${maxBytes})`);
  return stats.size;
}

function notRegular(stats: Stats): string {
  if (stats.isDirectory()) return 'is a directory';
  const kind = stats.isFIFO() ? 'a FIFO (named pipe)' : stats.isCharacterDevice() ? 'a character device'
    : stats.isBlockDevice() ? 'a block device' : stats.isSocket() ? 'a socket' : 'something else';
  return `is ${kind}, not a regular file`;
}

/** open() of a socket fails with ENXIO; a stat (which never blocks) only words the message. */
function openFailure(path: string, error: unknown): string {
  if ((error as NodeJS.ErrnoException).code !== 'ENXIO') return fileErrorReason(error);
  try {
    return notRegular(statSync(path));
  } catch {
    return 'not a regular file';
  }
}

/** Rethrows a read failure as a GuestFileError (one that already is passes through). */
function failed(path: string): (error: unknown) => never {
  return (error) => {
    throw error instanceof GuestFileError ? error : new GuestFileError(path, fileErrorReason(error));
  };
}
