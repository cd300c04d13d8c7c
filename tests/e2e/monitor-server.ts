// Starts the browser-mode monitor (`node dist/app/web/main.js`) for a test and reads its URL and token
// from the line it prints, as a user would.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_PATH } from '../../playwright.config.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/**
 * Where the e2e run saves its screenshots: test-results/screenshots, or docs/ (the README's pictures)
 * with TESSERA_SCREENSHOTS=docs, so an ordinary test run never rewrites tracked files.
 */
export const SCREENSHOTS = process.env.TESSERA_SCREENSHOTS === 'docs' ? join(ROOT, 'docs') : join(ROOT, 'test-results', 'screenshots');
export const FIXTURES = 'tests/e2e/fixtures';
export const CHROMIUM_MISSING = !existsSync(CHROMIUM_PATH);
export const CHROMIUM_REASON = `Debian's Chromium is not installed at ${CHROMIUM_PATH} (apt-get install chromium)`;

const STOP_TIMEOUT_MS = 15_000;

export interface MonitorServer {
  url: string;
  port: number;
  token: string;
  /** What the server wrote to stderr so far. */
  stderr(): string;
  stop(): Promise<void>;
}

export async function startMonitorServer(scenario?: string): Promise<MonitorServer> {
  const main = join(ROOT, 'dist/app/web/main.js');
  if (!existsSync(main)) throw new Error('dist/app/web/main.js is missing: run `npm run build:monitor` first');
  const args = [main, '--port', '0', ...(scenario === undefined ? [] : ['--scenario', scenario])];
  // The IPC channel ties the server's life to this test worker's, even if the worker is killed.
  const child: ChildProcess = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = await new Promise<string>((resolveUrl, reject) => {
    let stdout = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /Tessera monitor: (http:\/\/\S+)/.exec(stdout);
      if (match) resolveUrl(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`the monitor server exited (code ${code}): ${stderr.trim()}`)));
  });
  const parsed = new URL(url);
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  return {
    url,
    port: Number(parsed.port),
    token: new URLSearchParams(parsed.hash.slice(1)).get('token') ?? '',
    stderr: () => stderr,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      // A server that ignores SIGTERM is a failure to report, not to wait on for the test's whole timeout.
      let timer: ReturnType<typeof setTimeout> | undefined;
      const hung = new Promise<'hung'>((done) => (timer = setTimeout(() => done('hung'), STOP_TIMEOUT_MS)));
      const outcome = await Promise.race([exited, hung]);
      clearTimeout(timer);
      if (outcome === 'hung') {
        child.kill('SIGKILL');
        throw new Error(`the monitor server did not exit within ${STOP_TIMEOUT_MS / 1000} s of SIGTERM`);
      }
    },
  };
}
