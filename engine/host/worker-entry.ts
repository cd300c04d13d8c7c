// Starts a core worker thread, both from compiled JavaScript and from TypeScript sources (tests).

import { Worker } from 'node:worker_threads';

/** A new worker thread running engine/host/hv-core-worker. Under a TypeScript runner it first registers tsx. */
export function startWorker(): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./hv-core-worker.js', import.meta.url));
  const entry = new URL('./hv-core-worker.ts', import.meta.url).href;
  return new Worker(new URL('./ts-worker-bootstrap.mjs', import.meta.url), { workerData: { entry } });
}
