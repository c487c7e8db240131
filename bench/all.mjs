#!/usr/bin/env node
// `npm run bench`: the scan benchmark (bench/run.mjs), the vulnerability benchmark (bench/vulns.mjs),
// the PHI detection benchmark (bench/phi.mjs), the Kubernetes scan benchmark (bench/k8s.mjs), the VPC flow log
// ingest benchmark (bench/flows.mjs), the host agent's CPU benchmark (bench/agent.mjs) and the server load benchmark (bench/server.mjs). `--record` goes to each (each writes its RESULTS
// file); the exit code is non-zero when any misses a target.
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
const args = process.argv.slice(2)
let code = 0
for (const [script, own] of [['run.mjs', ['--record', '--phiwall-only']], ['vulns.mjs', ['--record']], ['phi.mjs', ['--record']], ['k8s.mjs', ['--record']], ['flows.mjs', ['--record']], ['agent.mjs', ['--record']], ['server.mjs', ['--record']]]) {
  const r = spawnSync(process.execPath, [path.join(here, script), ...args.filter((a) => own.includes(a))], { stdio: 'inherit' })
  code = Math.max(code, r.status ?? 1)
}
process.exit(code)
