/**
 * What a Kubernetes workload's policy becomes before it is written as a NetworkPolicy or a
 * CiliumNetworkPolicy: resolved peers (pods by namespace + labels, CIDRs, FQDNs, entities),
 * validated ports, the explicit infrastructure allowances PhiWall adds, and comments naming
 * why each rule exists. Rules to the same peer are merged; everything is sorted.
 *
 * Infrastructure allowances (decisions):
 * - dns: always added for every exported workload: UDP and TCP 53 to the cluster resolver
 *   (`cluster.dns` namespace + labels; its Service addresses only when no labels are known).
 *   Policy DNS rules on port 53 to the resolver are folded into it.
 * - kube-apiserver: only when the workload's policy has a `kube-apiserver` rule (a workload
 *   using its ServiceAccount token for the API shows up in flows and so has one); it is
 *   allowed to the `kube-apiserver` entity / `cluster.apiServer.addresses` on the rule's port
 *   and `cluster.apiServer.port` (the endpoint port the CNI sees after the Service DNAT).
 * - metrics-scrape / ingress-controller: ingress from the `cluster.metrics` /
 *   `cluster.ingressController` pods, on the ports the policy's rules name.
 * - health-check: ingress from `cluster.healthCheckCidrs` on the rule's port.
 * - aws-endpoint / observability-agent: the rule's own peer, labelled as infrastructure.
 */
import type { InfrastructureAllowance, PolicyRule, PolicySet, WorkloadIdentity, WorkloadPolicy } from '../types.js'
import {
  type Cidr,
  type Notes,
  type PortRange,
  cidrsOf,
  describeRule,
  describeWithheld,
  dnsAddressesOf,
  hostAddressesOf,
  identityOf,
  inactiveNote,
  isActive,
  isDns1123Label,
  isPortNumber,
  ruleSortKey,
  labelProblem,
  portProblem,
  portRange,
  portText,
  sortBy,
  sortPorts,
  sortedLabels,
  toCidr,
  uniqueSorted,
} from './shared.js'

export type K8sTarget =
  | { kind: 'pods'; namespace: string; labels: Record<string, string>; what: string }
  | { kind: 'entity'; entity: string; /** addresses for enforcers without entities (kube-apiserver) */ cidrs: Cidr[] }
  | { kind: 'cidrs'; cidrs: Cidr[]; what: string }
  | { kind: 'fqdn'; fqdn: string; cidrs: Cidr[] }

export interface PlannedRule {
  direction: 'ingress' | 'egress'
  target: K8sTarget
  ports: PortRange[]
  /** Why: one line per policy rule (or allowance) merged into this one. */
  comments: string[]
  infra: string[]
  /** The cluster-DNS allowance (Cilium puts its DNS proxy on it when the workload has FQDN rules). */
  clusterDns: boolean
}

export interface K8sPlan {
  id: string
  identity: WorkloadIdentity
  mode: 'alert' | 'enforce'
  holdsPhi: WorkloadPolicy['holdsPhi']
  namespace: string
  name: string
  labels: Record<string, string>
  ingress: PlannedRule[]
  egress: PlannedRule[]
  allowances: string[]
  withheld: string[]
}

export function targetKey(t: K8sTarget): string {
  switch (t.kind) {
    case 'pods':
      return `pods:${t.namespace}:${JSON.stringify(sortedLabels(t.labels))}`
    case 'entity':
      return `entity:${t.entity}`
    case 'cidrs':
      return `cidrs:${t.cidrs.map((c) => c.text).join(',')}`
    case 'fqdn':
      return `fqdn:${t.fqdn}`
  }
}

const K8S_PROTOCOLS = new Set(['tcp', 'udp', 'sctp'])

function labelsText(labels: Record<string, string>): string {
  return Object.entries(sortedLabels(labels))
    .map(([k, v]) => `${k}=${v}`)
    .join(',')
}

function podsTarget(namespace: string | undefined, labels: Record<string, string> | undefined, what: string): K8sTarget | string {
  if (!namespace || !isDns1123Label(namespace)) return `${what} has no valid namespace`
  const problem = labelProblem(labels)
  if (problem) return `${what} ${problem}`
  return { kind: 'pods', namespace, labels: sortedLabels(labels!), what: `${what} (${namespace}: ${labelsText(labels!)})` }
}

