import type { EdgeAggregator } from './aggregate.js'
import { ApiCallAggregator } from './api-calls.js'
import type { DeclaredFlow } from './declared.js'
import type { IdentityResolver } from './resolve.js'
import type { Baseline, BaselineEdge, EdgeState, EgressException, EnforcementMode, IngestStats, Peer, WorkloadIdentity, WorkloadSettings } from './types.js'
import { edgeKey } from './types.js'

export const BASELINE_SCHEMA = 'phiwall.baseline/v1' as const
/** Default learning window: 7 days of observed time. */
export const DEFAULT_LEARNING_DAYS = 7
/** Default grace period before a new, unreviewed edge counts toward the generated policy: 1 hour. */
export const DEFAULT_GRACE_MS = 60 * 60 * 1000
const DAY = 24 * 60 * 60 * 1000

/** Identity kinds a policy can be enforced on (entities and external peers only appear as peers). */
export function isEnforceable(identity: WorkloadIdentity | undefined): boolean {
  return !!identity && (identity.kind === 'k8s-workload' || identity.kind === 'function' || identity.kind === 'vm' || identity.kind === 'process' || identity.kind === 'aws-service')
}

export interface BuildBaselineInput {
  aggregator: EdgeAggregator
  /** AWS API calls (CloudTrail), merged with the previous baseline's. */
  apiCalls?: ApiCallAggregator
  resolver: IdentityResolver
  stats: IngestStats[]
  /** A baseline learned before: its review states, settings and exceptions are kept, its counts added. */
  previous?: Baseline
  /** Connections the infrastructure code declares: merged and marked. */
  declared?: DeclaredFlow[]
  /** The address book the flows were resolved with (kept, merged with the previous baseline's). */
  addresses?: { ip?: string; eni?: string; workload: string }[]
  learningDays?: number
  graceMs?: number
  now?: Date
}

/** Build (or extend) a baseline from aggregated edges, keeping every review decision of the previous one. */
export function buildBaseline(input: BuildBaselineInput): Baseline {
  const prev = input.previous
  const edges = new Map<string, BaselineEdge>()
  for (const e of prev?.edges ?? []) edges.set(e.key, { ...e, sources: [...e.sources], samples: [...e.samples] })
  for (const e of input.aggregator.edges()) {
    const old = edges.get(e.key)
    if (!old) {
      edges.set(e.key, e)
      continue
    }
    old.count += e.count
    old.bytes += e.bytes
    old.packets += e.packets
    old.dropped += e.dropped
    old.firstSeen = old.count === e.count ? e.firstSeen : Math.min(old.firstSeen, e.firstSeen)
    old.lastSeen = Math.max(old.lastSeen, e.lastSeen)
    for (const s of e.sources) if (!old.sources.includes(s)) old.sources.push(s)
    for (const s of e.samples) if (old.samples.length < 3) old.samples.push(s)
    if (old.origin === 'declared') old.origin = 'both'
  }
  for (const d of input.declared ?? []) {
    const from: Peer = { kind: 'identity', id: d.from }
    const to: Peer = { kind: 'identity', id: d.to }
    const key = edgeKey(from, to, d.port, d.protocol)
    const e = edges.get(key)
    if (e) {
      if (e.origin === 'observed') e.origin = 'both'
      e.declaredBy ??= d.evidence
      continue
    }
    edges.set(key, { key, from, to, port: d.port, protocol: d.protocol, count: 0, bytes: 0, packets: 0, firstSeen: 0, lastSeen: 0, sources: [], origin: 'declared', declaredBy: d.evidence, state: 'observed', dropped: 0, samples: [] })
  }
  const all = [...edges.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))

  const observedEdges = all.filter((e) => e.count > 0)
  const from = Math.min(prev?.observed.from ?? Infinity, ...observedEdges.map((e) => e.firstSeen))
  const to = Math.max(prev?.observed.to ?? 0, ...observedEdges.map((e) => e.lastSeen))

  // identities referenced by edges (and every workload the previous baseline had settings for)
  const known = input.resolver.identities()
  const identities: Record<string, WorkloadIdentity> = { ...(prev?.identities ?? {}) }
  const referenced = new Set<string>()
  for (const e of all) for (const p of [e.from, e.to]) if (p.kind === 'identity') referenced.add(p.id)
  // a function seen only through its API calls (CloudTrail) is a workload too: the IAM exporter needs it
  const called = apiCallsOf(prev?.apiCalls, input.apiCalls)
  for (const id of Object.keys(called.apiCalls ?? {})) referenced.add(id)
  for (const id of referenced) {
    const i = known[id] ?? identities[id]
    if (i) identities[id] = { ...identities[id], ...i }
    else identities[id] = { id, kind: 'vm', name: id }
  }

  // per-workload settings: kept from before; new workloads start in learn mode
  const workloads: Record<string, WorkloadSettings> = {}
  for (const [id, s] of Object.entries(prev?.workloads ?? {})) workloads[id] = { ...s, ...(s.exceptions ? { exceptions: [...s.exceptions] } : {}) }
  for (const e of observedEdges) {
    for (const p of [e.from, e.to]) {
      if (p.kind !== 'identity' || !isEnforceable(identities[p.id])) continue
      const s = (workloads[p.id] ??= { mode: 'learn' })
      s.firstSeen = s.firstSeen === undefined ? e.firstSeen : Math.min(s.firstSeen, e.firstSeen)
      s.lastSeen = s.lastSeen === undefined ? e.lastSeen : Math.max(s.lastSeen, e.lastSeen)
    }
  }
  for (const id of referenced) if (isEnforceable(identities[id])) workloads[id] ??= { mode: 'learn' }

  const dns: Record<string, string[]> = { ...(prev?.dns ?? {}) }
  for (const [name, ips] of Object.entries(input.resolver.dns())) dns[name] = [...new Set([...(dns[name] ?? []), ...ips])].sort()

  return {
    schema: BASELINE_SCHEMA,
    generatedAt: (input.now ?? new Date()).toISOString(),
    observed: { from: Number.isFinite(from) ? from : 0, to },
    learningDays: input.learningDays ?? prev?.learningDays ?? DEFAULT_LEARNING_DAYS,
    graceMs: input.graceMs ?? prev?.graceMs ?? DEFAULT_GRACE_MS,
    identities: Object.fromEntries(Object.entries(identities).sort(([a], [b]) => (a < b ? -1 : 1))),
    edges: all,
    workloads: Object.fromEntries(Object.entries(workloads).sort(([a], [b]) => (a < b ? -1 : 1))),
    dns: Object.fromEntries(Object.entries(dns).sort(([a], [b]) => (a < b ? -1 : 1))),
    ...hostsOf(prev?.hosts, input.resolver.hosts()),
    ...addressesOf(prev?.addresses, input.addresses),
    ...called,
    ingest: [...(prev?.ingest ?? []), ...input.stats],
  }
}

