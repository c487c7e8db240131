#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ and bundled to dist/bundle/main.cjs by `npm run build`
// (run automatically by `npm ci` via `prepare`), with a V8 code cache beside it
// (scripts/bundle-cli.mjs). The bundle is run as a script with that cache, so the functions a scan
// uses are not compiled again on every start (~0.1 s of a small scan).
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import vm from 'node:vm'

const file = fileURLToPath(new URL('../dist/bundle/main.cjs', import.meta.url))
const cacheFile = `${file}.cache`
const source = fs.readFileSync(file)
// V8 checks a cache against the source's length only: the cache starts with the bundle's SHA-256
const digest = createHash('sha256').update(source).digest()
let cachedData
try {
  const cache = fs.readFileSync(cacheFile)
  if (cache.length > digest.length && digest.equals(cache.subarray(0, digest.length))) cachedData = cache.subarray(digest.length)
} catch {
  // no cache yet: compile as usual
}
const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) { ${source.toString('utf8')}\n})`, {
  filename: file,
  cachedData,
  importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
})

// the build records the cache (PHIWALL_CODE_CACHE=write); a run without a usable one (another Node
// version, a rebuilt bundle) leaves one for the next start, if the directory is writable
if (process.env.PHIWALL_CODE_CACHE === 'write' || cachedData === undefined || script.cachedDataRejected) {
  process.once('exit', () => {
    try {
      const tmp = `${cacheFile}.${process.pid}.tmp`
      fs.writeFileSync(tmp, Buffer.concat([digest, script.createCachedData()]))
      fs.renameSync(tmp, cacheFile)
    } catch {
      // a read-only install: run without a cache
    }
  })
}

const cjs = { exports: {} }
script.runInThisContext()(cjs.exports, createRequire(file), cjs, file, path.dirname(file))
const { main } = cjs.exports

// `phiwall scan … | head` closes stdout early: stop quietly, as other Unix tools do
process.stdout.on('error', (err) => {
  if (err && err.code === 'EPIPE') process.exit(process.exitCode ?? 0)
  throw err
})

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code },
  (err) => {
    process.stderr.write(`phiwall: ${err instanceof Error ? err.message : String(err)}\n`)
    process.exitCode = 2
  },
)
