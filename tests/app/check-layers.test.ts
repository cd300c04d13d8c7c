// The layering check for the monitor's folders: the renderer reaches only app/shared and chart.js,
// only app/host drives the engine, and Node-only packages stay out of the page.

import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without type declarations
import { checkLayers } from '../../scripts/check-layers.mjs';

let root: string | undefined;

afterEach(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

async function tree(files: Record<string, string>): Promise<string[]> {
  root = await mkdtemp(join(tmpdir(), 'tessera-layers-'));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
  return checkLayers(root) as string[];
}

describe('checkLayers for app/', () => {
  it('accepts the intended imports', async () => {
    expect(await tree({
      'app/shared/protocol.ts': 'export const x = 1;\n',
      'app/renderer/main.ts': "import { x } from '../shared/protocol.js';\nimport { Chart } from 'chart.js';\n",
      'app/preload/index.ts': "import { contextBridge } from 'electron';\nimport { x } from '../shared/protocol.js';\n",
      'app/host/monitor-host.ts': "import { System } from '../../engine/host/system.js';\nimport { resolve } from 'node:path';\n",
      'app/web/web-server.ts': "import { WebSocketServer } from 'ws';\nimport { MonitorHost } from '../host/monitor-host.js';\n",
      'app/main/index.ts': "import { app } from 'electron';\nimport { MonitorHost } from '../host/monitor-host.js';\n",
      'engine/host/system.ts': 'export class System {}\n',
    })).toEqual([]);
  });

  it('refuses the engine, Node and Node-only packages in the renderer, and the engine outside app/host', async () => {
    const problems = await tree({
      'app/renderer/a.ts': "import { System } from '../../engine/host/system.js';\n",
      'app/renderer/b.ts': "import { readFile } from 'node:fs';\n",
      'app/renderer/c.ts': "import WebSocket from 'ws';\nimport { ipcRenderer } from 'electron';\n",
      'app/main/d.ts': "import { System } from '../../engine/host/system.js';\n",
      'app/shared/e.ts': "import { x } from '../host/x.js';\n",
      'app/host/x.ts': 'export const x = 1;\n',
      'engine/host/system.ts': 'export class System {}\n',
    });
    expect(problems.sort()).toEqual([
      "app/main/d.ts: imports '../../engine/host/system.js' (engine/host), which app/main may not use",
      "app/renderer/a.ts: imports '../../engine/host/system.js' (engine/host), which app/renderer may not use",
      "app/renderer/b.ts: imports 'node:fs', but only engine/host, engine/cli, app/host, app/main, app/web, app/launch may use Node built-ins",
      "app/renderer/c.ts: imports the package 'electron', which app/renderer may not use",
      "app/renderer/c.ts: imports the package 'ws', which app/renderer may not use",
      "app/shared/e.ts: imports '../host/x.js' (app/host), which app/shared may not use",
    ]);
  });
});
