// Loads a scenario file from disk: reads it and the guests it names, then validates it.
//
// Both the scenario and its guests are read by readGuestFileSync (guest-file.ts), the checks every
// image goes through: regular files only, under a size cap, opened so that a FIFO cannot block.
// Synchronous because the validator asks for guests synchronously; guest-file.ts says why that is safe.

import { dirname, resolve } from 'node:path';
import { parseScenarioText, validateScenario, type ScenarioResult, type ScenarioSource } from '../scenario/validate.js';
import { GuestFileError, readGuestFileSync } from './guest-file.js';

/** Larger scenario files are refused before they are read: no scenario comes near this size. */
const MAX_SCENARIO_BYTES = 16 * 1024 * 1024;

/** The validated scenario, or every problem as one line (`scenario: …` when the file itself is unreadable). */
export function loadScenarioFile(path: string): ScenarioResult {
  let text: string;
  try {
    text = new TextDecoder().decode(readGuestFileSync(path, MAX_SCENARIO_BYTES));
  } catch (error) {
    if (!(error instanceof GuestFileError)) throw error;
    return { errors: [`scenario: cannot read the file: ${error.reason}`] };
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
    readFile: (file) => {
      try {
        return readGuestFileSync(file);
      } catch (error) {
        // The validator names the guest itself: its error carries the reason alone.
        throw error instanceof GuestFileError ? new Error(error.reason) : error;
      }
    },
  };
}
