import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import fc from 'fast-check'
import yaml from 'js-yaml'
import { afterAll, describe, expect, it } from 'vitest'
import { InventoryView, kindOf } from '../../inventory/index.js'
import type { Resource } from '../../model/index.js'
import { scan } from '../../scan/index.js'
import type { Check, CheckContext, CheckResult } from '../types.js'
import * as podChecks from './registry.js'

/**
 * Robustness of the pod-level checks: random Kubernetes-like objects (the right shapes with
 * wrong types, strings where lists are expected, nulls, unknown profile types, sloppy booleans)
 * never make a check throw, every result is well-formed, and secret values written into env
 * never reach a message or evidence.
 */
const CHECKS = Object.values(podChecks) as Check[]

// values that must never be printed
const SECRETS = ['Sentinel-Pa55w0rd!', 'AKIAZZZZZZZZZZZZZZZZ', 'postgres://svc:Sentinel-Url-Pa55@db:5432/ehr', 'Password=Sentinel-Ado-Pa55;Server=sql01']
const leaks = (text: string): boolean => text.includes('Sentinel-') || text.includes('AKIAZZZZ')

const junk = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -3, max: 70000 }),
  fc.double({ noNaN: true }),
  fc.string({ maxLength: 12 }),
  fc.constant([]),
  fc.constant({}),
  fc.array(fc.string({ maxLength: 6 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 }), { maxKeys: 2 }),
)
const maybe = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<unknown> => fc.oneof({ weight: 4, arbitrary: a }, { weight: 1, arbitrary: junk })
const listish = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<unknown> => fc.oneof({ weight: 5, arbitrary: fc.array(a, { maxLength: 4 }) }, { weight: 1, arbitrary: a }, { weight: 1, arbitrary: junk })
/** A mapping with any subset of the given keys. */
const some = <T>(model: { [K in keyof T]: fc.Arbitrary<T[K]> }): fc.Arbitrary<Record<string, unknown>> => fc.record(model, { requiredKeys: [] }) as unknown as fc.Arbitrary<Record<string, unknown>>
const boolish = fc.oneof(fc.boolean(), fc.constantFrom('true', 'false', 'TRUE', 'yes', ''), junk)

const capability = fc.oneof(fc.constantFrom('ALL', 'all', 'NET_RAW', 'CAP_SYS_ADMIN', 'NET_BIND_SERVICE', 'SYS_PTRACE', 'NET_ADMIN', 'chown'), junk)
const hostPath = fc.oneof(fc.constantFrom('/', '//', '/var/run/docker.sock', '/var/run/', '/run/containerd', '/etc', '/proc', '/var/lib/kubelet/pods', '/var/log', '/data/hl7', 'relative/dir', '', ' '), fc.string())
const image = fc.oneof(
  fc.constantFrom('nginx', 'nginx:latest', 'busybox:1.36.1', `ghcr.io/clinic/intake-api:2.4.1@sha256:${'a'.repeat(64)}`, 'registry:5000/a/b:1.2@sha256:short', '{{ .Values.image }}', '', '@', ':', '/:@', 'a@b@c'),
  fc.string(),
  junk,
)
const profile = maybe(some({ type: fc.oneof(fc.constantFrom('RuntimeDefault', 'Localhost', 'Unconfined', 'Weird'), junk), localhostProfile: maybe(fc.string()) }))
const securityContext = maybe(
  some({
    privileged: boolish,
    allowPrivilegeEscalation: boolish,
    readOnlyRootFilesystem: boolish,
    runAsNonRoot: boolish,
    runAsUser: fc.oneof(fc.integer({ min: -2, max: 70000 }), fc.constantFrom('0', '1000', 'root', 1.5), junk),
    capabilities: maybe(some({ add: listish(capability), drop: listish(capability) })),
    seccompProfile: profile,
    appArmorProfile: profile,
    windowsOptions: maybe(some({ hostProcess: boolish })),
  }),
)
const envEntry = maybe(
  some({
    name: fc.oneof(fc.constantFrom('DB_PASSWORD', 'DATABASE_URL', 'AWS_ACCESS_KEY_ID', 'API_TOKEN', 'ConnectionStrings__Ehr', 'LOG_LEVEL'), junk),
    value: fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...SECRETS) }, { weight: 1, arbitrary: junk }),
    valueFrom: maybe(some({ secretKeyRef: maybe(some({ name: fc.string(), key: fc.string() })) })),
  }),
)
const volumeName = fc.oneof(fc.constantFrom('data', 'sock', 'creds'), junk)
const quantity = fc.oneof(fc.constantFrom('500m', '1', '512Mi', ''), fc.integer(), junk)
const probe = maybe(fc.constant({ httpGet: { path: '/healthz', port: 8080 } }))
const container = maybe(
  some({
    name: fc.oneof(fc.constantFrom('api', 'envoy', 'migrate'), junk),
    image,
    securityContext,
    env: listish(envEntry),
    envFrom: listish(maybe(some({ secretRef: maybe(some({ name: junk })) }))),
    ports: listish(maybe(some({ containerPort: fc.oneof(fc.integer({ min: 0, max: 65535 }), junk), hostPort: fc.oneof(fc.integer({ min: 0, max: 65535 }), fc.constantFrom('8080', 'x'), junk) }))),
    volumeMounts: listish(maybe(some({ name: volumeName, mountPath: fc.string(), readOnly: boolish }))),
    resources: maybe(some({ limits: maybe(some({ cpu: quantity, memory: quantity })) })),
    livenessProbe: probe,
    readinessProbe: probe,
    restartPolicy: fc.oneof(fc.constant('Always'), junk),
  }),
)
const volume = maybe(
  some({
    name: volumeName,
    hostPath: maybe(some({ path: hostPath, type: fc.string() })),
    secret: maybe(some({ secretName: fc.string() })),
    projected: maybe(some({ sources: listish(maybe(some({ secret: maybe(some({ name: junk })) }))) })),
    emptyDir: junk,
  }),
)
const podSpec = maybe(
  some({
    containers: listish(container),
    initContainers: listish(container),
    ephemeralContainers: listish(container),
    volumes: listish(volume),
    hostNetwork: boolish,
    hostPID: boolish,
    hostIPC: boolish,
    securityContext,
    automountServiceAccountToken: boolish,
    serviceAccountName: fc.oneof(fc.constantFrom('default', 'intake-api'), junk),
    serviceAccount: junk,
    os: maybe(some({ name: fc.oneof(fc.constantFrom('windows', 'linux'), junk) })),
    restartPolicy: fc.oneof(fc.constantFrom('Always', 'Never', 'OnFailure'), junk),
  }),
)
const annotationKey = fc.oneof(
  fc.constantFrom('seccomp.security.alpha.kubernetes.io/pod', 'container.seccomp.security.alpha.kubernetes.io/api', 'container.apparmor.security.beta.kubernetes.io/api'),
  fc.string({ maxLength: 8 }),
)
const annotations = maybe(fc.dictionary(annotationKey, fc.oneof(fc.constantFrom('runtime/default', 'unconfined', 'localhost/x', 'docker/default'), junk), { maxKeys: 3 }))
const podMeta = maybe(some({ labels: junk, annotations }))
const metadata = fc.record(
  {
    name: fc.oneof(fc.constantFrom('patient-intake-api', 'hl7-interface-engine'), fc.string({ minLength: 1, maxLength: 20 })),
    namespace: fc.oneof(fc.constantFrom('default', 'clinic-prod'), junk),
    annotations,
  },
  { requiredKeys: ['name'] },
)

