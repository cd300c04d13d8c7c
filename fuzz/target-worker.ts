// Runs one target's executions in a worker thread, so the campaign's main thread can watch it for
// hangs (a synchronous endless loop included) and outlive its crashes.

import { parentPort, workerData } from 'node:worker_threads';
import { runExecutions } from './executions.js';
import type { WorkerMessage, WorkerSetup } from './worker-protocol.js';

const setup = workerData as WorkerSetup;
const progress = new Float64Array(setup.progress);
const stop = new Int32Array(setup.stop);
const post = (message: WorkerMessage) => parentPort!.postMessage(message);

const next = await runExecutions(setup, {
  stopped: () => Atomics.load(stop, 0) !== 0,
  running: (execution) => {
    progress[0] = execution;
    if (execution >= 0) progress[1] = execution - setup.first;
  },
  problems: (execution, problems, input) => post({ type: 'problems', execution, problems, input }),
});
post({ type: 'done', next });
