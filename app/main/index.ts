// The desktop monitor's main process: one window on the renderer, the engine host beside it (the
// engine's cores are worker threads of this process, never of the page), IPC between the two.

import { app, BrowserWindow, dialog } from 'electron';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { defaultScenarioPath } from '../host/default-scenario.js';
import { MonitorHost } from '../host/monitor-host.js';
import type { FileKind } from '../shared/monitor-types.js';
import { connectIpc } from './ipc.js';
import { installMenu } from './menu.js';
import { hardenApp, hardenSession } from './security.js';

const here = fileURLToPath(new URL('.', import.meta.url));
/** out/main/index.js → the project folder. */
const root = resolve(here, '..', '..');
const pageFile = join(root, 'out', 'renderer', 'index.html');
const pageUrl = pathToFileURL(pageFile).href;

let mainWindow: BrowserWindow | undefined;

function scenarioArgument(argv: readonly string[]): string | undefined {
  const at = argv.indexOf('--scenario');
  return at >= 0 ? argv[at + 1] : undefined;
}

async function pickFile(kind: FileKind): Promise<string | null> {
  const filters = kind === 'elf' ? [{ name: 'RISC-V ELF', extensions: ['elf'] }] : [{ name: 'Scenario', extensions: ['json'] }];
  const options = { defaultPath: join(root, kind === 'elf' ? 'guests/bin' : 'scenarios'), properties: ['openFile' as const], filters };
  const result = mainWindow ? await dialog.showOpenDialog(mainWindow, options) : await dialog.showOpenDialog(options);
  return result.canceled || result.filePaths.length === 0 ? null : result.filePaths[0];
}

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1440,
    height: 960,
    title: 'Tessera monitor',
    backgroundColor: '#171a21',
    webPreferences: {
      preload: join(here, '..', 'preload', 'index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      webviewTag: false,
      spellcheck: false,
    },
  });
  void window.loadFile(pageFile);
  window.on('closed', () => {
    mainWindow = undefined;
  });
  return window;
}

app.enableSandbox();
hardenApp();
// Defence in depth: a stray rejection is logged, not allowed to end the monitor and its VMs.
process.on('unhandledRejection', (reason) => process.stderr.write(`tessera monitor: unhandled rejection: ${reason instanceof Error ? reason.stack : String(reason)}\n`));

const host = new MonitorHost({ root, pickFile });

app.whenReady().then(async () => {
  hardenSession();
  connectIpc(host, () => (mainWindow === undefined ? [] : [mainWindow]), pageUrl);
  installMenu(() => mainWindow);
  mainWindow = createWindow();
  const scenario = scenarioArgument(process.argv) ?? defaultScenarioPath(root);
  // An invalid scenario is shown in the window, which stays open so another can be chosen.
  await host.openScenario(scenario).catch(() => undefined);
}).catch((error: Error) => {
  process.stderr.write(`tessera monitor: ${error.message}\n`);
  app.exit(1);
});

app.on('window-all-closed', () => {
  void host.dispose().finally(() => app.quit());
});
