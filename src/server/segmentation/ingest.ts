/**
 * Flow ingest on the server: the CLI's pipeline (src/scan/flows.ts) over stored state. The
 * stored baseline and the inventory name the identities; the source's reader (agent records in
 * two passes) resolves and aggregates; `buildBaseline` turns what this ingest saw into a delta
 * (new edges `observed`, new workloads in `learn`), merged additively into the store; the
 * `DeviationDetector` judges every flow against the baseline as it was, and the deviations of
 * workloads in `alert` or `enforce` mode become grouped alerts. Idempotent by (kind, id).
 */
import { createHash } from 'node:crypto'
import { z } from 'zod'
import {
  DeviationDetector,
  EdgeAggregator,
  IdentityResolver,
  buildBaseline,
  edgeKey,
  flowInventoryOf,
  normalizeIp,
  processIdentity,
  KnownIdentities,
  type Baseline,
  type Deviation,
  type Flow,
  type FlowReadContext,
  type IngestStats,
  type WorkloadIdentity,
} from '../../flows/index.js'
import type { Inventory } from '../../model/index.js'
import { readAgentRecords, scanAgentHosts } from '../../sources/agent-flows/index.js'
import { flowReader } from '../../sources/flow-files/index.js'
import type { Store } from '../../store/index.js'
import { actorOf } from '../authz.js'
import { retryLater } from '../router.js'
import type { Principal, ServerContext } from '../types.js'
import { RECENT_FLOW_DAYS, RECENT_FLOW_MAX_ROWS } from './migrations.js'
import { auditTarget, keyOfPeer } from './scope.js'
import { loadBaseline, mergeDelta, type ListenerFact } from './state.js'

/** Flow formats the server ingests. */
export type IngestFormat = 'vpc' | 'hubble' | 'agent'

/** One ingest: an agent batch or an uploaded flow file. */
export interface IngestRequest {
  kind: 'agent' | 'flows'
  /** batchId or uploadId: the idempotency key (with `kind`). */
  id: string
  /** The agent's host, or the upload's name. */
  source: string
  format: IngestFormat
  /** The text to read (agent records as NDJSON). */
  content: Buffer
  /** Records (agent) or lines (file) received. */
  records: number
}

/** What an ingest did. */
export interface IngestOutcome {
  duplicate: boolean
  records: number
  flows: number
  /** Distinct edges this ingest observed. */
  edges: number
  skipped: number
  malformed: number
  unresolved: number
  /** Alerts raised or repeated. */
  alerts: number
}

const DAY = 86_400_000

/** In-flight ingests per server, for back-pressure. */
const inFlight = new WeakMap<ServerContext, { n: number }>()

/**
 * Takes one of the server's `maxConcurrentIngest` ingest slots, or throws 503 `PW_ERR_BUSY` with
 * Retry-After. Returns the release function (call it once, in `finally`).
 */
export function acquireIngestSlot(ctx: ServerContext): () => void {
  let s = inFlight.get(ctx)
  if (!s) inFlight.set(ctx, (s = { n: 0 }))
  if (s.n >= ctx.config.maxConcurrentIngest) throw retryLater('PW_ERR_BUSY', 'The server is working through earlier uploads; retry with the same id.', 2)
  s.n++
  const slot = s
  let released = false
  return () => {
    if (released) return
    released = true
    slot.n--
  }
}

/** Whether an ingest id was already accepted (a retried batch answers 200 duplicate). */
export async function isDuplicateIngest(store: Store, kind: IngestRequest['kind'], id: string): Promise<boolean> {
  const rows = await store.query<{ id: string }>('SELECT id FROM flow_ingests WHERE kind = $1 AND id = $2', [kind, id])
  return rows.length > 0
}

const listenRecord = z.object({
  kind: z.literal('listen'),
  host: z.string().min(1),
  hostAddresses: z.array(z.string()),
  protocol: z.enum(['tcp', 'udp']),
  local: z.object({ ip: z.string(), port: z.number().int().min(0).max(65535) }),
  process: z.object({ pid: z.number(), exePath: z.string().min(1), exeSha256: z.string(), uid: z.number().int().min(0), user: z.string().optional(), cgroup: z.string().optional(), containerId: z.string().optional() }),
})

const isLoopback = (n: string): boolean => n.startsWith('127.') || n === '::1'

/**
 * Listening processes of agent records, per address (a wildcard listener on each of its host's
 * addresses, as the agent reader does it; loopback listeners stay host-local and are not kept):
 * stored so that a later batch from another host resolves its connections to them.
 */
