/**
 * Property tests: for random policy sets, every NetworkPolicy and CiliumNetworkPolicy the
 * exporters write validates against its schema (and the Kubernetes name/label syntax the
 * schemas do not check), covers exactly the active workloads, and never allows more ports than
 * the rules name (plus DNS).
 */
import { CiliumNetworkPolicy } from '@kubernetes-models/cilium/cilium.io/v2/CiliumNetworkPolicy'
import fc from 'fast-check'
import yaml from 'js-yaml'
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy'
import { describe, expect, it } from 'vitest'
import type { InfrastructureAllowance, PolicyRule, PolicySet, WorkloadIdentity, WorkloadPolicy } from '../types.js'
import { exportCilium } from './cilium.js'
import { exportNetworkPolicy } from './networkpolicy.js'
import { isLabelKey, isLabelValue } from './shared.js'
import { CLUSTER } from './testdata/fixtures.js'

const dnsLabel = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,14}[a-z0-9])?$/)
const labelName = fc.stringMatching(/^[A-Za-z0-9]([-A-Za-z0-9_.]{0,20}[A-Za-z0-9])?$/)
const labelKey = fc.oneof(labelName, fc.tuple(fc.array(dnsLabel, { minLength: 1, maxLength: 3 }), labelName).map(([p, n]) => `${p.join('.')}/${n}`))
const labelValue = fc.oneof(fc.constant(''), fc.stringMatching(/^[A-Za-z0-9]([-A-Za-z0-9_.]{0,30}[A-Za-z0-9])?$/))
const labels = fc.dictionary(labelKey, labelValue, { minKeys: 1, maxKeys: 4 })
const port = fc.integer({ min: 1, max: 65535 })
const protocol = fc.constantFrom<'tcp' | 'udp'>('tcp', 'udp')
const v4cidr = fc.tuple(fc.ipV4(), fc.integer({ min: 0, max: 32 })).map(([a, p]) => `${a}/${p}`)
const v6cidr = fc.tuple(fc.ipV6(), fc.integer({ min: 0, max: 128 })).map(([a, p]) => `${a}/${p}`)
const infra = fc.constantFrom<InfrastructureAllowance | undefined>(undefined, undefined, 'dns', 'kube-apiserver', 'metrics-scrape', 'health-check', 'ingress-controller', 'aws-endpoint', 'observability-agent')

interface Shape {
  workloads: { identity: WorkloadIdentity; mode: WorkloadPolicy['mode'] }[]
  rules: { owner: number; direction: 'ingress' | 'egress'; peer: number | { cidr: string } | { fqdn: string }; port: number; span: number | undefined; protocol: 'tcp' | 'udp'; infra: InfrastructureAllowance | undefined }[]
  dns: Record<string, string[]>
  withMetrics: boolean
  healthCheckCidrs: string[]
}

const shape: fc.Arbitrary<Shape> = fc
  .uniqueArray(fc.record({ ns: dnsLabel, name: dnsLabel, labels, mode: fc.constantFrom<WorkloadPolicy['mode']>('enforce', 'enforce', 'alert', 'learn', 'off') }), { minLength: 1, maxLength: 5, selector: (w) => `${w.ns}/${w.name}` })
  .chain((ws) =>
    fc.record({
      workloads: fc.constant(ws.map((w) => ({ identity: { id: `k8s:${w.ns}/${w.name}`, kind: 'k8s-workload' as const, name: w.name, namespace: w.ns, labels: w.labels }, mode: w.mode }))),
      rules: fc.array(
        fc.record({
          owner: fc.integer({ min: 0, max: ws.length - 1 }),
          direction: fc.constantFrom<'ingress' | 'egress'>('ingress', 'egress'),
          peer: fc.oneof(fc.integer({ min: -1, max: ws.length - 1 }), fc.record({ cidr: fc.oneof(v4cidr, v6cidr) }), fc.record({ fqdn: fc.oneof(fc.domain(), fc.constantFrom('api.stripe.com', '*.amazonaws.com')) })),
          port,
          span: fc.option(fc.integer({ min: 0, max: 2000 }), { nil: undefined }),
          protocol,
          infra,
        }),
        { maxLength: 14 },
      ),
      dns: fc.dictionary(fc.domain(), fc.array(fc.oneof(fc.ipV4(), fc.ipV6()), { maxLength: 3 }), { maxKeys: 3 }),
      withMetrics: fc.boolean(),
      healthCheckCidrs: fc.array(v4cidr, { maxLength: 2 }),
    }),
  )

