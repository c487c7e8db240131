#!/usr/bin/env node
// VPC Flow Logs ingest benchmark (`node bench/flows.mjs`; build first: `npm run build`). Targets
// from the flows issue, checked here:
//   · ingest + aggregation ≥ 1,000,000 lines/s per core (one process, one thread of JS) on
//     10,000,000 lines of a v5 custom format;
//   · memory bounded by distinct edges, not lines: peak RSS reading 10 M lines is not ~5× the peak
//     RSS reading the first 2 M lines (both produce the same edges).
// Baseline measured in the same run, printed as a ratio: the cheapest honest reading of the same
// file — stream it, find the newlines, count the fields of every line — and nothing else.
//
// The log is generated once (seeded, deterministic) into .bench-tmp/vpc-10m.log: a v5 header with
// all 29 v2–v5 fields, 330 workloads behind ~450 ENIs in 8 subnets, a call graph of ~1,900
// internal (client → server port) edges with ephemeral client ports, every connection seen by both
// ENIs in both directions (request and reply records), tcp-flags (SYN, SYN-ACK, FIN, none for
// long-lived connections), traffic to public APIs through 3 NAT gateways (pkt-srcaddr /
// pkt-dstaddr differ), SYN scans from public addresses that security groups REJECT, and NODATA /
// SKIPDATA records. Every edge appears in the first lines, so the first 2 M lines (read for the
// memory check) hold exactly the edges of all 10 M. The address book (ENI + private address →
// workload) is written beside it.
// Every figure comes from a separate child process; lines/s is timed inside the child from the
// first byte read to the last edge aggregated (module loading excluded), over wall-clock time; the
// CPU time of the JavaScript thread (/proc/thread-self/stat) is printed beside it, as lines per
// CPU-second, which a busy machine disturbs less. Peak RSS is the child's (GNU time's %M, else
// process.resourceUsage().maxRSS).
// Options: --record (write bench/RESULTS-flows.md). Env: BENCH_RUNS (default 3), PHIWALL_DIST
// (default dist/: the compiled PhiWall to measure, e.g. `npx tsc -p tsconfig.build.json --outDir
// /tmp/x && PHIWALL_DIST=/tmp/x node bench/flows.mjs`).
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { median, runNode, RSS_METHOD } from './lib/measure.mjs'

const here = path.dirname(fileURLToPath(import.meta.url))
const ROOT = path.resolve(here, '..')
const TMP = path.join(ROOT, '.bench-tmp')
const DIST = path.resolve(ROOT, process.env.PHIWALL_DIST ?? 'dist')
const GENERATOR_VERSION = 3
const LINES = 10_000_000
const SMALL = 2_000_000
const TARGET = { linesPerSec: 1_000_000, rssGrowth: 5 }
const CHUNK = 1 << 20

