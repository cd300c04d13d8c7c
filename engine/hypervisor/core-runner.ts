// One physical core of the hypervisor: picks vCPUs by policy, runs their slices, keeps virtual time.

import { CONTEXT_CYCLES, CONTEXT_MIE, CONTEXT_MIP_SOFT, CONTEXT_WAITING, Hart } from '../cores/hart.js';
import { Interrupt, MIP_MEIP, MIP_MSIP, MIP_MTIP, MIP_SEIP } from '../cores/trap-cause.js';
import { pickFixedPriority, pickTimePartitioned, replenish, type Candidate, type Window } from './scheduler.js';
import {
  CORE_BUSY, CORE_SLEEPING, SLEEPING_IDLE, SLEEPING_SYNC, SLEEPING_UNTIL, CORE_SWITCHES, CORE_TIME, CORE_WAIT_FOR, CORE_WAKE, SystemCommand, VCPU_BUDGET_LEFT, VCPU_INTERRUPTS,
  VCPU_EXT_FLOW_AT, VCPU_EXT_FLOW_SEQ, VCPU_EXT_FLOW_SLOT, VCPU_EXT_SINCE, VCPU_INSTRET, VCPU_LAST_RUN, VCPU_MSIP_SINCE, VCPU_VIOLATIONS, VCPU_OWNER, VCPU_PERIOD_START, VCPU_RUN_CYCLES, VCPU_VERSION, VM_EXIT_CODE,
  VM_FAULTS, VM_GENERATION, VM_IMAGE_VERSION, VM_LAST_RESET, VM_ON_TRIAL, VM_READY, VM_RESTART_PENDING, VM_RESTARTS, VM_WATCHDOG_DEADLINE, type SystemTables,
} from './system-tables.js';
import { FaultKind, TraceKind } from './trace-kinds.js';
import type { TraceRing } from '../metrics/trace-ring.js';
import type { VmBootImage } from './layout.js';
import { bootCycles, bootPartition } from './partition.js';
import { IpcBlock, IpcStatus, type IpcOp } from './sync-ipc.js';
import { buildVcpu } from './vcpu-space.js';
import { VmState } from './vm-state.js';

/** A long uninterrupted run is still published this often, so live views see it. */
const RUN_TRACE_CHUNK = 1_000_000;

export type CoreEnd = 'stopped' | 'paused' | 'ended';

/**
 * What a core waits for when it cannot go on: its wake word moving past `seen`, `ready()` turning
 * true (when given), or `timeoutMs` passing. The thread driving the core decides how to wait.
 */
export interface CoreWait {
  seen: number;
  timeoutMs: number;
  ready?: () => boolean;
}

/** A wait that is over at once: lets the thread run its other cores for a slice each. */
const TAKE_TURNS: CoreWait = { seen: -1, timeoutMs: 0 };

export class CoreRunner {
  private readonly harts: (Hart | undefined)[] = [];
  private readonly loadedVersion: number[];
  private readonly codeGeneration: number[];
  private readonly candidates: Candidate[];
  private readonly windows: Window[];
  private readonly homeVms: number[];
  private current = -1;
  /** The other cores of this core's sync group: the only ones it keeps in step with. */
  private readonly peers: number[];
  /** As of the last pick: the earliest time one of its candidates not runnable then becomes runnable by itself. */
  private nextWake = Infinity;
  /** Set by a thread that drives several cores: give the others a turn after every slice. */
  shareThread = false;
  /** The vCPU whose state the core last ran (switch costs apply when it changes). */
  private lastVcpu = -1;
  private time = 0;
  private runStart = 0;
  private wallStart = 0;
  private readonly endTime: number;

