import type { EdgeAggregator, Flow, FlowEvidence, FlowProtocol, FlowReadContext, FlowReader, IdentityResolver, IngestStats, K8sEndpoint, Peer } from '../../flows/index.js'
import { emitFlow, emptyStats, noteMalformed, normalizeIp } from '../../flows/index.js'
import { numberedLines, MAX_LINE_BYTES } from '../lines.js'
import type { HubbleEndpoint, HubbleFlow } from './schema.js'
import { FLOW_FIELDS, NON_FLOW_RESPONSES, flowSchema, responseSchema } from './schema.js'

/*
 * How Hubble records become observations (each choice is tested in hubble.test.ts):
 *
 * Observation points. Cilium reports one packet several times: leaving the client pod
 * (traffic_direction EGRESS, trace points to-stack / to-overlay / to-proxy, a policy-verdict
 * event), and again arriving at the server pod (INGRESS, to-endpoint, another policy-verdict).
 * All of them make the same edge, so the edge always comes out whatever subset of nodes or
 * event types was captured; but only ONE view is counted per edge: the first view (event kind
 * + observation point + traffic direction + whether it is a reply) seen for an edge becomes
 * its counting view, and records of the same edge from any other view are skipped (counted in
 * `skipped`). "First wins" rather than a fixed preference because a fixed preference (say
 * to-endpoint) loses the count entirely when that point was not captured (one node's output,
 * world-bound traffic that never reaches an endpoint). Forwarded and dropped observations keep
 * separate views, so a drop is counted even when the edge's forwarded packets are counted at
 * another point (a SYN forwarded at the client's node and denied at the server's shows as two
 * observations, one dropped; Cilium's policy-verdict DENIED and drop notification of that one
 * packet count once). The choice lives with the aggregator, so it spans all files of one
 * ingest: with one file per node, the node read first gives the counting view and the other
 * node's records of the same packets are skipped (counts then follow that node's view).
 *
 * Replies. A reply (`is_reply: true`; when `is_reply` is absent: TCP SYN+ACK, ICMP echo reply,
 * else the record whose source port is the lower one, the server's) is folded: `from` becomes
 * the initiator and `port` the server's port. Folded replies are a view of their own, so while
 * the request direction is observed they are skipped (the first record of a connection is its
 * request); they are counted only for an edge whose requests were never seen (capture started
 * mid-connection, a filter kept only replies). The edge comes out once, with the server's port.
 *
 * DNS. An L7 DNS response teaches the name → addresses (`learnDns`), so that later flows to
 * those addresses resolve to the FQDN. L7 records (DNS, HTTP, Kafka) are not counted as flows:
 * the proxy writes them for traffic whose L3/L4 records (to-proxy REDIRECTED, to-endpoint) are
 * in the same stream and already give the edge (`kube-dns:53/udp`); counting both would double
 * it. SOCK records (socket load-balancer translations) are skipped for the same reason; they
 * name a service address, not the backend the packets reach.
 *
 * Verdicts. DROPPED and ERROR count as dropped. AUDIT (policy audit mode: the packet was let
 * through, an enforced policy would have denied it) counts as forwarded: the traffic happened
 * and the workload depends on it, and `dropped` means "dropped by an existing enforcer"; an
 * audit-mode enforcer dropped nothing. REDIRECTED (to the L7 proxy), TRACED and TRANSLATED
 * are forwarded; a missing verdict is unknown.
 *
 * Sizes. Hubble reports no byte counts: bytes 0, packets 1 per counted record (each record is
 * one packet's event).
 *
 * ICMP has no ports: its edges use port 0 (request and reply fold onto one edge; echo replies,
 * type 0 / ICMPv6 129, are replies). Records without IP (ARP, L2 drops) are skipped.
 */

/** Per aggregator (one ingest, all its files): edge key + forwarded/dropped → the view counted. */
const countingViews = new WeakMap<EdgeAggregator, Map<string, string>>()

