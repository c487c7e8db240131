import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url))

/**
 * Builds the dashboard into dist/web, which `phiwall serve` hands out as static files.
 * JSX goes through Vite's built-in oxc transform with Preact's automatic runtime; no inline
 * scripts or styles are emitted, so the server's strict Content-Security-Policy holds.
 */
export default defineConfig({
  root: here('.'),
  base: '/',
  publicDir: false,
  oxc: {
    jsx: { runtime: 'automatic', importSource: 'preact' },
  },
  build: {
    outDir: here('../../dist/web'),
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    target: 'es2022',
  },
})
