import { describe, expect, it } from 'vitest'
import { InventoryView, kindOf } from '../../../inventory/index.js'
import type { Resource } from '../../../model/index.js'
import {
  accountOfSubject,
  bindingsOfDefaultAccount,
  bindingsOfRole,
  ciliumIsolates,
  ciliumRuleSelects,
  ciliumRules,
  cidrPrefix,
  clusterIndex,
  dnsOnlyPorts,
  hostCovered,
  isBuiltInRole,
  isFullAdminRule,
  isWorldCidr,
  nameList,
  networkPolicySelects,
  objects,
  openCiliumEgressRules,
  openEgressRules,
  podSelectorOf,
  policiesSelecting,
  policyDirections,
  portsText,
  roleOfBinding,
  ruleAllows,
  rulesOf,
  segmentationInScope,
  selectorWellFormed,
  selectsAll,
  serviceAccountOf,
  strings,
  subjectClass,
  subjectsOf,
  tokenMounted,
  workloadsActingAs,
  workloadsSelectedByService,
  type RbacRule,
} from './cluster.js'

const TYPES: Record<string, [string, string]> = {
  Deployment: ['K8s::Apps::Deployment', 'apps/v1'],
  CronJob: ['K8s::Batch::CronJob', 'batch/v1'],
  Pod: ['K8s::Core::Pod', 'v1'],
  NetworkPolicy: ['K8s::Networking::NetworkPolicy', 'networking.k8s.io/v1'],
  CiliumNetworkPolicy: ['K8s::Cilium::CiliumNetworkPolicy', 'cilium.io/v2'],
  CiliumClusterwideNetworkPolicy: ['K8s::Cilium::CiliumClusterwideNetworkPolicy', 'cilium.io/v2'],
  Role: ['K8s::Rbac::Role', 'rbac.authorization.k8s.io/v1'],
  ClusterRole: ['K8s::Rbac::ClusterRole', 'rbac.authorization.k8s.io/v1'],
  RoleBinding: ['K8s::Rbac::RoleBinding', 'rbac.authorization.k8s.io/v1'],
  ClusterRoleBinding: ['K8s::Rbac::ClusterRoleBinding', 'rbac.authorization.k8s.io/v1'],
  ServiceAccount: ['K8s::Core::ServiceAccount', 'v1'],
  Namespace: ['K8s::Core::Namespace', 'v1'],
  Service: ['K8s::Core::Service', 'v1'],
}
const CLUSTER_SCOPED = new Set(['ClusterRole', 'ClusterRoleBinding', 'Namespace', 'CiliumClusterwideNetworkPolicy'])

/** A Kubernetes resource as the inventory builds it, from the object's kind, name, namespace and body. */
function k8s(kind: string, name: string, body: Record<string, unknown> = {}, namespace = 'clinic-prod', labels: Record<string, string> = {}): Resource {
  const [type, apiVersion] = TYPES[kind]!
  const ns = CLUSTER_SCOPED.has(kind) ? undefined : namespace
  const props = { apiVersion, kind, metadata: { name, ...(ns ? { namespace: ns } : {}), labels }, ...body }
  const sourceId = ns ? `${ns}/${name}` : name
  return {
    id: `${kindOf(type)}:test.yaml#${sourceId}`,
    kind: kindOf(type),
    type,
    provider: 'kubernetes',
    name,
    sourceId,
    origin: 'kubernetes',
    environment: 'prod',
    labels,
    holdsPhi: 'unknown',
    evidence: { phi: [], environment: [] },
    location: { file: 'test.yaml', line: 1 },
    props,
    propLines: {},
    stack: 'test.yaml',
    dependsOn: [],
    ...(ns ? { namespace: ns } : {}),
  }
}

const deployment = (name: string, labels: Record<string, string>, spec: Record<string, unknown> = {}, ns = 'clinic-prod'): Resource =>
  k8s('Deployment', name, { spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'x' }], ...spec } } } }, ns)
const cronJob = (name: string, labels: Record<string, string>, spec: Record<string, unknown> = {}): Resource =>
  k8s('CronJob', name, { spec: { schedule: '0 2 * * *', jobTemplate: { spec: { template: { metadata: { labels }, spec: { containers: [{ name: 'job', image: 'x' }], ...spec } } } } } })
