// Runs fuzz targets one after another, each in a worker thread watched from here: a worker that
// stops making progress is a hang, one that dies is a crash; either way it is restarted after
// the execution that did it. Wall time bounds the campaign and detects hangs, nothing else.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { Findings, FILES_PER_SIGNATURE, type Finding } from './findings.js';
import { runExecutions } from './executions.js';
import { Rng } from './prng.js';
import type { FuzzInput, Problem, TargetFactory } from './target.js';
import type { WorkerMessage, WorkerSetup } from './worker-protocol.js';

export interface CampaignOptions {
  targets: readonly TargetFactory[];
  seed: number;
  /** Wall-clock seconds for the whole campaign, shared evenly by the targets. */
  seconds?: number;
  /** Executions per target (with seconds, whichever ends first). */
  executions?: number;
  /** The first execution number (a replay starts at the one to repeat). */
  first?: number;
  root: string;
  outDir: string;
  useKnownIssues?: boolean;
  /** The command a reproducer note tells to run (`npm run fuzz`). */
  command?: string;
  /** Progress lines and findings as they happen. */
  log?: (line: string) => void;
  /**
   * Run the executions in this thread rather than in watched workers (the CI smoke test: no worker
   * start-up per target; a hang is then the test runner's timeout, a crash still a finding).
   */
  inProcess?: boolean;
}

export interface TargetRun {
  target: string;
  executions: number;
  seconds: number;
  findings: number;
  known: number;
}

export interface CampaignReport {
  runs: TargetRun[];
  findings: Findings;
}

/** How long a target may take to set itself up (a system to start) before that counts as a hang. */
const SETUP_SECONDS = 120;
const WATCH_MS = 250;

export async function runCampaign(options: CampaignOptions): Promise<CampaignReport> {
  const findings = new Findings(options.outDir, options.useKnownIssues ?? true, options.command ?? 'npm run fuzz');
  const log = options.log ?? (() => undefined);
  const runs: TargetRun[] = [];
  const share = options.seconds === undefined ? undefined : options.seconds / options.targets.length;
  for (const target of options.targets) {
    const run = await runTarget(target, options, share, findings, log);
    runs.push(run);
  }
  return { runs, findings };
}

