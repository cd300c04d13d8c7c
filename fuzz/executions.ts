// The execution loop of one target: make each input from its seed and number, run it, pass on
// what went wrong. A target worker runs it; the CI smoke test runs it in its own thread.

import { Rng } from './prng.js';
import { crash, type FuzzInput, type Problem, type TargetContext } from './target.js';
import { targetNamed } from './targets/index.js';

export interface ExecutionRange extends TargetContext {
  target: string;
  first: number;
  count: number;
}

export interface ExecutionHooks {
  /** Asked before each execution; true ends the loop. */
  stopped(): boolean;
  /** `execution` is about to run (-1: none is running). */
  running(execution: number): void;
  problems(execution: number, problems: Problem[], input: FuzzInput): void;
}

/** Runs the range (or until stopped); resolves with the first execution not run. */
export async function runExecutions(range: ExecutionRange, hooks: ExecutionHooks): Promise<number> {
  const factory = targetNamed(range.target);
  if (factory === undefined) throw new Error(`no fuzz target ${range.target}`);
  const context = { seed: range.seed, root: range.root, scratch: range.scratch };
  const inputs = factory.inputs(context);
  const target = await factory.open(context);
  let execution = range.first;
  try {
    for (; execution < range.first + range.count && !hooks.stopped(); execution++) {
      hooks.running(execution);
      let input: FuzzInput;
      try {
        input = inputs.generate(Rng.forExecution(range.seed, range.target, execution), execution);
      } catch (error) {
        // A bug of the harness, not of the engine; reported so that it gets fixed.
        hooks.problems(execution, [crash('fuzz harness: the input generator', error)], { bytes: new Uint8Array(0), ext: 'txt' });
        continue;
      }
      let problems: Problem[];
      try {
        problems = await target.execute(input, execution);
      } catch (error) {
        problems = [crash(`the ${range.target} target`, error)];
      }
      if (problems.length > 0) hooks.problems(execution, problems, input);
    }
  } finally {
    hooks.running(-1);
    await target.close();
  }
  return execution;
}
