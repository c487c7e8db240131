import { isIP } from 'node:net'
import fs from 'node:fs'
import type { Command } from 'commander'
import { InvalidArgumentError } from 'commander'
import Table from 'cli-table3'
import {
  DeviationDetector,
  KnownIdentities,
  MAX_EXCEPTION_MS,
  exceptionProblem,
  readFingerprintManifest,
  addEgressException,
  edgeCounts,
  learningStatus,
  parseBaseline,
  peerKey,
  reviewEdges,
  setWorkloadMode,
  setLearningDays,
  type Baseline,
  type EnforcementMode,
  type FlowProtocol,
  type FlowSourceKind,
  type IngestStats,
  type Peer,
} from '../../flows/index.js'
import { PhiwallError, type Diagnostic } from '../../model/index.js'
import { learnBaseline, replayFlows, watchFlows, type FlowStageOptions } from '../../scan/index.js'
import { writePrivateJson } from '../../sources/index.js'
import { EXIT } from '../main.js'
import { commaList } from './options.js'

export function parseFlowFormat(v: string): FlowSourceKind {
  if (v === 'vpc' || v === 'hubble' || v === 'agent' || v === 'cloudtrail') return v
  throw new InvalidArgumentError('expected vpc, hubble, agent or cloudtrail')
}

/** `1h`, `30m`, `2d`, `90s` or milliseconds. */
export function parseDuration(v: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(v.trim())
  if (!m) throw new InvalidArgumentError('expected a duration such as 30m, 1h or 2d')
  const n = Number(m[1])
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[(m[2] ?? 'ms') as 'ms']
  return n * unit
}

function positive(v: string): number {
  const n = Number(v)
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a positive number')
  return n
}

function nonNegative(v: string): number {
  const n = Number(v)
  if (!Number.isFinite(n) || n < 0 || n > 365) throw new InvalidArgumentError('expected a number of days from 0 to 365')
  return n
}

/** Read and validate a baseline file. */
export function loadBaseline(file: string): Baseline {
  let text: string
  try {
    text = fs.readFileSync(file, 'utf8')
  } catch (err) {
    throw new PhiwallError((err as NodeJS.ErrnoException).code === 'ENOENT' ? 'PW_ERR_PATH_NOT_FOUND' : 'PW_ERR_SOURCE_UNREADABLE', `Cannot read baseline ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'}).`)
  }
  const r = parseBaseline(text)
  if (!r.ok) throw new PhiwallError('PW_ERR_BASELINE_INVALID', `${file}: ${r.error}`)
  return r.baseline
}

function writeBaseline(file: string, b: Baseline): void {
  writePrivateJson(file, b)
}

/** Print read statistics and diagnostics to stderr; returns whether anything was an error. */
export function reportIngest(stats: IngestStats[], diagnostics: Diagnostic[]): boolean {
  for (const s of stats) {
    process.stderr.write(`${s.file} (${s.format}): ${s.lines} lines, ${s.flows} flows, ${s.skipped} skipped, ${s.malformed} malformed, ${s.unresolved} unresolved addresses\n`)
    for (const m of s.malformedSamples) process.stderr.write(`  line ${m.line}: ${m.reason}\n`)
    if (s.malformed > s.malformedSamples.length) process.stderr.write(`  … and ${s.malformed - s.malformedSamples.length} more malformed lines\n`)
  }
  for (const d of diagnostics) process.stderr.write(`${d.code}  ${d.message}\n`)
  return diagnostics.some((d) => d.level === 'error')
}

export function describePeer(p: Peer, b?: Pick<Baseline, 'identities'>): string {
  if (p.kind === 'identity') {
    const i = b?.identities[p.id]
    if (i?.kind === 'process') return `${i.name}@${i.process?.host ?? '?'} (uid ${i.process?.uid ?? '?'})`
    return p.id.replace(/^k8s:/, '')
  }
  return p.kind === 'fqdn' ? p.fqdn : `${p.cidr} (${p.scope})`
}