function build(s: Shape): PolicySet {
  const identities: Record<string, WorkloadIdentity> = { 'entity:kube-apiserver': { id: 'entity:kube-apiserver', kind: 'k8s-entity', name: 'kube-apiserver' } }
  for (const w of s.workloads) identities[w.identity.id] = w.identity
  const workloads: WorkloadPolicy[] = s.workloads.map((w) => ({ identity: w.identity, mode: w.mode, holdsPhi: 'unknown', ingress: [], egress: [], withheld: [] }))
  for (const r of s.rules) {
    const peer: PolicyRule['peer'] = typeof r.peer === 'number' ? { kind: 'identity', id: r.peer < 0 ? 'entity:kube-apiserver' : s.workloads[r.peer]!.identity.id } : 'cidr' in r.peer ? { kind: 'cidr', cidr: r.peer.cidr, scope: 'public' } : { kind: 'fqdn', fqdn: r.peer.fqdn }
    const endPort = r.span !== undefined ? Math.min(65535, r.port + r.span) : undefined
    workloads[r.owner]![r.direction].push({ peer, port: r.port, ...(endPort !== undefined ? { endPort } : {}), protocol: r.protocol, origin: r.infra ? 'infrastructure' : 'observed', ...(r.infra ? { infrastructure: r.infra } : {}), reason: `random ${r.direction}` })
  }
  const cluster = { ...CLUSTER, healthCheckCidrs: s.healthCheckCidrs }
  if (!s.withMetrics) delete (cluster as { metrics?: unknown }).metrics
  return { schema: 'phiwall.policy/v1', version: 3, generatedAt: '2025-01-01T00:00:00Z', baselineDigest: 'x', cluster, workloads, identities, dns: s.dns, hosts: {}, apiCalls: {} }
}

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/

function checkLabels(m: Record<string, string> | undefined, where: string): void {
  for (const [k, v] of Object.entries(m ?? {})) {
    const key = k.startsWith('k8s:') ? k.slice(4) : k
    expect(isLabelKey(key), `${where}: key ${k}`).toBe(true)
    expect(isLabelValue(v), `${where}: ${k}=${v}`).toBe(true)
  }
}

/** Every port the file allows, as `protocol/port[-end]`. */
function allowedPorts(obj: unknown): Set<string> {
  const out = new Set<string>()
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk)
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>
      if ('protocol' in o && 'port' in o) out.add(`${String(o['protocol']).toLowerCase()}/${String(o['port'])}${o['endPort'] !== undefined ? `-${String(o['endPort'])}` : ''}`)
      Object.values(o).forEach(walk)
    }
  }
  walk(obj)
  return out
}

function expectedPorts(set: PolicySet, id: string): Set<string> {
  const w = set.workloads.find((x) => x.identity.id === id)!
  const out = new Set(['tcp/53', 'udp/53', `tcp/${set.cluster.apiServer.port}`])
  for (const r of [...w.ingress, ...w.egress]) out.add(`${r.protocol}/${r.port}${r.endPort !== undefined && r.endPort !== r.port ? `-${r.endPort}` : ''}`)
  return out
}

