// Loads a scenario file from disk: reads it and the guests it names, then validates it.

import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseScenarioText, type ScenarioResult } from '../scenario/validate.js';

/** Larger files are refused before they are read: no scenario or guest comes near these sizes. */
const MAX_SCENARIO_BYTES = 16 * 1024 * 1024;
const MAX_GUEST_BYTES = 1024 * 1024 * 1024;

const REASONS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EISDIR: 'is a directory',
  ENOTDIR: 'a folder on the path is a file',
};

class UnreadableFile extends Error {
  override readonly name = 'UnreadableFile';
}

/** The validated scenario, or every problem as one line (`scenario: …` when the file itself is unreadable). */
export function loadScenarioFile(path: string): ScenarioResult {
  let text: string;
  try {
    text = new TextDecoder().decode(readRegularFile(path, MAX_SCENARIO_BYTES));
  } catch (error) {
    if (!(error instanceof UnreadableFile)) throw error;
    return { errors: [`scenario: cannot read the file: ${error.message}`] };
  }
  return parseScenarioText(text, {
    baseDir: dirname(resolve(path)),
    resolve: (baseDir, relative) => resolve(baseDir, relative),
    readFile: (file) => readRegularFile(file, MAX_GUEST_BYTES),
  });
}

/** The bytes of a regular file; anything else (missing, a device, a FIFO, huge) is an UnreadableFile. */
function readRegularFile(path: string, maxBytes: number): Uint8Array {
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) throw new UnreadableFile(REASONS.EISDIR);
    if (!stat.isFile()) throw new UnreadableFile('not a regular file');
    if (stat.size > maxBytes) throw new UnreadableFile(`too large (${stat.size} bytes)`);
    return readFileSync(path);
  } catch (error) {
    if (error instanceof UnreadableFile) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? '';
    throw new UnreadableFile(REASONS[code] ?? (error as Error).message.split('\n', 1)[0]);
  }
}
