#!/usr/bin/env node
// In-process phase times of one scan, to see which pipeline stage a slow benchmark figure comes
// from: module load, collect (read + parse + template/SAM/serverless reading), inventory, checks,
// roll-up, JSON report rendering, and the string → bytes conversion stdout does. Complements
// bench/profile.mjs (CPU profile) and bench/run.mjs (the process-level figures and targets).
//   node bench/phases.mjs TARGET...
const t0 = performance.now()
const { ALL_CHECKS, evaluateChecks } = await import('../dist/checks/index.js')
const { rollupControls, renderReport } = await import('../dist/compliance/index.js')
const { buildInventory } = await import('../dist/inventory/index.js')
const { collect } = await import('../dist/sources/index.js')
const { checkInfo } = await import('../dist/scan/index.js')
const tLoad = performance.now()

const targets = process.argv.slice(2)
if (!targets.length) {
  process.stderr.write('usage: node bench/phases.mjs TARGET...\n')
  process.exit(2)
}

const times = { 'node start → script': t0, 'module load': tLoad - t0 }
let t = performance.now()
const lap = (k) => {
  const now = performance.now()
  times[k] = now - t
  t = now
}
const collected = await collect(targets, {})
lap('collect (read, parse, templates → resources)')
const inventory = buildInventory(collected.documents, {})
lap('inventory (kinds, edges, PHI, environments)')
const findings = evaluateChecks(inventory, ALL_CHECKS, {})
lap(`checks (${ALL_CHECKS.length} checks → ${findings.length} results)`)
const infos = ALL_CHECKS.map(checkInfo)
const controls = rollupControls(findings, infos)
lap('roll-up to controls')
// the ScanResult scan() returns, assembled from the same parts
const result = { tool: { name: 'phiwall', version: '0' }, startedAt: new Date().toISOString(), durationMs: 0, inputs: targets, files: collected.files, inventory, findings, controls, checks: infos, diagnostics: collected.diagnostics }
const { text } = renderReport(result, 'json')
lap(`render JSON report (${(text.length / 2 ** 20).toFixed(1)} MiB)`)
Buffer.from(text)
lap('string → bytes (what writing to stdout costs first)')

const total = performance.now()
console.log(`phases of: phiwall scan ${targets.join(' ')} --format json   (${inventory.resources?.length ?? '?'} resources, peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB)`)
for (const [k, v] of Object.entries(times)) console.log(`${`${Math.round(v)} ms`.padStart(9)}  ${`${((100 * v) / total).toFixed(1)}%`.padStart(6)}  ${k}`)
console.log(`${`${Math.round(total)} ms`.padStart(9)}  total since process start`)
