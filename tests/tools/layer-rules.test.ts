// The layer rules (.dependency-cruiser.mjs, made from scripts/layers.mjs) on a small project in a
// temporary folder: the intended imports pass, and each rule catches the imports that break it,
// whatever form the import takes (import, import type, export from, import(), require(),
// process.getBuiltinModule()).

import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import config from '../../.dependency-cruiser.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A project with one file per layer, each importing only what its layer may. */
const GOOD: Record<string, string> = {
  'engine/memory/bus.ts': 'export const bus = 1;\n',
  'engine/devices/uart.ts': "import { bus } from '../memory/bus.js';\nexport const uart = bus;\n",
  'engine/cores/hart.ts': "import { bus } from '../memory/bus.js';\nexport const hart = bus;\n",
  'engine/loader/elf.ts': "import { bus } from '../memory/bus.js';\nexport const elf = bus;\n",
  'engine/metrics/histogram.ts': 'export const histogram = 1;\n',
  'engine/scenario/scenario.ts': "import { elf } from '../loader/elf.js';\nexport const scenario = elf;\n",
  'engine/experiment/plan.ts': "import { scenario } from '../scenario/scenario.js';\nimport { histogram } from '../metrics/histogram.js';\nexport const plan = scenario + histogram;\n",
  'engine/hypervisor/vm.ts': "import { hart } from '../cores/hart.js';\nimport { uart } from '../devices/uart.js';\nexport const vm = hart + uart;\n",
  'engine/host/system.ts': "import { join } from 'node:path';\nimport * as Comlink from 'comlink';\nimport { vm } from '../hypervisor/vm.js';\nimport { plan } from '../experiment/plan.js';\nexport const system = [join, Comlink, vm, plan];\n",
  'engine/host/ts-worker-bootstrap.mjs': "import { register } from 'tsx/esm/api';\nregister();\n",
  'engine/cli/main.ts': "import { system } from '../host/system.js';\nexport const main = system;\n",
  'app/shared/protocol.ts': 'export const protocol = 1;\n',
  'app/renderer/main.ts': "import { Chart } from 'chart.js';\nimport { protocol } from '../shared/protocol.js';\nexport const page = [Chart, protocol];\n",
  'app/preload/index.ts': "import { contextBridge } from 'electron';\nimport { protocol } from '../shared/protocol.js';\nexport const bridge = [contextBridge, protocol];\n",
  'app/host/monitor-host.ts': "import { readFile } from 'node:fs/promises';\nimport { system } from '../../engine/host/system.js';\nimport { protocol } from '../shared/protocol.js';\nexport const host = [readFile, system, protocol];\n",
  'app/web/web-server.ts': "import { WebSocketServer } from 'ws';\nimport { host } from '../host/monitor-host.js';\nexport const server = [WebSocketServer, host];\n",
  'app/main/index.ts': "import { app } from 'electron';\nimport { host } from '../host/monitor-host.js';\nexport const main = [app, host];\n",
  'app/launch/start-web.mjs': "import { spawn } from 'node:child_process';\nspawn('node');\n",
  'bench/cpu.ts': "import { cpus } from 'node:os';\nimport { system } from '../engine/host/system.js';\nexport const bench = [cpus, system];\n",
  'bin/tessera.js': "import { main } from '../dist/engine/cli/main.js';\nmain();\n",
  'dist/engine/cli/main.js': 'export function main() {}\n',
  'fuzz/main.ts': "import { readFileSync } from 'node:fs';\nimport WebSocket from 'ws';\nimport { scenario } from '../engine/scenario/scenario.js';\nimport { server } from '../app/web/web-server.js';\nexport const fuzz = [readFileSync, WebSocket, scenario, server];\n",
  'scripts/tool.mjs': "import { readFileSync } from 'node:fs';\nreadFileSync('x');\n",
  'tests/unit/hart.test.ts': "import { describe } from 'vitest';\nimport { hart } from '../../engine/cores/hart.js';\nimport { page } from '../../app/renderer/main.js';\nexport const t = [describe, hart, page];\n",
  'types/web-text.d.ts': 'declare class TextEncoder {}\n',
  'vitest.config.ts': "import { defineConfig } from 'vitest/config';\nexport default defineConfig({});\n",
};

