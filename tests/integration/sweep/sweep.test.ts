// `tessera sweep`: every point run or reported, result files that reproduce, Ctrl-C keeps what is done.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runSweep } from '../../../engine/host/sweep-runner.js';
import type { SweepRun } from '../../../engine/experiment/sweep-record.js';
import { tessera } from '../../unit/cli/captured-io.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = join(ROOT, 'bin/tessera.js');
const scratch = mkdtempSync(join(tmpdir(), 'tessera-sweep-'));
const guest = (name: string) => join(ROOT, `guests/bin/${name}.elf`);

/** Two CPU-bound VMs and a pair talking over sync IPC and a doorbell channel. */
const SCENARIO = join(scratch, 'mixed.json');
writeFileSync(SCENARIO, JSON.stringify({
  name: 'mixed', cores: 2, memory: '16M', scheduler: { policy: 'fixed-priority' },
  vms: [
    { name: 'hog-a', guest: guest('cpu-hog'), ram: '1M', affinity: [0] },
    { name: 'hog-b', guest: guest('cpu-hog'), ram: '1M', affinity: [1] },
    { name: 'caller', guest: guest('ipc-sync-long'), ram: '1M', affinity: [0] },
    { name: 'server', guest: guest('ipc-sync'), ram: '1M', affinity: [1] },
  ],
  channels: [{ name: 'rpc', size: '4K', endpoints: [{ vm: 'caller', address: '0x90000000', irq: 32 }, { vm: 'server', address: '0x90000000', irq: 32 }] }],
}));

