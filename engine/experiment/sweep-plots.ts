// The plots `tessera sweep` writes: speed-up and IPC throughput against cores, latency against load.

import type { SweepPoint, SweepRun } from './sweep-record.js';
import { renderLineChart, type LineChart, type PlotSeries } from '../metrics/svg-plot.js';

export interface PlotFile {
  file: string;
  svg: string;
}

export interface ChartFile {
  file: string;
  chart: LineChart;
}

/** A value over the repeats of one point: its group (the other point fields) and core count. */
interface Cell {
  group: string;
  cores: number;
  mean: number;
  min: number;
  max: number;
  repeats: number;
}

/** The SVG files of a sweep; only runs with status 'ok' count. */
export function sweepPlots(runs: SweepRun[], hostCpus?: number): PlotFile[] {
  return sweepCharts(runs, hostCpus).map(({ file, chart }) => ({ file, svg: renderLineChart(chart) }));
}

/** The charts behind `sweepPlots`, as data (so their values can be checked without reading SVG). */
export function sweepCharts(runs: SweepRun[], hostCpus?: number): ChartFile[] {
  const ok = runs.filter((r) => r.status === 'ok');
  return [
    { file: 'speedup.svg', chart: speedupChart(ok, hostCpus) },
    { file: 'latency.svg', chart: latencyChart(ok) },
    { file: 'ipc.svg', chart: ipcChart(ok) },
  ];
}

/** With the host's CPU count: a reader must know the speed-up cannot pass it, however many cores are emulated. */
function speedupChart(runs: SweepRun[], hostCpus?: number): LineChart {
  const series: PlotSeries[] = [];
  for (const [name, cells] of byGroup(cellsOf(runs, (r) => r.mips))) {
    // Scaled by the group's own smallest core count, so each group starts at 1.
    const base = cells[0].mean;
    if (!(base > 0)) continue;
    series.push({
      name,
      points: cells.map((c) => ({
        x: c.cores,
        y: c.mean / base,
        ...(c.repeats > 1 ? { yLow: c.min / base, yHigh: c.max / base } : {}),
      })),
    });
  }
  const cores = [...new Set(runs.map((r) => r.point.cores))].sort((a, b) => a - b);
  if (cores.length > 0) series.push({ name: 'ideal', dashed: true, points: cores.map((c) => ({ x: c, y: c / cores[0] })) });
  return {
    title: 'Speed-up against cores',
    xLabel: 'emulated cores',
    yLabel: 'speed-up (aggregate MIPS / MIPS at fewest cores)',
    series,
    xLog2: true,
    yMin: 0,
    ...(hostCpus === undefined ? {} : { note: `measured on a host with ${hostCpus} CPU${hostCpus === 1 ? '' : 's'}` }),
  };
}

const LATENCY_SERIES = [
  ['p50', 'p50'],
  ['p99', 'p99'],
  ['p99.9', 'p999'],
  ['max', 'max'],
] as const;

function latencyChart(runs: SweepRun[]): LineChart {
  const measured = runs
    .filter((r) => r.latency.count > 0 && r.frequency > 0)
    .sort((a, b) => a.coreUtilisation - b.coreUtilisation);
  const series = LATENCY_SERIES.map(([name, key]): PlotSeries => ({
    name,
    points: measured.flatMap((r) => {
      const cycles = r.latency[key];
      return cycles === null ? [] : [{ x: r.coreUtilisation * 100, y: (cycles / r.frequency) * 1e6 }];
    }),
  }));
  return {
    title: 'Interrupt latency against load',
    xLabel: 'emulated-core load (%)',
    yLabel: 'interrupt latency (µs)',
    series,
    yMin: 0,
  };
}

function ipcChart(runs: SweepRun[]): LineChart {
  const series = [...byGroup(cellsOf(runs, (r) => r.ipc.messagesPerWallSecond))].map(
    ([name, cells]): PlotSeries => ({ name, points: cells.map((c) => ({ x: c.cores, y: c.mean })) }),
  );
  const anyMessages = runs.some((r) => r.ipc.messages > 0);
  return {
    title: 'IPC throughput against cores',
    xLabel: 'emulated cores',
    yLabel: 'messages per wall-clock second',
    series,
    xLog2: true,
    yMin: 0,
    ...(anyMessages ? {} : { note: 'no inter-VM messages in this scenario' }),
  };
}

/** Mean, min and max of `value` over the repeats of each point, sorted by cores. */
function cellsOf(runs: SweepRun[], value: (run: SweepRun) => number): Cell[] {
  const varying = varyingFields(runs);
  const cells = new Map<string, { group: string; cores: number; values: number[] }>();
  for (const run of runs) {
    const group = groupName(run.point, varying);
    const key = `${group}\u0000${run.point.cores}`;
    const cell = cells.get(key) ?? { group, cores: run.point.cores, values: [] };
    cell.values.push(value(run));
    cells.set(key, cell);
  }
  return [...cells.values()]
    .map(({ group, cores, values }) => ({
      group,
      cores,
      mean: values.reduce((a, b) => a + b, 0) / values.length,
      min: Math.min(...values),
      max: Math.max(...values),
      repeats: values.length,
    }))
    .sort((a, b) => a.cores - b.cores);
}

/** Cells per group, in the order groups first appear; each group's cells stay sorted by cores. */
function byGroup(cells: Cell[]): Map<string, Cell[]> {
  const groups = new Map<string, Cell[]>();
  for (const c of cells) groups.set(c.group, [...(groups.get(c.group) ?? []), c]);
  return groups;
}

type GroupField = 'vms' | 'quantum' | 'policy';
const GROUP_FIELDS: GroupField[] = ['vms', 'quantum', 'policy'];

/** The point fields besides cores that take more than one value: only they tell series apart. */
function varyingFields(runs: SweepRun[]): GroupField[] {
  return GROUP_FIELDS.filter((f) => new Set(runs.map((r) => r.point[f])).size > 1);
}

function groupName(point: SweepPoint, fields: GroupField[]): string {
  const parts = fields.map((f) => {
    const v = point[f];
    if (v === undefined) return `no ${f}`;
    if (f === 'vms') return `${v} VM${v === 1 ? '' : 's'}`;
    if (f === 'quantum') return `quantum ${v}`;
    return String(v);
  });
  return parts.length > 0 ? parts.join(', ') : 'measured';
}
