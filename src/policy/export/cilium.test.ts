import { CiliumNetworkPolicy } from '@kubernetes-models/cilium/cilium.io/v2/CiliumNetworkPolicy'
import yaml from 'js-yaml'
import { describe, expect, it } from 'vitest'
import type { ExportResult } from '../types.js'
import { exportCilium, validateCiliumNetworkPolicy } from './cilium.js'
import { CLINIC_IDS, cidr, clinic, emptySet, fqdn, k8s, reordered, rule, to, withIdentity, withWorkload } from './testdata/fixtures.js'

type Selector = { matchLabels: Record<string, string> }
interface PortRule {
  ports: { port: string; endPort?: number; protocol: string }[]
  rules?: { dns: { matchPattern: string }[] }
}
interface CRule {
  fromEndpoints?: Selector[]
  toEndpoints?: Selector[]
  fromEntities?: string[]
  toEntities?: string[]
  fromCIDRSet?: { cidr: string }[]
  toCIDRSet?: { cidr: string }[]
  toFQDNs?: ({ matchName: string } | { matchPattern: string })[]
  toPorts?: PortRule[]
}
interface Cnp {
  apiVersion: string
  kind: string
  metadata: { name: string; namespace: string; annotations: Record<string, string> }
  spec: { endpointSelector: Selector; enableDefaultDeny: { ingress: boolean; egress: boolean }; ingress: CRule[]; egress: CRule[]; description: string }
}

function load(result: ExportResult, path: string): { text: string; cnp: Cnp } {
  const file = result.files.find((f) => f.path === path)
  expect(file, `${path} in ${result.files.map((f) => f.path).join(', ')}`).toBeDefined()
  return { text: file!.content, cnp: yaml.load(file!.content) as Cnp }
}

const notesOf = (r: ExportResult, id: string): string[] => r.notes.filter((n) => n.workload === id).map((n) => n.message)
const kubeDns = { matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'kube-system', 'k8s-app': 'kube-dns' } }
const dnsRule = (c: Cnp): CRule | undefined => c.spec.egress.find((r) => JSON.stringify(r.toEndpoints) === JSON.stringify([kubeDns]))