  constructor(
    readonly core: number,
    private readonly tables: SystemTables,
    private readonly boot: readonly VmBootImage[],
    private readonly wallMs: () => number,
    duration: number,
  ) {
    const { layout } = tables;
    this.endTime = duration > 0 ? duration : Infinity;
    this.loadedVersion = new Array<number>(tables.vcpuCount).fill(-1);
    this.codeGeneration = new Array<number>(tables.vcpuCount).fill(-1);
    this.candidates = [];
    layout.vms.forEach((vm, vmIndex) => {
      for (let i = 0; i < vm.vcpus; i++) {
        const allowed = layout.policy === 'partitioned' ? vm.placement[i] === core : vm.affinity.includes(core);
        if (!allowed) continue;
        this.candidates.push({
          vcpu: vm.firstVcpu + i, vm: vmIndex, priority: vm.priority, eligible: false, wakeAt: Infinity,
          budget: layout.policy === 'fixed-priority' ? vm.budget : 0, period: vm.period, budgetLeft: 0, periodStart: 0, lastRun: 0,
        });
      }
    });
    this.windows = layout.windows.filter((w) => w.core === core).map((w) => ({ vm: w.vm, offset: w.offset, duration: w.duration }));
    this.homeVms = layout.vms.map((vm, i) => ({ vm, i })).filter(({ vm }) => (vm.placement[0] ?? vm.affinity[0]) === core && vm.watchdog > 0).map(({ i }) => i);
    this.time = tables.coreNum(core, CORE_TIME);
    const group = layout.syncGroup[core];
    this.peers = layout.syncGroup.map((g, c) => (g === group && c !== core ? c : -1)).filter((c) => c >= 0);
  }

  /**
   * Runs until the host stops or pauses the system, or the scenario's duration is reached; yields
   * whenever the core has to wait, so one thread can drive several cores (see core-thread.ts).
   */
  *steps(): Generator<CoreWait, CoreEnd, void> {
    const t = this.tables;
    this.wallStart = this.wallMs() - (this.time / t.layout.frequency) * 1000;
    t.setCoreInt(this.core, CORE_SLEEPING, 0);
    for (;;) {
      const seen = t.coreInt(this.core, CORE_WAKE);
      const command = t.command();
      if (command !== SystemCommand.Run || this.time >= this.endTime) {
        this.park();
        t.setCoreInt(this.core, CORE_SLEEPING, SLEEPING_IDLE);
        this.wakeSyncWaiters(true);
        for (let c = 0; c < t.layout.cores; c++) t.wakeCore(c); // an idle core may now skip to the end
        return command === SystemCommand.Stop ? 'stopped' : command === SystemCommand.Pause ? 'paused' : 'ended';
      }
      if (!(yield* this.inStep(seen))) continue;
      this.checkWatchdogs();
      const choice = this.pick();
      if (choice.vcpu < 0 || !this.switchTo(choice.vcpu)) {
        this.park();
        // A vCPU another core took first: wait for it no longer than a quantum, and never past an
        // event of this core (skipping a quantum blindly made a real-time VM's timer fire late).
        const until = choice.vcpu < 0 ? choice.until : Math.max(this.time + 1, Math.min(choice.until, this.time + t.layout.quantum, this.nextWake));
        yield* this.idleUntil(Math.min(until, this.nextWatchdog()), seen);
        continue;
      }
      this.runSlice(Math.min(choice.until, this.endTime));
      if (this.shareThread) yield TAKE_TURNS;
    }
  }

  /** Keeps this core within one quantum of its sync group (virtual) or of the wall clock (realtime). */
  private *inStep(seen: number): Generator<CoreWait, boolean, void> {
    const t = this.tables;
    if (t.layout.mode === 'realtime') {
      const ahead = this.time - ((this.wallMs() - this.wallStart) * t.layout.frequency) / 1000;
      if (ahead <= 0) return true;
      yield { seen, timeoutMs: Math.max(1, (ahead / t.layout.frequency) * 1000) };
      return false;
    }
    if (this.time <= this.slowestOther() + t.layout.quantum) return true;
    yield* this.waitForOthers(this.time - t.layout.quantum, SLEEPING_SYNC, seen);
    return false;
  }