const np = (name: string, spec: Record<string, unknown>, ns = 'clinic-prod'): Resource => k8s('NetworkPolicy', name, { spec }, ns)
const view = (...resources: Resource[]): InventoryView => new InventoryView({ resources, edges: [] })
const rule = (r: Partial<RbacRule>): RbacRule => ({ index: 0, path: 'rules.0', verbs: [], apiGroups: [], resources: [], resourceNames: [], nonResourceURLs: [], ...r })

describe('values', () => {
  it('reads lists of strings and objects, dropping everything else', () => {
    expect(strings(['get', 3, null, 'list'])).toEqual(['get', 'list'])
    expect(strings('get')).toEqual([])
    expect(strings(undefined)).toEqual([])
    expect(objects([{ a: 1 }, 'x', null, [1], { b: 2 }])).toEqual([
      { value: { a: 1 }, index: 0 },
      { value: { b: 2 }, index: 4 },
    ])
    expect(objects({ a: 1 })).toEqual([])
  })

  it('parses CIDR prefixes and recognises the whole address space', () => {
    expect(cidrPrefix('0.0.0.0/0')).toBe(0)
    expect(cidrPrefix(' ::/0 ')).toBe(0)
    expect(cidrPrefix('10.0.0.0/8')).toBe(8)
    expect(cidrPrefix('2001:db8::/32')).toBe(32)
    expect(cidrPrefix('10.0.0.0/33')).toBeUndefined()
    expect(cidrPrefix('10.0.0.0')).toBeUndefined()
    expect(cidrPrefix('0/0')).toBeUndefined()
    expect(cidrPrefix(0)).toBeUndefined()
    expect(isWorldCidr('0.0.0.0/0')).toBe(true)
    expect(isWorldCidr('::/0')).toBe(true)
    expect(isWorldCidr('0.0.0.0/1')).toBe(false)
    expect(isWorldCidr(null)).toBe(false)
  })

  it('matches TLS hosts exactly or by a one-label wildcard', () => {
    expect(hostCovered('portal.clinic.example', 'Portal.Clinic.Example')).toBe(true)
    expect(hostCovered('*.clinic.example', 'portal.clinic.example')).toBe(true)
    expect(hostCovered('*.clinic.example', 'intake.api.clinic.example')).toBe(false)
    expect(hostCovered('*.clinic.example', 'clinic.example')).toBe(false)
    expect(hostCovered('portal.clinic.example', 'billing.clinic.example')).toBe(false)
    expect(hostCovered('*.clinic.example', '*.clinic.example')).toBe(true)
  })

  it('names resources in lists with a count of the rest', () => {
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((n) => deployment(n, { app: n }))
    expect(nameList([])).toBe('')
    expect(nameList([a!])).toBe('Deployment clinic-prod/a')
    expect(nameList([a!, b!])).toBe('Deployment clinic-prod/a and Deployment clinic-prod/b')
    expect(nameList([a!, b!, c!, d!])).toBe('Deployment clinic-prod/a, Deployment clinic-prod/b, Deployment clinic-prod/c and 1 more')
  })

  it('describes rule ports', () => {
    expect(portsText(undefined)).toBe('every port')
    expect(portsText([{ port: 443, protocol: 'TCP' }])).toBe('port 443/TCP')
    expect(portsText([{ port: 30000, endPort: 32767 }, { port: 'https' }])).toBe('ports 30000-32767, https')
  })
})

