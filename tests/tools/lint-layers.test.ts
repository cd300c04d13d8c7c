// The layer blocks of eslint.config.js, which see what dependency-cruiser cannot: Node's globals
// outside the Node layers, and module URLs computed at run time (only engine/host computes its
// worker entries, and only within its own folder).

import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint, type Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import config from '../../eslint.config.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The layer blocks alone, parsed without type information (they need none). */
const eslint = new ESLint({
  cwd: ROOT,
  overrideConfigFile: true,
  overrideConfig: [
    { files: ['**/*.{js,mjs,ts}'], languageOptions: { parser: tseslint.parser } },
    ...(config as Linter.Config[]).filter((block) => block.name?.startsWith('tessera/layers/')),
  ],
});

/** `rule: line` for each problem in `code`, linted as the file at `path`. */
async function problems(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, path) });
  return result.messages.map((m) => `${m.ruleId ?? m.message}: ${m.line}`);
}

describe('Node globals', () => {
  it('are refused outside the Node layers, the engine control plane and the page included', async () => {
    expect(await problems('engine/system/x.ts', 'process.exitCode = 1;\nexport const b = Buffer.from("");\n')).toEqual(['no-restricted-globals: 1', 'no-restricted-globals: 2']);
    expect(await problems('app/renderer/x.ts', 'export const d = __dirname;\nsetImmediate(() => {});\n')).toEqual(['no-restricted-globals: 1', 'no-restricted-globals: 2']);
    expect(await problems('app/preload/x.ts', 'export const v = process.versions;\n')).toEqual(['no-restricted-globals: 1']);
    expect(await problems('engine/cores/x.ts', 'export const r = require("./y.js");\n')).toEqual(['no-restricted-globals: 1']);
  });

  it('are the Node layers\' own, tools and tests included', async () => {
    for (const path of ['engine/host/x.ts', 'app/host/x.ts', 'app/web/x.ts', 'app/main/x.ts', 'app/launch/x.mjs', 'bench/x.ts', 'bin/x.js', 'fuzz/x.ts', 'scripts/x.mjs', 'tests/x.test.ts']) {
      expect(await problems(path, 'process.exitCode = Buffer.byteLength("x");\n')).toEqual([]);
    }
  });

  it('are found by what they are, not by their name: a local named process is fine', async () => {
    expect(await problems('engine/system/x.ts', 'export function f(process: number) { return process; }\n')).toEqual([]);
  });
});

describe('module URLs computed at run time', () => {
  it('are refused outside engine/host, which may compute only its own worker entries', async () => {
    const computed = 'export const u = (name: string) => new URL(`./${name}.js`, import.meta.url);\n';
    expect(await problems('fuzz/campaign.ts', computed)).toEqual(['no-restricted-syntax: 1']);
    expect(await problems('tests/x.test.ts', "export const u = (n: string) => new URL('./' + n + '.js', import.meta.url);\n")).toEqual(['no-restricted-syntax: 1']);
    expect(await problems('engine/host/worker-entry.ts', computed)).toEqual([]);
    expect(await problems('engine/host/worker-entry.ts', 'export const u = (name: string) => new URL(`../cores/${name}.js`, import.meta.url);\n')).toEqual(['no-restricted-syntax: 1']);
    expect(await problems('engine/host/worker-entry.ts', "export const u = (name: string) => new URL('./' + name + '.js', import.meta.url);\n")).toEqual(['no-restricted-syntax: 1']);
  });

  it('are fine when the file is named in a string literal, or the URL is not a module\'s', async () => {
    expect(await problems('fuzz/campaign.ts', "export const u = new URL('./target-worker.js', import.meta.url);\n")).toEqual([]);
    expect(await problems('app/web/x.ts', 'export const u = (path: string) => new URL(path, "http://127.0.0.1");\n')).toEqual([]);
  });
});