/** Deterministic PRNG (mulberry32). */
function rng(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const HEADER = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status vpc-id subnet-id instance-id tcp-flags type pkt-srcaddr pkt-dstaddr region az-id sublocation-type sublocation-id pkt-src-aws-service pkt-dst-aws-service flow-direction traffic-path'
const SERVER_PORTS = [443, 8443, 8080, 5432, 3306, 6379, 9200, 27017, 50051, 9092, 2049, 11211]
const SCAN_PORTS = [22, 3389, 445, 1433, 5900]

/** The estate: workloads, their ENIs, NAT gateways, public APIs and scanners. */
function estate(rand) {
  const hex = (len) => {
    let s = ''
    for (let i = 0; i < len; i++) s += '0123456789abcdef'[Math.floor(rand() * 16)]
    return s
  }
  const enis = []
  const workloads = []
  let host = 0
  for (let w = 0; w < 330; w++) {
    const name = `svc-${w}`
    const replicas = rand() < 0.35 ? 2 : 1
    const ws = { name, enis: [], serverPort: SERVER_PORTS[w % SERVER_PORTS.length], calls: [] }
    for (let r = 0; r < replicas; r++) {
      const subnet = host % 8
      const n = 10 + Math.floor(host / 8)
      const eni = { id: `eni-0${hex(16)}`, ip: `10.0.${subnet * 16 + (n >> 8)}.${n & 255}`, subnet: `subnet-0${hex(16)}`, instance: `i-0${hex(16)}`, az: `use1-az${1 + (subnet % 6)}`, workload: name }
      host++
      enis.push(eni)
      ws.enis.push(eni)
    }
    workloads.push(ws)
  }
  // call graph: each workload calls 3–8 others on their server port
  for (const w of workloads) {
    const n = 3 + Math.floor(rand() * 6)
    for (let i = 0; i < n; i++) {
      const callee = workloads[Math.floor(rand() * workloads.length)]
      if (callee !== w && !w.calls.includes(callee)) w.calls.push(callee)
    }
  }
  const nats = []
  for (let i = 0; i < 3; i++) {
    const eni = { id: `eni-0${hex(16)}`, ip: `10.0.200.${10 + i}`, subnet: `subnet-0${hex(16)}`, instance: '-', az: `use1-az${1 + i}`, workload: `nat-gw-${i}` }
    enis.push(eni)
    nats.push(eni)
  }
  // public APIs (payment, e-prescribing, S3 ranges) in 10 /24s
  const apis = Array.from({ length: 40 }, (_, i) => ({ ip: `${[52, 54, 3, 18, 35][i % 5]}.${20 + (i % 10)}.${100 + (i % 2)}.${10 + i}`, service: i % 4 === 0 ? 'S3' : '-' }))
  const callers = workloads.filter(() => rand() < 0.25).map((w) => ({ w, api: apis[Math.floor(rand() * apis.length)] }))
  // scanners from 30 /24s against 10 internet-facing ENIs
  const scanners = Array.from({ length: 200 }, (_, i) => `${[45, 89, 185, 193, 141, 162][i % 6]}.${(i * 7) % 5 + 1}.${(i % 30) * 3 + 1}.${1 + ((i * 13) % 250)}`)
  const exposed = enis.slice(0, 10)
  return { enis, workloads, nats, apis, callers, scanners, exposed }
}

/** Generate `lines` records (plus the header) into `file`; returns the byte offset after each checkpoint line. */
function generate(file, lines, checkpoints) {
  const rand = rng(20261208)
  const E = estate(rand)
  const fd = fs.openSync(`${file}.partial`, 'w')
  let out = `${HEADER}\n`
  let bytes = 0
  let n = 0
  const offsets = {}
  // an ephemeral client port (Linux range). Never a listening port of the estate: a client port
  // equal to the server port it talks to cannot be told apart from it (PhiWall keeps src as the
  // client then), and the edge set must not depend on where the file is cut.
  const LISTENING = new Set(SERVER_PORTS)
  const eph = () => {
    for (;;) {
      const p = 32768 + Math.floor(rand() * 28232)
      if (!LISTENING.has(p)) return p
    }
  }
  const flush = (force) => {
    if (out.length < 1 << 22 && !force) return
    const b = Buffer.from(out, 'latin1')
    fs.writeSync(fd, b)
    bytes += b.length
    out = ''
  }
  const base = 1733500000
  // one record: fields in HEADER order
  const rec = (eni, src, dst, sp, dp, proto, packets, size, t, action, flags, psrc, pdst, srcSvc, dstSvc, dir, path) => {
    out += `5 123456789012 ${eni.id} ${src} ${dst} ${sp} ${dp} ${proto} ${packets} ${size} ${t} ${t + 60} ${action} OK vpc-0a1b2c3d4e5f60789 ${eni.subnet} ${eni.instance} ${flags} IPv4 ${psrc} ${pdst} us-east-1 ${eni.az} - - ${srcSvc} ${dstSvc} ${dir} ${path}\n`
    n++
    if (checkpoints.includes(n)) {
      flush(true)
      offsets[n] = bytes
    }
    flush(false)
  }
  const nodata = (eni, t) => {
    out += `5 123456789012 ${eni.id} - - - - - - - ${t} ${t + 60} - ${rand() < 0.9 ? 'NODATA' : 'SKIPDATA'} vpc-0a1b2c3d4e5f60789 ${eni.subnet} ${eni.instance} - - - - us-east-1 ${eni.az} - - - - - -\n`
    n++
    if (checkpoints.includes(n)) {
      flush(true)
      offsets[n] = bytes
    }
  }
  // a SYN scan from the internet, rejected by the security group (no reply)
  const scan = (eni, src, port, t) => rec(eni, src, eni.ip, eph(), port, 6, 1, 44, t, 'REJECT', 2, src, eni.ip, '-', '-', 'ingress', '-')
  // a workload calls a public API through a NAT gateway: 2 records at the instance's ENI, 4 at the NAT's
  const api = (w, eni, target, t, [req, rep], packets, size) => {
    const nat = E.nats[eni.subnet.charCodeAt(12) % E.nats.length]
    const cp = eph()
    const np = eph()
    rec(eni, eni.ip, target.ip, cp, 443, 6, packets, size, t, 'ACCEPT', req, eni.ip, target.ip, '-', target.service, 'egress', 1)
    rec(eni, target.ip, eni.ip, 443, cp, 6, packets, size * 3, t, 'ACCEPT', rep, target.ip, eni.ip, target.service, '-', 'ingress', '-')
    rec(nat, eni.ip, nat.ip, cp, 443, 6, packets, size, t, 'ACCEPT', req, eni.ip, target.ip, '-', target.service, 'ingress', '-')
    rec(nat, nat.ip, target.ip, np, 443, 6, packets, size, t, 'ACCEPT', req, nat.ip, target.ip, '-', target.service, 'egress', 8)
    rec(nat, target.ip, nat.ip, 443, np, 6, packets, size * 3, t, 'ACCEPT', rep, target.ip, nat.ip, target.service, '-', 'ingress', '-')
    rec(nat, nat.ip, eni.ip, 443, cp, 6, packets, size * 3, t, 'ACCEPT', rep, target.ip, eni.ip, target.service, '-', 'egress', 1)
  }
  // an internal call: the client's ENI and the server's ENI each record the request and the reply
  const call = (c, s, sp, proto, t, [req, rep], packets, size) => {
    const cp = eph()
    const [q, a] = proto === 6 ? [req, rep] : ['-', '-']
    rec(c, c.ip, s.ip, cp, sp, proto, packets, size, t, 'ACCEPT', q, c.ip, s.ip, '-', '-', 'egress', 1)
    rec(c, s.ip, c.ip, sp, cp, proto, packets, size * 2, t, 'ACCEPT', a, s.ip, c.ip, '-', '-', 'ingress', '-')
    rec(s, c.ip, s.ip, cp, sp, proto, packets, size, t, 'ACCEPT', q, c.ip, s.ip, '-', '-', 'ingress', '-')
    rec(s, s.ip, c.ip, sp, cp, proto, packets, size * 2, t, 'ACCEPT', a, s.ip, c.ip, '-', '-', 'egress', 1)
  }
  // First every edge of the estate once, each connection opening with SYN / SYN-ACK (so both the
  // 2 M and the 10 M prefix hold the same edges, and the listening ports are known), …
  const SYN = [2, 18]
  for (const w of E.workloads) for (const callee of w.calls) for (const c of w.enis) for (const s of callee.enis) for (const proto of callee.serverPort === 2049 ? [6, 17] : [6]) call(c, s, callee.serverPort, proto, base, SYN, 10, 4000)
  for (const { w, api: target } of E.callers) for (const eni of w.enis) api(w, eni, target, base, SYN, 10, 4000)
  for (let i = 0; i < 30; i++) for (const eni of E.exposed) for (const port of SCAN_PORTS) scan(eni, E.scanners[i], port, base)
  // … then traffic drawn from the same estate: long-lived connections (no flags, FIN), new ones.
  while (n < lines) {
    const t = base + Math.floor(n / 20000) * 60
    const r = rand()
    if (r < 0.02) {
      nodata(E.enis[Math.floor(rand() * E.enis.length)], t)
      continue
    }
    if (r < 0.05) {
      scan(E.exposed[Math.floor(rand() * E.exposed.length)], E.scanners[Math.floor(rand() * E.scanners.length)], SCAN_PORTS[Math.floor(rand() * SCAN_PORTS.length)], t)
      continue
    }
    const f = rand()
    const flags = f < 0.4 ? [2, 18] : f < 0.6 ? [3, 19] : f < 0.75 ? [1, 1] : [0, 0]
    const packets = 1 + Math.floor(rand() * 40)
    const size = packets * (60 + Math.floor(rand() * 1400))
    if (r < 0.12) {
      const { w, api: target } = E.callers[Math.floor(rand() * E.callers.length)]
      api(w, w.enis[Math.floor(rand() * w.enis.length)], target, t, flags, packets, size)
      continue
    }
    const w = E.workloads[Math.floor(rand() * E.workloads.length)]
    if (w.calls.length === 0) continue
    const callee = w.calls[Math.floor(rand() * w.calls.length)]
    const proto = callee.serverPort === 2049 && rand() < 0.5 ? 17 : 6
    call(w.enis[Math.floor(rand() * w.enis.length)], callee.enis[Math.floor(rand() * callee.enis.length)], callee.serverPort, proto, t, flags, packets, size)
  }
  flush(true)
  fs.closeSync(fd)
  // a few connections above finish past `lines`: cut the file at the last checkpoint instead
  fs.truncateSync(`${file}.partial`, offsets[lines])
  fs.renameSync(`${file}.partial`, file)
  return { offsets, addresses: E.enis.map((e) => ({ eni: e.id, ip: e.ip, workload: e.workload })) }
}

// ---------------------------------------------------------------------------------------------
// child processes: `--child baseline FILE BYTES` and `--child ingest FILE BYTES ADDRESSES.json`

async function child(mode, file, bytes, addressesFile) {
  const stream = fs.createReadStream(file, { highWaterMark: CHUNK, end: bytes - 1 })
  let peakRss = 0
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss)
  }, 50)
  // CPU time of this thread (the JavaScript thread: one core), in clock ticks of 1/100 s
  const threadCpu = () => {
    const f = fs.readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1].split(' ')
    return (Number(f[11]) + Number(f[12])) * 10
  }
  const cpu0 = process.cpuUsage()
  const thread0 = threadCpu()
  const t0 = process.hrtime.bigint()
  let result
  if (mode === 'baseline') {
    // the cheapest honest reading: stream, find newlines, count the fields of every line
    let lines = 0
    let fields = 0
    let carry = 0
    for await (const chunk of stream) {
      let pos = 0
      for (;;) {
        const nl = chunk.indexOf(10, pos)
        const end = nl < 0 ? chunk.length : nl
        let inField = carry > 0
        for (let i = pos; i < end; i++) {
          const sep = chunk[i] === 32
          if (!sep && !inField) fields++
          inField = !sep
        }
        if (nl < 0) {
          carry = inField ? 1 : 0
          break
        }
        carry = 0
        lines++
        pos = nl + 1
      }
    }
    result = { lines, fields }
  } else {
    const { readVpcFlowLog } = await import(pathToFileURL(path.join(DIST, 'sources/vpc-flow/index.js')).href)
    const { EdgeAggregator, IdentityResolver } = await import(pathToFileURL(path.join(DIST, 'flows/index.js')).href)
    const resolver = new IdentityResolver({ addresses: JSON.parse(fs.readFileSync(addressesFile, 'utf8')) })
    const aggregator = new EdgeAggregator()
    const t1 = process.hrtime.bigint()
    const thread1 = threadCpu()
    const stats = await readVpcFlowLog(stream, { resolver, aggregator, file: path.basename(file) })
    result = { lines: stats.lines, flows: stats.flows, skipped: stats.skipped, malformed: stats.malformed, unresolved: stats.unresolved, edges: aggregator.size, loadMs: Number(t1 - t0) / 1e6, loadThreadMs: thread1 - thread0 }
  }
  const ms = Number(process.hrtime.bigint() - t0) / 1e6 - (result.loadMs ?? 0)
  const threadMs = threadCpu() - thread0 - (result.loadThreadMs ?? 0)
  const cpu = process.cpuUsage(cpu0)
  clearInterval(sampler)
  peakRss = Math.max(peakRss, process.memoryUsage().rss)
  const hwm = /VmHWM:\s+(\d+)/.exec(fs.readFileSync('/proc/self/status', 'utf8'))?.[1]
  process.stdout.write(`${JSON.stringify({ ...result, ms, threadMs, cpuMs: (cpu.user + cpu.system) / 1000, sampledRssMB: peakRss / 2 ** 20, hwmMB: hwm ? Number(hwm) / 1024 : null })}\n`)
}

