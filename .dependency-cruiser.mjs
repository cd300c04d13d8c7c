// The layer rules of DESIGN.md for dependency-cruiser (npm run lint:layers), made from the tables in
// scripts/layers.mjs: which layer may import which, which npm packages each may use, Node's built-in
// modules only in the Node layers, no devDependencies in what runs from an installed package, no
// cycles, and every file in a layer. Imports of every kind count: import, import type, export
// from, import(), require() and process.getBuiltinModule(). Module URLs computed at run time
// (new URL(`./${name}.js`, import.meta.url)) are invisible here; eslint.config.js allows them in
// engine/host only, and only within its own folder.

import { LAYERS, NODE_LAYERS, PACKAGES, RUNTIME_LAYERS, layerPattern } from './scripts/layers.mjs';

/** @import { IConfiguration, IForbiddenRuleType, DependencyType } from 'dependency-cruiser' */

/** @type {DependencyType[]} */
const NPM = ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-bundled', 'npm-no-pkg', 'npm-unknown'];
/** @param {string} text */
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** @param {string[]} layers */
const patterns = (layers) => layers.map(layerPattern);
/** Where the project's own modules live; anything else (npm packages, Node) is not a layer. */
const KNOWN = [...patterns(Object.keys(LAYERS)), '^dist/', '^out/', '(^|/)node_modules/'];


/** @type {IForbiddenRuleType[]} */
const layerRules = Object.entries(LAYERS)
  .filter(([, allowed]) => !allowed.includes('*'))
  .map(([layer, allowed]) => ({
    name: `layer:${layer}`,
    severity: 'error',
    comment: allowed.length === 0 ? `${layer} imports no other layer` : `${layer} may import only ${allowed.join(', ')}`,
    from: { path: layerPattern(layer) },
    to: { pathNot: [layerPattern(layer), ...patterns(allowed), '(^|/)node_modules/'], dependencyTypesNot: ['core'], couldNotResolve: false },
  }));

/** @type {IForbiddenRuleType[]} */
const packageRules = Object.entries(PACKAGES).map(([layer, packages]) => ({
  name: `packages:${layer}`,
  severity: 'error',
  comment: packages.length === 0 ? `${layer} uses no npm package` : `${layer} may use only the npm packages ${packages.join(', ')}`,
  from: { path: layerPattern(layer) },
  to: { dependencyTypes: NPM, pathNot: packages.map((name) => `(^|/)node_modules/${escape(name)}/`) },
}));

/** @type {IConfiguration} */
export default {
  forbidden: [
    ...layerRules,
    ...packageRules,
    {
      name: 'node-builtins',
      severity: 'error',
      comment: `only ${NODE_LAYERS.join(', ')} may use Node's built-in modules`,
      from: { pathNot: patterns(NODE_LAYERS) },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'runtime-dev-dependency',
      severity: 'error',
      comment: `${RUNTIME_LAYERS.join(', ')} run from an installed package: dependencies only, never devDependencies`,
      from: { path: patterns(RUNTIME_LAYERS), pathNot: '^engine/host/ts-worker-bootstrap\\.mjs$' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'not-in-package-json',
      severity: 'error',
      comment: 'an npm package that package.json does not list',
      from: {},
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'no import cycles (import type included)',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-in-a-layer',
      severity: 'error',
      comment: 'a file outside every layer: add its folder to scripts/layers.mjs',
      from: { pathNot: KNOWN },
      to: {},
    },
    {
      name: 'not-in-a-layer',
      severity: 'error',
      comment: 'a file outside every layer: add its folder to scripts/layers.mjs',
      from: { orphan: true, pathNot: KNOWN },
      to: {},
    },
    {
      name: 'not-in-a-layer',
      severity: 'error',
      comment: 'an import of a file outside every layer: add its folder to scripts/layers.mjs',
      from: {},
      to: { pathNot: KNOWN, dependencyTypesNot: ['core'], couldNotResolve: false },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'an import that resolves to no file (bin/ imports dist/, which npm run build writes)',
      from: {},
      to: { couldNotResolve: true, pathNot: '^\\.\\./dist/' },
    },
  ],
  options: {
    exclude: { path: '^(guests|docs|test-results|playwright-report)/' },
    doNotFollow: { path: ['(^|/)node_modules/', '^dist/', '^out/'] },
    tsPreCompilationDeps: true,
    detectProcessBuiltinModuleCalls: true,
    combinedDependencies: false,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