describe('NetworkPolicy semantics', () => {
  it('reads a missing or null podSelector as {} (every pod)', () => {
    expect(podSelectorOf(np('p', {}))).toEqual({})
    expect(podSelectorOf(np('p', { podSelector: null }))).toEqual({})
    expect(selectsAll({})).toBe(true)
    expect(selectsAll({ matchLabels: {}, matchExpressions: [] })).toBe(true)
    expect(selectsAll({ matchLabels: { app: 'x' } })).toBe(false)
    expect(selectsAll('app=x')).toBe(false)
  })

  it('refuses malformed selectors instead of reading them as select-all', () => {
    expect(selectorWellFormed({ matchLabels: 'app=intake' })).toBe(false)
    expect(selectorWellFormed({ matchExpressions: { key: 'app' } })).toBe(false)
    expect(selectorWellFormed(['app'])).toBe(false)
    expect(selectorWellFormed({ matchLabels: { app: 'intake' }, matchExpressions: [] })).toBe(true)
    const w = deployment('intake', { app: 'intake' })
    expect(networkPolicySelects(np('bad', { podSelector: { matchLabels: 'app=intake' } }), w)).toBe(false)
  })

  it('selects pods of its own namespace by their template labels', () => {
    const w = deployment('intake', { app: 'intake', tier: 'api' })
    expect(networkPolicySelects(np('all', { podSelector: {} }), w)).toBe(true)
    expect(networkPolicySelects(np('by-label', { podSelector: { matchLabels: { app: 'intake' } } }), w)).toBe(true)
    expect(networkPolicySelects(np('expr', { podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['api', 'web'] }] } }), w)).toBe(true)
    expect(networkPolicySelects(np('other-label', { podSelector: { matchLabels: { app: 'billing' } } }), w)).toBe(false)
    expect(networkPolicySelects(np('other-ns', { podSelector: {} }, 'clinic-staging'), w)).toBe(false)
    // a CronJob's pods carry the labels of spec.jobTemplate.spec.template
    expect(networkPolicySelects(np('job', { podSelector: { matchLabels: { app: 'export' } } }), cronJob('export', { app: 'export' }))).toBe(true)
  })

  it('derives the isolated directions as the API server defaults policyTypes', () => {
    expect(policyDirections(np('p', { podSelector: {} }))).toEqual({ ingress: true, egress: false })
    expect(policyDirections(np('p', { podSelector: {}, egress: [{ to: [] }] }))).toEqual({ ingress: true, egress: true })
    expect(policyDirections(np('p', { podSelector: {}, egress: [] }))).toEqual({ ingress: true, egress: false })
    expect(policyDirections(np('p', { policyTypes: ['Egress'] }))).toEqual({ ingress: false, egress: true })
    expect(policyDirections(np('p', { policyTypes: ['Ingress', 'Egress'] }))).toEqual({ ingress: true, egress: true })
    expect(policyDirections(np('p', { policyTypes: 'Egress' }))).toEqual({ ingress: true, egress: false })
  })

  it('lists the policies that select a workload with their directions', () => {
    const w = deployment('intake', { app: 'intake' })
    const v = view(w, np('deny', { podSelector: {}, policyTypes: ['Ingress'] }), np('egress', { podSelector: { matchLabels: { app: 'intake' } }, policyTypes: ['Egress'] }), np('other', { podSelector: { matchLabels: { app: 'x' } } }))
    expect(policiesSelecting(v, w).map((s) => [s.policy.name, s.ingress, s.egress])).toEqual([
      ['deny', true, false],
      ['egress', false, true],
    ])
  })

  it('finds egress rules open to every destination', () => {
    const p = np('egress', {
      policyTypes: ['Egress'],
      egress: [
        { to: [{ podSelector: { matchLabels: { app: 'db' } } }], ports: [{ port: 5432 }] },
        { ports: [{ port: 53, protocol: 'UDP' }, { port: 'dns-tcp', protocol: 'TCP' }] },
        { to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }], ports: [{ port: 443 }] },
        { to: [{ ipBlock: { cidr: '::/0' } }] },
        { to: [], ports: [{ port: 443 }] },
        { ports: [{ port: 443 }] },
        { to: [{ ipBlock: { cidr: '203.0.113.0/24' } }] },
        'not a rule',
      ],
    })
    const open = openEgressRules(p)
    expect(open.map((o) => o.path)).toEqual(['spec.egress.2.to.0.ipBlock.cidr', 'spec.egress.3.to.0.ipBlock.cidr', 'spec.egress.4', 'spec.egress.5'])
    expect(open[0]!.reason).toContain('1 exception')
    expect(open[0]!.reason).toContain('port 443')
    expect(openEgressRules(np('deny-all', { policyTypes: ['Egress'] }))).toEqual([])
    expect(openEgressRules(np('junk', { egress: 'all' }))).toEqual([])
  })

  it('counts only DNS ports as DNS', () => {
    expect(dnsOnlyPorts([{ port: 53 }, { port: '53', protocol: 'TCP' }])).toBe(true)
    expect(dnsOnlyPorts([{ port: 'dns' }])).toBe(true)
    expect(dnsOnlyPorts([{ port: 53 }, { port: 443 }])).toBe(false)
    expect(dnsOnlyPorts([{ port: 53, endPort: 1024 }])).toBe(false)
    expect(dnsOnlyPorts([])).toBe(false)
    expect(dnsOnlyPorts(undefined)).toBe(false)
    expect(dnsOnlyPorts([{ port: 53 }, 'x'])).toBe(false)
  })
})

