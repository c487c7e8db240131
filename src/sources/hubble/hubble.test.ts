import fs from 'node:fs'
import { fileURLToPath } from 'node:url'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { EdgeAggregator, IdentityResolver } from '../../flows/index.js'
import type { Flow, FlowReadContext, IngestStats } from '../../flows/index.js'
import { looksLikeHubble, readHubbleFlows } from './index.js'
import { numberedLines } from '../lines.js'

const FIXTURE = fs.readFileSync(fileURLToPath(new URL('testdata/clinic-hubble.json', import.meta.url)))
const FIXTURE_LINES = FIXTURE.toString('utf8').split('\n')

function parses(line: string): boolean {
  try {
    JSON.parse(line)
    return true
  } catch {
    return false
  }
}

async function* chunked(buf: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size)
}

async function* cutAt(buf: Buffer, cuts: number[]): AsyncGenerator<Buffer> {
  let prev = 0
  for (const c of [...new Set(cuts)].sort((a, b) => a - b)) {
    yield buf.subarray(prev, c)
    prev = c
  }
  yield buf.subarray(prev)
}

function context(file = 'clinic-hubble.json', onFlow?: (f: Flow) => void): FlowReadContext {
  const ctx: FlowReadContext = { resolver: new IdentityResolver(), aggregator: new EdgeAggregator(), file }
  if (onFlow) ctx.onFlow = onFlow
  return ctx
}

async function read(text: string | Buffer, ctx = context(), chunk = 1 << 16): Promise<{ stats: IngestStats; ctx: FlowReadContext }> {
  const buf = typeof text === 'string' ? Buffer.from(text) : text
  const stats = await readHubbleFlows(chunked(buf, chunk), ctx)
  return { stats, ctx }
}

const summary = (ctx: FlowReadContext) => ctx.aggregator.edges().map((e) => ({ key: e.key, count: e.count, dropped: e.dropped }))

const EXPECTED_EDGES = [
  { key: 'k8s:clinic/frontend|entity:kube-apiserver|6443/tcp', count: 2, dropped: 0 },
  { key: 'k8s:clinic/frontend|k8s:clinic/intake-api|0/icmp', count: 1, dropped: 0 },
  { key: 'k8s:clinic/frontend|k8s:clinic/intake-api|8080/tcp', count: 2, dropped: 0 },
  { key: 'k8s:clinic/frontend|k8s:clinic/intake-api|9090/tcp', count: 1, dropped: 0 },
  { key: 'k8s:clinic/frontend|k8s:clinic/patients-db|5432/tcp', count: 2, dropped: 2 },
  { key: 'k8s:clinic/intake-api|fqdn:api.stripe.com|443/tcp', count: 2, dropped: 0 },
  { key: 'k8s:clinic/intake-api|k8s:clinic/patients-db|5432/tcp', count: 2, dropped: 0 },
  { key: 'k8s:clinic/intake-api|k8s:kube-system/kube-dns|53/udp', count: 1, dropped: 0 },
]

const EXPECTED_MALFORMED = [
  { line: 10, reason: 'not JSON' },
  { line: 25, reason: 'does not match the Hubble flow schema: invalid field flow.l4.TCP.destination_port' },
  { line: 26, reason: 'not JSON' },
  { line: 27, reason: 'not a JSON object' },
  { line: 28, reason: 'IP.source or IP.destination is not an IP address' },
  { line: 29, reason: 'no valid RFC 3339 time' },
]