  /** Sleeps until every running core has reached `time` (or something wakes this core). */
  private *waitForOthers(time: number, how: number, seen: number): Generator<CoreWait, void, void> {
    const t = this.tables;
    t.setCoreNum(this.core, CORE_WAIT_FOR, time);
    t.setCoreInt(this.core, CORE_SLEEPING, how);
    if (this.slowestOther() < time) yield { seen, timeoutMs: 50, ready: () => this.slowestOther() >= time };
    t.setCoreInt(this.core, CORE_SLEEPING, 0);
  }

  /**
   * The earliest time among the running cores of this core's sync group (idle sleepers do not hold
   * anyone back; cores of other groups share nothing with this one).
   */
  private slowestOther(): number {
    const t = this.tables;
    let min = Infinity;
    for (const c of this.peers) {
      const state = t.coreInt(c, CORE_SLEEPING);
      if (state === SLEEPING_IDLE) continue;
      // A core idling until a known event will not act before it.
      min = Math.min(min, state === SLEEPING_UNTIL ? t.coreNum(c, CORE_WAIT_FOR) + t.layout.quantum : t.coreNum(c, CORE_TIME));
    }
    return min;
  }

  private publishTime(): void {
    this.tables.setCoreNum(this.core, CORE_TIME, this.time);
    this.wakeSyncWaiters();
  }

  /** Wakes the cores that wait for this one to reach their time (or for it to go idle). */
  private wakeSyncWaiters(idle = false): void {
    const t = this.tables;
    for (const c of this.peers) {
      const state = t.coreInt(c, CORE_SLEEPING);
      if ((state !== SLEEPING_SYNC && state !== SLEEPING_UNTIL)) continue;
      if (idle || t.coreNum(c, CORE_WAIT_FOR) <= this.time) t.wakeCore(c);
    }
  }

  private pick() {
    const t = this.tables;
    const { layout } = t;
    const list: Candidate[] = [];
    let nextWake = Infinity;
    for (const c of this.candidates) {
      if (t.vmState(c.vm) !== VmState.Running) continue;
      const owner = t.vcpuInt(c.vcpu, VCPU_OWNER);
      if (owner !== -1 && owner !== this.core) continue;
      this.refresh(c);
      list.push(c);
      if (!c.eligible) nextWake = Math.min(nextWake, c.wakeAt);
    }
    this.nextWake = nextWake;
    if (layout.policy === 'time-partitioned') return pickTimePartitioned(list, this.time, layout.quantum, this.windows, layout.majorFrame);
    return pickFixedPriority(list, this.time, layout.quantum, layout.policy === 'fixed-priority' ? layout.preemptionBound : layout.quantum);
  }

  /** Brings a candidate up to date with the shared tables and the vCPU's interrupt state. */
  private refresh(c: Candidate): void {
    const t = this.tables;
    c.budgetLeft = t.vcpuNum(c.vcpu, VCPU_BUDGET_LEFT);
    c.periodStart = t.vcpuNum(c.vcpu, VCPU_PERIOD_START);
    c.lastRun = t.vcpuNum(c.vcpu, VCPU_LAST_RUN);
    replenish(c, this.time);
    t.setVcpuNum(c.vcpu, VCPU_BUDGET_LEFT, c.budgetLeft);
    t.setVcpuNum(c.vcpu, VCPU_PERIOD_START, c.periodStart);
    const resident = this.isResident(c.vcpu);
    const hart = this.harts[c.vcpu];
    const waiting = resident ? hart!.waiting : t.contextWord(c.vcpu, CONTEXT_WAITING) !== 0;
    const mie = resident ? hart!.mie : t.contextWord(c.vcpu, CONTEXT_MIE);
    const soft = resident ? hart!.mipSoft : t.contextWord(c.vcpu, CONTEXT_MIP_SOFT);
    const timer = this.timerCycle(c.vcpu);
    const interrupted = ((this.lines(c.vcpu, timer) | soft) & mie) !== 0;
    if (t.ipc.block(c.vcpu) !== IpcBlock.None) {
      // Blocked in synchronous IPC: an enabled interrupt or a vanished peer ends the wait, as an interrupt ends WFI.
      const ended = interrupted ? t.ipc.cancel(c.vcpu, IpcStatus.Interrupted) : t.ipc.cancelIfPeerGone(c.vcpu);
      if (!ended && t.ipc.block(c.vcpu) !== IpcBlock.None) {
        c.eligible = false;
        c.wakeAt = (mie & MIP_MTIP) !== 0 ? timer : Infinity;
        return;
      }
    }
    c.eligible = !waiting || interrupted;
    c.wakeAt = waiting && (mie & MIP_MTIP) !== 0 ? timer : Infinity;
    // A vCPU that last ran on a core ahead of this one may not run here before its own clock:
    // running it now would drag this core's clock past events due earlier (another VM's deadline).
    const clock = resident ? hart!.cycles : t.contextNumber(c.vcpu, CONTEXT_CYCLES);
    if (c.eligible && clock > this.time) {
      c.eligible = false;
      c.wakeAt = clock;
    }
  }

