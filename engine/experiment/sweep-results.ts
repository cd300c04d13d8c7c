// What `tessera sweep` writes: a CSV of every run, a JSON document with a per-point summary, and a terminal table.

import { csvField } from '../metrics/csv.js';
import { pointLabel } from './sweep-plan.js';
import type { ReproducibilityInfo, SweepPoint, SweepRun } from './sweep-record.js';

type Cell = (run: SweepRun) => string;

/** Which run a row is; filled for every run, ok or not. */
const POINT_COLUMNS: [string, Cell][] = [
  ['id', (r) => r.id],
  ['repeat', (r) => plain(r.repeat)],
  ['status', (r) => r.status],
  ['cores', (r) => plain(r.point.cores)],
  ['vms', (r) => plain(r.point.vms)],
  ['quantum', (r) => plain(r.point.quantum)],
  ['policy', (r) => r.point.policy ?? ''],
];

/** What a run measured; empty for runs that are not ok (their figures mean nothing). */
const FIGURE_COLUMNS: [string, Cell][] = [
  ['threads', (r) => plain(r.threads)],
  ['wall_s', (r) => plain(r.wallSeconds, 6)],
  ['virtual_s', (r) => plain(r.virtualSeconds, 6)],
  ['instructions', (r) => plain(r.instructions)],
  ['mips', (r) => plain(r.mips, 1)],
  ['host_cpu_util', (r) => plain(r.hostCpuUtilisation, 3)],
  ['core_util', (r) => plain(r.coreUtilisation, 3)],
  ['irq_count', (r) => plain(r.latency.count)],
  ['irq_p50_cycles', (r) => plain(r.latency.p50)],
  ['irq_p90_cycles', (r) => plain(r.latency.p90)],
  ['irq_p99_cycles', (r) => plain(r.latency.p99)],
  ['irq_p999_cycles', (r) => plain(r.latency.p999)],
  ['irq_max_cycles', (r) => plain(r.latency.max)],
  ['ipc_messages', (r) => plain(r.ipc.messages)],
  ['ipc_bytes', (r) => plain(r.ipc.bytes)],
  ['ipc_msgs_per_wall_s', (r) => plain(r.ipc.messagesPerWallSecond, 1)],
  ['ipc_bytes_per_wall_s', (r) => plain(r.ipc.bytesPerWallSecond, 1)],
  ['ipc_p50_cycles', (r) => plain(r.ipc.latency.p50)],
  ['ipc_p99_cycles', (r) => plain(r.ipc.latency.p99)],
];

/**
 * The fixed CSV columns in order. sweepCsv inserts one `mips_<vm>` column per VM name (the union
 * over all runs, in order of first appearance) before the last column, `error`.
 */
export const SWEEP_CSV_COLUMNS: readonly string[] = [...POINT_COLUMNS, ...FIGURE_COLUMNS].map(([name]) => name).concat('error');

/**
 * The runs as CSV (RFC 4180 quoting, LF line ends) after `#` comment lines that make the file
 * reproducible; most CSV readers skip them when told comment='#' (pandas, R's comment.char).
 * Fields holding '#' are quoted too, since such readers cut an unquoted line at its first '#'.
 */
export function sweepCsv(runs: SweepRun[], info: ReproducibilityInfo): string {
  const vmNames = [...new Set(runs.flatMap((r) => r.vms.map((vm) => vm.name)))];
  const header = [...POINT_COLUMNS, ...FIGURE_COLUMNS].map(([name]) => name).concat(vmNames.map((n) => `mips_${n}`), 'error');
  const rows = runs.map((run) => {
    const ok = run.status === 'ok';
    return [
      ...POINT_COLUMNS.map(([, cell]) => cell(run)),
      ...FIGURE_COLUMNS.map(([, cell]) => (ok ? cell(run) : '')),
      ...vmNames.map((name) => (ok ? plain(run.vms.find((vm) => vm.name === name)?.mips, 1) : '')),
      run.error ?? '',
    ];
  });
  const lines = [...commentLines(info), ...[header, ...rows].map((fields) => fields.map(csvField).join(','))];
  return lines.join('\n') + '\n';
}

function commentLines(info: ReproducibilityInfo): string[] {
  const { host, scenario } = info;
  const lines = [
    `tessera: ${info.tessera}`,
    `git_commit: ${info.gitCommit}`,
    `scenario: ${scenario.path} sha256=${scenario.sha256}`,
    ...scenario.guests.map((g) => `guest: ${g.path} sha256=${g.sha256}`),
    `host: ${host.cpuModel}; ${host.cpuCount} CPUs; ${host.memoryGiB} GiB; ${host.os}`,
    `node: ${host.node}`,
    `timing_mode: ${info.timingMode}`,
    `seed: ${info.seed}`,
    `command: ${info.commandLine.map(shellWord).join(' ')}`,
    `date: ${info.date}`,
  ];
  // A line break inside a value would end the comment and start a bogus row.
  return lines.map((line) => `# ${line.replace(/[\r\n]+/g, ' ')}`);
}

