// The engine API of the hypervisor: load a scenario, run its VMs on core workers, drive their
// lifecycle, sample metrics and stream events. The CLI, the monitor and the tests all use this.

import { availableParallelism } from 'node:os';
import { describeCause } from '../cores/trap-cause.js';
import type { CoreEnd } from '../hypervisor/core-runner.js';
import { planSystem, type VmBootImage } from '../hypervisor/layout.js';
import { coreThreads, threadCount } from '../hypervisor/sync-groups.js';
import { bootCycles, bootPartition, partitionBytes, wipePartition } from '../hypervisor/partition.js';
import { notePaused, resumeClock } from '../hypervisor/vm-clock.js';
import {
  CORE_BUSY, CORE_TIME, createSystemBuffers, SYSTEM_RELEASE, SystemCommand, SystemTables, VCPU_INSTRET,
  VCPU_INTERRUPTS, VCPU_OWNER, VCPU_VIOLATIONS, VM_EXIT_CODE, VM_FAULTS, VM_LAST_RESET, VM_ON_TRIAL, VM_READY, VM_RESTART_PENDING, VM_RESTARTS, VM_STATE,
  type SystemLayout,
} from '../hypervisor/system-tables.js';
import { FAULT_NAMES, FaultKind, TraceKind } from '../hypervisor/trace-kinds.js';
import { illegalTransition, TARGET_STATE, VM_STATE_NAMES, VmState, type LifecycleCommand, type VmStateName } from '../hypervisor/vm-state.js';
import type { ChromeTraceSetup } from '../metrics/chrome-trace.js';
import { LatencyHistogram, type LatencyHistogramJson } from '../metrics/latency-histogram.js';
import { IDLE_TRACE_RING_RECORDS, TRACE_RING_RECORDS, type TraceRecord, type TraceRing } from '../metrics/trace-ring.js';
import type { Scenario } from '../scenario/scenario.js';
import { ChannelMetrics, type ChannelSnapshot } from './channel-metrics.js';
import { readGuestFile } from './guest-file.js';
import { runUpdate, slotName, updateImage, type UpdateHost, type UpdateOptions, type UpdateReport } from './over-the-air.js';
import type { HvCoreWorker } from './hv-core-worker.js';
import { TraceFile } from './trace-file.js';
import { callWorker, startWorkerHandle, stopWorkers, type WorkerHandle } from './worker-handle.js';

const POLL_MS = 10;
/** Newest records the recordTrace log keeps (about 100 MB); older ones are let go of and counted. */
export const MAX_TRACE_LOG_ENTRIES = 1_000_000;

export class LifecycleError extends Error {
  override readonly name = 'LifecycleError';
}

export interface SystemEvent {
  /** Virtual time in cycles. */
  time: number;
  /** Wall-clock milliseconds since the system started. */
  wallMs: number;
  vm: string;
  kind: 'started' | 'paused' | 'resumed' | 'stopped' | 'restarted' | 'destroyed' | 'wiped' | 'fault' | 'halted' | 'exited' | 'ready' | 'reset'
    | 'update-started' | 'update-switched' | 'update-rolled-back';
  detail?: string;
}

export interface VmSnapshot {
  name: string;
  state: VmStateName;
  cores: number[];
  priority: number;
  instructions: number;
  interrupts: number;
  violations: number;
  restarts: number;
  faults: number;
  exitCode: number;
  ready: number | null;
  latency: LatencyHistogramJson;
  /** Updatable VMs: the slot serving now ('a': the scenario's partition, 'b': the update slot). */
  slot?: 'a' | 'b';
}

export interface SystemSnapshot {
  /** Virtual time reached (cycles), and as seconds of the virtual clock. */
  time: number;
  virtualSeconds: number;
  wallSeconds: number;
  vms: VmSnapshot[];
  cores: { time: number; busy: number }[];
  /** Per channel: doorbells each endpoint rang (endpoint order as in the scenario) and both flows. */
  channels: ChannelSnapshot[];
}

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

/** One record of the execution trace, merged over all cores in time order. */
export interface TraceEntry {
  time: number;
  core: number;
  kind: 'run' | 'interrupt' | 'ipc-send' | 'ipc-receive' | 'doorbell' | 'doorbell-take' | 'fault' | 'exit' | 'ready' | 'reset';
  /** The VM the record is about. */
  vm: string;
  /** Per-vCPU records (run, interrupt, IPC, doorbells): the vCPU index within the VM. */
  vcpu?: number;
  /** Run: end time; interrupt: the interrupt code; IPC and doorbells: the direction (channel * 2 + sending endpoint); fault: the fault kind. */
  a: number;
  /** Interrupt: the latency in cycles; IPC and doorbells: the message's sequence number on its direction; fault: the detail. */
  b: number;
}

