// Which vCPU a core runs next: its candidates brought up to date (budgets, WFI, interrupts, IPC
// waits, their clocks), then the scenario's policy (scheduler.ts) decides, and until when.

import type { Hart } from '../cores/hart.js';
import { ContextNumber, ContextWord } from '../cores/hart-context.js';
import { MIP_MTIP, MIP_STIP } from '../cores/trap-cause.js';
import { savedStimerCycle, timerCycle, vcpuLines } from './interrupt-lines.js';
import { pickFixedPriority, pickTimePartitioned, replenish, type Candidate, type Choice, type Window } from './scheduler.js';
import { IpcBlock, IpcStatus } from './sync-ipc.js';
import { VCPU_BUDGET_LEFT, VCPU_LAST_RUN, VCPU_OWNER, VCPU_PERIOD_START, type SystemTables } from './system-tables.js';
import { VmState } from './vm-state.js';

export class VcpuPicker {
  private readonly candidates: Candidate[] = [];
  private readonly windows: Window[];
  /** The candidates of the last pick (kept to spare an array a pick). */
  private readonly list: Candidate[] = [];
  /** As of the last pick: the earliest time one of its candidates not runnable then becomes runnable by itself. */
  nextWake = Infinity;

  constructor(private readonly core: number, private readonly tables: SystemTables) {
    const { layout } = tables;
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
  }

  /** How many vCPUs may ever run on this core. */
  get size(): number {
    return this.candidates.length;
  }

  /**
   * The policy's choice at `time`, a slice lasting at most `quantum`; `resident(vcpu)` is this
   * core's up-to-date copy of a vCPU's hart, if any.
   */
  pick(time: number, quantum: number, resident: (vcpu: number) => Hart | undefined): Choice {
    const t = this.tables;
    const { layout } = t;
    const list = this.list;
    list.length = 0;
    let nextWake = Infinity;
    for (const c of this.candidates) {
      if (t.vmState(c.vm) !== VmState.Running) continue;
      const owner = t.vcpuInt(c.vcpu, VCPU_OWNER);
      if (owner !== -1 && owner !== this.core) continue;
      this.refresh(c, time, resident(c.vcpu));
      list.push(c);
      if (!c.eligible) nextWake = Math.min(nextWake, c.wakeAt);
    }
    this.nextWake = nextWake;
    if (layout.policy === 'time-partitioned') return pickTimePartitioned(list, time, quantum, this.windows, layout.majorFrame);
    return pickFixedPriority(list, time, quantum, layout.policy === 'fixed-priority' ? layout.preemptionBound : quantum);
  }

  /** Brings a candidate up to date with the shared tables and the vCPU's interrupt state. */
  private refresh(c: Candidate, time: number, hart: Hart | undefined): void {
    const t = this.tables;
    c.budgetLeft = t.vcpuNum(c.vcpu, VCPU_BUDGET_LEFT);
    c.periodStart = t.vcpuNum(c.vcpu, VCPU_PERIOD_START);
    c.lastRun = t.vcpuNum(c.vcpu, VCPU_LAST_RUN);
    replenish(c, time);
    t.setVcpuNum(c.vcpu, VCPU_BUDGET_LEFT, c.budgetLeft);
    t.setVcpuNum(c.vcpu, VCPU_PERIOD_START, c.periodStart);
    const waiting = hart !== undefined ? hart.waiting : t.contextWord(c.vcpu, ContextWord.Waiting) !== 0;
    const mie = hart !== undefined ? hart.mie : t.contextWord(c.vcpu, ContextWord.Mie);
    const soft = hart !== undefined ? hart.mipSoft : t.contextWord(c.vcpu, ContextWord.MipSoft);
    const timer = timerCycle(t, c.vcpu);
    // Under Sstc, STIP is up exactly while time >= stimecmp.
    const sstc = (hart !== undefined ? hart.menvcfgh : t.contextWord(c.vcpu, ContextWord.Menvcfgh)) < 0;
    const stimer = !sstc ? Infinity : hart !== undefined ? hart.stimerCycle() : savedStimerCycle(t, c.vcpu);
    const pendingSoft = sstc ? (soft & ~MIP_STIP) | (time >= stimer ? MIP_STIP : 0) : soft;
    const interrupted = ((vcpuLines(t, c.vcpu, timer, time) | pendingSoft) & mie) !== 0;
    const timerWake = Math.min((mie & MIP_MTIP) !== 0 ? timer : Infinity, (mie & MIP_STIP) !== 0 ? stimer : Infinity);
    if (t.ipc.block(c.vcpu) !== IpcBlock.None) {
      // Blocked in synchronous IPC: an enabled interrupt or a vanished peer ends the wait, as an interrupt ends WFI.
      const ended = interrupted ? t.ipc.cancel(c.vcpu, IpcStatus.Interrupted) : t.ipc.cancelIfPeerGone(c.vcpu);
      if (!ended && t.ipc.block(c.vcpu) !== IpcBlock.None) {
        c.eligible = false;
        c.wakeAt = timerWake;
        return;
      }
    }
    c.eligible = !waiting || interrupted;
    c.wakeAt = waiting ? timerWake : Infinity;
    // A vCPU that last ran on a core ahead of this one may not run here before its own clock:
    // running it now would drag this core's clock past events due earlier (another VM's deadline).
    const clock = hart !== undefined ? hart.cycles : t.contextNumber(c.vcpu, ContextNumber.Cycles);
    if (c.eligible && clock > time) {
      c.eligible = false;
      c.wakeAt = clock;
    }
  }
}
