// `tessera` given hostile files: overlapping ELF segments, floods of problems, runaway limits; one short answer each.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildElf } from '../unit/loader/elf-builder.js';
import { guestPath } from './run-guest.js';

const BIN = fileURLToPath(new URL('../../bin/tessera.js', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'tessera-bad-input-'));

function tessera(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, lines: r.stderr.split('\n').filter((l) => l.length > 0) };
}

function file(name: string, contents: string | Uint8Array): string {
  const path = join(scratch, name);
  writeFileSync(path, contents);
  return path;
}

/** Code from 0x80000000 with 8 KiB of bss, and data at 0x80001000 inside that bss. */
const overlapping = file(
  'overlap.elf',
  buildElf({ segments: [{ paddr: 0x8000_0000, data: [0x13, 0, 0, 0], memSize: 0x2000 }, { paddr: 0x8000_1000, data: [1], flags: 6 }] }),
);

function scenario(vm: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name: 'bad', cores: 1, memory: '4M', scheduler: { policy: 'fixed-priority' }, vms: [{ name: 'a', guest: guestPath('hello'), ram: '1M', ...vm }], ...extra };
}

describe('overlapping ELF segments', () => {
  it('tessera run GUEST.elf refuses the image with one line and exit code 3', () => {
    const r = tessera('run', overlapping);
    expect(r.code).toBe(3);
    expect(r.lines).toEqual([`tessera: ${overlapping}: segments 0 and 1 overlap at 0x80001000`]);
    expect(r.stdout).toBe('');
  });

  it('tessera validate refuses a scenario that names the image', () => {
    const path = file('overlap.json', JSON.stringify(scenario({ guest: overlapping })));
    const r = tessera('validate', path);
    expect(r.code).toBe(1);
    expect(r.lines).toEqual([`${path}: vms[0].guest: segments 0 and 1 overlap at 0x80001000`]);
  });
});

describe('a flood of problems', () => {
  it('200,000 unknown fields print 20 lines and one counting the rest', () => {
    const json: Record<string, unknown> = scenario({});
    for (let i = 0; i < 200_000; i++) json[`x${i}`] = 0;
    const path = file('flood.json', JSON.stringify(json));
    const r = tessera('validate', path);
    expect(r.code).toBe(1);
    expect(r.lines).toHaveLength(21);
    expect(r.lines[0]).toBe(`${path}: x0: unknown field`);
    expect(r.lines[20]).toBe(`${path}: … and 199980 more problems`);
  });

  it('JSON nested a million levels deep is one line', () => {
    const path = file('deep.json', `{"deep": ${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}}`);
    const r = tessera('validate', path);
    expect(r.code).toBe(1);
    expect(r.lines).toEqual([`${path}: scenario: invalid JSON at line 1 column 521: nested deeper than 512 levels`]);
  });
});

describe('limits that would make the hypervisor work every cycle', () => {
  it('tessera run SCENARIO.json refuses a budget and a period of 1 cycle before anything runs (exit 3)', () => {
    const path = file('budget.json', JSON.stringify(scenario({ budget: 1, period: 1 })));
    const r = tessera('run', path, '--duration', '0.001');
    expect(r.code).toBe(3);
    expect(r.lines).toEqual([
      `tessera: ${path}: vms[0].budget: 1 is below the minimum of 1000 cycles (10 µs at 100 MHz)`,
      `tessera: ${path}: vms[0].period: 1 is below the minimum of 1000 cycles (10 µs at 100 MHz)`,
    ]);
    expect(r.stdout).toBe('');
  });
});
