import { describe, expect, it } from 'vitest'
import { EdgeAggregator, IdentityResolver, addEgressException, buildBaseline, peerKey, reviewEdges, type Flow, type Peer, type WorkloadIdentity } from '../flows/index.js'
import { generatePolicy } from './generate.js'
import { applyPrecanned, parsePrecanned } from './precanned.js'
import { parsePolicySet } from './schema.js'
import { PolicySimulator, peerMatches } from './simulate.js'
import type { PolicyRule, WorkloadPolicy } from './types.js'

const H = 3_600_000
const D = 24 * H
const T0 = Date.UTC(2026, 10, 1)

const identities: WorkloadIdentity[] = [
  { id: 'k8s:clinic/frontend', kind: 'k8s-workload', name: 'frontend', namespace: 'clinic', labels: { app: 'frontend' }, environment: 'prod', holdsPhi: 'no' },
  { id: 'k8s:clinic/intake-api', kind: 'k8s-workload', name: 'intake-api', namespace: 'clinic', labels: { app: 'intake-api' }, environment: 'prod', holdsPhi: 'yes' },
  { id: 'k8s:clinic/patients-db', kind: 'k8s-workload', name: 'patients-db', namespace: 'clinic', labels: { app: 'patients-db' }, environment: 'prod', holdsPhi: 'yes' },
  { id: 'k8s:clinic-dev/intake-api', kind: 'k8s-workload', name: 'intake-api', namespace: 'clinic-dev', labels: { app: 'intake-api' }, environment: 'dev', holdsPhi: 'no' },
  { id: 'k8s:kube-system/coredns', kind: 'k8s-workload', name: 'coredns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } },
  { id: 'k8s:monitoring/prometheus', kind: 'k8s-workload', name: 'prometheus', namespace: 'monitoring', labels: { 'app.kubernetes.io/name': 'prometheus' } },
  { id: 'entity:kube-apiserver', kind: 'k8s-entity', name: 'kube-apiserver' },
  { id: 'entity:host', kind: 'k8s-entity', name: 'host' },
]
const id = (x: string): Peer => ({ kind: 'identity', id: x })
const stripe: Peer = { kind: 'fqdn', fqdn: 'api.stripe.com' }
const google: Peer = { kind: 'cidr', cidr: '8.8.8.0/24', scope: 'public' }
const flow = (from: Peer, to: Peer, port: number, at: number, protocol: Flow['protocol'] = 'tcp'): Flow => ({ from, to, port, protocol, direction: 'egress', bytes: 100, packets: 2, verdict: 'forwarded', firstSeen: at, lastSeen: at + 1000, evidence: { source: 'hubble' } })

const flows: Flow[] = []
for (let d = 0; d < 7; d++) {
  flows.push(flow(id('k8s:clinic/frontend'), id('k8s:clinic/intake-api'), 8080, T0 + d * D))
  flows.push(flow(id('k8s:clinic/intake-api'), id('k8s:clinic/patients-db'), 5432, T0 + d * D + H))
  flows.push(flow(id('k8s:clinic/intake-api'), id('k8s:kube-system/coredns'), 53, T0 + d * D + 2 * H, 'udp'))
  flows.push(flow(id('k8s:clinic/intake-api'), stripe, 443, T0 + d * D + 3 * H))
  flows.push(flow(id('k8s:clinic/frontend'), google, 53, T0 + d * D + 3 * H, 'udp')) // DNS to a public resolver
  flows.push(flow(id('k8s:monitoring/prometheus'), id('k8s:clinic/intake-api'), 9090, T0 + d * D + 4 * H))
  flows.push(flow(id('entity:host'), id('k8s:clinic/intake-api'), 8080, T0 + d * D + 5 * H))
  flows.push(flow(id('k8s:clinic/frontend'), id('entity:kube-apiserver'), 443, T0 + d * D + 5 * H))
  flows.push(flow(id('k8s:clinic-dev/intake-api'), id('k8s:clinic/patients-db'), 5432, T0 + d * D + 6 * H))
}

function baseline() {
  const aggregator = new EdgeAggregator()
  for (const f of flows) aggregator.add(f)
  return buildBaseline({ aggregator, resolver: new IdentityResolver({ identities }), stats: [], declared: [{ from: 'k8s:clinic/frontend', to: 'k8s:clinic/intake-api', port: 8080, protocol: 'tcp', evidence: 'Service intake-api' }], now: new Date(T0 + 7 * D) })
}

const rules = (w: WorkloadPolicy | undefined, dir: 'ingress' | 'egress'): string[] => (w?.[dir] ?? []).map((r: PolicyRule) => `${peerKey(r.peer)} ${r.port}/${r.protocol} ${r.origin}${r.infrastructure ? `:${r.infrastructure}` : ''}`)

describe('generatePolicy', () => {
  const set = generatePolicy(baseline(), { now: new Date(T0 + 7 * D) })
  const w = (x: string) => set.workloads.find((p) => p.identity.id === x)
  it('writes one least-privilege rule per counted edge on each enforceable side, with origins', () => {
    expect(rules(w('k8s:clinic/intake-api'), 'ingress')).toEqual(['entity:host 8080/tcp infrastructure:health-check', 'k8s:monitoring/prometheus 9090/tcp infrastructure:metrics-scrape', 'k8s:clinic/frontend 8080/tcp both'])
    expect(rules(w('k8s:clinic/intake-api'), 'egress')).toEqual(['k8s:kube-system/coredns 53/tcp infrastructure:dns', 'k8s:kube-system/coredns 53/udp infrastructure:dns', 'k8s:clinic/patients-db 5432/tcp observed'])
    expect(rules(w('k8s:clinic/frontend'), 'egress')).toEqual(['k8s:kube-system/coredns 53/tcp infrastructure:dns', 'k8s:kube-system/coredns 53/udp infrastructure:dns', 'entity:kube-apiserver 443/tcp infrastructure:kube-apiserver', 'k8s:clinic/intake-api 8080/tcp both'])
    expect(w('k8s:clinic/intake-api')!.mode).toBe('alert')
  })
  it('leaves the platform’s own workloads (DNS, metrics, ingress controller namespaces) to the platform team unless asked', () => {
    expect(w('k8s:kube-system/coredns')).toBeUndefined()
    expect(w('k8s:monitoring/prometheus')).toBeUndefined()
    const all = generatePolicy(baseline(), { includePlatform: true })
    expect(all.workloads.map((x) => x.identity.id)).toContain('k8s:kube-system/coredns')
  })
  it('withholds PHI internet egress without an exception, DNS to other resolvers and cross-environment edges', () => {
    expect(w('k8s:clinic/intake-api')!.withheld).toContainEqual({ peer: stripe, port: 443, protocol: 'tcp', reason: expect.stringContaining('PHI workload') })
    expect(w('k8s:clinic/frontend')!.withheld).toContainEqual({ peer: google, port: 53, protocol: 'udp', reason: 'DNS is allowed to the cluster resolver only' })
    expect(w('k8s:clinic/patients-db')!.withheld).toContainEqual(expect.objectContaining({ peer: id('k8s:clinic-dev/intake-api'), reason: expect.stringContaining('crosses environments (dev → prod)') }))
    expect(rules(w('k8s:clinic/patients-db'), 'ingress')).toEqual(['k8s:clinic/intake-api 5432/tcp observed'])
  })
  it('allows PHI egress covered by a recorded exception, naming who approved it', () => {
    const b = addEgressException(baseline(), 'k8s:clinic/intake-api', { to: stripe, port: 443, by: 'privacy-officer@clinic.example', reason: 'payments under BAA', at: new Date(T0).toISOString() })
    const p = generatePolicy(b).workloads.find((x) => x.identity.id === 'k8s:clinic/intake-api')!
    expect(p.egress).toContainEqual(expect.objectContaining({ peer: stripe, origin: 'exception', approvedBy: 'privacy-officer@clinic.example' }))
    const expired = addEgressException(baseline(), 'k8s:clinic/intake-api', { to: stripe, by: 'po', reason: 'r', at: new Date(T0).toISOString(), expires: new Date(T0 - D).toISOString() })
    expect(generatePolicy(expired).workloads.find((x) => x.identity.id === 'k8s:clinic/intake-api')!.egress.some((r) => r.origin === 'exception')).toBe(false)
  })
  it('leaves out denied edges; keeps workload modes, workloads switched off included (exporters exempt them)', () => {
    let b = reviewEdges(baseline(), [{ key: 'k8s:clinic/intake-api|k8s:clinic/patients-db|5432/tcp', state: 'denied', by: 'sec' }]).baseline
    b = { ...b, workloads: { ...b.workloads, 'k8s:clinic/frontend': { ...b.workloads['k8s:clinic/frontend']!, mode: 'off' }, 'k8s:clinic/patients-db': { ...b.workloads['k8s:clinic/patients-db']!, mode: 'enforce' } } }
    const p = generatePolicy(b)
    // kept with its mode: an enforcing host's ruleset must exempt it, not drop its traffic
    expect(p.workloads.find((x) => x.identity.id === 'k8s:clinic/frontend')?.mode).toBe('off')
    const db = p.workloads.find((x) => x.identity.id === 'k8s:clinic/patients-db')!
    expect(db.mode).toBe('enforce')
    expect(db.ingress).toEqual([])
    expect(db.withheld.map((x) => x.reason)).toContainEqual(expect.stringContaining('denied by sec'))
  })
  it('is deterministic and valid against the policy schema', () => {
    const again = generatePolicy(baseline(), { now: new Date(T0 + 7 * D) })
    expect(JSON.stringify(again)).toBe(JSON.stringify(set))
    expect(parsePolicySet(JSON.stringify(set)).ok).toBe(true)
    expect(parsePolicySet('{}')).toMatchObject({ ok: false })
  })
})

describe('pre-canned blocks', () => {
  it('PostgreSQL: the server accepts its clients on 5432, clients may reach it', () => {
    const set = generatePolicy(baseline())
    const p = applyPrecanned(set, [parsePrecanned('postgresql=k8s:clinic/patients-db'), parsePrecanned('dns'), parsePrecanned('aws-endpoints=us-east-1')])
    const db = p.workloads.find((x) => x.identity.id === 'k8s:clinic/patients-db')!
    expect(db.ingress.map((r) => `${peerKey(r.peer)} ${r.port} ${r.origin}`)).toContain('k8s:clinic/intake-api 5432 observed')
    expect(db.egress.some((r) => r.infrastructure === 'dns' && r.origin === 'precanned')).toBe(true)
    expect(set.workloads.find((x) => x.identity.id === 'k8s:clinic/patients-db')!.egress).toEqual([]) // the input is not changed
    expect(() => parsePrecanned('kafka=x')).toThrow(/unknown pre-canned block/)
    expect(() => parsePrecanned('redis')).toThrow(/needs a target/)
    expect(() => applyPrecanned(set, [{ block: 'redis', target: 'k8s:nope/x' }])).toThrow(/not in the baseline/)
  })
  it('never re-allows a denied edge, nor a path between prod and dev', () => {
    const denied = reviewEdges(baseline(), [{ key: 'k8s:clinic/intake-api|k8s:clinic/patients-db|5432/tcp', state: 'denied', by: 'sec', reason: 'reads through the API only' }]).baseline
    const p = applyPrecanned(generatePolicy(denied), [parsePrecanned('postgresql=k8s:clinic/patients-db')])
    const db = p.workloads.find((x) => x.identity.id === 'k8s:clinic/patients-db')!
    const api = p.workloads.find((x) => x.identity.id === 'k8s:clinic/intake-api')!
    expect(rules(db, "ingress").filter((r) => r.includes(" 5432/")), JSON.stringify(db.ingress)).toEqual([])
    expect(rules(api, 'egress').filter((r) => r.includes('patients-db'))).toEqual([])
    // still withheld, with the reviewer's reason
    expect(api.withheld.some((x) => peerKey(x.peer) === 'k8s:clinic/patients-db' && x.reason.startsWith('denied by sec'))).toBe(true)
    // the dev workload that tried the prod database gets nothing from the block either
    const dev = p.workloads.find((x) => x.identity.id === 'k8s:clinic-dev/intake-api')
    expect(rules(dev, 'egress').filter((r) => r.includes('patients-db'))).toEqual([])
  })
  it('a database nobody was seen using is opened to its namespace', () => {
    const set = generatePolicy(baseline())
    const p = applyPrecanned(set, [{ block: 'redis', target: 'k8s:clinic/frontend' }])
    const f = p.workloads.find((x) => x.identity.id === 'k8s:clinic/frontend')!
    expect(f.ingress.filter((r) => r.port === 6379).map((r) => peerKey(r.peer)).sort()).toEqual(['k8s:clinic/intake-api', 'k8s:clinic/patients-db'])
  })
})

describe('PolicySimulator', () => {
  it('replays flows: baseline traffic passes, new traffic is dropped or alerted per mode', () => {
    const b = baseline()
    const enforced = { ...b, workloads: { ...b.workloads, 'k8s:clinic/patients-db': { ...b.workloads['k8s:clinic/patients-db']!, mode: 'enforce' as const } } }
    const sim = new PolicySimulator(generatePolicy(enforced))
    for (const f of flows) sim.observe(f)
    sim.observe(flow(id('k8s:clinic/frontend'), id('k8s:clinic/patients-db'), 5432, T0 + 8 * D))
    sim.observe(flow(id('k8s:clinic/frontend'), id('k8s:clinic/patients-db'), 5432, T0 + 8 * D + 1))
    const r = sim.done()
    const db = r.byWorkload.find((x) => x.workload === 'k8s:clinic/patients-db')!
    // the dev → prod edge (withheld) and the new frontend → db edge are dropped at the database
    expect(db.drops.map((d) => `${d.effect} ${d.direction} ${d.key} ${d.count}`)).toEqual(['drop ingress k8s:clinic-dev/intake-api|k8s:clinic/patients-db|5432/tcp 7', 'drop ingress k8s:clinic/frontend|k8s:clinic/patients-db|5432/tcp 2'])
    const intake = r.byWorkload.find((x) => x.workload === 'k8s:clinic/intake-api')!
    expect(intake.drops.map((d) => `${d.effect} ${d.key}`)).toEqual(['alert k8s:clinic/intake-api|fqdn:api.stripe.com|443/tcp'])
    expect(r.dropped).toBe(9)
    expect(r.flows).toBe(flows.length + 2)
    expect(r.allowed + r.dropped + r.alerted + r.uncovered).toBe(r.flows)
  })
  it('matches peers by identity, wider CIDRs and wildcard names', () => {
    expect(peerMatches({ kind: 'cidr', cidr: '10.0.0.0/8', scope: 'private' }, { kind: 'cidr', cidr: '10.1.2.0/24', scope: 'private' })).toBe(true)
    expect(peerMatches({ kind: 'cidr', cidr: '10.1.2.0/24', scope: 'private' }, { kind: 'cidr', cidr: '10.0.0.0/8', scope: 'private' })).toBe(false)
    expect(peerMatches({ kind: 'fqdn', fqdn: '*.amazonaws.com' }, { kind: 'fqdn', fqdn: 'sts.us-east-1.amazonaws.com' })).toBe(true)
    expect(peerMatches({ kind: 'fqdn', fqdn: '*.amazonaws.com' }, { kind: 'fqdn', fqdn: 'amazonaws.com.evil.example' })).toBe(false)
    expect(peerMatches(id('a'), id('b'))).toBe(false)
  })
})

describe('generatePolicy: edges the enforcer in place always dropped', () => {
  it('are withheld, not allowed', () => {
    const aggregator = new EdgeAggregator()
    for (let d = 0; d < 3; d++) aggregator.add({ ...flow(id('k8s:clinic/frontend'), id('k8s:clinic/patients-db'), 5432, T0 + d * D), verdict: 'dropped' })
    aggregator.add(flow(id('k8s:clinic/frontend'), id('k8s:clinic/intake-api'), 8080, T0))
    const b = buildBaseline({ aggregator, resolver: new IdentityResolver({ identities }), stats: [], now: new Date(T0 + 7 * D) })
    const db = generatePolicy(b).workloads.find((x) => x.identity.id === 'k8s:clinic/patients-db')!
    expect(db.ingress).toEqual([])
    expect(db.withheld).toEqual([{ peer: id('k8s:clinic/frontend'), port: 5432, protocol: 'tcp', reason: 'only ever seen dropped by the enforcer in place (3×)' }])
  })
})
