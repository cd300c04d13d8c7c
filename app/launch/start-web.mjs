#!/usr/bin/env node
// `npm run monitor:web`: builds if needed, then serves the monitor to a browser (app/web/main.ts).

import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildIfNeeded } from './build-if-needed.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
if (!buildIfNeeded(root)) process.exit(1);
await import(pathToFileURL(resolve(root, 'dist/app/web/main.js')).href);
