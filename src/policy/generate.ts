import { createHash } from 'node:crypto'
import ipaddr from 'ipaddr.js'
import type { Baseline, BaselineEdge, EnforcementMode, FlowProtocol, Peer, WorkloadIdentity } from '../flows/index.js'
import { edgeCounts, isEnforceable, isInternetPeer, peerKey } from '../flows/index.js'
import { applyPrecanned, type PrecannedApplication } from './precanned.js'
import { sortRules } from './rules.js'
import type { ClusterContext, ObservedApiCall, PolicyRule, PolicySet, WorkloadPolicy } from './types.js'

export const POLICY_SCHEMA = 'phiwall.policy/v1' as const

/** Platform defaults: upstream kube-dns / CoreDNS labels, Prometheus and ingress-nginx as most clusters name them. */
export const DEFAULT_CLUSTER: ClusterContext = {
  dns: { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' }, addresses: [] },
  apiServer: { addresses: [], port: 443 },
  metrics: { namespace: 'monitoring', labels: { 'app.kubernetes.io/name': 'prometheus' } },
  ingressController: { namespace: 'ingress-nginx', labels: { 'app.kubernetes.io/name': 'ingress-nginx' } },
  healthCheckCidrs: [],
  hostResolvers: [],
}

export interface GenerateOptions {
  cluster?: Partial<ClusterContext>
  /** Mode for workloads still learning (default `alert`: deviations alert, nothing is dropped). */
  defaultMode?: Exclude<EnforcementMode, 'learn'>
  precanned?: PrecannedApplication[]
  /** Workloads that only appear in declared edges and are Ingress-routed: ingress-controller allowances. */
  ingressRouted?: { to: string; port: number; evidence: string }[]
  apiCalls?: Record<string, ObservedApiCall[]>
  /**
   * Also generate policy for the platform's own workloads (the namespaces of the cluster DNS,
   * metrics scraper and ingress controller). Off by default: they appear as peers, and the
   * platform team owns their policy.
   */
  includePlatform?: boolean
  /** Host → addresses, from agents. */
  hosts?: Record<string, string[]>
  version?: number
  now?: Date
}

/** Canonical JSON (sorted keys) for digests. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`
  if (v && typeof v === 'object') return `{${Object.keys(v as object).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`).join(',')}}`
  return JSON.stringify(v)
}

function labelsMatch(want: Record<string, string>, have: Record<string, string> | undefined): boolean {
  if (!have) return false
  const entries = Object.entries(want)
  return entries.length > 0 && entries.every(([k, v]) => have[k] === v)
}


/** Is this identity the cluster's DNS resolver? */
function isClusterDns(i: WorkloadIdentity | undefined, cluster: ClusterContext): boolean {
  if (!i) return false
  if (i.kind === 'k8s-workload' && i.namespace === cluster.dns.namespace && labelsMatch(cluster.dns.labels, i.labels)) return true
  return i.kind === 'k8s-workload' && i.namespace === 'kube-system' && /^(kube-dns|coredns)$/.test(i.name)
}

/**
 * Is a DNS peer of a function, VM or process its resolver: an address of `hostResolvers` (or the
 * bucket holding one), or the local stub resolver process on the same host (systemd-resolved)?
 */
function isHostResolver(peer: Peer, to: WorkloadIdentity | undefined, from: WorkloadIdentity | undefined, cluster: ClusterContext): boolean {
  if (to?.kind === 'process' && from?.process && to.process?.host === from.process.host) return true
  if (peer.kind !== 'cidr') return false
  try {
    const range = ipaddr.parseCIDR(peer.cidr)
    return cluster.hostResolvers.some((r) => {
      const a = ipaddr.parse(r)
      return a.kind() === range[0].kind() && a.match(range)
    })
  } catch {
    return false
  }
}

/**
 * Generate least-privilege policy from a baseline: one allow rule per counted (from, to, port,
 * protocol) edge on each enforceable side, DNS only to the cluster resolver, no internet egress
 * for PHI workloads unless an exception is recorded, declared edges merged and marked, explicit
 * named infrastructure allowances. What is left out is listed in `withheld` with the reason.
 */
export function generatePolicy(baseline: Baseline, opts: GenerateOptions = {}): PolicySet {
  const cluster: ClusterContext = { ...DEFAULT_CLUSTER, ...opts.cluster, dns: { ...DEFAULT_CLUSTER.dns, ...opts.cluster?.dns }, apiServer: { ...DEFAULT_CLUSTER.apiServer, ...opts.cluster?.apiServer } }
  const ids = baseline.identities
  const policies = new Map<string, WorkloadPolicy>()
  const platform = new Set([cluster.dns.namespace, cluster.metrics?.namespace, cluster.ingressController?.namespace].filter((x): x is string => !!x))
  const policyOf = (id: string): WorkloadPolicy | undefined => {
    const identity = ids[id]
    if (!isEnforceable(identity)) return undefined
    if (!opts.includePlatform && identity!.kind === 'k8s-workload' && identity!.namespace !== undefined && platform.has(identity!.namespace)) return undefined
    const settings = baseline.workloads[id]
    let mode: EnforcementMode = settings?.mode ?? 'learn'
    if (mode === 'learn') mode = opts.defaultMode ?? 'alert'
    let p = policies.get(id)
    if (!p) {
      p = { identity: identity!, mode, holdsPhi: identity!.holdsPhi ?? 'unknown', ingress: [], egress: [], withheld: [] }
      policies.set(id, p)
    }
    return p
  }
  for (const id of Object.keys(baseline.workloads)) policyOf(id)

  const addRule = (list: PolicyRule[], r: PolicyRule): void => {
    const k = `${peerKey(r.peer)}|${r.port}|${r.endPort ?? ''}|${r.protocol}|${r.infrastructure ?? ''}`
    const old = list.find((x) => `${peerKey(x.peer)}|${x.port}|${x.endPort ?? ''}|${x.protocol}|${x.infrastructure ?? ''}` === k)
    if (old) {
      if (r.count) old.count = (old.count ?? 0) + r.count
      return
    }
    list.push(r)
  }
  const dnsPeer = (): Peer => {
    const dnsId = Object.values(ids).find((i) => isClusterDns(i, cluster))
    return dnsId ? { kind: 'identity', id: dnsId.id } : { kind: 'identity', id: `k8s:${cluster.dns.namespace}/kube-dns` }
  }
  const addDns = (p: WorkloadPolicy, reason: string): void => {
    const peer = dnsPeer()
    for (const protocol of ['udp', 'tcp'] as FlowProtocol[]) addRule(p.egress, { peer, port: 53, protocol, origin: 'infrastructure', infrastructure: 'dns', reason })
  }

  const describeEdge = (e: BaselineEdge): string => `${e.origin === 'declared' ? 'declared' : `observed ${e.count}×`}${e.declaredBy ? `; declared by ${e.declaredBy}` : ''} (${e.key})`

  for (const e of baseline.edges) {
    const verdict = edgeCounts(baseline, e)
    const from = e.from.kind === 'identity' ? policyOf(e.from.id) : undefined
    const to = e.to.kind === 'identity' ? policyOf(e.to.id) : undefined
    if (verdict !== 'counts') {
      const reason =
        verdict === 'denied'
          ? `denied by ${e.review?.by ?? 'a reviewer'}${e.review?.reason ? `: ${e.review.reason}` : ''}`
          : verdict === 'snoozed'
            ? `snoozed by ${e.review?.by ?? 'a reviewer'} until ${e.review?.until ?? '?'}`
            : `pending: first seen ${new Date(e.firstSeen).toISOString()}, within the ${Math.round(baseline.graceMs / 60000)}-minute grace period; review it`
      from?.withheld.push({ peer: e.to, port: e.port, protocol: e.protocol, reason })
      to?.withheld.push({ peer: e.from, port: e.port, protocol: e.protocol, reason })
      continue
    }
    if (e.count > 0 && e.dropped === e.count && e.origin === 'observed') {
      // it never worked: the enforcer in place drops it, and least privilege does not start allowing it
      const reason = `only ever seen dropped by the enforcer in place (${e.dropped}×)`
      from?.withheld.push({ peer: e.to, port: e.port, protocol: e.protocol, reason })
      to?.withheld.push({ peer: e.from, port: e.port, protocol: e.protocol, reason })
      continue
    }
    const origin = e.origin
    const envFrom = e.from.kind === 'identity' ? ids[e.from.id]?.environment : undefined
    const envTo = e.to.kind === 'identity' ? ids[e.to.id]?.environment : undefined
    if (envFrom && envTo && envFrom !== envTo && envFrom !== 'unknown' && envTo !== 'unknown' && (envFrom === 'prod' || envTo === 'prod')) {
      // environment isolation (PR.DS-7): a dev or test workload never reaches prod, nor prod them
      const reason = `crosses environments (${envFrom} → ${envTo}): dev/test and prod stay apart`
      from?.withheld.push({ peer: e.to, port: e.port, protocol: e.protocol, reason })
      to?.withheld.push({ peer: e.from, port: e.port, protocol: e.protocol, reason })
      continue
    }
    const toIdentity = e.to.kind === 'identity' ? ids[e.to.id] : undefined
    const fromIdentity = e.from.kind === 'identity' ? ids[e.from.id] : undefined
    // egress side
    if (from) {
      if (e.port === 53 && (e.protocol === 'udp' || e.protocol === 'tcp')) {
        if (from.identity.kind === 'k8s-workload' && isClusterDns(toIdentity, cluster)) addDns(from, 'cluster DNS resolver (observed)')
        else if (from.identity.kind !== 'k8s-workload' && isHostResolver(e.to, toIdentity, fromIdentity, cluster)) {
          for (const protocol of ['udp', 'tcp'] as FlowProtocol[]) addRule(from.egress, { peer: e.to, port: 53, protocol, origin: 'infrastructure', infrastructure: 'dns', reason: `host resolver (observed ${e.count}×)` })
        } else from.withheld.push({ peer: e.to, port: 53, protocol: e.protocol, reason: 'DNS is allowed to the cluster resolver only' })
      } else if (toIdentity?.kind === 'k8s-entity' && toIdentity.name === 'kube-apiserver') {
        addRule(from.egress, { peer: e.to, port: e.port, protocol: e.protocol, origin: 'infrastructure', infrastructure: 'kube-apiserver', reason: `kube-apiserver access ${describeEdge(e)}`, count: e.count, lastSeen: e.lastSeen })
      } else if (isInternetPeer(e.to, baseline) && from.holdsPhi === 'yes') {
        const ex = (baseline.workloads[from.identity.id]?.exceptions ?? []).find((x) => peerKey(x.to) === peerKey(e.to) && (x.port === undefined || x.port === e.port) && (x.protocol === undefined || x.protocol === e.protocol) && !(x.expires && Date.parse(x.expires) < (opts.now ?? new Date()).getTime()))
        if (ex) addRule(from.egress, { peer: e.to, port: e.port, protocol: e.protocol, origin: 'exception', reason: `PHI internet-egress exception: ${ex.reason}`, approvedBy: ex.by, count: e.count, lastSeen: e.lastSeen })
        else from.withheld.push({ peer: e.to, port: e.port, protocol: e.protocol, reason: 'PHI workload: no internet egress without a recorded exception (phiwall flows exception)' })
      } else {
        addRule(from.egress, { peer: e.to, port: e.port, protocol: e.protocol, origin, reason: describeEdge(e), ...(e.count ? { count: e.count, lastSeen: e.lastSeen } : {}) })
      }
    }
    // ingress side
    if (to) {
      const infra =
        fromIdentity?.kind === 'k8s-entity' && (fromIdentity.name === 'host' || fromIdentity.name === 'remote-node' || fromIdentity.name === 'health')
          ? ('health-check' as const)
          : fromIdentity && cluster.metrics && fromIdentity.namespace === cluster.metrics.namespace && labelsMatch(cluster.metrics.labels, fromIdentity.labels)
            ? ('metrics-scrape' as const)
            : fromIdentity && cluster.ingressController && fromIdentity.namespace === cluster.ingressController.namespace && labelsMatch(cluster.ingressController.labels, fromIdentity.labels)
              ? ('ingress-controller' as const)
              : undefined
      if (e.port === 53 && isClusterDns(to.identity, cluster)) continue // the resolver's own ingress is the platform's
      addRule(to.ingress, { peer: e.from, port: e.port, protocol: e.protocol, origin: infra ? 'infrastructure' : origin, ...(infra ? { infrastructure: infra } : {}), reason: describeEdge(e), ...(e.count ? { count: e.count, lastSeen: e.lastSeen } : {}) })
    }
  }

  // Ingress-routed workloads: the ingress controller reaches them on the target port
  const controller = cluster.ingressController ? Object.values(ids).find((i) => i.kind === 'k8s-workload' && i.namespace === cluster.ingressController!.namespace && labelsMatch(cluster.ingressController!.labels, i.labels)) : undefined
  const controllerId = controller?.id ?? (cluster.ingressController ? `k8s:${cluster.ingressController.namespace}/ingress-controller` : undefined)
  for (const r of opts.ingressRouted ?? []) {
    const p = policyOf(r.to)
    if (!p || !controllerId) continue
    addRule(p.ingress, { peer: { kind: 'identity', id: controllerId }, port: r.port, protocol: 'tcp', origin: 'infrastructure', infrastructure: 'ingress-controller', reason: r.evidence })
  }

  // every workload that calls anything by name needs DNS to the cluster resolver
  for (const p of policies.values()) if (p.identity.kind === 'k8s-workload' && p.egress.some((r) => r.infrastructure !== 'dns')) addDns(p, 'name resolution for the workload’s allowed peers')

  const identities: Record<string, WorkloadIdentity> = { ...ids }
  if (opts.ingressRouted?.length && cluster.ingressController && !controller) {
    const id = `k8s:${cluster.ingressController.namespace}/ingress-controller`
    identities[id] ??= { id, kind: 'k8s-workload', name: 'ingress-controller', namespace: cluster.ingressController.namespace, labels: cluster.ingressController.labels }
  }
  if (!Object.values(ids).some((i) => isClusterDns(i, cluster))) {
    const id = `k8s:${cluster.dns.namespace}/kube-dns`
    identities[id] ??= { id, kind: 'k8s-workload', name: 'kube-dns', namespace: cluster.dns.namespace, labels: cluster.dns.labels }
  }

  const set: PolicySet = {
    schema: POLICY_SCHEMA,
    version: opts.version ?? 1,
    generatedAt: (opts.now ?? new Date()).toISOString(),
    baselineDigest: createHash('sha256').update(canonicalJson(baseline)).digest('hex'),
    cluster,
    // every workload, `off` ones too: an exporter writing an enforcing host's ruleset must know a
    // process there is exempt (explicitly accepted), or its traffic falls to the host's default drop
    workloads: [...policies.values()]
      .map((p) => ({ ...p, ingress: sortRules(p.ingress), egress: sortRules(p.egress) }))
      .sort((a, b) => (a.identity.id < b.identity.id ? -1 : 1)),
    identities: Object.fromEntries(Object.entries(identities).sort(([a], [b]) => (a < b ? -1 : 1))),
    dns: baseline.dns,
    hosts: opts.hosts ?? {},
    ...(baseline.addresses?.length ? { addresses: baseline.addresses } : {}),
    apiCalls: opts.apiCalls ?? {},
  }
  return opts.precanned?.length ? applyPrecanned(set, opts.precanned) : set
}