describe('Cilium exporter on the clinic policy', () => {
  const result = exportCilium(clinic())

  it('writes one valid CiliumNetworkPolicy per active Kubernetes workload', () => {
    expect(result.format).toBe('cilium')
    expect(result.files.map((f) => f.path)).toEqual(['clinic/db-operator.cilium.yaml', 'clinic/frontend.cilium.yaml', 'clinic/intake-api.cilium.yaml', 'clinic/patients-db.cilium.yaml'])
    for (const f of result.files) {
      const obj = yaml.load(f.content)
      expect(() => new CiliumNetworkPolicy(obj as ConstructorParameters<typeof CiliumNetworkPolicy>[0]).validate(), f.path).not.toThrow()
      const c = obj as Cnp
      expect(c.apiVersion).toBe('cilium.io/v2')
      expect(c.spec.enableDefaultDeny).toEqual({ ingress: true, egress: true })
    }
  })

  it('selects endpoints by labels with the namespace label on peers, ports as strings', () => {
    const { cnp } = load(result, 'clinic/intake-api.cilium.yaml')
    expect(cnp.spec.endpointSelector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'intake-api' } })
    expect(cnp.spec.ingress).toContainEqual({
      fromEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'clinic', 'app.kubernetes.io/name': 'frontend', 'app.kubernetes.io/part-of': 'clinic' } }],
      toPorts: [{ ports: [{ port: '8080', protocol: 'TCP' }] }],
    })
    expect(cnp.spec.egress).toContainEqual({
      toEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'clinic', 'app.kubernetes.io/component': 'postgres', 'app.kubernetes.io/name': 'patients-db' } }],
      toPorts: [{ ports: [{ port: '5432', protocol: 'TCP' }] }],
    })
  })

  it('matches the Stripe FQDN by name, and then lets the DNS proxy see lookups', () => {
    const { cnp, text } = load(result, 'clinic/intake-api.cilium.yaml')
    expect(cnp.spec.egress).toContainEqual({ toFQDNs: [{ matchName: 'api.stripe.com' }], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] })
    expect(dnsRule(cnp)?.toPorts).toEqual([
      {
        ports: [
          { port: '53', protocol: 'TCP' },
          { port: '53', protocol: 'UDP' },
        ],
        rules: { dns: [{ matchPattern: '*' }] },
      },
    ])
    expect(text).not.toContain('198.51.100.20')
    expect(text).toContain("rules.dns (matchPattern '*')")
  })

  it('keeps the DNS rule plain L4 for workloads without FQDN rules', () => {
    const { cnp } = load(result, 'clinic/frontend.cilium.yaml')
    expect(dnsRule(cnp)?.toPorts).toEqual([
      {
        ports: [
          { port: '53', protocol: 'TCP' },
          { port: '53', protocol: 'UDP' },
        ],
      },
    ])
  })

  it('uses the kube-apiserver entity only for the workload whose policy asks for it', () => {
    const { cnp } = load(result, 'clinic/db-operator.cilium.yaml')
    expect(cnp.spec.egress).toContainEqual({ toEntities: ['kube-apiserver'], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] })
    for (const other of ['clinic/intake-api.cilium.yaml', 'clinic/frontend.cilium.yaml', 'clinic/patients-db.cilium.yaml']) expect(load(result, other).text).not.toContain('kube-apiserver')
  })

  it('allows health checks from the node entity and the load-balancer ranges, and the ingress controller', () => {
    const { cnp } = load(result, 'clinic/frontend.cilium.yaml')
    expect(cnp.spec.ingress).toContainEqual({ fromEntities: ['host'], toPorts: [{ ports: [{ port: '3000', protocol: 'TCP' }] }] })
    expect(cnp.spec.ingress).toContainEqual({ fromCIDRSet: [{ cidr: '10.20.0.0/16' }], toPorts: [{ ports: [{ port: '3000', protocol: 'TCP' }] }] })
    expect(cnp.spec.ingress).toContainEqual({ fromEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'ingress-nginx', 'app.kubernetes.io/name': 'ingress-nginx' } }], toPorts: [{ ports: [{ port: '3000', protocol: 'TCP' }] }] })
  })

  it('says alert mode needs Cilium policy audit mode, and writes an empty ingress rule for default deny', () => {
    const { cnp, text } = load(result, 'clinic/db-operator.cilium.yaml')
    expect(cnp.metadata.annotations['phiwall.io/mode']).toBe('alert')
    expect(text).toMatch(/# ALERT MODE: .*ENFORCES it unless Cilium policy audit mode is on: .*policy-audit-mode.*PolicyAuditMode=Enabled/)
    expect(notesOf(result, CLINIC_IDS.operator).join('\n')).toMatch(/policy audit mode/)
    expect(cnp.spec.ingress).toEqual([{}])
    expect(text).toContain('# no ingress allowed: this empty rule selects nothing')
  })

  it('lists withheld edges as comments only', () => {
    const { cnp, text } = load(result, 'clinic/intake-api.cilium.yaml')
    expect(text).toMatch(/#\s+- fqdn:pastebin\.com 443\/tcp: PHI workload/)
    expect(JSON.stringify(cnp)).not.toContain('pastebin')
  })

  it('is deterministic', () => {
    expect(exportCilium(reordered(clinic()))).toEqual(result)
  })
})