export function listenersOfAgentRecords(records: unknown[]): ListenerFact[] {
  const out: ListenerFact[] = []
  for (const raw of records) {
    const r = listenRecord.safeParse(raw)
    if (!r.success) continue
    const rec = r.data
    const local = normalizeIp(rec.local.ip)
    if (!local || isLoopback(local)) continue
    const own = rec.hostAddresses.map((a) => normalizeIp(a)).filter((a): a is string => !!a && !isLoopback(a) && a !== '0.0.0.0' && a !== '::')
    const ips = local === '0.0.0.0' ? own.filter((a) => !a.includes(':')) : local === '::' ? own : [local]
    const id = processIdentity(rec.host, rec.process).id
    for (const ip of ips) out.push({ host: rec.host, ip, port: rec.local.port, protocol: rec.protocol, identityId: id })
  }
  return out
}

async function* single(buf: Buffer): AsyncGenerator<Buffer> {
  // the readers split lines across chunk boundaries themselves; 1 MiB pieces keep each step small
  for (let i = 0; i < buf.length; i += 1 << 20) yield buf.subarray(i, Math.min(buf.length, i + (1 << 20)))
}

/** A resolver that knows the inventory, the stored baseline's identities, DNS, hosts and listeners (as `prepare` in src/scan/flows.ts). */
export function resolverFor(inventory: Inventory, baseline: Baseline, listeners: ListenerFact[]): IdentityResolver {
  const inv = flowInventoryOf(inventory)
  // the inventory's identities first: the current scan's PHI state and labels win over stored ones
  const resolver = new IdentityResolver({ identities: [...inv.identities, ...Object.values(baseline.identities)], addresses: inv.addresses, dns: baseline.dns })
  for (const [host, ips] of Object.entries(baseline.hosts ?? {})) resolver.addHost(host, ips)
  for (const e of baseline.edges) {
    if (e.to.kind !== 'identity') continue
    const host = baseline.identities[e.to.id]?.process?.host
    const ips = host ? baseline.hosts?.[host] : undefined
    if (ips?.length) resolver.addListener(ips, e.port, e.protocol, e.to.id)
  }
  for (const l of listeners) resolver.addListener([l.ip], l.port, l.protocol, l.identityId)
  return resolver
}

/** Identity ids the detector treats as known: the inventory's, and processes whose binary a CI fingerprint manifest lists. */
/** Alert id: stable per grouping key. */
export function alertId(key: string): string {
  return `al_${createHash('sha256').update(key).digest('hex').slice(0, 20)}`
}

/**
 * The baseline deviations are judged against: the stored one without the unreviewed edges (and
 * unknown binaries) that already have an open alert, so that using them again raises that
 * alert's count until someone reviews the edge (a review resolves its alerts).
 */
async function detectorBaseline(store: Store, baseline: Baseline): Promise<Baseline> {
  const open = await store.query<{ type: string; edge_key: string; subject: string | null }>("SELECT type, edge_key, subject FROM flow_alerts WHERE state <> 'resolved'")
  const edges = new Set(open.filter((a) => a.type !== 'denied-edge' && a.type !== 'unknown-binary').map((a) => a.edge_key))
  const subjects = new Set(open.filter((a) => a.type === 'unknown-binary' && a.subject).map((a) => a.subject!))
  if (!edges.size && !subjects.size) return baseline
  return {
    ...baseline,
    edges: baseline.edges.filter((e) => !(e.state === 'observed' && edges.has(e.key))),
    identities: Object.fromEntries(Object.entries(baseline.identities).filter(([id]) => !subjects.has(id))),
  }
}

interface FlowGroup {
  flow: Flow
  count: number
}

/**
 * Ingests one agent batch or flow file: resolves with `inventory` and the stored baseline,
 * merges the edges, keeps the flows for simulation, raises alerts, and audits one summary
 * (`ingest.agent` / `ingest.flows`), all in one transaction. A second ingest with the same id
 * changes nothing and answers `duplicate: true`.
 */
