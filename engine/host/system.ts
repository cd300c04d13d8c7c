// The engine API: load a scenario (or a bare machine's plan), run its VMs on core worker threads,
// drive their lifecycle, sample metrics and stream events. The CLI, the monitor and the tests all use
// this. The platform-neutral parts live in engine/system; this file adds the threads, files and clock.

import { availableParallelism } from 'node:os';
import { setContractChecks } from '../memory/contracts.js';
import type { HartSnapshot } from '../cores/hart-snapshot.js';
import type { CoreEnd } from '../hypervisor/core-runner.js';
import { planSystem, type SystemPlan } from '../hypervisor/layout.js';
import { coreThreads, threadCount } from '../hypervisor/sync-groups.js';
import {
  createSystemBuffers, SYSTEM_END, SYSTEM_END_VCPU, SystemCommand, SystemEnd, SystemTables, VCPU_INSTRET, VCPU_OWNER, VM_EXIT_CODE,
  VM_EXIT_VCPU, VM_LAST_RESET, VM_STATE, type SystemLayout,
} from '../hypervisor/system-tables.js';
import { VmState, type LifecycleCommand } from '../hypervisor/vm-state.js';
import type { ChromeTraceSetup } from '../metrics/chrome-trace.js';
import { IDLE_TRACE_RING_RECORDS, TRACE_RING_RECORDS } from '../metrics/trace-ring.js';
import type { Scenario } from '../scenario/scenario.js';
import { ChannelMetrics } from '../system/channel-metrics.js';
import { ConsoleInput } from '../system/console-input.js';
import { EventLog, type SystemEvent } from '../system/event-log.js';
import type { UpdateOptions, UpdateReport } from '../system/over-the-air.js';
import { takeSnapshot, type SystemSnapshot } from '../system/snapshot.js';
import { StuckDetector } from '../system/stuck-detector.js';
import { drainRings, isTraced, traceEntryOf, TraceLog, type TraceEntry } from '../system/trace-log.js';
import { VmControl, type VmSource } from '../system/vm-control.js';
import { readGuestFile } from './guest-file.js';
import type { HvCoreWorker } from './hv-core-worker.js';
import { TraceFile } from './trace-file.js';
import { callWorker, startWorkerHandle, stopWorkers, type WorkerHandle } from './worker-handle.js';

export { LifecycleError } from '../system/vm-control.js';
export type { TraceEntry } from '../system/trace-log.js';
export type { SystemEvent } from '../system/event-log.js';
export type { SystemSnapshot, VmSnapshot } from '../system/snapshot.js';

const POLL_MS = 10;

export interface SystemOptions {
  /** Stop after this many virtual cycles (0: run until every VM has ended). */
  durationCycles?: number;
  /** Receives each VM's console output (its UART and hypervisor console) as it arrives. */
  onConsole?: (vm: string, bytes: Uint8Array) => void;
  onEvent?: (event: SystemEvent) => void;
  /**
   * Worker threads for the cores (1..cores, core c on thread c % threads). Default: a thread per
   * core, except that a group of cores kept in step gets at most one per host CPU, its cores taking
   * turns instead of leaving it to the OS (engine/hypervisor/sync-groups.ts).
   */
  threads?: number;
  /**
   * Keep the trace records (vCPU runs, interrupts with latency, IPC, faults) for trace() and
   * drainTrace(): the newest MAX_TRACE_LOG_ENTRIES of them. Turns the cores' tracing on.
   */
  recordTrace?: boolean;
  /**
   * Stream the trace to this file as Chrome Trace Event JSON (ui.perfetto.dev opens it) while the
   * run goes; the file is complete once run() has ended. Turns the cores' tracing on. A file that
   * cannot be created makes create() reject with one line: `cannot write trace file PATH: reason`.
   */
  traceFile?: string;
  /** Written into the trace file's otherData (what ran, where, how). */
  traceMetadata?: Record<string, unknown>;
  /** End the run when every core sleeps with nothing that could ever wake it (the bare machine). */
  endWhenStuck?: boolean;
  /** How a worker thread's cores are named in its failure message (default `core 1,2:`). */
  workerLabel?: (cores: readonly number[]) => string;
}

