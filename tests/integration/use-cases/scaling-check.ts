// The check behind the scaling use case: one stack on several core counts, identical results.

import { expect } from 'vitest';
import { runScenario } from '../hypervisor/run-scenario.js';
import { scenarioFile } from './use-case.js';

// Instruction counts that cannot depend on timing (the others spin or wait on the clock).
const EXACT = ['bench', 'hog-a', 'hog-b', 'hello', 'idle', 'yield'];

/** Runs scaling-N.json for each N: the same consoles and exact instruction counts, every VM exiting 0. */
export async function expectSameStack(coreCounts: readonly number[]): Promise<void> {
  const results = [];
  for (const cores of coreCounts) {
    const s = scenarioFile(`scaling-${cores}.json`);
    expect(s.cores).toBe(cores);
    const run = await runScenario(s, { recordTrace: false });
    const instructions = run.snapshot.vms.reduce((sum, v) => sum + v.instructions, 0);
    const mips = instructions / run.snapshot.wallSeconds / 1e6;
    console.log(`scaling-${cores}.json: ${(instructions / 1e6).toFixed(0)} M instructions in ${run.snapshot.wallSeconds.toFixed(2)} s of wall time, ${mips.toFixed(0)} MIPS`);
    expect(run.snapshot.vms.map((v) => [v.name, v.state, v.exitCode])).toEqual(
      ['bench', 'hog-a', 'hog-b', 'check', 'hello', 'idle', 'smp', 'yield'].map((name) => [name, 'exited', 0]));
    results.push({ consoles: run.consoles, exact: run.snapshot.vms.filter((v) => EXACT.includes(v.name)).map((v) => [v.name, v.instructions]) });
  }
  const [one] = results;
  expect(one.consoles.bench).toContain('bench: total instret 395974680, 0 wrong');
  expect(one.consoles['hog-b']).toContain('cpu-hog: round 1 crc 0x55fac925');
  expect(one.consoles.check).toContain('isa-selfcheck: 305 passed, 0 failed');
  expect(one.consoles.smp).toContain('smp-counter: 2 harts x 100000: amoadd 200000 lr/sc 200000 OK');
  for (const other of results.slice(1)) {
    expect(other.consoles).toEqual(one.consoles);
    expect(other.exact).toEqual(one.exact);
  }
}