describe('Cilium exporter edge cases', () => {
  it('writes nothing for an empty policy', () => {
    expect(exportCilium(emptySet())).toEqual({ format: 'cilium', files: [], notes: [] })
  })

  it('gives a workload without rules default deny in both directions with DNS only', () => {
    const r = exportCilium(withWorkload(emptySet(), k8s('quiet')))
    const c = yaml.load(r.files[0]!.content) as Cnp
    expect(c.spec.ingress).toEqual([{}])
    expect(c.spec.egress).toHaveLength(1)
    expect(dnsRule(c)).toBeDefined()
  })

  it('writes CIDR sets (IPv4 and IPv6), port ranges, wildcard names and a DNS proxy only on port 53', () => {
    const set = withWorkload(emptySet(), k8s('mixed'), {
      egress: [rule(cidr('2001:db8::/32'), 443), rule(cidr('10.1.2.3/16'), 10000, { endPort: 10100, protocol: 'udp' }), rule(fqdn('*.s3.amazonaws.com'), 443), rule(to('k8s:kube-system/coredns'), 9153, { infrastructure: 'observability-agent', origin: 'infrastructure' })],
    })
    withIdentity(set, k8s('coredns', 'kube-system', { 'k8s-app': 'kube-dns' }))
    const r = exportCilium(set)
    const c = yaml.load(r.files[0]!.content) as Cnp
    validateCiliumNetworkPolicy(c)
    expect(c.spec.egress).toContainEqual({ toCIDRSet: [{ cidr: '2001:db8::/32' }], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] })
    expect(c.spec.egress).toContainEqual({ toCIDRSet: [{ cidr: '10.1.0.0/16' }], toPorts: [{ ports: [{ port: '10000', endPort: 10100, protocol: 'UDP' }] }] })
    expect(c.spec.egress).toContainEqual({ toFQDNs: [{ matchPattern: '*.s3.amazonaws.com' }], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] })
    // the 9153 rule to the resolver pods merges with the DNS allowance but stays out of the DNS proxy
    expect(dnsRule(c)?.toPorts).toEqual([
      {
        ports: [
          { port: '53', protocol: 'TCP' },
          { port: '53', protocol: 'UDP' },
        ],
        rules: { dns: [{ matchPattern: '*' }] },
      },
      { ports: [{ port: '9153', protocol: 'TCP' }] },
    ])
  })

  it('allows the kube-apiserver entity on the rule port and cluster.apiServer.port', () => {
    const set = withIdentity(withWorkload(emptySet({ apiServer: { addresses: [], port: 6443 } }), k8s('operator'), { egress: [rule(to('entity:kube-apiserver'), 443, { origin: 'infrastructure', infrastructure: 'kube-apiserver' })] }), { id: 'entity:kube-apiserver', kind: 'k8s-entity', name: 'kube-apiserver' })
    const c = yaml.load(exportCilium(set).files[0]!.content) as Cnp
    expect(c.spec.egress).toContainEqual({ toEntities: ['kube-apiserver'], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }, { port: '6443', protocol: 'TCP' }] }] })
  })

  it('notes names Cilium cannot match and ingress from names', () => {
    const set = withWorkload(emptySet(), k8s('names'), { egress: [rule(fqdn('bad name!'), 443)], ingress: [rule(fqdn('partner.example'), 8443)] })
    const r = exportCilium(set)
    const notes = notesOf(r, 'k8s:clinic/names').join('\n')
    expect(notes).toMatch(/"bad name!".*not a name Cilium can match/)
    expect(notes).toMatch(/ingress from partner\.example.*only for egress and no addresses are known/)
    const c = yaml.load(r.files[0]!.content) as Cnp
    expect(c.spec.ingress).toEqual([{}])
  })

  it('validates what it emits: the validator rejects numeric ports and unknown protocols', () => {
    const { cnp } = load(exportCilium(clinic()), 'clinic/intake-api.cilium.yaml')
    expect(() => validateCiliumNetworkPolicy(cnp)).not.toThrow()
    const numeric = JSON.parse(JSON.stringify(cnp)) as { spec: { egress: { toPorts: { ports: { port: unknown }[] }[] }[] } }
    numeric.spec.egress[1]!.toPorts[0]!.ports[0]!.port = 443
    expect(() => validateCiliumNetworkPolicy(numeric)).toThrow(/must be string/)
    const proto = JSON.parse(JSON.stringify(cnp)) as { spec: { egress: { toPorts: { ports: { protocol: unknown }[] }[] }[] } }
    proto.spec.egress[1]!.toPorts[0]!.ports[0]!.protocol = 'tcp'
    expect(() => validateCiliumNetworkPolicy(proto)).toThrow(/allowed values/)
  })
})
