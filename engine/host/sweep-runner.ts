// `tessera sweep`: runs a scenario at every point of a parameter sweep and keeps the result files
// current after each run, so an interrupted sweep leaves everything measured so far on disk.

import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { applyPoint, pointLabel, runId, sweepPoints, type SweepAxes } from '../experiment/sweep-plan.js';
import { sweepPlots } from '../experiment/sweep-plots.js';
import type { ReproducibilityInfo, SweepPoint, SweepRun } from '../experiment/sweep-record.js';
import { sweepCsv, sweepJson } from '../experiment/sweep-results.js';
import { threadCount } from '../hypervisor/sync-groups.js';
import { summariseLatency } from '../metrics/latency-summary.js';
import type { Scenario } from '../scenario/scenario.js';
import { fileErrorReason } from './guest-file.js';
import { reproducibilityInfo } from './run-metadata.js';
import { measureRun } from './run-figures.js';
import { loadScenarioFile, scenarioFromObject } from './scenario-file.js';
import { System } from './system.js';

export class SweepError extends Error {
  override readonly name = 'SweepError';
}

export interface SweepOptions {
  scenarioPath: string;
  axes: SweepAxes;
  repeat: number;
  /** Virtual seconds per run; undefined: until every VM has ended. */
  durationSeconds?: number;
  outDir: string;
  /** Worker threads per run (default: one per core up to the host's CPUs). */
  threads?: number;
  /** Chrome trace of each run: FILE becomes FILE-less-extension.<run>.json. */
  trace?: string;
  commandLine: readonly string[];
  signal?: AbortSignal;
  /** The sweep is about to run its first point (the scenario loaded, the folder made). */
  onStart?: (info: ReproducibilityInfo) => void;
  onRunStart?: (id: string, index: number, total: number) => void;
  onRunEnd?: (run: SweepRun, index: number, total: number) => void;
}

export interface SweepOutcome {
  runs: SweepRun[];
  interrupted: boolean;
  files: string[];
}

export const SWEEP_FILES = ['results.csv', 'results.json', 'speedup.svg', 'latency.svg', 'ipc.svg'];

export async function runSweep(options: SweepOptions): Promise<SweepOutcome> {
  const { scenarioPath, outDir } = options;
  const base = loadScenarioFile(scenarioPath);
  if (base.scenario === undefined) throw new SweepError(`${scenarioPath}: ${base.errors[0]}${base.errors.length > 1 ? ` (and ${base.errors.length - 1} more)` : ''}`);
  const raw = JSON.parse(readFileSync(scenarioPath, 'utf8')) as unknown;
  const baseDir = dirname(resolve(scenarioPath));
  try {
    mkdirSync(outDir, { recursive: true });
  } catch (error) {
    throw new SweepError(`cannot create ${outDir}: ${fileErrorReason(error)}`);
  }
  const info = reproducibilityInfo(scenarioPath, base.scenario, options.commandLine);
  const points = sweepPoints(options.axes);
  const total = points.length * options.repeat;
  const runs: SweepRun[] = [];
  let interrupted = false;
  const save = () => writeResults(outDir, info, options, runs, interrupted);
  save();
  options.onStart?.(info);
  let index = 0;
  for (const point of points) {
    const checked = scenarioFromObject(applyPoint(raw, point), baseDir);
    if (checked.scenario === undefined) {
      // Reported by name and skipped: the sweep goes on with the next point.
      const run = invalidRun(point, base.scenario, checked.errors);
      runs.push(run);
      index += options.repeat;
      options.onRunEnd?.(run, index, total);
      save();
      continue;
    }
    for (let repeat = 1; repeat <= options.repeat; repeat++) {
      if (options.signal?.aborted) break;
      const id = runId(point, repeat);
      options.onRunStart?.(id, index, total);
      const run = await runOnce(checked.scenario, point, repeat, id, options, info);
      if (run === undefined) break; // interrupted: the unfinished run is not a result
      runs.push(run);
      index++;
      options.onRunEnd?.(run, index, total);
      save();
    }
    if (options.signal?.aborted) break;
  }
  interrupted = options.signal?.aborted ?? false;
  save();
  return { runs, interrupted, files: SWEEP_FILES.map((f) => join(outDir, f)) };
}