const TRACE_KIND_NAMES: Record<number, TraceEntry['kind']> = {
  [TraceKind.Run]: 'run', [TraceKind.Interrupt]: 'interrupt', [TraceKind.IpcSend]: 'ipc-send', [TraceKind.IpcReceive]: 'ipc-receive',
  [TraceKind.DoorbellRing]: 'doorbell', [TraceKind.DoorbellTake]: 'doorbell-take', [TraceKind.Fault]: 'fault',
  [TraceKind.Exit]: 'exit', [TraceKind.Ready]: 'ready', [TraceKind.Reset]: 'reset',
};

type CoreHandle = WorkerHandle<HvCoreWorker>;

function hostCpus(): number {
  return Math.max(1, availableParallelism());
}

export class System {
  readonly layout: SystemLayout;
  private readonly tables: SystemTables;
  private readonly channelMetrics: ChannelMetrics;
  /** Per scenario VM, the slot serving it (itself, or its update slot after an update). */
  private readonly active: number[];
  private readonly updating = new Set<number>();
  private readonly updateHost: UpdateHost;
  private readonly bootImages: VmBootImage[];
  private readonly cores: CoreHandle[] = [];
  private readonly events: SystemEvent[] = [];
  private lastEventTime = 0;
  private readonly traceLog: TraceEntry[] = [];
  private traceDrained = 0;
  /** Records the bounded trace log let go of. */
  private traceLogOmitted = 0;
  private readonly traceOut: TraceFile | undefined;
  private readonly tracing: boolean;
  private readonly wallStart = performance.now();
  private failure: string | undefined;
  private stopped = false;
  private running: Promise<CoreEnd[][]> | undefined;
  private disposed = false;
  /** VMs whose fault policy gave up: the run has failed against policy. */
  private readonly failedVms = new Set<string>();
  /** Restarts the host is carrying out (the run must not end meanwhile). */
  private hostRestarts = 0;

  static async create(scenario: Scenario, options: SystemOptions = {}): Promise<System> {
    const system = new System(scenario, options);
    try {
      await system.spawn();
    } catch (error) {
      await system.dispose();
      throw error;
    }
    return system;
  }

  private constructor(private readonly scenario: Scenario, private readonly options: SystemOptions) {
    const plan = planSystem(scenario);
    const threadOf = coreThreads(plan.layout.syncGroup, hostCpus(), options.threads);
    this.layout = { ...plan.layout, threadOf, spin: threadCount(threadOf) <= hostCpus() };
    this.bootImages = plan.boot;
    this.tracing = options.recordTrace === true || options.traceFile !== undefined;
    this.tables = new SystemTables(this.layout, createSystemBuffers(this.layout, this.tracing ? TRACE_RING_RECORDS : IDLE_TRACE_RING_RECORDS));
    this.tables.setTracing(this.tracing);
    this.channelMetrics = new ChannelMetrics(this.tables);
    this.active = scenario.vms.map((_, i) => i);
    this.updateHost = this.makeUpdateHost();
    this.tables.ipc.initOwners(this.layout.channels.map((c) => [c.endpoints[0].vm, c.endpoints[1].vm] as const));
    this.tables.vcpuInts.fill(0);
    for (let v = 0; v < this.tables.vcpuCount; v++) this.tables.setVcpuInt(v, VCPU_OWNER, -1);
    for (let vm = 0; vm < this.layout.vms.length; vm++) {
      this.tables.setVmInt(vm, VM_STATE, VmState.Created);
      this.tables.setVmNum(vm, VM_LAST_RESET, -Infinity);
    }
    // Last: nothing above can fail after the file exists, and no worker runs yet if it cannot be made.
    this.traceOut = options.traceFile === undefined ? undefined : TraceFile.open(options.traceFile, this.traceSetup());
  }

  private async spawn(): Promise<void> {
    for (let thread = 0; thread < threadCount(this.layout.threadOf); thread++) {
      const cores = Array.from({ length: this.layout.cores }, (_, c) => c).filter((c) => this.layout.threadOf[c] === thread);
      this.cores.push(startWorkerHandle<HvCoreWorker>('hv-core-worker', `core${cores.length > 1 ? 's' : ''} ${cores.join(',')}:`, (message) => {
        this.failure ??= message;
        this.tables.setCommand(SystemCommand.Stop);
      }, () => this.disposed));
    }
    const duration = this.options.durationCycles ?? 0;
    await Promise.all(this.cores.map((c, thread) => callWorker(c, c.remote.init(thread, this.layout, this.tables.buffers, this.bootImages, duration))));
  }