  private isResident(vcpu: number): boolean {
    return this.harts[vcpu] !== undefined && this.loadedVersion[vcpu] === this.tables.vcpuInt(vcpu, VCPU_VERSION);
  }

  /** The cycle at which the vCPU's timer line rises (mtimecmp reached), or Infinity. */
  private timerCycle(vcpu: number): number {
    const t = this.tables;
    const vm = t.vmOf[vcpu];
    return t.clints[vm].timerCycle(vcpu - t.layout.vms[vm].firstVcpu);
  }

  private lines(vcpu: number, timer: number): number {
    const t = this.tables;
    const vm = t.vmOf[vcpu];
    const local = vcpu - t.layout.vms[vm].firstVcpu;
    let bits = t.clints[vm].msip(local) ? MIP_MSIP : 0;
    if (this.time >= timer) bits |= MIP_MTIP;
    const plic = t.plics[vm];
    if (plic.contextPending(2 * local)) bits |= MIP_MEIP;
    if (plic.contextPending(2 * local + 1)) bits |= MIP_SEIP;
    return bits;
  }

  /** Makes `vcpu` the core's current vCPU: save and release the old one, claim and load the new. */
  private switchTo(vcpu: number): boolean {
    if (vcpu === this.current) return true;
    const t = this.tables;
    this.park();
    if (!t.claim(vcpu, this.core)) return false;
    let hart = this.harts[vcpu];
    if (hart === undefined) hart = this.harts[vcpu] = buildVcpu(t, vcpu, this.events);
    if (!this.isResident(vcpu)) {
      hart.loadContext(t.contextWordsOf(vcpu), t.contextNumbersOf(vcpu));
      this.loadedVersion[vcpu] = t.vcpuInt(vcpu, VCPU_VERSION);
    }
    const generation = t.vmInt(t.vmOf[vcpu], VM_GENERATION);
    if (this.codeGeneration[vcpu] !== generation) {
      hart.flushDecodeCache(); // the host reloaded or wiped the partition behind the hart's back
      this.codeGeneration[vcpu] = generation;
    }
    this.current = vcpu;
    if (vcpu !== this.lastVcpu) {
      // Resuming the vCPU that ran last (after idling in WFI) needs no world switch.
      this.time += t.layout.switchCost;
      t.setCoreNum(this.core, CORE_SWITCHES, t.coreNum(this.core, CORE_SWITCHES) + 1);
      this.lastVcpu = vcpu;
    }
    this.runStart = this.time;
    return true;
  }

  /** Saves and releases the current vCPU (the core goes idle or switches). */
  private park(): void {
    const v = this.current;
    if (v < 0) return;
    const t = this.tables;
    this.traceRun();
    this.harts[v]!.saveContext(t.contextWordsOf(v), t.contextNumbersOf(v));
    this.loadedVersion[v] = t.bumpVersion(v);
    t.release(v);
    this.current = -1;
  }

  private traceRun(): void {
    if (this.current >= 0 && this.time > this.runStart && this.tables.tracing()) this.tables.traces[this.core].push(this.runStart, TraceKind.Run, this.current, this.time);
    this.runStart = this.time;
  }

