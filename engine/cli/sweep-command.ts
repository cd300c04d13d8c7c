// `tessera sweep SCENARIO.json --cores 1,2,4,8 ... --out DIR`: a scaling experiment in one command.

import { parseAxisList, type SweepAxes } from '../experiment/sweep-plan.js';
import { formatSummaryTable, summarisePoints } from '../experiment/sweep-results.js';
import type { SweepRun } from '../experiment/sweep-record.js';
import { runSweep, SweepError } from '../host/sweep-runner.js';
import { integerOption, parseOptions, secondsOption, UsageError, type ParsedArgs } from './args.js';
import { EXIT_BAD_INPUT } from './exit-codes.js';
import type { CommandIo } from './command-io.js';
import { estimateRemainingMs, formatProgress } from './sweep-progress.js';

/** Exit code of a sweep stopped by Ctrl-C (128 + SIGINT), its finished runs written. */
export const EXIT_INTERRUPTED = 130;

export const SWEEP_USAGE = `usage: tessera sweep SCENARIO.json --out DIR [options]

Runs the scenario at every combination of the parameters below (cores varying
fastest), repeats each, and writes DIR/results.csv, DIR/results.json and the
plots DIR/speedup.svg, DIR/latency.svg and DIR/ipc.svg after every run. Each
file records what reproduces it (scenario and guest hashes, Tessera version,
git commit, host, command line). A point that makes an invalid scenario is
reported by name and skipped; Ctrl-C stops the sweep and keeps what is written.

options:
  --cores LIST        emulated core counts (default 1,2,4,8); the scenario's core
                      numbers fold onto fewer cores modulo the count
  --vms LIST          VM counts: the scenario's VMs repeated (or cut) to this many
  --quantum LIST      synchronisation quanta in cycles
  --policy LIST       scheduler policies: partitioned, fixed-priority, time-partitioned
  --repeat N          runs per point (default 1)
  --duration SECONDS  virtual time per run (default: until every VM has ended)
  --threads N         worker threads per run (default: one per core, at most one per host CPU)
  --trace FILE        also write each run's Chrome trace (FILE.<run>.json)
  --out DIR           where the results go (created if missing)

exit codes: 0 done; 2 usage error; 3 unreadable or invalid scenario, unwritable DIR, or no
point that ran; 130 interrupted`;

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  cores: { type: 'string' },
  vms: { type: 'string' },
  quantum: { type: 'string' },
  policy: { type: 'string' },
  repeat: { type: 'string' },
  duration: { type: 'string' },
  threads: { type: 'string' },
  trace: { type: 'string' },
  out: { type: 'string' },
} as const;

export async function sweepCommand(argv: readonly string[], io: CommandIo, commandLine: readonly string[] = ['tessera', 'sweep', ...argv]): Promise<number> {
  const args = parseOptions(argv, OPTIONS);
  if (args.values.help) {
    io.stdout.write(SWEEP_USAGE + '\n');
    return 0;
  }
  if (args.positionals.length !== 1) throw new UsageError('sweep needs one SCENARIO.json');
  const { out, trace } = args.values;
  if (out === undefined) throw new UsageError('sweep needs --out DIR');
  const controller = new AbortController();
  const interrupt = () => controller.abort();
  // The first Ctrl-C stops the sweep after its files are written; a second one ends it at once.
  io.signals?.once('SIGINT', interrupt);
  const progress = new SweepProgressLine(io.stderr);

  try {
    const outcome = await runSweep({
      scenarioPath: args.positionals[0],
      axes: axesOf(args),
      repeat: integerOption(args, 'repeat', 1, 1000) ?? 1,
      durationSeconds: secondsOption(args, 'duration'),
      threads: integerOption(args, 'threads', 1, 64),
      ...(trace !== undefined ? { trace } : {}),
      outDir: out,
      commandLine,
      signal: controller.signal,
      onStart: (info) => {
        const host = info.host;
        io.stderr.write(`tessera: sweep on ${host.cpuModel}, ${host.cpuCount} CPUs, ${host.memoryGiB} GiB, ${host.os}, Node ${host.node}\n`);
      },
      onRunStart: (id, index, total) => progress.start(id, index, total),
      onRunEnd: (run, index, total) => progress.end(run, index, total),
    });
    progress.stop();
    io.stdout.write(formatSummaryTable(summarisePoints(outcome.runs)));
    io.stderr.write(`tessera: wrote ${outcome.files.join(', ')}\n`);
    if (outcome.interrupted) {
      io.stderr.write(`tessera: sweep interrupted after ${outcome.runs.length} run(s); the files hold them\n`);
      return EXIT_INTERRUPTED;
    }
    if (!outcome.runs.some((r) => r.status === 'ok')) {
      io.stderr.write('tessera: no point of the sweep ran: every one was invalid or failed\n');
      return EXIT_BAD_INPUT;
    }
    return 0;
  } catch (error) {
    if (!(error instanceof SweepError)) throw error;
    io.stderr.write(`tessera: ${error.message}\n`);
    return EXIT_BAD_INPUT;
  } finally {
    io.signals?.off('SIGINT', interrupt);
    progress.stop();
  }
}

function axesOf(args: ParsedArgs<typeof OPTIONS>): SweepAxes {
  const list = (name: 'vms' | 'quantum') => {
    const text = args.values[name];
    return text === undefined ? undefined : parseAxisList(name, text);
  };
  try {
    const { cores, policy } = args.values;
    const vms = list('vms');
    const quantum = list('quantum');
    return {
      cores: parseAxisList('cores', cores ?? '1,2,4,8'),
      ...(vms === undefined ? {} : { vms }),
      ...(quantum === undefined ? {} : { quantum }),
      ...(policy !== undefined ? { policy: parseAxisList('policy', policy) } : {}),
    };
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/**
 * A progress bar redrawn in place on a terminal; elsewhere (CI logs, pipes) one line per finished
 * run, so a log shows how far a sweep got.
 */
class SweepProgressLine {
  private readonly started = Date.now();
  private readonly wallMs: number[] = [];
  private timer: NodeJS.Timeout | undefined;
  private drawn = false;
  private state = { done: 0, total: 0, current: '' };

  constructor(private readonly out: NodeJS.WritableStream & { isTTY?: boolean }) {}

  start(id: string, done: number, total: number): void {
    this.state = { done, total, current: id };
    if (!this.out.isTTY) return;
    this.draw();
    this.timer ??= setInterval(() => this.draw(), 500);
    this.timer.unref();
  }

  end(run: SweepRun, done: number, total: number): void {
    if (run.status === 'ok') this.wallMs.push(run.wallSeconds * 1000);
    this.state = { done, total, current: '' };
    const figure = run.status === 'ok' ? `${run.mips.toFixed(1)} MIPS, ${run.wallSeconds.toFixed(1)} s` : `${run.status}: ${run.error}`;
    if (this.out.isTTY) {
      this.out.write(`\r\x1b[K${run.id}: ${figure}\n`);
      this.draw();
    } else {
      this.out.write(`tessera: [${done}/${total}] ${run.id}: ${figure}\n`);
    }
  }

  private draw(): void {
    const { done, total, current } = this.state;
    const line = formatProgress({ done, total, elapsedMs: Date.now() - this.started, remainingMs: estimateRemainingMs(this.wallMs, total - done), current });
    this.out.write(`\r\x1b[K${line}`);
    this.drawn = true;
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    if (this.drawn) this.out.write('\r\x1b[K');
    this.drawn = false;
  }
}