/** One run of one point; undefined when the sweep was interrupted during it. */
async function runOnce(scenario: Scenario, point: SweepPoint, repeat: number, id: string, options: SweepOptions, info: ReproducibilityInfo): Promise<SweepRun | undefined> {
  const traceFile = options.trace === undefined ? undefined : traceFileFor(options.trace, id);
  const durationCycles = options.durationSeconds === undefined ? 0 : Math.round(options.durationSeconds * scenario.timing.frequency);
  let system: System | undefined;
  const stop = () => system?.stop();
  options.signal?.addEventListener('abort', stop);
  try {
    system = await System.create(scenario, {
      durationCycles, ...(options.threads === undefined ? {} : { threads: options.threads }),
      ...(traceFile === undefined ? {} : { traceFile, traceMetadata: { run: id, reproducibility: info } }),
    });
    if (options.signal?.aborted) return undefined;
    const figures = await measureRun(system, info.host.cpuCount);
    if (options.signal?.aborted) return undefined;
    const trace = system.traceSummary();
    return {
      id, point, repeat, status: 'ok', frequency: scenario.timing.frequency, threads: threadCount(system.layout.threadOf), ...figures,
      ...(trace === undefined ? {} : { traceFile: trace.file, traceDropped: trace.dropped }),
    };
  } catch (error) {
    if (options.signal?.aborted) return undefined;
    return { ...emptyFigures(scenario.timing.frequency, system === undefined ? 0 : threadCount(system.layout.threadOf)), id, point, repeat, status: 'failed', error: (error as Error).message.split('\n', 1)[0] };
  } finally {
    options.signal?.removeEventListener('abort', stop);
    await system?.dispose();
  }
}

function invalidRun(point: SweepPoint, base: Scenario, errors: string[]): SweepRun {
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  return { ...emptyFigures(base.timing.frequency, 0), id: pointLabel(point), point, repeat: 1, status: 'invalid', error: `${errors[0]}${more}` };
}

function emptyFigures(frequency: number, threads: number): Omit<SweepRun, 'id' | 'point' | 'repeat' | 'status'> {
  const latency = summariseLatency([]);
  return {
    frequency, threads, wallSeconds: 0, virtualSeconds: 0, instructions: 0, mips: 0, hostCpuUtilisation: 0, coreUtilisation: 0,
    latency, vms: [], channels: [],
    ipc: { messages: 0, bytes: 0, messagesPerWallSecond: 0, messagesPerVirtualSecond: 0, bytesPerWallSecond: 0, latency },
  };
}

/** "out/t.json" and run "cores=2 quantum=10000 #1" → "out/t.cores-2.quantum-10000.1.json". */
export function traceFileFor(template: string, id: string): string {
  const ext = extname(template) || '.json';
  const stem = template.slice(0, template.length - extname(template).length);
  const slug = id.replace(/ #/g, '.').replace(/=/g, '-').replace(/ /g, '.').replace(/[^A-Za-z0-9.-]/g, '_');
  return `${stem}.${slug}${ext}`;
}

/** Rewrites every result file through a temporary name, so a reader never sees half a file. */
function writeResults(outDir: string, info: ReproducibilityInfo, options: SweepOptions, runs: SweepRun[], interrupted: boolean): void {
  const axes: Record<string, (number | string)[]> = { cores: options.axes.cores };
  if (options.axes.vms !== undefined) axes.vms = options.axes.vms;
  if (options.axes.quantum !== undefined) axes.quantum = options.axes.quantum;
  if (options.axes.policy !== undefined) axes.policy = options.axes.policy;
  const files: [string, string][] = [
    ['results.csv', sweepCsv(runs, info)],
    ['results.json', sweepJson({ reproducibility: info, axes, repeat: options.repeat, durationSeconds: options.durationSeconds ?? null, interrupted, runs })],
    ...sweepPlots(runs, info.host.cpuCount).map((p): [string, string] => [p.file, p.svg]),
  ];
  for (const [name, text] of files) {
    const path = join(outDir, name);
    try {
      writeFileSync(`${path}.tmp`, text);
      renameSync(`${path}.tmp`, path);
    } catch (error) {
      throw new SweepError(`cannot write ${path}: ${fileErrorReason(error)}`);
    }
  }
}
