// `tessera run SCENARIO.json`: the hypervisor with several VMs, consoles prefixed by VM name, a report.

import { loadScenarioFile } from '../host/scenario-file.js';
import { System, type SystemEvent } from '../host/system.js';
import { reproducibilityInfo } from '../host/run-metadata.js';
import { TraceFileError } from '../host/trace-file.js';
import { ReportFileError, writeTextFile } from '../host/text-file.js';
import { secondsOption } from './args.js';
import { EXIT_BAD_INPUT } from './exit-codes.js';
import { Progress } from './progress.js';
import type { CommandIo, StopSignal } from './command-io.js';
import type { RunArgs } from './run-options.js';
import { claimControlPath, ControlSocketError, defaultControlPath, startControlServer, type ControlServer } from '../host/control-server.js';
import { ConsoleLines } from './console-lines.js';
import { formatScenarioReport } from './scenario-report.js';

/** Exit code when a VM failed against its fault policy. */
export const EXIT_VM_FAILED = 1;

export async function runScenario(path: string, args: RunArgs, io: CommandIo): Promise<number> {
  const duration = secondsOption(args, 'duration');
  const { json: jsonPath, trace: tracePath, control: controlOption } = args.values;
  const { scenario, errors } = loadScenarioFile(path);
  if (scenario === undefined) {
    for (const error of errors) io.stderr.write(`tessera: ${path}: ${error}\n`);
    return EXIT_BAD_INPUT;
  }
  // What reproduces this run, recorded in its result files (--json, --trace).
  const commandLine = ['tessera', 'run', path, ...Object.entries(args.values).flatMap(([name, value]) => optionWords(name, value))];
  const reproducibility = reproducibilityInfo(path, scenario, commandLine);
  const consoles = new ConsoleLines((text) => io.stdout.write(text));
  const onConsole = (vm: string, bytes: Uint8Array) => consoles.add(vm, bytes);
  // Every lifecycle event is a line, but the autostart VMs' 'started' at boot: the scenario says
  // which VMs start, and a line each at 0 s would only push their first console lines away.
  let booting = true;
  const onEvent = (e: SystemEvent) => {
    if (booting && e.kind === 'started') return;
    io.stderr.write(`tessera: ${(e.time / scenario.timing.frequency).toFixed(6)} s: ${e.vm}: ${e.kind}${e.detail ? ` (${e.detail})` : ''}\n`);
  };
  // The socket's path is settled before anything starts: a path that is refused costs no workers.
  let controlPath: string;
  try {
    controlPath = await claimControlPath(typeof controlOption === 'string' ? controlOption : defaultControlPath(scenario.name), typeof controlOption !== 'string');
  } catch (error) {
    if (!(error instanceof ControlSocketError)) throw error;
    io.stderr.write(`tessera: ${error.message}\n`);
    return EXIT_BAD_INPUT;
  }
  let system: System;
  try {
    system = await System.create(scenario, {
      durationCycles: duration === undefined ? 0 : Math.round(duration * scenario.timing.frequency),
      onConsole,
      onEvent,
      ...(typeof tracePath === 'string' ? { traceFile: tracePath, traceMetadata: { reproducibility, ...(duration !== undefined ? { durationSeconds: duration } : {}) } } : {}),
    });
  } catch (error) {
    if (!(error instanceof TraceFileError)) throw error;
    io.stderr.write(`tessera: ${error.message}\n`);
    return EXIT_BAD_INPUT;
  }
  // Ctrl-C or SIGTERM ends the run as its end would (report, --json, socket removed); a second one
  // ends the process at once, removing the socket first.
  let control: ControlServer | undefined;
  let signalled = false;
  const signals = io.signals;
  const onSignal = (signal: StopSignal) => {
    if (!signalled) {
      signalled = true;
      system.stop();
      return;
    }
    control?.removeSocket();
    signals?.off('SIGINT', onSignal);
    signals?.off('SIGTERM', onSignal);
    signals?.kill(signals.pid, signal);
  };
  signals?.on('SIGINT', onSignal);
  signals?.on('SIGTERM', onSignal);
  let progress: Progress | undefined;
  try {
    try {
      control = await startControlServer(system, controlPath);
    } catch (error) {
      if (!(error instanceof ControlSocketError)) throw error;
      io.stderr.write(`tessera: ${error.message}\n`);
      return EXIT_BAD_INPUT;
    }
    // Said on a terminal, or when asked for; 'tessera update|wipe|vm' finds a lone run by itself.
    if (io.stderr.isTTY || typeof controlOption === 'string') io.stderr.write(`tessera: control socket ${control.path} (tessera update|wipe|vm ... --control ${control.path})\n`);
    progress = new Progress(io.stderr, () => system.snapshot().vms.reduce((sum, vm) => sum + vm.instructions, 0));
    const running = system.run(); // boots the autostart VMs before it returns
    booting = false;
    // run() starts the cores at once; a signal that came while the socket was set up stops them now.
    if (signalled) system.stop();
    const snapshot = await running;
    progress.stop();
    consoles.flush();
    io.stdout.write(formatScenarioReport(snapshot));
    if (typeof jsonPath === 'string') {
      try {
        await writeTextFile(jsonPath, JSON.stringify({ scenario: scenario.name, reproducibility, ...snapshot, events: system.eventLog(), failed: system.failed() }, null, 2) + '\n');
      } catch (error) {
        if (!(error instanceof ReportFileError)) throw error;
        io.stderr.write(`tessera: ${error.message}\n`);
        return EXIT_BAD_INPUT;
      }
    }
    const failed = system.failed();
    if (failed.length > 0) {
      io.stderr.write(`tessera: failed against their fault policy: ${failed.join(', ')}\n`);
      return EXIT_VM_FAILED;
    }
    return 0;
  } finally {
    signals?.off('SIGINT', onSignal);
    signals?.off('SIGTERM', onSignal);
    progress?.stop();
    await control?.close();
    await system.dispose();
    // The file is complete by now, however the run ended.
    const trace = system.traceSummary();
    if (trace !== undefined) {
      io.stderr.write(trace.error !== undefined ? `tessera: ${trace.error}\n` : `tessera: trace ${trace.file} (${trace.events} events, ${trace.dropped} dropped)\n`);
    }
  }
}

/** An option as the command line gives it again: a value that looks like an option joined by '='. */
function optionWords(name: string, value: string | boolean): string[] {
  if (value === true) return [`--${name}`];
  if (value === false) return [];
  return value.startsWith('-') ? [`--${name}=${value}`] : [`--${name}`, value];
}
