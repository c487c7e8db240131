import type { AgentRecord, Flow, FlowEvidence, FlowReadContext, FlowReader, IdentityResolver, IngestStats, Peer } from '../../flows/index.js'
import { emitFlow, emptyStats, hostIdentity, noteMalformed, normalizeIp, processIdentity } from '../../flows/index.js'
import { MAX_LINE_BYTES, numberedLines } from '../lines.js'
import { agentRecordSchema } from './schema.js'

/*
 * How agent records become observations (each choice is tested in agent-flows.test.ts):
 *
 * Two passes. Pass 1 (`scanAgentHosts`, over every agent file) learns each host's addresses
 * and which process listens where; pass 2 (`readAgentRecords`, over every file again) turns
 * connections into flows. So `java` on vm-1 connecting to 10.20.0.12:2575 resolves to the
 * `mirth` process listening there on vm-2 whatever order the files come in.
 *
 * Loopback is host-local. The resolver's listener table is keyed by address and port only, so
 * 127.0.0.1:6379 on two hosts would collide there; loopback listeners are therefore kept here,
 * keyed by host, address family, port and protocol, per resolver (one ingest), and never given
 * to the resolver. A connection to a loopback address resolves to the listener on the same host,
 * else to the host itself (`host:<name>`), never to another host's process. A wildcard listener
 * (0.0.0.0: the host's IPv4 addresses; `::`: all of them, Linux being dual-stack by default)
 * also serves loopback.
 *
 * Inbound records. A connection between two agent hosts is reported twice: outbound by the
 * client's agent, which names the client process, and inbound by the server's, which only
 * knows the client's address (a host identity). Counting both would add a duplicate edge from
 * the client *host*, so an inbound record whose remote address is an agent host's (or loopback:
 * the same host's outbound record names the client) is skipped and counted in `skipped`. Inbound
 * records from elsewhere (a load balancer, a workstation) are kept: the remote address is all
 * anyone knows of that client. (A connection the client's agent missed, say too short-lived for
 * its procfs poll, is then not seen at all; the next sighting brings it.)
 *
 * Counts. One record is one observation, whatever its `count` of sightings: a long-lived
 * connection polled every few seconds is one conversation, not hundreds, and the record's
 * firstSeen / lastSeen carry how long it lasted. The agent counts no bytes or packets (0), and
 * a socket it saw open carried traffic: verdict `forwarded`.
 */

interface AgentState {
  /** Host → the addresses already given to the resolver. */
  hosts: Map<string, Set<string>>
  /** `host|family|port|protocol` → the identity listening on loopback there. */
  loopback: Map<string, string>
  /** Process identities already registered. */
  registered: Set<string>
}

/** Per resolver (one ingest): pass 1 fills it, pass 2 reads it. */
const states = new WeakMap<IdentityResolver, AgentState>()

function stateOf(resolver: IdentityResolver): AgentState {
  let s = states.get(resolver)
  if (!s) {
    s = { hosts: new Map(), loopback: new Map(), registered: new Set() }
    states.set(resolver, s)
  }
  return s
}

const isLoopback = (n: string): boolean => n.startsWith('127.') || n === '::1'
const familyOf = (n: string): 4 | 6 => (n.includes(':') ? 6 : 4)
const loopbackKey = (host: string, family: 4 | 6, port: number, protocol: string): string => `${host}|${family}|${port}|${protocol}`

/** `10.20.0.11:51234`, `[fe80::1]:443`. */
function hostPort(e: { ip: string; port: number }): string {
  return e.ip.includes(':') ? `[${e.ip}]:${e.port}` : `${e.ip}:${e.port}`
}

/**
 * A host's own addresses, normalised; loopback and unspecified addresses are dropped should an
 * agent report them, since every host has them and they would name one host for all.
 */
function ownAddresses(r: AgentRecord): string[] {
  const out: string[] = []
  for (const a of r.hostAddresses) {
    const n = normalizeIp(a)!
    if (!isLoopback(n) && n !== '0.0.0.0' && n !== '::') out.push(n)
  }
  return out
}

/** Give the resolver a host's addresses once (and again only when new ones appear). */
function noteHost(resolver: IdentityResolver, state: AgentState, r: AgentRecord): void {
  const known = state.hosts.get(r.host)
  if (known && r.hostAddresses.every((a) => known.has(a))) return
  resolver.addHost(r.host, ownAddresses(r))
  const set = known ?? new Set<string>()
  for (const a of r.hostAddresses) set.add(a)
  state.hosts.set(r.host, set)
}

/** The process's identity, registered with the resolver on first use. */
function processPeer(resolver: IdentityResolver, state: AgentState, host: string, p: NonNullable<AgentRecord['process']>): { peer: Peer; key: string } {
  const identity = processIdentity(host, p)
  if (!state.registered.has(identity.id)) {
    resolver.register(identity)
    state.registered.add(identity.id)
  }
  return { peer: { kind: 'identity', id: identity.id }, key: identity.id }
}

function identityPeer(id: string): { peer: Peer; key: string; resolved: true } {
  return { peer: { kind: 'identity', id }, key: id, resolved: true }
}

/** Parse one line: the record, or why it is malformed (where, never the content). */
function parseRecord(text: string): AgentRecord | { malformed: string } {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return { malformed: 'not JSON' }
  }
  const r = agentRecordSchema.safeParse(json)
  if (r.success) return r.data
  const path = r.error.issues[0]?.path.map(String).join('.')
  return { malformed: path ? `does not match the agent record schema: invalid field ${path}` : 'does not match the agent record schema' }
}

