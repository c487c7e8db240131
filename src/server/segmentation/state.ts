/**
 * The stored baseline: read back as a `Baseline` (src/flows) and written as additive upserts, so
 * that concurrent ingests never lose a count (each counter is `count = count + EXCLUDED.count`
 * inside one statement, rows written in key order so two ingests lock them in the same order).
 */
import { DEFAULT_GRACE_MS, DEFAULT_LEARNING_DAYS, type Baseline, type BaselineEdge, type EdgeState, type EgressException, type EnforcementMode, type FlowEvidence, type FlowProtocol, type FlowSourceKind, type Peer, type WorkloadIdentity, type WorkloadSettings } from '../../flows/index.js'
import type { Store } from '../../store/index.js'

interface EdgeRowDb {
  key: string
  from_peer: Peer
  to_peer: Peer
  port: number
  protocol: string
  state: string
  origin: string
  declared_by: string | null
  review: BaselineEdge['review'] | null
  count: number
  bytes: number
  packets: number
  dropped: number
  first_seen: number
  last_seen: number
  sources: FlowSourceKind[]
  samples: FlowEvidence[]
}

/** The columns every edge query selects. */
export const EDGE_COLUMNS = 'key, from_peer, to_peer, port, protocol, state, origin, declared_by, review, count, bytes, packets, dropped, first_seen, last_seen, sources, samples'

/** A stored edge row as the `BaselineEdge` of src/flows. */
export function edgeOfRow(r: EdgeRowDb): BaselineEdge {
  const e: BaselineEdge = {
    key: r.key,
    from: r.from_peer,
    to: r.to_peer,
    port: Number(r.port),
    protocol: r.protocol as FlowProtocol,
    count: Number(r.count),
    bytes: Number(r.bytes),
    packets: Number(r.packets),
    firstSeen: Number(r.first_seen),
    lastSeen: Number(r.last_seen),
    sources: r.sources,
    origin: r.origin as BaselineEdge['origin'],
    state: r.state as EdgeState,
    dropped: Number(r.dropped),
    samples: r.samples,
  }
  if (r.declared_by) e.declaredBy = r.declared_by
  if (r.review) e.review = r.review
  return e
}

interface WorkloadRowDb {
  id: string
  mode: string
  learning_days: number | null
  exceptions: EgressException[]
  first_seen: number | null
  last_seen: number | null
  changed_by: string | null
  changed_at: Date | string | null
}

function settingsOfRow(r: WorkloadRowDb): WorkloadSettings {
  const s: WorkloadSettings = { mode: r.mode as EnforcementMode }
  if (r.learning_days !== null) s.learningDays = Number(r.learning_days)
  if (r.exceptions.length) s.exceptions = r.exceptions
  if (r.first_seen !== null) s.firstSeen = Number(r.first_seen)
  if (r.last_seen !== null) s.lastSeen = Number(r.last_seen)
  if (r.changed_by) s.changedBy = r.changed_by
  if (r.changed_at) s.changedAt = new Date(r.changed_at).toISOString()
  return s
}

/** A listening process an agent reported: connections from other hosts to it resolve to it. */
export interface ListenerFact {
  host: string
  ip: string
  port: number
  protocol: string
  identityId: string
}