/** Where a workload is in its learning window. */
export interface LearningStatus {
  /** Days of observed time so far. */
  observedDays: number
  learningDays: number
  complete: boolean
}

export function learningStatus(b: Baseline, workload: string): LearningStatus {
  const s = b.workloads[workload]
  const learningDays = s?.learningDays ?? b.learningDays
  const observedDays = s?.firstSeen !== undefined && s.lastSeen !== undefined ? (s.lastSeen - s.firstSeen) / DAY : 0
  return { observedDays, learningDays, complete: observedDays >= learningDays }
}

/**
 * Does an edge count toward the generated policy? Reviewed edges: `allowed` yes, `denied` and
 * `snoozed` no. Unreviewed observed edges count once they have been known for the grace period
 * (first seen at least `graceMs` before the end of observed time); brand-new ones are pending.
 * Declared edges count: the infrastructure code states the intent.
 */
export function edgeCounts(b: Baseline, e: BaselineEdge): 'counts' | 'pending' | 'denied' | 'snoozed' {
  if (e.state === 'allowed') return 'counts'
  if (e.state === 'denied') return 'denied'
  if (e.state === 'snoozed') return 'snoozed'
  if (e.origin === 'declared') return 'counts'
  return b.observed.to - e.firstSeen >= b.graceMs ? 'counts' : 'pending'
}

/** A review decision on one edge (the audit trail records who and why). */
export interface ReviewDecision {
  key: string
  state: Exclude<EdgeState, 'observed'>
  by: string
  reason?: string
  /** For `snoozed`: until when (ISO time). */
  until?: string
  at?: Date
}

/** Apply review decisions; returns the new baseline and the keys that did not exist. */
export function reviewEdges(b: Baseline, decisions: ReviewDecision[]): { baseline: Baseline; unknown: string[] } {
  const byKey = new Map(b.edges.map((e) => [e.key, e]))
  const unknown: string[] = []
  const edges = b.edges.map((e) => ({ ...e }))
  const idx = new Map(edges.map((e, i) => [e.key, i]))
  for (const d of decisions) {
    if (!byKey.has(d.key)) {
      unknown.push(d.key)
      continue
    }
    const e = edges[idx.get(d.key)!]!
    e.state = d.state
    e.review = { by: d.by, at: (d.at ?? new Date()).toISOString(), ...(d.reason ? { reason: d.reason } : {}), ...(d.until ? { until: d.until } : {}) }
  }
  return { baseline: { ...b, edges }, unknown }
}

