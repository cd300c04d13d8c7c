// Writes a report file (JSON, CSV) for the CLI.

import { writeFile } from 'node:fs/promises';
import { fileErrorReason } from './guest-file.js';

export class ReportFileError extends Error {
  override readonly name = 'ReportFileError';
}

/** Writes `text` to `path`; a failure is a ReportFileError with one line naming the file. */
export async function writeTextFile(path: string, text: string): Promise<void> {
  try {
    await writeFile(path, text);
  } catch (error) {
    throw new ReportFileError(`cannot write ${path}: ${fileErrorReason(error)}`);
  }
}