/** The whole stored baseline, plus the agents' listeners. `now` is its `generatedAt`. */
export async function loadBaseline(store: Store, now: Date): Promise<{ baseline: Baseline; listeners: ListenerFact[] }> {
  const [identityRows, edgeRows, workloadRows, dnsRows, hostRows, listenerRows] = await Promise.all([
    store.query<{ id: string; identity: WorkloadIdentity }>('SELECT id, identity FROM flow_identities ORDER BY id'),
    store.query<EdgeRowDb>(`SELECT ${EDGE_COLUMNS} FROM flow_edges ORDER BY key`),
    store.query<WorkloadRowDb>('SELECT id, mode, learning_days, exceptions, first_seen, last_seen, changed_by, changed_at FROM flow_workloads ORDER BY id'),
    store.query<{ name: string; address: string }>('SELECT name, address FROM flow_dns ORDER BY name, address'),
    store.query<{ host: string; address: string }>('SELECT host, address FROM flow_hosts ORDER BY host, address'),
    store.query<{ host: string; ip: string; port: number; protocol: string; identity_id: string }>('SELECT host, ip, port, protocol, identity_id FROM flow_listeners ORDER BY host, ip, port, protocol'),
  ])
  const edges = edgeRows.map(edgeOfRow)
  const observed = edges.filter((e) => e.count > 0)
  const dns: Record<string, string[]> = {}
  for (const r of dnsRows) (dns[r.name] ??= []).push(r.address)
  const hosts: Record<string, string[]> = {}
  for (const r of hostRows) (hosts[r.host] ??= []).push(r.address)
  const baseline: Baseline = {
    schema: 'phiwall.baseline/v1',
    generatedAt: now.toISOString(),
    observed: { from: observed.length ? Math.min(...observed.map((e) => e.firstSeen)) : 0, to: observed.length ? Math.max(...observed.map((e) => e.lastSeen)) : 0 },
    learningDays: DEFAULT_LEARNING_DAYS,
    graceMs: DEFAULT_GRACE_MS,
    identities: Object.fromEntries(identityRows.map((r) => [r.id, r.identity])),
    edges,
    workloads: Object.fromEntries(workloadRows.map((r) => [r.id, settingsOfRow(r)])),
    dns,
    ...(hostRows.length ? { hosts } : {}),
    ingest: [],
  }
  return { baseline, listeners: listenerRows.map((r) => ({ host: r.host, ip: r.ip, port: Number(r.port), protocol: r.protocol, identityId: r.identity_id })) }
}

const byKey = <T>(key: (t: T) => string) => (a: T, b: T): number => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0)

/**
 * Adds what one ingest learned (a baseline built from that ingest alone) to the stored one:
 * counters added, first/last seen widened, sources and samples merged (at most 3 samples),
 * new edges inserted as `observed` (review states, modes and exceptions are never touched here).
 */
