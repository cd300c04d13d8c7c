// The layering of DESIGN.md as data, read by .dependency-cruiser.mjs (imports) and eslint.config.js
// (Node globals, module URLs computed at run time). Imports flow cli, host → system → hypervisor →
// cores, devices → memory; engine/ is platform-neutral except engine/host and the command line
// (engine/cli); only app/host drives the engine; the renderer and the preload run in the page's
// sandbox. Every folder with code is a layer.

/**
 * Which layers each layer may import from (besides itself). A layer is a folder, or '.' for the
 * configuration files at the top of the project; 'engine/*' is every engine folder, '*' everything.
 * @type {Record<string, string[]>}
 */
export const LAYERS = {
  'engine/memory': [],
  'engine/devices': ['engine/memory'],
  'engine/cores': ['engine/memory'],
  'engine/loader': ['engine/memory'],
  // Histograms and rings in shared memory keep the contracts of engine/memory/contracts.ts.
  'engine/metrics': ['engine/memory'],
  'engine/scenario': ['engine/memory', 'engine/loader'],
  // Scaling experiments: sweep points, their records, result files and plots (pure).
  'engine/experiment': ['engine/memory', 'engine/loader', 'engine/metrics', 'engine/scenario'],
  'engine/hypervisor': ['engine/memory', 'engine/cores', 'engine/devices', 'engine/loader', 'engine/metrics', 'engine/scenario'],
  // The engine API's control plane without Node: VM control, events, snapshots, traces, updates.
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
  // npm start / npm run monitor:web: build when needed, then start dist/ or out/ (never imported).
  'app/launch': [],
  // The tools: they run the engine as its users do.
  bench: ['engine/*'],
  // bin/tessera.js runs the compiled CLI (dist/engine/cli) and nothing else.
  bin: ['dist/engine/cli'],
  fuzz: ['engine/*', 'app/shared', 'app/host', 'app/web'],
  scripts: [],
  tests: ['*'],
  types: [],
  '.': ['*'],
};

/**
 * Layers that may use Node: its built-in modules, and globals such as process, Buffer and __dirname.
 * @type {string[]}
 */
export const NODE_LAYERS = ['engine/host', 'engine/cli', 'app/host', 'app/main', 'app/web', 'app/launch', 'bench', 'bin', 'fuzz', 'scripts', 'tests', '.'];

/**
 * The npm packages each layer may import; a layer not named here may use what package.json lists.
 * The renderer and the preload run in the page's sandbox, so neither may pull in Node-only
 * packages; the engine runs from an installed package, so it uses `dependencies` only.
 * @type {Record<string, string[]>}
 */
export const PACKAGES = {
  'engine/memory': [],
  'engine/devices': [],
  'engine/cores': [],
  'engine/loader': [],
  // Histograms and rings in shared memory keep the contracts of engine/memory/contracts.ts.
  'engine/metrics': ['engine/memory'],
  'engine/scenario': [],
  'engine/experiment': [],
  'engine/hypervisor': [],
  'engine/system': [],
  // tsx only in ts-worker-bootstrap.mjs, which runs when the engine runs from its TypeScript sources.
  'engine/host': ['comlink', 'tsx'],
  'engine/cli': [],
  'app/shared': [],
  'app/renderer': ['chart.js'],
  'app/preload': ['electron'],
  'app/host': [],
  'app/main': ['electron'],
  'app/web': ['ws'],
  'app/launch': [],
  bench: [],
  bin: [],
  fuzz: ['ws'],
  scripts: [],
  types: [],
};

/**
 * Layers that run from an installed package (npm install --omit=dev): no devDependencies there.
 * @type {string[]}
 */
export const RUNTIME_LAYERS = ['engine/*', 'app/shared', 'app/host', 'app/web', 'bin'];

/**
 * Node's globals, which only NODE_LAYERS may use (the common layers also compile with `types: []`).
 * @type {string[]}
 */
export const NODE_GLOBALS = ['process', 'Buffer', '__dirname', '__filename', 'require', 'module', 'exports', 'global', 'setImmediate', 'clearImmediate'];

/**
 * The files a layer ('engine/*', 'bench', '.') covers, as a regular expression on paths from the
 * project root.
 * @param {string} layer
 * @returns {string}
 */
export function layerPattern(layer) {
  if (layer === '*') return '.*';
  if (layer === '.') return '^[^/]+$';
  const folder = layer.endsWith('/*') ? `${layer.slice(0, -2)}/[^/]+` : layer;
  return `^${folder.replaceAll('.', '\\.')}/`;
}

/**
 * Glob patterns (for ESLint's `files`) of the given layers' source files.
 * @param {string[]} layers
 * @returns {string[]}
 */
export function layerGlobs(layers) {
  return layers.flatMap((layer) => (layer === '.' ? ['*.{js,mjs,cjs,ts,mts,cts}'] : [`${layer}/**/*.{js,mjs,cjs,ts,mts,cts}`]));
}