/** What a run's trace file holds, once the run has ended. */
export interface TraceSummary {
  file: string;
  /** Trace events written (metadata not counted). */
  events: number;
  /** Trace records the cores' rings dropped because the host fell behind. */
  dropped: number;
  /** Set when writing the file failed part way (one line); the file is then incomplete. */
  error?: string;
}

/** Why a run ended, beyond its VMs' own states. */
export type RunEnd =
  | { kind: 'ended' }
  | { kind: 'stopped'; message: string }
  | { kind: 'stuck' }
  | { kind: 'instruction-limit'; vm: string; vcpu: number }
  | { kind: 'crash'; cores: readonly number[]; message: string };

/** The system's name and its VMs as its user knows them (a Scenario is one). */
export interface SystemSource {
  name: string;
  vms: readonly VmSource[];
}

type CoreHandle = WorkerHandle<HvCoreWorker>;

function hostCpus(): number {
  return Math.max(1, availableParallelism());
}

export class System {
  readonly layout: SystemLayout;
  private readonly tables: SystemTables;
  private readonly channelMetrics: ChannelMetrics;
  private readonly control: VmControl;
  private readonly log: EventLog;
  private readonly input: ConsoleInput;
  private readonly stuck = new StuckDetector();
  private readonly cores: CoreHandle[] = [];
  private readonly traceLog = new TraceLog();
  private readonly traceOut: TraceFile | undefined;
  private readonly tracing: boolean;
  private readonly wallStart = performance.now();
  private failure: { cores: readonly number[]; message: string } | undefined;
  private stopMessage: string | undefined;
  private stuckNow = false;
  /** Every VM ended, so the run stopped by itself. */
  private ended = false;
  private running: Promise<CoreEnd[][]> | undefined;
  private suspension: { done: Promise<void>; settle: () => void; resumed: Promise<void>; resume: () => void } | undefined;
  private disposed = false;

  static create(scenario: Scenario, options: SystemOptions = {}): Promise<System> {
    return System.fromPlan(planSystem(scenario), scenario, options);
  }

  /** A system from a plan (planSystem, planBareMachine); its workers are started and waiting. */
  static async fromPlan(plan: SystemPlan, source: SystemSource, options: SystemOptions = {}): Promise<System> {
    const system = new System(plan, source, options);
    try {
      await system.spawn();
    } catch (error) {
      await system.dispose();
      throw error;
    }
    return system;
  }

  private constructor(plan: SystemPlan, private readonly source: SystemSource, private readonly options: SystemOptions) {
    const threadOf = coreThreads(plan.layout.syncGroup, hostCpus(), options.threads);
    // Contract checks cost next to nothing: on in tests, and wherever TESSERA_CHECKS=1 asks for them.
    const checks = process.env.TESSERA_CHECKS === '1' || process.env.VITEST !== undefined;
    this.layout = { ...plan.layout, threadOf, spin: threadCount(threadOf) <= hostCpus(), checks };
    setContractChecks(checks);
    this.tracing = options.recordTrace === true || options.traceFile !== undefined;
    const t = new SystemTables(this.layout, createSystemBuffers(this.layout, this.tracing ? TRACE_RING_RECORDS : IDLE_TRACE_RING_RECORDS));
    this.tables = t;
    t.setTracing(this.tracing);
    this.channelMetrics = new ChannelMetrics(t);
    this.input = new ConsoleInput(t);
    this.log = new EventLog(() => performance.now() - this.wallStart, (event) => {
      this.traceOut?.add([], [event]);
      this.options.onEvent?.(event);
    });
    this.control = new VmControl(t, source.vms, plan.boot, this.log, {
      poll: () => this.poll(),
      tick: () => new Promise((resolve) => setTimeout(resolve, POLL_MS)),
      waitChange: async (words, index, seen, ms) => { await Atomics.waitAsync(words, index, seen, ms).value; },
      running: () => this.stopMessage === undefined && !this.ended && !this.disposed && this.failure === undefined,
      failed: () => this.failure !== undefined,
    });
    t.ipc.initOwners(this.layout.channels.map((c) => [c.endpoints[0].vm, c.endpoints[1].vm] as const));
    t.vcpuInts.fill(0);
    for (let v = 0; v < t.vcpuCount; v++) t.setVcpuInt(v, VCPU_OWNER, -1);
    for (let vm = 0; vm < this.layout.vms.length; vm++) {
      t.setVmInt(vm, VM_STATE, VmState.Created);
      t.setVmNum(vm, VM_LAST_RESET, -Infinity);
    }
    // Last: nothing above can fail after the file exists, and no worker runs yet if it cannot be made.
    this.traceOut = options.traceFile === undefined ? undefined : TraceFile.open(options.traceFile, this.traceSetup());
  }