  vmNames(): string[] {
    return this.scenario.vms.map((vm) => vm.name);
  }

  /** The scenario VM of that name; a LifecycleError names the VMs there are. */
  private logicalIndex(name: string): number {
    const index = this.scenario.vms.findIndex((vm) => vm.name === name);
    if (index < 0) throw new LifecycleError(`no VM named '${name}' (VMs: ${this.vmNames().join(', ')})`);
    return index;
  }

  /** The partition slot that runs the VM now (an updatable VM switches between two). */
  private vmIndex(name: string): number {
    return this.active[this.logicalIndex(name)];
  }

  /**
   * Firmware over the air: boots `elfPath` as the new version of a running updatable VM in its other
   * slot, hands its channels over when it reports ready, and stops the old version. Rejects with one
   * line, and changes nothing, for an unknown VM, one that is not running or not updatable, an update
   * already in progress, or an image that is not a RISC-V ELF fitting the VM's RAM; after a rollback
   * (the new version faulted, exited or was not ready in time) the old version keeps running.
   */
  async update(name: string, elfPath: string, options: Partial<UpdateOptions> = {}): Promise<UpdateReport> {
    const logical = this.logicalIndex(name);
    const from = this.active[logical];
    const to = this.layout.vms[from].twin;
    if (to < 0) throw new LifecycleError(`VM '${name}' is not updatable (give it "updatable": true in the scenario)`);
    const state = this.tables.vmState(from);
    if (state !== VmState.Running) throw new LifecycleError(`cannot update '${name}': it is ${VM_STATE_NAMES[state]}, not running`);
    if (this.updating.has(logical)) throw new LifecycleError(`cannot update '${name}': an update is already in progress`);
    const image = updateImage(await readGuestFile(elfPath), elfPath, this.layout.vms[from].ramBytes);
    this.updating.add(logical);
    try {
      const report = await runUpdate(this.updateHost, from, to, image, elfPath, { readyTimeout: options.readyTimeout ?? this.layout.frequency });
      this.tables.setVmInt(to, VM_ON_TRIAL, 0);
      this.active[logical] = to;
      return report;
    } finally {
      this.updating.delete(logical);
    }
  }

  /** What an update may do to this system. */
  private makeUpdateHost(): UpdateHost {
    return {
      tables: this.tables,
      bootSlot: (slot, image) => {
        this.bootImages[slot] = { image, deviceTree: this.bootImages[slot].deviceTree };
        this.tables.setVmInt(slot, VM_ON_TRIAL, 1);
        this.start(slot, this.tables.now());
      },
      stopSlot: async (slot) => {
        this.tables.setVmInt(slot, VM_STATE, VmState.Stopped);
        await this.released(slot);
      },
      emit: (slot, kind, detail) => this.emitHost(slot, kind, detail),
      tick: () => new Promise((resolve) => setTimeout(resolve, POLL_MS)),
      running: () => !this.stopped && !this.disposed && this.failure === undefined,
    };
  }

  /**
   * Boots the autostart VMs and runs every core until the duration ends, every VM has ended, or
   * stop() is called. Resolves with the final snapshot.
   */
  async run(): Promise<SystemSnapshot> {
    const now = this.tables.now();
    this.scenario.vms.forEach((vm, i) => {
      if (vm.autostart) this.boot(i, now, 'started', true);
    });
    this.tables.setCommand(SystemCommand.Run);
    this.running = Promise.all(this.cores.map((c) => callWorker(c, c.remote.run())));
    const timer = setInterval(() => this.poll(), POLL_MS);
    try {
      await this.running.catch(() => undefined);
    } finally {
      clearInterval(timer);
      this.poll();
      this.finishTrace();
    }
    if (this.failure !== undefined) throw new Error(this.failure);
    return this.snapshot();
  }

  /** Ends the run at the cores' next slice boundary. */
  stop(): void {
    this.stopped = true;
    this.tables.setCommand(SystemCommand.Stop);
  }

  /** Whether some VM failed against its fault policy (halted after a fault, or out of restarts). */
  failed(): string[] {
    return [...this.failedVms];
  }

