// electron-vite build of the desktop monitor: `electron-vite build -c electron.config.ts` writes
// out/main (ESM), out/preload (CommonJS: sandboxed preloads cannot be modules) and out/renderer.
// It needs only the electron package's version, not its binary.

import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import { PAGE_CONTENT_SECURITY_POLICY } from './app/shared/content-security-policy.js';

const root = dirname(fileURLToPath(import.meta.url));

/**
 * The main process takes the engine host (app/host, engine/) from the tsc build in dist/ instead of
 * bundling it: the engine starts its core workers from files next to its own modules, which a bundle
 * would not have. `npm run build` writes dist/ first.
 */
function engineHostFromDist(): Plugin {
  return {
    name: 'tessera-engine-host-from-dist',
    enforce: 'pre',
    resolveId(source, importer) {
      if (importer === undefined || !source.startsWith('.')) return null;
      const path = relative(root, resolve(dirname(importer), source)).split(sep).join('/');
      if (!path.startsWith('app/host/') && !path.startsWith('engine/')) return null;
      return { id: resolve(root, 'dist', path.replace(/\.ts$/, '.js')), external: true };
    },
  };
}

const CSP_PLACEHOLDER = '%TESSERA_CONTENT_SECURITY_POLICY%';

/** The page with its Content-Security-Policy written into its <meta> tag; a page without the tag fails the build. */
export function withContentSecurityPolicy(html: string): string {
  if (!html.includes(CSP_PLACEHOLDER)) throw new Error(`app/renderer/index.html has no ${CSP_PLACEHOLDER} to fill`);
  return html.replaceAll(CSP_PLACEHOLDER, PAGE_CONTENT_SECURITY_POLICY);
}

function pageContentSecurityPolicy(): Plugin {
  return { name: 'tessera-page-content-security-policy', transformIndexHtml: withContentSecurityPolicy };
}

export default defineConfig({
  main: {
    plugins: [engineHostFromDist()],
    build: {
      outDir: resolve(root, 'out/main'),
      rollupOptions: { input: { index: resolve(root, 'app/main/index.ts') } },
    },
  },
  preload: {
    build: {
      outDir: resolve(root, 'out/preload'),
      rollupOptions: {
        input: { index: resolve(root, 'app/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    plugins: [pageContentSecurityPolicy()],
    root: resolve(root, 'app/renderer'),
    base: './',
    build: {
      outDir: resolve(root, 'out/renderer'),
      emptyOutDir: true,
      chunkSizeWarningLimit: 1024,
      rollupOptions: { input: resolve(root, 'app/renderer/index.html') },
    },
  },
});