  private async spawn(): Promise<void> {
    const label = this.options.workerLabel ?? ((cores) => `core${cores.length > 1 ? 's' : ''} ${cores.join(',')}:`);
    for (let thread = 0; thread < threadCount(this.layout.threadOf); thread++) {
      const cores = this.coresOf(thread);
      this.cores.push(startWorkerHandle<HvCoreWorker>(label(cores), (message) => {
        this.failure ??= { cores, message };
        this.tables.setCommand(SystemCommand.Stop);
      }, () => this.disposed));
    }
    const duration = this.options.durationCycles ?? 0;
    await Promise.all(this.cores.map((c, thread) => callWorker(c, c.remote.init(thread, this.layout, this.tables.buffers, this.control.bootImages, duration))));
  }

  private coresOf(thread: number): number[] {
    return Array.from({ length: this.layout.cores }, (_, c) => c).filter((c) => this.layout.threadOf[c] === thread);
  }

  vmNames(): string[] {
    return this.control.vmNames();
  }

  /** Boots the autostart VMs (run() does it too): their images are in place before time starts. */
  powerOn(): void {
    this.control.powerOn();
  }

  /**
   * Boots the autostart VMs and runs every core until the duration ends, every VM has ended, or
   * stop() is called; suspend() pauses every core meanwhile. Resolves with the final snapshot.
   */
  async run(): Promise<SystemSnapshot> {
    this.powerOn();
    this.tables.setCommand(SystemCommand.Run);
    const timer = setInterval(() => this.poll(), POLL_MS);
    try {
      for (;;) {
        this.running = Promise.all(this.cores.map((c) => callWorker(c, c.remote.run())));
        await this.running.catch(() => undefined);
        const suspension = this.suspension;
        if (suspension === undefined || this.tables.command() !== SystemCommand.Pause || this.failure !== undefined) break;
        suspension.settle();
        await suspension.resumed;
      }
    } finally {
      this.running = undefined;
      this.suspension?.settle();
      clearInterval(timer);
      this.poll();
      this.finishTrace();
    }
    if (this.failure !== undefined) throw new Error(this.failure.message);
    return this.snapshot();
  }

  /** Ends the run at the cores' next slice boundary; `message` says why (see end()). */
  stop(message = 'stopped by the host'): void {
    this.stopMessage ??= message;
    this.tables.setCommand(SystemCommand.Stop);
    this.suspension?.resume();
  }

  /** Pauses every core at its next slice boundary (a debugger's stop); resolves once all are parked. */
  async suspend(): Promise<void> {
    if (this.suspension !== undefined) return this.suspension.done;
    let settle!: () => void;
    let resume!: () => void;
    const done = new Promise<void>((r) => { settle = r; });
    const resumed = new Promise<void>((r) => { resume = r; });
    this.suspension = { done, settle, resumed, resume };
    this.tables.setCommand(SystemCommand.Pause);
    if (this.running === undefined) settle();
    return done;
  }

  /** Lets a suspended system run on. */
  resume(): void {
    const suspension = this.suspension;
    if (suspension === undefined) return;
    this.suspension = undefined;
    if (this.stopMessage === undefined) this.tables.setCommand(SystemCommand.Run);
    suspension.resume();
  }