  eventLog(): readonly SystemEvent[] {
    return this.events;
  }

  /**
   * The trace records (recordTrace option) added since the previous call, for live views: each
   * call's records are in time order, and every record comes out of exactly one call.
   */
  drainTrace(): TraceEntry[] {
    const fresh = this.traceLog.slice(this.traceDrained);
    this.traceDrained = this.traceLog.length;
    return fresh.sort((x, y) => x.time - y.time || x.core - y.core);
  }

  /** The merged execution trace (only with the recordTrace option), in time order: its newest MAX_TRACE_LOG_ENTRIES records. */
  trace(): readonly TraceEntry[] {
    return [...this.traceLog].sort((x, y) => x.time - y.time || x.core - y.core);
  }

  /** Records the trace log let go of (it keeps the newest MAX_TRACE_LOG_ENTRIES). */
  traceOmitted(): number {
    return this.traceLogOmitted;
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

  /** Completes the trace file (once): its otherData says what ran and what was dropped. */
  private finishTrace(): void {
    const out = this.traceOut;
    if (out === undefined || out.finished) return;
    out.finish({
      scenario: this.scenario.name,
      ...this.options.traceMetadata,
      droppedRecords: this.tables.traceDropped(),
      droppedLifecycleRecords: this.tables.lifecycleDropped(),
      ...(this.failure !== undefined ? { failure: this.failure } : {}),
    });
  }

  private traceEntry(r: TraceRecord & { core: number }): TraceEntry {
    const perVcpu = r.kind === TraceKind.Run || r.kind === TraceKind.Interrupt || r.kind >= TraceKind.IpcSend;
    const vm = perVcpu ? this.tables.vmOf[r.subject] : r.subject;
    const layout = this.layout.vms[vm];
    return {
      time: r.time, core: r.core, kind: TRACE_KIND_NAMES[r.kind], vm: layout.name,
      ...(perVcpu ? { vcpu: r.subject - layout.firstVcpu } : {}), a: r.a, b: r.b,
    };
  }

  /** A lifecycle command on one VM; refused with a LifecycleError when illegal in its state. */
  async command(name: string, command: LifecycleCommand): Promise<void> {
    const vm = this.vmIndex(name);
    const state = this.tables.vmState(vm);
    const illegal = illegalTransition(name, state, command);
    if (illegal !== undefined) throw new LifecycleError(illegal);
    switch (command) {
      case 'start':
        this.boot(vm, this.tables.now(), 'started');
        return;
      case 'resume': {
        const now = this.tables.now();
        const frozen = resumeClock(this.tables, vm, now);
        this.tables.casVmState(vm, VmState.Paused, VmState.Running);
        this.tables.wakeAllCores(now);
        this.emitHost(vm, 'resumed', `its clock stood still for ${frozen} cycles`, now);
        return;
      }
      case 'pause':
        this.tables.casVmState(vm, VmState.Running, VmState.Paused);
        await this.released(vm);
        notePaused(this.tables, vm);
        this.emitHost(vm, 'paused');
        return;
      case 'stop':
        this.tables.setVmInt(vm, VM_STATE, VmState.Stopped);
        await this.released(vm);
        this.emitHost(vm, 'stopped');
        return;
      case 'restart':
        await this.restart(vm, 'restarted');
        return;
      case 'wipe':
      case 'destroy':
        this.tables.setVmInt(vm, VM_STATE, TARGET_STATE[command]);
        await this.released(vm);
        wipePartition(this.tables, vm);
        await this.wipeOtherSlot(vm);
        this.emitHost(vm, command === 'wipe' ? 'wiped' : 'destroyed');
        return;
    }
  }

  /** An updatable VM's other slot holds an older (or newer) version: a wipe erases it too. */
  private async wipeOtherSlot(vm: number): Promise<void> {
    const other = this.layout.vms[vm].twin;
    if (other < 0) return;
    const state = this.tables.vmState(other);
    if (state === VmState.Running || state === VmState.Paused) this.tables.setVmInt(other, VM_STATE, VmState.Stopped);
    await this.released(other);
    wipePartition(this.tables, other);
  }

  /** A copy of a VM's partition (for verifying a wipe, or inspecting a halted VM). */
  readPartition(name: string): Uint8Array {
    return partitionBytes(this.tables, this.vmIndex(name)).slice();
  }

  private boot(vm: number, now: number, kind: SystemEvent['kind'], powerOn = false): void {
    this.start(vm, now, powerOn);
    this.emitHost(vm, kind, undefined, now);
  }

  /**
   * Rebuilds the partition from the VM's boot image and lets the cores run it. At power-on the
   * loader has placed the images before time starts; any later boot costs the VM its bootCycles.
   */
  private start(vm: number, now: number, powerOn = false): void {
    const { image, deviceTree } = this.bootImages[vm];
    bootPartition(this.tables, vm, image, deviceTree, powerOn ? now : now + bootCycles(this.layout.vms[vm].ramBytes, image, deviceTree));
    this.tables.setVmInt(vm, VM_STATE, VmState.Running);
    this.tables.wakeAllCores();
  }

  private async restart(vm: number, kind: SystemEvent['kind']): Promise<void> {
    this.hostRestarts++;
    try {
      this.tables.setVmInt(vm, VM_STATE, VmState.Stopped);
      await this.released(vm);
      this.tables.addVmInt(vm, VM_RESTARTS, 1);
      this.boot(vm, this.tables.now(), kind);
    } finally {
      this.hostRestarts--;
    }
  }

  /** Resolves once no core runs any vCPU of the VM (they notice its state within one slice). */
  private async released(vm: number): Promise<void> {
    const t = this.tables;
    const layout = this.layout.vms[vm];
    for (;;) {
      const seen = Atomics.load(t.system, SYSTEM_RELEASE);
      let owned = false;
      for (let i = 0; i < layout.vcpus; i++) if (t.vcpuInt(layout.firstVcpu + i, VCPU_OWNER) !== -1) owned = true;
      if (!owned || this.failure !== undefined) return;
      t.wakeAllCores();
      await Atomics.waitAsync(t.system, SYSTEM_RELEASE, seen, 20).value;
    }
  }

  /**
   * An event the host causes (a command, an update): every event the cores recorded before it is
   * emitted first, so the log stays in the order things happened.
   */
  private emitHost(vm: number, kind: SystemEvent['kind'], detail?: string, time = this.tables.now()): void {
    this.poll();
    this.emit(vm, kind, detail, time);
  }

  /**
   * Logs an event. Its time never precedes the previous event's: cores keep their clocks only
   * within a quantum of each other, so an event a core records may carry a slightly earlier time
   * than one the host logged already; it is logged at the later time.
   */
  private emit(vm: number, kind: SystemEvent['kind'], detail?: string, at = this.tables.now()): void {
    const time = Math.max(at, this.lastEventTime);
    this.lastEventTime = time;
    const event: SystemEvent = { time, wallMs: performance.now() - this.wallStart, vm: this.layout.vms[vm].name, kind, ...(detail !== undefined ? { detail } : {}) };
    this.events.push(event);
    this.traceOut?.add([], [event]);
    this.options.onEvent?.(event);
  }

  /** Drains consoles and trace rings, applies fault policies, and notices when every VM has ended. */
  private poll(): void {
    const t = this.tables;
    this.layout.vms.forEach((vm, i) => {
      const bytes = t.uarts[i].output.drain();
      if (bytes.length > 0) this.options.onConsole?.(vm.name, bytes);
    });
    // Lifecycle records first, always: a lost RestartRequest would leave its VM down for good.
    for (const r of this.drainRings(t.lifecycle)) {
      if (this.options.recordTrace && TRACE_KIND_NAMES[r.kind] !== undefined) this.keep(this.traceEntry(r));
      this.onTrace(r);
    }
    if (this.tracing) {
      const entries = this.drainRings(t.traces).map((r) => this.traceEntry(r));
      if (this.options.recordTrace) for (const e of entries) this.keep(e);
      this.traceOut?.add(entries);
    }
    this.traceOut?.flush();
    if (!this.stopped && this.running !== undefined && this.allEnded()) this.stop();
  }

  /** Every record of these per-core rings, in time order (core order among equal times). */
  private drainRings(rings: readonly TraceRing[]): (TraceRecord & { core: number })[] {
    const records: (TraceRecord & { core: number })[] = [];
    rings.forEach((ring, core) => ring.drainEach((time, kind, subject, a, b) => records.push({ time, kind, subject, a, b, core })));
    return records.sort((a, b) => a.time - b.time || a.core - b.core);
  }

  /** Adds to the bounded trace log, letting go of the oldest records in batches. */
  private keep(entry: TraceEntry): void {
    this.traceLog.push(entry);
    const excess = this.traceLog.length - MAX_TRACE_LOG_ENTRIES;
    if (excess < MAX_TRACE_LOG_ENTRIES / 16) return;
    this.traceLog.splice(0, excess);
    this.traceLogOmitted += excess;
    this.traceDrained = Math.max(0, this.traceDrained - excess);
  }

  private onTrace(r: TraceRecord): void {
    const vm = r.subject;
    switch (r.kind) {
      case TraceKind.Exit:
        this.emit(vm, 'exited', 'exit code 0', r.time);
        return;
      case TraceKind.Ready:
        this.emit(vm, 'ready', `code ${r.a}`, r.time);
        return;
      case TraceKind.Reset:
        this.emit(vm, 'reset', undefined, r.time);
        return;
      case TraceKind.Fault: {
        const detail = r.a === FaultKind.TrapLoop ? `trap loop (${describeCause(r.b)})` : r.a === FaultKind.TestDeviceFailure ? `test device failure, exit code ${r.b}` : FAULT_NAMES[r.a];
        this.emit(vm, 'fault', detail, r.time);
        return;
      }
      case TraceKind.Restart:
        this.emit(vm, 'restarted', `restart ${r.a}`, r.time);
        return;
      case TraceKind.RestartRequest:
        void this.restart(vm, 'restarted').finally(() => this.tables.addVmInt(vm, VM_RESTART_PENDING, -1));
        return;
      case TraceKind.Halt: {
        if (this.tables.vmInt(vm, VM_ON_TRIAL) !== 0) {
          this.emit(vm, 'halted', 'new version under update', r.time); // the update rolls back
          return;
        }
        const policy = this.layout.vms[vm].onFault;
        this.failedVms.add(this.layout.vms[vm].name);
        this.emit(vm, 'halted', policy.policy === 'restart' ? `restart limit ${policy.limit} reached` : 'fault policy halt', r.time);
        return;
      }
    }
  }

  private allEnded(): boolean {
    for (let vm = 0; vm < this.layout.vms.length; vm++) {
      const state = this.tables.vmState(vm);
      if (state === VmState.Running || state === VmState.Paused || this.tables.vmInt(vm, VM_RESTART_PENDING) > 0) return false;
    }
    return !this.hostRestarts;
  }

  /** Counters and latency figures of every VM and core, read from shared memory (no messages). */
  snapshot(): SystemSnapshot {
    const t = this.tables;
    const time = t.now();
    return {
      time,
      virtualSeconds: time / this.layout.frequency,
      wallSeconds: (performance.now() - this.wallStart) / 1000,
      cores: Array.from({ length: this.layout.cores }, (_, c) => ({ time: t.coreNum(c, CORE_TIME), busy: t.coreNum(c, CORE_BUSY) })),
      channels: this.channelMetrics.read(),
      vms: this.scenario.vms.map((_, logical) => {
        // Counters cover both slots of an updatable VM; state and readiness are the serving slot's.
        const i = this.active[logical];
        const vm = this.layout.vms[i];
        const slots = vm.twin < 0 ? [i] : [i, vm.twin];
        const latency = LatencyHistogram.create();
        let instructions = 0, interrupts = 0, violations = 0;
        for (const slot of slots) {
          const s = this.layout.vms[slot];
          for (let k = 0; k < s.vcpus; k++) {
            const v = s.firstVcpu + k;
            latency.merge(t.latency[v]);
            instructions += t.vcpuNum(v, VCPU_INSTRET);
            interrupts += t.vcpuNum(v, VCPU_INTERRUPTS);
            violations += t.vcpuNum(v, VCPU_VIOLATIONS);
          }
        }
        const ready = t.vmInt(i, VM_READY);
        return {
          name: vm.name,
          state: VM_STATE_NAMES[t.vmState(i)],
          cores: vm.placement.length > 0 ? vm.placement : vm.affinity,
          priority: vm.priority,
          instructions,
          interrupts,
          violations,
          restarts: slots.reduce((sum, slot) => sum + t.vmInt(slot, VM_RESTARTS), 0),
          faults: slots.reduce((sum, slot) => sum + t.vmInt(slot, VM_FAULTS), 0),
          ...(vm.twin < 0 ? {} : { slot: slotName(i, logical) }),
          exitCode: t.vmInt(i, VM_EXIT_CODE),
          ready: ready === 0 ? null : ready - 1,
          latency: latency.snapshot().toJSON(),
        };
      }),
    };
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.tables.setCommand(SystemCommand.Stop);
    await stopWorkers(this.cores);
    this.finishTrace(); // a system disposed of without run() still leaves a valid file
  }
}