function parsePeer(v: string): Peer {
  if (v.startsWith('fqdn:')) return { kind: 'fqdn', fqdn: v.slice(5).toLowerCase() }
  if (v.startsWith('cidr:')) return { kind: 'cidr', cidr: v.slice(5), scope: 'public' }
  if (/^[a-z0-9.-]+\.[a-z]{2,}$/i.test(v)) return { kind: 'fqdn', fqdn: v.toLowerCase() }
  if (/^[0-9a-f:.]+\/\d+$/i.test(v)) return { kind: 'cidr', cidr: v, scope: 'public' }
  // a bare address matches no edge: external peers are FQDNs or CIDR buckets
  if (isIP(v) !== 0) throw new PhiwallError('PW_ERR_USAGE', `${v} is an address: give the destination as fqdn:NAME or cidr:CIDR (flows show lists the edges' peers, e.g. cidr:${isIP(v) === 4 ? v.split('.').slice(0, 3).join('.') + '.0/24' : v + '/64'})`)
  return { kind: 'identity', id: v }
}

/** `phiwall flows …`: ingest flows into a baseline, review edges, set modes and exceptions, detect deviations. */
export function registerFlowsCommand(program: Command, setExit: (code: number) => void): void {
  const flows = program.command('flows').description('learn who talks to whom from VPC Flow Logs, Cilium Hubble and the PhiWall agent; review the baseline; detect deviations')

  flows
    .command('ingest')
    .description('read flow records and learn (or extend) a baseline of edges between workload identities')
    .argument('<files...>', 'flow files or directories (plain or gzip; recognised by content)')
    .option('--format <format>', 'vpc, hubble or agent (default: recognised per file)', parseFlowFormat)
    .option('--manifests <paths>', 'infrastructure code naming the workloads (manifests, templates, plans, snapshots; comma-separated, repeatable)', commaList)
    .option('--inventory <files>', 'the JSON of `phiwall inventory --format json` or of `phiwall scan --format json` naming the workloads (comma-separated)', commaList)
    .option('--addresses <files>', 'address books: address or ENI → workload (JSON or CSV; comma-separated, repeatable)', commaList)
    .option('--baseline <file>', 'extend this baseline (its reviews, modes and exceptions are kept)')
    .option('--learning-days <days>', 'learning window per workload, in days of observed time (default 7)', positive)
    .option('--grace <duration>', 'grace period before a new unreviewed edge counts toward policy (default 1h)', parseDuration)
    .option('--out <file>', 'write the baseline (JSON, mode 0600)')
    .option('--json', 'print the baseline to stdout instead of a summary')
    .action(async (files: string[], f: { format?: FlowSourceKind; manifests?: string[]; inventory?: string[]; addresses?: string[]; baseline?: string; learningDays?: number; grace?: number; out?: string; json?: boolean }) => {
      const previous = f.baseline ? loadBaseline(f.baseline) : undefined
      const r = await learnBaseline(files, {
        ...(f.format ? { format: f.format } : {}),
        ...(f.manifests ? { manifests: f.manifests } : {}),
        ...(f.inventory ? { inventoryFiles: f.inventory } : {}),
        ...(f.addresses ? { addresses: f.addresses } : {}),
        ...(previous ? { previous } : {}),
        ...(f.learningDays !== undefined ? { learningDays: f.learningDays } : {}),
        ...(f.grace !== undefined ? { graceMs: f.grace } : {}),
      })
      const failed = reportIngest(r.stats, r.diagnostics)
      if (failed) setExit(EXIT.ERROR)
      const b = r.baseline
      // nothing read and something refused: an --out file (perhaps last week's baseline) is not replaced by an empty one
      const writeOut = f.out !== undefined && !(failed && r.stats.length === 0)
      if (f.out && !writeOut) process.stderr.write(`phiwall: no flow file was read; ${f.out} is left as it was\n`)
      if (f.out && writeOut) writeBaseline(f.out, b)
      if (f.json) {
        process.stdout.write(JSON.stringify(b, null, 2) + '\n')
        return
      }
      const lines = r.stats.reduce((n, s) => n + s.lines, 0)
      const flowsRead = r.stats.reduce((n, s) => n + s.flows, 0)
      const malformed = r.stats.reduce((n, s) => n + s.malformed, 0)
      process.stdout.write(`${r.stats.length} files, ${lines} lines, ${flowsRead} flows, ${malformed} malformed\n`)
      process.stdout.write(`${b.edges.length} edges between ${Object.keys(b.identities).length} identities (${b.edges.filter((e) => e.origin === 'observed').length} observed, ${b.edges.filter((e) => e.origin === 'declared').length} declared only, ${b.edges.filter((e) => e.origin === 'both').length} both); ${Object.keys(b.dns).length} DNS names\n`)
      printEdges(b)
      if (f.out && writeOut) process.stdout.write(`baseline → ${f.out}\n`)
    })

  flows
    .command('show')
    .description('list a baseline’s edges (with the keys review commands take) and its workloads’ modes and learning windows')
    .requiredOption('--baseline <file>', 'the baseline')
    .option('--json', 'JSON')
    .action((f: { baseline: string; json?: boolean }) => {
      const b = loadBaseline(f.baseline)
      if (f.json) {
        process.stdout.write(JSON.stringify({ edges: b.edges.map((e) => ({ key: e.key, state: e.state, counts: edgeCounts(b, e), origin: e.origin, count: e.count })), workloads: Object.fromEntries(Object.entries(b.workloads).map(([id, s]) => [id, { ...s, learning: learningStatus(b, id) }])) }, null, 2) + '\n')
        return
      }
      printEdges(b, true)
      const t = new Table({ head: ['Workload', 'Mode', 'Learning', 'PHI', 'Exceptions'], style: { head: [], border: [] } })
      for (const [id, s] of Object.entries(b.workloads)) {
        const l = learningStatus(b, id)
        t.push([id, s.mode, `${(Math.floor(l.observedDays * 10) / 10).toFixed(1)}/${l.learningDays} days${l.complete ? ' ✓' : ''}`, b.identities[id]?.holdsPhi ?? 'unknown', String(s.exceptions?.length ?? 0)])
      }
      process.stdout.write(t.toString() + '\n')
    })

  flows
    .command('review')
    .description('review edges: allow, deny or snooze them (recorded with who, when and why)')
    .requiredOption('--baseline <file>', 'the baseline (rewritten in place unless --out)')
    .option('--allow <key...>', 'edge keys to allow')
    .option('--deny <key...>', 'edge keys to deny')
    .option('--snooze <key...>', 'edge keys to snooze (with --until)')
    .option('--until <time>', 'snooze until (ISO time)')
    .requiredOption('--by <who>', 'who decides (recorded)')
    .option('--reason <why>', 'why (recorded)')
    .option('--out <file>', 'write the reviewed baseline here')
    .action((f: { baseline: string; allow?: string[]; deny?: string[]; snooze?: string[]; until?: string; by: string; reason?: string; out?: string }) => {
      if (f.snooze?.length && (!f.until || Number.isNaN(Date.parse(f.until)))) throw new PhiwallError('PW_ERR_USAGE', '--snooze needs --until with an ISO time.')
      const b = loadBaseline(f.baseline)
      const decisions = [
        ...(f.allow ?? []).map((key) => ({ key, state: 'allowed' as const })),
        ...(f.deny ?? []).map((key) => ({ key, state: 'denied' as const })),
        ...(f.snooze ?? []).map((key) => ({ key, state: 'snoozed' as const, until: new Date(f.until!).toISOString() })),
      ].map((d) => ({ ...d, by: f.by, ...(f.reason ? { reason: f.reason } : {}) }))
      if (!decisions.length) throw new PhiwallError('PW_ERR_USAGE', 'Nothing to review: give --allow, --deny or --snooze with edge keys.')
      const r = reviewEdges(b, decisions)
      if (r.unknown.length) throw new PhiwallError('PW_ERR_UNKNOWN_EDGE', `Not in the baseline: ${r.unknown.join(', ')}`)
      writeBaseline(f.out ?? f.baseline, r.baseline)
      for (const d of decisions) process.stdout.write(`${d.state}: ${d.key} (by ${f.by})\n`)
    })

  flows
    .command('mode')
    .description('set a workload’s enforcement mode: off, learn, alert (deviations alert, nothing dropped) or enforce')
    .requiredOption('--baseline <file>', 'the baseline (rewritten in place unless --out)')
    .requiredOption('--workload <ids>', 'workload identity ids (comma-separated), or "all"', commaList)
    .option('--mode <mode>', 'off, learn, alert or enforce')
    .option('--learning-days <days>', "the workload's own learning window, in days of observed time (0 restores the baseline's default)", nonNegative)
    .requiredOption('--by <who>', 'who decides (recorded)')
    .option('--out <file>', 'write the baseline here')
    .action((f: { baseline: string; workload: string[]; mode?: string; learningDays?: number; by: string; out?: string }) => {
      if (f.mode === undefined && f.learningDays === undefined) throw new PhiwallError('PW_ERR_USAGE', 'Give --mode, --learning-days or both.')
      if (f.mode !== undefined && !['off', 'learn', 'alert', 'enforce'].includes(f.mode)) throw new PhiwallError('PW_ERR_USAGE', 'Mode must be off, learn, alert or enforce.')
      let b = loadBaseline(f.baseline)
      const targets = f.workload.includes('all') ? Object.keys(b.workloads) : f.workload
      for (const w of targets) {
        if (!b.workloads[w] && !b.identities[w]) throw new PhiwallError('PW_ERR_UNKNOWN_EDGE', `Workload ${w} is not in the baseline.`)
        if (f.learningDays !== undefined) b = setLearningDays(b, w, f.learningDays === 0 ? undefined : f.learningDays, f.by)
        if (f.mode !== undefined) b = setWorkloadMode(b, w, f.mode as EnforcementMode, f.by)
        const l = learningStatus(b, w)
        if (b.workloads[w]?.mode === 'enforce' && !l.complete) process.stderr.write(`warning: ${w} has ${l.observedDays.toFixed(1)} of ${l.learningDays} learning days; simulate first (phiwall policy simulate)\n`)
        process.stdout.write(`${w}: ${b.workloads[w]?.mode ?? 'learn'}, learning window ${l.learningDays} days${l.complete ? ' (complete)' : ` (${l.observedDays.toFixed(1)} observed)`} (by ${f.by})\n`)
      }
      writeBaseline(f.out ?? f.baseline, b)
    })

  flows
    .command('exception')
    .description('record an internet-egress exception for a PHI workload, with who and why')
    .requiredOption('--baseline <file>', 'the baseline (rewritten in place unless --out)')
    .requiredOption('--workload <id>', 'workload identity id')
    .requiredOption('--to <peer>', 'fqdn:api.example.com, cidr:203.0.113.0/24, or a name / CIDR')
    .option('--port <port>', 'port (default any)', positive)
    .option('--protocol <p>', 'tcp or udp (default any)')
    .requiredOption('--by <who>', 'who allows it (recorded)')
    .requiredOption('--reason <why>', 'why (recorded; e.g. the BAA that covers the vendor)')
    .option('--expires <time>', 'ISO time the exception ends (default: one year from now, the longest allowed)')
    .option('--out <file>', 'write the baseline here')
    .action((f: { baseline: string; workload: string; to: string; port?: number; protocol?: string; by: string; reason: string; expires?: string; out?: string }) => {
      const b = loadBaseline(f.baseline)
      if (!b.workloads[f.workload] && !b.identities[f.workload]) throw new PhiwallError('PW_ERR_UNKNOWN_EDGE', `Workload ${f.workload} is not in the baseline.`)
      if (f.protocol && f.protocol !== 'tcp' && f.protocol !== 'udp') throw new PhiwallError('PW_ERR_USAGE', '--protocol must be tcp or udp.')
      const to = parsePeer(f.to)
      const now = Date.now()
      // every exception ends, and is reviewed again: a year at most, as the server requires
      const expires = f.expires ?? new Date(now + MAX_EXCEPTION_MS - 24 * 3600 * 1000).toISOString()
      const problem = exceptionProblem({ to, reason: f.reason, expires }, now)
      if (problem) throw new PhiwallError('PW_ERR_USAGE', `The exception cannot be recorded: ${problem.field === 'expires' ? `its end ${problem.message}` : problem.message}.`)
      const nb = addEgressException(b, f.workload, { to, ...(f.port ? { port: f.port } : {}), ...(f.protocol ? { protocol: f.protocol as FlowProtocol } : {}), by: f.by, reason: f.reason.trim(), at: new Date(now).toISOString(), expires: new Date(expires).toISOString() })
      writeBaseline(f.out ?? f.baseline, nb)
      process.stdout.write(`exception: ${f.workload} → ${peerKey(to)}${f.port ? `:${f.port}` : ''} until ${new Date(expires).toISOString().slice(0, 10)} (by ${f.by}: ${f.reason.trim()})\n`)
    })

  registerFlowsWatch(flows, setExit)

  flows
    .command('check')
    .description('replay or watch flows against a baseline and alert on every deviation: new edge, new port, new external destination, unknown binary, PHI internet egress')
    .argument('<files...>', 'flow files or directories')
    .requiredOption('--baseline <file>', 'the baseline')
    .option('--format <format>', 'vpc, hubble or agent', parseFlowFormat)
    .option('--manifests <paths>', 'infrastructure code naming the workloads', commaList)
    .option('--inventory <files>', 'the JSON of `phiwall inventory --format json` or of `phiwall scan --format json` naming the workloads', commaList)
    .option('--fingerprints <files>', 'CI fingerprint manifests ({ artifacts: [{ path, sha256 }] }): processes running a listed binary are not unknown', commaList)
    .option('--addresses <files>', 'address books', commaList)
    .option('--json', 'print the deviations as JSON')
    .action(async (files: string[], f: DetectFlags & { json?: boolean }) => {
      const b = loadBaseline(f.baseline)
      let lookup: ((id: string) => import('../../flows/index.js').WorkloadIdentity | undefined) | undefined
      const known = new KnownIdentities(new Set(), readFingerprints(f.fingerprints ?? []), (id) => lookup?.(id))
      const detector = new DeviationDetector(b, { lookup: (id) => lookup?.(id), knownIdentities: known })
      const r = await replayFlows(
        files,
        (flow, identityOf) => {
          lookup = identityOf
          detector.observe(flow)
        },
        { previous: b, ...stageOptions(f), onInventory: (ids) => ids.forEach((id) => known.ids.add(id)) },
      )
      if (reportIngest(r.stats, r.diagnostics)) setExit(EXIT.ERROR)
      const devs = detector.deviations()
      if (f.json) process.stdout.write(JSON.stringify({ deviations: devs }, null, 2) + '\n')
      else {
        if (!devs.length) process.stdout.write('no deviations from the baseline\n')
        for (const d of devs) {
          process.stdout.write(`${d.severity.toUpperCase().padEnd(8)} ${d.type}  ${d.message}  (${d.count}×, mode ${d.mode})\n`)
          for (const e of d.evidence.slice(0, 1)) process.stdout.write(`         evidence: ${e.source} ${e.file ?? ''}${e.line ? `:${e.line}` : ''}\n`)
          process.stdout.write(`         suggestion: ${d.suggestion}\n`)
        }
      }
      if (devs.length) setExit(EXIT.FINDINGS)
    })
}

