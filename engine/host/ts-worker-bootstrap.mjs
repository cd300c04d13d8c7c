// Used only when the engine runs from TypeScript sources (tests): lets the worker load .ts files.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
