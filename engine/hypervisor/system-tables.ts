// Hypervisor state shared by the host and every core worker, in buffers no guest can map.

import { CONTEXT_NUMBERS, CONTEXT_WORDS } from '../cores/hart-context.js';
import { ClintState } from '../devices/clint.js';
import { PlicState } from '../devices/plic.js';
import { UartState, type UartBuffers } from '../devices/uart16550.js';
import { LatencyHistogram } from '../metrics/latency-histogram.js';
import { IDLE_TRACE_RING_RECORDS, LIFECYCLE_RING_RECORDS, TraceRing } from '../metrics/trace-ring.js';
import { createPageFlags, createPhysicalMemory } from '../memory/physical-memory.js';
import { ReservationTable } from '../memory/reservation-table.js';
import { threadCount } from './sync-groups.js';
import { createSyncIpcBuffers, SyncIpc, type SyncIpcBuffers } from './sync-ipc.js';
import { VmState } from './vm-state.js';

/** What every core needs to know about the system; plain data, sent to workers once. */
export interface SystemLayout {
  cores: number;
  /** Per core, the worker thread that drives it (sync-groups.ts: coreThreads); threads number 0..max. */
  threadOf: number[];
  /** Per core, its sync group (sync-groups.ts): a core keeps in step only with the cores of its group. */
  syncGroup: number[];
  /** Whether a waiting core may busy-poll before it sleeps (only when every thread has a host CPU of its own). */
  spin: boolean;
  memoryBytes: number;
  mode: 'virtual' | 'realtime';
  quantum: number;
  frequency: number;
  policy: 'partitioned' | 'fixed-priority' | 'time-partitioned';
  /** Stop the system when any vCPU has retired this many instructions (Infinity: never). */
  instructionLimit: number;
  /** Check the shared-memory contracts (engine/memory/contracts.ts) and throw when one breaks. */
  checks: boolean;
  preemptionBound: number;
  switchCost: number;
  majorFrame: number;
  /** Time-partitioned windows: [core, vm, offset, duration]. */
  windows: { core: number; vm: number; offset: number; duration: number }[];
  vms: VmLayout[];
  channels: ChannelLayout[];
}

/** A shared-memory window mapped into exactly two VMs, with a doorbell each way. */
export interface ChannelLayout {
  name: string;
  physicalBase: number;
  size: number;
  endpoints: { vm: number; address: number; writable: boolean; irq: number }[];
  /** Endpoint producing a Tessera ring at the window's start, or -1. */
  ringProducer: number;
}

export interface VmLayout {
  name: string;
  /** The scenario VM this partition runs: itself, or the VM whose update slot it is. */
  logical: number;
  /** The other slot of an updatable VM (A/B), or -1. */
  twin: number;
  physicalBase: number;
  ramBytes: number;
  vcpus: number;
  /** Index of its first vCPU in the system-wide vCPU tables. */
  firstVcpu: number;
  priority: number;
  budget: number;
  period: number;
  /** Cores its vCPUs may run on. */
  affinity: number[];
  /** Partitioned policy: the core of each vCPU. */
  placement: number[];
  /** Watchdog period in cycles, 0 for none. */
  watchdog: number;
  entry: number;
  fdtAddress: number;
  /** `resetInterval`: cycles a guest reset must follow the previous one by, or it counts as a fault. */
  onFault: { policy: 'halt' | 'restart'; limit: number; resetInterval: number };
  /**
   * A VM under the hypervisor: it sees the hypervisor-services and doorbell devices, and a non-zero
   * exit code from its test device is a fault. Off for the bare machine (QEMU virt's map; the
   * exit code is the guest's verdict).
   */
  hypervisor: boolean;
  /** Guest-physical address of the HTIF tohost word (an ELF that defines `tohost`), or -1. */
  tohost: number;
  /**
   * What runs in M-mode: the guest's own code ('none': every vCPU enters `entry` in M-mode), or
   * Tessera's built-in SBI ('sbi': vCPU 0 enters `entry` in S-mode, the others wait, HSM-stopped).
   */
  firmware: 'none' | 'sbi';
  /** a2 at entry (QEMU's fw_dynamic_info for a firmware given with --bios), else 0. */
  bootA2: number;
}