/** An argument as a POSIX shell would need it, so the command line can be pasted back. */
function shellWord(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`;
}

/** A number without exponent: `decimals` places when given, integers as they are, other values to 3 places; '' when absent. */
function plain(value: number | null | undefined, decimals?: number): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '';
  if (decimals === undefined && Number.isInteger(value)) return BigInt(value).toString();
  const text = value.toFixed(decimals ?? 3);
  return /^-0\.?0*$/.test(text) ? text.slice(1) : text;
}

// ---- summary ----------------------------------------------------------------------------------

export interface Spread {
  mean: number;
  min: number;
  max: number;
  /** Sample standard deviation (n - 1); 0 for a single run. */
  stddev: number;
}

/** The figures of one point over its ok repeats; null where no ok repeat measured them. */
export interface PointSummary {
  point: SweepPoint;
  label: string;
  /** Ok repeats the figures are over. */
  runs: number;
  /** Repeats that were invalid or failed. */
  notOk: number;
  /** When no repeat was ok: the first one's status and error, e.g. "invalid: vms: ...". */
  error?: string;
  mips: Spread | null;
  /** Mean MIPS over the mean MIPS of the point with the fewest cores (and ok runs) among those equal in every other axis. */
  speedup: number | null;
  /** The core count that speed-up is relative to. */
  speedupBaseCores: number | null;
  hostCpuUtilisation: number | null;
  /** Mean of the runs' interrupt-latency p99, in virtual cycles. */
  irqP99Cycles: number | null;
  ipcMessagesPerWallSecond: number | null;
}

/** One summary per point, in order of the point's first run. */
export function summarisePoints(runs: SweepRun[]): PointSummary[] {
  const byLabel = new Map<string, SweepRun[]>();
  for (const run of runs) {
    const label = pointLabel(run.point);
    const list = byLabel.get(label);
    if (list === undefined) byLabel.set(label, [run]);
    else list.push(run);
  }
  const summaries = [...byLabel].map(([label, group]) => summariseOne(label, group));
  addSpeedups(summaries);
  return summaries;
}

function summariseOne(label: string, runs: SweepRun[]): PointSummary {
  const ok = runs.filter((r) => r.status === 'ok');
  const firstBad = runs.find((r) => r.status !== 'ok');
  return {
    point: runs[0].point,
    label,
    runs: ok.length,
    notOk: runs.length - ok.length,
    ...(ok.length === 0 && firstBad !== undefined ? { error: `${firstBad.status}: ${firstBad.error ?? 'no reason given'}` } : {}),
    mips: spread(ok.map((r) => r.mips)),
    speedup: null,
    speedupBaseCores: null,
    hostCpuUtilisation: mean(ok.map((r) => r.hostCpuUtilisation)),
    irqP99Cycles: mean(ok.map((r) => r.latency.p99)),
    ipcMessagesPerWallSecond: mean(ok.map((r) => r.ipc.messagesPerWallSecond)),
  };
}

/** Speed-up within each group of points that differ only in cores. */
function addSpeedups(summaries: PointSummary[]): void {
  const groups = new Map<string, PointSummary[]>();
  for (const s of summaries) {
    const key = JSON.stringify([s.point.vms, s.point.quantum, s.point.policy]);
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  for (const group of groups.values()) {
    const measured = group.filter((s) => s.mips !== null && s.mips.mean > 0);
    if (measured.length === 0) continue;
    const base = measured.reduce((a, b) => (b.point.cores < a.point.cores ? b : a));
    for (const s of measured) {
      s.speedup = (s.mips?.mean ?? 0) / (base.mips?.mean ?? 1);
      s.speedupBaseCores = base.point.cores;
    }
  }
}

function spread(values: number[]): Spread | null {
  const m = mean(values);
  if (m === null) return null;
  const stddev = values.length < 2 ? 0 : Math.sqrt(values.reduce((sum, v) => sum + (v - m) ** 2, 0) / (values.length - 1));
  return { mean: m, min: Math.min(...values), max: Math.max(...values), stddev };
}

/** Mean of the finite values, null when there are none. */
function mean(values: (number | null)[]): number | null {
  const known = values.filter((v): v is number => v !== null && Number.isFinite(v));
  return known.length === 0 ? null : known.reduce((a, b) => a + b, 0) / known.length;
}

// ---- JSON and the terminal --------------------------------------------------------------------

export interface SweepDocument {
  reproducibility: ReproducibilityInfo;
  axes: Record<string, (number | string)[]>;
  repeat: number;
  durationSeconds: number | null;
  /** True when the sweep was stopped (Ctrl-C) before every run was done. */
  interrupted: boolean;
  runs: SweepRun[];
}

/** The whole sweep as pretty JSON, with the per-point summary before the runs. */
export function sweepJson(doc: SweepDocument): string {
  const { reproducibility, axes, repeat, durationSeconds, interrupted, runs } = doc;
  const summary = summarisePoints(runs);
  return JSON.stringify({ reproducibility, axes, repeat, durationSeconds, interrupted, summary, runs }, null, 2) + '\n';
}

const TABLE_HEADER = ['point', 'runs', 'MIPS', 'speed-up', 'host CPU', 'irq p99 (cycles)', 'IPC msg/s'];

/** A fixed-width table, one row per point, then one line per point that has no ok run saying why. */
export function formatSummaryTable(summary: PointSummary[]): string {
  const rows = summary.map((s) => [
    s.label,
    s.notOk > 0 ? `${s.runs}/${s.runs + s.notOk}` : `${s.runs}`,
    s.mips === null ? '-' : `${s.mips.mean.toFixed(1)} ± ${s.mips.stddev.toFixed(1)}`,
    s.speedup === null ? '-' : `${s.speedup.toFixed(2)}x`,
    s.hostCpuUtilisation === null ? '-' : `${(s.hostCpuUtilisation * 100).toFixed(1)} %`,
    s.irqP99Cycles === null ? '-' : s.irqP99Cycles.toFixed(0),
    s.ipcMessagesPerWallSecond === null ? '-' : s.ipcMessagesPerWallSecond.toFixed(0),
  ]);
  const table = [TABLE_HEADER, ...rows];
  const widths = TABLE_HEADER.map((_, c) => Math.max(...table.map((row) => row[c].length)));
  const lines = table.map((row) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ').trimEnd());
  const notes = summary.filter((s) => s.error !== undefined).map((s) => `${s.label}: ${s.error}`);
  return [...lines, ...notes].join('\n') + '\n';
}
