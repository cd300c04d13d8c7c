// Reads a guest image from disk, turning file-system errors into one line.

import { readFile } from 'node:fs/promises';

export class GuestFileError extends Error {
  override readonly name = 'GuestFileError';
}

const REASONS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EISDIR: 'is a directory',
  ENOTDIR: 'a folder on the path is a file',
};

/** A file-system error as a short reason ("no such file"), or its message's first line. */
export function fileErrorReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  return REASONS[code] ?? String((error as Error).message).split('\n', 1)[0];
}

export async function readGuestFile(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new GuestFileError(`cannot read ${path}: ${fileErrorReason(error)}`);
  }
}