export const enum SystemCommand {
  Run = 0,
  Pause = 1,
  Stop = 2,
}

// Per-VM int words.
const VM_INTS = 10;
export const VM_STATE = 0;
export const VM_RESTARTS = 1;
export const VM_EXIT_CODE = 2;
export const VM_READY = 3; // 0 = not reported, else code + 1
export const VM_FAULTS = 4;
export const VM_GENERATION = 5; // bumped when the host rewrites the partition (decode caches go stale)
export const VM_IMAGE_VERSION = 6; // bumped by an update: the cores' boot image for the VM is stale
export const VM_ON_TRIAL = 7; // 1 while the VM is a new version under update: a fault halts it (the update rolls back)
export const VM_RESTART_PENDING = 8; // restarts decided but not done yet: the VM has not ended, whatever its state says
export const VM_EXIT_VCPU = 9; // the vCPU (within the VM) that ended it through its test device or HTIF
// Per-VM numbers.
const VM_NUMS = 4;
export const VM_WATCHDOG_DEADLINE = 0;
export const VM_STARTED_AT = 1;
export const VM_PAUSED_AT = 2; // the VM's own time when it was last paused (its clock freezes)
export const VM_LAST_RESET = 3; // when the guest last reset itself (test device), or -Infinity

// Per-vCPU int words.
const VCPU_INTS = 7;
export const VCPU_OWNER = 0; // core running it, or -1
export const VCPU_VERSION = 1; // bumped whenever its saved context changes
// The built-in SBI (sbi-firmware.ts): requests other harts left for this one, its HSM state, where
// and with what hart_start starts it, and whether it waits for other harts to acknowledge a fence.
export const VCPU_SBI_EVENTS = 2;
export const VCPU_SBI_HSM = 3;
export const VCPU_SBI_START_ADDR = 4;
export const VCPU_SBI_OPAQUE = 5;
export const VCPU_SBI_FENCING = 6;
// Per-vCPU numbers.
const VCPU_NUMS = 13;
export const VCPU_BUDGET_LEFT = 0;
export const VCPU_PERIOD_START = 1;
export const VCPU_MSIP_SINCE = 2;
export const VCPU_LAST_RUN = 3;
export const VCPU_RUN_CYCLES = 4;
export const VCPU_INTERRUPTS = 5;
export const VCPU_INSTRET = 6;
export const VCPU_VIOLATIONS = 7;
export const VCPU_HV_STATUS = 8; // STATUS of the hypervisor-services device: it follows the vCPU across cores
export const VCPU_EXT_SINCE = 9; // when an external interrupt (a doorbell) became pending, + 1; 0 = none
// While tracing: the first doorbell rung at the vCPU's VM that the vCPU has not taken yet: its slot,
// sequence number (0 = none) and when it rang + 1.
export const VCPU_EXT_FLOW_SLOT = 10;
export const VCPU_EXT_FLOW_SEQ = 11;
export const VCPU_EXT_FLOW_AT = 12;

// Per-core int words.
const CORE_INTS = 4;
export const CORE_WAKE = 0;
export const CORE_SLEEPING = 1;
// Per-core numbers.
const CORE_NUMS = 4;
export const CORE_TIME = 0;
export const CORE_BUSY = 1;
export const CORE_SWITCHES = 2;
export const CORE_WAIT_FOR = 3; // a core waiting for the others sleeps until the slowest reaches this time
// CORE_SLEEPING values (0: running).
/** Idle with no event in sight: holds nobody back. */
export const SLEEPING_IDLE = 1;
/** Ahead of the others: waits until the slowest reaches CORE_WAIT_FOR. */
export const SLEEPING_SYNC = 2;
/** Idle until its next event at CORE_WAIT_FOR + quantum: others may run up to that time. */
export const SLEEPING_UNTIL = 3;

// Per-thread int words, a cache line apart (each thread polls its own).
const THREAD_INTS = 16;
const THREAD_WAKE = 0; // bumped (and notified) whenever one of the thread's cores is woken
const THREAD_ASLEEP = 1; // 1 while the thread sleeps in Atomics.wait

