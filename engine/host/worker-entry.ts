// Starts the core worker script, both from compiled JavaScript and from TypeScript sources (tests).

import { Worker } from 'node:worker_threads';

/** A new core worker thread. Under a TypeScript runner the worker first registers tsx. */
export function startCoreWorker(): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./core-worker.js', import.meta.url));
  const entry = new URL('./core-worker.ts', import.meta.url).href;
  return new Worker(new URL('./ts-worker-bootstrap.mjs', import.meta.url), { workerData: { entry } });
}
