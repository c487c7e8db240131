#!/usr/bin/env node
// Host agent CPU benchmark (`node bench/agent.mjs`; build first: `npm run build`). Target from the
// agent issue, checked here:
//   · the agent (`phiwall agent --out /dev/null --interval 2000 --duration 20`: procfs polls every
//     2 s, conntrack events, flush every 10 s) costs less than 2 % of one core while this host opens
//     and closes 1,000 TCP connections per second on loopback.
// Method: four child processes. A server accepts on 127.0.0.1 and closes each connection; a load
// generator opens and closes 1,000 connections per second to it (the achieved rate is measured
// and must be within 5 % of the target, or the run is invalid); the agent runs for 20 s from the
// built module (dist/agent/index.js); beside it, in the same 20 s, a baseline process only reads
// /proc/net/tcp and /proc/net/tcp6 once per poll interval — the floor any procfs agent pays, since
// the kernel prints every TIME_WAIT socket on each read. CPU is utime + stime + cutime + cstime
// from /proc/<pid>/stat (cutime/cstime hold the agent's conntrack child once it is reaped), read
// after each process has loaded its code and before it exits, as % of one core over that window.
// Start-up work inside the window (hashing every binary that holds a socket on the first poll)
// is included; a steady-state figure (agent process from second 5 on, plus conntrack's average)
// is printed beside it.
// conntrack reports events only where connection tracking is active in the network namespace (a
// netfilter rule using `ct state`, NAT): on a host without it the agent runs conntrack and gets
// no events. `--netns` runs the whole bench in a fresh network namespace (root, `unshare`, `nft`)
// with an nftables `ct state new` rule, so every connection is also a conntrack event.
// Options: --netns, --record (write bench/RESULTS-agent.md). Env: BENCH_AGENT_SECONDS (default 20),
// BENCH_AGENT_RATE (connections per second, default 1000), PHIWALL_AGENT_MODULE (the built agent
// module, default dist/agent/index.js).
import { execFileSync, fork, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
const ROOT = path.resolve(here, '..')
const RECORD = process.argv.includes('--record')
const NETNS = process.argv.includes('--netns')
const SECONDS = Number(process.env.BENCH_AGENT_SECONDS ?? 20)
const RATE = Number(process.env.BENCH_AGENT_RATE ?? 1000)
const INTERVAL_MS = 2000
const WARMUP_MS = 3000
const TARGET = { cpuPercent: 2, rateTolerance: 0.05 }
const AGENT_MODULE = path.resolve(process.env.PHIWALL_AGENT_MODULE ?? path.join(ROOT, 'dist/agent/index.js'))

if (!fs.existsSync(AGENT_MODULE)) {
  console.log(`FAIL: ${path.relative(ROOT, AGENT_MODULE)} is missing. Build first: npm run build`)
  process.exit(2)
}
if (process.platform !== 'linux') {
  console.log('FAIL: the agent benchmark needs Linux (procfs)')
  process.exit(2)
}

// --netns: run this same script inside a new network namespace with connection tracking on
if (NETNS && !process.env.BENCH_AGENT_IN_NETNS) {
  const r = spawnSync('unshare', ['-n', process.execPath, fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, BENCH_AGENT_IN_NETNS: '1' },
  })
  if (r.error) console.log(`FAIL: cannot run unshare -n (${r.error.message}); --netns needs root and util-linux`)
  process.exit(r.status ?? 2)
}
if (process.env.BENCH_AGENT_IN_NETNS) {
  execFileSync('ip', ['link', 'set', 'lo', 'up'])
  execFileSync('nft', ['add', 'table', 'inet', 'phiwall_bench'])
  execFileSync('nft', ['add', 'chain', 'inet', 'phiwall_bench', 'out', '{ type filter hook output priority 0; }'])
  execFileSync('nft', ['add', 'rule', 'inet', 'phiwall_bench', 'out', 'ct', 'state', 'new', 'counter'])
}

const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100
  } catch {
    return 100
  }
})()

/** utime + stime (own) and cutime + cstime (reaped children) of a process, in seconds. */
function cpuOf(pid) {
  const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
  const f = text.slice(text.lastIndexOf(')') + 2).split(' ')
  // fields 14-17 (utime stime cutime cstime) are f[11..14] counted from field 3
  return { own: (Number(f[11]) + Number(f[12])) / CLK_TCK, children: (Number(f[13]) + Number(f[14])) / CLK_TCK, at: performance.now() }
}

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'phiwall-agent-bench-'))
process.on('exit', () => fs.rmSync(scratch, { recursive: true, force: true }))
const script = (name, text) => {
  const file = path.join(scratch, name)
  fs.writeFileSync(file, text)
  return file
}