const SYSTEM_INTS = 4;
export const SYSTEM_COMMAND = 0;
export const SYSTEM_RELEASE = 1; // bumped (and notified) whenever a core releases a vCPU
export const SYSTEM_END = 2; // why a core stopped the system (SystemEnd), 0 = it did not
export const SYSTEM_END_VCPU = 3; // the vCPU that made it stop

export const enum SystemEnd {
  None = 0,
  /** A vCPU retired layout.instructionLimit instructions. */
  InstructionLimit = 1,
}

export interface SystemBuffers {
  physical: SharedArrayBuffer;
  pageFlags: SharedArrayBuffer;
  reservations: SharedArrayBuffer;
  system: SharedArrayBuffer;
  vmInts: SharedArrayBuffer;
  vmNums: SharedArrayBuffer;
  vcpuInts: SharedArrayBuffer;
  vcpuNums: SharedArrayBuffer;
  contextWords: SharedArrayBuffer;
  contextNumbers: SharedArrayBuffer;
  coreInts: SharedArrayBuffer;
  coreNums: SharedArrayBuffer;
  /** Per thread: bumped (and notified) whenever one of its cores is woken. */
  threadWake: SharedArrayBuffer;
  /** Per core: Run, Interrupt and IPC records, pushed only while tracing. */
  traces: SharedArrayBuffer[];
  /** Per core: lifecycle records (faults, exits, restarts), always pushed: the host acts on them. */
  lifecycle: SharedArrayBuffer[];
  /** Tracing: [0] = 1 while trace records are wanted; [1 + slot] = doorbells traced on that channel endpoint. */
  traceControl: SharedArrayBuffer;
  latency: SharedArrayBuffer[];
  uarts: UartBuffers[];
  clints: SharedArrayBuffer[];
  plics: SharedArrayBuffer[];
  /** Per channel and endpoint: doorbells rung by that endpoint. */
  doorbells: SharedArrayBuffer;
  /** Per channel direction (channel * 2 + sending endpoint): end-to-end message latency. */
  channelLatency: SharedArrayBuffer[];
  /** Per channel direction: send times a guest reported (SENT_AT) that cannot be true, left out of the latency. */
  latencyRejected: SharedArrayBuffer;
  ipc: SyncIpcBuffers;
}

const ints = (n: number) => new SharedArrayBuffer(Math.max(4, n * 4));
const nums = (n: number) => new SharedArrayBuffer(Math.max(8, n * 8));

/** `traceRecords`: the capacity of each core's trace ring (large only when someone traces). */
export function createSystemBuffers(layout: SystemLayout, traceRecords = IDLE_TRACE_RING_RECORDS): SystemBuffers {
  const vcpus = layout.vms.reduce((sum, vm) => sum + vm.vcpus, 0);
  const physical = createPhysicalMemory(layout.memoryBytes);
  return {
    physical,
    pageFlags: createPageFlags(physical),
    reservations: ReservationTable.create(),
    system: ints(SYSTEM_INTS),
    vmInts: ints(layout.vms.length * VM_INTS),
    vmNums: nums(layout.vms.length * VM_NUMS),
    vcpuInts: ints(vcpus * VCPU_INTS),
    vcpuNums: nums(vcpus * VCPU_NUMS),
    contextWords: ints(vcpus * CONTEXT_WORDS),
    contextNumbers: nums(vcpus * CONTEXT_NUMBERS),
    coreInts: ints(layout.cores * CORE_INTS),
    coreNums: nums(layout.cores * CORE_NUMS),
    threadWake: ints(threadCount(layout.threadOf) * THREAD_INTS),
    traces: Array.from({ length: layout.cores }, () => TraceRing.create(traceRecords)),
    lifecycle: Array.from({ length: layout.cores }, () => TraceRing.create(LIFECYCLE_RING_RECORDS)),
    traceControl: ints(1 + layout.channels.length * 2),
    latency: Array.from({ length: vcpus }, () => LatencyHistogram.create().buffer),
    uarts: layout.vms.map(() => UartState.create().buffers),
    clints: layout.vms.map((vm) => ClintState.create(vm.vcpus).buffer),
    plics: layout.vms.map((vm) => PlicState.create(vm.vcpus).buffer),
    doorbells: nums(layout.channels.length * 2),
    channelLatency: Array.from({ length: layout.channels.length * 2 }, () => LatencyHistogram.create().buffer),
    latencyRejected: ints(layout.channels.length * 2),
    ipc: createSyncIpcBuffers(layout.channels.length, vcpus),
  };
}

