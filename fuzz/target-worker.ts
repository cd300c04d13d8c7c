// Runs one target's executions in a worker thread, so the campaign's main thread can watch it for
// hangs (a synchronous endless loop included) and outlive its crashes.

import { parentPort, workerData } from 'node:worker_threads';
import { Rng } from './prng.js';
import { crash } from './target.js';
import { targetNamed } from './targets/index.js';
import type { WorkerMessage, WorkerSetup } from './worker-protocol.js';

const setup = workerData as WorkerSetup;
const progress = new Float64Array(setup.progress);
const stop = new Int32Array(setup.stop);
const post = (message: WorkerMessage) => parentPort!.postMessage(message);

const factory = targetNamed(setup.target)!;
const context = { seed: setup.seed, root: setup.root, scratch: setup.scratch };
const inputs = factory.inputs(context);
const target = await factory.open(context);
const end = setup.first + setup.count;
let execution = setup.first;
for (; execution < end && Atomics.load(stop, 0) === 0; execution++) {
  progress[0] = execution;
  let input;
  try {
    input = inputs.generate(Rng.forExecution(setup.seed, setup.target, execution), execution);
  } catch (error) {
    // A bug of the harness, not of the engine; reported so that it gets fixed.
    post({ type: 'problems', execution, problems: [crash('fuzz harness: the input generator', error)], input: { bytes: new Uint8Array(0), ext: 'txt' } });
    continue;
  }
  let problems;
  try {
    problems = await target.execute(input, execution);
  } catch (error) {
    problems = [crash(`the ${setup.target} target`, error)];
  }
  progress[1] = execution - setup.first + 1;
  if (problems.length > 0) post({ type: 'problems', execution, problems, input });
}
progress[0] = -1;
await target.close();
post({ type: 'done', next: execution });