function viewsOf(aggregator: EdgeAggregator): Map<string, string> {
  let m = countingViews.get(aggregator)
  if (!m) {
    m = new Map()
    countingViews.set(aggregator, m)
  }
  return m
}

const VERDICT_NUMBERS = ['VERDICT_UNKNOWN', 'FORWARDED', 'DROPPED', 'ERROR', 'AUDIT', 'REDIRECTED', 'TRACED', 'TRANSLATED']
const DIRECTION_NUMBERS = ['TRAFFIC_DIRECTION_UNKNOWN', 'INGRESS', 'EGRESS']
const L7_TYPE_NUMBERS = ['UNKNOWN_L7_TYPE', 'REQUEST', 'RESPONSE', 'SAMPLE']
const FLOW_TYPE_NUMBERS = ['UNKNOWN_TYPE', 'L3_L4', 'L7', 'SOCK']
/** Monitor event types (`event_type.type`). */
const EVENT_DROP = 1
const EVENT_POLICY_VERDICT = 5
const EVENT_ACCESS_LOG = 129

/** An enum written by name or number → its name. */
function enumName(v: string | number | null | undefined, names: readonly string[]): string | undefined {
  if (v === null || v === undefined) return undefined
  if (typeof v === 'number') return names[v] ?? String(v)
  return v
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/

/** RFC 3339 → epoch ms, or undefined. */
function parseTime(s: string | null | undefined): number | undefined {
  if (!s || !RFC3339.test(s)) return undefined
  const ms = Date.parse(s)
  return Number.isFinite(ms) ? ms : undefined
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** `10.0.1.17:43122`, `[fd00::1]:443`, or the bare address when there is no port. */
function hostPort(ip: string, port: number | undefined): string {
  if (port === undefined) return ip
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`
}

/** Cilium's reserved numeric identities (pkg/identity/numericidentity.go): stable across clusters. */
const RESERVED_IDENTITIES: Record<number, string> = { 1: 'host', 2: 'world', 3: 'unmanaged', 4: 'health', 5: 'init', 6: 'remote-node', 7: 'kube-apiserver', 8: 'ingress', 9: 'world-ipv4', 10: 'world-ipv6' }

/**
 * An endpoint's labels; an endpoint with none but a reserved numeric identity (older Hubble, or
 * an export that dropped labels) gets its `reserved:` label from the number.
 */
function labelsOf(ep: HubbleEndpoint): string[] {
  if (ep.labels?.length) return ep.labels
  const reserved = typeof ep.identity === 'number' ? RESERVED_IDENTITIES[ep.identity] : undefined
  return reserved ? [`reserved:${reserved}`] : []
}

/** Resolving by address applies to world endpoints and to addresses Cilium has no endpoint for. */
function resolvesByAddress(ep: HubbleEndpoint | null | undefined): boolean {
  if (!ep) return true
  const labels = labelsOf(ep)
  if (labels.some((l) => l === 'reserved:world' || l.startsWith('reserved:world-') || l.startsWith('reserved:world='))) return true
  return !ep.namespace && labels.length === 0
}

/**
 * The peer of one side. World names Cilium's FQDN cache associates with the address are
 * learned first, so that the world peer becomes the FQDN.
 */
function peerOf(resolver: IdentityResolver, ep: HubbleEndpoint | null | undefined, ip: string, names: string[] | null | undefined): { peer: Peer; key: string; resolved: boolean } {
  if (resolvesByAddress(ep)) {
    if (names) for (const n of names) if (n) resolver.learnDns(n, [ip])
    if (!ep) return resolver.address(ip)
  }
  const labels = labelsOf(ep!)
  // the API server on a node carries reserved:host too; the more specific entity names it
  const ordered = labels.includes('reserved:kube-apiserver') ? ['reserved:kube-apiserver', ...labels.filter((l) => l !== 'reserved:kube-apiserver')] : labels
  const k8s: K8sEndpoint = { labels: ordered, ip }
  if (ep!.namespace) k8s.namespace = ep!.namespace
  if (ep!.pod_name) k8s.podName = ep!.pod_name
  if (ep!.workloads?.length) k8s.workloads = ep!.workloads.map((w) => (w.kind ? { name: w.name, kind: w.kind } : { name: w.name }))
  return resolver.k8sEndpoint(k8s)
}

interface L4 {
  protocol: FlowProtocol
  sport?: number
  dport?: number
  syn: boolean
  ack: boolean
  icmpType?: number
}

function layer4(f: HubbleFlow): L4 {
  const l4 = f.l4
  if (l4?.TCP) return { protocol: 'tcp', sport: l4.TCP.source_port ?? 0, dport: l4.TCP.destination_port ?? 0, syn: l4.TCP.flags?.SYN === true, ack: l4.TCP.flags?.ACK === true }
  if (l4?.UDP) return { protocol: 'udp', sport: l4.UDP.source_port ?? 0, dport: l4.UDP.destination_port ?? 0, syn: false, ack: false }
  if (l4?.SCTP) return { protocol: 'sctp', sport: l4.SCTP.source_port ?? 0, dport: l4.SCTP.destination_port ?? 0, syn: false, ack: false }
  if (l4?.ICMPv4) return l4.ICMPv4.type == null ? { protocol: 'icmp', syn: false, ack: false } : { protocol: 'icmp', syn: false, ack: false, icmpType: l4.ICMPv4.type }
  if (l4?.ICMPv6) return l4.ICMPv6.type == null ? { protocol: 'icmpv6', syn: false, ack: false } : { protocol: 'icmpv6', syn: false, ack: false, icmpType: l4.ICMPv6.type }
  return { protocol: 'other', syn: false, ack: false }
}

/** Is this record a reply of the connection (its source is the server)? */
function isReply(f: HubbleFlow, l4: L4): boolean {
  if (typeof f.is_reply === 'boolean') return f.is_reply
  switch (l4.protocol) {
    case 'tcp':
      if (l4.syn) return l4.ack // SYN opens, SYN+ACK answers
      return l4.sport! < l4.dport!
    case 'udp':
    case 'sctp':
      // the server's port is the lower (well-known, registered) one; the client's is ephemeral
      return l4.sport! < l4.dport!
    case 'icmp':
      return l4.icmpType === 0 // echo reply
    case 'icmpv6':
      return l4.icmpType === 129 // echo reply
    default:
      return false
  }
}

/** Outcome of one parsed line. */
type Outcome = 'flow' | 'skipped' | { malformed: string }

/** The path of the first schema issue (`l4.TCP.destination_port`): where, never the value. */
function schemaReason(issues: readonly { path: readonly PropertyKey[] }[], prefix: string): string {
  const path = issues[0]?.path.map(String).join('.')
  return path ? `${prefix}: invalid field ${path}` : prefix
}

/** A parsed JSON value → the flow it holds, a skip, or why it is malformed. */
function flowOf(v: unknown): { flow: HubbleFlow; node?: string; time?: string } | 'skipped' | { malformed: string } {
  if (!isObject(v)) return { malformed: 'not a JSON object' }
  if ('flow' in v) {
    const r = responseSchema.safeParse(v)
    if (!r.success) return { malformed: schemaReason(r.error.issues, 'does not match the Hubble flow schema') }
    if (!r.data.flow) return 'skipped'
    const out: { flow: HubbleFlow; node?: string; time?: string } = { flow: r.data.flow }
    if (r.data.node_name) out.node = r.data.node_name
    if (r.data.time) out.time = r.data.time
    return out
  }
  if (NON_FLOW_RESPONSES.some((k) => isObject(v[k]))) return 'skipped'
  if (!FLOW_FIELDS.some((k) => k in v)) return { malformed: 'not a Hubble flow' }
  const r = flowSchema.safeParse(v)
  if (!r.success) return { malformed: schemaReason(r.error.issues, 'does not match the Hubble flow schema') }
  return { flow: r.data }
}

function observeFlow(ctx: FlowReadContext, views: Map<string, string>, stats: IngestStats, line: number, rec: { flow: HubbleFlow; node?: string; time?: string }): Outcome {
  const f = rec.flow
  const resolver = ctx.resolver
  const time = parseTime(f.time ?? rec.time)
  if (time === undefined) return { malformed: 'no valid RFC 3339 time' }

  // DNS knowledge first: later flows to these addresses resolve to the name
  const l7 = f.l7
  const l7Type = enumName(l7?.type, L7_TYPE_NUMBERS)
  if (l7?.dns && (l7Type === 'RESPONSE' || f.is_reply === true) && !l7.dns.rcode && l7.dns.query && l7.dns.ips?.length) {
    resolver.learnDns(l7.dns.query.replace(/\.$/, ''), l7.dns.ips)
  }
  const type = enumName(f.Type, FLOW_TYPE_NUMBERS)
  if (type === 'L7' || type === 'SOCK' || l7 || f.event_type?.type === EVENT_ACCESS_LOG) return 'skipped'

  const srcIp = f.IP?.source
  const dstIp = f.IP?.destination
  if (!srcIp || !dstIp) return 'skipped' // not IP (ARP, L2)
  if (normalizeIp(srcIp) === undefined || normalizeIp(dstIp) === undefined) return { malformed: 'IP.source or IP.destination is not an IP address' }

  const l4 = layer4(f)
  const reply = isReply(f, l4)
  const hasPorts = l4.sport !== undefined
  const port = hasPorts ? (reply ? l4.sport! : l4.dport!) : 0

  const verdict = enumName(f.verdict, VERDICT_NUMBERS)
  const dropReason = enumName(f.drop_reason_desc, [])
  const eventType = f.event_type?.type
  const dropped = verdict === 'DROPPED' || verdict === 'ERROR' || (verdict === undefined && (eventType === EVENT_DROP || (dropReason !== undefined && dropReason !== 'DROP_REASON_UNKNOWN' && dropReason !== '0')))
  const flowVerdict: Flow['verdict'] = dropped ? 'dropped' : verdict === undefined || verdict === 'VERDICT_UNKNOWN' ? 'unknown' : 'forwarded'

  const src = peerOf(resolver, f.source, srcIp, f.source_names)
  const dst = peerOf(resolver, f.destination, dstIp, f.destination_names)
  const from = reply ? dst : src
  const to = reply ? src : dst

  // the view this record is, and whether it is the edge's counting view
  const direction = enumName(f.traffic_direction, DIRECTION_NUMBERS) ?? 'TRAFFIC_DIRECTION_UNKNOWN'
  const point = f.trace_observation_point === null || f.trace_observation_point === undefined ? undefined : String(f.trace_observation_point)
  let view: string
  if (eventType === EVENT_DROP) view = 'drop'
  else if (eventType === EVENT_POLICY_VERDICT) view = `policy-verdict:${direction}`
  else if (point !== undefined && point !== 'UNKNOWN_POINT' && point !== '0') view = `trace:${point}:${direction}`
  else if (dropped) view = 'drop'
  else view = `${type ?? 'L3_L4'}:${direction}`
  if (reply) view += ':reply'
  const edgeKey = `${from.key}|${to.key}|${port}/${l4.protocol}`
  const viewKey = dropped ? `${edgeKey}#d` : `${edgeKey}#f`
  const counting = views.get(viewKey)
  if (counting === undefined) views.set(viewKey, view)
  else if (counting !== view) return 'skipped'

  if (!from.resolved || !to.resolved) stats.unresolved++
  const observer = f.node_name || rec.node
  const evidence = (): FlowEvidence => {
    const e: FlowEvidence = { source: 'hubble', file: ctx.file, line, addresses: `${hostPort(srcIp, l4.sport)} → ${hostPort(dstIp, l4.dport)}` }
    if (observer) e.observer = observer
    return e
  }
  // Cilium's direction is relative to the connection at the observing endpoint (a reply
  // arriving at the client is EGRESS), which is Flow.direction's sense once replies are folded
  const flowDirection: Flow['direction'] =
    direction === 'INGRESS' ? 'ingress' : direction === 'EGRESS' ? 'egress' : point === 'TO_ENDPOINT' || point === '101' ? (reply ? 'egress' : 'ingress') : 'egress'
  emitFlow(ctx, from, to, port, l4.protocol, flowDirection, 0, 1, flowVerdict, time, time, 'hubble', evidence)
  return 'flow'
}

/**
 * Read `hubble observe -o json` output (one `GetFlowsResponse` or bare flow object per line)
 * into the context's aggregator. A line that is not JSON or not a Hubble flow is counted
 * malformed with its line number; the rest goes on.
 */
export const readHubbleFlows: FlowReader = async (chunks, ctx) => {
  const stats = emptyStats(ctx.file, 'hubble')
  const views = viewsOf(ctx.aggregator)
  for await (const { line, text } of numberedLines(chunks)) {
    if (text === undefined) {
      stats.lines++
      noteMalformed(stats, line, `line longer than ${MAX_LINE_BYTES >> 20} MiB`)
      continue
    }
    if (text.trim() === '') continue
    stats.lines++
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch {
      noteMalformed(stats, line, 'not JSON')
      continue
    }
    const rec = flowOf(json)
    const outcome = rec === 'skipped' || 'malformed' in rec ? rec : observeFlow(ctx, views, stats, line, rec)
    if (outcome === 'skipped') stats.skipped++
    else if (outcome === 'flow') stats.flows++
    else noteMalformed(stats, line, outcome.malformed)
  }
  return stats
}

/** Does this parsed line look like Hubble output? undefined when it cannot tell (a lost-events notice). */
function isHubbleValue(v: unknown): boolean | undefined {
  if (!isObject(v)) return false
  if ('schema' in v) return false
  if (isObject(v['flow'])) {
    const f = v['flow']
    return 'time' in f || FLOW_FIELDS.some((k) => k in f)
  }
  if (NON_FLOW_RESPONSES.some((k) => isObject(v[k])) && Object.keys(v).every((k) => (NON_FLOW_RESPONSES as readonly string[]).includes(k) || k === 'node_name' || k === 'time')) return undefined
  const marker = 'verdict' in v || 'trace_observation_point' in v || 'Type' in v || 'event_type' in v
  const body = 'IP' in v || 'l4' in v || 'source' in v || 'destination' in v || 'ethernet' in v || 'node_name' in v
  return marker && body
}

const TRUNCATED_WRAPPED = /^\{\s*"flow"\s*:\s*\{\s*"/
const TRUNCATED_BARE_MARKER = /"(verdict|trace_observation_point|Type|event_type)"\s*:/
const TRUNCATED_BARE_BODY = /"(IP|l4|source|destination|ethernet|node_name)"\s*:/

/**
 * Is this the head of `hubble observe -o json` output? Judged by the first lines that parse
 * as JSON (a wrapped `{"flow": …}` or a bare flow with a verdict or trace point and addresses or
 * endpoints); a last line cut off by the head's end is judged by its opening.
 */
export function looksLikeHubble(head: string): boolean {
  const text = head.charCodeAt(0) === 0xfeff ? head.slice(1) : head
  const lines = text.split('\n')
  let examined = 0
  for (let i = 0; i < lines.length && examined < 5; i++) {
    const l = lines[i]!.trim()
    if (!l) continue
    examined++
    let v: unknown
    try {
      v = JSON.parse(l)
    } catch {
      if (i === lines.length - 1) return TRUNCATED_WRAPPED.test(l) || (l.startsWith('{') && TRUNCATED_BARE_MARKER.test(l) && TRUNCATED_BARE_BODY.test(l))
      continue
    }
    const verdict = isHubbleValue(v)
    if (verdict !== undefined) return verdict
  }
  return false
}