if (process.argv[2] === '--child') {
  const [mode, file, bytes, addresses] = process.argv.slice(3)
  await child(mode, file, Number(bytes), addresses)
  process.exit(0)
}

// ---------------------------------------------------------------------------------------------

process.chdir(ROOT)
const RUNS = process.env.BENCH_RUNS && /^\d+$/.test(process.env.BENCH_RUNS) ? Number(process.env.BENCH_RUNS) : 3
if (!fs.existsSync(path.join(DIST, 'sources/vpc-flow/index.js')) || !fs.existsSync(path.join(DIST, 'flows/index.js'))) {
  console.log(`FAIL: ${path.relative(ROOT, DIST) || DIST}/ has no compiled flows reader. Build first: npm run build (or set PHIWALL_DIST)`)
  process.exit(2)
}
fs.mkdirSync(TMP, { recursive: true })
const LOG = path.join(TMP, 'vpc-10m.log')
const META = path.join(TMP, 'vpc-10m.json')
let meta = fs.existsSync(META) && fs.existsSync(LOG) ? JSON.parse(fs.readFileSync(META, 'utf8')) : null
if (!meta || meta.version !== GENERATOR_VERSION) {
  const t = Date.now()
  process.stdout.write(`generating ${LINES.toLocaleString('en')} lines into ${path.relative(ROOT, LOG)} … `)
  const g = generate(LOG, LINES, [SMALL, LINES])
  meta = { version: GENERATOR_VERSION, lines: LINES, offsets: g.offsets }
  fs.writeFileSync(path.join(TMP, 'vpc-addresses.json'), JSON.stringify(g.addresses))
  fs.writeFileSync(META, JSON.stringify(meta))
  console.log(`${((Date.now() - t) / 1000).toFixed(1)} s`)
}
const ADDRESSES = path.join(TMP, 'vpc-addresses.json')
const self = fileURLToPath(import.meta.url)

