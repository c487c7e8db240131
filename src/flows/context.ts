import type { EdgeAggregator } from './aggregate.js'
import type { ApiCallAggregator } from './api-calls.js'
import type { IdentityResolver } from './resolve.js'
import type { AgentRecord, Flow, FlowEvidence, FlowProtocol, FlowSourceKind, IngestStats, Peer, WorkloadIdentity } from './types.js'

/**
 * What every flow reader gets: where to resolve addresses, where to aggregate, and optionally a
 * callback for each flow (simulation and deviation detection replay flows one by one; plain
 * ingest leaves it unset, so nothing per line is allocated beyond counters).
 */
export interface FlowReadContext {
  resolver: IdentityResolver
  aggregator: EdgeAggregator
  onFlow?: (flow: Flow) => void
  /** Where sources that record AWS API calls (CloudTrail) put them. */
  apiCalls?: ApiCallAggregator
  /** The file name to report (relative to where the user pointed). */
  file: string
}

/** A flow reader: consumes a file's bytes (already decompressed) and returns what it saw. */
export type FlowReader = (chunks: AsyncIterable<Buffer>, ctx: FlowReadContext) => Promise<IngestStats>

/** A fresh stats record. */
export function emptyStats(file: string, format: IngestStats['format']): IngestStats {
  return { file, format, lines: 0, flows: 0, skipped: 0, malformed: 0, malformedSamples: [], unresolved: 0 }
}

/** Count a malformed line; keep the first 20 with their line numbers and the reason (never the content). */
export function noteMalformed(stats: IngestStats, line: number, reason: string): void {
  stats.malformed++
  if (stats.malformedSamples.length < 20) stats.malformedSamples.push({ line, reason })
}

/** The identity of a process an agent reported: binary hash + path + user on a host. */
export function processIdentity(host: string, p: NonNullable<AgentRecord['process']>): WorkloadIdentity {
  const base = p.exePath.split('/').pop() || p.exePath
  const identity: WorkloadIdentity = {
    id: `host:${host}:proc:${p.exeSha256.slice(0, 16)}:${p.exePath}:uid=${p.uid}`,
    kind: 'process',
    name: base,
    process: { host, exePath: p.exePath, exeSha256: p.exeSha256, uid: p.uid },
  }
  if (p.user !== undefined) identity.process!.user = p.user
  if (p.cgroup !== undefined) identity.process!.cgroup = p.cgroup
  if (p.containerId !== undefined) identity.process!.containerId = p.containerId
  return identity
}

/** The identity of a whole host, for connections no process could be attributed to. */
export function hostIdentity(host: string): WorkloadIdentity {
  return { id: `host:${host}`, kind: 'vm', name: host }
}

/** A resolved peer and its key, as the resolver returns them. */
interface KeyedPeer {
  peer: Peer
  key: string
}

/**
 * Hand one observation to the context: aggregated through the cheap path (no Flow object, the
 * evidence built only if the edge keeps it), or — when the caller replays flows one by one —
 * as a Flow that is aggregated and then passed to `onFlow`.
 */
export function emitFlow(
  ctx: FlowReadContext,
  from: KeyedPeer,
  to: KeyedPeer,
  port: number,
  protocol: FlowProtocol,
  direction: Flow['direction'],
  bytes: number,
  packets: number,
  verdict: Flow['verdict'],
  firstSeen: number,
  lastSeen: number,
  source: FlowSourceKind,
  evidence: () => FlowEvidence,
): void {
  if (ctx.onFlow) {
    const flow: Flow = { from: from.peer, to: to.peer, port, protocol, direction, bytes, packets, verdict, firstSeen, lastSeen, evidence: evidence() }
    ctx.aggregator.add(flow)
    ctx.onFlow(flow)
  } else {
    ctx.aggregator.observe(from.peer, from.key, to.peer, to.key, port, protocol, bytes, packets, firstSeen, lastSeen, verdict === 'dropped', source, evidence)
  }
}
