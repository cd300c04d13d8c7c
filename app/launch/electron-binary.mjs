// Finds the Electron binary without starting Electron's own download (which `require('electron')`
// does when the binary is missing, and which fails without internet access).

import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export const ELECTRON_MISSING_HINT =
  'fetch it with `npx install-electron --no` on a machine that reaches GitHub (Electron 43+ downloads its binary on first use, not at npm install), or use the browser monitor: npm run monitor:web';

/**
 * { path } of the binary, or { missing } with the one-line reason it cannot be used.
 * @param {string} root
 * @returns {{ path: string; missing?: undefined } | { missing: string; path?: undefined }}
 */
export function findElectronBinary(root) {
  let packageDir;
  try {
    packageDir = dirname(createRequire(join(root, 'package.json')).resolve('electron/package.json'));
  } catch {
    return { missing: 'the electron package is not installed' };
  }
  const pathFile = join(packageDir, 'path.txt');
  const executable = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : 'electron';
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const path = override ? join(override, executable) : join(packageDir, 'dist', executable);
  if (!existsSync(path)) return { missing: `the Electron binary is not installed (${override ? 'ELECTRON_OVERRIDE_DIST_PATH' : 'node_modules/electron/dist'} has no ${executable})` };
  return { path };
}
