// A comlink-wrapped worker thread whose death (crash or unexpected exit) is reported, never hung on.

import type { Worker } from 'node:worker_threads';
import { wrap, releaseProxy, type Remote } from 'comlink';
import { nodeEndpoint } from './node-endpoint.js';
import { startWorker } from './worker-entry.js';

export interface WorkerHandle<T> {
  worker: Worker;
  remote: Remote<T>;
  /** Rejects when the worker dies; race every call against it. */
  death: Promise<never>;
}

/**
 * Starts a core worker thread. `onDeath` gets one line (`LABEL worker crashed: …` or `… exited
 * unexpectedly (code N)`) unless `expected()` says the exit was asked for.
 */
export function startWorkerHandle<T>(label: string, onDeath: (message: string) => void, expected: () => boolean): WorkerHandle<T> {
  const worker = startWorker();
  const death = new Promise<never>((_, reject) => {
    worker.once('error', (error) => {
      const message = `${label} worker crashed: ${error.message}`;
      onDeath(message);
      reject(new Error(message));
    });
    worker.once('exit', (code) => {
      const message = `${label} worker exited unexpectedly (code ${code})`;
      if (!expected()) onDeath(message);
      reject(new Error(message));
    });
  });
  death.catch(() => undefined);
  return { worker, remote: wrap<T>(nodeEndpoint(worker)), death };
}

/** Races a call to the worker against its death. */
export function callWorker<T, R>(handle: WorkerHandle<T>, promise: Promise<R>): Promise<R> {
  return Promise.race([promise, handle.death]);
}

export async function stopWorkers<T>(handles: readonly WorkerHandle<T>[]): Promise<void> {
  for (const h of handles) h.remote[releaseProxy]();
  await Promise.all(handles.map((h) => h.worker.terminate()));
}