/** Where the pod template goes in each workload kind. */
const WORKLOADS: { apiVersion: string; kind: string; wrap: (meta: unknown, spec: unknown) => Record<string, unknown> }[] = [
  { apiVersion: 'v1', kind: 'Pod', wrap: (_m, s) => ({ spec: s }) },
  { apiVersion: 'v1', kind: 'PodTemplate', wrap: (m, s) => ({ template: { metadata: m, spec: s } }) },
  { apiVersion: 'v1', kind: 'ReplicationController', wrap: (m, s) => ({ spec: { template: { metadata: m, spec: s } } }) },
  { apiVersion: 'apps/v1', kind: 'Deployment', wrap: (m, s) => ({ spec: { template: { metadata: m, spec: s } } }) },
  { apiVersion: 'apps/v1', kind: 'StatefulSet', wrap: (m, s) => ({ spec: { template: { metadata: m, spec: s } } }) },
  { apiVersion: 'apps/v1', kind: 'DaemonSet', wrap: (m, s) => ({ spec: { template: { metadata: m, spec: s } } }) },
  { apiVersion: 'apps/v1', kind: 'ReplicaSet', wrap: (m, s) => ({ spec: { template: { metadata: m, spec: s } } }) },
  { apiVersion: 'batch/v1', kind: 'Job', wrap: (m, s) => ({ spec: { template: { metadata: m, spec: s } } }) },
  { apiVersion: 'batch/v1', kind: 'CronJob', wrap: (m, s) => ({ spec: { jobTemplate: { spec: { template: { metadata: m, spec: s } } } } }) },
  { apiVersion: 'v1', kind: 'Service', wrap: (_m, s) => ({ spec: s }) },
  { apiVersion: 'v1', kind: 'ConfigMap', wrap: () => ({ data: { LOG_LEVEL: 'info' } }) },
  { apiVersion: 'v1', kind: 'Secret', wrap: () => ({ stringData: { password: SECRETS[0] } }) },
]

const object = fc
  .record({
    which: fc.integer({ min: 0, max: WORKLOADS.length - 1 }),
    metadata,
    podMeta,
    spec: podSpec,
    brokenSpec: fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: junk }),
  })
  .map(({ which, metadata, podMeta, spec, brokenSpec }) => {
    const w = WORKLOADS[which]!
    const body = brokenSpec === undefined ? w.wrap(podMeta, spec) : { spec: brokenSpec }
    return { apiVersion: w.apiVersion, kind: w.kind, metadata, ...body } as Record<string, unknown>
  })

