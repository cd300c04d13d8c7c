// Entry of a hypervisor core worker thread: one physical core, controlled through comlink and Atomics.

import { parentPort } from 'node:worker_threads';
import { expose } from 'comlink';
import { CoreRunner, type CoreEnd } from '../hypervisor/core-runner.js';
import type { VmBootImage } from '../hypervisor/layout.js';
import { SystemTables, type SystemBuffers, type SystemLayout } from '../hypervisor/system-tables.js';
import { nodeEndpoint } from './node-endpoint.js';

export class HvCoreWorker {
  private runner: CoreRunner | undefined;

  init(core: number, layout: SystemLayout, buffers: SystemBuffers, boot: VmBootImage[], durationCycles: number): void {
    this.runner = new CoreRunner(core, new SystemTables(layout, buffers), boot, () => performance.now(), durationCycles);
  }

  /** Runs the core until the host stops or pauses the system, or the duration ends. */
  run(): CoreEnd {
    if (this.runner === undefined) throw new Error('hv core worker: init() was not called');
    return this.runner.run();
  }
}

if (parentPort === null) throw new Error('hv-core-worker must run in a worker thread');
expose(new HvCoreWorker(), nodeEndpoint(parentPort));
