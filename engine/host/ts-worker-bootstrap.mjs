// Used only when the engine runs from TypeScript sources (tests): lets the worker load .ts files.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
// Node types workerData as any; worker-entry.ts always passes { entry: string }.
// eslint-disable-next-line @typescript-eslint/no-unsafe-member-access
await import(String(workerData.entry));