export async function mergeDelta(tx: Store, delta: Baseline, listeners: ListenerFact[], now: Date): Promise<void> {
  const at = now.toISOString()
  const identities = Object.values(delta.identities).sort(byKey((i) => i.id))
  await tx.bulkInsert(
    'flow_identities',
    [
      { name: 'id', type: 'text' },
      { name: 'identity', type: 'jsonb', json: true },
      { name: 'updated_at', type: 'timestamptz' },
    ],
    identities.map((i) => [i.id, JSON.stringify(i), at]),
    { onConflict: 'ON CONFLICT (id) DO UPDATE SET identity = flow_identities.identity || EXCLUDED.identity, updated_at = EXCLUDED.updated_at' },
  )
  const peerKeyOf = (p: Peer): string => (p.kind === 'identity' ? p.id : p.kind === 'fqdn' ? `fqdn:${p.fqdn}` : `cidr:${p.cidr}`)
  const edges = [...delta.edges].sort(byKey((e) => e.key))
  await tx.bulkInsert(
    'flow_edges',
    [
      { name: 'key', type: 'text' },
      { name: 'from_key', type: 'text' },
      { name: 'to_key', type: 'text' },
      { name: 'from_peer', type: 'jsonb', json: true },
      { name: 'to_peer', type: 'jsonb', json: true },
      { name: 'port', type: 'integer' },
      { name: 'protocol', type: 'text' },
      { name: 'state', type: 'text' },
      { name: 'origin', type: 'text' },
      { name: 'declared_by', type: 'text' },
      { name: 'count', type: 'double precision' },
      { name: 'bytes', type: 'double precision' },
      { name: 'packets', type: 'double precision' },
      { name: 'dropped', type: 'double precision' },
      { name: 'first_seen', type: 'double precision' },
      { name: 'last_seen', type: 'double precision' },
      { name: 'sources', type: 'jsonb', json: true },
      { name: 'samples', type: 'jsonb', json: true },
      { name: 'updated_at', type: 'timestamptz' },
    ],
    edges.map((e) => [e.key, peerKeyOf(e.from), peerKeyOf(e.to), JSON.stringify(e.from), JSON.stringify(e.to), e.port, e.protocol, 'observed', e.origin, e.declaredBy ?? null, e.count, e.bytes, e.packets, e.dropped, e.firstSeen, e.lastSeen, JSON.stringify(e.sources), JSON.stringify(e.samples.slice(0, 3)), at]),
    {
      onConflict: `ON CONFLICT (key) DO UPDATE SET
        first_seen = CASE WHEN EXCLUDED.count = 0 THEN flow_edges.first_seen WHEN flow_edges.count = 0 THEN EXCLUDED.first_seen ELSE LEAST(flow_edges.first_seen, EXCLUDED.first_seen) END,
        last_seen = GREATEST(flow_edges.last_seen, EXCLUDED.last_seen),
        count = flow_edges.count + EXCLUDED.count,
        bytes = flow_edges.bytes + EXCLUDED.bytes,
        packets = flow_edges.packets + EXCLUDED.packets,
        dropped = flow_edges.dropped + EXCLUDED.dropped,
        origin = CASE WHEN flow_edges.origin = EXCLUDED.origin THEN flow_edges.origin ELSE 'both' END,
        declared_by = COALESCE(flow_edges.declared_by, EXCLUDED.declared_by),
        sources = (SELECT COALESCE(jsonb_agg(DISTINCT s), '[]'::jsonb) FROM jsonb_array_elements(flow_edges.sources || EXCLUDED.sources) AS t(s)),
        samples = (SELECT COALESCE(jsonb_agg(x ORDER BY i), '[]'::jsonb) FROM jsonb_array_elements(flow_edges.samples || EXCLUDED.samples) WITH ORDINALITY AS t(x, i) WHERE i <= 3),
        updated_at = EXCLUDED.updated_at`,
    },
  )
  const workloads = Object.entries(delta.workloads).sort(([a], [b]) => (a < b ? -1 : 1))
  await tx.bulkInsert(
    'flow_workloads',
    [
      { name: 'id', type: 'text' },
      { name: 'mode', type: 'text' },
      { name: 'first_seen', type: 'double precision' },
      { name: 'last_seen', type: 'double precision' },
    ],
    workloads.map(([id, s]) => [id, s.mode, s.firstSeen ?? null, s.lastSeen ?? null]),
    { onConflict: 'ON CONFLICT (id) DO UPDATE SET first_seen = LEAST(flow_workloads.first_seen, EXCLUDED.first_seen), last_seen = GREATEST(flow_workloads.last_seen, EXCLUDED.last_seen)' },
  )
  const dns = Object.entries(delta.dns).flatMap(([name, ips]) => ips.map((ip) => [name, ip]))
  await tx.bulkInsert('flow_dns', [{ name: 'name', type: 'text' }, { name: 'address', type: 'text' }], dns, { onConflict: 'ON CONFLICT DO NOTHING' })
  const hosts = Object.entries(delta.hosts ?? {}).flatMap(([host, ips]) => ips.map((ip) => [host, ip]))
  await tx.bulkInsert('flow_hosts', [{ name: 'host', type: 'text' }, { name: 'address', type: 'text' }], hosts, { onConflict: 'ON CONFLICT DO NOTHING' })
  const unique = new Map(listeners.map((l) => [`${l.host}|${l.ip}|${l.port}|${l.protocol}`, l]))
  await tx.bulkInsert(
    'flow_listeners',
    [
      { name: 'host', type: 'text' },
      { name: 'ip', type: 'text' },
      { name: 'port', type: 'integer' },
      { name: 'protocol', type: 'text' },
      { name: 'identity_id', type: 'text' },
    ],
    [...unique.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, l]) => [l.host, l.ip, l.port, l.protocol, l.identityId]),
    { onConflict: 'ON CONFLICT (host, ip, port, protocol) DO UPDATE SET identity_id = EXCLUDED.identity_id' },
  )
}
