// `npm run monitor:web`: the monitor in a browser. Starts the engine host and the local server,
// opens the default (or given) scenario, and prints the page's URL with this run's token.

import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { defaultScenarioPath } from '../host/default-scenario.js';
import { MonitorHost } from '../host/monitor-host.js';
import { startWebServer } from './web-server.js';

const USAGE = 'usage: monitor:web [--scenario FILE] [--port N] [--sample-hz N] (binds 127.0.0.1 only)';

// Defence in depth: a stray rejection is logged, not allowed to end the monitor and its VMs.
process.on('unhandledRejection', (reason) => process.stderr.write(`tessera monitor: unhandled rejection: ${reason instanceof Error ? reason.stack : String(reason)}\n`));

async function main(): Promise<number> {
  const root = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
  let values;
  try {
    ({ values } = parseArgs({ options: { scenario: { type: 'string' }, port: { type: 'string' }, 'sample-hz': { type: 'string' }, help: { type: 'boolean' } } }));
  } catch (error) {
    process.stderr.write(`tessera monitor: ${(error as Error).message} (${USAGE})\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const port = Number(values.port ?? 0);
  const sampleHz = Number(values['sample-hz'] ?? 10);
  if (!Number.isInteger(port) || port < 0 || port > 65535) return usageError(`--port must be 0..65535, got ${values.port}`);
  if (!(sampleHz > 0 && sampleHz <= 20)) return usageError(`--sample-hz must be above 0 and at most 20, got ${values['sample-hz']}`);
  const staticDir = join(root, 'out', 'renderer');
  if (!existsSync(join(staticDir, 'index.html'))) {
    process.stderr.write('tessera monitor: the renderer is not built (out/renderer): run `npm run build:monitor`\n');
    return 1;
  }
  const quitRequested = new Promise<void>((done) => {
    process.once('SIGINT', () => done());
    process.once('SIGTERM', () => done());
    // Started by another program with an IPC channel (the end-to-end tests): end when it goes away.
    if (process.send !== undefined) {
      if (!process.connected) done();
      process.once('disconnect', () => done());
    }
  });
  const host = new MonitorHost({ root, sampleHz });
  const server = await startWebServer({ handler: host, staticDir, port, log: (line) => process.stderr.write(`tessera monitor: ${line}\n`) });
  process.stdout.write(`Tessera monitor: ${server.url}\n`);
  const scenario = values.scenario ?? defaultScenarioPath(root);
  // An invalid scenario is shown in the page; the server keeps running so another can be opened.
  await host.openScenario(scenario).catch((error: Error) => process.stderr.write(`tessera monitor: ${error.message}\n`));
  await quitRequested;
  await server.close();
  await host.dispose();
  if (process.connected) process.disconnect(); // an open IPC channel would keep the process alive
  return 0;
}

function usageError(message: string): number {
  process.stderr.write(`tessera monitor: ${message} (${USAGE})\n`);
  return 2;
}

process.exitCode = await main();