/** Typed views over SystemBuffers with named accessors; one per thread. */
export class SystemTables {
  readonly system: Int32Array;
  readonly vmInts: Int32Array;
  readonly vmNums: Float64Array;
  readonly vcpuInts: Int32Array;
  readonly vcpuNums: Float64Array;
  readonly contextWords: Int32Array;
  readonly contextNumbers: Float64Array;
  readonly coreInts: Int32Array;
  readonly coreNums: Float64Array;
  readonly threadWake: Int32Array;
  readonly traces: TraceRing[];
  readonly lifecycle: TraceRing[];
  readonly traceControl: Int32Array;
  readonly latency: LatencyHistogram[];
  readonly uarts: UartState[];
  readonly clints: ClintState[];
  readonly plics: PlicState[];
  /** Per channel and endpoint: doorbells rung (any vCPU of the VM, on any core, may ring: atomic counts). */
  private readonly doorbells: BigInt64Array;
  readonly channelLatency: LatencyHistogram[];
  readonly latencyRejected: Int32Array;
  readonly ipc: SyncIpc;
  /** vCPU index → VM index. */
  readonly vmOf: number[];

  constructor(readonly layout: SystemLayout, readonly buffers: SystemBuffers) {
    this.system = new Int32Array(buffers.system);
    this.vmInts = new Int32Array(buffers.vmInts);
    this.vmNums = new Float64Array(buffers.vmNums);
    this.vcpuInts = new Int32Array(buffers.vcpuInts);
    this.vcpuNums = new Float64Array(buffers.vcpuNums);
    this.contextWords = new Int32Array(buffers.contextWords);
    this.contextNumbers = new Float64Array(buffers.contextNumbers);
    this.coreInts = new Int32Array(buffers.coreInts);
    this.coreNums = new Float64Array(buffers.coreNums);
    this.threadWake = new Int32Array(buffers.threadWake);
    this.traces = buffers.traces.map((b) => new TraceRing(b));
    this.lifecycle = buffers.lifecycle.map((b) => new TraceRing(b));
    this.traceControl = new Int32Array(buffers.traceControl);
    this.latency = buffers.latency.map((b) => LatencyHistogram.attach(b));
    this.uarts = buffers.uarts.map((b) => UartState.attach(b));
    this.clints = buffers.clints.map((b) => ClintState.attach(b));
    this.plics = buffers.plics.map((b) => PlicState.attach(b));
    this.doorbells = new BigInt64Array(buffers.doorbells);
    this.vmOf = layout.vms.flatMap((vm, i) => Array.from({ length: vm.vcpus }, () => i));
    this.channelLatency = buffers.channelLatency.map((b) => LatencyHistogram.attach(b));
    this.latencyRejected = new Int32Array(buffers.latencyRejected);
    this.ipc = new SyncIpc(buffers.ipc, layout.channels.length, {
      vmOf: (vcpu) => this.vmOf[vcpu],
      vcpusOf: (vm) => Array.from({ length: layout.vms[vm].vcpus }, (_, i) => layout.vms[vm].firstVcpu + i),
      alive: (vm) => {
        const state = this.vmState(vm);
        return state === VmState.Running || state === VmState.Paused;
      },
      setStatus: (vcpu, status) => this.setVcpuNum(vcpu, VCPU_HV_STATUS, status),
      recordLatency: (slot, cycles) => this.channelLatency[slot].record(cycles),
      wake: (_vcpu, now) => this.wakeAllCores(now),
    });
  }

  get vcpuCount(): number {
    return this.vmOf.length;
  }

  /**
   * Whether cores push trace records: one plain load at each push site. A core may see a change a
   * slice late, which costs a record or two at most.
   */
  tracing(): boolean {
    return this.traceControl[0] !== 0;
  }

  setTracing(on: boolean): void {
    Atomics.store(this.traceControl, 0, on ? 1 : 0);
  }

  /** The next sequence number (from 1) of a traced doorbell rung on direction `slot`. */
  nextDoorbellSeq(slot: number): number {
    return Atomics.add(this.traceControl, 1 + slot, 1) + 1;
  }

