import { createHash } from 'node:crypto'
import fs from 'node:fs'
import { fileURLToPath } from 'node:url'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { EdgeAggregator, IdentityResolver } from '../../flows/index.js'
import type { AgentRecord, Flow, FlowReadContext, IngestStats } from '../../flows/index.js'
import { looksLikeAgentNdjson, readAgentRecords, scanAgentHosts } from './index.js'

const fixture = (name: string): Buffer => fs.readFileSync(fileURLToPath(new URL(`testdata/${name}`, import.meta.url)))
const VM1 = fixture('hl7-vm-1.ndjson')
const VM2 = fixture('hl7-vm-2.ndjson')

async function* chunked(buf: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size)
}

const sha = (s: string): string => createHash('sha256').update(s).digest('hex')
const JAVA = `host:hl7-vm-1:proc:${sha('openjdk-17.0.10+7 /usr/lib/jvm/java-17-openjdk-amd64/bin/java').slice(0, 16)}:/usr/bin/java:uid=1001`
const REDIS = `host:hl7-vm-1:proc:${sha('redis-server 7.0.15').slice(0, 16)}:/usr/bin/redis-server:uid=999`
const MIRTH = `host:hl7-vm-2:proc:${sha('mirth connect 4.5.0').slice(0, 16)}:/opt/mirth/mirth:uid=1002`

const EXPECTED_EDGES = [
  { key: `cidr:10.20.5.77/32|${JAVA}|8443/tcp`, count: 1 },
  { key: 'host:hl7-vm-1|cidr:169.254.169.123/32|123/udp', count: 1 },
  { key: `${JAVA}|${MIRTH}|2575/tcp`, count: 2 },
  { key: `${JAVA}|${REDIS}|6379/tcp`, count: 1 },
  { key: `${MIRTH}|cidr:52.94.0.0/24|443/tcp`, count: 1 },
  { key: `${MIRTH}|host:hl7-vm-2|6379/tcp`, count: 1 },
].sort((a, b) => (a.key < b.key ? -1 : 1))

function context(resolver = new IdentityResolver(), onFlow?: (f: Flow) => void): FlowReadContext {
  const ctx: FlowReadContext = { resolver, aggregator: new EdgeAggregator(), file: '' }
  if (onFlow) ctx.onFlow = onFlow
  return ctx
}

/** What the caller does: pass 1 over every file, then pass 2 over every file. */
async function ingest(files: [string, Buffer][], ctx = context(), chunk = 1 << 16): Promise<{ stats: IngestStats[]; ctx: FlowReadContext }> {
  for (const [file, buf] of files) await scanAgentHosts(chunked(buf, chunk), { ...ctx, file })
  const stats: IngestStats[] = []
  for (const [file, buf] of files) stats.push(await readAgentRecords(chunked(buf, chunk), { ...ctx, file }))
  return { stats, ctx }
}

const summary = (ctx: FlowReadContext) => ctx.aggregator.edges().map((e) => ({ key: e.key, count: e.count }))

const STATS_VM1: IngestStats = {
  file: 'hl7-vm-1.ndjson',
  format: 'agent',
  lines: 12,
  flows: 5,
  skipped: 3,
  malformed: 4,
  malformedSamples: [
    { line: 8, reason: 'not JSON' },
    { line: 9, reason: 'does not match the agent record schema: invalid field schema' },
    { line: 10, reason: 'does not match the agent record schema: invalid field remote' },
    { line: 11, reason: 'does not match the agent record schema: invalid field local.port' },
  ],
  unresolved: 2,
}
const STATS_VM2: IngestStats = {
  file: 'hl7-vm-2.ndjson',
  format: 'agent',
  lines: 6,
  flows: 2,
  skipped: 3,
  malformed: 1,
  malformedSamples: [{ line: 6, reason: 'does not match the agent record schema: invalid field local.ip' }],
  unresolved: 1,
}

