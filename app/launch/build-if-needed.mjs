// Builds the monitor (tsc into dist/, electron-vite into out/) when an output is missing or older
// than a source, so `npm start` and `npm run monitor:web` always run current code.

import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const SOURCES = ['app', 'engine', 'electron.config.ts', 'tsconfig.json', 'package.json'];
const OUTPUTS = ['dist/app/host/monitor-host.js', 'dist/app/web/main.js', 'out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html'];

/**
 * @param {string} path
 * @returns {number}
 */
function newestMtime(path) {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

/**
 * @param {string} root
 * @returns {boolean}
 */
export function needsBuild(root) {
  const outputs = OUTPUTS.map((p) => { try { return statSync(join(root, p)).mtimeMs; } catch { return -1; } });
  if (outputs.some((t) => t < 0)) return true;
  return Math.max(...SOURCES.map((p) => newestMtime(join(root, p)))) > Math.min(...outputs);
}

/**
 * Returns false (after the build printed why) when the build failed.
 * @param {string} root
 * @returns {boolean}
 */
export function buildIfNeeded(root) {
  if (!needsBuild(root)) return true;
  process.stderr.write('tessera: building the monitor (npm run build:monitor)\n');
  const result = spawnSync('npm', ['run', '--silent', 'build:monitor'], { cwd: root, stdio: 'inherit' });
  return result.status === 0;
}
