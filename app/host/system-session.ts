// One run of a scenario in the engine: starts the System, samples it at most 20 times a second,
// forwards lifecycle commands, and keeps the finished run's data for exports.

import { System, type SystemEvent } from '../../engine/host/system.js';
import type { Scenario } from '../../engine/scenario/scenario.js';
import type { Backlog, ExportFile, ExportFormat, MonitorEvent, MonitorSample, SystemStatus, VmCommand } from '../shared/monitor-types.js';
import { ConsoleBuffer } from './console-buffer.js';
import { chromeTrace } from './export/chrome-trace.js';
import { metricsCsv } from './export/metrics-csv.js';
import { metricsJson } from './export/metrics-json.js';
import { HostError } from './host-error.js';
import { buildSample } from './sample-builder.js';
import { TraceFeed } from './trace-feed.js';

export const MAX_SAMPLE_HZ = 20;
const MAX_EVENTS_PER_SAMPLE = 1000;
/** What a late-connecting page is sent of the run so far. */
const BACKLOG_EVENTS = 500;
const BACKLOG_CONSOLE_CHARS = 64 * 1024;

export interface SessionListener {
  sample(sample: MonitorSample): void;
  status(status: SystemStatus): void;
}

export class SystemSession {
  private status: SystemStatus = { state: 'starting', failedVms: [] };
  private readonly consoles = new ConsoleBuffer();
  private pendingEvents: MonitorEvent[] = [];
  private seq = 0;
  private timer: ReturnType<typeof setInterval> | undefined;
  private stopRequested = false;
  private started: Promise<void> = Promise.resolve();
  private ended: Promise<void> = Promise.resolve();
  private traceFeed: TraceFeed | undefined;
  private system: System | undefined;
  private readonly history: { events: MonitorEvent[]; console: Map<string, string> } = { events: [], console: new Map() };

  constructor(private readonly scenario: Scenario, private readonly listener: SessionListener, private readonly sampleHz: number) {
    if (!(sampleHz > 0 && sampleHz <= MAX_SAMPLE_HZ)) throw new Error(`sample rate must be in (0, ${MAX_SAMPLE_HZ}] per second`);
  }

  get state(): SystemStatus {
    return this.status;
  }

  /** Creates the System and starts its run; resolves once it runs (or has failed to start). */
  start(): Promise<void> {
    this.started = this.create();
    return this.started;
  }

  private async create(): Promise<void> {
    this.setStatus({ state: 'starting', failedVms: [] });
    let system: System;
    try {
      system = await System.create(this.scenario, {
        recordTrace: true,
        onConsole: (vm, bytes) => this.consoles.add(vm, bytes),
        onEvent: (event) => this.onEvent(event),
      });
    } catch (error) {
      this.setStatus({ state: 'failed', message: `the system did not start: ${firstLine(error)}`, failedVms: [] });
      return;
    }
    this.system = system;
    this.traceFeed = new TraceFeed(system);
    this.timer = setInterval(() => this.sample(), 1000 / this.sampleHz);
    this.setStatus({ state: 'running', failedVms: [] });
    this.ended = this.runToEnd(system);
  }

  private async runToEnd(system: System): Promise<void> {
    let failure: string | undefined;
    try {
      await system.run();
    } catch (error) {
      failure = firstLine(error);
    }
    clearInterval(this.timer);
    this.sample();
    await system.dispose();
    const failedVms = system.failed();
    if (failure !== undefined) this.setStatus({ state: 'failed', message: failure, failedVms });
    else this.setStatus({ state: 'stopped', message: this.stopRequested ? 'stopped' : 'every VM has ended', failedVms });
  }

  /** Ends the run (once it has started, if it is starting) and waits until the cores have stopped. */
  async stop(): Promise<void> {
    await this.started;
    if (this.system !== undefined && this.status.state === 'running') {
      this.stopRequested = true;
      this.setStatus({ ...this.status, state: 'stopping' });
      this.system.stop();
    }
    await this.ended;
  }

  async command(vm: string, command: VmCommand): Promise<void> {
    await this.runningSystem().command(vm, command);
  }

  async update(vm: string, elfPath: string): Promise<unknown> {
    const system = this.runningSystem();
    try {
      return await system.update(vm, elfPath);
    } catch (error) {
      // The engine has rolled back by now; its reason is the user's answer.
      throw new HostError(firstLine(error));
    }
  }

  export(format: ExportFormat, scenarioPath: string): ExportFile {
    const system = this.system;
    if (system === undefined) throw new HostError('nothing to export: the system has not run');
    const base = this.scenario.name;
    switch (format) {
      case 'json':
        return { fileName: `${base}-metrics.json`, mimeType: 'application/json', text: metricsJson(base, system.snapshot(), system.eventLog(), system.failed()) };
      case 'csv':
        return { fileName: `${base}-metrics.csv`, mimeType: 'text/csv', text: metricsCsv(system.snapshot()) };
      case 'trace':
        return {
          fileName: `${base}-trace.json`,
          mimeType: 'application/json',
          text: chromeTrace({
            scenario: `${base} (${scenarioPath})`, frequency: this.scenario.timing.frequency, cores: this.scenario.cores,
            vmNames: system.vmNames(), channels: system.traceSetup().channels, trace: system.trace(), events: system.eventLog(),
            omitted: system.traceOmitted(), dropped: system.traceDropped(),
          }),
        };
    }
  }

  private runningSystem(): System {
    if (this.system === undefined || this.status.state !== 'running') throw new HostError(`the system is not running (it is ${this.status.state})`);
    return this.system;
  }

  private onEvent(event: SystemEvent): void {
    if (this.pendingEvents.length < MAX_EVENTS_PER_SAMPLE) this.pendingEvents.push({ ...event });
  }

  private sample(): void {
    const system = this.system;
    if (system === undefined) return;
    const events = this.pendingEvents;
    this.pendingEvents = [];
    const output = this.consoles.drain();
    this.remember(events, output);
    this.listener.sample(buildSample(system.snapshot(), { seq: ++this.seq, runs: this.traceFeed?.next(), console: output, events }));
  }

  private remember(events: MonitorEvent[], output: { vm: string; text: string }[]): void {
    const h = this.history;
    h.events.push(...events);
    if (h.events.length > BACKLOG_EVENTS) h.events.splice(0, h.events.length - BACKLOG_EVENTS);
    for (const { vm, text } of output) h.console.set(vm, ((h.console.get(vm) ?? '') + text).slice(-BACKLOG_CONSOLE_CHARS));
  }

  /** The run's recent events and console output, up to the last sample sent. */
  backlog(): Backlog {
    return { seq: this.seq, events: [...this.history.events], console: [...this.history.console].map(([vm, text]) => ({ vm, text })) };
  }

  private setStatus(status: SystemStatus): void {
    this.status = status;
    this.listener.status(status);
  }
}

export function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n', 1)[0];
}
