// Opens a file the CLI writes (a --json report, a --trace file) without ever blocking on the open:
// a FIFO that no one reads would otherwise hang the run before it starts, or at its very end.

import { closeSync, constants, fstatSync, openSync } from 'node:fs';
import { fileErrorReason } from './guest-file.js';

/**
 * A descriptor open for writing (created or truncated), or a one-line reason it cannot be: a FIFO
 * with no reader is refused at once. A FIFO that has one is then opened as usual, so writes wait
 * for the reader as with any pipe.
 */
export function openOutputSync(path: string): number | { reason: string } {
  let fd: number;
  try {
    fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NONBLOCK | constants.O_NOCTTY, 0o666);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // Opening for writing fails with ENOENT only when a folder on the path is missing.
    if (code === 'ENOENT') return { reason: 'no such folder' };
    if (code === 'ENXIO') return { reason: 'a FIFO that no one reads' };
    return { reason: fileErrorReason(error) };
  }
  if (!fstatSync(fd).isFIFO()) return fd; // O_NONBLOCK changes nothing for files and terminals
  try {
    const blocking = openSync(path, constants.O_WRONLY | constants.O_NOCTTY);
    closeSync(fd);
    return blocking;
  } catch (error) {
    closeSync(fd);
    return { reason: fileErrorReason(error) };
  }
}