  /** This core's trace ring while tracing is on, else undefined (then nothing is recorded). */
  private traceRing(): TraceRing | undefined {
    return this.tables.tracing() ? this.tables.traces[this.core] : undefined;
  }

  private runSlice(until: number): void {
    const t = this.tables;
    const v = this.current;
    const hart = this.harts[v]!;
    if (hart.cycles > this.time) this.time = hart.cycles; // a vCPU never sees time go backwards
    hart.cycles = this.time;
    const timer = this.timerCycle(v);
    const msipSince = t.vcpuNum(v, VCPU_MSIP_SINCE);
    const extSince = t.vcpuNum(v, VCPU_EXT_SINCE);
    hart.mipLines = this.lines(v, timer);
    const start = this.time;
    const trace = this.traceRing();
    t.ipc.resumed(v, start, trace);
    // A vCPU in WFI woken by an external line without a trap (its handler masked) takes a doorbell too.
    const externalWake = trace !== undefined && hart.waiting && (hart.mipLines & hart.mie & (MIP_MEIP | MIP_SEIP)) !== 0;
    hart.run(Math.max(1, Math.ceil(until - start)));
    if (hart.lastInterrupt >= 0) this.recordLatency(v, hart.lastInterrupt, start, timer, msipSince, extSince);
    else if (externalWake && trace !== undefined) this.doorbellTaken(trace, v, start);
    this.time = hart.cycles;
    const used = this.time - start;
    t.setVcpuNum(v, VCPU_BUDGET_LEFT, t.vcpuNum(v, VCPU_BUDGET_LEFT) - used);
    t.setVcpuNum(v, VCPU_RUN_CYCLES, t.vcpuNum(v, VCPU_RUN_CYCLES) + used);
    t.setVcpuNum(v, VCPU_LAST_RUN, this.time);
    t.setVcpuNum(v, VCPU_INSTRET, hart.instret);
    t.setVcpuNum(v, VCPU_VIOLATIONS, hart.accessFaults);
    t.setCoreNum(this.core, CORE_BUSY, t.coreNum(this.core, CORE_BUSY) + used);
    if (this.time - this.runStart >= RUN_TRACE_CHUNK) this.traceRun();
    if (hart.trapLoop !== undefined) this.fault(t.vmOf[v], FaultKind.TrapLoop, hart.trapLoop.first.mcause);
    this.publishTime();
  }

  private recordLatency(vcpu: number, irq: number, start: number, timer: number, msipSince: number, extSince: number): void {
    const t = this.tables;
    let since = start;
    if (irq === Interrupt.MachineTimer) since = timer;
    else if (irq === Interrupt.MachineSoftware && msipSince > 0) since = msipSince - 1;
    else if ((irq === Interrupt.MachineExternal || irq === Interrupt.SupervisorExternal) && extSince > 0) since = extSince - 1;
    if (irq === Interrupt.MachineExternal || irq === Interrupt.SupervisorExternal) t.setVcpuNum(vcpu, VCPU_EXT_SINCE, 0);
    const latency = Math.max(0, Math.round(start - since));
    t.latency[vcpu].record(latency);
    t.setVcpuNum(vcpu, VCPU_INTERRUPTS, t.vcpuNum(vcpu, VCPU_INTERRUPTS) + 1);
    const trace = this.traceRing();
    if (trace === undefined) return;
    trace.push(start, TraceKind.Interrupt, vcpu, irq, latency);
    if (irq === Interrupt.MachineExternal || irq === Interrupt.SupervisorExternal) this.doorbellTaken(trace, vcpu, start);
  }