/** The objects the checks look up beside a workload: a ServiceAccount and a LimitRange with random settings. */
const neighbours = fc.record({
  sa: some({ automountServiceAccountToken: boolish }),
  saName: fc.constantFrom('default', 'intake-api'),
  limits: listish(maybe(some({ type: fc.oneof(fc.constant('Container'), junk), default: maybe(some({ cpu: quantity, memory: quantity })) }))),
})

/** A resource as the Kubernetes reader and the inventory build it. */
function resource(o: Record<string, unknown>, i: number): Resource {
  const meta = o['metadata'] as Record<string, unknown>
  const type = `K8s::${o['apiVersion'] === 'apps/v1' ? 'Apps' : o['apiVersion'] === 'batch/v1' ? 'Batch' : 'Core'}::${String(o['kind'])}`
  const namespace = typeof meta['namespace'] === 'string' && meta['namespace'] ? meta['namespace'] : 'default'
  const name = String(meta['name'])
  return {
    id: `${kindOf(type)}:fuzz.yaml#${namespace}/${name}#${i}`,
    kind: kindOf(type),
    type,
    provider: 'kubernetes',
    name,
    sourceId: `${namespace}/${name}`,
    origin: 'kubernetes',
    environment: 'unknown',
    labels: {},
    holdsPhi: 'unknown',
    evidence: { phi: [], environment: [] },
    location: { file: 'fuzz.yaml', line: 1 },
    props: o,
    propLines: {},
    stack: 'fuzz.yaml',
    dependsOn: [],
    namespace,
  }
}

function expectWellFormed(check: Check, results: CheckResult[]): void {
  for (const res of results) {
    expect(['pass', 'fail', 'manual'], check.id).toContain(res.status)
    expect(typeof res.message, check.id).toBe('string')
    expect(res.message, `${check.id}: ${res.message}`).toMatch(/\S.*\.$/s)
    if (res.path !== undefined) expect(typeof res.path).toBe('string')
    const evidence = JSON.stringify(res.evidence ?? {})
    expect(leaks(res.message) || leaks(evidence), `${check.id} printed a secret: ${res.message} ${evidence}`).toBe(false)
  }
}

describe('pod-level checks on random Kubernetes-like objects', () => {
  it('evaluate never throws and returns well-formed results without secret values', () => {
    const seen = { pass: 0, fail: 0, manual: 0 }
    fc.assert(
      fc.property(object, neighbours, (o, n) => {
        const r = resource(o, 0)
        const sa = resource({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: n.saName, namespace: r.namespace }, ...n.sa }, 1)
        const lr = resource({ apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'defaults', namespace: r.namespace }, spec: { limits: n.limits } }, 2)
        const ctx: CheckContext = { view: new InventoryView({ resources: [r, sa, lr], edges: [] }), now: new Date('2026-11-23T00:00:00Z'), params: {} }
        for (const check of CHECKS) {
          if (!check.resourceKinds.includes(r.kind)) continue
          if (check.appliesTo && !check.appliesTo(r, ctx)) continue
          const out = check.evaluate(r, ctx)
          const results = Array.isArray(out) ? out : [out]
          expectWellFormed(check, results)
          for (const x of results) seen[x.status]++
        }
      }),
      { numRuns: 600 },
    )
    // the generator reaches every outcome, so the property is not vacuous
    expect(seen.pass).toBeGreaterThan(0)
    expect(seen.fail).toBeGreaterThan(0)
    expect(seen.manual).toBeGreaterThan(0)
  })

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phiwall-k8s-fuzz-'))
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

  it('scanning generated manifests through scan() gives no error findings and no secret values', async () => {
    let n = 0
    const seen = { pass: 0, fail: 0 }
    await fc.assert(
      fc.asyncProperty(fc.array(object, { minLength: 1, maxLength: 3 }), async (objects) => {
        const file = path.join(dir, `gen-${n++}.yaml`)
        fs.writeFileSync(file, objects.map((o) => yaml.dump(o, { noRefs: true, skipInvalid: true })).join('---\n'))
        const r = await scan([file], { checks: CHECKS, vulnerabilities: false, now: new Date('2026-11-23T00:00:00Z') })
        const errors = r.findings.filter((f) => f.status === 'error')
        expect(errors.map((f) => `${f.checkId}: ${f.message}`)).toEqual([])
        for (const f of r.findings) {
          if (f.status === 'pass' || f.status === 'fail') seen[f.status]++
          expect(f.message).toMatch(/\.$/)
          if (f.status === 'fail') expect(f.location.line, `${f.checkId}: ${f.message}`).toBeGreaterThan(0)
          expect(leaks(f.message) || leaks(JSON.stringify(f.evidence)), `${f.checkId} printed a secret: ${f.message}`).toBe(false)
        }
      }),
      { numRuns: 60 },
    )
    expect(seen.pass).toBeGreaterThan(0)
    expect(seen.fail).toBeGreaterThan(0)
  })
})