export async function ingestFlows(ctx: ServerContext, principal: Principal, req: IngestRequest, inventory: Inventory): Promise<IngestOutcome> {
  const empty: IngestOutcome = { duplicate: true, records: req.records, flows: 0, edges: 0, skipped: 0, malformed: 0, unresolved: 0, alerts: 0 }
  if (await isDuplicateIngest(ctx.store, req.kind, req.id)) return empty
  const now = ctx.clock()
  const { baseline, listeners } = await loadBaseline(ctx.store, now)
  const resolver = resolverFor(inventory, baseline, listeners)
  const inv = flowInventoryOf(inventory)

  const judged = await detectorBaseline(ctx.store, baseline)
  const hashes = new Set((await ctx.store.query<{ sha256: string }>('SELECT DISTINCT sha256 FROM fingerprint_artifacts')).map((r) => r.sha256))
  const known = new KnownIdentities(new Set(inv.identities.map((i) => i.id)), hashes, (id) => resolver.identity(id))
  const detector = new DeviationDetector(judged, { knownIdentities: known, lookup: (id) => resolver.identity(id) })

  const groups = new Map<string, FlowGroup>()
  const aggregator = new EdgeAggregator()
  const readCtx: FlowReadContext = {
    resolver,
    aggregator,
    file: req.kind === 'agent' ? `agent:${req.source}` : req.source,
    onFlow: (f) => {
      const k = `${edgeKey(f.from, f.to, f.port, f.protocol)}|${f.verdict}|${f.direction}`
      const g = groups.get(k)
      if (g) {
        g.count++
        g.flow.bytes += f.bytes
        g.flow.packets += f.packets
        g.flow.firstSeen = Math.min(g.flow.firstSeen, f.firstSeen)
        g.flow.lastSeen = Math.max(g.flow.lastSeen, f.lastSeen)
      } else groups.set(k, { flow: { ...f }, count: 1 })
      detector.observe(f)
    },
  }
  let stats: IngestStats
  if (req.format === 'agent') {
    await scanAgentHosts(single(req.content), readCtx)
    stats = await readAgentRecords(single(req.content), readCtx)
  } else {
    stats = await flowReader(req.format)(single(req.content), readCtx)
  }
  const delta = buildBaseline({ aggregator, resolver, stats: [stats], declared: inv.declared, now })
  const newListeners = req.format === 'agent' ? listenersOfAgentRecords(parseNdjson(req.content)) : []

  const subjectOf = (d: Deviation): string | null => {
    if (d.type !== 'unknown-binary') return null
    for (const p of [d.from, d.to]) if (p.kind === 'identity' && resolver.identity(p.id)?.kind === 'process' && !judged.identities[p.id] && !known.has(p.id)) return p.id
    return null
  }
  // a new binary is a new identity with no mode of its own: it alerts when a workload on its host does
  const hostModes = new Map<string, string>()
  for (const [id, s] of Object.entries(baseline.workloads)) {
    const host = baseline.identities[id]?.process?.host
    if (host && (s.mode === 'enforce' || (s.mode === 'alert' && hostModes.get(host) !== 'enforce'))) hostModes.set(host, s.mode)
  }
  const alertMode = (d: Deviation): string | undefined => {
    if (d.mode === 'alert' || d.mode === 'enforce') return d.mode
    const subject = subjectOf(d)
    const host = subject ? resolver.identity(subject)?.process?.host : undefined
    return host ? hostModes.get(host) : undefined
  }
  const deviations = detector.deviations().flatMap((d) => {
    const mode = alertMode(d)
    return mode ? [{ ...d, mode }] : []
  })

  const outcome: IngestOutcome = { duplicate: false, records: req.records, flows: stats.flows, edges: aggregator.size, skipped: stats.skipped, malformed: stats.malformed, unresolved: stats.unresolved, alerts: deviations.length }
  return ctx.store.transaction(async (tx) => {
    const inserted = await tx.query<{ id: string }>(
      `INSERT INTO flow_ingests (kind, id, source, format, actor, received_at, records, lines, flows, skipped, malformed, unresolved, edges)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT (kind, id) DO NOTHING RETURNING id`,
      [req.kind, req.id, req.source, req.format, actorOf(principal), now.toISOString(), req.records, stats.lines, stats.flows, stats.skipped, stats.malformed, stats.unresolved, aggregator.size],
    )
    if (inserted.length === 0) return empty // a concurrent request with the same id won
    await mergeDelta(tx, delta, newListeners, now)
    await storeRecentFlows(tx, req, [...groups.values()], now)
    await upsertAlerts(tx, deviations, subjectOf, now)
    await ctx.audit.append(
      {
        actor: actorOf(principal),
        action: req.kind === 'agent' ? 'ingest.agent' : 'ingest.flows',
        target: auditTarget(req.kind === 'agent' ? `host:${req.source}` : `upload:${req.id}`),
        payload: { id: req.id, format: req.format, ...(req.kind === 'agent' ? { host: req.source } : { name: req.source }), records: req.records, flows: outcome.flows, edges: outcome.edges, skipped: outcome.skipped, malformed: outcome.malformed, unresolved: outcome.unresolved, alerts: outcome.alerts },
      },
      tx,
    )
    return outcome
  })
}

function parseNdjson(buf: Buffer): unknown[] {
  const out: unknown[] = []
  for (const line of buf.toString('utf8').split('\n')) {
    if (!line.trim()) continue
    try {
      out.push(JSON.parse(line))
    } catch {
      // malformed lines are counted by the reader
    }
  }
  return out
}