/** One Hubble flow object, as `hubble observe -o json` writes it (inside `{"flow": …}`). */
function hubbleFlow(o: {
  time?: string
  verdict?: string
  src: { ip: string; ns?: string; app?: string; labels?: string[]; owner?: string }
  dst: { ip: string; ns?: string; app?: string; labels?: string[]; owner?: string }
  proto: 'TCP' | 'UDP' | 'SCTP'
  sport: number
  dport: number
  flags?: Record<string, boolean>
  isReply?: boolean
  direction?: string
  point?: string
  eventType?: number
  srcNames?: string[]
  dstNames?: string[]
  node?: string
}): Record<string, unknown> {
  const ep = (e: typeof o.src): Record<string, unknown> => {
    if (e.labels) return { labels: e.labels }
    const out: Record<string, unknown> = { ID: 100, identity: 20000, namespace: e.ns, labels: [`k8s:app=${e.app}`, `k8s:io.kubernetes.pod.namespace=${e.ns}`], pod_name: `${e.app}-7d9f8c6b5-x2x9z` }
    if (e.owner) out['workloads'] = [{ name: e.owner, kind: 'Deployment' }]
    return out
  }
  const l4 = o.proto === 'TCP' ? { TCP: { source_port: o.sport, destination_port: o.dport, flags: o.flags ?? {} } } : { [o.proto]: { source_port: o.sport, destination_port: o.dport } }
  const f: Record<string, unknown> = {
    time: o.time ?? '2025-03-04T10:15:00.000000001Z',
    verdict: o.verdict ?? 'FORWARDED',
    IP: { source: o.src.ip, destination: o.dst.ip, ipVersion: 'IPv4' },
    l4,
    source: ep(o.src),
    destination: ep(o.dst),
    Type: 'L3_L4',
    node_name: o.node ?? 'worker-1',
    event_type: { type: o.eventType ?? 4 },
  }
  if (o.isReply !== undefined) f['is_reply'] = o.isReply
  if (o.direction) f['traffic_direction'] = o.direction
  if (o.point) f['trace_observation_point'] = o.point
  if (o.srcNames) f['source_names'] = o.srcNames
  if (o.dstNames) f['destination_names'] = o.dstNames
  return f
}

const FRONTEND = { ip: '10.0.1.17', ns: 'clinic', app: 'frontend' }
const INTAKE = { ip: '10.0.2.31', ns: 'clinic', app: 'intake-api' }

