// ESLint with typescript-eslint's type-aware rules (npm run lint:code). Every file is linted with
// the types of the tsconfig that compiles it. The layer blocks add what dependency-cruiser cannot
// see (it sees imports): Node's globals outside the Node layers, and module URLs computed at run
// time, which would hide an import from the layer rules.

import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';
import { LAYERS, NODE_GLOBALS, NODE_LAYERS, layerGlobs } from './scripts/layers.mjs';

const CODE = '**/*.{js,mjs,cjs,ts,mts,cts}';

/** @type {{ files: string[]; project: string }[]} The tsconfig that types each group of files (the first group that matches a file wins). */
const PROJECTS = [
  { files: ['app/renderer/**'], project: './tsconfig.renderer.json' },
  { files: ['app/main/**', 'app/preload/**', 'electron.config.ts'], project: './tsconfig.electron.json' },
  { files: ['tests/**', 'vitest.config.ts', 'vitest.long.config.ts'], project: './tsconfig.test.json' },
  // The JavaScript tools, type-checked from their JSDoc (checkJs).
  { files: ['scripts/**', 'app/launch/**', 'engine/host/*.mjs', '*.js', '*.mjs', '.dependency-cruiser.mjs', 'playwright.config.ts', 'knip.config.ts'], project: './tsconfig.tools.json' },
  { files: ['types/**'], project: './tsconfig.common.json' },
  { files: ['engine/**', 'bench/**', 'app/shared/**', 'app/host/**', 'app/web/**', 'fuzz/**'], project: './tsconfig.json' },
];

const NON_NODE_LAYERS = Object.keys(LAYERS).filter((layer) => !NODE_LAYERS.includes(layer));

/** new URL(<anything but a string literal>, import.meta.url): a module named at run time. */
const COMPUTED_MODULE_URL =
  "NewExpression[callee.name='URL'][arguments.1.type='MemberExpression'][arguments.1.object.type='MetaProperty'][arguments.1.property.name='url']:not([arguments.0.type='Literal'])";

export default defineConfig([
  globalIgnores(['dist/', 'out/', 'guests/', 'docs/', 'test-results/', 'playwright-report/', 'bench/results/']),
  { files: [CODE], extends: [js.configs.recommended, tseslint.configs.recommendedTypeChecked] },
  ...PROJECTS.map(({ files, project }, index) => ({
    files,
    ignores: PROJECTS.slice(0, index).flatMap((earlier) => earlier.files),
    languageOptions: { parserOptions: { project, tsconfigRootDir: import.meta.dirname } },
  })),
  {
    files: [CODE],
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { args: 'after-used', argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      // `import type` or an inline `type`: either way the import is erased, as the code already does.
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', fixStyle: 'inline-type-imports' }],
      // TypeScript checks names, the JavaScript tools included (checkJs): typescript-eslint's advice.
      'no-undef': 'off',
      // Escaping control characters (console lines, CSV, SVG, trace and protocol text) is what
      // those regular expressions are for.
      'no-control-regex': 'off',
      // A hart compares bit fields of instructions and CSRs (numbers) with numeric enums
      // (privilege levels, CSR numbers, opcodes) by design; casts on the hot path would add nothing.
      '@typescript-eslint/no-unsafe-enum-comparison': 'off',
    },
  },
  {
    // bin/tessera.js only starts the compiled CLI in dist/, which no tsconfig types.
    files: ['bin/**'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    files: ['tests/**'],
    rules: {
      // A stand-in for an async interface is an async function that has nothing to wait for.
      '@typescript-eslint/require-await': 'off',
      // Tests read JSON files and command output and then check their shape with expect: typing
      // every such value first would add casts, not safety.
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },

  // ---- layers (scripts/layers.mjs; imports are dependency-cruiser's, npm run lint:layers) --------
  {
    name: 'tessera/layers/node-globals',
    files: layerGlobs(NON_NODE_LAYERS),
    rules: {
      'no-restricted-globals': ['error', ...NODE_GLOBALS.map((name) => ({ name, message: `a Node global: only ${NODE_LAYERS.join(', ')} may use Node` }))],
    },
  },
  {
    name: 'tessera/layers/module-urls',
    files: [CODE],
    ignores: ['engine/host/**'],
    rules: {
      'no-restricted-syntax': ['error', {
        selector: COMPUTED_MODULE_URL,
        message: 'a module URL computed at run time hides an import from the layer rules: name the file in a string literal (only engine/host computes its worker entries)',
      }],
    },
  },
  {
    name: 'tessera/layers/engine-host-worker-urls',
    files: ['engine/host/**'],
    rules: {
      'no-restricted-syntax': ['error', {
        // Allowed: new URL(`./${name}.js`, import.meta.url), a file in engine/host itself.
        selector: `${COMPUTED_MODULE_URL}:not([arguments.0.type='TemplateLiteral'][arguments.0.quasis.length=2][arguments.0.quasis.0.value.raw='./'][arguments.0.quasis.1.value.raw=/^\\.[a-z]+$/])`,
        message: 'a module URL computed in engine/host must name a file of engine/host: new URL(`./${name}.js`, import.meta.url)',
      }],
    },
  },
]);
