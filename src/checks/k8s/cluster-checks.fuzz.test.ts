import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { scan } from '../../scan/index.js'
import type { Check } from '../types.js'
import * as cluster from './registry-cluster.js'

const CHECKS = Object.values(cluster) as Check[]

// property names the cluster checks read, so random values reach their branches
const KEYS = [
  'podSelector', 'matchLabels', 'matchExpressions', 'key', 'operator', 'values', 'policyTypes', 'ingress', 'egress', 'from', 'to', 'ipBlock', 'cidr', 'except',
  'ports', 'port', 'endPort', 'protocol', 'namespaceSelector', 'endpointSelector', 'toEntities', 'toCIDR', 'toCIDRSet', 'toFQDNs', 'toPorts', 'toEndpoints',
  'enableDefaultDeny', 'ingressDeny', 'egressDeny', 'nodeSelector', 'rules', 'verbs', 'apiGroups', 'resources', 'resourceNames', 'nonResourceURLs', 'subjects', 'kind',
  'name', 'namespace', 'roleRef', 'type', 'selector', 'loadBalancerSourceRanges', 'tls', 'hosts', 'secretName', 'host', 'http', 'defaultBackend', 'backend',
  'serviceAccountName', 'serviceAccount', 'automountServiceAccountToken', 'hostNetwork', 'template', 'spec', 'metadata', 'labels', 'jobTemplate', 'containers',
  'redirectToHttps', 'enabled', 'aggregationRule', 'specs', 'nodePort', 'app',
]
const WORDS = [
  '*', '', 'get', 'list', 'watch', 'create', 'bind', 'escalate', 'impersonate', 'secrets', 'pods', 'pods/exec', '*/exec', 'serviceaccounts/token', 'roles', 'clusterroles',
  'Egress', 'Ingress', '0.0.0.0/0', '::/0', '10.0.0.0/8', '0.0.0.0/99', 'world', 'all', 'LoadBalancer', 'NodePort', 'ExternalName', 'ClusterIP', 'ClusterRole', 'Role',
  'ServiceAccount', 'Group', 'User', 'system:authenticated', 'system:unauthenticated', 'system:anonymous', 'system:serviceaccounts', 'system:serviceaccounts:clinic-prod',
  'system:serviceaccount:clinic-prod:default', 'system:serviceaccount:x', 'default', 'cluster-admin', 'intake', 'clinic-prod', 'In', 'NotIn', 'Exists', 'DoesNotExist', 'Bogus',
  'dns', '53', 'portal.clinic.example', '*.clinic.example', 'rbac.authorization.k8s.io', 'authentication.k8s.io', 'k8s:app', 'reserved:host', 'true', 'false',
]
const leaf = fc.oneof(fc.constantFrom(...WORDS), fc.string({ maxLength: 10 }), fc.integer({ min: -1, max: 70000 }), fc.boolean(), fc.constant(null), fc.constant(53), fc.constant(443))
const { value } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof({ depthSize: 'small', maxDepth: 5 }, leaf, fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(fc.constantFrom(...KEYS, ...WORDS.slice(0, 6)), tie('value'), { maxKeys: 5 })),
}))