async function runTarget(factory: TargetFactory, options: CampaignOptions, seconds: number | undefined, findings: Findings, log: (line: string) => void): Promise<TargetRun> {
  const scratch = mkdtempSync(join(tmpdir(), `tessera-fuzz-${factory.name}-`));
  const started = performance.now();
  const deadline = seconds === undefined ? Infinity : started + seconds * 1000;
  const total = options.executions ?? Infinity;
  let next = options.first ?? 0;
  const end = next + total;
  let executions = 0;
  const record = (execution: number, problem: Problem, input: FuzzInput | undefined) => {
    const finding = findings.add(factory.name, options.seed, execution, problem, input);
    if (finding.repeat <= FILES_PER_SIGNATURE) log(findingLine(finding));
    else if (finding.repeat === FILES_PER_SIGNATURE + 1) log(`(more findings like #${execution} are counted, not printed)`);
  };
  try {
    while (next < end && performance.now() < deadline) {
      const outcome = options.inProcess === true
        ? await runHere({ factory, options, scratch, first: next, count: end - next, deadline, record })
        : await runWorker({ factory, options, scratch, first: next, count: end - next, deadline, record });
      executions += outcome.executed;
      next = outcome.next;
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const run = { target: factory.name, executions, seconds: (performance.now() - started) / 1000, findings: findings.count(factory.name), known: findings.count(factory.name, true) };
  log(runLine(run));
  return run;
}

interface WorkerOutcome {
  /** Executions finished (the one that hung or crashed included). */
  executed: number;
  /** Where the next worker starts. */
  next: number;
}

/** Where a run of executions starts and ends, and where its findings go. */
interface ExecutionRange {
  factory: TargetFactory;
  options: CampaignOptions;
  scratch: string;
  first: number;
  count: number;
  deadline: number;
  record: (execution: number, problem: Problem, input: FuzzInput | undefined) => void;
}

async function runHere({ factory, options, scratch, first, count, deadline, record }: ExecutionRange): Promise<WorkerOutcome> {
  const next = await runExecutions({ target: factory.name, seed: options.seed, first, count, root: options.root, scratch }, {
    stopped: () => performance.now() >= deadline,
    running: () => undefined,
    problems: (execution, problems, input) => { for (const problem of problems) record(execution, problem, input); },
  });
  return { executed: next - first, next };
}

/** One worker's life: until its count or the deadline, or until it hangs or dies. */
function runWorker({ factory, options, scratch, first, count, deadline, record }: ExecutionRange): Promise<WorkerOutcome> {
  const setup: WorkerSetup = {
    target: factory.name, seed: options.seed, first, count: Number.isFinite(count) ? count : Number.MAX_SAFE_INTEGER, root: options.root, scratch,
    progress: new SharedArrayBuffer(16), stop: new SharedArrayBuffer(4),
  };
  const progress = new Float64Array(setup.progress);
  progress[0] = -1;
  const stop = new Int32Array(setup.stop);
  const worker = startTargetWorker(setup);
  return new Promise<WorkerOutcome>((resolve) => {
    let settled = false;
    let watched = -1;
    let since = performance.now();
    const spawned = performance.now();
    const finish = (outcome: WorkerOutcome) => {
      if (settled) return;
      settled = true;
      clearInterval(watch);
      resolve(outcome);
    };
    /** The worker hung or died while running `execution`: record it and carry on after it. */
    const lost = (execution: number, problem: Problem) => {
      if (execution < 0) {
        record(first, problem, undefined);
        finish({ executed: 0, next: first + 1 });
        return;
      }
      record(execution, problem, regenerate(factory, options, scratch, execution));
      finish({ executed: progress[1] + 1, next: execution + 1 });
    };
    const watch = setInterval(() => {
      const now = performance.now();
      if (now >= deadline) Atomics.store(stop, 0, 1);
      const current = progress[0];
      if (current !== watched) {
        watched = current;
        since = now;
        return;
      }
      const limit = current < 0 ? (progress[1] === 0 ? SETUP_SECONDS : factory.hangSeconds) : factory.hangSeconds;
      if (current < 0 && now - spawned < SETUP_SECONDS * 1000) return;
      if (now - since > limit * 1000) {
        const what = current < 0 ? 'setting up or closing the target' : 'one execution';
        void worker.terminate();
        lost(current, { kind: 'hang', summary: `${what} took more than ${limit} s of wall time` });
      }
    }, WATCH_MS);
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'problems') {
        for (const problem of message.problems) record(message.execution, problem, message.input);
      } else {
        finish({ executed: message.next - first, next: message.next });
      }
    });
    worker.on('error', (error) => {
      lost(progress[0], { kind: 'crash', summary: `the target worker died: ${error.name}: ${error.message.split('\n', 1)[0]}`, detail: error.stack });
    });
    worker.on('exit', (code) => {
      if (!settled) lost(progress[0], { kind: 'crash', summary: `the target worker exited with code ${code}` });
    });
  });
}

/** The input of one execution, made again from its seed and number (for a hang or a dead worker). */
function regenerate(factory: TargetFactory, options: CampaignOptions, scratch: string, execution: number): FuzzInput | undefined {
  try {
    return factory.inputs({ seed: options.seed, root: options.root, scratch }).generate(Rng.forExecution(options.seed, factory.name, execution), execution);
  } catch {
    return undefined;
  }
}

/** A target worker, from compiled JavaScript or (under vitest) from TypeScript sources. */
function startTargetWorker(setup: WorkerSetup): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./target-worker.js', import.meta.url), { workerData: setup });
  const entry = new URL('./target-worker.ts', import.meta.url).href;
  return new Worker(new URL('../engine/host/ts-worker-bootstrap.mjs', import.meta.url), { workerData: { ...setup, entry } });
}

function findingLine(f: Finding): string {
  const where = `${f.target} #${f.execution} (seed ${f.seed})`;
  const file = f.file !== undefined ? ` -> ${f.file}` : '';
  return `${f.known !== undefined ? 'known issue' : 'FINDING'} ${f.kind} in ${where}: ${f.summary}${file}`;
}

function runLine(r: TargetRun): string {
  const rate = r.seconds > 0 ? r.executions / r.seconds : 0;
  return `${r.target.padEnd(9)} ${r.executions.toLocaleString('en-US').padStart(11)} executions in ${r.seconds.toFixed(1).padStart(7)} s  ${rate.toFixed(1).padStart(9)}/s  findings ${r.findings}${r.known > 0 ? ` (+${r.known} known)` : ''}`;
}
