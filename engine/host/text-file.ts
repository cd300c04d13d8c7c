// Writes a report file (JSON, CSV) for the CLI.

import { closeSync, writeFile } from 'node:fs';
import { promisify } from 'node:util';
import { fileErrorReason } from './guest-file.js';
import { openOutputSync } from './output-file.js';

export class ReportFileError extends Error {
  override readonly name = 'ReportFileError';
}

/** Writes `text` to `path`; a failure is a ReportFileError with one line naming the file. */
export async function writeTextFile(path: string, text: string): Promise<void> {
  const fd = openOutputSync(path);
  if (typeof fd !== 'number') throw new ReportFileError(`cannot write ${path}: ${fd.reason}`);
  try {
    await promisify(writeFile)(fd, text);
  } catch (error) {
    throw new ReportFileError(`cannot write ${path}: ${fileErrorReason(error)}`);
  } finally {
    closeSync(fd);
  }
}
