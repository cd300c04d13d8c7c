// Sweep result files: the CSV's columns, quoting and header, the per-point summary, the JSON document, the table.

import { describe, expect, it } from 'vitest';
import { formatSummaryTable, summarisePoints, sweepCsv, sweepJson, SWEEP_CSV_COLUMNS } from '../../../engine/experiment/sweep-results.js';
import type { LatencySummary, ReproducibilityInfo, SweepPoint, SweepRun } from '../../../engine/experiment/sweep-record.js';
import { pointLabel, runId } from '../../../engine/experiment/sweep-plan.js';

const NO_LATENCY: LatencySummary = { count: 0, min: null, p50: null, p90: null, p99: null, p999: null, max: null };

function latency(p99: number): LatencySummary {
  return { count: 100, min: 10, p50: 20, p90: 50, p99, p999: p99 + 1, max: p99 + 2 };
}

function run(point: SweepPoint, repeat: number, mips: number, extra: Partial<SweepRun> = {}): SweepRun {
  return {
    id: runId(point, repeat),
    point,
    repeat,
    status: 'ok',
    frequency: 100_000_000,
    wallSeconds: 2,
    virtualSeconds: 0.5,
    threads: point.cores,
    instructions: mips * 2_000_000,
    mips,
    hostCpuUtilisation: 0.5,
    coreUtilisation: 0.25,
    latency: latency(100),
    vms: [{ name: 'a', instructions: mips * 2_000_000, mips, interrupts: 3, latency: NO_LATENCY }],
    ipc: { messages: 10, bytes: 640, messagesPerWallSecond: 5, messagesPerVirtualSecond: 20, bytesPerWallSecond: 320, latency: latency(400) },
    channels: [],
    ...extra,
  };
}

function invalid(point: SweepPoint, repeat: number, error: string): SweepRun {
  return { ...run(point, repeat, 0), status: 'invalid', error, vms: [] };
}

const INFO: ReproducibilityInfo = {
  tessera: '0.1.0',
  gitCommit: 'abc123-dirty',
  scenario: { path: 'scenarios/phone.json', sha256: 'f'.repeat(64), guests: [{ path: 'guests/bin/rich.elf', sha256: 'e'.repeat(64) }] },
  host: { cpuModel: 'Some CPU @ 3.0GHz', cpuCount: 8, memoryGiB: 16, os: 'linux 6.1', node: 'v22.1.0' },
  timingMode: 'virtual',
  seed: 0,
  commandLine: ['tessera', 'sweep', 'scenarios/phone.json', '--cores', '1,2', '--out', 'my results\nx'],
  date: '2025-01-01T00:00:00.000Z',
};