// annotations and labels the checks read, with plausible and broken values
const ANNOTATIONS = [
  'nginx.ingress.kubernetes.io/ssl-redirect', 'ingress.kubernetes.io/ssl-redirect', 'kubernetes.io/ingress.class', 'kubernetes.io/ingress.allow-http',
  'networking.gke.io/v1beta1.FrontendConfig', 'alb.ingress.kubernetes.io/listen-ports', 'alb.ingress.kubernetes.io/certificate-arn', 'alb.ingress.kubernetes.io/ssl-redirect',
  'service.beta.kubernetes.io/aws-load-balancer-internal', 'service.beta.kubernetes.io/aws-load-balancer-scheme', 'cloud.google.com/load-balancer-type',
  'service.beta.kubernetes.io/azure-load-balancer-internal', 'service.beta.kubernetes.io/load-balancer-source-ranges', 'pod-security.kubernetes.io/enforce',
  'data-classification', 'kubernetes.io/bootstrapping', 'app',
]
const annotationValue = fc.oneof(
  fc.constantFrom('true', 'false', 'internal', 'Internal', 'gce', 'alb', 'nginx', 'restricted', 'baseline', 'privileged', 'phi', 'rbac-defaults', 'intake', '443', '0.0.0.0/0, 10.0.0.0/8'),
  fc.constantFrom('[{"HTTP": 80}, {"HTTPS": 443}]', '[{"HTTP": 80}]', '[{"HTTPS": {"x": 1}}]', '[null, 3]', '{', '{"HTTP": 80}', '[]'),
  fc.string({ maxLength: 12 }),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
)
const stringMap = fc.dictionary(fc.constantFrom(...ANNOTATIONS), annotationValue, { maxKeys: 4 })

/** A plausible value most of the time, anything at all otherwise (wrong types, nulls, strings for lists). */
const maybe = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<unknown> => fc.oneof({ weight: 4, arbitrary: arb }, { weight: 1, arbitrary: value })
const some = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<unknown> => maybe(fc.array(maybe(arb), { maxLength: 4 }))
const partial = <T extends Record<string, fc.Arbitrary<unknown>>>(fields: T) => fc.record(fields, { requiredKeys: [] })

