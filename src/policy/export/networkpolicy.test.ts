import yaml from 'js-yaml'
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy'
import { describe, expect, it } from 'vitest'
import type { ExportResult } from '../types.js'
import { exportNetworkPolicy, validateNetworkPolicy } from './networkpolicy.js'
import { CLINIC_IDS, cidr, clinic, emptySet, fqdn, k8s, proc, reordered, rule, to, withIdentity, withWorkload } from './testdata/fixtures.js'

interface NpPeer {
  podSelector?: { matchLabels: Record<string, string> }
  namespaceSelector?: { matchLabels: Record<string, string> }
  ipBlock?: { cidr: string }
}
interface NpRule {
  from?: NpPeer[]
  to?: NpPeer[]
  ports: { port: number; endPort?: number; protocol: string }[]
}
interface Np {
  apiVersion: string
  kind: string
  metadata: { name: string; namespace: string; annotations: Record<string, string>; labels: Record<string, string> }
  spec: { podSelector: { matchLabels: Record<string, string> }; policyTypes: string[]; ingress: NpRule[]; egress: NpRule[] }
}

function load(result: ExportResult, path: string): { text: string; np: Np } {
  const file = result.files.find((f) => f.path === path)
  expect(file, `${path} in ${result.files.map((f) => f.path).join(', ')}`).toBeDefined()
  return { text: file!.content, np: yaml.load(file!.content) as Np }
}

const notesOf = (r: ExportResult, id: string): string[] => r.notes.filter((n) => n.workload === id).map((n) => n.message)
const dnsRule = (np: Np): NpRule | undefined => np.spec.egress.find((r) => r.to?.some((p) => p.podSelector?.matchLabels['k8s-app'] === 'kube-dns'))