describe('Cilium semantics', () => {
  const engine = deployment('ehr-interface-engine', { 'app.kubernetes.io/name': 'ehr-interface-engine' })
  const cnp = (spec: Record<string, unknown>, ns = 'clinic-prod'): Resource => k8s('CiliumNetworkPolicy', 'p', { spec }, ns)

  it('selects endpoints by labels with k8s: / any: prefixes, within its namespace', () => {
    const sel = (endpointSelector: unknown, r = cnp({ endpointSelector })): boolean => ciliumRuleSelects(r, ciliumRules(r)[0]!.rule, engine)
    expect(sel({ matchLabels: { 'k8s:app.kubernetes.io/name': 'ehr-interface-engine' } })).toBe(true)
    expect(sel({ matchLabels: { 'any:app.kubernetes.io/name': 'ehr-interface-engine' } })).toBe(true)
    expect(sel({ matchLabels: { 'reserved:host': '' } })).toBe(false)
    expect(sel({})).toBe(true)
    expect(sel({ matchLabels: 'x' })).toBe(false)
    expect(sel({}, cnp({ endpointSelector: {} }, 'clinic-staging'))).toBe(false)
    // cluster-wide: any namespace, narrowed by the namespace label
    const ccnp = (endpointSelector: unknown): Resource => k8s('CiliumClusterwideNetworkPolicy', 'cw', { spec: { endpointSelector } })
    expect(sel(undefined, ccnp({ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'clinic-prod' } }))).toBe(true)
    expect(sel(undefined, ccnp({ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'kube-system' } }))).toBe(false)
    // host policies select nodes, not pods
    expect(sel(undefined, ccnp(undefined))).toBe(false)
  })

  it('reads spec and specs rules', () => {
    const r = k8s('CiliumNetworkPolicy', 'multi', { spec: { endpointSelector: {} }, specs: [{ endpointSelector: {} }, 'x'] })
    expect(ciliumRules(r).map((x) => x.path)).toEqual(['spec', 'specs.0'])
  })

  it('isolates a direction when the rule has a non-empty section, unless default deny is turned off', () => {
    expect(ciliumIsolates({ egress: [{}] }, 'egress')).toBe(true)
    expect(ciliumIsolates({ egress: [] }, 'egress')).toBe(false)
    expect(ciliumIsolates({ egressDeny: [{ toEntities: ['world'] }] }, 'egress')).toBe(true)
    expect(ciliumIsolates({ egress: [{}], enableDefaultDeny: { egress: false } }, 'egress')).toBe(false)
    expect(ciliumIsolates({ egress: [{}] }, 'ingress')).toBe(false)
  })

  it('finds egress rules that reach the internet', () => {
    const open = (egress: unknown[]): string[] => openCiliumEgressRules(cnp({ endpointSelector: {}, egress }), engine).map((o) => o.path)
    expect(open([{}])).toEqual([])
    expect(open([{ toFQDNs: [{ matchName: 'hl7.stmarys-hospital.example' }], toPorts: [{ ports: [{ port: '6661' }] }] }])).toEqual([])
    expect(open([{ toEndpoints: [{}] }])).toEqual([])
    expect(open([{ toEntities: ['world'] }])).toEqual(['spec.egress.0.toEntities'])
    expect(open([{ toEntities: ['all'] }])).toEqual(['spec.egress.0.toEntities'])
    expect(open([{ toEntities: ['kube-apiserver'] }])).toEqual([])
    expect(open([{ toCIDR: ['0.0.0.0/0'] }])).toEqual(['spec.egress.0.toCIDR'])
    expect(open([{ toCIDRSet: [{ cidr: '::/0', except: ['fd00::/8'] }] }])).toEqual(['spec.egress.0.toCIDRSet'])
    expect(open([{ toPorts: [{ ports: [{ port: '443' }] }] }])).toEqual(['spec.egress.0.toPorts'])
    expect(open([{ toPorts: [{ ports: [{ port: '53', protocol: 'ANY' }] }] }])).toEqual([])
    // a rule that does not select the workload, or that does not isolate egress, says nothing
    expect(openCiliumEgressRules(cnp({ endpointSelector: { matchLabels: { app: 'other' } }, egress: [{ toEntities: ['world'] }] }), engine)).toEqual([])
    expect(openCiliumEgressRules(cnp({ endpointSelector: {}, enableDefaultDeny: { egress: false }, egress: [{ toEntities: ['world'] }] }), engine)).toEqual([])
  })
})