const labelKey = fc.constantFrom('app', 'tier', 'k8s:app', 'any:tier', 'reserved:host', 'k8s:io.kubernetes.pod.namespace')
const labelValue = fc.constantFrom('intake', 'p', 'billing-export', 'api', 'clinic-prod')
const selector = maybe(
  fc.oneof(
    fc.constant({}),
    partial({
      matchLabels: maybe(fc.dictionary(labelKey, labelValue, { maxKeys: 2 })),
      matchExpressions: some(partial({ key: maybe(labelKey), operator: maybe(fc.constantFrom('In', 'NotIn', 'Exists', 'DoesNotExist', 'Bogus')), values: some(labelValue) })),
    }),
  ),
)
const cidr = fc.constantFrom('0.0.0.0/0', '::/0', '10.0.0.0/8', '203.0.113.0/24', '0.0.0.0/99', 'not-a-cidr')
const port = partial({ port: maybe(fc.constantFrom(53, 443, 6661, 'dns', '53', 'https')), endPort: maybe(fc.integer({ min: 0, max: 70000 })), protocol: maybe(fc.constantFrom('TCP', 'UDP', 'ANY')), nodePort: maybe(fc.integer({ min: 30000, max: 32767 })) })
const peer = partial({ ipBlock: maybe(partial({ cidr: maybe(cidr), except: some(cidr) })), podSelector: selector, namespaceSelector: selector })
const npRule = partial({ to: some(peer), from: some(peer), ports: some(port) })
const networkPolicy = partial({ spec: maybe(partial({ podSelector: selector, policyTypes: some(fc.constantFrom('Ingress', 'Egress')), ingress: some(npRule), egress: some(npRule) })) })
const ciliumRule = partial({
  endpointSelector: selector,
  nodeSelector: maybe(selector),
  ingress: some(value),
  egress: some(
    partial({
      toEntities: some(fc.constantFrom('world', 'all', 'cluster', 'kube-apiserver')),
      toCIDR: some(cidr),
      toCIDRSet: some(partial({ cidr: maybe(cidr), except: some(cidr) })),
      toFQDNs: some(partial({ matchName: fc.constantFrom('hl7.stmarys-hospital.example') })),
      toPorts: some(partial({ ports: some(port) })),
      toEndpoints: some(selector),
    }),
  ),
  egressDeny: some(value),
  enableDefaultDeny: maybe(partial({ egress: maybe(fc.boolean()), ingress: maybe(fc.boolean()) })),
})
const cilium = partial({ spec: maybe(ciliumRule), specs: some(ciliumRule) })
const rbacRule = partial({
  apiGroups: some(fc.constantFrom('', '*', 'apps', 'rbac.authorization.k8s.io', 'authentication.k8s.io')),
  resources: some(fc.constantFrom('*', 'secrets', 'pods', 'pods/exec', 'pods/attach', '*/exec', '*/scale', 'roles', 'clusterroles', 'users', 'groups', 'serviceaccounts', 'serviceaccounts/token', 'configmaps')),
  verbs: some(fc.constantFrom('*', 'get', 'list', 'watch', 'create', 'bind', 'escalate', 'impersonate', 'patch')),
  resourceNames: some(fc.constantFrom('intake', 'view')),
  nonResourceURLs: some(fc.constantFrom('*', '/metrics')),
})
const role = partial({ rules: some(rbacRule), aggregationRule: maybe(value) })
const subjectName = fc.constantFrom('intake', 'default', 'billing-export', 'system:authenticated', 'system:unauthenticated', 'system:anonymous', 'system:serviceaccounts', 'system:serviceaccounts:clinic-prod', 'system:serviceaccount:clinic-prod:default', 'system:serviceaccount:x', 'dr.okafor@clinic.example')
const binding = partial({
  roleRef: maybe(partial({ kind: maybe(fc.constantFrom('ClusterRole', 'Role')), name: maybe(fc.constantFrom('cluster-admin', 'intake', 'p', 'default')) })),
  subjects: some(partial({ kind: maybe(fc.constantFrom('ServiceAccount', 'User', 'Group')), name: maybe(subjectName), namespace: maybe(fc.constantFrom('clinic-prod', 'default')) })),
})
const service = partial({
  spec: maybe(
    partial({
      type: maybe(fc.constantFrom('LoadBalancer', 'NodePort', 'ClusterIP', 'ExternalName')),
      selector: maybe(fc.dictionary(fc.constantFrom('app', 'tier'), labelValue, { maxKeys: 2 })),
      loadBalancerSourceRanges: some(cidr),
      ports: some(port),
    }),
  ),
})
const host = fc.constantFrom('portal.clinic.example', 'billing.clinic.example', '*.clinic.example', 'intake.api.clinic.example')
const ingress = partial({
  spec: maybe(
    partial({
      ingressClassName: maybe(fc.constantFrom('nginx', 'alb', 'gce', 'gce-internal')),
      tls: some(partial({ hosts: some(host), secretName: fc.constant('portal-tls') })),
      rules: some(partial({ host: maybe(host), http: maybe(value) })),
      defaultBackend: maybe(value),
      backend: maybe(value),
    }),
  ),
})
const frontendConfig = partial({ spec: maybe(partial({ redirectToHttps: maybe(partial({ enabled: maybe(fc.boolean()) })) })) })
const serviceAccount = partial({ automountServiceAccountToken: maybe(fc.boolean()) })

const KINDS: [string, string, fc.Arbitrary<Record<string, unknown>>][] = [
  ['networking.k8s.io/v1', 'NetworkPolicy', networkPolicy],
  ['extensions/v1beta1', 'NetworkPolicy', networkPolicy],
  ['cilium.io/v2', 'CiliumNetworkPolicy', cilium],
  ['cilium.io/v2', 'CiliumClusterwideNetworkPolicy', cilium],
  ['rbac.authorization.k8s.io/v1', 'Role', role],
  ['rbac.authorization.k8s.io/v1', 'ClusterRole', role],
  ['rbac.authorization.k8s.io/v1', 'RoleBinding', binding],
  ['rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', binding],
  ['v1', 'Service', service],
  ['v1', 'ServiceAccount', serviceAccount],
  ['v1', 'Namespace', fc.constant({})],
  ['networking.k8s.io/v1', 'Ingress', ingress],
  ['extensions/v1beta1', 'Ingress', ingress],
  ['networking.gke.io/v1beta1', 'FrontendConfig', frontendConfig],
  ['apps/v1', 'Deployment', fc.constant({})],
  ['batch/v1', 'CronJob', fc.constant({})],
  ['v1', 'Pod', fc.constant({})],
]

