#!/usr/bin/env node
// Bundles the compiled CLI (dist/cli/main.js and everything it imports from dist/) into
// dist/bundle/: one module for what every command needs, and a chunk for each part loaded on
// demand (the vulnerability stage, PHI detection, the store drivers, the collectors). Starting the
// CLI then reads a handful of files instead of ~600 modules: `phiwall --version` goes from ~0.42 s
// to ~0.28 s on the 2-core benchmark machine. Dependencies stay external (node_modules), except the
// small pure-JavaScript ones every scan loads (BUNDLED below, ~170 modules of their own): inlined,
// a scan's fixed cost falls from ~0.30 s to ~0.22 s.
// esbuild-wasm is esbuild compiled to WebAssembly: no platform binary, nothing downloaded at install.
// Run by `npm run build` after tsc; bin/phiwall.js imports dist/bundle/main.js.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import * as esbuild from 'esbuild-wasm'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
/**
 * Dependencies inlined into the bundle: loaded by every scan, plain JavaScript (no native code, data
 * files or dynamic requires). zod is one of them (~45 ms of every start); @hono/zod-openapi stays
 * external with the zod of node_modules, so the server's route schemas (built with its `z`) and the
 * inlined zod's schemas (input validation elsewhere) are two instances that must not be mixed in
 * one schema: route files import `z` from '@hono/zod-openapi' only.
 */
const BUNDLED = new Set(['commander', 'cli-progress', 'cli-table3', 'fast-xml-parser', 'ipaddr.js', 'js-yaml', 'jsonc-parser', 'packageurl-js', 'picocolors', 'smol-toml', 'zod'])
const dependencies = Object.keys(JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).dependencies)
const external = dependencies.filter((d) => !BUNDLED.has(d)).flatMap((d) => [d, `${d}/*`])
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
  external,
  // ES module builds where a package has one (jsonc-parser's `main` is a UMD build whose requires cannot be followed)
  mainFields: ['module', 'main'],
  // the inlined CommonJS packages require Node built-ins
  banner: { js: "import { createRequire as __phiwallCreateRequire } from 'node:module'; const require = __phiwallCreateRequire(import.meta.url);" },
  logLevel: 'warning',
  // the licence notices of the inlined packages, at the end of the chunk that holds them
  legalComments: 'eof',
  plugins: [zodEnglishOnly()],
})

/**
 * zod re-exports all of its 64 message locales (`z.locales.*`, 341 KB of source) from its core and
 * classic entry points, so a bundle carries and loads them all although PhiWall uses only the
 * default English messages (which zod's schemas import directly): the inlined zod gets a locales
 * module that holds English alone (~5 ms of every start). Should zod move its files, the filter
 * no longer matches and the bundle simply keeps every locale.
 */
function zodEnglishOnly() {
  return {
    name: 'zod-english-only',
    setup(build) {
      build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) => {
        if (!/[\\/]node_modules[\\/]zod[\\/]v4[\\/](core|classic|mini)[\\/]/.test(args.importer)) return undefined
        return { path: path.join(path.dirname(args.importer), '../locales/index.js'), namespace: 'zod-locales' }
      })
      build.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
        contents: "export { default as en } from './en.js'\n",
        resolveDir: path.dirname(args.path),
        loader: 'js',
      }))
    },
  }
}
