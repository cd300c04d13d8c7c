// Locates the core worker script, both from compiled JavaScript and from TypeScript sources (tests).

import type { WorkerOptions } from 'node:worker_threads';

export function coreWorkerEntry(): { url: URL; options: WorkerOptions } {
  const fromSource = import.meta.url.endsWith('.ts');
  return fromSource
    ? { url: new URL('./core-worker.ts', import.meta.url), options: { execArgv: ['--import', 'tsx'] } }
    : { url: new URL('./core-worker.js', import.meta.url), options: {} };
}