  /** Why the run ended (after run() has resolved or rejected). */
  end(): RunEnd {
    if (this.failure !== undefined) return { kind: 'crash', ...this.failure };
    if (Atomics.load(this.tables.system, SYSTEM_END) === SystemEnd.InstructionLimit) {
      const v = Atomics.load(this.tables.system, SYSTEM_END_VCPU);
      const vm = this.tables.vmOf[v];
      return { kind: 'instruction-limit', vm: this.layout.vms[vm].name, vcpu: v - this.layout.vms[vm].firstVcpu };
    }
    if (this.stuckNow) return { kind: 'stuck' };
    if (this.stopMessage !== undefined) return { kind: 'stopped', message: this.stopMessage };
    return { kind: 'ended' };
  }

  /** How a VM ended itself: its exit code and the vCPU that gave it. */
  exitOf(name: string): { code: number; vcpu: number } {
    const vm = this.control.vmIndex(name);
    return { code: this.tables.vmInt(vm, VM_EXIT_CODE), vcpu: this.tables.vmInt(vm, VM_EXIT_VCPU) };
  }

  /** Instructions each vCPU of the VM has retired (published after every slice). */
  instructions(name: string): number[] {
    const layout = this.layout.vms[this.control.vmIndex(name)];
    return Array.from({ length: layout.vcpus }, (_, i) => this.tables.vcpuNum(layout.firstVcpu + i, VCPU_INSTRET));
  }

  /** Single-steps a vCPU of a suspended (or not yet running) system. */
  step(name: string, vcpu: number, count = 1): Promise<HartSnapshot> {
    const { core, global, worker } = this.vcpuHome(name, vcpu);
    return callWorker(worker, worker.remote.step(core, global, count));
  }

  /** A vCPU's registers, while the system is suspended or not running. */
  vcpuSnapshot(name: string, vcpu: number): Promise<HartSnapshot> {
    const { core, global, worker } = this.vcpuHome(name, vcpu);
    return callWorker(worker, worker.remote.snapshot(core, global));
  }

  /** One of a vCPU's CSRs, read with machine privilege (undefined if it has none), while suspended. */
  csr(name: string, vcpu: number, csr: number): Promise<number | undefined> {
    const { core, global, worker } = this.vcpuHome(name, vcpu);
    return callWorker(worker, worker.remote.csr(core, global, csr));
  }

  /** The worker thread and core that may act on a vCPU for the host. */
  private vcpuHome(name: string, vcpu: number): { core: number; global: number; worker: CoreHandle } {
    const vm = this.layout.vms[this.control.vmIndex(name)];
    if (!Number.isInteger(vcpu) || vcpu < 0 || vcpu >= vm.vcpus) throw new RangeError(`no hart ${vcpu} (the machine has ${vm.vcpus})`);
    if (this.running !== undefined && this.suspension === undefined) throw new Error('the system is running: suspend it first');
    const core = vm.placement[vcpu] ?? vm.affinity[0];
    return { core, global: vm.firstVcpu + vcpu, worker: this.cores[this.layout.threadOf[core]] };
  }

  /** Queues bytes for a VM's UART receiver; returns how many fitted. */
  consoleInput(name: string, bytes: Uint8Array): number {
    return this.input.push(this.control.vmIndex(name), bytes);
  }

  command(name: string, command: LifecycleCommand): Promise<void> {
    return this.control.command(name, command);
  }

  /** Firmware over the air (see VmControl.update): the image is read from `elfPath`. */
  update(name: string, elfPath: string, options: Partial<UpdateOptions> = {}): Promise<UpdateReport> {
    return this.control.update(name, () => readGuestFile(elfPath), elfPath, options);
  }

  /** A copy of a VM's partition (for verifying a wipe, or inspecting a halted VM). */
  readPartition(name: string): Uint8Array {
    return this.control.readPartition(name);
  }

  /** Whether some VM failed against its fault policy (halted after a fault, or out of restarts). */
  failed(): string[] {
    return this.control.failed();
  }

