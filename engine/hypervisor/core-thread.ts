// One worker thread driving one or more cores. With more emulated cores than host CPUs, letting the
// OS multiplex one thread per core makes every quantum's synchronisation a context switch (8 cores
// on 2 CPUs ran at a third of one core's speed); a thread that steps its cores in turn, moving on
// whenever one has to wait, keeps them in step at the cost of a function call.

import type { CoreEnd, CoreRunner, CoreWait } from './core-runner.js';
import { CORE_WAKE, type SystemTables } from './system-tables.js';

/** How long a waiting core busy-polls before its thread sleeps, when it has a host CPU to itself:
 *  another core usually catches up within a slice, and a futex sleep and wake-up cost more. */
const SPIN_MS = 0.5;

export function runCoreThread(thread: number, runners: readonly CoreRunner[], tables: SystemTables, now: () => number): CoreEnd[] {
  const steps = runners.map((r) => r.steps());
  const waits: (CoreWait | undefined)[] = runners.map(() => undefined);
  const deadlines = runners.map(() => 0);
  const ends: (CoreEnd | undefined)[] = runners.map(() => undefined);
  let live = runners.length;

  // Whether core i may go on: it is not waiting, or what it waits for has happened.
  const canGo = (i: number, at: number): boolean => {
    const wait = waits[i];
    if (wait === undefined) return true;
    return tables.coreInt(runners[i].core, CORE_WAKE) !== wait.seen || at >= deadlines[i] || (wait.ready?.() ?? false);
  };

  for (;;) {
    const seen = tables.threadWakeSeen(thread);
    let stepped = false;
    for (let i = 0; i < runners.length; i++) {
      if (ends[i] !== undefined || !canGo(i, now())) continue;
      const next = steps[i].next();
      stepped = true;
      if (next.done) {
        ends[i] = next.value;
        waits[i] = undefined;
        live--;
      } else {
        waits[i] = next.value;
        deadlines[i] = now() + next.value.timeoutMs;
      }
    }
    if (live === 0) return ends as CoreEnd[];
    if (stepped) continue;
    if (tables.layout.spin && spinUntilOneCanGo(runners.length, waits, canGo, now)) continue;
    let first = Infinity;
    for (let i = 0; i < runners.length; i++) if (ends[i] === undefined) first = Math.min(first, deadlines[i]);
    tables.sleepThread(thread, seen, Math.max(0, first - now()));
  }
}

/** Busy-polls the waits that have a condition to poll, for at most SPIN_MS; true if one came true. */
function spinUntilOneCanGo(count: number, waits: readonly (CoreWait | undefined)[], canGo: (i: number, at: number) => boolean, now: () => number): boolean {
  let pollable = false;
  for (let i = 0; i < count; i++) if (waits[i]?.ready !== undefined) pollable = true;
  if (!pollable) return false;
  const until = now() + SPIN_MS;
  for (let at = now(); at < until; at = now()) {
    for (let i = 0; i < count; i++) if (waits[i] !== undefined && canGo(i, at)) return true;
  }
  return false;
}
