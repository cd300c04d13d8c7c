// Loads the real scenario files of scenarios/ and reads the use-case guests' console lines.

import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { loadScenarioFile } from '../../../engine/host/scenario-file.js';
import type { System, VmSnapshot } from '../../../engine/host/system.js';
import type { Scenario } from '../../../engine/scenario/scenario.js';

const SCENARIOS = fileURLToPath(new URL('../../../scenarios/', import.meta.url));

/** 100 MHz virtual cores. */
export const SECOND = 100_000_000;

/** The PIN the pin guest keeps in its vault, as the bytes a leak would show. */
export const PIN_DIGITS = new TextEncoder().encode('582917');
export const PIN_WORD = Uint8Array.of(0x05, 0xe5, 0x08, 0x00); // 582917 as a little-endian word

export function scenarioFile(name: string): Scenario {
  const result = loadScenarioFile(`${SCENARIOS}${name}`);
  expect(result.errors).toEqual([]);
  return result.scenario!;
}

/** Whether `needle` occurs in `haystack`. */
export function contains(haystack: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let k = 0; k < needle.length; k++) if (haystack[i + k] !== needle[k]) continue outer;
    return true;
  }
  return false;
}

export interface BasebandReport {
  n: number;
  max: number;
  misses: number;
  ok: number;
  bad: number;
  lost: number;
  dup: number;
  ringErrors: number;
}

/** Every `baseband: n=1000 ...` line of a console. */
export function basebandReports(text: string): BasebandReport[] {
  const re = /baseband: n=(\d+) min=\d+ avg=[\d.]+ max=(\d+) misses=(\d+) \(total \d+ periods, \d+ misses\) \| modem (\d+) ok, (\d+) bad, (\d+) lost, (\d+) dup, (\d+) ring errors/g;
  return [...text.matchAll(re)].map((m) => ({
    n: Number(m[1]), max: Number(m[2]), misses: Number(m[3]), ok: Number(m[4]), bad: Number(m[5]), lost: Number(m[6]), dup: Number(m[7]), ringErrors: Number(m[8]),
  }));
}

export const vmOf = (system: System, name: string): VmSnapshot => system.snapshot().vms.find((v) => v.name === name)!;

/** Waits (without timing assertions) until `done` holds, polling the live system. */
export async function until(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((r) => setTimeout(r, 5));
}