  /** Counts a doorbell rung on direction `slot` (channel * 2 + ringing endpoint). */
  ringDoorbell(slot: number): void {
    Atomics.add(this.doorbells, slot, 1n);
  }

  /** Doorbells rung on direction `slot` so far. */
  doorbellCount(slot: number): number {
    return Number(Atomics.load(this.doorbells, slot));
  }

  /** Records every core's trace rings refused because they were full. */
  traceDropped(): number {
    return this.traces.reduce((sum, ring) => sum + ring.dropped, 0);
  }

  /** Lifecycle records refused because a core's lifecycle ring was full (should stay 0). */
  lifecycleDropped(): number {
    return this.lifecycle.reduce((sum, ring) => sum + ring.dropped, 0);
  }

  vmInt(vm: number, field: number): number {
    return Atomics.load(this.vmInts, vm * VM_INTS + field);
  }

  setVmInt(vm: number, field: number, value: number): void {
    Atomics.store(this.vmInts, vm * VM_INTS + field, value);
  }

  addVmInt(vm: number, field: number, delta: number): void {
    Atomics.add(this.vmInts, vm * VM_INTS + field, delta);
  }

  vmState(vm: number): VmState {
    return this.vmInt(vm, VM_STATE);
  }

  /** Moves a VM from `from` to `to` unless someone changed its state first. */
  casVmState(vm: number, from: VmState, to: VmState): boolean {
    return Atomics.compareExchange(this.vmInts, vm * VM_INTS + VM_STATE, from, to) === from;
  }

  vmNum(vm: number, field: number): number {
    return this.vmNums[vm * VM_NUMS + field];
  }

  setVmNum(vm: number, field: number, value: number): void {
    this.vmNums[vm * VM_NUMS + field] = value;
  }

  vcpuInt(vcpu: number, field: number): number {
    return Atomics.load(this.vcpuInts, vcpu * VCPU_INTS + field);
  }

  setVcpuInt(vcpu: number, field: number, value: number): void {
    Atomics.store(this.vcpuInts, vcpu * VCPU_INTS + field, value);
  }

  /** Sets `bits` in a per-vCPU int word (any thread may). */
  orVcpuInt(vcpu: number, field: number, bits: number): void {
    Atomics.or(this.vcpuInts, vcpu * VCPU_INTS + field, bits);
  }

  /** Replaces a per-vCPU int word if it holds `expected`; returns what it held. */
  compareExchangeVcpuInt(vcpu: number, field: number, expected: number, value: number): number {
    return Atomics.compareExchange(this.vcpuInts, vcpu * VCPU_INTS + field, expected, value);
  }

  /** Reads a per-vCPU int word and clears it, as one atomic step. */
  takeVcpuInt(vcpu: number, field: number): number {
    return Atomics.exchange(this.vcpuInts, vcpu * VCPU_INTS + field, 0);
  }

  /** Claims a vCPU for a core; false when another core runs it. */
  claim(vcpu: number, core: number): boolean {
    const i = vcpu * VCPU_INTS + VCPU_OWNER;
    const owner = Atomics.compareExchange(this.vcpuInts, i, -1, core);
    return owner === -1 || owner === core;
  }

  release(vcpu: number): void {
    Atomics.store(this.vcpuInts, vcpu * VCPU_INTS + VCPU_OWNER, -1);
    Atomics.add(this.system, SYSTEM_RELEASE, 1);
    Atomics.notify(this.system, SYSTEM_RELEASE);
  }

  bumpVersion(vcpu: number): number {
    return Atomics.add(this.vcpuInts, vcpu * VCPU_INTS + VCPU_VERSION, 1) + 1;
  }

  vcpuNum(vcpu: number, field: number): number {
    return this.vcpuNums[vcpu * VCPU_NUMS + field];
  }

  setVcpuNum(vcpu: number, field: number, value: number): void {
    this.vcpuNums[vcpu * VCPU_NUMS + field] = value;
  }

  /** One word of a vCPU's saved context, read in place (schedulers read these on every pick). */
  contextWord(vcpu: number, index: number): number {
    return this.contextWords[vcpu * CONTEXT_WORDS + index];
  }

