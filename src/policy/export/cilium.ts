/**
 * Cilium `cilium.io/v2` CiliumNetworkPolicy: one file per Kubernetes workload,
 * `<namespace>/<name>.cilium.yaml`. Peers are endpoints (labels plus
 * `k8s:io.kubernetes.pod.namespace`), entities (`kube-apiserver`), CIDR sets and FQDNs. When a
 * workload has FQDN rules its DNS allowance carries `rules.dns` so Cilium's DNS proxy learns
 * the names `toFQDNs` matches. Default deny is explicit (`enableDefaultDeny` and an empty
 * ingress rule when nothing may connect in).
 *
 * Alert mode cannot be said in the policy itself: it is written, annotated
 * `phiwall.io/mode: alert`, and only logs instead of dropping when Cilium's policy audit mode is
 * on (`policy-audit-mode` in cilium-config, or per endpoint `PolicyAuditMode`).
 */
import { CiliumNetworkPolicy } from '@kubernetes-models/cilium/cilium.io/v2/CiliumNetworkPolicy'
import type { ExportResult, ExportedFile, PolicySet } from '../types.js'
import { type K8sPlan, type PlannedRule, planHeader, planK8s } from './k8s-plan.js'
import { Notes, type PortRange, k8sObjectName, safeSegment, sortFiles, sortedWorkloads, uniquePaths } from './shared.js'
import { type YamlValue, commented, plain, renderYaml } from './yaml.js'

const PROTOCOL: Record<string, 'TCP' | 'UDP' | 'SCTP'> = { tcp: 'TCP', udp: 'UDP', sctp: 'SCTP' }
const ENTITIES = new Set(['all', 'world', 'cluster', 'host', 'init', 'ingress', 'unmanaged', 'remote-node', 'health', 'none', 'kube-apiserver'])
const MATCH_NAME = /^([-a-zA-Z0-9_]+[.]?)+$/
const MATCH_PATTERN = /^([-a-zA-Z0-9_*]+[.]?)+$/
export const NAMESPACE_LABEL = 'k8s:io.kubernetes.pod.namespace'

export const AUDIT_MODE_COMMENT =
  'ALERT MODE: a CiliumNetworkPolicy cannot say "log only". Applying this file ENFORCES it unless Cilium policy audit mode is on: cluster-wide `policy-audit-mode: "true"` in the cilium-config ConfigMap, or per endpoint `cilium-dbg endpoint config <id> PolicyAuditMode=Enabled`; then would-be drops show as AUDIT verdicts in Hubble.'

function ciliumPort(p: PortRange): YamlValue {
  const protocol = PROTOCOL[p.protocol]
  if (!protocol) throw new Error(`exporter bug: protocol ${p.protocol} reached the Cilium writer`)
  return p.endPort !== undefined ? { port: String(p.port), endPort: p.endPort, protocol } : { port: String(p.port), protocol }
}

function toPorts(rule: PlannedRule, dnsProxy: boolean): YamlValue[] {
  if (!(rule.clusterDns && dnsProxy)) return [{ ports: rule.ports.map(ciliumPort) }]
  // the DNS proxy rule only on port 53; any other port to the same peer stays plain L4
  const dns = rule.ports.filter((p) => p.port === 53 && p.endPort === undefined)
  const rest = rule.ports.filter((p) => !(p.port === 53 && p.endPort === undefined))
  const out: YamlValue[] = [{ ports: dns.map(ciliumPort), rules: { dns: [{ matchPattern: '*' }] } }]
  if (rest.length > 0) out.push({ ports: rest.map(ciliumPort) })
  return out
}

function ciliumRule(plan: K8sPlan, rule: PlannedRule, notes: Notes, dnsProxy: boolean): YamlValue | undefined {
  const t = rule.target
  const ing = rule.direction === 'ingress'
  const why = rule.comments.join('; ')
  const comments = [...rule.comments]
  let peer: { [k: string]: YamlValue }
  switch (t.kind) {
    case 'pods':
      peer = { [ing ? 'fromEndpoints' : 'toEndpoints']: [{ matchLabels: { [NAMESPACE_LABEL]: t.namespace, ...t.labels } }] }
      break
    case 'entity':
      if (!ENTITIES.has(t.entity)) {
        notes.add(plan.id, `${rule.direction} with entity ${JSON.stringify(t.entity)} (${why}): not a Cilium entity; not exported`)
        return undefined
      }
      peer = { [ing ? 'fromEntities' : 'toEntities']: [t.entity] }
      break
    case 'cidrs':
      peer = { [ing ? 'fromCIDRSet' : 'toCIDRSet']: t.cidrs.map((c) => ({ cidr: c.text })) }
      comments.push(`peer: ${t.what}`)
      break
    case 'fqdn':
      if (ing) {
        if (t.cidrs.length === 0) {
          notes.add(plan.id, `ingress from ${t.fqdn} (${why}): Cilium matches names only for egress and no addresses are known; not exported`)
          return undefined
        }
        notes.add(plan.id, `ingress from ${t.fqdn}: Cilium matches names only for egress; allowed as the addresses DNS returned, which go stale`)
        peer = { fromCIDRSet: t.cidrs.map((c) => ({ cidr: c.text })) }
        comments.push(`fqdn ${t.fqdn} as the addresses DNS returned when the baseline was learned; they GO STALE when the name moves`)
        break
      }
      if (t.fqdn.includes('*') ? !MATCH_PATTERN.test(t.fqdn) : !MATCH_NAME.test(t.fqdn)) {
        notes.add(plan.id, `egress to ${JSON.stringify(t.fqdn)} (${why}): not a name Cilium can match; not exported`)
        return undefined
      }
      peer = { toFQDNs: [t.fqdn.includes('*') ? { matchPattern: t.fqdn } : { matchName: t.fqdn }] }
      break
  }
  return commented(comments, { ...peer, toPorts: toPorts(rule, dnsProxy) })
}