function record(o: Partial<AgentRecord> & Pick<AgentRecord, 'host' | 'hostAddresses' | 'local'>): string {
  const r: AgentRecord = { schema: 'phiwall.agent/v1', kind: 'connection', protocol: 'tcp', source: 'procfs', firstSeen: 1741083300000, lastSeen: 1741083300000, count: 1, ...o }
  return JSON.stringify(r)
}
const proc = (exePath: string, uid: number, pid = 100): NonNullable<AgentRecord['process']> => ({ pid, exePath, exeSha256: sha(exePath), uid })

describe('agent NDJSON, two hosts', () => {
  it('joins a connection to the process listening on the other host, in either file order', async () => {
    const forward = await ingest([
      ['hl7-vm-1.ndjson', VM1],
      ['hl7-vm-2.ndjson', VM2],
    ])
    const backward = await ingest([
      ['hl7-vm-2.ndjson', VM2],
      ['hl7-vm-1.ndjson', VM1],
    ])
    expect(summary(forward.ctx)).toEqual(EXPECTED_EDGES)
    expect(summary(backward.ctx)).toEqual(EXPECTED_EDGES)
    expect(forward.stats).toEqual([STATS_VM1, STATS_VM2])
    expect(backward.stats).toEqual([STATS_VM2, STATS_VM1])
  })

  it('needs pass 1 over the other host to name its process', async () => {
    const ctx = context()
    await scanAgentHosts(chunked(VM1, 4096), { ...ctx, file: 'hl7-vm-1.ndjson' })
    await readAgentRecords(chunked(VM1, 4096), { ...ctx, file: 'hl7-vm-1.ndjson' })
    expect(summary(ctx).map((e) => e.key)).toContain(`${JAVA}|cidr:10.20.0.12/32|2575/tcp`)
  })

  it('registers process identities with what the agent saw', async () => {
    const { ctx } = await ingest([
      ['hl7-vm-1.ndjson', VM1],
      ['hl7-vm-2.ndjson', VM2],
    ])
    expect(ctx.resolver.identity(JAVA)).toEqual({
      id: JAVA,
      kind: 'process',
      name: 'java',
      process: { host: 'hl7-vm-1', exePath: '/usr/bin/java', exeSha256: sha('openjdk-17.0.10+7 /usr/lib/jvm/java-17-openjdk-amd64/bin/java'), uid: 1001, user: 'hl7', cgroup: '/system.slice/hl7-router.service' },
    })
    expect(ctx.resolver.identity(MIRTH)?.process?.uid).toBe(1002)
    expect(ctx.resolver.hosts()).toEqual({ 'hl7-vm-1': ['10.20.0.11', 'fe80::4a2:1fff:fe3b:9c01'], 'hl7-vm-2': ['10.20.0.12', 'fe80::4a2:1fff:fe3b:9c02'] })
  })

  it('keeps loopback host-local: never another host’s listener, never the resolver’s table', async () => {
    const { ctx } = await ingest([
      ['hl7-vm-1.ndjson', VM1],
      ['hl7-vm-2.ndjson', VM2],
    ])
    const to6379 = ctx.aggregator.edges().filter((e) => e.port === 6379)
    expect(to6379.map((e) => e.key)).toEqual([`${JAVA}|${REDIS}|6379/tcp`, `${MIRTH}|host:hl7-vm-2|6379/tcp`])
    expect(ctx.resolver.listenerAt('127.0.0.1', 6379, 'tcp')).toBeUndefined()
    // the wildcard listeners are on each host's own addresses
    expect(ctx.resolver.listenerAt('10.20.0.12', 2575, 'tcp')).toBe(MIRTH)
    expect(ctx.resolver.listenerAt('10.20.0.11', 8443, 'tcp')).toBe(JAVA)
  })

  it('resolves the same loopback port to each host’s own process, and wildcard listeners serve loopback', async () => {
    const h1 = { host: 'a', hostAddresses: ['10.1.0.1', 'fd00::1'] }
    const h2 = { host: 'b', hostAddresses: ['10.1.0.2'] }
    const lines = [
      record({ ...h1, kind: 'listen', local: { ip: '127.0.0.1', port: 6379 }, process: proc('/usr/bin/redis-server', 999) }),
      record({ ...h2, kind: 'listen', local: { ip: '127.0.0.1', port: 6379 }, process: proc('/usr/local/bin/redis-server', 998) }),
      record({ ...h1, kind: 'listen', local: { ip: '::', port: 9000 }, process: proc('/usr/bin/api', 1000) }),
      record({ ...h1, direction: 'outbound', local: { ip: '127.0.0.1', port: 40000 }, remote: { ip: '127.0.0.1', port: 6379 }, process: proc('/usr/bin/worker', 1000) }),
      record({ ...h2, direction: 'outbound', local: { ip: '127.0.0.1', port: 40001 }, remote: { ip: '127.0.0.1', port: 6379 }, process: proc('/usr/bin/worker', 1000) }),
      record({ ...h1, direction: 'outbound', local: { ip: '::1', port: 40002 }, remote: { ip: '::1', port: 9000 }, process: proc('/usr/bin/worker', 1000) }),
      record({ ...h2, direction: 'outbound', local: { ip: '10.1.0.2', port: 40003 }, remote: { ip: 'fd00::1', port: 9000 }, process: proc('/usr/bin/worker', 1000) }),
      record({ ...h2, direction: 'outbound', local: { ip: '127.0.0.1', port: 40004 }, remote: { ip: '127.0.0.1', port: 9000 }, process: proc('/usr/bin/worker', 1000) }),
      record({ ...h1, direction: 'outbound', local: { ip: '127.0.0.1', port: 40005 }, remote: { ip: '127.0.0.1', port: 9000 }, process: proc('/usr/bin/cron', 0) }),
      // an agent that lists loopback among the host's addresses: still host-local
      record({ host: 'c', hostAddresses: ['10.1.0.3', '127.0.0.1', '::1'], kind: 'listen', local: { ip: '::', port: 7000 }, process: proc('/usr/bin/agentd', 0) }),
      record({ ...h2, direction: 'outbound', local: { ip: '127.0.0.1', port: 40006 }, remote: { ip: '127.0.0.1', port: 7000 }, process: proc('/usr/bin/worker', 1000) }),
    ]
    const { ctx } = await ingest([['x.ndjson', Buffer.from(lines.join('\n'))]])
    const id = (host: string, path: string, uid: number) => `host:${host}:proc:${sha(path).slice(0, 16)}:${path}:uid=${uid}`
    expect(summary(ctx).map((e) => e.key)).toEqual(
      [
        `${id('a', '/usr/bin/worker', 1000)}|${id('a', '/usr/bin/redis-server', 999)}|6379/tcp`,
        `${id('b', '/usr/bin/worker', 1000)}|${id('b', '/usr/local/bin/redis-server', 998)}|6379/tcp`,
        `${id('a', '/usr/bin/worker', 1000)}|${id('a', '/usr/bin/api', 1000)}|9000/tcp`,
        `${id('b', '/usr/bin/worker', 1000)}|${id('a', '/usr/bin/api', 1000)}|9000/tcp`,
        `${id('b', '/usr/bin/worker', 1000)}|host:b|9000/tcp`,
        `${id('a', '/usr/bin/cron', 0)}|${id('a', '/usr/bin/api', 1000)}|9000/tcp`,
        `${id('b', '/usr/bin/worker', 1000)}|host:b|7000/tcp`,
      ].sort(),
    )
    expect(ctx.resolver.listenerAt('127.0.0.1', 7000, 'tcp')).toBeUndefined()
    expect(ctx.resolver.listenerAt('10.1.0.3', 7000, 'tcp')).toBe(id('c', '/usr/bin/agentd', 0))
    expect(ctx.resolver.hosts()['c']).toEqual(['10.1.0.3'])
  })

  it('skips inbound records from agent hosts and loopback, keeps inbound from elsewhere', async () => {
    const flows: Flow[] = []
    const { stats } = await ingest(
      [
        ['hl7-vm-1.ndjson', VM1],
        ['hl7-vm-2.ndjson', VM2],
      ],
      context(new IdentityResolver(), (f) => flows.push(f)),
    )
    expect(flows.filter((f) => f.direction === 'ingress').map((f) => ({ from: f.from, to: f.to, port: f.port, line: f.evidence.line, observer: f.evidence.observer }))).toEqual([
      { from: { kind: 'cidr', cidr: '10.20.5.77/32', scope: 'private' }, to: { kind: 'identity', id: JAVA }, port: 8443, line: 6, observer: 'hl7-vm-1' },
    ])
    expect(flows).toHaveLength(stats[0]!.flows + stats[1]!.flows)
    // no edge comes from a host where its agent named the process
    expect(flows.some((f) => f.from.kind === 'identity' && f.from.id === 'host:hl7-vm-1' && f.port === 2575)).toBe(false)
  })

  it('resolves an external address to the FQDN the resolver learned, else to its bucket', async () => {
    const { ctx } = await ingest(
      [
        ['hl7-vm-1.ndjson', VM1],
        ['hl7-vm-2.ndjson', VM2],
      ],
      context(new IdentityResolver({ dns: { 'sqs.us-east-1.amazonaws.com.': ['52.94.0.10'] } })),
    )
    const edge = ctx.aggregator.edges().find((e) => e.port === 443)!
    expect(edge.key).toBe(`${MIRTH}|fqdn:sqs.us-east-1.amazonaws.com|443/tcp`)
    const bucketed = (await ingest([['hl7-vm-2.ndjson', VM2]])).ctx.aggregator.edges().find((e) => e.port === 443)!
    expect(bucketed.to).toEqual({ kind: 'cidr', cidr: '52.94.0.0/24', scope: 'public' })
  })

  it('counts one observation per record, with the record’s times and evidence', async () => {
    const { ctx } = await ingest([
      ['hl7-vm-1.ndjson', VM1],
      ['hl7-vm-2.ndjson', VM2],
    ])
    const edge = ctx.aggregator.edges().find((e) => e.key === `${JAVA}|${MIRTH}|2575/tcp`)!
    const t0 = Date.parse('2025-03-04T10:15:00Z')
    expect(edge).toMatchObject({ count: 2, bytes: 0, packets: 0, dropped: 0, firstSeen: t0 + 1000, lastSeen: t0 + 250000, sources: ['agent'] })
    expect(edge.samples).toEqual([
      { source: 'agent', file: 'hl7-vm-1.ndjson', line: 3, addresses: '10.20.0.11:51234 → 10.20.0.12:2575', observer: 'hl7-vm-1' },
      { source: 'agent', file: 'hl7-vm-1.ndjson', line: 12, addresses: '10.20.0.11:51240 → 10.20.0.12:2575', observer: 'hl7-vm-1' },
    ])
  })

  it('reads the same in 1-byte chunks', async () => {
    const whole = await ingest([
      ['hl7-vm-1.ndjson', VM1],
      ['hl7-vm-2.ndjson', VM2],
    ])
    const bytewise = await ingest(
      [
        ['hl7-vm-1.ndjson', VM1],
        ['hl7-vm-2.ndjson', VM2],
      ],
      context(),
      1,
    )
    expect(summary(bytewise.ctx)).toEqual(summary(whole.ctx))
    expect(bytewise.stats).toEqual(whole.stats)
  })
})

