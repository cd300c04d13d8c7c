// One physical core of the hypervisor: picks vCPUs (vcpu-picker.ts), runs their slices, switches
// between them, and keeps its virtual clock (core-clock.ts); faults go to fault-policy.ts, and what
// the vCPUs' devices ask of the hypervisor to core-events.ts.

import type { Hart } from '../cores/hart.js';
import { MIP_MEIP, MIP_SEIP } from '../cores/trap-cause.js';
import { contractBroken, contractChecks } from '../memory/contracts.js';
import type { TraceRing } from '../metrics/trace-ring.js';
import { CoreClock, type CoreWait } from './core-clock.js';
import { coreEvents } from './core-events.js';
import { FaultPolicy } from './fault-policy.js';
import { timerCycle, vcpuLines } from './interrupt-lines.js';
import { doorbellTaken, recordLatency, type PendingSince } from './interrupt-latency.js';
import type { VmBootImage } from './layout.js';
import {
  CORE_BUSY, CORE_SWITCHES, CORE_WAKE, SystemCommand, SystemEnd, VCPU_BUDGET_LEFT, VCPU_EXT_SINCE, VCPU_INSTRET, VCPU_LAST_RUN,
  VCPU_MSIP_SINCE, VCPU_OWNER, VCPU_RUN_CYCLES, VCPU_VERSION, VCPU_VIOLATIONS, VM_GENERATION, type SystemTables,
} from './system-tables.js';
import { FaultKind, TraceKind } from './trace-kinds.js';
import { buildVcpu, type VcpuEvents } from './vcpu-space.js';
import { IpcBlock } from './sync-ipc.js';
import { VcpuPicker } from './vcpu-picker.js';
import { VmState } from './vm-state.js';

export type { CoreWait } from './core-clock.js';

/** A long uninterrupted run is still published this often, so live views see it. */
const RUN_TRACE_CHUNK = 1_000_000;

export type CoreEnd = 'stopped' | 'paused' | 'ended';

/**
 * The longest slice of a vCPU that has its core to itself (no other vCPU may run there, no other
 * core shares anything with it, virtual time): no scheduling decision can change before its next
 * event, so it runs on without the scheduler's per-slice work. Host commands still take effect
 * within a few milliseconds.
 */
const LONE_SLICE = 1_000_000;

/** A wait that is over at once: lets the thread run its other cores for a slice each. */
const TAKE_TURNS: CoreWait = { seen: -1, timeoutMs: 0 };

export class CoreRunner {
  private readonly harts: (Hart | undefined)[] = [];
  private readonly loadedVersion: number[];
  private readonly codeGeneration: number[];
  private readonly clock: CoreClock;
  private readonly picker: VcpuPicker;
  private readonly faults: FaultPolicy;
  private readonly events: VcpuEvents;
  private current = -1;
  /** Set by a thread that drives several cores: give the others a turn after every slice. */
  shareThread = false;
  /** The vCPU whose state the core last ran (switch costs apply when it changes). */
  private lastVcpu = -1;
  private runStart = 0;
  // Made once, not once a slice (a slice is a few microseconds).
  private readonly since: PendingSince = { timer: 0, stimer: Infinity, msip: 0, external: 0 };
  private readonly residentOf = (vcpu: number): Hart | undefined => this.resident(vcpu);
  /** One vCPU on a core that shares nothing: its slices may last LONE_SLICE (when the thread is its own). */
  private readonly lone: boolean;

  constructor(
    readonly core: number,
    private readonly tables: SystemTables,
    boot: readonly VmBootImage[],
    wallMs: () => number,
    duration: number,
  ) {
    this.loadedVersion = new Array<number>(tables.vcpuCount).fill(-1);
    this.codeGeneration = new Array<number>(tables.vcpuCount).fill(-1);
    this.clock = new CoreClock(core, tables, wallMs, duration);
    this.picker = new VcpuPicker(core, tables);
    this.lone = tables.layout.mode === 'virtual' && this.clock.alone && this.picker.size === 1;
    this.faults = new FaultPolicy(core, tables, boot, (vcpus) => { if (vcpus.includes(this.current)) this.dropCurrent(); });
    this.events = coreEvents({
      core, tables, faults: this.faults,
      liveTime: () => this.liveTime(),
      current: () => this.current,
      traceRing: () => this.traceRing(),
    });
  }