  eventLog(): readonly SystemEvent[] {
    return this.log.events;
  }

  /**
   * The trace records (recordTrace option) added since the previous call, for live views: each
   * call's records are in time order, and every record comes out of exactly one call.
   */
  drainTrace(): TraceEntry[] {
    return this.traceLog.drain();
  }

  /** The merged execution trace (only with the recordTrace option), in time order: its newest MAX_TRACE_LOG_ENTRIES records. */
  trace(): readonly TraceEntry[] {
    return this.traceLog.all();
  }

  /** Records the trace log let go of (it keeps the newest MAX_TRACE_LOG_ENTRIES). */
  traceOmitted(): number {
    return this.traceLog.omitted;
  }

  /** Trace records the cores' rings dropped so far because the host fell behind. */
  traceDropped(): number {
    return this.tables.traceDropped();
  }

  /** The trace file's figures (traceFile option); complete once run() has ended. */
  traceSummary(): TraceSummary | undefined {
    const out = this.traceOut;
    if (out === undefined) return undefined;
    return { file: out.path, events: out.events, dropped: this.tables.traceDropped() + this.tables.lifecycleDropped(), ...(out.error !== undefined ? { error: out.error } : {}) };
  }

  /** What a Chrome trace of this system needs to name its tracks and flows. */
  traceSetup(): ChromeTraceSetup {
    const vmName = (vm: number) => this.layout.vms[vm].name;
    return {
      frequency: this.layout.frequency,
      cores: this.layout.cores,
      vmNames: this.vmNames(),
      channels: this.layout.channels.map((c) => ({ name: c.name, endpoints: [vmName(c.endpoints[0].vm), vmName(c.endpoints[1].vm)] as const })),
    };
  }

  /** Counters and latency figures of every VM and core, read from shared memory (no messages). */
  snapshot(): SystemSnapshot {
    return takeSnapshot(this.tables, this.control.active, this.channelMetrics, (performance.now() - this.wallStart) / 1000);
  }

  /** Completes the trace file (once): its otherData says what ran and what was dropped. */
  private finishTrace(): void {
    const out = this.traceOut;
    if (out === undefined || out.finished) return;
    out.finish({
      scenario: this.source.name,
      ...this.options.traceMetadata,
      droppedRecords: this.tables.traceDropped(),
      droppedLifecycleRecords: this.tables.lifecycleDropped(),
      ...(this.failure !== undefined ? { failure: this.failure.message } : {}),
    });
  }

  /** Drains consoles and trace rings, applies fault policies, and notices when the run is over. */
  private poll(): void {
    const t = this.tables;
    this.layout.vms.forEach((vm, i) => {
      const bytes = t.uarts[i].output.drain();
      if (bytes.length > 0) this.options.onConsole?.(vm.name, bytes);
    });
    // Lifecycle records first, always: a lost RestartRequest would leave its VM down for good.
    for (const r of drainRings(t.lifecycle)) {
      if (this.options.recordTrace && isTraced(r.kind)) this.traceLog.keep(traceEntryOf(t, r));
      this.control.onLifecycle(r);
    }
    if (this.tracing) {
      const entries = drainRings(t.traces).map((r) => traceEntryOf(t, r));
      if (this.options.recordTrace) for (const e of entries) this.traceLog.keep(e);
      this.traceOut?.add(entries);
    }
    this.traceOut?.flush();
    if (this.running === undefined || this.stopMessage !== undefined || this.ended || this.suspension !== undefined) return;
    if (this.control.allEnded()) {
      this.ended = true;
      this.tables.setCommand(SystemCommand.Stop);
    } else if (this.options.endWhenStuck && this.stuck.observe(t, this.input.couldInterrupt())) {
      this.stuckNow = true;
      this.stop('stuck');
    }
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.tables.setCommand(SystemCommand.Stop);
    this.suspension?.resume();
    await stopWorkers(this.cores);
    this.finishTrace(); // a system disposed of without run() still leaves a valid file
  }
}