describe('RBAC semantics', () => {
  it('reads rules, dropping malformed entries', () => {
    const role = k8s('Role', 'r', { rules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods', 7] }, 'x', { verbs: 'get' }] })
    const rules = rulesOf(role)
    expect(rules.map((r) => r.path)).toEqual(['rules.0', 'rules.2'])
    expect(rules[0]!.resources).toEqual(['pods'])
    expect(rules[1]!.verbs).toEqual([])
    expect(rulesOf(k8s('Role', 'r', { rules: 'all' }))).toEqual([])
  })

  it('matches verbs, groups and resources as the RBAC authorizer does', () => {
    const exec = rule({ verbs: ['create'], apiGroups: [''], resources: ['pods/exec'] })
    expect(ruleAllows(exec, '', 'pods/exec', 'create')).toBe(true)
    expect(ruleAllows(exec, '', 'pods', 'create')).toBe(false)
    expect(ruleAllows(exec, 'apps', 'pods/exec', 'create')).toBe(false)
    expect(ruleAllows(rule({ verbs: ['create'], apiGroups: [''], resources: ['*/exec'] }), '', 'pods/exec', 'create')).toBe(true)
    expect(ruleAllows(rule({ verbs: ['create'], apiGroups: [''], resources: ['pods'] }), '', 'pods/exec', 'create')).toBe(false)
    expect(ruleAllows(rule({ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }), 'rbac.authorization.k8s.io', 'clusterroles', 'escalate')).toBe(true)
    expect(ruleAllows(rule({ verbs: ['get'], resources: ['secrets'] }), '', 'secrets', 'get')).toBe(false)
  })

  it('recognises full administrator rules and built-in roles', () => {
    expect(isFullAdminRule(rule({ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }))).toBe(true)
    expect(isFullAdminRule(rule({ verbs: ['*'], apiGroups: ['*'], resources: ['*'], resourceNames: ['one'] }))).toBe(false)
    expect(isFullAdminRule(rule({ verbs: ['*'], apiGroups: [''], resources: ['*'] }))).toBe(false)
    expect(isBuiltInRole(k8s('ClusterRole', 'cluster-admin'))).toBe(true)
    expect(isBuiltInRole(k8s('ClusterRole', 'system:controller:job-controller'))).toBe(true)
    expect(isBuiltInRole(k8s('ClusterRole', 'admin', {}, undefined, { 'kubernetes.io/bootstrapping': 'rbac-defaults' }))).toBe(true)
    expect(isBuiltInRole(k8s('ClusterRole', 'clinic-admin'))).toBe(false)
    expect(isBuiltInRole(k8s('Role', 'cluster-admin'))).toBe(false)
  })

  it('resolves the role of a binding in the scan', () => {
    const role = k8s('Role', 'reader')
    const clusterRole = k8s('ClusterRole', 'reader')
    const rb = k8s('RoleBinding', 'rb', { roleRef: { kind: 'Role', name: 'reader' } })
    const rbOtherNs = k8s('RoleBinding', 'rb', { roleRef: { kind: 'Role', name: 'reader' } }, 'clinic-staging')
    const rbCluster = k8s('RoleBinding', 'rb2', { roleRef: { kind: 'ClusterRole', name: 'reader' } })
    const crbRole = k8s('ClusterRoleBinding', 'crb', { roleRef: { kind: 'Role', name: 'reader' } })
    const v = view(role, clusterRole, rb, rbOtherNs, rbCluster, crbRole)
    expect(roleOfBinding(v, rb)).toBe(role)
    expect(roleOfBinding(v, rbOtherNs)).toBeUndefined()
    expect(roleOfBinding(v, rbCluster)).toBe(clusterRole)
    expect(roleOfBinding(v, crbRole)).toBeUndefined()
    expect(roleOfBinding(v, k8s('RoleBinding', 'junk', { roleRef: 'reader' }))).toBeUndefined()
  })

  it('finds the bindings of a role and of the default ServiceAccounts', () => {
    const role = k8s('Role', 'reader')
    const clusterRole = k8s('ClusterRole', 'reader')
    const rb = k8s('RoleBinding', 'rb', { roleRef: { kind: 'Role', name: 'reader' }, subjects: [{ kind: 'ServiceAccount', name: 'default' }] })
    const crb = k8s('ClusterRoleBinding', 'crb', { roleRef: { kind: 'ClusterRole', name: 'reader' }, subjects: [{ kind: 'User', name: 'system:serviceaccount:clinic-web:default' }, { kind: 'ServiceAccount', name: 'default', namespace: 'clinic-web' }] })
    const other = k8s('RoleBinding', 'other', { roleRef: { kind: 'ClusterRole', name: 'reader' }, subjects: [{ kind: 'ServiceAccount', name: 'intake' }] })
    const v = view(role, clusterRole, rb, crb, other)
    expect(bindingsOfRole(v, role)).toEqual([rb])
    expect(bindingsOfRole(v, clusterRole)).toEqual([crb, other])
    expect(bindingsOfDefaultAccount(v, 'clinic-prod')).toEqual([rb])
    expect(bindingsOfDefaultAccount(v, 'clinic-web')).toEqual([crb])
    expect(bindingsOfDefaultAccount(v, 'kube-system')).toEqual([])
  })

  it('resolves roles repeated by overlays by name, preferring the binding\'s own file', () => {
    const base = k8s('ClusterRole', 'reader')
    const overlay = { ...k8s('ClusterRole', 'reader'), id: 'overlay', stack: 'overlays/prod.yaml' }
    const crb = { ...k8s('ClusterRoleBinding', 'crb', { roleRef: { kind: 'ClusterRole', name: 'reader' } }), stack: 'overlays/prod.yaml' }
    const v = view(base, overlay, crb)
    expect(roleOfBinding(v, crb)).toBe(overlay)
    expect(bindingsOfRole(v, base)).toEqual([crb])
    expect(bindingsOfRole(v, overlay)).toEqual([crb])
  })

  it('reads the ServiceAccount a subject names, as a subject or as its user name', () => {
    expect(accountOfSubject({ kind: 'ServiceAccount', name: 'intake', namespace: 'clinic-prod', path: '' })).toEqual({ namespace: 'clinic-prod', name: 'intake' })
    expect(accountOfSubject({ kind: 'ServiceAccount', name: 'intake', path: '' })).toBeUndefined()
    expect(accountOfSubject({ kind: 'User', name: 'system:serviceaccount:clinic-prod:default', path: '' })).toEqual({ namespace: 'clinic-prod', name: 'default' })
    expect(accountOfSubject({ kind: 'User', name: 'system:serviceaccount:clinic-prod:', path: '' })).toBeUndefined()
    expect(accountOfSubject({ kind: 'Group', name: 'system:serviceaccount:clinic-prod:default', path: '' })).toBeUndefined()
    expect(accountOfSubject({ kind: 'User', name: 'dr.okafor@clinic.example', path: '' })).toBeUndefined()
  })

  it('reads subjects with the effective namespace of ServiceAccounts', () => {
    const subjects = [{ kind: 'ServiceAccount', name: 'intake' }, { kind: 'ServiceAccount', name: 'export', namespace: 'clinic-billing' }, { kind: 'User' }, 'x', { kind: 'Group', name: 'system:authenticated' }]
    expect(subjectsOf(k8s('RoleBinding', 'rb', { subjects })).map((s) => [s.kind, s.name, s.namespace, s.path])).toEqual([
      ['ServiceAccount', 'intake', 'clinic-prod', 'subjects.0'],
      ['ServiceAccount', 'export', 'clinic-billing', 'subjects.1'],
      ['Group', 'system:authenticated', undefined, 'subjects.4'],
    ])
    expect(subjectsOf(k8s('ClusterRoleBinding', 'crb', { subjects: [{ kind: 'ServiceAccount', name: 'intake' }] }))[0]!.namespace).toBeUndefined()
    expect(subjectsOf(k8s('ClusterRoleBinding', 'crb', { subjects: 'x' }))).toEqual([])
  })

  it('classifies subjects', () => {
    const s = (kind: string, name: string) => subjectClass({ kind, name, path: 'subjects.0' })
    expect(s('ServiceAccount', 'intake')).toBe('service-account')
    expect(s('User', 'system:serviceaccount:clinic-prod:intake')).toBe('service-account')
    expect(s('User', 'system:anonymous')).toBe('anonymous')
    expect(s('Group', 'system:unauthenticated')).toBe('anonymous')
    expect(s('Group', 'system:authenticated')).toBe('authenticated')
    expect(s('Group', 'system:serviceaccounts')).toBe('service-accounts')
    expect(s('Group', 'system:serviceaccounts:clinic-prod')).toBe('service-accounts')
    expect(s('User', 'dr.okafor@clinic.example')).toBe('human')
    expect(s('Group', 'clinic-platform-engineers')).toBe('human')
  })
})

describe('workloads and their accounts', () => {
  const intake = deployment('intake', { app: 'intake' }, { serviceAccountName: 'intake' })
  const legacy = deployment('legacy', { app: 'legacy' }, { serviceAccount: 'legacy-sa' })
  const plain = deployment('docs', { app: 'docs' })
  const job = cronJob('export', { app: 'export' }, { serviceAccountName: 'export', automountServiceAccountToken: false })
  const staging = deployment('intake', { app: 'intake' }, { serviceAccountName: 'intake' }, 'clinic-staging')

  it('reads the account a workload runs as', () => {
    expect(serviceAccountOf(intake)).toEqual({ name: 'intake', explicit: true, path: 'spec.template.spec.serviceAccountName' })
    expect(serviceAccountOf(legacy)).toEqual({ name: 'legacy-sa', explicit: true, path: 'spec.template.spec.serviceAccount' })
    expect(serviceAccountOf(plain)).toEqual({ name: 'default', explicit: false })
    expect(serviceAccountOf(job).path).toBe('spec.jobTemplate.spec.template.spec.serviceAccountName')
  })

  it('decides whether the token is mounted: pod first, then the ServiceAccount object', () => {
    const lockedDefault = k8s('ServiceAccount', 'default', { automountServiceAccountToken: false })
    const optIn = deployment('opt-in', { app: 'opt-in' }, { automountServiceAccountToken: true })
    const v = view(intake, plain, job, optIn, lockedDefault)
    expect(tokenMounted(v, intake)).toBe(true)
    expect(tokenMounted(v, job)).toBe(false)
    expect(tokenMounted(v, plain)).toBe(false)
    expect(tokenMounted(v, optIn)).toBe(true)
  })

  it('finds the workloads acting as a subject', () => {
    const v = view(intake, legacy, plain, job, staging)
    const names = (kind: string, name: string, namespace?: string): string[] =>
      workloadsActingAs(v, { kind, name, ...(namespace ? { namespace } : {}), path: 'subjects.0' }).map((w) => `${w.namespace}/${w.name}`)
    expect(names('ServiceAccount', 'intake', 'clinic-prod')).toEqual(['clinic-prod/intake'])
    expect(names('ServiceAccount', 'default', 'clinic-prod')).toEqual(['clinic-prod/docs'])
    expect(names('ServiceAccount', 'intake')).toEqual([])
    expect(names('User', 'system:serviceaccount:clinic-staging:intake')).toEqual(['clinic-staging/intake'])
    expect(names('User', 'system:serviceaccount:broken')).toEqual([])
    expect(names('Group', 'system:serviceaccounts:clinic-staging')).toEqual(['clinic-staging/intake'])
    expect(names('Group', 'system:serviceaccounts')).toHaveLength(5)
    expect(names('Group', 'system:authenticated')).toHaveLength(5)
    expect(names('Group', 'clinic-admins')).toEqual([])
  })

  it('finds the workloads a Service selects in its namespace', () => {
    const svc = (selector: unknown, ns = 'clinic-prod'): Resource => k8s('Service', 's', { spec: { selector } }, ns)
    const v = view(intake, plain, staging)
    expect(workloadsSelectedByService(v, svc({ app: 'intake' })).map((w) => w.namespace)).toEqual(['clinic-prod'])
    expect(workloadsSelectedByService(v, svc({ app: 'intake' }, 'clinic-staging')).map((w) => w.namespace)).toEqual(['clinic-staging'])
    expect(workloadsSelectedByService(v, svc({}))).toEqual([])
    expect(workloadsSelectedByService(v, svc(null))).toEqual([])
    expect(workloadsSelectedByService(v, svc({ app: 'billing' }))).toEqual([])
  })

  it('indexes once per view and knows when segmentation is in the scan', () => {
    const v = view(intake)
    expect(clusterIndex(v)).toBe(clusterIndex(v))
    expect(segmentationInScope(v, 'clinic-prod')).toBe(false)
    expect(segmentationInScope(view(intake, k8s('Namespace', 'clinic-prod')), 'clinic-prod')).toBe(true)
    expect(segmentationInScope(view(intake, np('elsewhere', {}, 'clinic-web')), 'clinic-prod')).toBe(true)
  })
})