/** Flags of `flows check` and `flows watch`. */
interface DetectFlags {
  baseline: string
  format?: FlowSourceKind
  manifests?: string[]
  inventory?: string[]
  fingerprints?: string[]
  addresses?: string[]
}

/** The flow stage's options from the detection flags. */
function stageOptions(f: Omit<DetectFlags, 'baseline' | 'fingerprints'>): FlowStageOptions {
  return { ...(f.format ? { format: f.format } : {}), ...(f.manifests ? { manifests: f.manifests } : {}), ...(f.inventory ? { inventoryFiles: f.inventory } : {}), ...(f.addresses ? { addresses: f.addresses } : {}) }
}

/** The binary hashes of `--fingerprints` manifests; a file that cannot be read or is not one is a usage error naming it. */
function readFingerprints(files: string[]): Set<string> {
  const out = new Set<string>()
  for (const file of files) {
    let text: string
    try {
      text = fs.readFileSync(file, 'utf8')
    } catch (err) {
      throw new PhiwallError('PW_ERR_PATH_NOT_FOUND', `The fingerprint manifest ${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}).`)
    }
    try {
      for (const h of readFingerprintManifest(text)) out.add(h)
    } catch (err) {
      throw new PhiwallError('PW_ERR_USAGE', `The fingerprint manifest ${file} is ${(err as Error).message}.`)
    }
  }
  return out
}