async function measureChild(mode, lines) {
  const runs = []
  for (let i = 0; i < RUNS + 1; i++) {
    const outFile = path.join(os.tmpdir(), `phiwall-flows-bench-${process.pid}-${i}.json`)
    const r = await runNode([self, '--child', mode, LOG, String(meta.offsets[lines]), ADDRESSES], { stdoutPath: outFile })
    const text = fs.readFileSync(outFile, 'utf8')
    fs.rmSync(outFile, { force: true })
    if (r.code !== 0) {
      console.log(`FAIL: the ${mode} child exited with ${r.code}: ${r.stderr.slice(0, 2000)}`)
      process.exit(1)
    }
    if (i === 0) continue // warm-up: page cache, code cache
    runs.push({ ...JSON.parse(text), rssKB: r.rssKB })
  }
  const ms = median(runs.map((x) => x.ms))
  const threadMs = median(runs.map((x) => x.threadMs))
  return { runs, ms, threadMs, linesPerSec: lines / (ms / 1000), linesPerCpuSec: lines / (threadMs / 1000), rssMB: Math.max(...runs.map((x) => (x.rssKB ?? x.hwmMB * 1024) / 1024)), last: runs[runs.length - 1] }
}

const fileMB = meta.offsets[LINES] / 2 ** 20
const LOAD0 = os.loadavg()
const baseline = await measureChild('baseline', LINES)
const ingest = await measureChild('ingest', LINES)
const ingestSmall = await measureChild('ingest', SMALL)