describe('readHubbleFlows on a clinic cluster', () => {
  it('gives one edge per conversation, with identities, the FQDN and the server ports', async () => {
    const { stats, ctx } = await read(FIXTURE)
    expect(summary(ctx)).toEqual(EXPECTED_EDGES)
    expect(stats).toEqual({ file: 'clinic-hubble.json', format: 'hubble', lines: 37, flows: 13, skipped: 18, malformed: 6, malformedSamples: EXPECTED_MALFORMED, unresolved: 0 })
  })

  it('learns workload identities without the volatile labels, and the DNS answer', async () => {
    const { ctx } = await read(FIXTURE)
    expect(ctx.resolver.identity('k8s:clinic/frontend')).toMatchObject({ kind: 'k8s-workload', name: 'frontend', namespace: 'clinic', labels: { app: 'frontend' } })
    expect(ctx.resolver.identity('k8s:clinic/patients-db')?.labels).toEqual({ app: 'patients-db' })
    expect(ctx.resolver.identity('k8s:kube-system/kube-dns')).toMatchObject({ namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } })
    expect(ctx.resolver.identity('entity:kube-apiserver')?.kind).toBe('k8s-entity')
    expect(ctx.resolver.dns()).toEqual({ 'api.stripe.com': ['54.187.216.72', '54.187.216.73'] })
  })

  it('keeps the first records as evidence: file, line, the addresses as observed, the node', async () => {
    const { ctx } = await read(FIXTURE)
    const edge = ctx.aggregator.edges().find((e) => e.key === 'k8s:clinic/frontend|k8s:clinic/intake-api|8080/tcp')!
    expect(edge.samples).toEqual([
      { source: 'hubble', file: 'clinic-hubble.json', line: 1, addresses: '10.0.1.17:43122 → 10.0.2.31:8080', observer: 'clinic-worker-1' },
      { source: 'hubble', file: 'clinic-hubble.json', line: 6, addresses: '10.0.1.17:43122 → 10.0.2.31:8080', observer: 'clinic-worker-1' },
    ])
    expect(edge.sources).toEqual(['hubble'])
    expect(edge.firstSeen).toBe(Date.parse('2025-03-04T10:15:00.000Z'))
    expect(edge.lastSeen).toBe(Date.parse('2025-03-04T10:15:00.004Z'))
    const ping = ctx.aggregator.edges().find((e) => e.protocol === 'icmp')!
    expect(ping.samples[0]!.addresses).toBe('10.0.1.17 → 10.0.2.31')
  })

  it('reads the same whatever the chunk boundaries (1-byte chunks, random cuts)', async () => {
    const whole = await read(FIXTURE)
    const bytewise = await read(FIXTURE, context(), 1)
    expect(summary(bytewise.ctx)).toEqual(summary(whole.ctx))
    expect(bytewise.stats).toEqual(whole.stats)
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: FIXTURE.length }), { maxLength: 40 }), async (cuts) => {
        const ctx = context()
        const stats = await readHubbleFlows(cutAt(FIXTURE, cuts), ctx)
        expect(summary(ctx)).toEqual(EXPECTED_EDGES)
        expect(stats).toEqual(whole.stats)
      }),
      { numRuns: 60 },
    )
  })

  it('hands each counted record to onFlow, folded, and aggregates the same edges', async () => {
    const flows: Flow[] = []
    const { stats, ctx } = await read(FIXTURE, context('clinic-hubble.json', (f) => flows.push(f)))
    expect(flows).toHaveLength(stats.flows)
    expect(summary(ctx)).toEqual(EXPECTED_EDGES)
    const stripe = flows.filter((f) => f.to.kind === 'fqdn')
    expect(stripe.map((f) => ({ from: f.from, to: f.to, port: f.port, protocol: f.protocol, direction: f.direction, verdict: f.verdict, line: f.evidence.line }))).toEqual([
      { from: { kind: 'identity', id: 'k8s:clinic/intake-api' }, to: { kind: 'fqdn', fqdn: 'api.stripe.com' }, port: 443, protocol: 'tcp', direction: 'egress', verdict: 'forwarded', line: 14 },
      { from: { kind: 'identity', id: 'k8s:clinic/intake-api' }, to: { kind: 'fqdn', fqdn: 'api.stripe.com' }, port: 443, protocol: 'tcp', direction: 'egress', verdict: 'forwarded', line: 16 },
    ])
    const denied = flows.filter((f) => f.verdict === 'dropped')
    expect(denied.map((f) => [f.evidence.line, f.direction])).toEqual([
      [19, 'ingress'],
      [21, 'ingress'],
    ])
    // the AUDIT record was let through: forwarded
    expect(flows.find((f) => f.port === 9090)?.verdict).toBe('forwarded')
  })

  it('counts one view per packet even when each node wrote its own file', async () => {
    const byNode = (node: string) => Buffer.from(FIXTURE_LINES.filter((l) => l.includes(`"node_name":"${node}"`)).join('\n'))
    const ctx = context('worker-1.json')
    await readHubbleFlows(chunked(byNode('clinic-worker-1'), 4096), ctx)
    await readHubbleFlows(chunked(byNode('clinic-worker-2'), 4096), { ...ctx, file: 'worker-2.json' })
    expect(summary(ctx).map((e) => e.key)).toEqual(EXPECTED_EDGES.map((e) => e.key))
    // each edge counts the records of the view seen first: never the same packet twice
    expect(summary(ctx)).toEqual([
      { key: 'k8s:clinic/frontend|entity:kube-apiserver|6443/tcp', count: 2, dropped: 0 },
      { key: 'k8s:clinic/frontend|k8s:clinic/intake-api|0/icmp', count: 1, dropped: 0 }, // the echo reply at worker-1
      { key: 'k8s:clinic/frontend|k8s:clinic/intake-api|8080/tcp', count: 2, dropped: 0 }, // to-overlay at worker-1; worker-2's to-endpoint skipped
      { key: 'k8s:clinic/frontend|k8s:clinic/intake-api|9090/tcp', count: 1, dropped: 0 },
      { key: 'k8s:clinic/frontend|k8s:clinic/patients-db|5432/tcp', count: 2, dropped: 2 },
      { key: 'k8s:clinic/intake-api|fqdn:api.stripe.com|443/tcp', count: 2, dropped: 0 },
      { key: 'k8s:clinic/intake-api|k8s:clinic/patients-db|5432/tcp', count: 1, dropped: 0 }, // worker-1's to-endpoint saw only the SYN
      { key: 'k8s:clinic/intake-api|k8s:kube-system/kube-dns|53/udp', count: 1, dropped: 0 },
    ])
  })
})