/** Resolves a peer to a target, or returns why it cannot be. */
function resolvePeer(set: PolicySet, peer: PolicyRule['peer']): K8sTarget | string {
  switch (peer.kind) {
    case 'identity': {
      const identity = identityOf(set, peer.id)
      if (!identity) return `peer ${peer.id} is not in the policy's identities`
      if (identity.kind === 'k8s-workload') return podsTarget(identity.namespace, identity.labels, `peer ${peer.id}`)
      if (identity.kind === 'k8s-entity') return { kind: 'entity', entity: identity.name, cidrs: [] }
      const known = hostAddressesOf(set, identity)
      if (!known) return `peer ${peer.id} (${identity.kind}) has no known addresses in the policy's hosts`
      const { cidrs, invalid } = cidrsOf(known.addresses)
      if (cidrs.length === 0) return `peer ${peer.id} has no valid addresses (${invalid.join(', ')})`
      return { kind: 'cidrs', cidrs, what: `addresses of ${peer.id} (host ${known.key})` }
    }
    case 'fqdn': {
      const { cidrs } = cidrsOf(dnsAddressesOf(set, peer.fqdn))
      return { kind: 'fqdn', fqdn: peer.fqdn, cidrs }
    }
    case 'cidr': {
      const c = toCidr(peer.cidr)
      if (!c) return `peer cidr ${JSON.stringify(peer.cidr)} is not a valid CIDR`
      return { kind: 'cidrs', cidrs: [c], what: `cidr ${c.text} (${peer.scope})` }
    }
  }
}

/** The cluster-DNS allowance's target, or why there is none. */
function clusterDnsTarget(set: PolicySet): K8sTarget | string {
  const dns = set.cluster.dns
  if (Object.keys(dns.labels ?? {}).length > 0) {
    const t = podsTarget(dns.namespace, dns.labels, 'the cluster resolver')
    if (typeof t !== 'string') return t
  }
  const { cidrs } = cidrsOf(dns.addresses ?? [])
  if (cidrs.length > 0) return { kind: 'cidrs', cidrs, what: 'the cluster resolver Service addresses' }
  return 'the cluster resolver is unknown (cluster.dns has neither valid labels nor addresses): no DNS allowance, name resolution will fail under enforcement'
}

/** A policy DNS rule that the canonical cluster-DNS allowance already covers. */
function coveredByClusterDns(set: PolicySet, rule: PolicyRule): boolean {
  if (rule.port !== 53 || rule.endPort !== undefined || (rule.protocol !== 'udp' && rule.protocol !== 'tcp')) return false
  const peer = rule.peer
  if (peer.kind === 'identity') {
    const identity = identityOf(set, peer.id)
    return identity?.kind === 'k8s-workload' && identity.namespace === set.cluster.dns.namespace
  }
  if (peer.kind === 'cidr') {
    const c = toCidr(peer.cidr)
    return c !== undefined && (set.cluster.dns.addresses ?? []).some((a) => toCidr(a)?.text === c.text)
  }
  return false
}