describe('random policy sets', () => {
  it('NetworkPolicy output always validates and covers exactly the active workloads', () => {
    fc.assert(
      fc.property(shape, (s) => {
        const set = build(s)
        const r = exportNetworkPolicy(set)
        const active = set.workloads.filter((w) => w.mode === 'enforce' || w.mode === 'alert').map((w) => w.identity.id)
        expect(r.files.flatMap((f) => f.workloads).sort()).toEqual([...active].sort())
        for (const f of r.files) {
          const obj = yaml.load(f.content) as { metadata: { name: string; namespace: string; annotations: Record<string, string> }; spec: { podSelector: { matchLabels: Record<string, string> }; ingress: { from: { podSelector?: { matchLabels: Record<string, string> } }[] }[]; egress: { to: { podSelector?: { matchLabels: Record<string, string> } }[] }[] } }
          new NetworkPolicy(obj as ConstructorParameters<typeof NetworkPolicy>[0]).validate()
          expect(obj.metadata.name).toMatch(DNS1123_SUBDOMAIN)
          expect(obj.metadata.name.length).toBeLessThanOrEqual(253)
          checkLabels(obj.spec.podSelector.matchLabels, f.path)
          for (const rule of [...obj.spec.ingress.flatMap((x) => x.from), ...obj.spec.egress.flatMap((x) => x.to)]) checkLabels(rule.podSelector?.matchLabels, f.path)
          const expected = expectedPorts(set, f.workloads[0]!)
          for (const p of allowedPorts(obj.spec)) expect(expected.has(p), `${f.path} allows ${p}`).toBe(true)
        }
      }),
      { numRuns: 150 },
    )
  })

  it('CiliumNetworkPolicy output always validates and covers exactly the active workloads', () => {
    fc.assert(
      fc.property(shape, (s) => {
        const set = build(s)
        const r = exportCilium(set)
        const active = set.workloads.filter((w) => w.mode === 'enforce' || w.mode === 'alert').map((w) => w.identity.id)
        expect(r.files.flatMap((f) => f.workloads).sort()).toEqual([...active].sort())
        for (const f of r.files) {
          const obj = yaml.load(f.content) as { metadata: { name: string }; spec: { endpointSelector: { matchLabels: Record<string, string> }; ingress: Record<string, unknown>[]; egress: Record<string, unknown>[] } }
          new CiliumNetworkPolicy(obj as ConstructorParameters<typeof CiliumNetworkPolicy>[0]).validate()
          expect(obj.metadata.name).toMatch(DNS1123_SUBDOMAIN)
          checkLabels(obj.spec.endpointSelector.matchLabels, f.path)
          for (const rule of [...obj.spec.ingress, ...obj.spec.egress]) {
            // one kind of peer per rule (Cilium rejects toFQDNs combined with other L3 selectors)
            expect(Object.keys(rule).filter((k) => k !== 'toPorts').length, JSON.stringify(rule)).toBeLessThanOrEqual(1)
            for (const sel of [...((rule['fromEndpoints'] as { matchLabels: Record<string, string> }[]) ?? []), ...((rule['toEndpoints'] as { matchLabels: Record<string, string> }[]) ?? [])]) checkLabels(sel.matchLabels, f.path)
          }
          const expected = expectedPorts(set, f.workloads[0]!)
          for (const p of allowedPorts(obj.spec)) expect(expected.has(p), `${f.path} allows ${p}`).toBe(true)
        }
      }),
      { numRuns: 150 },
    )
  })

  it('never throws on malformed input: bad labels, names and CIDRs become notes', () => {
    const junk = fc.string({ maxLength: 12 })
    fc.assert(
      fc.property(fc.array(fc.record({ ns: junk, name: junk, labels: fc.dictionary(junk, junk, { maxKeys: 3 }), peer: junk, port: fc.integer({ min: -5, max: 70000 }) }), { minLength: 1, maxLength: 4 }), (items) => {
        const set = build({ workloads: [], rules: [], dns: {}, withMetrics: true, healthCheckCidrs: [] })
        for (const [i, it] of items.entries()) {
          const identity: WorkloadIdentity = { id: `k8s:${it.ns}/${it.name}#${i}`, kind: 'k8s-workload', name: it.name, namespace: it.ns, labels: it.labels }
          set.identities[identity.id] = identity
          set.workloads.push({ identity, mode: 'enforce', holdsPhi: 'unknown', ingress: [{ peer: { kind: 'cidr', cidr: it.peer, scope: 'public' }, port: it.port, protocol: 'tcp', origin: 'observed', reason: 'junk' }], egress: [{ peer: { kind: 'fqdn', fqdn: it.peer }, port: 443, protocol: 'tcp', origin: 'observed', reason: 'junk' }], withheld: [] })
        }
        for (const r of [exportNetworkPolicy(set), exportCilium(set)]) {
          for (const f of r.files) expect(f.path).not.toMatch(/(^|\/)\.\.?(\/|$)|^\//)
          const covered = new Set(r.files.flatMap((f) => f.workloads))
          // every workload is either written or explained
          for (const w of set.workloads) expect(covered.has(w.identity.id) || r.notes.some((n) => n.workload === w.identity.id), w.identity.id).toBe(true)
        }
      }),
      { numRuns: 150 },
    )
  })
})
