import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { lineOfProperty } from '../located/index.js'
import { K8S_SCHEMAS, looksLikeKubernetesText, looksValid, podSpecLooksValid, readKubernetes, serviceSpecLooksValid } from './index.js'

const here = path.dirname(fileURLToPath(import.meta.url))
const fixture = (name: string): string => fs.readFileSync(path.join(here, 'testdata', name), 'utf8')

describe('Kubernetes reader', () => {
  it('reads `helm template` output: every document, its type, namespace, line and the template it was rendered from', () => {
    const doc = readKubernetes(fixture('helm-template.yaml'), 'rendered.yaml')
    expect(doc.diagnostics).toEqual([])
    expect(doc.origin).toBe('kubernetes')
    expect(doc.resources.map((r) => [r.type, r.sourceId, r.line, r.generatedFrom])).toEqual([
      ['K8s::Core::ServiceAccount', 'default/portal-clinic-portal', 6, 'clinic-portal/templates/serviceaccount.yaml'],
      ['K8s::Core::Service', 'default/portal-clinic-portal', 19, 'clinic-portal/templates/service.yaml'],
      ['K8s::Apps::Deployment', 'default/portal-clinic-portal', 40, 'clinic-portal/templates/deployment.yaml'],
      ['K8s::Core::Pod', 'default/portal-clinic-portal-test-connection', 86, 'clinic-portal/templates/tests/test-connection.yaml'],
    ])
    const deploy = doc.resources[2]!
    expect(deploy.namespace).toBe('default')
    // deep property lines resolve through the line map
    expect(lineOfProperty(deploy.properties, 'spec.template.spec.containers.0.image')).toBe(65)
    expect(lineOfProperty(deploy.properties, 'spec.template.spec.containers.0.ports.0.containerPort')).toBe(69)
    expect(deploy.propLines['spec']).toBe(46)
    expect(lineOfProperty(deploy.properties, 'spec.replicas')).toBe(47)
  })

  it('reads `kustomize build` output (no separator before the first document, hashed ConfigMap names)', () => {
    const doc = readKubernetes(fixture('kustomize-build.yaml'), 'build.yaml')
    expect(doc.diagnostics).toEqual([])
    expect(doc.resources.map((r) => `${r.type} ${r.sourceId}`)).toEqual([
      'K8s::Core::Namespace scheduling-staging',
      'K8s::Core::ConfigMap scheduling-staging/scheduler-config-8g2h6c9t7k',
      'K8s::Core::Service scheduling-staging/appointments-db',
      'K8s::Apps::Deployment scheduling-staging/scheduler',
      'K8s::Apps::StatefulSet scheduling-staging/appointments-db',
    ])
    // a cluster-scoped object has no namespace
    expect(doc.resources[0]!.namespace).toBeUndefined()
    expect(doc.resources[0]!.line).toBe(6)
  })

  it('reads a JSON List, giving each item its own line', () => {
    const doc = readKubernetes(fixture('list.json'), 'list.json')
    expect(doc.diagnostics).toEqual([])
    expect(doc.resources.map((r) => [r.type, r.sourceId, r.line])).toEqual([
      ['K8s::Core::ConfigMap', 'lab-prod/lab-results-config', 8],
      ['K8s::Batch::CronJob', 'lab-prod/lab-results-export', 14],
    ])
    expect(lineOfProperty(doc.resources[1]!.properties, 'spec.jobTemplate.spec.template.spec.containers')).toBe(17)
  })

  it('reports each bad document with its line and reads the rest', () => {
    const doc = readKubernetes(fixture('broken.yaml'), 'broken.yaml')
    expect(doc.resources.map((r) => r.sourceId)).toEqual(['default/good-one', 'default/containers-not-a-list', 'default/still-read'])
    expect(doc.diagnostics.map((d) => [d.code, d.level, d.line])).toEqual([
      ['PW_ERR_K8S_INVALID', 'error', 8],
      ['PW_ERR_K8S_INVALID', 'error', 12],
      ['PW_ERR_K8S_INVALID', 'error', 17],
      ['PW_ERR_K8S_INVALID', 'warning', 29],
    ])
    expect(doc.diagnostics[0]!.message).toMatch(/Document 2 of broken\.yaml .*apiVersion/)
    expect(doc.diagnostics[1]!.message).toMatch(/Document 3 .* not a Kubernetes object/)
    expect(doc.diagnostics[2]!.message).toMatch(/metadata\.name/)
    expect(doc.diagnostics[3]!.message).toMatch(/containers must be a list/)
  })

  it('maps API groups and versions to one type per kind (old extensions/v1beta1 shapes included)', () => {
    const text = [
      'apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: {name: a}',
      'apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata: {name: b}',
      'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: c}',
      'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: d, namespace: x}',
      'apiVersion: policy/v1beta1\nkind: PodSecurityPolicy\nmetadata: {name: e}',
    ].join('\n---\n')
    const doc = readKubernetes(text, 'mixed.yaml')
    expect(doc.resources.map((r) => [r.type, r.namespace ?? null])).toEqual([
      ['K8s::Networking::Ingress', 'default'],
      ['K8s::Apps::Deployment', 'default'],
      ['K8s::Rbac::ClusterRoleBinding', null],
      ['K8s::Cilium::CiliumNetworkPolicy', 'x'],
      ['K8s::Policy::PodSecurityPolicy', null],
    ])
  })

  it('reads YAML 1.1 booleans as Kubernetes (go-yaml) does', () => {
    const doc = readKubernetes('apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostNetwork: yes\n  containers: [{name: c, image: i, securityContext: {privileged: on}}]\n', 'p.yaml')
    const spec = doc.resources[0]!.properties['spec'] as { hostNetwork: unknown; containers: { securityContext: { privileged: unknown } }[] }
    expect(spec.hostNetwork).toBe(true)
    expect(spec.containers[0]!.securityContext.privileged).toBe(true)
  })

  it('reads suppressions from the phiwall.io/suppress annotation', () => {
    const doc = readKubernetes('apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    phiwall.io/suppress: |\n      k8s/read-only-root-filesystem: the image writes its cache under /var/cache\n      k8s/liveness-probe: batch pod\nspec: {containers: [{name: c, image: i}]}\n', 'p.yaml')
    expect(doc.resources[0]!.suppressions).toEqual([
      { id: 'k8s/read-only-root-filesystem', reason: 'the image writes its cache under /var/cache', source: 'p.yaml annotation phiwall.io/suppress' },
      { id: 'k8s/liveness-probe', reason: 'batch pod', source: 'p.yaml annotation phiwall.io/suppress' },
    ])
  })

  it('reads a PhiWall cluster snapshot as the objects of a live cluster', () => {
    const snap = { kind: 'phiwall-k8s-snapshot', schemaVersion: 1, context: 'prod-eks', cluster: 'clinic-prod-eks', items: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'clinic-prod', uid: '8d1c…' } }, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'clinic-prod' }, spec: {} }] }
    const doc = readKubernetes(JSON.stringify(snap, null, 2), 'snapshot.json')
    expect(doc.origin).toBe('k8s-snapshot')
    expect(doc.context.service).toBe('clinic-prod-eks')
    expect(doc.resources.map((r) => r.sourceId)).toEqual(['clinic-prod', 'clinic-prod/api'])
  })

  it('recognises manifests by content, not by name', () => {
    expect(looksLikeKubernetesText('# comment\napiVersion: v1\nkind: Service\n')).toBe(true)
    expect(looksLikeKubernetesText('{"apiVersion": "v1", "kind": "List", "items": []}')).toBe(true)
    expect(looksLikeKubernetesText('service: x\nprovider:\n  name: aws\n')).toBe(false)
    expect(looksLikeKubernetesText('services:\n  web:\n    image: nginx\n')).toBe(false)
  })

  it('never throws on arbitrary YAML and JSON (fuzzed)', () => {
    const value = fc.letrec((tie) => ({
      v: fc.oneof({ depthSize: 'small' }, fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.array(tie('v'), { maxLength: 4 }), fc.dictionary(fc.constantFrom('apiVersion', 'kind', 'metadata', 'name', 'namespace', 'spec', 'items', 'containers', 'template', 'labels', 'x'), tie('v'), { maxKeys: 5 })),
    })).v
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 4 }), fc.boolean(), (docs, asJson) => {
        const text = asJson ? JSON.stringify(docs[0]) : docs.map((d) => JSON.stringify(d)).join('\n---\n')
        const out = readKubernetes(text ?? 'null', 'fuzz.yaml')
        for (const d of out.diagnostics) expect(d.file).toBe('fuzz.yaml')
      }),
      { numRuns: 400 },
    )
    fc.assert(
      fc.property(fc.string(), (text) => {
        readKubernetes(`apiVersion: v1\nkind: Pod\n${text}`, 'fuzz.yaml')
      }),
      { numRuns: 300 },
    )
  })

  it('recognises well-formed objects on a fast path that accepts only what the zod schemas accept (fuzzed)', () => {
    const scalar = fc.oneof(fc.string({ maxLength: 6 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(undefined))
    const value = fc.letrec((tie) => ({ v: fc.oneof({ depthSize: 'small' }, scalar, fc.array(tie('v'), { maxLength: 3 }), fc.dictionary(fc.constantFrom('name', 'image', 'env', 'ports', 'containerPort', 'port', 'securityContext', 'x'), tie('v'), { maxKeys: 4 })) })).v
    const container = fc.record({ name: fc.oneof(fc.string({ maxLength: 5 }), value), image: fc.option(fc.oneof(fc.string(), value), { nil: undefined }), env: fc.option(fc.array(fc.oneof(fc.record({ name: fc.oneof(fc.string(), value) }), value), { maxLength: 2 }), { nil: undefined }), ports: fc.option(fc.array(fc.oneof(fc.record({ containerPort: fc.oneof(fc.integer(), fc.string(), fc.double(), value) }), value), { maxLength: 2 }), { nil: undefined }), securityContext: fc.option(value, { nil: undefined }) }, { requiredKeys: [] })
    const pod = fc.record({ containers: fc.oneof(fc.array(fc.oneof(container, value), { maxLength: 3 }), value), initContainers: fc.option(fc.oneof(fc.array(container, { maxLength: 2 }), value), { nil: undefined }), volumes: fc.option(fc.oneof(fc.array(fc.oneof(fc.record({ name: fc.oneof(fc.string(), value) }), value), { maxLength: 2 }), value), { nil: undefined }) }, { requiredKeys: [] })
    const service = fc.record({ type: fc.option(value, { nil: undefined }), ports: fc.option(fc.oneof(fc.array(fc.oneof(fc.record({ port: fc.oneof(fc.integer(), fc.string(), value) }), value), { maxLength: 2 }), value), { nil: undefined }), selector: fc.option(fc.oneof(fc.dictionary(fc.string({ maxLength: 3 }), scalar), value), { nil: undefined }) }, { requiredKeys: [] })
    const likely = <T,>(good: fc.Arbitrary<T>, other: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> => fc.oneof({ arbitrary: good, weight: 6 }, { arbitrary: other, weight: 1 })
    const object = fc.record({ apiVersion: likely(fc.constant('v1'), fc.oneof(fc.constant(''), value)), kind: likely(fc.constant('Pod'), value), metadata: likely(fc.record({ name: likely(fc.constant('a'), value), namespace: fc.option(fc.oneof(fc.constant('ns'), fc.constant(''), value), { nil: undefined }), generateName: fc.option(value, { nil: undefined }), labels: fc.option(fc.oneof(fc.dictionary(fc.string({ maxLength: 3 }), scalar), value), { nil: undefined }), annotations: fc.option(fc.dictionary(fc.string({ maxLength: 3 }), scalar), { nil: undefined }) }, { requiredKeys: [] }), value) }, { requiredKeys: [] })
    let accepted = 0
    fc.assert(
      fc.property(object, pod, service, (o, p, sv) => {
        const clean = JSON.parse(JSON.stringify({ o, p, sv })) as { o: Record<string, unknown>; p: unknown; sv: unknown } // as a YAML or JSON reader would give them
        if (looksValid(clean.o)) {
          accepted++
          expect(K8S_SCHEMAS.objectSchema.safeParse(clean.o).success).toBe(true)
        }
        if (podSpecLooksValid(clean.p)) expect(K8S_SCHEMAS.podSpec.safeParse(clean.p).success).toBe(true)
        if (serviceSpecLooksValid(clean.sv)) expect(K8S_SCHEMAS.serviceSpec.safeParse(clean.sv).success).toBe(true)
      }),
      { numRuns: 2000 },
    )
    expect(accepted).toBeGreaterThan(20)
  })
})
