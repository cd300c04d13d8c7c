#!/usr/bin/env node
// `npm start`: builds if needed and opens the desktop monitor on the default scenario (or the one
// given with --scenario FILE). Without the Electron binary it says so in one line and exits 1.

import { spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIfNeeded } from './build-if-needed.mjs';
import { ELECTRON_MISSING_HINT, findElectronBinary } from './electron-binary.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const electron = findElectronBinary(root);
if (electron.missing !== undefined) {
  process.stderr.write(`tessera: cannot open the desktop monitor: ${electron.missing}; ${ELECTRON_MISSING_HINT}\n`);
  process.exit(1);
}
if (!buildIfNeeded(root)) process.exit(1);
const child = spawn(electron.path, [root, ...process.argv.slice(2)], { stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) process.on(signal, () => child.kill(signal));