describe('readHubbleFlows semantics', () => {
  it('names a world address by the destination_names of the flow, else buckets it', async () => {
    const named = hubbleFlow({ src: INTAKE, dst: { ip: '52.84.10.20', labels: ['reserved:world'] }, proto: 'TCP', sport: 50000, dport: 443, flags: { SYN: true }, isReply: false, dstNames: ['telemetry.vendor.example'] })
    const unnamed = hubbleFlow({ src: INTAKE, dst: { ip: '52.84.99.20', labels: ['reserved:world-ipv4'] }, proto: 'TCP', sport: 50001, dport: 443, flags: { SYN: true }, isReply: false })
    const { stats, ctx } = await read(`${JSON.stringify({ flow: named })}\n${JSON.stringify(unnamed)}\n`)
    expect(summary(ctx).map((e) => e.key)).toEqual(['k8s:clinic/intake-api|cidr:52.84.99.0/24|443/tcp', 'k8s:clinic/intake-api|fqdn:telemetry.vendor.example|443/tcp'])
    expect(ctx.aggregator.edges()[0]!.to).toEqual({ kind: 'cidr', cidr: '52.84.99.0/24', scope: 'public' })
    expect(stats.unresolved).toBe(1)
  })

  it('names an endpoint without labels by its reserved numeric identity (host, world, kube-apiserver)', async () => {
    const probe = hubbleFlow({ src: { ip: '10.0.0.5', labels: [] }, dst: INTAKE, proto: 'TCP', sport: 41000, dport: 8080, flags: { SYN: true }, isReply: false })
    ;(probe['source'] as Record<string, unknown>)['identity'] = 1
    const api = hubbleFlow({ src: INTAKE, dst: { ip: '10.0.12.40', labels: [] }, proto: 'TCP', sport: 50002, dport: 443, flags: { SYN: true }, isReply: false })
    ;(api['destination'] as Record<string, unknown>)['identity'] = 7
    const world = hubbleFlow({ src: INTAKE, dst: { ip: '52.84.7.7', labels: [] }, proto: 'TCP', sport: 50003, dport: 443, flags: { SYN: true }, isReply: false })
    ;(world['destination'] as Record<string, unknown>)['identity'] = 2
    const { ctx } = await read([probe, api, world].map((f) => JSON.stringify({ flow: f })).join('\n') + '\n')
    expect(summary(ctx).map((e) => e.key).sort()).toEqual(['entity:host|k8s:clinic/intake-api|8080/tcp', 'k8s:clinic/intake-api|cidr:52.84.7.0/24|443/tcp', 'k8s:clinic/intake-api|entity:kube-apiserver|443/tcp'])
  })

  it('learns from DNS responses only (not from requests nor NXDOMAIN), without counting them as flows', async () => {
    const dns = (type: string, query: string, ips: string[] | undefined, rcode?: number) => ({
      flow: {
        ...hubbleFlow({ src: { ip: '10.0.1.3', ns: 'kube-system', app: 'kube-dns' }, dst: INTAKE, proto: 'UDP', sport: 53, dport: 40000, isReply: type === 'RESPONSE' }),
        Type: 'L7',
        event_type: { type: 129 },
        l7: { type, dns: { query, ...(ips ? { ips } : {}), ...(rcode !== undefined ? { rcode } : {}), qtypes: ['A'] } },
      },
    })
    // an older Hubble without event_type: Type L7 and the l7 record say it all
    const bare = dns('RESPONSE', 'intake.example.org', ['198.51.100.9']).flow as Record<string, unknown>
    delete bare['event_type']
    const lines = [dns('REQUEST', 'portal.example.org.', undefined), dns('REQUEST', 'spoofed.example.org.', ['198.51.100.66']), dns('RESPONSE', 'portal.example.org.', ['198.51.100.7']), dns('RESPONSE', 'missing.example.org.', ['198.51.100.8'], 3), bare]
    const { stats, ctx } = await read(lines.map((l) => JSON.stringify(l)).join('\n'))
    expect(ctx.resolver.dns()).toEqual({ 'intake.example.org': ['198.51.100.9'], 'portal.example.org': ['198.51.100.7'] })
    expect(ctx.aggregator.size).toBe(0)
    expect(stats).toMatchObject({ lines: 5, flows: 0, skipped: 5, malformed: 0 })
  })

  it('folds a reply seen alone onto the connection: initiator first, server port', async () => {
    const reply = hubbleFlow({ src: INTAKE, dst: FRONTEND, proto: 'TCP', sport: 8080, dport: 43122, flags: { ACK: true, PSH: true }, isReply: true, direction: 'EGRESS', point: 'TO_ENDPOINT' })
    const flows: Flow[] = []
    const { ctx } = await read(JSON.stringify(reply), context('x.json', (f) => flows.push(f)))
    expect(summary(ctx)).toEqual([{ key: 'k8s:clinic/frontend|k8s:clinic/intake-api|8080/tcp', count: 1, dropped: 0 }])
    expect(flows[0]!.direction).toBe('egress')
    expect(flows[0]!.evidence.addresses).toBe('10.0.2.31:8080 → 10.0.1.17:43122')
  })

  it('counts a request and its reply seen at the same point once', async () => {
    // no traffic_direction (an older Hubble): only the reply flag tells the views apart
    const lines = [0, 1].flatMap((i) => [
      hubbleFlow({ src: FRONTEND, dst: INTAKE, proto: 'UDP', sport: 41000 + i, dport: 5353, isReply: false, point: 'TO_ENDPOINT', node: 'worker-2' }),
      hubbleFlow({ src: INTAKE, dst: FRONTEND, proto: 'UDP', sport: 5353, dport: 41000 + i, isReply: true, point: 'TO_ENDPOINT', node: 'worker-1' }),
    ])
    const { stats, ctx } = await read(lines.map((l) => JSON.stringify(l)).join('\n'))
    expect(summary(ctx)).toEqual([{ key: 'k8s:clinic/frontend|k8s:clinic/intake-api|5353/udp', count: 2, dropped: 0 }])
    expect(stats).toMatchObject({ flows: 2, skipped: 2 })
  })

  it('counts a packet forwarded at the client’s node and denied at the server’s as one forwarded and one dropped', async () => {
    const syn = { src: FRONTEND, dst: { ip: '10.0.1.45', ns: 'clinic', app: 'patients-db' }, proto: 'TCP' as const, sport: 51122, dport: 5432, flags: { SYN: true } }
    const lines = [
      hubbleFlow({ ...syn, isReply: false, direction: 'EGRESS', point: 'TO_OVERLAY', node: 'worker-1' }),
      hubbleFlow({ ...syn, verdict: 'DROPPED', direction: 'INGRESS', eventType: 5, node: 'worker-2' }),
      hubbleFlow({ ...syn, verdict: 'DROPPED', direction: 'INGRESS', eventType: 1, node: 'worker-2' }),
    ]
    const { ctx } = await read(lines.map((l) => JSON.stringify(l)).join('\n'))
    expect(summary(ctx)).toEqual([{ key: 'k8s:clinic/frontend|k8s:clinic/patients-db|5432/tcp', count: 2, dropped: 1 }])
  })

  it('without is_reply, uses SYN/ACK and then the lower port as the server', async () => {
    const lines = [
      hubbleFlow({ src: INTAKE, dst: FRONTEND, proto: 'TCP', sport: 8080, dport: 43122, flags: { SYN: true, ACK: true }, point: 'TO_ENDPOINT' }),
      hubbleFlow({ src: FRONTEND, dst: INTAKE, proto: 'TCP', sport: 43122, dport: 8080, flags: { SYN: true }, point: 'TO_OVERLAY' }),
      hubbleFlow({ src: { ip: '10.0.1.3', ns: 'kube-system', app: 'kube-dns' }, dst: INTAKE, proto: 'UDP', sport: 53, dport: 41844, point: 'TO_ENDPOINT' }),
      hubbleFlow({ src: INTAKE, dst: { ip: '10.0.3.9', ns: 'clinic', app: 'hl7-gw' }, proto: 'SCTP', sport: 36412, dport: 2905, point: 'TO_ENDPOINT' }),
      // a SYN from the lower port is still the opener
      hubbleFlow({ src: { ip: '10.0.3.9', ns: 'clinic', app: 'hl7-gw' }, dst: INTAKE, proto: 'TCP', sport: 1023, dport: 2575, flags: { SYN: true }, point: 'TO_ENDPOINT' }),
    ]
    const { ctx } = await read(lines.map((l) => JSON.stringify(l)).join('\n'))
    expect(summary(ctx).map((e) => e.key)).toEqual([
      'k8s:clinic/frontend|k8s:clinic/intake-api|8080/tcp',
      'k8s:clinic/hl7-gw|k8s:clinic/intake-api|2575/tcp',
      'k8s:clinic/intake-api|k8s:clinic/hl7-gw|2905/sctp',
      'k8s:clinic/intake-api|k8s:kube-system/kube-dns|53/udp',
    ])
  })

  it('counts DROPPED and ERROR as dropped, AUDIT and REDIRECTED as forwarded, a missing verdict as unknown', async () => {
    const verdicts = ['DROPPED', 'ERROR', 'AUDIT', 'REDIRECTED', 'FORWARDED', undefined]
    const flows: Flow[] = []
    const lines = verdicts.map((v, i) => {
      const f = hubbleFlow({ src: FRONTEND, dst: INTAKE, proto: 'TCP', sport: 40000 + i, dport: 8000 + i, flags: { SYN: true }, isReply: false, point: 'TO_ENDPOINT' })
      if (v === undefined) delete f['verdict']
      else f['verdict'] = v
      return JSON.stringify(f)
    })
    const { ctx } = await read(lines.join('\n'), context('v.json', (f) => flows.push(f)))
    expect(flows.map((f) => [f.port, f.verdict])).toEqual([
      [8000, 'dropped'],
      [8001, 'dropped'],
      [8002, 'forwarded'],
      [8003, 'forwarded'],
      [8004, 'forwarded'],
      [8005, 'unknown'],
    ])
    expect(ctx.aggregator.edges().map((e) => e.dropped)).toEqual([1, 1, 0, 0, 0, 0])
  })

  it('skips records without IP and non-flow responses, and keeps reading after bad lines', async () => {
    const text = [
      '{"node_status":{"state_change":"NODE_CONNECTED","node_names":["worker-1"]},"time":"2025-03-04T10:15:00Z"}',
      '{"flow":null}',
      JSON.stringify({ time: '2025-03-04T10:15:00Z', verdict: 'DROPPED', ethernet: { source: 'aa:bb:cc:dd:ee:ff', destination: 'ff:ff:ff:ff:ff:ff' }, drop_reason_desc: 'UNSUPPORTED_L3_PROTOCOL', event_type: { type: 1 } }),
      '{"flow": {"time": "2025-03-04T10:15:00Z", "IP": {"source": 10}}}',
      '{"hello": "world"}',
      '"just a string"',
      '',
      '   ',
      JSON.stringify({ flow: hubbleFlow({ src: FRONTEND, dst: INTAKE, proto: 'TCP', sport: 40000, dport: 8080, isReply: false }) }),
    ].join('\r\n')
    const { stats, ctx } = await read(text)
    expect(stats).toMatchObject({
      lines: 7,
      flows: 1,
      skipped: 3,
      malformed: 3,
      malformedSamples: [
        { line: 4, reason: 'does not match the Hubble flow schema: invalid field flow.IP.source' },
        { line: 5, reason: 'not a Hubble flow' },
        { line: 6, reason: 'not a JSON object' },
      ],
    })
    expect(ctx.aggregator.size).toBe(1)
  })

  it('reports an overlong line as malformed without holding it', async () => {
    const lines: { line: number; text: string | undefined }[] = []
    for await (const l of numberedLines(chunked(Buffer.from(`short\n${'x'.repeat(100)}\n\ufefflast`), 7), 50)) lines.push(l)
    expect(lines).toEqual([
      { line: 1, text: 'short' },
      { line: 2, text: undefined },
      { line: 3, text: '\ufefflast' },
    ])
  })

  it('never throws on arbitrary lines, and every non-blank line is a flow, a skip or malformed', async () => {
    const mutated = fc
      .tuple(fc.constantFrom(...FIXTURE_LINES.filter((l) => l.startsWith('{"flow"') && parses(l))), fc.array(fc.tuple(fc.constantFrom('time', 'verdict', 'IP', 'l4', 'source', 'destination', 'is_reply', 'l7', 'Type', 'event_type', 'traffic_direction', 'source_names'), fc.jsonValue()), { maxLength: 3 }))
      .map(([line, edits]) => {
        const v = JSON.parse(line) as { flow: Record<string, unknown> }
        for (const [k, value] of edits) v.flow[k] = value
        return JSON.stringify(v)
      })
    const anyLine = fc.oneof(fc.json(), fc.string(), mutated, fc.jsonValue().map((v) => JSON.stringify({ flow: v })))
    await fc.assert(
      fc.asyncProperty(fc.array(anyLine, { maxLength: 12 }), async (lines) => {
        const oneLine = lines.map((l) => l.replace(/[\r\n]/g, ' '))
        const { stats } = await read(oneLine.join('\n'))
        expect(stats.lines).toBe(oneLine.filter((l) => l.trim() !== '').length)
        expect(stats.flows + stats.skipped + stats.malformed).toBe(stats.lines)
      }),
      { numRuns: 300 },
    )
  })

  it('turns any valid flow, wrapped or bare, into the edge from the initiator to the server port', async () => {
    const dnsName = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}[a-z0-9]$/)
    const ip = fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 1, max: 254 })).map(([a, b, c]) => `10.${a}.${b}.${c}`)
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          ns: dnsName,
          client: dnsName,
          server: dnsName,
          clientIp: ip,
          serverIp: ip,
          clientPort: fc.integer({ min: 32768, max: 60999 }),
          serverPort: fc.integer({ min: 1, max: 32767 }),
          proto: fc.constantFrom('TCP' as const, 'UDP' as const, 'SCTP' as const),
          replyPacket: fc.boolean(),
          marked: fc.boolean(),
          syn: fc.boolean(),
          owner: fc.boolean(),
          wrapped: fc.boolean(),
          direction: fc.constantFrom('EGRESS', 'INGRESS', undefined),
          point: fc.constantFrom('TO_ENDPOINT', 'TO_STACK', 'TO_OVERLAY', 'TO_PROXY', undefined),
          verdict: fc.constantFrom('FORWARDED', 'DROPPED', 'AUDIT', 'REDIRECTED', 'ERROR', 'TRANSLATED'),
          time: fc.integer({ min: Date.parse('2020-01-01T00:00:00Z'), max: Date.parse('2030-01-01T00:00:00Z') }),
        }),
        async (r) => {
          const client = { ip: r.clientIp, ns: r.ns, app: r.client, ...(r.owner ? { owner: r.client } : {}) }
          const server = { ip: r.serverIp, ns: r.ns, app: r.server, ...(r.owner ? { owner: r.server } : {}) }
          const [src, dst, sport, dport] = r.replyPacket ? [server, client, r.serverPort, r.clientPort] : [client, server, r.clientPort, r.serverPort]
          const flags: Record<string, boolean> = r.syn ? (r.replyPacket ? { SYN: true, ACK: true } : { SYN: true }) : { ACK: true }
          const f = hubbleFlow({ time: new Date(r.time).toISOString(), verdict: r.verdict, src, dst, proto: r.proto, sport, dport, flags, ...(r.marked ? { isReply: r.replyPacket } : {}), ...(r.direction ? { direction: r.direction } : {}), ...(r.point ? { point: r.point } : {}) })
          const { stats, ctx } = await read(JSON.stringify(r.wrapped ? { flow: f, node_name: 'worker-1', time: f['time'] } : f))
          const dropped = r.verdict === 'DROPPED' || r.verdict === 'ERROR'
          expect(stats).toMatchObject({ lines: 1, flows: 1, skipped: 0, malformed: 0 })
          const edges = ctx.aggregator.edges()
          expect(edges.map((e) => ({ key: e.key, count: e.count, dropped: e.dropped, firstSeen: e.firstSeen }))).toEqual([
            { key: `k8s:${r.ns}/${r.client}|k8s:${r.ns}/${r.server}|${r.serverPort}/${r.proto.toLowerCase()}`, count: 1, dropped: dropped ? 1 : 0, firstSeen: r.time },
          ])
        },
      ),
      { numRuns: 300 },
    )
  })
})

