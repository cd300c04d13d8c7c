// The committed inputs fuzzing starts from: the guest ELF files and the scenario files.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Every guests/bin/*.elf, by file name. */
export function guestSeeds(root: string): Map<string, Uint8Array> {
  const dir = join(root, 'guests', 'bin');
  const seeds = new Map<string, Uint8Array>();
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.elf')).sort()) seeds.set(name, new Uint8Array(readFileSync(join(dir, name))));
  return seeds;
}

/** Every scenarios/*.json as text, by file name. */
export function scenarioSeeds(root: string): Map<string, string> {
  const dir = join(root, 'scenarios');
  const seeds = new Map<string, string>();
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.json') && !f.endsWith('.schema.json')).sort()) seeds.set(name, readFileSync(join(dir, name), 'utf8'));
  return seeds;
}