describe('NetworkPolicy exporter on the clinic policy', () => {
  const result = exportNetworkPolicy(clinic())

  it('writes one file per active Kubernetes workload, each a valid NetworkPolicy', () => {
    expect(result.format).toBe('networkpolicy')
    expect(result.files.map((f) => f.path)).toEqual(['clinic/db-operator.networkpolicy.yaml', 'clinic/frontend.networkpolicy.yaml', 'clinic/intake-api.networkpolicy.yaml', 'clinic/patients-db.networkpolicy.yaml'])
    for (const f of result.files) {
      const obj = yaml.load(f.content)
      expect(() => new NetworkPolicy(obj as ConstructorParameters<typeof NetworkPolicy>[0]).validate(), f.path).not.toThrow()
      const np = obj as Np
      expect(np.apiVersion).toBe('networking.k8s.io/v1')
      expect(np.spec.policyTypes).toEqual(['Ingress', 'Egress'])
      expect(f.workloads).toEqual([np.metadata.annotations['phiwall.io/workload']])
    }
  })

  it('selects the workload by its labels and allows frontend → intake-api 8080 with pod and namespace selectors', () => {
    const { np } = load(result, 'clinic/intake-api.networkpolicy.yaml')
    expect(np.metadata).toMatchObject({ name: 'phiwall-intake-api', namespace: 'clinic', labels: { 'app.kubernetes.io/managed-by': 'phiwall' } })
    expect(np.spec.podSelector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'intake-api' } })
    expect(np.spec.ingress).toContainEqual({
      from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'frontend', 'app.kubernetes.io/part-of': 'clinic' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'clinic' } } }],
      ports: [{ protocol: 'TCP', port: 8080 }],
    })
    expect(np.spec.egress).toContainEqual({
      to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/component': 'postgres', 'app.kubernetes.io/name': 'patients-db' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'clinic' } } }],
      ports: [{ protocol: 'TCP', port: 5432 }],
    })
  })

  it('allows DNS over UDP and TCP 53 to the cluster resolver only, once, named as an allowance', () => {
    for (const f of result.files) {
      const np = yaml.load(f.content) as Np
      const dns = dnsRule(np)
      expect(dns, f.path).toBeDefined()
      expect(dns!.to).toEqual([{ podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }])
      expect(dns!.ports).toEqual([
        { protocol: 'TCP', port: 53 },
        { protocol: 'UDP', port: 53 },
      ])
      expect(np.spec.egress.filter((r) => r.ports.some((p) => p.port === 53))).toHaveLength(1)
      expect(np.metadata.annotations['phiwall.io/allowances']!.split(',')).toContain('dns')
      expect(f.content).toMatch(/# phiwall infra: dns: UDP and TCP 53 to the cluster resolver/)
    }
  })

  it('turns the Stripe FQDN into the addresses DNS returned, with a comment that they go stale and a note', () => {
    const { np, text } = load(result, 'clinic/intake-api.networkpolicy.yaml')
    const stripe = np.spec.egress.find((r) => r.ports.some((p) => p.port === 443))
    expect(stripe?.to).toEqual([{ ipBlock: { cidr: '198.51.100.20/32' } }, { ipBlock: { cidr: '198.51.100.21/32' } }, { ipBlock: { cidr: '2001:db8:5:1::20/128' } }])
    expect(text).toMatch(/# fqdn api\.stripe\.com: NetworkPolicy cannot match names.*GO STALE/)
    expect(text).toMatch(/# exception: PHI internet-egress exception: card payments.*approved by security@clinic\.example/)
    expect(notesOf(result, CLINIC_IDS.intake).join('\n')).toMatch(/api\.stripe\.com: NetworkPolicy cannot match names/)
  })

  it('lists withheld edges as comments and never allows them', () => {
    const { text, np } = load(result, 'clinic/intake-api.networkpolicy.yaml')
    expect(text).toMatch(/# Withheld \(NOT allowed.*\n#\s+- fqdn:pastebin\.com 443\/tcp: PHI workload: no internet egress/)
    expect(JSON.stringify(np)).not.toContain('pastebin')
  })

  it('adds metrics scraping from the cluster scraper on the ports the metrics-scrape rules name', () => {
    const { np } = load(result, 'clinic/patients-db.networkpolicy.yaml')
    const scrape = np.spec.ingress.filter((r) => r.from?.some((p) => p.namespaceSelector?.matchLabels['kubernetes.io/metadata.name'] === 'monitoring'))
    expect(scrape).toEqual([{ from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], ports: [{ protocol: 'TCP', port: 9187 }] }])
    expect(np.metadata.annotations['phiwall.io/allowances']).toBe('dns,metrics-scrape')
    // patients-db has no egress rules of its own: DNS only
    expect(np.spec.egress).toHaveLength(1)
  })

  it('adds ingress from the ingress controller and health checks from the load-balancer ranges', () => {
    const { np } = load(result, 'clinic/frontend.networkpolicy.yaml')
    expect(np.spec.ingress).toContainEqual({ from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }], ports: [{ protocol: 'TCP', port: 3000 }] })
    expect(np.spec.ingress).toContainEqual({ from: [{ ipBlock: { cidr: '10.20.0.0/16' } }], ports: [{ protocol: 'TCP', port: 3000 }] })
    expect(np.metadata.annotations['phiwall.io/allowances']).toBe('dns,health-check,ingress-controller')
    expect(notesOf(result, CLINIC_IDS.frontend).join('\n')).toMatch(/always allows a pod's own node/)
  })

  it('writes alert mode with an annotation and says that applying it enforces', () => {
    const { np, text } = load(result, 'clinic/db-operator.networkpolicy.yaml')
    expect(np.metadata.annotations['phiwall.io/mode']).toBe('alert')
    expect(text).toMatch(/# ALERT MODE: Kubernetes NetworkPolicy has no audit mode\. Applying this file ENFORCES it/)
    expect(notesOf(result, CLINIC_IDS.operator).join('\n')).toMatch(/no audit mode/)
    // kube-apiserver only because the operator's policy asks for it, as the API server's addresses
    expect(np.spec.egress).toContainEqual({ to: [{ ipBlock: { cidr: '10.0.12.40/32' } }, { ipBlock: { cidr: '10.0.13.41/32' } }], ports: [{ protocol: 'TCP', port: 443 }] })
    expect(np.spec.ingress).toEqual([])
    for (const other of ['clinic/intake-api.networkpolicy.yaml', 'clinic/frontend.networkpolicy.yaml', 'clinic/patients-db.networkpolicy.yaml']) {
      expect(load(result, other).text).not.toContain('10.0.12.40')
    }
  })

  it('notes what it skipped: learn mode and non-Kubernetes workloads', () => {
    expect(notesOf(result, CLINIC_IDS.legacy)).toEqual(["mode is 'learn': no enforcement exported (only 'alert' and 'enforce' produce rules)"])
    expect(notesOf(result, CLINIC_IDS.sender)).toEqual(['not a Kubernetes workload (kind process): no NetworkPolicy exported'])
    expect(notesOf(result, CLINIC_IDS.claimsExport)).toEqual(['not a Kubernetes workload (kind function): no NetworkPolicy exported'])
  })

  it('is deterministic: the same files whatever order the policy lists things in', () => {
    const again = exportNetworkPolicy(reordered(clinic()))
    expect(again).toEqual(result)
    expect(exportNetworkPolicy(clinic())).toEqual(result)
  })
})

describe('NetworkPolicy exporter edge cases', () => {
  it('writes nothing for an empty policy', () => {
    expect(exportNetworkPolicy(emptySet())).toEqual({ format: 'networkpolicy', files: [], notes: [] })
  })

  it('gives a workload without rules default deny with DNS only', () => {
    const set = withWorkload(emptySet(), k8s('quiet'))
    const r = exportNetworkPolicy(set)
    const np = yaml.load(r.files[0]!.content) as Np
    expect(np.spec.ingress).toEqual([])
    expect(np.spec.egress).toHaveLength(1)
    expect(dnsRule(np)).toBeDefined()
    expect(r.files[0]!.content).toContain('# no ingress allowed: everything inbound is denied')
  })

  it('writes IPv6 CIDRs and port ranges (endPort)', () => {
    const set = withWorkload(emptySet(), k8s('ranges'), {
      egress: [rule(cidr('2001:db8:1234::/48'), 443), rule(cidr('10.0.1.17/24'), 30000, { endPort: 32767, protocol: 'udp' })],
      ingress: [rule(cidr('fd00::1'), 8443, { protocol: 'sctp' })],
    })
    const r = exportNetworkPolicy(set)
    const np = yaml.load(r.files[0]!.content) as Np
    validateNetworkPolicy(np)
    expect(np.spec.egress).toContainEqual({ to: [{ ipBlock: { cidr: '2001:db8:1234::/48' } }], ports: [{ protocol: 'TCP', port: 443 }] })
    expect(np.spec.egress).toContainEqual({ to: [{ ipBlock: { cidr: '10.0.1.0/24' } }], ports: [{ protocol: 'UDP', port: 30000, endPort: 32767 }] })
    expect(np.spec.ingress).toEqual([{ from: [{ ipBlock: { cidr: 'fd00::1/128' } }], ports: [{ protocol: 'SCTP', port: 8443 }] }])
  })

  it('notes FQDNs without known addresses, ICMP, bad ports and unknown peers instead of writing them', () => {
    const set = withWorkload(emptySet(), k8s('odd'), {
      egress: [rule(fqdn('unknown.example.org'), 443), rule(cidr('10.0.0.0/8'), 0, { protocol: 'icmp' }), rule(cidr('10.0.0.0/8'), 70000), rule(to('k8s:ghost/nobody'), 80), rule(cidr('not-a-cidr'), 80)],
    })
    const r = exportNetworkPolicy(set)
    const np = yaml.load(r.files[0]!.content) as Np
    expect(np.spec.egress).toHaveLength(1) // DNS only
    const notes = notesOf(r, 'k8s:clinic/odd').join('\n')
    expect(notes).toMatch(/unknown\.example\.org.*cannot match names and no addresses are known/)
    expect(notes).toMatch(/protocol icmp cannot be expressed/)
    expect(notes).toMatch(/port 70000 is not a port number/)
    expect(notes).toMatch(/peer k8s:ghost\/nobody is not in the policy's identities/)
    expect(notes).toMatch(/"not-a-cidr" is not a valid CIDR/)
  })

  it('uses a VM peer’s addresses from set.hosts, and notes a function peer without any', () => {
    const vm: Parameters<typeof withIdentity>[1] = { id: 'aws:ec2:hl7-vm-1', kind: 'vm', name: 'hl7-vm-1' }
    const fn: Parameters<typeof withIdentity>[1] = { id: 'aws:lambda:fax', kind: 'function', name: 'fax' }
    const set = withIdentity(withIdentity(withWorkload(emptySet(), k8s('api'), { egress: [rule(to(vm.id), 2575), rule(to(fn.id), 443)] }), vm), fn)
    set.hosts['hl7-vm-1'] = ['10.20.1.11', 'fd00:20:1::11']
    const r = exportNetworkPolicy(set)
    const np = yaml.load(r.files[0]!.content) as Np
    expect(np.spec.egress).toContainEqual({ to: [{ ipBlock: { cidr: '10.20.1.11/32' } }, { ipBlock: { cidr: 'fd00:20:1::11/128' } }], ports: [{ protocol: 'TCP', port: 2575 }] })
    expect(notesOf(r, 'k8s:clinic/api').join('\n')).toMatch(/aws:lambda:fax \(function\) has no known addresses/)
  })

  it('skips workloads whose labels cannot select pods, and process workloads', () => {
    const set = withWorkload(withWorkload(emptySet(), k8s('nolabels', 'clinic', {})), proc('vm-1', '/usr/bin/x'))
    const r = exportNetworkPolicy(set)
    expect(r.files).toEqual([])
    expect(r.notes.map((n) => n.message).join('\n')).toMatch(/has no labels \(an empty selector would select every pod\)/)
  })

  it('allows the kube-apiserver on the rule port and the endpoint port the CNI sees after the Service DNAT', () => {
    const set = withIdentity(withWorkload(emptySet({ apiServer: { addresses: ['10.0.0.1', '10.0.0.2'], port: 6443 } }), k8s('operator'), { egress: [rule(to('entity:kube-apiserver'), 443, { origin: 'infrastructure', infrastructure: 'kube-apiserver' })] }), { id: 'entity:kube-apiserver', kind: 'k8s-entity', name: 'kube-apiserver' })
    const np = yaml.load(exportNetworkPolicy(set).files[0]!.content) as Np
    expect(np.spec.egress).toContainEqual({ to: [{ ipBlock: { cidr: '10.0.0.1/32' } }, { ipBlock: { cidr: '10.0.0.2/32' } }], ports: [{ protocol: 'TCP', port: 443 }, { protocol: 'TCP', port: 6443 }] })
    const noAddresses = exportNetworkPolicy({ ...set, cluster: { ...set.cluster, apiServer: { addresses: [], port: 6443 } } })
    expect((yaml.load(noAddresses.files[0]!.content) as Np).spec.egress).toHaveLength(1)
    expect(notesOf(noAddresses, 'k8s:clinic/operator').join('\n')).toMatch(/cluster\.apiServer\.addresses is empty; not exported/)
  })

  it('writes no DNS rule and says so when the cluster resolver is unknown', () => {
    const set = withWorkload(emptySet({ dns: { namespace: 'kube-system', labels: {}, addresses: [] } }), k8s('api'))
    const r = exportNetworkPolicy(set)
    const np = yaml.load(r.files[0]!.content) as Np
    expect(np.spec.egress).toEqual([])
    expect(notesOf(r, 'k8s:clinic/api').join('\n')).toMatch(/cluster resolver is unknown/)
  })

  it('validates what it emits: the validator rejects a malformed NetworkPolicy', () => {
    const { np } = load(exportNetworkPolicy(clinic()), 'clinic/intake-api.networkpolicy.yaml')
    expect(() => validateNetworkPolicy(np)).not.toThrow()
    const broken = JSON.parse(JSON.stringify(np)) as Np
    ;(broken.spec.podSelector.matchLabels as Record<string, unknown>)['app.kubernetes.io/name'] = 7
    expect(() => validateNetworkPolicy(broken)).toThrow(/must be string/)
    const broken2 = JSON.parse(JSON.stringify(np)) as { spec: { policyTypes: unknown } }
    broken2.spec.policyTypes = 'Ingress'
    expect(() => validateNetworkPolicy(broken2)).toThrow()
  })
})
