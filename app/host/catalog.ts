// The scenario and guest files of the project, offered in the monitor's pickers.

import { readdirSync } from 'node:fs';
import { join } from 'node:path';

function filesIn(root: string, folder: string, suffix: string, except: readonly string[] = []): string[] {
  try {
    return readdirSync(join(root, folder))
      .filter((name) => name.endsWith(suffix) && !except.includes(name))
      .sort()
      .map((name) => `${folder}/${name}`);
  } catch {
    return [];
  }
}

export function knownScenarios(root: string): string[] {
  return filesIn(root, 'scenarios', '.json', ['scenario.schema.json']);
}

export function knownGuests(root: string): string[] {
  return filesIn(root, 'guests/bin', '.elf');
}