const fmtRate = (x) => `${(x / 1e6).toFixed(2)} M lines/s`
const printed = []
const say = (s = '') => {
  printed.push(s)
  process.stdout.write(`${s}\n`)
}
say('')
say(`VPC Flow Logs ingest benchmark — ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}, median of ${RUNS} runs (peak RSS: ${RSS_METHOD})`)
say(`input: ${LINES.toLocaleString('en')} lines (${fileMB.toFixed(0)} MiB, v5 custom format, 29 fields), ${path.relative(ROOT, LOG)}`)
say('')
say(`load average before: ${LOAD0.map((x) => x.toFixed(2)).join(' ')}; after: ${os.loadavg().map((x) => x.toFixed(2)).join(' ')} (${os.cpus().length} CPUs)`)
say('')
say('| measurement | median wall time | lines/s (wall) | JS thread CPU | lines per CPU-second (JS thread) | peak RSS |')
say('|---|---|---|---|---|---|')
const row = (what, m, lines) => say(`| ${what} | ${(m.ms / 1000).toFixed(2)} s | ${fmtRate(lines / (m.ms / 1000))} | ${(m.threadMs / 1000).toFixed(2)} s | ${fmtRate(m.linesPerCpuSec)} | ${m.rssMB.toFixed(0)} MB |`)
row(`baseline: stream + newlines + field count, ${LINES / 1e6} M lines`, baseline, LINES)
row(`PhiWall ingest + aggregation, ${LINES / 1e6} M lines`, ingest, LINES)
row(`PhiWall ingest + aggregation, ${SMALL / 1e6} M lines`, ingestSmall, SMALL)
say('')
const e = ingest.last
say(`ingest: ${e.flows.toLocaleString('en')} flows, ${e.skipped.toLocaleString('en')} skipped (NODATA/SKIPDATA), ${e.malformed} malformed, ${e.unresolved.toLocaleString('en')} with an unresolved side, ${e.edges.toLocaleString('en')} edges (2 M lines: ${ingestSmall.last.edges.toLocaleString('en')} edges)`)
say(`ratio: PhiWall takes ${(ingest.ms / baseline.ms).toFixed(2)}× the baseline's wall time (${(ingest.threadMs / baseline.threadMs).toFixed(2)}× its JS-thread CPU time)`)
const growth = ingest.rssMB / ingestSmall.rssMB
const checks = [
  [`ingest + aggregation ≥ ${fmtRate(TARGET.linesPerSec)} (one process, wall clock)`, ingest.linesPerSec >= TARGET.linesPerSec, `${fmtRate(ingest.linesPerSec)} (${fmtRate(ingest.linesPerCpuSec)} per CPU-second of the JS thread)`],
  [`every line read (${(LINES + 1).toLocaleString('en')}: the header and ${LINES.toLocaleString('en')} records)`, e.lines === LINES + 1 && baseline.last.lines === LINES + 1, `${e.lines.toLocaleString('en')} / baseline ${baseline.last.lines.toLocaleString('en')}`],
  ['same edges at 2 M and 10 M lines', e.edges === ingestSmall.last.edges, `${ingestSmall.last.edges} / ${e.edges}`],
  [`memory bounded by edges: peak RSS at 10 M lines < ${TARGET.rssGrowth}× that at 2 M (5× the lines)`, growth < TARGET.rssGrowth, `${ingest.rssMB.toFixed(0)} MB / ${ingestSmall.rssMB.toFixed(0)} MB = ${growth.toFixed(2)}×`],
]
let failed = false
for (const [what, ok, fig] of checks) {
  say(`${ok ? 'PASS' : 'FAIL'}  ${what}: ${fig}`)
  if (!ok) failed = true
}
if (process.argv.includes('--record')) {
  fs.writeFileSync(path.join(here, 'RESULTS-flows.md'), `# VPC Flow Logs ingest benchmark\n\nCommand: \`node bench/flows.mjs --record\`, after \`npm run build\`.\n\n${printed.join('\n')}\n`)
}
process.exit(failed ? 1 : 0)
