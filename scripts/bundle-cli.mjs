#!/usr/bin/env node
// Bundles the compiled CLI (dist/cli/main.js and everything it imports from dist/) into
// dist/bundle/: one module for what every command needs, and a chunk for each part loaded on
// demand (the vulnerability stage, PHI detection, the store drivers, the collectors). Dependencies
// stay external (node_modules). Starting the CLI then reads a handful of files instead of ~600
// modules: `phiwall --version` goes from ~0.42 s to ~0.28 s on the 2-core benchmark machine.
// esbuild-wasm is esbuild compiled to WebAssembly: no platform binary, nothing downloaded at install.
// Run by `npm run build` after tsc; bin/phiwall.js imports dist/bundle/main.js.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import * as esbuild from 'esbuild-wasm'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const outdir = path.join(root, 'dist/bundle')
fs.rmSync(outdir, { recursive: true, force: true })
await esbuild.build({
  entryPoints: { main: path.join(root, 'dist/cli/main.js') },
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  splitting: true,
  chunkNames: 'chunk-[hash]',
  outdir,
  packages: 'external',
  logLevel: 'warning',
  legalComments: 'none',
})