describe('looksLikeHubble', () => {
  it('recognises wrapped and bare flows, also when the head cuts a line', () => {
    const head = FIXTURE.subarray(0, 8192).toString('utf8')
    expect(looksLikeHubble(head)).toBe(true)
    expect(looksLikeHubble(FIXTURE.subarray(0, 120).toString('utf8'))).toBe(true)
    expect(looksLikeHubble(FIXTURE_LINES[29]!)).toBe(true)
    expect(looksLikeHubble(FIXTURE_LINES[29]!.slice(0, 300))).toBe(true)
    expect(looksLikeHubble(`\ufeff${FIXTURE_LINES[0]}\n`)).toBe(true)
    // a lost-events notice first, flows after
    expect(looksLikeHubble(`${FIXTURE_LINES[23]}\n${FIXTURE_LINES[0]}\n`)).toBe(true)
  })

  it('rejects agent NDJSON, VPC flow logs and other JSON', () => {
    expect(looksLikeHubble('{"schema":"phiwall.agent/v1","kind":"connection","host":"vm-1","hostAddresses":["10.0.0.1"],"protocol":"tcp","source":"procfs"}\n')).toBe(false)
    expect(looksLikeHubble('version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n2 123456789012 eni-0a1b2c3d 10.0.1.17 10.0.2.9 43122 5432 6 10 840 1620000000 1620000060 ACCEPT OK\n')).toBe(false)
    expect(looksLikeHubble('{"apiVersion":"v1","kind":"Pod","metadata":{"name":"x"}}\n')).toBe(false)
    expect(looksLikeHubble('{"source":"a","destination":"b"}\n')).toBe(false)
    expect(looksLikeHubble('[{"flow":{}}]\n')).toBe(false)
    expect(looksLikeHubble('')).toBe(false)
    expect(looksLikeHubble('{"lost_events":{"num_events_lost":"3"}}\n')).toBe(false)
  })
})
