#!/usr/bin/env node
// Where a scan's time goes: runs the real CLI under `node --cpu-prof` and summarises the profile
// by self time (per function and per source file), so an optimisation starts from data.
//   node bench/profile.mjs [TARGET...]      default: .bench-tmp/cfn-10k.yaml (run bench/generate.mjs first)
// Env: PROFILE_TOP (rows per table, default 25); PROFILE_FORMAT (report format, default json;
// `terminal` profiles the summary a plain `phiwall scan` prints). The .cpuprofile is kept in .bench-tmp/profiles/
// for Chrome DevTools / speedscope.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
process.chdir(ROOT)
const targets = process.argv.slice(2)
if (!targets.length) targets.push('.bench-tmp/cfn-10k.yaml')
for (const t of targets) {
  if (!fs.existsSync(t)) {
    process.stderr.write(`${t} does not exist; run node bench/generate.mjs first\n`)
    process.exit(2)
  }
}
const TOP = Number(process.env.PROFILE_TOP ?? 25)
const dir = path.join(ROOT, '.bench-tmp', 'profiles')
fs.mkdirSync(dir, { recursive: true })
const name = `scan-${Date.now()}.cpuprofile`
const t0 = performance.now()
const r = spawnSync(process.execPath, ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-name', name, 'bin/phiwall.js', 'scan', ...targets, '--format', process.env.PROFILE_FORMAT ?? 'json', '--fail-on', 'none', '--no-progress'], { stdio: ['ignore', 'ignore', 'inherit'] })
const wall = performance.now() - t0
if (r.status !== 0) {
  process.stderr.write(`phiwall exited ${r.status}\n`)
  process.exit(1)
}
const prof = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8'))

// self time per node = samples attributed to it × sampling interval
const dt = new Map()
for (let i = 0; i < prof.samples.length; i++) dt.set(prof.samples[i], (dt.get(prof.samples[i]) ?? 0) + (prof.timeDeltas[i] ?? 0))
const byId = new Map(prof.nodes.map((n) => [n.id, n]))
const parent = new Map()
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id)

const short = (url) => {
  if (!url) return ''
  const u = url.replace(/^file:\/\//, '')
  const i = u.indexOf('/node_modules/')
  if (i >= 0) return u.slice(i + 1)
  return path.relative(ROOT, u)
}
const label = (cf) => `${cf.functionName || '(anonymous)'} ${short(cf.url)}${cf.url ? `:${cf.lineNumber + 1}` : ''}`

const fnSelf = new Map()
const fileSelf = new Map()
let total = 0
for (const [id, us] of dt) {
  const n = byId.get(id)
  total += us
  const l = label(n.callFrame)
  fnSelf.set(l, (fnSelf.get(l) ?? 0) + us)
  const f = n.callFrame.url ? short(n.callFrame.url) : `(${n.callFrame.functionName || 'native'})`
  fileSelf.set(f, (fileSelf.get(f) ?? 0) + us)
}

// inclusive time of the PhiWall pipeline stages, found by function name on the stack
const STAGES = ['scan', 'collect', 'readOne', 'parseTemplateText', 'parseYamlLocated', 'parseJsonLocated', 'readCloudFormation', 'expandSam', 'readServerless', 'buildInventory', 'evaluateChecks', 'rollupControls', 'renderReport', 'renderJson', 'buildJsonReport', 'garbage collector']
const stageTime = new Map()
for (const [id, us] of dt) {
  const seen = new Set()
  for (let cur = id; cur != null; cur = parent.get(cur)) {
    const fn = byId.get(cur).callFrame.functionName
    if (STAGES.includes(fn) && !seen.has(fn)) {
      seen.add(fn)
      stageTime.set(fn, (stageTime.get(fn) ?? 0) + us)
    }
  }
}

const pct = (us) => `${((100 * us) / total).toFixed(1)}%`.padStart(6)
const msf = (us) => `${Math.round(us / 1000)} ms`.padStart(8)
console.log(`profile of: phiwall scan ${targets.join(' ')}  (wall ${Math.round(wall)} ms incl. profiler overhead; sampled ${Math.round(total / 1000)} ms)`)
console.log(`saved: ${path.relative(ROOT, path.join(dir, name))}`)
console.log(`\nTop ${TOP} functions by self time`)
for (const [l, us] of [...fnSelf].sort((a, b) => b[1] - a[1]).slice(0, TOP)) console.log(`${msf(us)} ${pct(us)}  ${l}`)
console.log(`\nTop ${TOP} source files by self time`)
for (const [f, us] of [...fileSelf].sort((a, b) => b[1] - a[1]).slice(0, TOP)) console.log(`${msf(us)} ${pct(us)}  ${f}`)
console.log('\nInclusive time of pipeline functions found on the stack (names that exist in this build)')
for (const [s, us] of [...stageTime].sort((a, b) => b[1] - a[1])) console.log(`${msf(us)} ${pct(us)}  ${s}`)

// inclusive time per function (a function counted once per sample even when recursive)
const incl = new Map()
const callers = new Map() // self-time-heavy native frames: who calls them
for (const [id, us] of dt) {
  const seen = new Set()
  for (let cur = id; cur != null; cur = parent.get(cur)) {
    const l = label(byId.get(cur).callFrame)
    if (seen.has(l)) continue
    seen.add(l)
    incl.set(l, (incl.get(l) ?? 0) + us)
  }
  const n = byId.get(id)
  if (!n.callFrame.url) {
    const p = parent.get(id)
    if (p != null) {
      const k = `${label(n.callFrame)} ← ${label(byId.get(p).callFrame)}`
      callers.set(k, (callers.get(k) ?? 0) + us)
    }
  }
}
console.log(`\nTop ${TOP} functions by inclusive time (PhiWall code only)`)
for (const [l, us] of [...incl].filter(([l]) => / dist\//.test(l)).sort((a, b) => b[1] - a[1]).slice(0, TOP)) console.log(`${msf(us)} ${pct(us)}  ${l}`)
console.log('\nNative / built-in self time by caller')
for (const [l, us] of [...callers].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`${msf(us)} ${pct(us)}  ${l}`)

// top of the stack: what the process spent its time on, below (root) and the module/async entry points
const rootId = prof.nodes[0].id
const top = new Map()
for (const [id, us] of dt) {
  let cur = id
  const chain = []
  while (cur != null && cur !== rootId) {
    chain.push(cur)
    cur = parent.get(cur)
  }
  const entry = chain.length ? label(byId.get(chain[chain.length - 1]).callFrame) : '(root)'
  const next = chain.length > 1 ? label(byId.get(chain[chain.length - 2]).callFrame) : ''
  const k = next ? `${entry} → ${next}` : entry
  top.set(k, (top.get(k) ?? 0) + us)
}
console.log('\nTime by entry point (below the profile root)')
for (const [l, us] of [...top].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`${msf(us)} ${pct(us)}  ${l}`)
