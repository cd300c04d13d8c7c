// Scheduling policies: which vCPU a physical core runs next, and until when at most.

/** A vCPU this core may run, as the policy sees it. */
export interface Candidate {
  vcpu: number;
  vm: number;
  priority: number;
  /** Runnable now: not in WFI, or an enabled interrupt is pending. */
  eligible: boolean;
  /** When it becomes eligible by itself (its timer), or Infinity. */
  wakeAt: number;
  /** Budget per period in cycles; 0 = not budgeted. */
  budget: number;
  period: number;
  budgetLeft: number;
  periodStart: number;
  lastRun: number;
}

export interface Choice {
  /** The vCPU to run, or -1 to idle. */
  vcpu: number;
  /** The slice must end by this time (a scheduling event); when idle, the next possible event. */
  until: number;
}

export interface Window {
  vm: number;
  offset: number;
  duration: number;
}

const budgeted = (c: Candidate) => c.budget > 0;
const hasBudget = (c: Candidate) => !budgeted(c) || c.budgetLeft > 0;

/** Starts a new period (and budget) once the current one has ended. Mutates the candidate. */
export function replenish(c: Candidate, now: number): void {
  if (!budgeted(c) || now < c.periodStart + c.period) return;
  const periods = Math.floor((now - c.periodStart) / c.period);
  c.periodStart += periods * c.period;
  c.budgetLeft = c.budget;
}

/**
 * Preemptive fixed priority with budgets (partitioned is its one-candidate case). Equal priorities
 * share by least-recently-run. A slice ends at the earliest moment a higher-priority vCPU can become
 * runnable on its own (its timer, its replenishment), and within `preemptionBound` cycles whenever a
 * higher-priority vCPU exists that another core could wake.
 */
export function pickFixedPriority(cands: readonly Candidate[], now: number, quantum: number, preemptionBound: number): Choice {
  let best: Candidate | undefined;
  for (const c of cands) {
    if (!c.eligible || !hasBudget(c)) continue;
    if (best === undefined || c.priority > best.priority || (c.priority === best.priority && c.lastRun < best.lastRun)) best = c;
  }
  let event = Infinity;
  let higherExists = false;
  for (const c of cands) {
    if (c === best || (best !== undefined && c.priority <= best.priority)) continue;
    higherExists = true;
    if (!c.eligible) event = Math.min(event, c.wakeAt);
    if (budgeted(c) && c.budgetLeft <= 0) event = Math.min(event, c.periodStart + c.period);
  }
  if (best === undefined) return { vcpu: -1, until: event };
  let until = Math.min(now + quantum, event);
  if (budgeted(best)) until = Math.min(until, now + best.budgetLeft);
  if (higherExists) until = Math.min(until, now + preemptionBound);
  return { vcpu: best.vcpu, until: Math.max(until, now + 1) };
}

/**
 * ARINC 653 style: the major frame repeats; inside a window only that VM's vCPUs run (by priority),
 * and the core idles through gaps and through a window whose VM has nothing runnable.
 */
export function pickTimePartitioned(cands: readonly Candidate[], now: number, quantum: number, windows: readonly Window[], majorFrame: number): Choice {
  const frameStart = Math.floor(now / majorFrame) * majorFrame;
  const offset = now - frameStart;
  const active = windows.find((w) => w.offset <= offset && offset < w.offset + w.duration);
  if (active === undefined) {
    const next = windows.filter((w) => w.offset > offset).reduce((m, w) => Math.min(m, w.offset), Infinity);
    const first = windows.reduce((m, w) => Math.min(m, w.offset), Infinity);
    const until = Number.isFinite(next) ? frameStart + next : frameStart + majorFrame + first;
    return { vcpu: -1, until: Number.isFinite(until) ? until : Infinity };
  }
  const windowEnd = frameStart + active.offset + active.duration;
  const choice = pickFixedPriority(cands.filter((c) => c.vm === active.vm), now, quantum, quantum);
  return { vcpu: choice.vcpu, until: Math.min(choice.until, windowEnd) };
}