async function storeRecentFlows(tx: Store, req: IngestRequest, groups: FlowGroup[], now: Date): Promise<void> {
  groups.sort((a, b) => (a.flow.firstSeen - b.flow.firstSeen) || (edgeKey(a.flow.from, a.flow.to, a.flow.port, a.flow.protocol) < edgeKey(b.flow.from, b.flow.to, b.flow.port, b.flow.protocol) ? -1 : 1))
  await tx.bulkInsert(
    'flow_recent',
    [
      { name: 'ingest_kind', type: 'text' },
      { name: 'ingest_id', type: 'text' },
      { name: 'received_at', type: 'timestamptz' },
      { name: 'edge_key', type: 'text' },
      { name: 'from_key', type: 'text' },
      { name: 'to_key', type: 'text' },
      { name: 'count', type: 'integer' },
      { name: 'flow', type: 'jsonb', json: true },
    ],
    groups.map((g) => [req.kind, req.id, now.toISOString(), edgeKey(g.flow.from, g.flow.to, g.flow.port, g.flow.protocol), keyOfPeer(g.flow.from), keyOfPeer(g.flow.to), g.count, JSON.stringify(g.flow)]),
  )
  // bounded retention: the last RECENT_FLOW_DAYS days, at most RECENT_FLOW_MAX_ROWS rows
  await tx.query('DELETE FROM flow_recent WHERE received_at < $1', [new Date(now.getTime() - RECENT_FLOW_DAYS * DAY).toISOString()])
  await tx.query('DELETE FROM flow_recent WHERE id <= (SELECT id FROM flow_recent ORDER BY id DESC OFFSET $1 LIMIT 1)', [RECENT_FLOW_MAX_ROWS])
}

async function upsertAlerts(tx: Store, deviations: Deviation[], subjectOf: (d: Deviation) => string | null, now: Date): Promise<void> {
  const at = now.toISOString()
  const rows = deviations
    .map((d) => ({ d, key: `${d.type}|${d.key}` }))
    .sort((a, b) => (a.key < b.key ? -1 : 1))
    .map(({ d, key }) => [alertId(key), key, d.type, d.severity, d.workload, d.key, keyOfPeer(d.from), keyOfPeer(d.to), subjectOf(d), d.mode, d.message, d.suggestion, d.count, d.firstSeen, d.lastSeen, JSON.stringify(d.evidence.slice(0, 3)), 'open', at, at])
  await tx.bulkInsert(
    'flow_alerts',
    [
      { name: 'id', type: 'text' },
      { name: 'key', type: 'text' },
      { name: 'type', type: 'text' },
      { name: 'severity', type: 'text' },
      { name: 'workload', type: 'text' },
      { name: 'edge_key', type: 'text' },
      { name: 'from_key', type: 'text' },
      { name: 'to_key', type: 'text' },
      { name: 'subject', type: 'text' },
      { name: 'mode', type: 'text' },
      { name: 'message', type: 'text' },
      { name: 'suggestion', type: 'text' },
      { name: 'count', type: 'double precision' },
      { name: 'first_seen', type: 'double precision' },
      { name: 'last_seen', type: 'double precision' },
      { name: 'evidence', type: 'jsonb', json: true },
      { name: 'state', type: 'text' },
      { name: 'created_at', type: 'timestamptz' },
      { name: 'updated_at', type: 'timestamptz' },
    ],
    rows,
    {
      onConflict: `ON CONFLICT (key) DO UPDATE SET
        count = flow_alerts.count + EXCLUDED.count,
        first_seen = LEAST(flow_alerts.first_seen, EXCLUDED.first_seen),
        last_seen = GREATEST(flow_alerts.last_seen, EXCLUDED.last_seen),
        mode = EXCLUDED.mode,
        message = EXCLUDED.message,
        suggestion = EXCLUDED.suggestion,
        subject = COALESCE(EXCLUDED.subject, flow_alerts.subject),
        evidence = (SELECT COALESCE(jsonb_agg(x ORDER BY i), '[]'::jsonb) FROM jsonb_array_elements(flow_alerts.evidence || EXCLUDED.evidence) WITH ORDINALITY AS t(x, i) WHERE i <= 3),
        state = CASE WHEN flow_alerts.state = 'resolved' THEN 'open' ELSE flow_alerts.state END,
        resolved_at = CASE WHEN flow_alerts.state = 'resolved' THEN NULL ELSE flow_alerts.resolved_at END,
        updated_at = EXCLUDED.updated_at`,
    },
  )
}
