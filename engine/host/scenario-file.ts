// Loads a scenario file from disk: reads it and the guests it names, then validates it.

import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseScenarioText, validateScenario, type ScenarioResult, type ScenarioSource } from '../scenario/validate.js';
import { fileErrorReason } from './guest-file.js';

/** Larger files are refused before they are read: no scenario or guest comes near these sizes. */
const MAX_SCENARIO_BYTES = 16 * 1024 * 1024;
const MAX_GUEST_BYTES = 1024 * 1024 * 1024;

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
  return parseScenarioText(text, diskSource(dirname(resolve(path))));
}

/** Validates a scenario given as an object (benchmarks, tests); guest paths are relative to `baseDir`. */
export function scenarioFromObject(json: unknown, baseDir: string): ScenarioResult {
  return validateScenario(json, diskSource(baseDir));
}

function diskSource(baseDir: string): ScenarioSource {
  return {
    baseDir,
    resolve: (base, relative) => resolve(base, relative),
    readFile: (file) => readRegularFile(file, MAX_GUEST_BYTES),
  };
}

/** The bytes of a regular file; anything else (missing, a device, a FIFO, huge) is an UnreadableFile. */
function readRegularFile(path: string, maxBytes: number): Uint8Array {
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) throw new UnreadableFile('is a directory');
    if (!stat.isFile()) throw new UnreadableFile('not a regular file');
    if (stat.size > maxBytes) throw new UnreadableFile(`too large (${stat.size} bytes)`);
    return readFileSync(path);
  } catch (error) {
    if (error instanceof UnreadableFile) throw error;
    throw new UnreadableFile(fileErrorReason(error));
  }
}