/** Each file breaks one rule (or two, where said). */
const BAD: Record<string, string> = {
  // Imports against the flow cli, host → hypervisor → cores, devices → memory, in every form.
  'engine/cores/upward.ts': "import { vm } from '../hypervisor/vm.js';\nexport const up = vm;\n",
  'engine/memory/upward.ts': "import type { uart } from '../devices/uart.js';\nexport type Up = typeof uart;\n",
  'engine/devices/late.ts': "export const late = () => import('../cores/hart.js');\n",
  'engine/metrics/reexport.ts': "export { scenario } from '../scenario/scenario.js';\n",
  'engine/loader/legacy.cjs': "module.exports = require('../hypervisor/vm.js');\n",
  // The monitor: only app/host drives the engine; the renderer reaches app/shared only.
  'app/renderer/engine.ts': "import type { system } from '../../engine/host/system.js';\nexport type S = typeof system;\n",
  'app/main/engine.ts': "import { system } from '../../engine/host/system.js';\nexport const s = system;\n",
  'app/shared/upward.ts': "import { host } from '../host/monitor-host.js';\nexport const h = host;\n",
  // The tools.
  'bin/other.js': "import { system } from '../engine/host/system.js';\nsystem();\n",
  'fuzz/page.ts': "import { page } from '../app/renderer/main.js';\nexport const p = page;\n",
  'scripts/engine.mjs': "import { bus } from '../engine/memory/bus.js';\nexport const b = bus;\n",
  // npm packages per layer.
  'app/renderer/packages.ts': "import WebSocket from 'ws';\nimport { ipcRenderer } from 'electron';\nexport const p = [WebSocket, ipcRenderer];\n",
  'app/preload/chart.ts': "import { Chart } from 'chart.js';\nexport const c = Chart;\n",
  'engine/cores/comlink.ts': "import * as Comlink from 'comlink';\nexport const c = Comlink;\n",
  // Node's built-in modules outside the Node layers, however they are reached.
  'app/renderer/node.ts': "import { readFile } from 'node:fs';\nexport const r = readFile;\n",
  'engine/scenario/fs.ts': "import { readFileSync } from 'fs';\nexport const r = readFileSync;\n",
  'engine/devices/builtin.ts': "export const os = process.getBuiltinModule('node:os');\n",
  'engine/memory/require.cjs': "module.exports = require('node:worker_threads');\n",
  'engine/system/path.ts': "import { join } from 'node:path';\nexport const j = join;\n",
  // A devDependency in what runs from an installed package.
  'engine/host/tsx.ts': "import { register } from 'tsx/esm/api';\nexport const r = register;\n",
  // A package that package.json does not list (it is only in node_modules, for another package).
  'tests/unit/picomatch.test.ts': "import picomatch from 'picomatch';\nexport const p = picomatch;\n",
  // A cycle.
  'engine/metrics/a.ts': "import { b } from './b.js';\nexport const a = () => b;\n",
  'engine/metrics/b.ts': "import { a } from './a.js';\nexport const b = () => a;\n",
  // Files outside every layer, and imports of them.
  'misc/loose.ts': 'export const loose = 1;\n',
  'engine/newfolder/n.ts': "import { bus } from '../memory/bus.js';\nexport const n = bus;\n",
  'engine/memory/outside.ts': "import { helper } from '../../misc/helper.js';\nexport const o = helper;\n",
  'misc/helper.ts': 'export const helper = 1;\n',
  // An import of nothing.
  'app/host/missing.ts': "import { nope } from './nope.js';\nexport const n = nope;\n",
};

let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'tessera-layers-'));
  const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as object;
  await writeFile(join(scratch, 'package.json'), JSON.stringify(pkg));
  await symlink(join(ROOT, 'node_modules'), join(scratch, 'node_modules'), 'dir');
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** The layer rules' violations in a project of `files`, one `rule: from → to` line each. */
async function violations(name: string, files: Record<string, string>): Promise<string[]> {
  const base = join(scratch, name);
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(base, path)), { recursive: true });
    await writeFile(join(base, path), text);
  }
  await symlink(join(scratch, 'node_modules'), join(base, 'node_modules'), 'dir');
  await writeFile(join(base, 'package.json'), await readFile(join(scratch, 'package.json')));
  const { output } = await cruise(['.'], { ...config.options, ruleSet: { forbidden: config.forbidden }, validate: true, baseDir: base });
  const result = output as ICruiseResult;
  // A package as its name: which of its files resolves depends on the resolver's conditions.
  const shown = (path: string) => path.replace(/^.*node_modules\/(@[^/]+\/[^/]+|[^/]+)\/.*$/, 'package $1');
  return result.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${shown(v.to)}`).sort();
}

describe('the layer rules', () => {
  it('accept a project whose every file imports only what its layer may', async () => {
    expect(await violations('good', GOOD)).toEqual([]);
  });

  it('catch every import that crosses the layering, in every form an import takes', async () => {
    expect(await violations('bad', { ...GOOD, ...BAD })).toEqual([
      'layer:app/main: app/main/engine.ts → engine/host/system.ts',
      'layer:app/renderer: app/renderer/engine.ts → engine/host/system.ts',
      'layer:app/shared: app/shared/upward.ts → app/host/monitor-host.ts',
      'layer:bin: bin/other.js → engine/host/system.ts',
      'layer:engine/cores: engine/cores/upward.ts → engine/hypervisor/vm.ts',
      'layer:engine/devices: engine/devices/late.ts → engine/cores/hart.ts',
      'layer:engine/loader: engine/loader/legacy.cjs → engine/hypervisor/vm.ts',
      'layer:engine/memory: engine/memory/outside.ts → misc/helper.ts',
      'layer:engine/memory: engine/memory/upward.ts → engine/devices/uart.ts',
      'layer:engine/metrics: engine/metrics/reexport.ts → engine/scenario/scenario.ts',
      'layer:fuzz: fuzz/page.ts → app/renderer/main.ts',
      'layer:scripts: scripts/engine.mjs → engine/memory/bus.ts',
      'no-circular: engine/metrics/a.ts → engine/metrics/b.ts',
      'node-builtins: app/renderer/node.ts → fs',
      'node-builtins: engine/devices/builtin.ts → os',
      'node-builtins: engine/memory/require.cjs → worker_threads',
      'node-builtins: engine/scenario/fs.ts → fs',
      'node-builtins: engine/system/path.ts → path',
      'not-in-a-layer: engine/memory/outside.ts → misc/helper.ts',
      'not-in-a-layer: engine/newfolder/n.ts → engine/memory/bus.ts',
      'not-in-a-layer: misc/loose.ts → misc/loose.ts',
      'not-in-package-json: tests/unit/picomatch.test.ts → package picomatch',
      'not-to-unresolvable: app/host/missing.ts → ./nope.js',
      'packages:app/preload: app/preload/chart.ts → package chart.js',
      'packages:app/renderer: app/renderer/packages.ts → package electron',
      'packages:app/renderer: app/renderer/packages.ts → package ws',
      'packages:engine/cores: engine/cores/comlink.ts → package comlink',
      'runtime-dev-dependency: engine/host/tsx.ts → package tsx',
    ]);
  });
});
