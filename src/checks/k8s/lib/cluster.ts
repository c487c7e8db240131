/**
 * Helpers of the cluster-level Kubernetes checks: an index of the objects a check looks up
 * (workloads, NetworkPolicies, RBAC objects, Namespaces) built once per inventory view, and the
 * semantics of NetworkPolicy, CiliumNetworkPolicy and RBAC as the API server and the network
 * plugins apply them. Every reader meets odd values (wrong types, nulls) with "not set".
 */
import type { InventoryView } from '../../../inventory/index.js'
import { labelSelectorMatches, labelsOf, podLabelsOf } from '../../../inventory/index.js'
import type { Resource } from '../../../model/index.js'
import { isObj, podSpecOf, str, subject, WORKLOAD_KINDS } from './pod.js'

export const NETWORK_POLICY = 'K8s::Networking::NetworkPolicy'
export const CILIUM_POLICY = 'K8s::Cilium::CiliumNetworkPolicy'
export const CILIUM_CLUSTERWIDE_POLICY = 'K8s::Cilium::CiliumClusterwideNetworkPolicy'
export const ROLE = 'K8s::Rbac::Role'
export const CLUSTER_ROLE = 'K8s::Rbac::ClusterRole'
export const ROLE_BINDING = 'K8s::Rbac::RoleBinding'
export const CLUSTER_ROLE_BINDING = 'K8s::Rbac::ClusterRoleBinding'
export const SERVICE_ACCOUNT = 'K8s::Core::ServiceAccount'
export const NAMESPACE = 'K8s::Core::Namespace'
export const SERVICE = 'K8s::Core::Service'

const WORKLOAD_KIND_SET = new Set(WORKLOAD_KINDS)

// ---------------------------------------------------------------------------------------------
// values

/** Strings of a list property; anything that is not a list of strings reads as empty. */
export function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []
}

/** Objects of a list property, with their index in the list. */
export function objects(v: unknown): { value: Record<string, unknown>; index: number }[] {
  if (!Array.isArray(v)) return []
  const out: { value: Record<string, unknown>; index: number }[] = []
  v.forEach((x, index) => {
    if (isObj(x)) out.push({ value: x, index })
  })
  return out
}

/** Annotations of an object as strings (non-string values are dropped). */
export function annotationsOf(r: Resource): Record<string, string> {
  const meta = r.props['metadata']
  const a = isObj(meta) ? meta['annotations'] : undefined
  const out: Record<string, string> = {}
  if (isObj(a)) for (const [k, v] of Object.entries(a)) if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = String(v)
  return out
}

