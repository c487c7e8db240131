/**
 * Kubernetes `networking.k8s.io/v1` NetworkPolicy: one file per Kubernetes workload,
 * `<namespace>/<name>.networkpolicy.yaml`, selecting its pods by their labels with both
 * policy types, so everything not listed is denied in both directions.
 *
 * NetworkPolicy cannot match names, entities or processes: FQDN peers become the addresses
 * DNS returned when the baseline was learned (commented as going stale), the kube-apiserver
 * becomes `cluster.apiServer.addresses`, non-Kubernetes identities their `set.hosts` addresses;
 * anything without addresses is left out with a note. There is no audit mode: `alert` is
 * written (annotated `phiwall.io/mode: alert`) but applying it enforces.
 */
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy'
import type { ExportResult, ExportedFile, PolicySet } from '../types.js'
import { type K8sPlan, type PlannedRule, planHeader, planK8s } from './k8s-plan.js'
import { Notes, type PortRange, safeSegment, sortFiles, sortedWorkloads, uniquePaths, k8sObjectName } from './shared.js'
import { type YamlValue, commented, plain, renderYaml } from './yaml.js'

const PROTOCOL: Record<string, 'TCP' | 'UDP' | 'SCTP'> = { tcp: 'TCP', udp: 'UDP', sctp: 'SCTP' }

function npPort(p: PortRange): YamlValue {
  const protocol = PROTOCOL[p.protocol]
  if (!protocol) throw new Error(`exporter bug: protocol ${p.protocol} reached the NetworkPolicy writer`)
  return p.endPort !== undefined ? { protocol, port: p.port, endPort: p.endPort } : { protocol, port: p.port }
}

/** The `from`/`to` peers of one rule, with extra comments; undefined (and a note) when it cannot be expressed. */
function npPeers(plan: K8sPlan, rule: PlannedRule, notes: Notes): { peers: YamlValue[]; comments: string[] } | undefined {
  const t = rule.target
  const ipBlocks = (cidrs: { text: string }[]): YamlValue[] => cidrs.map((c) => ({ ipBlock: { cidr: c.text } }))
  const why = rule.comments.join('; ')
  switch (t.kind) {
    case 'pods':
      return {
        peers: [{ podSelector: { matchLabels: t.labels }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': t.namespace } } }],
        comments: [],
      }
    case 'cidrs':
      return { peers: ipBlocks(t.cidrs), comments: [`peer: ${t.what}`] }
    case 'entity':
      if (t.entity === 'kube-apiserver' && t.cidrs.length > 0) {
        return { peers: ipBlocks(t.cidrs), comments: ['kube-apiserver as its endpoint addresses (cluster.apiServer.addresses); update when the control plane moves'] }
      }
      if (t.entity === 'host' && rule.direction === 'ingress') {
        notes.add(plan.id, `ingress from the node (${why}): NetworkPolicy always allows a pod's own node (kubelet probes), so no rule is written; probes from other nodes are not allowed`)
        return undefined
      }
      notes.add(
        plan.id,
        t.entity === 'kube-apiserver'
          ? `${rule.direction} to the kube-apiserver (${why}): NetworkPolicy needs its addresses and cluster.apiServer.addresses is empty; not exported`
          : `${rule.direction} with the entity ${t.entity} (${why}): NetworkPolicy has no entities; not exported`,
      )
      return undefined
    case 'fqdn':
      if (t.cidrs.length === 0) {
        notes.add(plan.id, `${rule.direction} with ${t.fqdn} (${why}): NetworkPolicy cannot match names and no addresses are known for it; not exported (use Cilium toFQDNs or an egress gateway)`)
        return undefined
      }
      notes.add(plan.id, `${rule.direction} with ${t.fqdn}: NetworkPolicy cannot match names; allowed as the ${t.cidrs.length} address(es) DNS returned, which go stale when the name moves`)
      return {
        peers: ipBlocks(t.cidrs),
        comments: [`fqdn ${t.fqdn}: NetworkPolicy cannot match names; these are the addresses DNS returned when the baseline was learned and they GO STALE when the name's addresses change (re-export, or use Cilium toFQDNs)`],
      }
  }
}

function npRules(plan: K8sPlan, rules: PlannedRule[], notes: Notes, side: 'from' | 'to'): YamlValue[] {
  const out: YamlValue[] = []
  for (const rule of rules) {
    const peers = npPeers(plan, rule, notes)
    if (!peers) continue
    out.push(commented([...rule.comments, ...peers.comments], { [side]: peers.peers, ports: rule.ports.map(npPort) }))
  }
  return out
}

function networkPolicyFile(set: PolicySet, plan: K8sPlan, notes: Notes): { doc: { [k: string]: YamlValue }; header: string[] } {
  const ingress = npRules(plan, plan.ingress, notes, 'from')
  const egress = npRules(plan, plan.egress, notes, 'to')
  const annotations: { [k: string]: YamlValue } = {
    'phiwall.io/allowances': plan.allowances.join(','),
    'phiwall.io/mode': plan.mode,
    'phiwall.io/policy-version': String(set.version),
    'phiwall.io/workload': plan.id,
  }
  const header = planHeader(set, plan, 'Kubernetes NetworkPolicy')
  if (plan.mode === 'alert') {
    header.push('ALERT MODE: Kubernetes NetworkPolicy has no audit mode. Applying this file ENFORCES it (drops what is not listed).')
    notes.add(plan.id, "mode 'alert': NetworkPolicy has no audit mode; the file is annotated phiwall.io/mode: alert but applying it enforces")
  }
  const doc: { [k: string]: YamlValue } = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: {
      name: k8sObjectName(plan.name),
      namespace: plan.namespace,
      labels: { 'app.kubernetes.io/managed-by': 'phiwall' },
      annotations,
    },
    spec: {
      podSelector: { matchLabels: plan.labels },
      policyTypes: ['Ingress', 'Egress'],
      ingress: commented(ingress.length === 0 ? ['no ingress allowed: everything inbound is denied'] : [], ingress),
      egress: commented(egress.length === 0 ? ['no egress allowed: everything outbound is denied'] : [], egress),
    },
  }
  return { doc, header }
}

/** Throws when the object is not a valid NetworkPolicy (a bug, never shipped as a file). */
export function validateNetworkPolicy(obj: unknown): void {
  new NetworkPolicy(obj as ConstructorParameters<typeof NetworkPolicy>[0]).validate()
}

export function exportNetworkPolicy(set: PolicySet): ExportResult {
  const notes = new Notes()
  const built: { plan: K8sPlan; content: string }[] = []
  for (const wp of sortedWorkloads(set)) {
    const plan = planK8s(set, wp, notes, 'NetworkPolicy')
    if (!plan) continue
    const { doc, header } = networkPolicyFile(set, plan, notes)
    try {
      validateNetworkPolicy(plain(doc))
    } catch (e) {
      throw new Error(`exporter bug: invalid NetworkPolicy for ${plan.id}: ${(e as Error).message}`)
    }
    built.push({ plan, content: renderYaml(doc, header) })
  }
  const paths = uniquePaths(built.map((b) => ({ key: b.plan.id, path: `${safeSegment(b.plan.namespace)}/${safeSegment(b.plan.name)}.networkpolicy.yaml` })))
  const files: ExportedFile[] = built.map((b) => ({ path: paths.get(b.plan.id)!, content: b.content, workloads: [b.plan.id] }))
  return { format: 'networkpolicy', files: sortFiles(files), notes: notes.list() }
}