/** The data lines of a CSV (no comments), split into fields by a small RFC 4180 reader. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let field = '';
  let row: string[] = [];
  let quoted = false;
  const body = text.split('\n').filter((line) => !line.startsWith('#')).join('\n');
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (quoted) {
      if (ch === '"' && body[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') {
        quoted = false;
      } else {
        field += ch;
      }
    } else if (ch === '"') {
      quoted = true;
    } else if (ch === ',' || ch === '\n') {
      row.push(field);
      field = '';
      if (ch === '\n') {
        rows.push(row);
        row = [];
      }
    } else {
      field += ch;
    }
  }
  return rows;
}

describe('sweepCsv', () => {
  it('starts with # comment lines of the reproducibility info, one line each', () => {
    const comments = sweepCsv([], INFO).split('\n').filter((l) => l.startsWith('#'));
    expect(comments).toEqual([
      '# tessera: 0.1.0',
      '# git_commit: abc123-dirty',
      `# scenario: scenarios/phone.json sha256=${'f'.repeat(64)}`,
      `# guest: guests/bin/rich.elf sha256=${'e'.repeat(64)}`,
      '# host: Some CPU @ 3.0GHz; 8 CPUs; 16 GiB; linux 6.1',
      '# node: v22.1.0',
      '# timing_mode: virtual',
      '# seed: 0',
      "# command: tessera sweep scenarios/phone.json --cores 1,2 --out 'my results x'",
      '# date: 2025-01-01T00:00:00.000Z',
    ]);
    expect(sweepCsv([], INFO).split('\n')[10]).toBe(SWEEP_CSV_COLUMNS.join(','));
  });

  it('has the fixed columns with one mips_<vm> column per VM name before error', () => {
    const runs = [
      run({ cores: 1 }, 1, 10),
      run({ cores: 2 }, 1, 20, { vms: [{ name: 'b', instructions: 1, mips: 7.25, interrupts: 0, latency: NO_LATENCY }] }),
    ];
    const [header, first, second] = parseCsv(sweepCsv(runs, INFO));
    expect(header).toEqual([...SWEEP_CSV_COLUMNS.slice(0, -1), 'mips_a', 'mips_b', 'error']);
    expect(header.slice(0, 8)).toEqual(['id', 'repeat', 'status', 'cores', 'vms', 'quantum', 'policy', 'threads']);
    const at = (row: string[], name: string): string => row[header.indexOf(name)];
    expect(at(first, 'mips_a')).toBe('10.0');
    expect(at(first, 'mips_b')).toBe('');
    expect(at(second, 'mips_b')).toBe('7.3');
  });

  it('prints figures plainly: mips 1 decimal, utilisations 3, counts whole, absent axes empty', () => {
    const r = run({ cores: 4, quantum: 100_000 }, 2, 1234.56, { instructions: 123_456_789_012, hostCpuUtilisation: 0.123456, wallSeconds: 0.0000012 });
    const [header, row] = parseCsv(sweepCsv([r], INFO));
    const at = (name: string): string => row[header.indexOf(name)];
    expect(at('id')).toBe('cores=4 quantum=100000 #2');
    expect(at('vms')).toBe('');
    expect(at('quantum')).toBe('100000');
    expect(at('policy')).toBe('');
    expect(at('mips')).toBe('1234.6');
    expect(at('instructions')).toBe('123456789012');
    expect(at('host_cpu_util')).toBe('0.123');
    expect(at('core_util')).toBe('0.250');
    expect(at('wall_s')).toBe('0.000001');
    expect(at('irq_p99_cycles')).toBe('100');
    expect(at('ipc_p99_cycles')).toBe('400');
    expect(at('ipc_msgs_per_wall_s')).toBe('5.0');
    expect(sweepCsv([r], INFO)).not.toMatch(/\de[+-]?\d/);
  });

  it('quotes fields with commas, quotes, line breaks and #', () => {
    const r = invalid({ cores: 1, policy: 'partitioned' }, 1, 'vms[0].name: "a,b" is\nbad');
    const text = sweepCsv([r], INFO);
    const row = text.split('\n').find((line) => line.startsWith('"cores=')) ?? '';
    expect(row.startsWith('"cores=1 policy=partitioned #1",1,invalid,1,,,partitioned,')).toBe(true);
    expect(text).toContain('"vms[0].name: ""a,b"" is\nbad"');
    expect(parseCsv(text)[1].at(-1)).toBe('vms[0].name: "a,b" is\nbad');
  });

  it('keeps invalid runs with their error and empty figures', () => {
    const runs = [run({ cores: 1 }, 1, 10), invalid({ cores: 2, policy: 'partitioned' }, 1, 'vms: 9 vCPUs need 9 cores')];
    const [header, , bad] = parseCsv(sweepCsv(runs, INFO));
    expect(bad.length).toBe(header.length);
    expect(bad.slice(0, 7)).toEqual(['cores=2 policy=partitioned #1', '1', 'invalid', '2', '', '', 'partitioned']);
    expect(bad.slice(7, -1).every((f) => f === '')).toBe(true);
    expect(bad.at(-1)).toBe('vms: 9 vCPUs need 9 cores');
  });
});

describe('summarisePoints', () => {
  const runs = [
    run({ cores: 1, quantum: 1000 }, 1, 100),
    run({ cores: 2, quantum: 1000 }, 1, 180, { hostCpuUtilisation: 0.2, latency: latency(300) }),
    run({ cores: 1, quantum: 1000 }, 2, 110),
    run({ cores: 2, quantum: 1000 }, 2, 220, { hostCpuUtilisation: 0.4, latency: latency(500) }),
    invalid({ cores: 1, quantum: 5000 }, 1, 'bad'),
    run({ cores: 2, quantum: 5000 }, 1, 50),
    run({ cores: 4, quantum: 5000 }, 1, 150),
    { ...run({ cores: 2, quantum: 1000 }, 3, 9999), status: 'failed' as const, error: 'worker died' },
  ];
  const summary = summarisePoints(runs);

  it('has one entry per point in order of first run, with the labels of sweep-plan', () => {
    expect(summary.map((s) => s.label)).toEqual(['cores=1 quantum=1000', 'cores=2 quantum=1000', 'cores=1 quantum=5000', 'cores=2 quantum=5000', 'cores=4 quantum=5000']);
    for (const s of summary) expect(s.label).toBe(pointLabel(s.point));
  });

  it('gives mean, min, max and sample stddev of MIPS over the ok repeats', () => {
    expect(summary[0].mips).toEqual({ mean: 105, min: 100, max: 110, stddev: Math.sqrt(50) });
    expect(summary[1].runs).toBe(2);
    expect(summary[1].notOk).toBe(1);
    expect(summary[1].mips?.mean).toBe(200);
    expect(summary[1].mips?.stddev).toBeCloseTo(Math.sqrt(800), 12);
    expect(summary[3].mips?.stddev).toBe(0);
  });

  it('averages host CPU, irq p99 and IPC rate', () => {
    expect(summary[1].hostCpuUtilisation).toBeCloseTo(0.3, 12);
    expect(summary[1].irqP99Cycles).toBe(400);
    expect(summary[1].ipcMessagesPerWallSecond).toBe(5);
  });

  it('gives speed-up against the fewest cores with ok runs among points equal in the other axes', () => {
    expect(summary[0]).toMatchObject({ speedup: 1, speedupBaseCores: 1 });
    expect(summary[1].speedup).toBeCloseTo(200 / 105, 12);
    // cores=1 quantum=5000 was invalid: its group is measured against 2 cores.
    expect(summary[2]).toMatchObject({ runs: 0, mips: null, speedup: null, hostCpuUtilisation: null, error: 'invalid: bad' });
    expect(summary[3]).toMatchObject({ speedup: 1, speedupBaseCores: 2 });
    expect(summary[4]).toMatchObject({ speedup: 3, speedupBaseCores: 2 });
  });

  it('gives null latency when no run measured one', () => {
    const [s] = summarisePoints([run({ cores: 1 }, 1, 5, { latency: NO_LATENCY })]);
    expect(s.irqP99Cycles).toBeNull();
  });
});

describe('sweepJson', () => {
  it('round-trips through JSON.parse with the summary and the interrupted flag', () => {
    const runs = [run({ cores: 1 }, 1, 100), run({ cores: 2 }, 1, 150), invalid({ cores: 4 }, 1, 'nope')];
    const doc = { reproducibility: INFO, axes: { cores: [1, 2, 4] }, repeat: 1, durationSeconds: null, interrupted: true, runs };
    const text = sweepJson(doc);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).toContain('\n  "interrupted": true');
    const parsed = JSON.parse(text);
    expect(parsed).toMatchObject({ interrupted: true, repeat: 1, durationSeconds: null, axes: { cores: [1, 2, 4] } });
    expect(parsed.runs).toEqual(runs);
    expect(parsed.reproducibility).toEqual(INFO);
    expect(parsed.summary).toEqual(summarisePoints(runs));
    expect(parsed.summary[1].speedup).toBe(1.5);
  });
});

describe('formatSummaryTable', () => {
  it('prints aligned rows and why a point has no figures', () => {
    const summary = summarisePoints([
      run({ cores: 1 }, 1, 100),
      run({ cores: 1 }, 2, 110),
      run({ cores: 16 }, 1, 300, { hostCpuUtilisation: 0.875 }),
      invalid({ cores: 64, policy: 'partitioned' }, 1, 'vms: too many'),
    ]);
    const lines = formatSummaryTable(summary).trimEnd().split('\n');
    expect(lines[0]).toMatch(/^point\s+runs\s+MIPS\s+speed-up\s+host CPU\s+irq p99 \(cycles\)\s+IPC msg\/s$/);
    expect(lines[1]).toMatch(/^cores=1 {20,}2\s+105\.0 ± 7\.1\s+1\.00x\s+50\.0 %\s+100\s+5$/);
    expect(lines[2]).toMatch(/^cores=16\s+1\s+300\.0 ± 0\.0\s+2\.86x\s+87\.5 %/);
    expect(lines[3]).toMatch(/^cores=64 policy=partitioned\s+0\/1\s+-\s+-\s+-\s+-\s+-$/);
    expect(lines[4]).toBe('cores=64 policy=partitioned: invalid: vms: too many');
    // Fixed width: the columns line up.
    const end = (line: string, text: string): number => line.indexOf(text) + text.length;
    expect(end(lines[1], '1.00x')).toBe(end(lines[0], 'speed-up'));
    expect(end(lines[2], '2.86x')).toBe(end(lines[0], 'speed-up'));
  });
});