/** A Kubernetes-looking object: a valid envelope (so the reader keeps it), a body of the kind's shape with junk mixed in. */
const object = fc
  .record({
    kind: fc.integer({ min: 0, max: KINDS.length - 1 }).chain((i) => fc.tuple(fc.constant(KINDS[i]![0]), fc.constant(KINDS[i]![1]), KINDS[i]![2])),
    name: fc.constantFrom('intake', 'default', 'cluster-admin', 'system:x', 'billing-export', 'p', 'clinic-prod', 'portal-fc'),
    namespace: fc.option(fc.constantFrom('clinic-prod', 'default', 'kube-system'), { nil: undefined }),
    labels: fc.option(stringMap, { nil: undefined }),
    annotations: fc.option(stringMap, { nil: undefined }),
    // a pod template with random parts, so workloads carry labels and accounts the selectors can meet
    template: fc.record({
      labels: fc.option(fc.dictionary(fc.constantFrom('app', 'tier', 'data-classification'), fc.constantFrom('intake', 'p', 'billing-export', 'api', 'phi')), { nil: undefined }),
      spec: partial({ serviceAccountName: maybe(fc.constantFrom('intake', 'default', 'billing-export')), serviceAccount: maybe(fc.constant('intake')), automountServiceAccountToken: maybe(fc.boolean()), hostNetwork: maybe(fc.boolean()) }),
    }),
  })
  .map(({ kind: [apiVersion, kind, body], name, namespace, labels, annotations, template }) => {
    const metadata: Record<string, unknown> = { name, ...(namespace ? { namespace } : {}), ...(labels ? { labels } : {}), ...(annotations ? { annotations } : {}) }
    const podSpec = { containers: [{ name: 'app', image: 'registry.clinic.example/app:1.0.0' }], ...template.spec }
    const podMeta = template.labels ? { labels: template.labels } : {}
    if (kind === 'Deployment') return { apiVersion, kind, metadata, spec: { selector: {}, template: { metadata: podMeta, spec: podSpec } } }
    if (kind === 'CronJob') return { apiVersion, kind, metadata, spec: { schedule: '0 2 * * *', jobTemplate: { spec: { template: { metadata: podMeta, spec: podSpec } } } } }
    if (kind === 'Pod') return { apiVersion, kind, metadata: { ...metadata, labels: { ...(labels ?? {}), ...(template.labels ?? {}) } }, spec: podSpec }
    return { apiVersion, kind, metadata, ...body }
  })

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phiwall-k8s-cluster-fuzz-'))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

describe('cluster checks meet random manifests', () => {
  it('never end in an error finding, and every message names a state and ends with a full stop', async () => {
    let run = 0
    let judged = 0
    const statuses = new Map<string, Set<string>>()
    await fc.assert(
      fc.asyncProperty(fc.array(object, { minLength: 1, maxLength: 12 }), async (items) => {
        const file = path.join(dir, `run-${run++}.json`)
        fs.writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items }))
        const r = await scan([file], { checks: CHECKS, now: new Date('2026-11-23T00:00:00Z') })
        const mine = r.findings.filter((f) => CHECKS.some((c) => c.id === f.checkId))
        judged += mine.length
        for (const f of mine) (statuses.get(f.checkId) ?? statuses.set(f.checkId, new Set()).get(f.checkId)!).add(f.status)
        for (const f of mine) {
          expect(f.status, `${f.checkId}: ${f.message}`).not.toBe('error')
          expect(f.message).toMatch(/\S.*\.$/)
        }
      }),
      { numRuns: 200 },
    )
    // the generator must reach the checks, or the property says nothing
    expect(judged).toBeGreaterThan(200)
    expect([...statuses.keys()].sort()).toEqual(CHECKS.map((c) => c.id).sort())
  })
})
