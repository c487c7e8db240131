#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ and bundled to dist/bundle/ by `npm run build` (run automatically by `npm ci` via `prepare`).
import { main } from '../dist/bundle/main.js'

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