export function planK8s(set: PolicySet, wp: WorkloadPolicy, notes: Notes, enforcer: string): K8sPlan | undefined {
  const identity = wp.identity
  const id = identity.id
  if (identity.kind !== 'k8s-workload') {
    notes.add(id, `not a Kubernetes workload (kind ${identity.kind}): no ${enforcer} exported`)
    return undefined
  }
  if (!isActive(wp.mode)) {
    notes.add(id, inactiveNote(wp.mode))
    return undefined
  }
  const self = podsTarget(identity.namespace, identity.labels, 'the workload')
  if (typeof self === 'string' || self.kind !== 'pods') {
    notes.add(id, `${typeof self === 'string' ? self : 'no selector'}: no ${enforcer} exported`)
    return undefined
  }

  const merged = new Map<string, PlannedRule>()
  const add = (direction: PlannedRule['direction'], target: K8sTarget, ports: PortRange[], comment: string, infra: string | undefined, clusterDns = false): void => {
    const key = `${direction}|${targetKey(target)}`
    const existing = merged.get(key)
    if (existing) {
      existing.ports = sortPorts([...existing.ports, ...ports])
      if (!existing.comments.includes(comment)) existing.comments.push(comment)
      if (infra && !existing.infra.includes(infra)) existing.infra.push(infra)
      existing.clusterDns ||= clusterDns
      return
    }
    merged.set(key, { direction, target, ports: sortPorts(ports), comments: [comment], infra: infra ? [infra] : [], clusterDns })
  }

  // DNS: always, to the cluster resolver only
  const dnsTarget = clusterDnsTarget(set)
  if (typeof dnsTarget === 'string') notes.add(id, dnsTarget)
  else {
    add(
      'egress',
      dnsTarget,
      [
        { port: 53, protocol: 'udp' },
        { port: 53, protocol: 'tcp' },
      ],
      `phiwall infra: dns: UDP and TCP 53 to ${dnsTarget.kind === 'pods' ? dnsTarget.what : 'the cluster resolver Service addresses'}`,
      'dns',
      true,
    )
    if (dnsTarget.kind === 'cidrs') notes.add(id, 'cluster DNS is allowed by Service address only (no resolver labels known); CNIs that evaluate policy after the Service DNAT need the resolver pod labels in cluster.dns')
  }

  const api = set.cluster.apiServer
  for (const direction of ['ingress', 'egress'] as const) {
    for (const rule of sortBy(wp[direction], ruleSortKey)) {
      const what = `${direction} rule ${describeRule(rule)}`
      if (!K8S_PROTOCOLS.has(rule.protocol)) {
        notes.add(id, `${what}: protocol ${rule.protocol} cannot be expressed by ${enforcer} port rules (TCP, UDP and SCTP only); not exported`)
        continue
      }
      const problem = portProblem(rule)
      if (problem) {
        notes.add(id, `${what}: ${problem}; not exported`)
        continue
      }
      const ports = [portRange(rule)]
      const infra: InfrastructureAllowance | undefined = rule.infrastructure
      const comment = describeRule(rule)

      if (infra === 'dns' && direction === 'egress' && typeof dnsTarget !== 'string' && coveredByClusterDns(set, rule)) {
        add('egress', dnsTarget, [], comment, 'dns', true)
        continue
      }
      if (infra === 'kube-apiserver' && direction === 'egress') {
        const { cidrs } = cidrsOf(api.addresses ?? [])
        const apiPorts: PortRange[] = [portRange(rule)]
        if (isPortNumber(api.port)) apiPorts.push({ port: api.port, protocol: 'tcp' })
        add('egress', { kind: 'entity', entity: 'kube-apiserver', cidrs }, apiPorts, `${comment} (to the API server on ${uniqueSorted(apiPorts.map(portText)).join(', ')})`, infra)
        continue
      }
      if (direction === 'ingress' && (infra === 'metrics-scrape' || infra === 'ingress-controller')) {
        const ctx = infra === 'metrics-scrape' ? set.cluster.metrics : set.cluster.ingressController
        if (ctx) {
          const t = podsTarget(ctx.namespace, ctx.labels, infra === 'metrics-scrape' ? 'the metrics scraper' : 'the ingress controller')
          if (typeof t !== 'string') {
            add('ingress', t, ports, comment, infra)
            continue
          }
          notes.add(id, `${what}: ${t}; using the rule's own peer instead`)
        }
      }
      if (direction === 'ingress' && infra === 'health-check' && (set.cluster.healthCheckCidrs ?? []).length > 0) {
        // the load-balancer ranges, and the rule's own peer (kubelet probes from the node) below
        const { cidrs, invalid } = cidrsOf(set.cluster.healthCheckCidrs)
        if (invalid.length > 0) notes.add(id, `health-check CIDRs not valid and left out: ${invalid.join(', ')}`)
        if (cidrs.length > 0) add('ingress', { kind: 'cidrs', cidrs, what: 'load-balancer health-check ranges (cluster.healthCheckCidrs)' }, ports, comment, infra)
      }
      const target = resolvePeer(set, rule.peer)
      if (typeof target === 'string') {
        notes.add(id, `${what}: ${target}; not exported`)
        continue
      }
      add(direction, target, ports, comment, infra)
    }
  }

  const rules = sortBy(merged.values(), (r) => `${r.clusterDns ? 0 : 1}|${targetKey(r.target)}`)
  return {
    id,
    identity,
    mode: wp.mode,
    holdsPhi: wp.holdsPhi,
    namespace: self.namespace,
    name: identity.name,
    labels: self.labels,
    ingress: rules.filter((r) => r.direction === 'ingress'),
    egress: rules.filter((r) => r.direction === 'egress'),
    allowances: uniqueSorted(rules.flatMap((r) => r.infra)),
    withheld: wp.withheld.map(describeWithheld).sort(),
  }
}

/** Header lines shared by the NetworkPolicy and Cilium files. */
export function planHeader(set: PolicySet, plan: K8sPlan, kind: string): string[] {
  const lines = [`${kind} for ${plan.id} (mode: ${plan.mode}, holds PHI: ${plan.holdsPhi})`, `PhiWall policy v${set.version}, baseline ${set.baselineDigest}; generated, do not edit by hand`]
  lines.push(`Infrastructure allowances added by PhiWall: ${plan.allowances.length > 0 ? plan.allowances.join(', ') : 'none'}`)
  if (plan.withheld.length > 0) {
    lines.push('Withheld (NOT allowed by this policy; review before adding):')
    for (const w of plan.withheld) lines.push(`  - ${w}`)
  }
  return lines
}
