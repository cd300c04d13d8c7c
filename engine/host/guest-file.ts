// Reads a guest image from disk, turning file-system errors into one line.

import { readFile } from 'node:fs/promises';

export class GuestFileError extends Error {
  override readonly name = 'GuestFileError';
}

const REASONS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EISDIR: 'is a directory',
};

export async function readGuestFile(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    throw new GuestFileError(`cannot read ${path}: ${REASONS[code] ?? (error as Error).message}`);
  }
}