/** One deviation as a line (terminal) or a JSON object (one per line). */
function deviationLine(d: import('../../flows/index.js').Deviation, json: boolean): string {
  if (json) return JSON.stringify({ type: d.type, severity: d.severity, workload: d.workload, key: d.key, port: d.port, protocol: d.protocol, mode: d.mode, firstSeen: new Date(d.firstSeen).toISOString(), message: d.message, evidence: d.evidence[0], suggestion: d.suggestion }) + '\n'
  return `${new Date(d.firstSeen).toISOString()} ${d.severity.toUpperCase().padEnd(8)} ${d.type}  ${d.message}  (mode ${d.mode})\n`
}

/** `phiwall flows watch`: live deviations from a stream. */
export function registerFlowsWatch(flows: Command, setExit: (code: number) => void): void {
  flows
    .command('watch')
    .description('watch live flow records and alert on each deviation as it appears: standard input (hubble observe -o json --follow, phiwall agent --out -) or a growing file')
    .argument('[file]', 'a file to follow as it grows (default: standard input)')
    .requiredOption('--baseline <file>', 'the baseline')
    .option('--format <format>', 'vpc, hubble or agent (required for standard input; recognised for files)', parseFlowFormat)
    .option('--manifests <paths>', 'infrastructure code naming the workloads', commaList)
    .option('--inventory <files>', 'the JSON of `phiwall inventory --format json` or of `phiwall scan --format json` naming the workloads', commaList)
    .option('--fingerprints <files>', 'CI fingerprint manifests ({ artifacts: [{ path, sha256 }] }): processes running a listed binary are not unknown', commaList)
    .option('--addresses <files>', 'address books', commaList)
    .option('--json', 'one JSON object per deviation (for a SIEM or a webhook forwarder)')
    .action(async (file: string | undefined, f: DetectFlags & { json?: boolean }) => {
      const b = loadBaseline(f.baseline)
      const { followFile, sniffFlowFormat } = await import('../../sources/flow-files/index.js')
      const stop = new AbortController()
      const onSignal = (): void => stop.abort()
      process.once('SIGINT', onSignal)
      process.once('SIGTERM', onSignal)
      let format = f.format
      if (!format && file) {
        if (!fs.existsSync(file)) throw new PhiwallError('PW_ERR_PATH_NOT_FOUND', `Path ${file} does not exist.`)
        const fd = fs.openSync(file, 'r')
        const head = Buffer.alloc(8192)
        const n = fs.readSync(fd, head, 0, head.length, 0)
        fs.closeSync(fd)
        format = sniffFlowFormat(head.subarray(0, n).toString('utf8'))
      }
      if (!format) throw new PhiwallError('PW_ERR_FLOW_FORMAT', `${file ?? 'standard input'}: name the format with --format vpc|hubble|agent.`)
      let lookup: ((id: string) => import('../../flows/index.js').WorkloadIdentity | undefined) | undefined
      const known = new KnownIdentities(new Set(), readFingerprints(f.fingerprints ?? []), (id) => lookup?.(id))
      const detector = new DeviationDetector(b, { lookup: (id) => lookup?.(id), knownIdentities: known })
      let count = 0
      const onFlow = (flow: import('../../flows/index.js').Flow, identityOf: (id: string) => import('../../flows/index.js').WorkloadIdentity | undefined): void => {
        lookup = identityOf
        for (const d of detector.observe(flow)) {
          if (d.count !== 1) continue // grouped: the first sighting alerts, repeats only count
          count++
          process.stdout.write(deviationLine(d, !!f.json))
        }
      }
      const chunks = file ? followFile(file, stop.signal) : (process.stdin as AsyncIterable<Buffer>)
      try {
        const r = await watchFlows(chunks, format, onFlow, { previous: b, name: file ?? '-', ...stageOptions({ ...f, format: undefined }), onInventory: (ids) => ids.forEach((id) => known.ids.add(id)) })
        if (reportIngest([r.stats], r.diagnostics)) setExit(EXIT.ERROR)
      } finally {
        process.removeListener('SIGINT', onSignal)
        process.removeListener('SIGTERM', onSignal)
      }
      process.stderr.write(`${count} deviations\n`)
      if (count) setExit(EXIT.FINDINGS)
    })
}

function printEdges(b: Baseline, all = false): void {
  const t = new Table({ head: ['From', 'To', 'Port', 'Count', 'Origin', 'State', ...(all ? ['Key'] : [])], style: { head: [], border: [] } })
  const edges = all ? b.edges : b.edges.slice().sort((x, y) => y.count - x.count).slice(0, 30)
  for (const e of edges) {
    const c = edgeCounts(b, e)
    t.push([describePeer(e.from, b), describePeer(e.to, b), `${e.port}/${e.protocol}`, String(e.count), e.origin, e.state === 'observed' ? (c === 'pending' ? 'pending' : 'observed') : e.state, ...(all ? [e.key] : [])])
  }
  process.stdout.write(t.toString() + '\n')
  if (!all && b.edges.length > 30) process.stdout.write(`… ${b.edges.length - 30} more (phiwall flows show --baseline FILE)\n`)
}