describe('agent NDJSON robustness', () => {
  it('never throws on arbitrary lines, and every non-blank line is a flow, a skip or malformed', async () => {
    const valid = VM1.toString('utf8')
      .split('\n')
      .filter((l) => {
        try {
          JSON.parse(l)
          return true
        } catch {
          return false
        }
      })
    const mutated = fc
      .tuple(fc.constantFrom(...valid), fc.array(fc.tuple(fc.constantFrom('kind', 'host', 'hostAddresses', 'protocol', 'direction', 'local', 'remote', 'process', 'firstSeen', 'lastSeen', 'count'), fc.jsonValue()), { maxLength: 3 }))
      .map(([line, edits]) => {
        const v = JSON.parse(line) as Record<string, unknown>
        for (const [k, value] of edits) v[k] = value
        return JSON.stringify(v)
      })
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(fc.json(), fc.string(), mutated), { maxLength: 12 }), async (lines) => {
        const text = lines.map((l) => l.replace(/[\r\n]/g, ' ')).join('\n')
        const { stats } = await ingest([['f.ndjson', Buffer.from(text)]])
        expect(stats[0]!.lines).toBe(lines.filter((l) => l.replace(/[\r\n]/g, ' ').trim() !== '').length)
        expect(stats[0]!.flows + stats[0]!.skipped + stats[0]!.malformed).toBe(stats[0]!.lines)
      }),
      { numRuns: 300 },
    )
  })

  it('turns any outbound record to a non-agent address into the edge from its process to that address', async () => {
    const octet = fc.integer({ min: 1, max: 254 })
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          host: fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/),
          exe: fc.stringMatching(/^\/[a-z]{1,8}(\/[a-z0-9_.-]{1,8}){0,3}$/),
          uid: fc.integer({ min: 0, max: 65535 }),
          remote: fc.tuple(fc.constantFrom(52, 34, 18), octet, octet, octet),
          port: fc.integer({ min: 1, max: 65535 }),
          protocol: fc.constantFrom('tcp' as const, 'udp' as const),
          withProcess: fc.boolean(),
          first: fc.integer({ min: 1_600_000_000_000, max: 1_900_000_000_000 }),
          span: fc.integer({ min: 0, max: 86_400_000 }),
        }),
        async (r) => {
          const remoteIp = r.remote.join('.')
          const p = proc(r.exe, r.uid)
          const line = record({ host: r.host, hostAddresses: ['10.9.0.1'], protocol: r.protocol, direction: 'outbound', local: { ip: '10.9.0.1', port: 40000 }, remote: { ip: remoteIp, port: r.port }, ...(r.withProcess ? { process: p } : {}), firstSeen: r.first, lastSeen: r.first + r.span, count: 5 })
          const { stats, ctx } = await ingest([['f.ndjson', Buffer.from(line)]])
          const from = r.withProcess ? `host:${r.host}:proc:${p.exeSha256.slice(0, 16)}:${r.exe}:uid=${r.uid}` : `host:${r.host}`
          expect(stats[0]).toMatchObject({ lines: 1, flows: 1, malformed: 0, unresolved: 1 })
          expect(ctx.aggregator.edges().map((e) => ({ key: e.key, count: e.count, firstSeen: e.firstSeen, lastSeen: e.lastSeen }))).toEqual([
            { key: `${from}|cidr:${r.remote.slice(0, 3).join('.')}.0/24|${r.port}/${r.protocol}`, count: 1, firstSeen: r.first, lastSeen: r.first + r.span },
          ])
        },
      ),
      { numRuns: 200 },
    )
  })
})

describe('looksLikeAgentNdjson', () => {
  it('recognises agent records, also when the head cuts a line', () => {
    expect(looksLikeAgentNdjson(VM1.toString('utf8'))).toBe(true)
    expect(looksLikeAgentNdjson(VM1.subarray(0, 60).toString('utf8'))).toBe(true)
    expect(looksLikeAgentNdjson(`\n\n${VM2.toString('utf8')}`)).toBe(true)
  })

  it('rejects Hubble flows, VPC flow logs and other JSON', () => {
    expect(looksLikeAgentNdjson('{"flow":{"time":"2025-03-04T10:15:00Z","verdict":"FORWARDED","IP":{"source":"10.0.0.1","destination":"10.0.0.2"}}}\n')).toBe(false)
    expect(looksLikeAgentNdjson('version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n')).toBe(false)
    expect(looksLikeAgentNdjson('{"schema":"phiwall.agent-batch/v1","batchId":"b1","records":[]}\n')).toBe(false)
    expect(looksLikeAgentNdjson('{"schema":"phiwall.baseline/v1"}\n')).toBe(false)
    expect(looksLikeAgentNdjson('')).toBe(false)
  })
})