  /**
   * While tracing: the vCPU took an external interrupt at `at`, which ends the flow of the doorbell
   * pending on it, if any; never before that doorbell rang (+ 1 cycle), as the cores' clocks run up
   * to a quantum apart.
   */
  private doorbellTaken(trace: TraceRing, vcpu: number, at: number): void {
    const t = this.tables;
    const seq = t.vcpuNum(vcpu, VCPU_EXT_FLOW_SEQ);
    if (seq === 0) return;
    trace.push(Math.max(at, t.vcpuNum(vcpu, VCPU_EXT_FLOW_AT)), TraceKind.DoorbellTake, vcpu, t.vcpuNum(vcpu, VCPU_EXT_FLOW_SLOT), seq);
    t.setVcpuNum(vcpu, VCPU_EXT_FLOW_SEQ, 0);
  }

  /** Nothing to run: skip ahead to the next event (virtual) or wait for it (realtime, or no event). */
  private *idleUntil(until: number, seen: number): Generator<CoreWait, void, void> {
    const t = this.tables;
    const target = Math.min(until, this.endTime);
    if (t.layout.mode === 'virtual' && !Number.isFinite(until) && Number.isFinite(this.endTime)) {
      // No event of this core before the end, but another core may still wake a vCPU here (a
      // doorbell, IPC): stay idle and take that core's time when woken, rather than skip ahead.
      // Only when every core stays idle through a short grace period (a core between two slices
      // looks idle for a moment) and nothing woke this one can nothing happen before the end.
      const allIdle = !Number.isFinite(this.slowestOther());
      yield* this.sleepIdle(seen, allIdle ? 1 : 100);
      if (allIdle && t.coreInt(this.core, CORE_WAKE) === seen && !Number.isFinite(this.slowestOther())) {
        this.time = Math.max(this.time, this.endTime);
        this.publishTime();
      }
      return;
    }
    if (t.layout.mode === 'virtual' && Number.isFinite(target)) {
      const bound = this.slowestOther() + t.layout.quantum;
      if (target > this.time) {
        this.time = Math.min(target, Math.max(this.time, bound));
        this.publishTime();
      }
      // Skipping further would leave the others more than a quantum behind: wait for them once,
      // until they reach the deadline, instead of once per quantum.
      if (target > this.time) yield* this.waitForOthers(target - t.layout.quantum, SLEEPING_UNTIL, seen);
      return;
    }
    if (t.layout.mode === 'realtime' && Number.isFinite(target)) {
      const waitMs = ((target - this.time) / t.layout.frequency) * 1000;
      yield { seen, timeoutMs: Math.max(0, waitMs) };
      const wallTime = ((this.wallMs() - this.wallStart) * t.layout.frequency) / 1000;
      this.time = Math.max(this.time, Math.min(target, wallTime));
      this.publishTime();
      return;
    }
    yield* this.sleepIdle(seen, 100);
  }

  /** No event can come from this core: sleep until another core, a device or the host wakes it. */
  private *sleepIdle(seen: number, timeoutMs: number): Generator<CoreWait, void, void> {
    const t = this.tables;
    t.setCoreInt(this.core, CORE_SLEEPING, SLEEPING_IDLE);
    this.wakeSyncWaiters(true);
    yield { seen, timeoutMs };
    t.setCoreInt(this.core, CORE_SLEEPING, 0);
    const others = this.slowestOther();
    if (Number.isFinite(others) && others > this.time) this.time = others;
    this.publishTime();
  }

  private nextWatchdog(): number {
    let next = Infinity;
    for (const vm of this.homeVms) {
      if (this.tables.vmState(vm) === VmState.Running) next = Math.min(next, this.tables.vmNum(vm, VM_WATCHDOG_DEADLINE));
    }
    return next;
  }

  private checkWatchdogs(): void {
    for (const vm of this.homeVms) {
      if (this.tables.vmState(vm) === VmState.Running && this.time >= this.tables.vmNum(vm, VM_WATCHDOG_DEADLINE)) {
        this.fault(vm, FaultKind.Watchdog, 0);
      }
    }
  }

