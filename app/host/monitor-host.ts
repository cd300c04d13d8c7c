// The engine host of the monitor: answers protocol requests and pushes samples to every connected
// renderer. Both transports (Electron IPC, WebSocket) hand it raw messages; a bad one gets an error
// response and changes nothing.

import { resolve } from 'node:path';
import { LifecycleError } from '../../engine/host/system.js';
import { loadScenarioFile } from '../../engine/host/scenario-file.js';
import type { Scenario } from '../../engine/scenario/scenario.js';
import { countProblems } from '../../engine/scenario/fields.js';
import type { FileKind, HelloResult, ScenarioInfo, SystemStatus } from '../shared/monitor-types.js';
import { parseRequest, PROTOCOL_VERSION, type PushMessage, type RequestMessage, type ResponseMessage } from '../shared/protocol.js';
import { knownGuests, knownScenarios } from './catalog.js';
import { HostError } from './host-error.js';
import { scenarioInfo } from './scenario-info.js';
import { firstLine, MAX_SAMPLE_HZ, SystemSession } from './system-session.js';

export interface MonitorHostOptions {
  /** The project folder: relative paths resolve against it and the pickers list its files. */
  root: string;
  /** Samples per second pushed to renderers (at most 20). */
  sampleHz?: number;
  /** A native file picker (the desktop app); without it the user types paths. */
  pickFile?: (kind: FileKind) => Promise<string | null>;
  /** Where unexpected errors are logged (they still reach the client as one line). */
  log?: (line: string) => void;
}

export const DEFAULT_SAMPLE_HZ = 10;
const IDLE: SystemStatus = { state: 'idle', failedVms: [] };

export class MonitorHost {
  private readonly listeners = new Set<(message: PushMessage) => void>();
  private scenario: { path: string; config: Scenario; info: ScenarioInfo } | undefined;
  private scenarioErrors: string[] = [];
  private session: SystemSession | undefined;
  private readonly sampleHz: number;
  /** Serialises open/start/stop so two clients cannot interleave them. */
  private control: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: MonitorHostOptions) {
    this.sampleHz = Math.min(options.sampleHz ?? DEFAULT_SAMPLE_HZ, MAX_SAMPLE_HZ);
  }

  onPush(listener: (message: PushMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private push(message: PushMessage): void {
    for (const listener of this.listeners) {
      try {
        listener(message);
      } catch (error) {
        this.log(`push listener failed: ${firstLine(error)}`);
      }
    }
  }

  /** Validates and answers one message from a client; never throws. */
  async handleMessage(message: unknown): Promise<ResponseMessage> {
    const parsed = parseRequest(message);
    if (!parsed.ok) return { id: parsed.id ?? 0, ok: false, error: parsed.error };
    return this.handle(parsed.request);
  }

  async handle(request: RequestMessage): Promise<ResponseMessage> {
    try {
      return { id: request.id, ok: true, result: await this.dispatch(request) };
    } catch (error) {
      if (error instanceof HostError) return { id: request.id, ok: false, error: error.message, ...(error.details.length > 0 ? { details: error.details } : {}) };
      if (error instanceof LifecycleError) return { id: request.id, ok: false, error: error.message };
      this.log(`${request.method} failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      return { id: request.id, ok: false, error: `${request.method} failed: ${firstLine(error)}` };
    }
  }

  private async dispatch(request: RequestMessage): Promise<unknown> {
    switch (request.method) {
      case 'hello':
        return this.hello();
      case 'openScenario':
        return this.openScenario(request.params.path);
      case 'startSystem':
        return this.serially(() => this.start());
      case 'stopSystem':
        return this.serially(() => this.stop());
      case 'vmCommand':
        await this.activeSession().command(request.params.vm, request.params.command);
        return this.activeSession().state;
      case 'updateVm': {
        await this.activeSession().update(request.params.vm, this.resolvePath(request.params.elfPath));
        return { message: `${request.params.vm}: updated from ${request.params.elfPath}` };
      }
      case 'exportData': {
        if (this.session === undefined || this.scenario === undefined) throw new HostError('nothing to export: the system has not run');
        return this.session.export(request.params.format, this.scenario.path);
      }
      case 'pickFile':
        if (this.options.pickFile === undefined) throw new HostError('no file picker here: type the path instead');
        return { path: await this.options.pickFile(request.params.kind) };
    }
  }

  hello(): HelloResult {
    return {
      version: PROTOCOL_VERSION,
      capabilities: { filePicker: this.options.pickFile !== undefined },
      scenario: this.scenario?.info ?? null,
      scenarioErrors: this.scenarioErrors,
      status: this.session?.state ?? IDLE,
      backlog: this.session?.backlog() ?? null,
      knownScenarios: knownScenarios(this.options.root),
      knownGuests: knownGuests(this.options.root),
      sampleHz: this.sampleHz,
    };
  }

  /**
   * Loads and validates a scenario file. An invalid one is reported (every problem a line) and
   * leaves the running system alone; a valid one replaces it and starts.
   */
  openScenario(path: string): Promise<ScenarioInfo> {
    return this.serially(() => this.load(path));
  }

  private async load(path: string): Promise<ScenarioInfo> {
    const { scenario, errors } = loadScenarioFile(this.resolvePath(path));
    if (scenario === undefined) {
      this.scenarioErrors = errors.map((e) => `${path}: ${e}`);
      this.push({ push: 'scenario', data: { scenario: this.scenario?.info ?? null, errors: this.scenarioErrors } });
      throw new HostError(`${path}: ${errors.length === 1 ? errors[0] : `${countProblems(errors)} problems`}`, this.scenarioErrors);
    }
    await this.session?.stop();
    this.session = undefined;
    this.scenario = { path, config: scenario, info: scenarioInfo(path, scenario) };
    this.scenarioErrors = [];
    this.push({ push: 'scenario', data: { scenario: this.scenario.info, errors: [] } });
    await this.start();
    return this.scenario.info;
  }

  private async start(): Promise<SystemStatus> {
    if (this.scenario === undefined) throw new HostError('open a scenario first');
    const state = this.session?.state.state;
    if (state === 'running' || state === 'starting' || state === 'stopping') throw new HostError(`the system is already ${state}`);
    const session = new SystemSession(this.scenario.config, {
      sample: (data) => this.push({ push: 'sample', data }),
      status: (data) => this.push({ push: 'status', data }),
    }, this.sampleHz);
    this.session = session;
    await session.start();
    return session.state;
  }

  private async stop(): Promise<SystemStatus> {
    if (this.session === undefined) throw new HostError('the system is not running');
    await this.session.stop();
    return this.session.state;
  }

  private activeSession(): SystemSession {
    if (this.session === undefined) throw new HostError('the system is not running');
    return this.session;
  }

  private serially<T>(task: () => Promise<T>): Promise<T> {
    const next = this.control.then(task, task);
    this.control = next.catch(() => undefined);
    return next;
  }

  private resolvePath(path: string): string {
    return resolve(this.options.root, path);
  }

  private log(line: string): void {
    (this.options.log ?? ((l: string) => process.stderr.write(`tessera monitor: ${l}\n`)))(line);
  }

  /** Stops the system; an open or start still in progress finishes first, so no core outlives the host. */
  async dispose(): Promise<void> {
    await this.control;
    await this.session?.stop();
    this.listeners.clear();
  }
}