const SERVER = script(
  'server.mjs',
  `import net from 'node:net'
const server = net.createServer((c) => { c.on('error', () => {}); c.end() })
server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }))
process.on('message', (m) => { if (m === 'exit') process.exit(0) })
`,
)

// opens `rate` connections per second on a 10 ms tick, catching up on late ticks; the server closes
// first, so TIME_WAIT sits on the server side and the client's ephemeral ports are not exhausted
const LOAD = script(
  'load.mjs',
  `import net from 'node:net'
const [port, rate] = process.argv.slice(2).map(Number)
let started = 0, connected = 0, closed = 0, errors = 0, inFlight = 0
const t0 = performance.now()
setInterval(() => {
  const due = Math.floor(((performance.now() - t0) / 1000) * rate)
  while (started < due && inFlight < 5000) {
    started++
    inFlight++
    const c = net.connect(port, '127.0.0.1')
    c.on('connect', () => connected++)
    c.on('end', () => c.end())
    c.on('error', () => errors++)
    c.on('close', () => { closed++; inFlight-- })
  }
}, 10)
process.on('message', (m) => {
  if (m === 'count') process.send({ started, connected, closed, errors, at: performance.now() })
  if (m === 'exit') process.exit(0)
})
process.send('ready')
`,
)

// the agent as \`phiwall agent --out /dev/null --interval 2000 --duration N\` runs it
const AGENT = script(
  'agent.mjs',
  `const { runAgent } = await import(${JSON.stringify(pathToFileURL(AGENT_MODULE).href)})
const [seconds, interval] = process.argv.slice(2).map(Number)
const logs = []
process.once('message', async (m) => {
  if (m !== 'go') return
  const summary = await runAgent({ out: '/dev/null', intervalMs: interval, durationS: seconds, host: 'bench', log: (l) => logs.push(l) })
  process.send({ summary, logs })
  process.on('message', (x) => { if (x === 'exit') process.exit(0) })
})
process.send('ready')
`,
)

const BASELINE = script(
  'baseline.mjs',
  `import fs from 'node:fs'
const [seconds, interval] = process.argv.slice(2).map(Number)
process.once('message', (m) => {
  if (m !== 'go') return
  let reads = 0, bytes = 0
  const read = () => { for (const f of ['/proc/net/tcp', '/proc/net/tcp6']) { try { bytes += fs.readFileSync(f).length; reads++ } catch {} } }
  read()
  const t = setInterval(read, interval)
  setTimeout(() => {
    clearInterval(t)
    process.send({ reads, bytes })
    process.on('message', (x) => { if (x === 'exit') process.exit(0) })
  }, seconds * 1000)
})
process.send('ready')
`,
)

const started = []
function child(file, args) {
  const c = fork(file, args.map(String), { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] })
  started.push(c)
  return c
}
const nextMessage = (c) =>
  new Promise((resolve, reject) => {
    const onExit = (code) => reject(new Error(`a benchmark child (${c.spawnargs.slice(1).map((a) => path.basename(a)).join(' ')}) exited with ${code}`))
    c.once('exit', onExit)
    c.once('message', (m) => {
      c.off('exit', onExit)
      resolve(m)
    })
  })
process.on('exit', () => {
  for (const c of started) if (c.exitCode === null) c.kill('SIGKILL')
})

const out = []
const say = (s = '') => {
  out.push(s)
  process.stdout.write(`${s}\n`)
}

const server = child(SERVER, [])
const { port } = await nextMessage(server)
const load = child(LOAD, [port, RATE])
await nextMessage(load)
await new Promise((r) => setTimeout(r, WARMUP_MS))

const agent = child(AGENT, [SECONDS, INTERVAL_MS])
const baseline = child(BASELINE, [SECONDS, INTERVAL_MS])
await Promise.all([nextMessage(agent), nextMessage(baseline)])

const agentDone = nextMessage(agent)
const baselineDone = nextMessage(baseline)
load.send('count')
const loadStart = await nextMessage(load)
const agentStart = cpuOf(agent.pid)
const baselineStart = cpuOf(baseline.pid)
agent.send('go')
baseline.send('go')
// the agent process alone from second 5: after the first poll has hashed every binary
await new Promise((r) => setTimeout(r, 5000))
const agentMid = cpuOf(agent.pid)

const baselineResult = await baselineDone
const baselineEnd = cpuOf(baseline.pid)
const { summary, logs } = await agentDone
const agentEnd = cpuOf(agent.pid)
load.send('count')
const loadEnd = await nextMessage(load)
for (const c of [agent, baseline, load, server]) c.send('exit')

