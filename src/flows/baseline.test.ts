import { describe, expect, it } from 'vitest'
import { EdgeAggregator } from './aggregate.js'
import { addEgressException, buildBaseline, edgeCounts, learningStatus, reviewEdges, setWorkloadMode } from './baseline.js'
import { DeviationDetector } from './deviation.js'
import { IdentityResolver } from './resolve.js'
import { parseBaseline } from './schema.js'
import { peerKey, type Flow, type Peer, type WorkloadIdentity } from './types.js'

const H = 3_600_000
const D = 24 * H
const T0 = Date.UTC(2026, 10, 1)

const identities: WorkloadIdentity[] = [
  { id: 'k8s:clinic/frontend', kind: 'k8s-workload', name: 'frontend', namespace: 'clinic', labels: { app: 'frontend' }, environment: 'prod', holdsPhi: 'no' },
  { id: 'k8s:clinic/intake-api', kind: 'k8s-workload', name: 'intake-api', namespace: 'clinic', labels: { app: 'intake-api' }, environment: 'prod', holdsPhi: 'yes' },
  { id: 'k8s:clinic/patients-db', kind: 'k8s-workload', name: 'patients-db', namespace: 'clinic', labels: { app: 'patients-db' }, environment: 'prod', holdsPhi: 'yes' },
  { id: 'k8s:kube-system/coredns', kind: 'k8s-workload', name: 'coredns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } },
]
const id = (x: string): Peer => ({ kind: 'identity', id: x })
const flow = (from: Peer, to: Peer, port: number, at: number, protocol: Flow['protocol'] = 'tcp'): Flow => ({ from, to, port, protocol, direction: 'egress', bytes: 100, packets: 2, verdict: 'forwarded', firstSeen: at, lastSeen: at + 1000, evidence: { source: 'hubble', file: 'f.json', line: 1 } })

function learn(flows: Flow[], previous?: Parameters<typeof buildBaseline>[0]['previous']) {
  const resolver = new IdentityResolver({ identities })
  const aggregator = new EdgeAggregator()
  for (const f of flows) aggregator.add(f)
  return buildBaseline({ aggregator, resolver, stats: [], ...(previous ? { previous } : {}), declared: [{ from: 'k8s:clinic/intake-api', to: 'k8s:clinic/patients-db', port: 5432, protocol: 'tcp', evidence: 'env DB_HOST=patients-db' }, { from: 'k8s:clinic/frontend', to: 'k8s:clinic/intake-api', port: 9000, protocol: 'tcp', evidence: 'declared only' }], now: new Date(T0 + 8 * D) })
}

const week: Flow[] = []
for (let d = 0; d < 8; d++) {
  week.push(flow(id('k8s:clinic/frontend'), id('k8s:clinic/intake-api'), 8080, T0 + d * D))
  week.push(flow(id('k8s:clinic/intake-api'), id('k8s:clinic/patients-db'), 5432, T0 + d * D + H))
  week.push(flow(id('k8s:clinic/intake-api'), id('k8s:kube-system/coredns'), 53, T0 + d * D + 2 * H, 'udp'))
}
week.push(flow(id('k8s:clinic/intake-api'), { kind: 'fqdn', fqdn: 'api.stripe.com' }, 443, T0 + 2 * D))
// first seen in the last minutes of the observed time: pending
week.push(flow(id('k8s:clinic/frontend'), id('k8s:clinic/patients-db'), 5432, T0 + 8 * D - 60_000))

describe('buildBaseline', () => {
  const b = learn(week)
  it('aggregates observed edges and merges declared ones, marking their origin', () => {
    const byKey = Object.fromEntries(b.edges.map((e) => [e.key, e]))
    expect(byKey['k8s:clinic/intake-api|k8s:clinic/patients-db|5432/tcp']).toMatchObject({ origin: 'both', count: 8, declaredBy: 'env DB_HOST=patients-db' })
    expect(byKey['k8s:clinic/frontend|k8s:clinic/intake-api|9000/tcp']).toMatchObject({ origin: 'declared', count: 0 })
    expect(byKey['k8s:clinic/frontend|k8s:clinic/intake-api|8080/tcp']).toMatchObject({ origin: 'observed', count: 8, firstSeen: T0 })
    expect(b.observed.from).toBe(T0)
    expect(Object.keys(b.workloads)).toEqual(['k8s:clinic/frontend', 'k8s:clinic/intake-api', 'k8s:clinic/patients-db', 'k8s:kube-system/coredns'])
    expect(b.workloads['k8s:clinic/frontend']!.mode).toBe('learn')
  })
  it('is valid against its own schema (what flows ingest writes, flows review reads)', () => {
    const r = parseBaseline(JSON.stringify(b))
    expect(r.ok).toBe(true)
    expect(parseBaseline('{"schema":"phiwall.baseline/v1"}')).toMatchObject({ ok: false })
    const bad = JSON.parse(JSON.stringify(b))
    bad.edges[0].port = 70000
    expect(parseBaseline(JSON.stringify(bad))).toMatchObject({ ok: false, error: expect.stringContaining('edges.0.port') })
  })
  it('tracks the learning window per workload', () => {
    expect(learningStatus(b, 'k8s:clinic/frontend').complete).toBe(true)
    const short = learn(week.filter((f) => f.firstSeen < T0 + 2 * D))
    const s = learningStatus(short, 'k8s:clinic/frontend')
    expect(s.complete).toBe(false)
    expect(s.observedDays).toBeGreaterThan(1)
    expect(s.learningDays).toBe(7)
  })
  it('gives new unreviewed edges a grace period before they count', () => {
    const late = b.edges.find((e) => e.key === 'k8s:clinic/frontend|k8s:clinic/patients-db|5432/tcp')!
    expect(edgeCounts(b, late)).toBe('pending')
    expect(edgeCounts(b, b.edges.find((e) => e.key.startsWith('k8s:clinic/frontend|k8s:clinic/intake-api|8080'))!)).toBe('counts')
    const reviewed = reviewEdges(b, [{ key: late.key, state: 'allowed', by: 'dana@clinic.example', reason: 'reporting job' }]).baseline
    expect(edgeCounts(reviewed, reviewed.edges.find((e) => e.key === late.key)!)).toBe('counts')
  })
  it('keeps reviews, modes and exceptions when extended, and adds counts', () => {
    let r = reviewEdges(b, [{ key: 'k8s:clinic/intake-api|fqdn:api.stripe.com|443/tcp', state: 'denied', by: 'sec', reason: 'no BAA' }, { key: 'nope', state: 'allowed', by: 'x' }])
    expect(r.unknown).toEqual(['nope'])
    let next = setWorkloadMode(r.baseline, 'k8s:clinic/intake-api', 'enforce', 'sec')
    next = addEgressException(next, 'k8s:clinic/intake-api', { to: { kind: 'fqdn', fqdn: 'hie.example.org' }, port: 443, by: 'privacy-officer', reason: 'HIE under BAA', at: new Date(T0).toISOString() })
    const again = learn(week, next)
    const e = again.edges.find((x) => x.key === 'k8s:clinic/intake-api|fqdn:api.stripe.com|443/tcp')!
    expect(e.state).toBe('denied')
    expect(e.count).toBe(2)
    expect(again.workloads['k8s:clinic/intake-api']).toMatchObject({ mode: 'enforce', changedBy: 'sec', exceptions: [{ by: 'privacy-officer' }] })
    r = reviewEdges(again, [])
    expect(r.baseline.edges.length).toBe(again.edges.length)
  })
})

describe('DeviationDetector', () => {
  const b = reviewEdges(learn(week), [{ key: 'k8s:clinic/intake-api|fqdn:api.stripe.com|443/tcp', state: 'denied', by: 'sec', reason: 'no BAA' }]).baseline
  it('flags new edges, new ports, new external destinations, PHI internet egress, denied edges and unknown binaries', () => {
    const unknownProc: WorkloadIdentity = { id: 'host:vm-1:proc:abcdef0123456789:/tmp/x:uid=0', kind: 'process', name: 'x', process: { host: 'vm-1', exePath: '/tmp/x', exeSha256: 'ab'.repeat(32), uid: 0 } }
    const d = new DeviationDetector(b, { identities: { [unknownProc.id]: unknownProc } })
    d.observe(flow(id('k8s:clinic/frontend'), id('k8s:clinic/intake-api'), 8080, T0 + 9 * D)) // baseline: nothing
    d.observe(flow(id('k8s:clinic/frontend'), id('k8s:clinic/intake-api'), 22, T0 + 9 * D))
    d.observe(flow(id('k8s:clinic/patients-db'), id('k8s:clinic/frontend'), 80, T0 + 9 * D))
    d.observe(flow(id('k8s:clinic/frontend'), { kind: 'fqdn', fqdn: 'evil.example' }, 443, T0 + 9 * D))
    d.observe(flow(id('k8s:clinic/intake-api'), { kind: 'cidr', cidr: '198.51.100.0/24', scope: 'public' }, 443, T0 + 9 * D))
    d.observe(flow(id('k8s:clinic/intake-api'), { kind: 'fqdn', fqdn: 'api.stripe.com' }, 443, T0 + 9 * D))
    d.observe(flow(id(unknownProc.id), id('k8s:clinic/patients-db'), 5432, T0 + 9 * D))
    // repeats group into one alert
    for (let i = 0; i < 5; i++) d.observe(flow(id('k8s:clinic/frontend'), id('k8s:clinic/intake-api'), 22, T0 + 10 * D + i))
    const devs = d.deviations()
    const types = devs.map((x) => `${x.type} ${x.key}`)
    expect(types).toEqual(
      expect.arrayContaining([
        'new-port k8s:clinic/frontend|k8s:clinic/intake-api|22/tcp',
        'new-edge k8s:clinic/patients-db|k8s:clinic/frontend|80/tcp',
        'new-external-destination k8s:clinic/frontend|fqdn:evil.example|443/tcp',
        'phi-internet-egress k8s:clinic/intake-api|cidr:198.51.100.0/24|443/tcp',
        'denied-edge k8s:clinic/intake-api|fqdn:api.stripe.com|443/tcp',
        `unknown-binary ${unknownProc.id}|k8s:clinic/patients-db|5432/tcp`,
      ]),
    )
    expect(devs[0]!.severity).toBe('critical')
    expect(devs.find((x) => x.type === 'new-port')!.count).toBe(6)
    expect(devs.find((x) => x.type === 'new-port')!.suggestion).toContain('phiwall flows review')
    expect(devs.some((x) => x.key === 'k8s:clinic/frontend|k8s:clinic/intake-api|8080/tcp')).toBe(false)
  })
  it('alerts on PHI internet egress even when the baseline learned the edge or a reviewer allowed it, until an exception is recorded', () => {
    const out = { kind: 'cidr', cidr: '203.0.113.0/24', scope: 'public' } as const
    const key = 'k8s:clinic/intake-api|cidr:203.0.113.0/24|443/tcp'
    const learned = learn([...week, flow(id('k8s:clinic/intake-api'), out, 443, T0 + D)])
    expect(learned.edges.some((e) => e.key === key)).toBe(true)
    const seen = (base: typeof learned) => new DeviationDetector(base).observe(flow(id('k8s:clinic/intake-api'), out, 443, T0 + 9 * D)).map((x) => `${x.type} ${x.key}`)
    expect(seen(learned)).toEqual([`phi-internet-egress ${key}`])
    const allowed = reviewEdges(learned, [{ key, state: 'allowed', by: 'dana@clinic.example', reason: 'card processor' }]).baseline
    expect(seen(allowed)).toEqual([`phi-internet-egress ${key}`])
    const excepted = addEgressException(allowed, 'k8s:clinic/intake-api', { to: out, port: 443, by: 'privacy-officer', reason: 'processor under BAA', at: new Date(T0).toISOString() })
    expect(seen(excepted)).toEqual([])
  })

  it('respects recorded exceptions for PHI egress', () => {
    const withEx = addEgressException(b, 'k8s:clinic/intake-api', { to: { kind: 'fqdn', fqdn: 'hie.example.org' }, port: 443, by: 'po', reason: 'BAA', at: new Date(T0).toISOString() })
    const d = new DeviationDetector(withEx)
    const raised = d.observe(flow(id('k8s:clinic/intake-api'), { kind: 'fqdn', fqdn: 'hie.example.org' }, 443, T0 + 9 * D))
    expect(raised.map((x) => x.type)).toEqual(['new-external-destination'])
    expect(peerKey(raised[0]!.to)).toBe('fqdn:hie.example.org')
  })
})

describe('a function seen only through its API calls', () => {
  it('is a workload of the baseline (learn mode), with its calls and the ARN CloudTrail showed, and survives the schema', async () => {
    const { ApiCallAggregator } = await import('./api-calls.js')
    const resolver = new IdentityResolver({ identities: [{ id: 'aws:lambda:nightly-export', kind: 'function', name: 'nightly-export' }] })
    const apiCalls = new ApiCallAggregator()
    apiCalls.add('aws:lambda:nightly-export', 's3', 'PutObject', ['arn:aws:s3:::exports/*'], 1796600000000, 'arn:aws:lambda:us-east-1:123456789012:function:nightly-export')
    const b = buildBaseline({ aggregator: new EdgeAggregator(), resolver, stats: [], apiCalls, now: new Date(1796600000000) })
    expect(b.workloads['aws:lambda:nightly-export']).toEqual({ mode: 'learn' })
    expect(b.apiCalls?.['aws:lambda:nightly-export']?.[0]?.functionArn).toBe('arn:aws:lambda:us-east-1:123456789012:function:nightly-export')
    const read = parseBaseline(JSON.stringify(b))
    expect(read.ok && read.baseline.apiCalls?.['aws:lambda:nightly-export']?.[0]?.functionArn).toBe('arn:aws:lambda:us-east-1:123456789012:function:nightly-export')
  })
})