function ciliumFile(set: PolicySet, plan: K8sPlan, notes: Notes): { doc: { [k: string]: YamlValue }; header: string[] } {
  const dnsProxy = plan.egress.some((r) => r.target.kind === 'fqdn')
  const ingress = plan.ingress.map((r) => ciliumRule(plan, r, notes, dnsProxy)).filter((r): r is YamlValue => r !== undefined)
  const egress = plan.egress.map((r) => ciliumRule(plan, r, notes, dnsProxy)).filter((r): r is YamlValue => r !== undefined)
  if (dnsProxy && !plan.egress.some((r) => r.clusterDns)) {
    notes.add(plan.id, 'toFQDNs rules need a DNS rule with rules.dns so the DNS proxy sees lookups, and no cluster DNS allowance could be written: FQDN egress will not work')
  }
  const header = planHeader(set, plan, 'CiliumNetworkPolicy')
  if (dnsProxy) header.push("FQDN egress: the DNS allowance carries rules.dns (matchPattern '*') so Cilium's DNS proxy learns the addresses toFQDNs allows.")
  if (plan.mode === 'alert') {
    header.push(AUDIT_MODE_COMMENT)
    notes.add(plan.id, "mode 'alert': a CiliumNetworkPolicy enforces unless Cilium policy audit mode is enabled (policy-audit-mode in cilium-config, or per endpoint PolicyAuditMode=Enabled)")
  }
  const doc: { [k: string]: YamlValue } = {
    apiVersion: 'cilium.io/v2',
    kind: 'CiliumNetworkPolicy',
    metadata: {
      name: k8sObjectName(plan.name),
      namespace: plan.namespace,
      labels: { 'app.kubernetes.io/managed-by': 'phiwall' },
      annotations: {
        'phiwall.io/allowances': plan.allowances.join(','),
        'phiwall.io/mode': plan.mode,
        'phiwall.io/policy-version': String(set.version),
        'phiwall.io/workload': plan.id,
      },
    },
    spec: {
      description: `PhiWall allow-list for ${plan.id} (mode ${plan.mode})`,
      endpointSelector: { matchLabels: plan.labels },
      enableDefaultDeny: { ingress: true, egress: true },
      // an empty rule makes older Cilium (without enableDefaultDeny) default-deny that direction too
      ingress: ingress.length > 0 ? ingress : [commented(['no ingress allowed: this empty rule selects nothing and puts ingress in default deny'], {})],
      egress: egress.length > 0 ? egress : [commented(['no egress allowed: this empty rule selects nothing and puts egress in default deny'], {})],
    },
  }
  return { doc, header }
}

/** Throws when the object is not a valid CiliumNetworkPolicy (a bug, never shipped as a file). */
export function validateCiliumNetworkPolicy(obj: unknown): void {
  new CiliumNetworkPolicy(obj as ConstructorParameters<typeof CiliumNetworkPolicy>[0]).validate()
}

export function exportCilium(set: PolicySet): ExportResult {
  const notes = new Notes()
  const built: { plan: K8sPlan; content: string }[] = []
  for (const wp of sortedWorkloads(set)) {
    const plan = planK8s(set, wp, notes, 'CiliumNetworkPolicy')
    if (!plan) continue
    const { doc, header } = ciliumFile(set, plan, notes)
    try {
      validateCiliumNetworkPolicy(plain(doc))
    } catch (e) {
      throw new Error(`exporter bug: invalid CiliumNetworkPolicy for ${plan.id}: ${(e as Error).message}`)
    }
    built.push({ plan, content: renderYaml(doc, header) })
  }
  const paths = uniquePaths(built.map((b) => ({ key: b.plan.id, path: `${safeSegment(b.plan.namespace)}/${safeSegment(b.plan.name)}.cilium.yaml` })))
  const files: ExportedFile[] = built.map((b) => ({ path: paths.get(b.plan.id)!, content: b.content, workloads: [b.plan.id] }))
  return { format: 'cilium', files: sortFiles(files), notes: notes.list() }
}