/** Set a workload's enforcement mode. */
export function setWorkloadMode(b: Baseline, workload: string, mode: EnforcementMode, by: string, at = new Date()): Baseline {
  const workloads = { ...b.workloads, [workload]: { ...(b.workloads[workload] ?? { mode }), mode, changedBy: by, changedAt: at.toISOString() } }
  return { ...b, workloads }
}

/**
 * Set a workload's own learning window in days of observed time (`undefined`: back to the
 * baseline's default), recording who changed it.
 */
export function setLearningDays(b: Baseline, workload: string, days: number | undefined, by: string, at = new Date()): Baseline {
  const { learningDays: _old, ...rest } = b.workloads[workload] ?? { mode: 'learn' as const }
  const settings: WorkloadSettings = { ...rest, ...(days !== undefined ? { learningDays: days } : {}), changedBy: by, changedAt: at.toISOString() }
  return { ...b, workloads: { ...b.workloads, [workload]: settings } }
}

/** Record an internet-egress exception for a (PHI) workload, with who and why. */
/** The longest an egress exception may last (then it is reviewed again): one year. */
export const MAX_EXCEPTION_MS = 366 * 24 * 3600 * 1000

/**
 * Why an egress exception cannot be recorded, or undefined: a reason a reviewer can read (at least
 * 10 characters: the BAA, the ticket), a destination narrower than the whole internet, an end in
 * the future and at most a year ahead. The CLI and the server both apply it.
 */
export function exceptionProblem(e: { to: Peer; reason: string; expires?: string }, now: number): { field: 'reason' | 'to' | 'expires'; message: string } | undefined {
  if (e.reason.trim().length < 10) return { field: 'reason', message: 'the reason must say why in at least 10 characters (the BAA, the ticket)' }
  if (e.to.kind === 'cidr' && /\/0$/.test(e.to.cidr.trim())) return { field: 'to', message: `${e.to.cidr} is the whole internet, not an exception: name the destination (fqdn:NAME or the vendor's CIDR)` }
  if (e.expires !== undefined) {
    const t = Date.parse(e.expires)
    if (Number.isNaN(t)) return { field: 'expires', message: 'the end must be an ISO time' }
    if (t <= now) return { field: 'expires', message: 'must be in the future' }
    if (t > now + MAX_EXCEPTION_MS) return { field: 'expires', message: 'at most one year ahead' }
  }
  return undefined
}

export function addEgressException(b: Baseline, workload: string, exception: EgressException): Baseline {
  const s = b.workloads[workload] ?? { mode: 'learn' as const }
  return { ...b, workloads: { ...b.workloads, [workload]: { ...s, exceptions: [...(s.exceptions ?? []), exception] } } }
}

/** The address books of the previous baseline and of this ingest, each entry once, in a stable order. */
function addressesOf(a: Baseline['addresses'], b: Baseline['addresses']): { addresses?: NonNullable<Baseline['addresses']> } {
  const out = new Map<string, NonNullable<Baseline['addresses']>[number]>()
  for (const e of [...(a ?? []), ...(b ?? [])]) out.set(`${e.ip ?? ''}|${e.eni ?? ''}|${e.workload}`, e)
  return out.size ? { addresses: [...out.entries()].sort(([x], [y]) => (x < y ? -1 : 1)).map(([, e]) => e) } : {}
}

function hostsOf(a: Record<string, string[]> | undefined, b: Record<string, string[]>): { hosts?: Record<string, string[]> } {
  const out: Record<string, string[]> = {}
  for (const src of [a ?? {}, b]) for (const [h, ips] of Object.entries(src)) out[h] = [...new Set([...(out[h] ?? []), ...ips])].sort()
  return Object.keys(out).length ? { hosts: Object.fromEntries(Object.entries(out).sort(([x], [y]) => (x < y ? -1 : 1))) } : {}
}

function apiCallsOf(prev: Baseline['apiCalls'], now: ApiCallAggregator | undefined): { apiCalls?: NonNullable<Baseline['apiCalls']> } {
  const merged = new ApiCallAggregator()
  if (prev) merged.merge(prev)
  if (now) merged.merge(now.calls())
  return merged.size ? { apiCalls: merged.calls() } : {}
}
