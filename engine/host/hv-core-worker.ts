// Entry of a hypervisor worker thread: one or more physical cores, controlled through comlink and Atomics.

import { parentPort } from 'node:worker_threads';
import { expose } from 'comlink';
import { peekCsr, snapshotOf, type HartSnapshot } from '../cores/hart-snapshot.js';
import { CoreRunner, type CoreEnd } from '../hypervisor/core-runner.js';
import { runCoreThread } from '../hypervisor/core-thread.js';
import type { VmBootImage } from '../hypervisor/layout.js';
import { SystemTables, type SystemBuffers, type SystemLayout } from '../hypervisor/system-tables.js';
import { setContractChecks } from '../memory/contracts.js';
import { nodeEndpoint } from './node-endpoint.js';

export class HvCoreWorker {
  private thread = -1;
  private tables: SystemTables | undefined;
  private runners: CoreRunner[] = [];

  /** Sets up the cores that layout.threadOf gives to thread `thread`. */
  init(thread: number, layout: SystemLayout, buffers: SystemBuffers, boot: VmBootImage[], durationCycles: number): void {
    const tables = new SystemTables(layout, buffers);
    setContractChecks(layout.checks);
    this.thread = thread;
    this.tables = tables;
    this.runners = [];
    for (let core = 0; core < layout.cores; core++) {
      if (layout.threadOf[core] !== thread) continue;
      this.runners.push(new CoreRunner(core, tables, boot, () => performance.now(), durationCycles));
    }
    for (const runner of this.runners) runner.shareThread = this.runners.length > 1;
  }

  /** Runs the thread's cores until the host stops or pauses the system, or the duration ends. */
  run(): CoreEnd[] {
    if (this.tables === undefined) throw new Error('hv core worker: init() was not called');
    return runCoreThread(this.thread, this.runners, this.tables, () => performance.now());
  }

  /** While the system is suspended: steps vCPU `vcpu` on `core` (one of this thread's) and reports it. */
  step(core: number, vcpu: number, count: number): HartSnapshot {
    const runner = this.runner(core);
    runner.step(vcpu, count);
    return snapshotOf(runner.inspect(vcpu));
  }

  /** While the system is suspended: a vCPU's registers. */
  snapshot(core: number, vcpu: number): HartSnapshot {
    return snapshotOf(this.runner(core).inspect(vcpu));
  }

  /** While the system is suspended: one of a vCPU's CSRs, read with machine privilege; undefined if none. */
  csr(core: number, vcpu: number, csr: number): number | undefined {
    return peekCsr(this.runner(core).inspect(vcpu), csr);
  }

  private runner(core: number): CoreRunner {
    const runner = this.runners.find((r) => r.core === core);
    if (runner === undefined) throw new Error(`hv core worker: core ${core} is not on thread ${this.thread}`);
    return runner;
  }
}

if (parentPort === null) throw new Error('hv-core-worker must run in a worker thread');
expose(new HvCoreWorker(), nodeEndpoint(parentPort));
