#!/usr/bin/env node
// Bundles the compiled CLI (dist/cli/main.js and everything it imports from dist/) into one
// CommonJS file, dist/bundle/main.cjs, and records a V8 code cache for it
// (dist/bundle/main.cjs.cache). Starting the CLI then reads two files instead of ~600 modules and
// skips compiling the functions a scan runs: `phiwall --version` went from ~0.42 s (modules) to
// ~0.28 s (an ES module bundle), and a one-template scan from ~0.36 s (ES module bundle) to
// ~0.24 s with the cache on the 2-core benchmark machine. Node 20 caches compiled code only for
// scripts (`vm.Script` `cachedData`), not for ES modules, hence CommonJS; code reached only
// through dynamic `import()` stays lazy (esbuild initialises such a module on first import).
// Dependencies stay external (node_modules), except the small pure-JavaScript ones every scan
// loads and the ES-module-only Kubernetes models (BUNDLED below): inlined.
// esbuild-wasm is esbuild compiled to WebAssembly: no platform binary, nothing downloaded at install.
// Run by `npm run build` after tsc; bin/phiwall.js loads dist/bundle/main.cjs with its cache.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import { createRequire, isBuiltin } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import * as esbuild from 'esbuild-wasm'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
/**
 * Dependencies inlined into the bundle: loaded by every scan, plain JavaScript (no native code, data
 * files or dynamic requires). zod is one of them (~45 ms of every start); @hono/zod-openapi stays
 * external with the zod of node_modules, so the server's route schemas (built with its `z`) and the
 * inlined zod's schemas (input validation elsewhere) are two instances that must not be mixed in
 * one schema: route files import `z` from '@hono/zod-openapi' only. kubernetes-models and
 * @kubernetes-models/cilium (the policy exporters' schema validation) are ES modules only, which a
 * CommonJS bundle cannot `require`: inlined too. The other ES-module-only dependency,
 * @kubernetes/client-node, is loaded with `import()` where it is used. libphonenumber-js and
 * ae-cvss-calculator publish CommonJS builds that lack names their ES builds export (`Metadata`,
 * `CvssCalculator`): inlined, so the ES build is used. The build checks every package the bundle
 * `require`s for such a difference (below).
 */
const BUNDLED = new Set(['commander', 'cli-progress', 'cli-table3', 'fast-xml-parser', 'ipaddr.js', 'js-yaml', 'jsonc-parser', 'kubernetes-models', '@kubernetes-models/cilium', 'libphonenumber-js', 'ae-cvss-calculator', 'packageurl-js', 'picocolors', 'smol-toml', 'zod'])
const dependencies = Object.keys(JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).dependencies)
/** Packages the inlined ones use that read files beside their own code: kept in node_modules. */
const FILE_READERS = ['re2-wasm'] // the Kubernetes models' pattern validation loads re2.wasm from its directory
const external = [...dependencies.filter((d) => !BUNDLED.has(d)), ...FILE_READERS].flatMap((d) => [d, `${d}/*`])
const outdir = path.join(root, 'dist/bundle')
fs.rmSync(outdir, { recursive: true, force: true })
const result = await esbuild.build({
  entryPoints: { main: path.join(root, 'dist/cli/main.js') },
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  outExtension: { '.js': '.cjs' },
  outdir,
  external,
  // ES module builds where a package has one (jsonc-parser's `main` is a UMD build whose requires cannot be followed)
  mainFields: ['module', 'main'],
  // `import.meta.url` (packageRoot(), the dashboard's files, createRequire) is the bundle's own URL
  define: { 'import.meta.url': '__phiwallMetaUrl' },
  banner: { js: "const __phiwallMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  // any other use of import.meta would be empty in CommonJS: fail the build instead
  logOverride: { 'empty-import-meta': 'error' },
  logLevel: 'warning',
  // the licence notices of the inlined packages, at the end of the bundle
  legalComments: 'eof',
  plugins: [zodEnglishOnly()],
})
if (result.errors.length) process.exit(1)

// A dual package's `require` build may export less than its `import` build, which PhiWall's
// sources were compiled against: any such external would fail at run time, so fail here.
const bundleFile = path.join(outdir, 'main.cjs')
const bundled = fs.readFileSync(bundleFile, 'utf8')
const bundleRequire = createRequire(bundleFile)
const required = [...new Set([...bundled.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]))].filter((s) => !s.startsWith('node:') && !isBuiltin(s))
const short = []
for (const spec of required) {
  let esm
  try {
    esm = await import(spec)
  } catch {
    continue // no ES entry point: the CommonJS build is the package
  }
  const cjs = bundleRequire(spec)
  const lacking = Object.keys(esm).filter((k) => k !== 'default' && !(cjs != null && k in Object(cjs)))
  if (lacking.length) short.push(`${spec}: ${lacking.slice(0, 5).join(', ')}`)
}
if (short.length) {
  process.stderr.write(`bundle-cli: these packages' CommonJS builds lack exports of their ES builds; add them to BUNDLED:\n  ${short.join('\n  ')}\n`)
  process.exit(1)
}

/*
 * The code cache: V8's compiled form of the bundle's functions, recorded by running the CLI on
 * the example app (a scan in every report format, a PHI scan, the catalog), each run starting
 * from the cache the previous one wrote so that it gathers what all of them compiled.
 * bin/phiwall.js uses it only when its header matches the bundle's SHA-256 (V8 itself checks only
 * the source's length) and V8 accepts it (same Node version and flags); otherwise the CLI compiles
 * as usual and writes a new cache for the next start. A failed warm-up leaves no cache: slower, not
 * wrong.
 */
const bin = path.join(root, 'bin/phiwall.js')
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'phiwall-warm-'))
const warmUps = [
  ['scan', 'examples/clinic-intake', '--format', 'json,sarif,html,oscal,csv', '--out', tmp, '--fail-on', 'none', '--no-progress'],
  ['scan', 'examples/clinic-intake', '--fail-on', 'none', '--no-progress'],
  ['inventory', 'examples/clinic-intake', '--format', 'json'],
  ['phi', 'scan', 'src/phi/formats/testdata', '--format', 'json'],
  ['controls'],
]
try {
  for (const args of warmUps) {
    const run = spawnSync(process.execPath, [bin, ...args], { cwd: root, env: { ...process.env, PHIWALL_CODE_CACHE: 'write', NO_COLOR: '1' }, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' })
    if (run.status !== 0 && run.status !== 1) {
      fs.rmSync(path.join(outdir, 'main.cjs.cache'), { force: true })
      process.stderr.write(`bundle-cli: warm-up \`phiwall ${args.join(' ')}\` exited ${run.status}; no code cache\n${run.stderr}`)
      break
    }
  }
} finally {
  fs.rmSync(tmp, { recursive: true, force: true })
}

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