  /**
   * Runs until the host stops or pauses the system, or the scenario's duration is reached; yields
   * whenever the core has to wait, so one thread can drive several cores (see core-thread.ts).
   */
  *steps(): Generator<CoreWait, CoreEnd, void> {
    const t = this.tables;
    const clock = this.clock;
    clock.start();
    clock.goActive();
    for (;;) {
      const seen = t.coreInt(this.core, CORE_WAKE);
      const command = t.command();
      if (command !== SystemCommand.Run || clock.time >= clock.endTime) {
        this.park();
        clock.goIdle();
        for (let c = 0; c < t.layout.cores; c++) t.wakeCore(c); // an idle core may now skip to the end
        return command === SystemCommand.Stop ? 'stopped' : command === SystemCommand.Pause ? 'paused' : 'ended';
      }
      // The check first, so the common case makes no generator.
      if (!clock.inStepNow() && !(yield* clock.inStep(seen))) continue;
      this.faults.checkWatchdogs(clock.time);
      const quantum = this.lone && !this.shareThread ? LONE_SLICE : t.layout.quantum;
      const choice = this.picker.pick(clock.time, quantum, this.residentOf);
      if (choice.vcpu < 0 || !this.switchTo(choice.vcpu)) {
        this.park();
        // A vCPU another core took first: wait for it no longer than a quantum, and never past an
        // event of this core (skipping a quantum blindly made a real-time VM's timer fire late).
        const until = choice.vcpu < 0 ? choice.until : Math.max(clock.time + 1, Math.min(choice.until, clock.time + t.layout.quantum, this.picker.nextWake));
        yield* clock.idleUntil(Math.min(until, this.faults.nextWatchdog()), seen);
        continue;
      }
      this.runSlice(Math.min(choice.until, clock.endTime, this.faults.nextWatchdog()));
      if (this.shareThread) yield TAKE_TURNS;
    }
  }

  /**
   * Runs up to `count` instructions of a vCPU one at a time, while the system is suspended (a
   * debugger's step): interrupts are taken as when it runs; it stops early in WFI or a trap loop.
   * Throws when another core holds the vCPU.
   */
  step(vcpu: number, count: number): void {
    const hart = this.acquire(vcpu);
    if (hart === undefined) throw new Error(`vCPU ${vcpu} is held by another core`);
    try {
      for (let left = Math.max(0, Math.floor(count)); left > 0 && hart.trapLoop === undefined; ) {
        hart.mipLines = vcpuLines(this.tables, vcpu, timerCycle(this.tables, vcpu), hart.cycles);
        const used = hart.run(1);
        if (used === 0) break;
        left -= used;
      }
      this.tables.setVcpuNum(vcpu, VCPU_INSTRET, hart.instret);
    } finally {
      this.putBack(vcpu);
    }
  }

  /** A vCPU's hart as this core holds it, brought up to date (for reading registers and CSRs). */
  inspect(vcpu: number): Hart {
    const hart = this.acquire(vcpu);
    if (hart === undefined) throw new Error(`vCPU ${vcpu} is held by another core`);
    this.tables.release(vcpu); // read only: the context in shared memory stays the truth
    return hart;
  }

  /** This core's copy of a vCPU's hart, if it is up to date with the vCPU's saved context. */
  private resident(vcpu: number): Hart | undefined {
    const hart = this.harts[vcpu];
    return hart !== undefined && this.loadedVersion[vcpu] === this.tables.vcpuInt(vcpu, VCPU_VERSION) ? hart : undefined;
  }

  /** Makes `vcpu` the core's current vCPU: save and release the old one, claim and load the new. */
  private switchTo(vcpu: number): boolean {
    if (vcpu === this.current) return true;
    const t = this.tables;
    this.park();
    const hart = this.acquire(vcpu);
    if (hart === undefined) return false;
    // The pick judged the vCPU by its state then; before the claim, the host may have stopped its
    // VM (it then waits for no claimed vCPU of the VM before it rebuilds the partition, so let go at
    // once), and another core may have run it further: past this core's time (running it here would
    // drag this core's clock past its own events, a real-time VM's deadline: it waits like any vCPU
    // ahead), or into a synchronous IPC wait (run now, it would read its own request as the reply).
    if (t.vmState(t.vmOf[vcpu]) !== VmState.Running || hart.cycles > this.clock.time || t.ipc.block(vcpu) !== IpcBlock.None) {
      t.release(vcpu);
      return false;
    }
    this.current = vcpu;
    if (vcpu !== this.lastVcpu) {
      // Resuming the vCPU that ran last (after idling in WFI) needs no world switch.
      this.clock.time += t.layout.switchCost;
      t.setCoreNum(this.core, CORE_SWITCHES, t.coreNum(this.core, CORE_SWITCHES) + 1);
      this.lastVcpu = vcpu;
    }
    this.runStart = this.clock.time;
    return true;
  }

  /** Claims a vCPU for this core and brings this core's copy of its hart up to date; undefined if another core runs it. */
  private acquire(vcpu: number): Hart | undefined {
    const t = this.tables;
    if (!t.claim(vcpu, this.core)) return undefined;
    let hart = this.harts[vcpu];
    if (hart === undefined) hart = this.harts[vcpu] = buildVcpu(t, vcpu, this.events);
    if (this.resident(vcpu) === undefined) {
      hart.loadContext(t.contextWordsOf(vcpu), t.contextNumbersOf(vcpu));
      this.loadedVersion[vcpu] = t.vcpuInt(vcpu, VCPU_VERSION);
    }
    const generation = t.vmInt(t.vmOf[vcpu], VM_GENERATION);
    if (this.codeGeneration[vcpu] !== generation) {
      hart.flushDecodeCache(); // the host reloaded or wiped the partition behind the hart's back
      this.codeGeneration[vcpu] = generation;
    }
    return hart;
  }