  /** One number of a vCPU's saved context, read in place. */
  contextNumber(vcpu: number, index: number): number {
    return this.contextNumbers[vcpu * CONTEXT_NUMBERS + index];
  }

  contextWordsOf(vcpu: number): Int32Array {
    return this.contextWords.subarray(vcpu * CONTEXT_WORDS, (vcpu + 1) * CONTEXT_WORDS);
  }

  contextNumbersOf(vcpu: number): Float64Array {
    return this.contextNumbers.subarray(vcpu * CONTEXT_NUMBERS, (vcpu + 1) * CONTEXT_NUMBERS);
  }

  coreNum(core: number, field: number): number {
    return this.coreNums[core * CORE_NUMS + field];
  }

  setCoreNum(core: number, field: number, value: number): void {
    this.coreNums[core * CORE_NUMS + field] = value;
  }

  coreInt(core: number, field: number): number {
    return Atomics.load(this.coreInts, core * CORE_INTS + field);
  }

  setCoreInt(core: number, field: number, value: number): void {
    Atomics.store(this.coreInts, core * CORE_INTS + field, value);
  }

  wakeCore(core: number): void {
    Atomics.add(this.coreInts, core * CORE_INTS + CORE_WAKE, 1);
    const thread = this.layout.threadOf[core];
    const i = thread * THREAD_INTS;
    Atomics.add(this.threadWake, i + THREAD_WAKE, 1);
    // Only a sleeping thread needs the (costly) notify; one about to sleep sees the bumped word.
    if (Atomics.load(this.threadWake, i + THREAD_ASLEEP) !== 0) Atomics.notify(this.threadWake, i + THREAD_WAKE);
  }

  /**
   * Wakes every core for an event at virtual time `eventTime` (a doorbell, an IPC, a host command)
   * that may give one of them work. Until it runs again, an idle core counts as running from that
   * time, and a core idling until a later event as idling only until then: so no other core can
   * assume it will stay idle and skip ahead past the work this event creates.
   */
  wakeAllCores(eventTime = this.now()): void {
    for (let c = 0; c < this.layout.cores; c++) {
      const i = c * CORE_INTS + CORE_SLEEPING;
      const state = Atomics.load(this.coreInts, i);
      if (state === SLEEPING_IDLE) {
        this.setCoreNum(c, CORE_TIME, Math.max(this.coreNum(c, CORE_TIME), eventTime));
        Atomics.compareExchange(this.coreInts, i, SLEEPING_IDLE, 0);
      } else if (state === SLEEPING_UNTIL) {
        this.setCoreNum(c, CORE_WAIT_FOR, Math.min(this.coreNum(c, CORE_WAIT_FOR), eventTime));
      }
      this.wakeCore(c);
    }
  }

  /** The thread's wake word, to pass to sleepThread. */
  threadWakeSeen(thread: number): number {
    return Atomics.load(this.threadWake, thread * THREAD_INTS + THREAD_WAKE);
  }

  /** Sleeps a thread until one of its cores is woken, unless its wake word moved past `seen`. */
  sleepThread(thread: number, seen: number, timeoutMs: number): void {
    const i = thread * THREAD_INTS;
    Atomics.store(this.threadWake, i + THREAD_ASLEEP, 1);
    Atomics.wait(this.threadWake, i + THREAD_WAKE, seen, timeoutMs);
    Atomics.store(this.threadWake, i + THREAD_ASLEEP, 0);
  }

  command(): SystemCommand {
    return Atomics.load(this.system, SYSTEM_COMMAND);
  }

  setCommand(command: SystemCommand): void {
    Atomics.store(this.system, SYSTEM_COMMAND, command);
    this.wakeAllCores();
  }

  /** A core stops the whole system for a reason of its own (the first reason given wins). */
  endSystem(end: SystemEnd, vcpu: number): void {
    if (Atomics.compareExchange(this.system, SYSTEM_END, SystemEnd.None, end) !== SystemEnd.None) return;
    Atomics.store(this.system, SYSTEM_END_VCPU, vcpu);
    this.setCommand(SystemCommand.Stop);
  }

  /** The latest virtual time any core has reached. */
  now(): number {
    let t = 0;
    for (let c = 0; c < this.layout.cores; c++) t = Math.max(t, this.coreNum(c, CORE_TIME));
    return t;
  }
}