/** "Deployment clinic-prod/intake-api, StatefulSet clinic-prod/ehr-db and 2 more". */
export function nameList(resources: readonly Resource[], max = 3): string {
  const names = resources.slice(0, max).map(subject)
  const rest = resources.length - names.length
  if (rest > 0) return `${names.join(', ')} and ${rest} more`
  if (names.length <= 1) return names.join('')
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`
}

/** Prefix length of a CIDR (`0.0.0.0/0` → 0), undefined when the value is not a CIDR. */
export function cidrPrefix(cidr: unknown): number | undefined {
  if (typeof cidr !== 'string') return undefined
  const m = /^\s*([0-9A-Fa-f:.]+)\/(\d{1,3})\s*$/.exec(cidr)
  if (!m || (!m[1]!.includes('.') && !m[1]!.includes(':'))) return undefined
  const prefix = Number(m[2])
  return prefix <= (m[1]!.includes(':') ? 128 : 32) ? prefix : undefined
}

/** Does a CIDR cover every address (`0.0.0.0/0`, `::/0`)? */
export function isWorldCidr(cidr: unknown): boolean {
  return cidrPrefix(cidr) === 0
}

/** Does a tls host cover a rule host: the same name, or a wildcard `*.clinic.example` for one label? */
export function hostCovered(tlsHost: string, host: string): boolean {
  const t = tlsHost.trim().toLowerCase()
  const h = host.trim().toLowerCase()
  if (t === h) return true
  if (!t.startsWith('*.')) return false
  const dot = h.indexOf('.')
  return dot > 0 && !h.startsWith('*.') && h.slice(dot) === t.slice(1)
}

// ---------------------------------------------------------------------------------------------
// the index

/** Objects the cluster-level checks look up, by namespace or name. */
export interface ClusterIndex {
  /** Workloads (pods and pod templates) by namespace. */
  workloads: Map<string, Resource[]>
  /** NetworkPolicies by namespace. */
  networkPolicies: Map<string, Resource[]>
  /** CiliumNetworkPolicies by namespace. */
  ciliumPolicies: Map<string, Resource[]>
  ciliumClusterwide: Resource[]
  /** Namespace objects by name. */
  namespaces: Map<string, Resource>
  /** ServiceAccounts by `namespace/name`. */
  serviceAccounts: Map<string, Resource>
  /** Roles by `namespace/name`, ClusterRoles by name (several when overlays repeat an object). */
  roles: Map<string, Resource[]>
  clusterRoles: Map<string, Resource[]>
  /** The last workload `policiesSelecting` was asked about, and its answer. */
  lastSelecting?: { w: Resource; out: readonly SelectingPolicy[] }
  /** RoleBindings and ClusterRoleBindings. */
  bindings: Resource[]
}

const INDEXES = new WeakMap<InventoryView, ClusterIndex>()

const push = <K, V>(m: Map<K, V[]>, k: K, v: V): void => {
  ;(m.get(k) ?? m.set(k, []).get(k)!).push(v)
}

/** The index of a view, built on first use and kept as long as the view. */
export function clusterIndex(view: InventoryView): ClusterIndex {
  let idx = INDEXES.get(view)
  if (idx) return idx
  idx = { workloads: new Map(), networkPolicies: new Map(), ciliumPolicies: new Map(), ciliumClusterwide: [], namespaces: new Map(), serviceAccounts: new Map(), roles: new Map(), clusterRoles: new Map(), bindings: [] }
  for (const r of view.resources) {
    if (r.provider !== 'kubernetes') continue
    const ns = r.namespace ?? ''
    if (WORKLOAD_KIND_SET.has(r.kind)) push(idx.workloads, ns, r)
    else if (r.type === NETWORK_POLICY) push(idx.networkPolicies, ns, r)
    else if (r.type === CILIUM_POLICY) push(idx.ciliumPolicies, ns, r)
    else if (r.type === CILIUM_CLUSTERWIDE_POLICY) idx.ciliumClusterwide.push(r)
    else if (r.type === NAMESPACE) idx.namespaces.set(r.name, r)
    else if (r.type === SERVICE_ACCOUNT) idx.serviceAccounts.set(`${ns}/${r.name}`, r)
    else if (r.type === ROLE) push(idx.roles, `${ns}/${r.name}`, r)
    else if (r.type === CLUSTER_ROLE) push(idx.clusterRoles, r.name, r)
    else if (r.type === ROLE_BINDING || r.type === CLUSTER_ROLE_BINDING) idx.bindings.push(r)
  }
  INDEXES.set(view, idx)
  return idx
}

/** Workloads of a namespace in the scan. */
export function workloadsIn(view: InventoryView, namespace: string | undefined): Resource[] {
  return clusterIndex(view).workloads.get(namespace ?? '') ?? []
}

/** Every workload of the scan. */
export function allWorkloads(view: InventoryView): Resource[] {
  return [...clusterIndex(view).workloads.values()].flat()
}

/** Does the scan hold any NetworkPolicy or Cilium policy at all? */
export function anyNetworkPolicy(view: InventoryView): boolean {
  const idx = clusterIndex(view)
  return idx.networkPolicies.size > 0 || idx.ciliumPolicies.size > 0 || idx.ciliumClusterwide.length > 0
}

/**
 * Does the scan speak for the segmentation of a namespace? Yes when it declares network policies
 * anywhere (the team manages them in these manifests, so a workload none selects is a gap) or the
 * Namespace object itself (the team owns the namespace's configuration). Otherwise policies may
 * well be applied from elsewhere (a platform repository, a cluster add-on) and the scan cannot tell.
 */
export function segmentationInScope(view: InventoryView, namespace: string | undefined): boolean {
  return anyNetworkPolicy(view) || (namespace !== undefined && clusterIndex(view).namespaces.has(namespace))
}

/** Labels of a workload's pods (the pod's own labels for a Pod). */
export function podLabels(w: Resource): Record<string, string> {
  return podLabelsOf(w.type, w.props) ?? {}
}

/** Workloads of a Service's namespace whose pods its (plain map) selector selects. */
export function workloadsSelectedByService(view: InventoryView, service: Resource): Resource[] {
  const selector = isObj(service.props['spec']) ? service.props['spec']['selector'] : undefined
  if (!isObj(selector)) return []
  const first = Object.entries(selector)[0]
  if (!first) return []
  // only the workloads carrying the selector's first label can match: look them up, then match fully
  const candidates = labelIndex(view).get(`${service.namespace ?? ''}\u0000${first[0]}\u0000${String(first[1])}`) ?? []
  return candidates.filter((w) => labelSelectorMatches(selector, podLabels(w), true))
}

/** Workloads by namespace and one pod label (`ns\0key\0value`), built once per view. */
const LABEL_INDEXES = new WeakMap<InventoryView, Map<string, Resource[]>>()
function labelIndex(view: InventoryView): Map<string, Resource[]> {
  let idx = LABEL_INDEXES.get(view)
  if (!idx) {
    idx = new Map()
    for (const [ns, ws] of clusterIndex(view).workloads) {
      for (const w of ws) {
        for (const [k, v] of Object.entries(podLabels(w))) {
          const key = `${ns}\u0000${k}\u0000${v}`
          ;(idx.get(key) ?? idx.set(key, []).get(key)!).push(w)
        }
      }
    }
    LABEL_INDEXES.set(view, idx)
  }
  return idx
}

// ---------------------------------------------------------------------------------------------
// NetworkPolicy

/**
 * Is a label selector well-formed enough to evaluate? `matchLabels` must be a map and
 * `matchExpressions` a list when present; the API server rejects anything else, and the
 * permissive reading (a string `matchLabels` ignored, selecting every pod) would be a guess.
 */
export function selectorWellFormed(sel: unknown): sel is Record<string, unknown> {
  if (!isObj(sel)) return false
  const ml = sel['matchLabels']
  const me = sel['matchExpressions']
  return (ml === undefined || ml === null || isObj(ml)) && (me === undefined || me === null || Array.isArray(me))
}

/** Is a selector `{}` (no labels, no expressions): every pod of the namespace? */
export function selectsAll(sel: unknown): boolean {
  if (sel === undefined || sel === null) return true
  if (!isObj(sel)) return false
  const ml = sel['matchLabels']
  const me = sel['matchExpressions']
  return (ml === undefined || ml === null || (isObj(ml) && Object.keys(ml).length === 0)) && (me === undefined || me === null || (Array.isArray(me) && me.length === 0))
}

/**
 * The podSelector of a NetworkPolicy. It is a required struct in the API: a manifest that leaves
 * it out (or writes null) is stored as `{}`, which selects every pod of the namespace.
 */
export function podSelectorOf(np: Resource): unknown {
  const spec = np.props['spec']
  const sel = isObj(spec) ? spec['podSelector'] : undefined
  return sel === undefined || sel === null ? {} : sel
}

/** Does a NetworkPolicy select the pods of a workload (same namespace, podSelector matches)? */
export function networkPolicySelects(np: Resource, w: Resource): boolean {
  if ((np.namespace ?? '') !== (w.namespace ?? '')) return false
  const sel = podSelectorOf(np)
  if (!selectorWellFormed(sel)) return false
  return labelSelectorMatches(sel, podLabels(w))
}

/**
 * The directions a NetworkPolicy isolates. Without `policyTypes` the API server sets Ingress
 * always, and Egress when the policy has egress rules.
 */
export function policyDirections(np: Resource): { ingress: boolean; egress: boolean } {
  const spec = isObj(np.props['spec']) ? np.props['spec'] : {}
  const types = strings(spec['policyTypes'])
  if (Array.isArray(spec['policyTypes']) && types.length > 0) return { ingress: types.includes('Ingress'), egress: types.includes('Egress') }
  return { ingress: true, egress: Array.isArray(spec['egress']) && spec['egress'].length > 0 }
}

/** One policy that selects a workload, and the directions it isolates for it. */
export interface SelectingPolicy {
  policy: Resource
  engine: 'kubernetes' | 'cilium'
  ingress: boolean
  egress: boolean
}

/** NetworkPolicies and Cilium policies that select a workload's pods. */
export function policiesSelecting(view: InventoryView, w: Resource): readonly SelectingPolicy[] {
  // checks ask about each workload one after the other: the last answer is kept (read-only), on
  // the view's index so that it goes with the view
  const idx = clusterIndex(view)
  if (idx.lastSelecting?.w === w) return idx.lastSelecting.out
  const out = selectingPolicies(idx, w)
  idx.lastSelecting = { w, out }
  return out
}
const SELECTING = new WeakMap<Resource, SelectingPolicy>()

function selectingPolicies(idx: ClusterIndex, w: Resource): SelectingPolicy[] {
  const ns = w.namespace ?? ''
  const out: SelectingPolicy[] = []
  for (const np of idx.networkPolicies.get(ns) ?? []) {
    if (!networkPolicySelects(np, w)) continue
    // the same for every workload a policy selects: one shared (read-only) object per policy
    let sp = SELECTING.get(np)
    if (!sp) SELECTING.set(np, (sp = { policy: np, engine: 'kubernetes', ...policyDirections(np) }))
    out.push(sp)
  }
  const cilium = idx.ciliumPolicies.get(ns)
  if (!cilium?.length && !idx.ciliumClusterwide.length) return out
  for (const cnp of [...(cilium ?? []), ...idx.ciliumClusterwide]) {
    const rules = ciliumRules(cnp).filter((x) => ciliumRuleSelects(cnp, x.rule, w))
    if (rules.length) out.push({ policy: cnp, engine: 'cilium', ingress: rules.some((x) => ciliumIsolates(x.rule, 'ingress')), egress: rules.some((x) => ciliumIsolates(x.rule, 'egress')) })
  }
  return out
}

/** An egress rule that lets traffic leave for any address, with where it is written. */
export interface OpenEgressRule {
  policy: Resource
  /** Property path of the rule in the policy (`spec.egress.1`). */
  path: string
  reason: string
}

const DNS_PORT_NAMES = new Set(['dns', 'dns-tcp', 'dns-udp'])

/** Ports of a NetworkPolicy rule that are only DNS (53, or the named port `dns` / `dns-tcp`). */
export function dnsOnlyPorts(ports: unknown): boolean {
  const list = objects(ports)
  if (!Array.isArray(ports) || list.length === 0 || list.length !== ports.length) return false
  return list.every(({ value: p }) => {
    const port = p['port']
    const end = p['endPort']
    const is53 = port === 53 || port === '53' || (typeof port === 'string' && DNS_PORT_NAMES.has(port.toLowerCase()))
    return is53 && (end === undefined || end === null || end === 53)
  })
}

/**
 * Egress rules of a NetworkPolicy that allow every destination: a rule without `to` (all
 * destinations on its ports), or an `ipBlock` whose CIDR is `0.0.0.0/0` / `::/0` (an `except`
 * list still leaves the rest of the internet open). Rules limited to DNS (port 53) are not
 * counted: name resolution is needed and narrow.
 */
export function openEgressRules(np: Resource): OpenEgressRule[] {
  const spec = isObj(np.props['spec']) ? np.props['spec'] : {}
  const out: OpenEgressRule[] = []
  for (const { value: rule, index } of objects(spec['egress'])) {
    if (dnsOnlyPorts(rule['ports'])) continue
    const to = rule['to']
    const ports = portsText(rule['ports'])
    if (to === undefined || to === null || (Array.isArray(to) && to.length === 0)) {
      out.push({ policy: np, path: `spec.egress.${index}`, reason: `a rule without "to" allows every destination on ${ports}` })
      continue
    }
    for (const { value: peer, index: j } of objects(to)) {
      const block = peer['ipBlock']
      if (isObj(block) && isWorldCidr(block['cidr'])) {
        const except = strings(block['except']).length
        out.push({ policy: np, path: `spec.egress.${index}.to.${j}.ipBlock.cidr`, reason: `ipBlock ${String(block['cidr']).trim()}${except ? ` (with ${except} exception${except > 1 ? 's' : ''})` : ''} allows the internet on ${ports}` })
      }
    }
  }
  return out
}

/** "port 443/TCP, 8443" or "every port": the ports of a NetworkPolicy rule, for messages. */
export function portsText(ports: unknown): string {
  const list = objects(ports)
  if (!list.length) return 'every port'
  const names = list.map(({ value: p }) => {
    const port = typeof p['port'] === 'number' || typeof p['port'] === 'string' ? String(p['port']) : 'any'
    const end = typeof p['endPort'] === 'number' ? `-${p['endPort']}` : ''
    const proto = typeof p['protocol'] === 'string' ? `/${p['protocol']}` : ''
    return `${port}${end}${proto}`
  })
  return `port${names.length > 1 ? 's' : ''} ${names.slice(0, 5).join(', ')}${names.length > 5 ? ', …' : ''}`
}

// ---------------------------------------------------------------------------------------------
// Cilium

/** The rules of a Cilium policy: `spec` (one rule) and `specs` (a list). */
export function ciliumRules(cnp: Resource): { rule: Record<string, unknown>; path: string }[] {
  const out: { rule: Record<string, unknown>; path: string }[] = []
  if (isObj(cnp.props['spec'])) out.push({ rule: cnp.props['spec'], path: 'spec' })
  for (const { value, index } of objects(cnp.props['specs'])) out.push({ rule: value, path: `specs.${index}` })
  return out
}

/**
 * Cilium selector label keys carry a source prefix (`k8s:app`, `any:app`); pods are matched on
 * their Kubernetes labels plus `io.kubernetes.pod.namespace`. Keys of other sources
 * (`reserved:host`, `cidr:…`) never match a pod's labels.
 */
function ciliumKey(key: string): string | undefined {
  const colon = key.indexOf(':')
  if (colon === -1) return key
  const source = key.slice(0, colon)
  return source === 'k8s' || source === 'any' ? key.slice(colon + 1) : undefined
}

function normalizeCiliumSelector(sel: Record<string, unknown>): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {}
  const ml = sel['matchLabels']
  if (isObj(ml)) {
    const labels: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(ml)) {
      const key = ciliumKey(k)
      if (key === undefined) return undefined
      labels[key] = v
    }
    out['matchLabels'] = labels
  }
  const me = sel['matchExpressions']
  if (Array.isArray(me)) {
    const exprs: unknown[] = []
    for (const e of me) {
      if (!isObj(e) || typeof e['key'] !== 'string') return undefined
      const key = ciliumKey(e['key'])
      if (key === undefined) return undefined
      exprs.push({ ...e, key })
    }
    out['matchExpressions'] = exprs
  }
  return out
}

/** Does one rule of a Cilium policy select a workload's pods? Host policies (`nodeSelector`) select none. */
export function ciliumRuleSelects(cnp: Resource, rule: Record<string, unknown>, w: Resource): boolean {
  if (cnp.type === CILIUM_POLICY && (cnp.namespace ?? '') !== (w.namespace ?? '')) return false
  const sel = rule['endpointSelector']
  if (!selectorWellFormed(sel)) return false
  const normalized = normalizeCiliumSelector(sel)
  if (!normalized) return false
  return labelSelectorMatches(normalized, { ...podLabels(w), 'io.kubernetes.pod.namespace': w.namespace ?? 'default' })
}

/**
 * Does a Cilium rule put its endpoints into default deny for a direction? Yes when it has a
 * non-empty `ingress` / `ingressDeny` (`egress` / `egressDeny`) list, unless
 * `enableDefaultDeny.<direction>` is false.
 */
export function ciliumIsolates(rule: Record<string, unknown>, direction: 'ingress' | 'egress'): boolean {
  const dd = rule['enableDefaultDeny']
  if (isObj(dd) && dd[direction] === false) return false
  const has = (k: string): boolean => Array.isArray(rule[k]) && (rule[k] as unknown[]).length > 0
  return has(direction) || has(`${direction}Deny`)
}

const CILIUM_L3 = ['toEndpoints', 'toCIDR', 'toCIDRSet', 'toEntities', 'toFQDNs', 'toServices', 'toGroups', 'toNodes', 'toRequires']
const WORLD_ENTITIES = new Set(['world', 'all', 'world-ipv4', 'world-ipv6'])

/** Do the `toPorts` of a Cilium rule allow only DNS (port 53)? */
function ciliumDnsOnly(toPorts: unknown): boolean {
  const entries = objects(toPorts)
  if (!entries.length) return false
  return entries.every(({ value }) => dnsOnlyPorts(value['ports']))
}

/**
 * Egress rules of a Cilium policy that reach any address: `toEntities` world / all, a
 * `toCIDR` / `toCIDRSet` of prefix 0, or a rule with `toPorts` and no destination selector
 * (an L4-only rule allows every destination on its ports). An empty rule `{}` allows nothing;
 * `toFQDNs` and endpoint selectors are narrow; rules limited to DNS are not counted.
 */
export function openCiliumEgressRules(cnp: Resource, w: Resource): OpenEgressRule[] {
  const out: OpenEgressRule[] = []
  for (const { rule, path } of ciliumRules(cnp)) {
    if (!ciliumRuleSelects(cnp, rule, w) || !ciliumIsolates(rule, 'egress')) continue
    for (const { value: e, index } of objects(rule['egress'])) {
      if (ciliumDnsOnly(e['toPorts'])) continue
      const at = `${path}.egress.${index}`
      const entities = strings(e['toEntities']).filter((x) => WORLD_ENTITIES.has(x))
      if (entities.length) out.push({ policy: cnp, path: `${at}.toEntities`, reason: `toEntities ${entities.join(', ')} allows the internet` })
      const cidrs = [...strings(e['toCIDR']), ...objects(e['toCIDRSet']).map(({ value }) => value['cidr'])].filter(isWorldCidr)
      if (cidrs.length) out.push({ policy: cnp, path: `${at}.${Array.isArray(e['toCIDR']) && strings(e['toCIDR']).some(isWorldCidr) ? 'toCIDR' : 'toCIDRSet'}`, reason: `CIDR ${String(cidrs[0]).trim()} allows the internet` })
      const hasL3 = CILIUM_L3.some((k) => e[k] !== undefined && e[k] !== null)
      if (!hasL3 && objects(e['toPorts']).length > 0) out.push({ policy: cnp, path: `${at}.toPorts`, reason: 'a rule with toPorts and no destination allows every address on those ports' })
    }
  }
  return out
}

// ---------------------------------------------------------------------------------------------
// RBAC

/** One rule of a Role or ClusterRole, with its lists read as strings. */
export interface RbacRule {
  index: number
  /** `rules.0` */
  path: string
  verbs: string[]
  apiGroups: string[]
  resources: string[]
  resourceNames: string[]
  nonResourceURLs: string[]
}

/** The rules of a Role or ClusterRole (an aggregated ClusterRole: the rules written on it). */
export function rulesOf(role: Resource): RbacRule[] {
  return objects(role.props['rules']).map(({ value, index }) => ({
    index,
    path: `rules.${index}`,
    verbs: strings(value['verbs']),
    apiGroups: strings(value['apiGroups']),
    resources: strings(value['resources']),
    resourceNames: strings(value['resourceNames']),
    nonResourceURLs: strings(value['nonResourceURLs']),
  }))
}

/**
 * Does a rule allow `verb` on `resource` (with subresource: `pods/exec`) of an API group, as the
 * RBAC authorizer matches: `*` in verbs, apiGroups or resources matches all, a `*` + `/exec` entry matches
 * the subresource of every resource. A rule with resourceNames only matches named objects, so it
 * never matches create (whose object has no name yet) and is reported as `named`.
 */
export function ruleAllows(rule: RbacRule, group: string, resource: string, verb: string): boolean {
  if (!rule.verbs.includes('*') && !rule.verbs.includes(verb)) return false
  if (!rule.apiGroups.includes('*') && !rule.apiGroups.includes(group)) return false
  const slash = resource.indexOf('/')
  const sub = slash === -1 ? '' : resource.slice(slash + 1)
  return rule.resources.some((r) => r === '*' || r === resource || (sub !== '' && r === `*/${sub}`))
}

/** Is a rule `*` on `*` in `*`: everything a cluster-admin can do to API resources? */
export function isFullAdminRule(rule: RbacRule): boolean {
  return rule.verbs.includes('*') && rule.apiGroups.includes('*') && rule.resources.includes('*') && rule.resourceNames.length === 0
}

/**
 * Built-in ClusterRoles the API server creates and reconciles (`cluster-admin`, `system:…`,
 * anything labelled `kubernetes.io/bootstrapping: rbac-defaults`): out of scope for role checks,
 * since editing them is undone at the next restart.
 */
export function isBuiltInRole(r: Resource): boolean {
  if (r.type !== CLUSTER_ROLE) return false
  if (r.name === 'cluster-admin' || r.name.startsWith('system:')) return true
  return labelsOf(r.props['metadata'])['kubernetes.io/bootstrapping'] === 'rbac-defaults'
}

/** The roleRef of a binding. */
export function roleRefOf(binding: Resource): { kind: string; name: string } | undefined {
  const ref = binding.props['roleRef']
  if (!isObj(ref)) return undefined
  const kind = str(ref['kind'])
  const name = str(ref['name'])
  return kind && name ? { kind, name } : undefined
}

/** Roles of the scan a binding's roleRef names: the ClusterRole, or the Role of the binding's namespace. */
function rolesNamedBy(view: InventoryView, binding: Resource): Resource[] {
  const ref = roleRefOf(binding)
  if (!ref) return []
  const idx = clusterIndex(view)
  if (ref.kind === 'ClusterRole') return idx.clusterRoles.get(ref.name) ?? []
  // a ClusterRoleBinding can only refer to a ClusterRole
  if (ref.kind === 'Role' && binding.type === ROLE_BINDING) return idx.roles.get(`${binding.namespace ?? ''}/${ref.name}`) ?? []
  return []
}

/**
 * The Role or ClusterRole a binding refers to, when it is in the scan. When the scan holds the
 * same role more than once (a base and its overlays), the one read from the binding's own file.
 */
export function roleOfBinding(view: InventoryView, binding: Resource): Resource | undefined {
  const roles = rolesNamedBy(view, binding)
  return roles.find((r) => r.stack === binding.stack) ?? roles[0]
}

const BINDINGS_BY_ROLE = new WeakMap<InventoryView, Map<Resource, Resource[]>>()

/** Bindings of the scan that grant a role. */
export function bindingsOfRole(view: InventoryView, role: Resource): Resource[] {
  let byRole = BINDINGS_BY_ROLE.get(view)
  if (!byRole) {
    byRole = new Map()
    // by name, as the API server resolves roleRef: every copy of a repeated role is granted
    for (const b of clusterIndex(view).bindings) for (const r of rolesNamedBy(view, b)) push(byRole, r, b)
    BINDINGS_BY_ROLE.set(view, byRole)
  }
  return byRole.get(role) ?? []
}

/** One subject of a binding. */
export interface Subject {
  kind: string
  name: string
  /** Effective namespace of a ServiceAccount subject (the binding's own for a RoleBinding that names none). */
  namespace?: string
  /** `subjects.0` */
  path: string
}

/** The subjects of a binding; malformed entries are skipped. */
export function subjectsOf(binding: Resource): Subject[] {
  const out: Subject[] = []
  for (const { value, index } of objects(binding.props['subjects'])) {
    const kind = str(value['kind'])
    const name = str(value['name'])
    if (!kind || !name) continue
    const ns = str(value['namespace']) || (kind === 'ServiceAccount' && binding.type === ROLE_BINDING ? binding.namespace : undefined)
    out.push({ kind, name, ...(ns ? { namespace: ns } : {}), path: `subjects.${index}` })
  }
  return out
}

/** "ServiceAccount clinic-prod/intake-api", "Group system:authenticated". */
export function describeSubject(s: Subject): string {
  return s.kind === 'ServiceAccount' ? `ServiceAccount ${s.namespace ? `${s.namespace}/` : ''}${s.name}` : `${s.kind} ${s.name}`
}

/** Who a subject stands for. */
export type SubjectClass = 'service-account' | 'service-accounts' | 'anonymous' | 'authenticated' | 'human'

/** Classify a subject: one ServiceAccount, every ServiceAccount (of a namespace), anonymous, every authenticated caller, or people. */
export function subjectClass(s: Subject): SubjectClass {
  if (s.kind === 'ServiceAccount') return 'service-account'
  if (s.kind === 'User' && s.name.startsWith('system:serviceaccount:')) return 'service-account'
  if ((s.kind === 'User' && s.name === 'system:anonymous') || (s.kind === 'Group' && s.name === 'system:unauthenticated')) return 'anonymous'
  if (s.kind === 'Group' && s.name === 'system:authenticated') return 'authenticated'
  if (s.kind === 'Group' && (s.name === 'system:serviceaccounts' || s.name.startsWith('system:serviceaccounts:'))) return 'service-accounts'
  return 'human'
}

/** The ServiceAccount a workload's pods run as: `serviceAccountName`, the deprecated `serviceAccount`, else `default`. */
export function serviceAccountOf(w: Resource): { name: string; explicit: boolean; path?: string } {
  const pod = podSpecOf(w)
  if (!pod) return { name: 'default', explicit: false }
  for (const key of ['serviceAccountName', 'serviceAccount']) {
    const v = pod.spec[key]
    if (typeof v === 'string' && v) return { name: v, explicit: true, path: `${pod.path}.${key}` }
  }
  return { name: 'default', explicit: false }
}

/**
 * Does a workload's pod get a ServiceAccount token? The pod's `automountServiceAccountToken`
 * wins; else the ServiceAccount object's (when it is in the scan); else yes.
 */
export function tokenMounted(view: InventoryView, w: Resource): boolean {
  const pod = podSpecOf(w)
  const own = pod?.spec['automountServiceAccountToken']
  if (typeof own === 'boolean') return own
  const sa = clusterIndex(view).serviceAccounts.get(`${w.namespace ?? ''}/${serviceAccountOf(w).name}`)
  const fromSa = sa?.props['automountServiceAccountToken']
  return typeof fromSa === 'boolean' ? fromSa : true
}

/**
 * The ServiceAccount a subject names: a ServiceAccount subject (with its effective namespace), or
 * the user name every ServiceAccount token authenticates as (`system:serviceaccount:<ns>:<name>`).
 */
export function accountOfSubject(s: Subject): { namespace: string; name: string } | undefined {
  if (s.kind === 'ServiceAccount') return s.namespace ? { namespace: s.namespace, name: s.name } : undefined
  if (s.kind !== 'User' || !s.name.startsWith('system:serviceaccount:')) return undefined
  const parts = s.name.split(':')
  return parts.length === 4 && parts[2] && parts[3] ? { namespace: parts[2], name: parts[3] } : undefined
}

const DEFAULT_ACCOUNT_BINDINGS = new WeakMap<InventoryView, Map<string, Resource[]>>()

/** Bindings of the scan that name the `default` ServiceAccount of a namespace as a subject. */
export function bindingsOfDefaultAccount(view: InventoryView, namespace: string): Resource[] {
  let byNs = DEFAULT_ACCOUNT_BINDINGS.get(view)
  if (!byNs) {
    byNs = new Map()
    for (const b of clusterIndex(view).bindings) {
      const namespaces = new Set<string>()
      for (const s of subjectsOf(b)) {
        const account = accountOfSubject(s)
        if (account?.name === 'default') namespaces.add(account.namespace)
      }
      for (const ns of namespaces) push(byNs, ns, b)
    }
    DEFAULT_ACCOUNT_BINDINGS.set(view, byNs)
  }
  return byNs.get(namespace) ?? []
}

/** Workloads of the scan whose pods act as a subject (its ServiceAccount, or a group it belongs to). */
export function workloadsActingAs(view: InventoryView, s: Subject): Resource[] {
  if (s.kind === 'Group' && (s.name === 'system:serviceaccounts' || s.name === 'system:authenticated')) return allWorkloads(view)
  if (s.kind === 'Group' && s.name.startsWith('system:serviceaccounts:')) return workloadsIn(view, s.name.slice('system:serviceaccounts:'.length))
  const account = accountOfSubject(s)
  if (!account) return []
  return workloadsIn(view, account.namespace).filter((w) => serviceAccountOf(w).name === account.name)
}