  /** Saves a vCPU's hart into its context and lets any core run it. */
  private putBack(vcpu: number): void {
    const t = this.tables;
    this.harts[vcpu]!.saveContext(t.contextWordsOf(vcpu), t.contextNumbersOf(vcpu));
    this.loadedVersion[vcpu] = t.bumpVersion(vcpu);
    t.release(vcpu);
  }

  /** Saves and releases the current vCPU (the core goes idle or switches). */
  private park(): void {
    const v = this.current;
    if (v < 0) return;
    this.traceRun();
    this.putBack(v);
    this.current = -1;
  }

  /** Drops the current vCPU without saving it (its VM is about to be rebooted). */
  private dropCurrent(): void {
    this.traceRun();
    this.tables.release(this.current);
    this.current = -1;
  }

  private traceRun(): void {
    const time = this.clock.time;
    if (this.current >= 0 && time > this.runStart && this.tables.tracing()) this.tables.traces[this.core].push(this.runStart, TraceKind.Run, this.current, time);
    this.runStart = time;
  }

  /** This core's trace ring while tracing is on, else undefined (then nothing is recorded). */
  private traceRing(): TraceRing | undefined {
    return this.tables.tracing() ? this.tables.traces[this.core] : undefined;
  }

  private runSlice(until: number): void {
    const t = this.tables;
    const v = this.current;
    const hart = this.harts[v]!;
    const clock = this.clock;
    // Every per-vCPU word below has one writer: the core that claimed the vCPU.
    if (contractChecks() && t.vcpuInt(v, VCPU_OWNER) !== this.core) contractBroken(`core ${this.core} runs vCPU ${v}, which it has not claimed`);
    if (contractChecks() && t.ipc.block(v) !== IpcBlock.None) contractBroken(`core ${this.core} runs vCPU ${v}, which waits in synchronous IPC`);
    if (hart.cycles > clock.time) clock.time = hart.cycles; // a vCPU never sees time go backwards
    hart.cycles = clock.time;
    const since = this.since;
    since.timer = timerCycle(t, v);
    since.stimer = hart.stimerCycle();
    since.msip = t.vcpuNum(v, VCPU_MSIP_SINCE);
    since.external = t.vcpuNum(v, VCPU_EXT_SINCE);
    hart.mipLines = vcpuLines(t, v, since.timer, clock.time);
    const start = clock.time;
    // The vCPU's own timers (its CLINT's, and stimecmp under Sstc) end the slice when they come due,
    // so the interrupt is taken on time.
    if (since.timer > start && since.timer < until) until = since.timer;
    if (since.stimer > start && since.stimer < until) until = since.stimer;
    const trace = this.traceRing();
    t.ipc.resumed(v, start, trace);
    // A vCPU in WFI woken by an external line without a trap (its handler masked) takes a doorbell too.
    const externalWake = trace !== undefined && hart.waiting && (hart.mipLines & hart.mie & (MIP_MEIP | MIP_SEIP)) !== 0;
    // Instructions are cycles within a slice, so the limit bounds the slice exactly.
    hart.run(Math.max(1, Math.ceil(Math.min(until - start, t.layout.instructionLimit - hart.instret))));
    if (hart.lastInterrupt >= 0) recordLatency(t, v, hart.lastInterrupt, start, since, trace);
    else if (externalWake && trace !== undefined) doorbellTaken(t, trace, v, start);
    clock.time = hart.cycles;
    const used = clock.time - start;
    t.setVcpuNum(v, VCPU_BUDGET_LEFT, t.vcpuNum(v, VCPU_BUDGET_LEFT) - used);
    t.setVcpuNum(v, VCPU_RUN_CYCLES, t.vcpuNum(v, VCPU_RUN_CYCLES) + used);
    t.setVcpuNum(v, VCPU_LAST_RUN, clock.time);
    t.setVcpuNum(v, VCPU_INSTRET, hart.instret);
    t.setVcpuNum(v, VCPU_VIOLATIONS, hart.accessFaults);
    t.setCoreNum(this.core, CORE_BUSY, t.coreNum(this.core, CORE_BUSY) + used);
    if (clock.time - this.runStart >= RUN_TRACE_CHUNK) this.traceRun();
    if (hart.trapLoop !== undefined) this.faults.fault(t.vmOf[v], FaultKind.TrapLoop, hart.trapLoop.first.mcause, this.liveTime());
    if (hart.instret >= t.layout.instructionLimit) t.endSystem(SystemEnd.InstructionLimit, v);
    clock.publish();
  }

  private liveTime(): number {
    const hart = this.current >= 0 ? this.harts[this.current] : undefined;
    return hart !== undefined ? hart.liveTime() : this.clock.time;
  }
}
