// `tessera run SCENARIO.json` and `tessera validate` as a user runs them.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { addi, beq, jal, lbu, lui, sb, sw, auipc, T0, T1, T2, T3, ZERO } from '../unit/cores/rv-asm.js';
import { buildElf } from '../unit/loader/elf-builder.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin/tessera.js');
const scratch = mkdtempSync(join(tmpdir(), 'tessera-scenario-'));

function tessera(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000, stdio: ['ignore', 'pipe', 'pipe'] });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function writeScenario(name: string, json: object): string {
  const path = join(scratch, `${name}.json`);
  writeFileSync(path, JSON.stringify(json));
  return path;
}

const guest = (name: string) => join(ROOT, `guests/bin/${name}.elf`);

/** A guest that writes `text` to its UART byte by byte, then ends through the test device. */
function printingGuest(name: string, text: string): string {
  const code = [
    lui(T0, 0x10000), // the UART
    auipc(T1, 0), addi(T1, T1, 48), // the text, 52 bytes in
    lbu(T2, 0, T1), beq(T2, ZERO, 16), sb(T2, 0, T0), addi(T1, T1, 1), jal(ZERO, -16),
    lui(T0, 0x100), lui(T3, 5), addi(T3, T3, 0x555), sw(T3, 0, T0), // test device: pass
    jal(ZERO, 0),
  ];
  const data = [...code.flatMap((w) => [w & 0xff, (w >>> 8) & 0xff, (w >>> 16) & 0xff, w >>> 24]), ...Buffer.from(text, 'latin1'), 0];
  const path = join(scratch, `${name}.elf`);
  writeFileSync(path, buildElf({ entry: 0x8000_0000, segments: [{ paddr: 0x8000_0000, data }] }));
  return path;
}

describe('tessera run SCENARIO.json', () => {
  it('prefixes each console line with its VM and ends with a per-VM table', () => {
    const r = tessera('run', 'scenarios/bare-two-vms.json');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('[hello] hello from tessera guest: hart 0 of 1\n');
    expect(r.stdout).toContain('[bench] bench: total instret 395974680, 0 wrong\n');
    expect(r.stdout).toMatch(/^VM +state +cores +instructions +MIPS +interrupts +lat min +avg +max +p99 +p99\.9 +violations +restarts$/m);
    expect(r.stdout).toMatch(/^hello +exited +0 +\d+ /m);
    expect(r.stdout).toMatch(/^bench +exited +0 +396059221 /m);
  });

  it('stops at --duration, prints latency like cyclictest and writes --json', () => {
    const json = join(scratch, 'rt.json');
    const r = tessera('run', 'scenarios/rt-shared-core.json', '--duration', '0.05', '--json', json);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('virtual time 0.050000 s');
    expect(r.stdout).toMatch(/^T: 0 \(rtos\) P:10 I:0 C: +49 Min: +100 /m);
    const report = JSON.parse(readFileSync(json, 'utf8'));
    expect(report.scenario).toBe('rt-shared-core');
    expect(report.vms[0]).toMatchObject({ name: 'rtos', state: 'running', interrupts: 49 });
    expect(report.vms[0].latency).toMatchObject({ count: 49, min: 100, max: 100 });
    expect(report.events[0]).toMatchObject({ vm: 'rtos', kind: 'started', time: 0 });
  });

  it('exits 1 and names the VM that failed against its fault policy', () => {
    const path = writeScenario('broken', {
      name: 'broken', cores: 1, memory: '4M', scheduler: { policy: 'fixed-priority' },
      vms: [{ name: 'looper', guest: guest('trap-loop'), ram: '1M' }],
    });
    const r = tessera('run', path);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('looper: fault (trap loop (illegal instruction))');
    expect(r.stderr).toContain('tessera: failed against their fault policy: looper');
  });

  it('refuses an invalid scenario before anything runs, naming every bad field', () => {
    const path = writeScenario('invalid', {
      name: 'invalid', cores: 2, memory: '4M', scheduler: { policy: 'partitioned' },
      vms: [{ name: 'a', guest: guest('hello'), ram: '3M', affinity: [5] }, { name: 'b', guest: join(scratch, 'missing.elf'), ram: '2M', colour: 'red' }],
    });
    const r = tessera('run', path);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('vms[0].affinity[0]: core 5 is out of range (the scenario has 2 cores)');
    expect(r.stderr).toContain('vms[1].colour: unknown field');
    expect(r.stderr).toContain('vms[1].guest: cannot read');
    const check = tessera('validate', path);
    expect(check.code).toBe(1);
    expect(check.stderr).toContain('vms[1].colour: unknown field');
  });

  it('shows control characters escaped and prints a long line in marked 4 KiB pieces', () => {
    const text = `rich: hello\r\x1b[2K[baseband] rt-timer: misses=1000\n${'A'.repeat(10_000)}\nno newline at the end`;
    const path = writeScenario('forger', {
      name: 'forger', cores: 1, memory: '4M', scheduler: { policy: 'fixed-priority' },
      vms: [{ name: 'rich', guest: printingGuest('forger', text), ram: '1M' }],
    });
    const r = tessera('run', path);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').slice(0, 5)).toEqual([
      '[rich] rich: hello\\r\\x1b[2K[baseband] rt-timer: misses=1000',
      `[rich] ${'A'.repeat(4096)}\\`,
      `[rich] ${'A'.repeat(4096)}\\`,
      `[rich] ${'A'.repeat(1808)}`,
      '[rich] no newline at the end',
    ]);
  });

  it('refuses ELF-only options for a scenario', () => {
    const r = tessera('run', 'scenarios/bare-two-vms.json', '--harts', '2');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("tessera: --harts is for ELF guests; a scenario sets it in its file (see 'tessera --help')\n");
  });

  it('reports an unwritable --json file in one line, after the run and its table', () => {
    const r = tessera('run', 'scenarios/bare-two-vms.json', '--json', join(scratch, 'missing-folder', 'out.json'));
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/^bench +exited /m);
    // Beside the VMs' lifecycle lines ('exited'), the error is one line.
    expect(r.stderr.split('\n').filter((l) => !/^tessera: [\d.]+ s: /.test(l))).toEqual([`tessera: cannot write ${join(scratch, 'missing-folder', 'out.json')}: no such folder`, '']);
  });
});