describe('tessera sweep', () => {
  const out = join(scratch, 'out');
  let code: number;
  let stdout: string;
  let stderr: string;

  it('runs every valid point, reports an invalid one by name and goes on', async () => {
    ({ code, stdout, stderr } = await tessera('sweep', SCENARIO, '--cores', '1,2', '--policy', 'fixed-priority,time-partitioned', '--duration', '0.02', '--out', out));
    expect(code).toBe(0);
    expect(stderr).toContain('[1/4] cores=1 policy=fixed-priority #1');
    expect(stderr).toMatch(/\[3\/4\] cores=1 policy=time-partitioned: invalid: scheduler\.majorFrame: required/);
    expect(stdout).toContain('cores=2 policy=fixed-priority');
  }, 120_000);

  it('writes a CSV row per run with the figures of the ok runs', () => {
    const lines = readFileSync(join(out, 'results.csv'), 'utf8').split('\n').filter((l) => l !== '' && !l.startsWith('#'));
    const header = lines[0].split(',');
    const rows = lines.slice(1).map((l) => l.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.map((f) => f.replace(/,$/, '')));
    expect(rows).toHaveLength(4);
    const col = (row: string[], name: string) => row[header.indexOf(name)];
    const ok = rows.filter((r) => col(r, 'status') === 'ok');
    expect(ok.map((r) => col(r, 'cores'))).toEqual(['1', '2']);
    for (const r of ok) {
      expect(Number(col(r, 'mips'))).toBeGreaterThan(0);
      expect(Number(col(r, 'mips_hog-a'))).toBeGreaterThan(0);
      expect(Number(col(r, 'virtual_s'))).toBeCloseTo(0.02, 6);
      expect(Number(col(r, 'ipc_messages'))).toBeGreaterThan(0);
      expect(Number(col(r, 'host_cpu_util'))).toBeGreaterThan(0);
    }
    const invalid = rows.filter((r) => col(r, 'status') === 'invalid');
    expect(invalid).toHaveLength(2);
    for (const r of invalid) expect(col(r, 'mips')).toBe('');
  });

  it('records what reproduces the results', () => {
    const doc = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    const info = doc.reproducibility;
    expect(info.scenario.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(info.scenario.guests.map((g: { path: string }) => g.path.split('/').pop()).sort()).toEqual(['cpu-hog.elf', 'ipc-sync-long.elf', 'ipc-sync.elf']);
    expect(info.tessera).toMatch(/^\d+\.\d+\.\d+/);
    expect(info.gitCommit).toMatch(/^([0-9a-f]{40}(-dirty)?|unknown)$/);
    expect(info.host.cpuCount).toBeGreaterThan(0);
    expect(info.host.node).toBe(process.version);
    expect(info.timingMode).toBe('virtual');
    expect(info.commandLine).toContain('--cores');
    expect(doc.interrupted).toBe(false);
    const ok = doc.runs.filter((r: SweepRun) => r.status === 'ok') as SweepRun[];
    expect(ok.every((r) => r.vms.length === 4 && r.channels[0].messages > 0 && r.latency.count >= 0)).toBe(true);
    expect(doc.summary.find((s: { label: string }) => s.label === 'cores=2 policy=fixed-priority').speedup).toBeGreaterThan(0);
  });

  it('draws the three plots', () => {
    for (const [file, title] of [['speedup.svg', 'Speed-up'], ['latency.svg', 'latency'], ['ipc.svg', 'IPC']]) {
      const svg = readFileSync(join(out, file), 'utf8');
      expect(svg.startsWith('<svg') || svg.startsWith('<?xml')).toBe(true);
      expect(svg).toContain(title);
      expect(svg).not.toMatch(/NaN|Infinity/);
    }
  });

  it('refuses a bad list, a missing --out and a bad scenario in one line each', async () => {
    const run = async (...argv: string[]) => {
      const { code, stderr } = await tessera('sweep', ...argv);
      return { code, stderr };
    };
    expect(await run(SCENARIO, '--cores', '1,x', '--out', out)).toEqual({ code: 2, stderr: expect.stringMatching(/^tessera: --cores: 'x' is not a whole number.*\n$/) });
    expect(await run(SCENARIO, '--cores', '1')).toEqual({ code: 2, stderr: expect.stringMatching(/needs --out DIR/) });
    const broken = join(scratch, 'broken.json');
    writeFileSync(broken, '{"name": "broken", "cores": 0}');
    const r = await run(broken, '--out', join(scratch, 'never'));
    expect(r.code).toBe(3);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(join(scratch, 'never'))).toBe(false);
    const none = await run(SCENARIO, '--cores', '1', '--policy', 'time-partitioned', '--out', join(scratch, 'none'));
    expect(none.code).toBe(3);
    expect(none.stderr).toContain('tessera: no point of the sweep ran: every one was invalid or failed\n');
  });

  it('writes a trace per run with --trace, named after the run', async () => {
    const dir = join(scratch, 'traced');
    const outcome = await runSweep({
      scenarioPath: SCENARIO, axes: { cores: [1, 2] }, repeat: 1, durationSeconds: 0.01, outDir: dir, commandLine: ['test'], trace: join(dir, 'run.json'),
    });
    expect(outcome.runs.map((r) => [r.traceFile, r.traceDropped])).toEqual([[join(dir, 'run.cores-1.1.json'), 0], [join(dir, 'run.cores-2.1.json'), 0]]);
    const doc = JSON.parse(readFileSync(join(dir, 'run.cores-2.1.json'), 'utf8'));
    expect(doc.otherData.run).toBe('cores=2 #1');
    expect(doc.otherData.reproducibility.scenario.sha256).toMatch(/^[0-9a-f]{64}$/);
    const tracks = new Set(doc.traceEvents.filter((e: { ph: string; cat?: string }) => e.ph === 'X').map((e: { tid: number }) => e.tid));
    expect([...tracks].sort()).toEqual([0, 1]);
  }, 120_000);

  it('stops when interrupted and keeps the finished runs in the files', async () => {
    const dir = join(scratch, 'interrupted');
    const controller = new AbortController();
    const outcome = await runSweep({
      scenarioPath: SCENARIO, axes: { cores: [1, 2, 4] }, repeat: 1, durationSeconds: 0.02, outDir: dir, commandLine: ['test'],
      signal: controller.signal,
      // Interrupt as the second run starts: the first is done and written, the second never counts.
      onRunStart: (_id, index) => { if (index === 1) controller.abort(); },
    });
    expect(outcome.interrupted).toBe(true);
    expect(outcome.runs.map((r) => r.id)).toEqual(['cores=1 #1']);
    const doc = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
    expect(doc.interrupted).toBe(true);
    expect(doc.runs).toHaveLength(1);
  }, 120_000);

  it('Ctrl-C on the command line ends with 130 and the results so far', async () => {
    const dir = join(scratch, 'sigint');
    const child = spawn(process.execPath, [BIN, 'sweep', SCENARIO, '--cores', '1,2,4', '--duration', '1', '--out', dir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let sent = false;
    const exit = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      if (!sent && stderr.includes('[1/3]')) sent = child.kill('SIGINT');
    });
    expect(await exit).toBe(130);
    expect(stderr).toMatch(/sweep interrupted after [12] run/);
    const doc = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
    expect(doc.interrupted).toBe(true);
    expect(doc.runs.length).toBeGreaterThanOrEqual(1);
    expect(doc.runs.length).toBeLessThan(3);
  }, 120_000);
});