  /** Stops a running VM that failed and applies its fault policy at this very virtual time. */
  private fault(vm: number, kind: FaultKind, detail: number): void {
    const t = this.tables;
    const policy = t.layout.vms[vm].onFault;
    const restart = t.vmInt(vm, VM_ON_TRIAL) === 0 && policy.policy === 'restart' && t.vmInt(vm, VM_RESTARTS) < policy.limit;
    // Counted before the state says halted, so the host never sees a VM about to restart as ended.
    if (restart) t.addVmInt(vm, VM_RESTART_PENDING, 1);
    if (!t.casVmState(vm, VmState.Running, VmState.Halted)) {
      if (restart) t.addVmInt(vm, VM_RESTART_PENDING, -1);
      return;
    }
    t.addVmInt(vm, VM_FAULTS, 1);
    const time = this.liveTime();
    t.lifecycle[this.core].push(time, TraceKind.Fault, vm, kind, detail);
    if (restart) this.reboot(vm, VmState.Halted, time);
    else t.lifecycle[this.core].push(time, TraceKind.Halt, vm, 0, 0);
  }

  /**
   * Reboots a VM in place when this core can hold all its vCPUs (deterministic in virtual time);
   * a VM running on other cores too is left to the host.
   */
  private reboot(vm: number, from: VmState, time: number): void {
    const t = this.tables;
    const layout = t.layout.vms[vm];
    const vcpus = Array.from({ length: layout.vcpus }, (_, i) => layout.firstVcpu + i);
    if (vcpus.includes(this.current)) this.endRun();
    const claimed = vcpus.filter((v) => t.claim(v, this.core));
    // An update gave the VM an image this core does not have: the host reboots it.
    if (claimed.length < vcpus.length || t.vmInt(vm, VM_IMAGE_VERSION) !== 0) {
      for (const v of claimed) t.release(v);
      t.lifecycle[this.core].push(time, TraceKind.RestartRequest, vm, 0, 0);
      return;
    }
    const { image, deviceTree } = this.boot[vm];
    bootPartition(t, vm, image, deviceTree, time + bootCycles(layout.ramBytes, image, deviceTree));
    t.addVmInt(vm, VM_RESTARTS, 1);
    for (const v of vcpus) t.release(v);
    if (t.casVmState(vm, from, VmState.Running)) t.lifecycle[this.core].push(time, TraceKind.Restart, vm, t.vmInt(vm, VM_RESTARTS), 0);
    t.addVmInt(vm, VM_RESTART_PENDING, -1);
    t.wakeAllCores(time);
  }

  /** Drops the current vCPU without saving it (its VM is about to be rebooted). */
  private endRun(): void {
    this.traceRun();
    this.tables.release(this.current);
    this.current = -1;
  }

