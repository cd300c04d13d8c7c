// A core's virtual clock: kept within one quantum of the cores it shares something with (virtual
// mode) or paced to the wall clock (realtime), skipping idle time, sleeping when nothing is due.

import {
  CORE_SLEEPING, CORE_TIME, CORE_WAIT_FOR, CORE_WAKE, SLEEPING_IDLE, SLEEPING_SYNC, SLEEPING_UNTIL, type SystemTables,
} from './system-tables.js';

/**
 * What a core waits for when it cannot go on: its wake word moving past `seen`, `ready()` turning
 * true (when given), or `timeoutMs` passing. The thread driving the core decides how to wait.
 */
export interface CoreWait {
  seen: number;
  timeoutMs: number;
  ready?: () => boolean;
}

export class CoreClock {
  /** This core's virtual time in cycles. */
  time: number;
  /** The scenario's duration (Infinity: none). */
  readonly endTime: number;
  /** The other cores of this core's sync group: the only ones it keeps in step with. */
  private readonly peers: number[];
  private wallStart = 0;

  constructor(private readonly core: number, private readonly tables: SystemTables, private readonly wallMs: () => number, duration: number) {
    const { layout } = tables;
    this.endTime = duration > 0 ? duration : Infinity;
    this.time = tables.coreNum(core, CORE_TIME);
    const group = layout.syncGroup[core];
    this.peers = layout.syncGroup.map((g, c) => (g === group && c !== core ? c : -1)).filter((c) => c >= 0);
  }

  /** Ties virtual time to the wall clock as of now (realtime mode paces from here). */
  start(): void {
    this.wallStart = this.wallMs() - (this.time / this.tables.layout.frequency) * 1000;
  }

  /** True when no other core shares anything with this one (it is never held in step). */
  get alone(): boolean {
    return this.peers.length === 0;
  }

  /** True when this core may run on now without waiting (inStep would return true at once). */
  inStepNow(): boolean {
    const t = this.tables;
    if (t.layout.mode === 'realtime') return this.time <= ((this.wallMs() - this.wallStart) * t.layout.frequency) / 1000;
    return this.time <= this.slowestOther() + t.layout.quantum;
  }

  /** Keeps this core within one quantum of its sync group (virtual) or of the wall clock (realtime). */
  *inStep(seen: number): Generator<CoreWait, boolean, void> {
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

  /** Publishes this core's time, waking the cores that wait for it. */
  publish(): void {
    this.tables.setCoreNum(this.core, CORE_TIME, this.time);
    this.wakeSyncWaiters();
  }

  /** Wakes the cores that wait for this one to reach their time (or, `idle`, for it to go idle). */
  wakeSyncWaiters(idle = false): void {
    const t = this.tables;
    for (const c of this.peers) {
      const state = t.coreInt(c, CORE_SLEEPING);
      if ((state !== SLEEPING_SYNC && state !== SLEEPING_UNTIL)) continue;
      if (idle || t.coreNum(c, CORE_WAIT_FOR) <= this.time) t.wakeCore(c);
    }
  }

  /** Nothing to run: skip ahead to the next event (virtual) or wait for it (realtime, or no event). */
  *idleUntil(until: number, seen: number): Generator<CoreWait, void, void> {
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
        this.publish();
      }
      return;
    }
    if (t.layout.mode === 'virtual' && Number.isFinite(target)) {
      const bound = this.slowestOther() + t.layout.quantum;
      if (target > this.time) {
        this.time = Math.min(target, Math.max(this.time, bound));
        this.publish();
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
      this.publish();
      return;
    }
    yield* this.sleepIdle(seen, 100);
  }

  /** The core stops for now: idle, so it holds nobody back, and waiters are told. */
  goIdle(): void {
    this.tables.setCoreInt(this.core, CORE_SLEEPING, SLEEPING_IDLE);
    this.wakeSyncWaiters(true);
  }

  /** The core runs (again): it counts for its peers' synchronisation. */
  goActive(): void {
    this.tables.setCoreInt(this.core, CORE_SLEEPING, 0);
  }

  /** No event can come from this core: sleep until another core, a device or the host wakes it. */
  private *sleepIdle(seen: number, timeoutMs: number): Generator<CoreWait, void, void> {
    this.goIdle();
    yield { seen, timeoutMs };
    this.goActive();
    const others = this.slowestOther();
    if (Number.isFinite(others) && others > this.time) this.time = others;
    this.publish();
  }

  /** Sleeps until every running core has reached `time` (or something wakes this core). */
  private *waitForOthers(time: number, how: number, seen: number): Generator<CoreWait, void, void> {
    const t = this.tables;
    t.setCoreNum(this.core, CORE_WAIT_FOR, time);
    t.setCoreInt(this.core, CORE_SLEEPING, how);
    if (this.slowestOther() < time) yield { seen, timeoutMs: 50, ready: () => this.slowestOther() >= time };
    this.goActive();
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
}