/** The non-blank lines of a file, parsed; a line too long to hold is reported as such. */
async function* records(chunks: AsyncIterable<Buffer>): AsyncGenerator<{ line: number; record: AgentRecord | { malformed: string } }> {
  for await (const { line, text } of numberedLines(chunks)) {
    if (text === undefined) {
      yield { line, record: { malformed: `line longer than ${MAX_LINE_BYTES >> 20} MiB` } }
      continue
    }
    if (text.trim() === '') continue
    yield { line, record: parseRecord(text) }
  }
}

/**
 * Pass 1, over every agent file before pass 2: each record's host and addresses, and each
 * listening process (`listen` records with a process), so that connections from any host
 * resolve to it. Malformed lines are ignored here; pass 2 reports them.
 */
export async function scanAgentHosts(chunks: AsyncIterable<Buffer>, ctx: FlowReadContext): Promise<void> {
  const resolver = ctx.resolver
  const state = stateOf(resolver)
  for await (const { record: r } of records(chunks)) {
    if ('malformed' in r) continue
    noteHost(resolver, state, r)
    if (r.kind !== 'listen' || !r.process) continue
    const { key: id } = processPeer(resolver, state, r.host, r.process)
    const local = normalizeIp(r.local.ip)!
    const addresses = ownAddresses(r)
    let ips: string[]
    let loopbackFamilies: (4 | 6)[]
    if (local === '0.0.0.0') {
      ips = addresses.filter((a) => familyOf(a) === 4)
      loopbackFamilies = [4]
    } else if (local === '::') {
      ips = addresses
      loopbackFamilies = [4, 6]
    } else if (isLoopback(local)) {
      ips = []
      loopbackFamilies = [familyOf(local)]
    } else {
      ips = [local]
      loopbackFamilies = []
    }
    resolver.addListener(ips, r.local.port, r.protocol, id)
    for (const family of loopbackFamilies) state.loopback.set(loopbackKey(r.host, family, r.local.port, r.protocol), id)
  }
}

function observeConnection(ctx: FlowReadContext, state: AgentState, stats: IngestStats, line: number, r: AgentRecord): 'flow' | 'skipped' {
  const resolver = ctx.resolver
  const remote = r.remote!
  const remoteIp = normalizeIp(remote.ip)!
  let from: { peer: Peer; key: string; resolved: boolean }
  let to: { peer: Peer; key: string; resolved: boolean }
  let port: number
  if (r.direction === 'outbound') {
    from = r.process ? { ...processPeer(resolver, state, r.host, r.process), resolved: true } : identityPeer(hostIdentity(r.host).id)
    if (isLoopback(remoteIp)) {
      to = identityPeer(state.loopback.get(loopbackKey(r.host, familyOf(remoteIp), remote.port, r.protocol)) ?? hostIdentity(r.host).id)
    } else {
      const listener = resolver.listenerAt(remoteIp, remote.port, r.protocol)
      to = listener ? identityPeer(listener) : resolver.address(remoteIp)
    }
    port = remote.port
  } else {
    // the client's own agent reports this connection, naming the client process
    if (isLoopback(remoteIp) || resolver.isAgentHost(remoteIp)) return 'skipped'
    if (r.process) to = { ...processPeer(resolver, state, r.host, r.process), resolved: true }
    else to = identityPeer(resolver.listenerAt(r.local.ip, r.local.port, r.protocol) ?? hostIdentity(r.host).id)
    from = resolver.address(remoteIp)
    port = r.local.port
  }
  if (!from.resolved || !to.resolved) stats.unresolved++
  const firstSeen = Math.min(r.firstSeen, r.lastSeen)
  const lastSeen = Math.max(r.firstSeen, r.lastSeen)
  const evidence = (): FlowEvidence => ({ source: 'agent', file: ctx.file, line, addresses: `${hostPort(r.local)} → ${hostPort(remote)}`, observer: r.host })
  emitFlow(ctx, from, to, port, r.protocol, r.direction === 'outbound' ? 'egress' : 'ingress', 0, 0, 'forwarded', firstSeen, lastSeen, 'agent', evidence)
  return 'flow'
}

/**
 * Pass 2: connection records → flows (listen records are pass 1's and skipped here). Run it
 * after `scanAgentHosts` has seen every agent file of the ingest. A malformed line is counted
 * with its line number; the rest goes on.
 */
export const readAgentRecords: FlowReader = async (chunks, ctx) => {
  const stats = emptyStats(ctx.file, 'agent')
  const state = stateOf(ctx.resolver)
  for await (const { line, record: r } of records(chunks)) {
    stats.lines++
    if ('malformed' in r) {
      noteMalformed(stats, line, r.malformed)
      continue
    }
    noteHost(ctx.resolver, state, r)
    if (r.kind !== 'connection') {
      stats.skipped++
      continue
    }
    if (observeConnection(ctx, state, stats, line, r) === 'flow') stats.flows++
    else stats.skipped++
  }
  return stats
}

const TRUNCATED_AGENT = /^\{.*"schema"\s*:\s*"phiwall\.agent\/v1"/

/**
 * Is this the head of a PhiWall agent NDJSON file? The first line that parses as JSON decides
 * (`"schema": "phiwall.agent/v1"`); a last line cut off by the head's end is judged by its text.
 */
export function looksLikeAgentNdjson(head: string): boolean {
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
      if (i === lines.length - 1) return TRUNCATED_AGENT.test(l)
      continue
    }
    return typeof v === 'object' && v !== null && !Array.isArray(v) && (v as Record<string, unknown>)['schema'] === 'phiwall.agent/v1'
  }
  return false
}
