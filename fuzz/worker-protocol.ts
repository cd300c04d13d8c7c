// What the campaign and a target worker tell each other.

import type { FuzzInput, Problem } from './target.js';

export interface WorkerSetup {
  target: string;
  seed: number;
  first: number;
  count: number;
  root: string;
  scratch: string;
  /** Float64Array: [0] the execution running now (-1: none), [1] executions finished. */
  progress: SharedArrayBuffer;
  /** Int32Array: [0] set to 1 asks the worker to stop after the execution running now. */
  stop: SharedArrayBuffer;
}

export type WorkerMessage =
  | { type: 'problems'; execution: number; problems: Problem[]; input: FuzzInput }
  /** `next`: the first execution not run. */
  | { type: 'done'; next: number };
