#!/usr/bin/env node
// Fails when an import crosses the layering of DESIGN.md: engine/ is platform-neutral except
// engine/host (the only engine folder that may use Node), engine never imports app/, imports flow
// cli, host → hypervisor → cores, devices → memory, only app/host drives the engine, and the renderer
// reaches only app/shared (and chart.js).

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Which top-level folders each layer may import from (besides itself). */
export const ALLOWED = {
  'engine/memory': [],
  'engine/devices': ['engine/memory'],
  'engine/cores': ['engine/memory'],
  'engine/loader': ['engine/memory'],
  'engine/metrics': ['engine/memory'],
  'engine/scenario': ['engine/memory', 'engine/loader'],
  // Scaling experiments: sweep points, their records, result files and plots (pure).
  'engine/experiment': ['engine/memory', 'engine/loader', 'engine/metrics', 'engine/scenario'],
  'engine/hypervisor': ['engine/memory', 'engine/cores', 'engine/devices', 'engine/loader', 'engine/metrics', 'engine/scenario'],
  // The engine API's control plane without Node: lifecycle, events, snapshots, traces, updates.
  'engine/system': ['engine/memory', 'engine/cores', 'engine/devices', 'engine/loader', 'engine/metrics', 'engine/scenario', 'engine/hypervisor'],
  'engine/host': ['engine/memory', 'engine/cores', 'engine/devices', 'engine/loader', 'engine/metrics', 'engine/scenario', 'engine/hypervisor', 'engine/experiment', 'engine/system'],
  'engine/cli': ['engine/memory', 'engine/cores', 'engine/devices', 'engine/loader', 'engine/metrics', 'engine/scenario', 'engine/hypervisor', 'engine/experiment', 'engine/system', 'engine/host'],
  'app/shared': [],
  'app/renderer': ['app/shared'],
  'app/preload': ['app/shared'],
  // The monitor's engine host: the one app folder that drives the engine.
  'app/host': ['app/shared', 'engine/host', 'engine/system', 'engine/scenario', 'engine/metrics', 'engine/hypervisor'],
  'app/main': ['app/shared', 'app/host'],
  'app/web': ['app/shared', 'app/host'],
  'app/launch': [],
};

/** Layers that may import Node's built-in modules. */
const NODE_ALLOWED = new Set(['engine/host', 'engine/cli', 'app/host', 'app/main', 'app/web', 'app/launch']);

/**
 * The npm packages each app layer may import (engine layers are not restricted here): the renderer
 * and the preload run in the page's sandbox, so neither may pull in Node-only packages.
 */
const PACKAGES_ALLOWED = {
  'app/shared': [],
  'app/renderer': ['chart.js'],
  'app/preload': ['electron'],
  'app/host': [],
  'app/main': ['electron'],
  'app/web': ['ws'],
  'app/launch': [],
};

function packageName(spec) {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}
const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
const IMPORT = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;(])import\s*\(?\s*['"]([^'"]+)['"]/gm;

function layerOf(file, root) {
  const rel = relative(root, file).split(sep).join('/');
  return Object.keys(ALLOWED).find((layer) => rel === layer || rel.startsWith(layer + '/'));
}

function sourceFiles(dir) {
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx|mts|js|mjs)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Every layering violation under `root`, one line each. */
export function checkLayers(root) {
  const problems = [];
  const files = [...sourceFiles(join(root, 'engine')), ...sourceFiles(join(root, 'app'))];
  for (const file of files) {
    const layer = layerOf(file, root);
    const rel = relative(root, file).split(sep).join('/');
    if (layer === undefined) {
      problems.push(`${rel}: not in a known layer (add its folder to scripts/check-layers.mjs)`);
      continue;
    }
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(IMPORT)) {
      const spec = match[1] ?? match[2];
      if (NODE_BUILTINS.has(spec) || spec.startsWith('node:')) {
        if (!NODE_ALLOWED.has(layer)) problems.push(`${rel}: imports '${spec}', but only ${[...NODE_ALLOWED].join(', ')} may use Node built-ins`);
        continue;
      }
      if (!spec.startsWith('.')) {
        const allowed = PACKAGES_ALLOWED[layer];
        if (allowed !== undefined && !allowed.includes(packageName(spec))) problems.push(`${rel}: imports the package '${spec}', which ${layer} may not use`);
        continue;
      }
      const target = layerOf(resolve(dirname(file), spec), root);
      if (target === undefined) {
        problems.push(`${rel}: imports '${spec}', outside every layer`);
      } else if (target !== layer && !ALLOWED[layer].includes(target)) {
        problems.push(`${rel}: imports '${spec}' (${target}), which ${layer} may not use`);
      }
    }
  }
  return problems;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
  const problems = checkLayers(root);
  for (const p of problems) console.error(`layering: ${p}`);
  if (problems.length > 0) process.exit(1);
  console.log('layering: ok');
}
