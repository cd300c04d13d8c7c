// Starts a worker script, both from compiled JavaScript and from TypeScript sources (tests).

import { Worker } from 'node:worker_threads';

/** A new worker thread running engine/host/NAME. Under a TypeScript runner it first registers tsx. */
export function startWorker(name: 'core-worker' | 'hv-core-worker'): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, import.meta.url));
  const entry = new URL(`./${name}.ts`, import.meta.url).href;
  return new Worker(new URL('./ts-worker-bootstrap.mjs', import.meta.url), { workerData: { entry } });
}