const pct = (sec, ms) => (100 * sec) / (ms / 1000)
const agentWall = agentEnd.at - agentStart.at
const agentOwn = agentEnd.own - agentStart.own
const conntrackCpu = agentEnd.children - agentStart.children
const agentPct = pct(agentOwn + conntrackCpu, agentWall)
const steadyPct = pct(agentEnd.own - agentMid.own, agentEnd.at - agentMid.at) + pct(conntrackCpu, agentWall)
const baselinePct = pct(baselineEnd.own + baselineEnd.children - baselineStart.own - baselineStart.children, baselineEnd.at - baselineStart.at)
const achieved = ((loadEnd.closed - loadStart.closed) * 1000) / (loadEnd.at - loadStart.at)
const ct = summary.conntrack
const linesPerPoll = summary.procfs.lines / Math.max(1, summary.polls)

say('')
say(
  `Agent CPU benchmark — ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Linux ${os.release()}, node ${process.version}${process.env.BENCH_AGENT_IN_NETNS ? ', in a network namespace with conntrack tracking on' : ''}`,
)
say('')
say(`load: ${RATE} connections/s target, ${achieved.toFixed(0)}/s achieved over the agent's ${(agentWall / 1000).toFixed(1)} s (${loadEnd.errors - loadStart.errors} errors); warm-up ${WARMUP_MS / 1000} s`)
say(`agent: ${summary.polls} polls, ${summary.records} records in ${summary.flushes} flushes; ${linesPerPoll.toFixed(0)} socket-table lines per poll (${summary.procfs.skipped} skipped as TIME_WAIT etc., ${summary.procfs.malformed} malformed)`)
say(`agent: fd tables read ${summary.owners.fdScans} times (${summary.owners.readlinks} links, ${summary.owners.fullScans} full scans); ${summary.identities.hashed} binaries hashed (${(summary.identities.hashedBytes / 1e6).toFixed(0)} MB)`)
say(`conntrack: ${ct.status}; ${ct.events} NEW events → ${ct.sightings} conntrack sightings (${ct.malformed} malformed lines, ${ct.overruns} overrun warnings, ${ct.forwarded} forwarded)${ct.events === 0 ? ' — no events: connection tracking is not active in this network namespace (see --netns)' : ''}`)
if (logs.length) say(`agent said: ${logs.join(' | ')}`)
say(`baseline: ${baselineResult.reads} reads of /proc/net/tcp + tcp6, ${(baselineResult.bytes / Math.max(1, baselineResult.reads / 2) / 1e6).toFixed(2)} MB per pair`)
say('')
say('| measurement | CPU, % of one core |')
say('|---|---|')
say(`| agent + its conntrack child, whole run (first-poll hashing included) | ${agentPct.toFixed(2)} % (agent ${pct(agentOwn, agentWall).toFixed(2)} %, conntrack ${pct(conntrackCpu, agentWall).toFixed(2)} %) |`)
say(`| agent steady state (agent from second 5, plus conntrack's average) | ${steadyPct.toFixed(2)} % |`)
say(`| baseline: read /proc/net/tcp and tcp6 every ${INTERVAL_MS / 1000} s | ${baselinePct.toFixed(2)} % |`)
say(`| ratio agent / baseline | ${(agentPct / Math.max(baselinePct, 1e-9)).toFixed(1)}× |`)
say('')
say(`CPU times are read in clock ticks of 1/${CLK_TCK} s: ±${(pct(1 / CLK_TCK, agentWall)).toFixed(2)} % resolution over this window.`)
const checks = [
  [`load generator reached ${RATE} connections/s (±${TARGET.rateTolerance * 100} %)`, Math.abs(achieved - RATE) <= RATE * TARGET.rateTolerance, `${achieved.toFixed(0)}/s`],
  [`agent CPU < ${TARGET.cpuPercent} % of one core under ${RATE} new TCP connections/s`, agentPct < TARGET.cpuPercent, `${agentPct.toFixed(2)} %`],
]
let failed = false
for (const [what, ok, fig] of checks) {
  say(`${ok ? 'PASS' : 'FAIL'}  ${what}: ${fig}`)
  if (!ok) failed = true
}
if (RECORD) {
  fs.writeFileSync(path.join(here, 'RESULTS-agent.md'), `# Agent CPU benchmark\n\nCommand: \`node bench/agent.mjs${NETNS ? ' --netns' : ''} --record\`, after \`npm run build\`.\n\n${out.join('\n')}\n`)
}
process.exit(failed ? 1 : 0)