  private readonly events = {
    exit: (vm: number, code: number) => {
      const t = this.tables;
      t.setVmInt(vm, VM_EXIT_CODE, code);
      if (code !== 0) {
        this.fault(vm, FaultKind.TestDeviceFailure, code);
      } else if (t.casVmState(vm, VmState.Running, VmState.Exited)) {
        t.lifecycle[this.core].push(this.liveTime(), TraceKind.Exit, vm, 0, 0);
      }
    },
    reset: (vm: number) => {
      const t = this.tables;
      const now = this.liveTime();
      const last = t.vmNum(vm, VM_LAST_RESET);
      t.setVmNum(vm, VM_LAST_RESET, now);
      if (now - last < t.layout.vms[vm].onFault.resetInterval) {
        this.fault(vm, FaultKind.ResetStorm, 0);
        return;
      }
      t.addVmInt(vm, VM_RESTART_PENDING, 1);
      if (!t.casVmState(vm, VmState.Running, VmState.Stopped)) {
        t.addVmInt(vm, VM_RESTART_PENDING, -1);
        return;
      }
      const time = this.liveTime();
      t.lifecycle[this.core].push(time, TraceKind.Reset, vm, 0, 0);
      this.reboot(vm, VmState.Stopped, time);
    },
    kick: (vm: number) => {
      const period = this.tables.layout.vms[vm].watchdog;
      if (period > 0) this.tables.setVmNum(vm, VM_WATCHDOG_DEADLINE, this.liveTime() + period);
    },
    ready: (vm: number, code: number) => {
      this.tables.setVmInt(vm, VM_READY, code + 1);
      this.tables.lifecycle[this.core].push(this.liveTime(), TraceKind.Ready, vm, code, 0);
    },
    yield: (vcpu: number) => {
      // Least-recently-run goes first among equals: make this one the most recent.
      this.tables.setVcpuNum(vcpu, VCPU_LAST_RUN, this.liveTime() + 1);
    },
    ring: (channel: number, endpoint: number, irq: number) => {
      const t = this.tables;
      t.doorbells[channel * 2 + endpoint]++;
      const peerVm = t.ipc.owner(channel, 1 - endpoint);
      const plic = t.plics[peerVm];
      // A doorbell is an edge: pulse the line. A storm only re-pends a pending source (counted, harmless).
      const raised = plic.setLine(irq, true);
      plic.setLine(irq, false);
      if (!raised) return;
      const vm = t.layout.vms[peerVm];
      const now = this.liveTime() + 1;
      // While tracing, the doorbell is a flow from here to the peer vCPU that takes the interrupt.
      const trace = this.traceRing();
      const slot = channel * 2 + endpoint;
      const seq = trace === undefined ? 0 : t.nextDoorbellSeq(slot);
      trace?.push(now - 1, TraceKind.DoorbellRing, this.current, slot, seq);
      for (let i = 0; i < vm.vcpus; i++) {
        const v = vm.firstVcpu + i;
        // Each vCPU keeps the first doorbell it has not taken yet (a guest that wakes from WFI
        // without trapping never clears VCPU_EXT_SINCE, so the flow has its own word).
        if (trace !== undefined && t.vcpuNum(v, VCPU_EXT_FLOW_SEQ) === 0) {
          t.setVcpuNum(v, VCPU_EXT_FLOW_SLOT, slot);
          t.setVcpuNum(v, VCPU_EXT_FLOW_AT, now);
          t.setVcpuNum(v, VCPU_EXT_FLOW_SEQ, seq);
        }
        if (t.vcpuNum(v, VCPU_EXT_SINCE) === 0) t.setVcpuNum(v, VCPU_EXT_SINCE, now);
      }
      t.wakeAllCores(now);
    },
    sentAt: (flow: number, cycleLow: number) => {
      // Only a figure, and written by a guest: never trusted. The send time is taken as the one
      // within 2^31 cycles of now whose low 32 bits the guest gave. Cores keep their clocks in step
      // only loosely, so a message from a core that is ahead may look sent in the future: that
      // counts as 0 cycles. A send time before the channel existed (the system's start) or later
      // than any core has reached (plus the slice in progress) cannot be true: it is rejected.
      const t = this.tables;
      const now = Math.floor(this.liveTime());
      const age = (now - cycleLow) | 0;
      const sentAt = now - age;
      if (sentAt < 0 || sentAt > t.now() + t.layout.quantum + t.layout.switchCost) Atomics.add(t.latencyRejected, flow, 1);
      else t.channelLatency[flow].record(Math.max(0, age));
    },
    ipc: (vcpu: number, op: IpcOp, channel: number, endpoint: number) => {
      this.tables.ipc.operate(vcpu, op, channel, endpoint, this.liveTime(), this.traceRing());
    },
    poke: (vcpu: number) => {
      // Remember when a software interrupt became pending (stored + 1; 0 = not pending).
      const t = this.tables;
      const vm = t.vmOf[vcpu];
      const pending = t.clints[vm].msip(vcpu - t.layout.vms[vm].firstVcpu);
      if (!pending) t.setVcpuNum(vcpu, VCPU_MSIP_SINCE, 0);
      else if (t.vcpuNum(vcpu, VCPU_MSIP_SINCE) === 0) t.setVcpuNum(vcpu, VCPU_MSIP_SINCE, this.liveTime() + 1);
      t.wakeAllCores(this.liveTime());
    },
  };

  private liveTime(): number {
    const hart = this.current >= 0 ? this.harts[this.current] : undefined;
    return hart !== undefined ? hart.liveTime() : this.time;
  }
}
