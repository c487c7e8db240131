import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { PhiwallError } from '../../model/index.js'
import { scan } from '../../scan/index.js'
import { readKubernetes } from '../kubernetes/index.js'
import { collectK8sSnapshot, type CollectK8sOptions } from './collect.js'
import { k8sSnapshotSchema, type K8sSnapshot } from './snapshot.js'
import { writeK8sSnapshot } from './write.js'
import { startFakeApiServer, tempDir, writeKubeconfig, type Answer, type FakeApiServer, type SeenRequest } from './testdata/server.js'

const DIR = fileURLToPath(new URL('./testdata/clinic', import.meta.url))
const NOW = new Date('2025-01-21T10:20:00Z')
// values recorded in the fixture that must never reach a snapshot
const PG_PASSWORD = 'Ouq7-vitals-Rx-2291'
const SMTP_PASSWORD = 'Wp4-smtp-relay-7731'
const b64 = (s: string): string => Buffer.from(s).toString('base64')

type Obj = Record<string, unknown>

let server: FakeApiServer
let tmp: string
let token: string
let kubeconfig: string

async function start(override?: (req: SeenRequest) => Answer | undefined): Promise<void> {
  await server?.close()
  server = await startFakeApiServer({ dir: DIR, token, ...(override ? { override } : {}) })
  kubeconfig = writeKubeconfig(tmp, [
    { context: 'clinic-prod-admin', cluster: 'clinic-eks-prod', server: server.url, token },
    { context: 'clinic-staging', cluster: 'clinic-eks-staging', server: 'http://127.0.0.1:9', token: 'other-token-value-1234' },
  ])
}

const collect = (extra: Partial<CollectK8sOptions> = {}): Promise<K8sSnapshot> => collectK8sSnapshot({ kubeconfig, now: () => NOW, ...extra })

const itemsOf = (s: K8sSnapshot, kind: string): Obj[] => s.items.filter((i) => i.kind === kind) as Obj[]
const namesOf = (s: K8sSnapshot, kind: string): string[] => itemsOf(s, kind).map((i) => `${(i['metadata'] as Obj)['namespace'] ?? ''}/${(i['metadata'] as Obj)['name']}`)
const find = (s: K8sSnapshot, kind: string, namespace: string, name: string): Obj | undefined =>
  s.items.find((i) => i.kind === kind && i.metadata.name === name && (i.metadata.namespace ?? '') === namespace) as Obj | undefined
const recorded = (rel: string): Obj => JSON.parse(fs.readFileSync(path.join(DIR, rel), 'utf8')) as Obj

beforeEach(async () => {
  tmp = tempDir()
  token = `k8s-aws-v1.${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`
  await start()
})
afterEach(async () => {
  await server.close()
  fs.rmSync(tmp, { recursive: true, force: true })
})

describe('collectK8sSnapshot against a recorded cluster', () => {
  it('writes a snapshot the schema accepts, with context, cluster, server and version', async () => {
    const snap = await collect()
    expect(k8sSnapshotSchema.safeParse(snap).success).toBe(true)
    expect(snap).toMatchObject({ kind: 'phiwall-k8s-snapshot', schemaVersion: 1, context: 'clinic-prod-admin', cluster: 'clinic-eks-prod', server: server.url, kubernetesVersion: 'v1.30.8-eks-2d5f260', collectedAt: NOW.toISOString() })
    expect(snap.namespaces).toBeUndefined()
    const file = path.join(tmp, 'snap.json')
    writeK8sSnapshot(file, snap)
    expect(k8sSnapshotSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8'))).success).toBe(true)
    if (process.platform !== 'win32') expect(fs.statSync(file).mode & 0o777).toBe(0o600)
  })

  it('lists every kind once, each workload at its top controller', async () => {
    const snap = await collect()
    const counts: Record<string, number> = {}
    for (const i of snap.items) counts[i.kind] = (counts[i.kind] ?? 0) + 1
    expect(counts).toEqual({
      Namespace: 4,
      Pod: 2,
      Deployment: 3,
      StatefulSet: 1,
      DaemonSet: 1,
      ReplicaSet: 1,
      Job: 1,
      CronJob: 1,
      Service: 5,
      Ingress: 1,
      NetworkPolicy: 2,
      ServiceAccount: 5,
      Role: 1,
      ClusterRole: 3,
      RoleBinding: 1,
      ClusterRoleBinding: 3,
      Secret: 2,
      ConfigMap: 3,
      PersistentVolumeClaim: 1,
    })
    // pods run by a ReplicaSet, StatefulSet or DaemonSet are left out; a bare pod and a static (Node-mirrored) pod stay
    expect(namesOf(snap, 'Pod')).toEqual(['clinic-prod/debug-shell', 'kube-system/kube-apiserver-ip-10-20-1-5.ec2.internal'])
    // ReplicaSets of Deployments are left out, one without an owner stays; Jobs of a CronJob are left out
    expect(namesOf(snap, 'ReplicaSet')).toEqual(['clinic-prod/legacy-fax-gateway'])
    expect(namesOf(snap, 'Job')).toEqual(['clinic-prod/db-migrate-v42'])
    // sorted by kind (collection order), namespace and name
    expect(snap.items.slice(0, 4).map((i) => i.metadata.name)).toEqual(['clinic-dev', 'clinic-prod', 'default', 'kube-system'])
  })

  it('follows continue tokens with the same limit', async () => {
    const snap = await collect()
    const pods = server.requests.filter((r) => r.path === '/api/v1/pods')
    const token1 = ((recorded('api/v1/pods.json')['metadata'] as Obj)['continue']) as string
    expect(pods.map((r) => r.query)).toEqual([{ limit: '500' }, { limit: '500', continue: token1 }])
    // debug-shell is on the second page only
    expect(find(snap, 'Pod', 'clinic-prod', 'debug-shell')).toBeDefined()
    const deployments = server.requests.filter((r) => r.path === '/apis/apps/v1/deployments')
    expect(deployments.map((r) => r.query)).toEqual([{ limit: '500' }])
  })

  it('lists again from the start when a continue token expired (410)', async () => {
    let expired = false
    await start((req) => {
      if (req.path === '/api/v1/pods' && req.query['continue'] && !expired) {
        expired = true
        return { status: 410, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'The provided continue parameter is too old to display a consistent list result.', reason: 'Expired', code: 410 } }
      }
      return undefined
    })
    const snap = await collect()
    expect(server.requests.filter((r) => r.path === '/api/v1/pods').map((r) => Object.keys(r.query).sort().join(','))).toEqual(['limit', 'continue,limit', 'limit', 'continue,limit'])
    expect(namesOf(snap, 'Pod')).toEqual(['clinic-prod/debug-shell', 'kube-system/kube-apiserver-ip-10-20-1-5.ec2.internal'])
    expect(snap.errors.map((e) => e.resource)).toEqual(['persistentvolumes'])
  })

  it('records a forbidden list in errors and goes on; a CRD that is not installed is skipped silently', async () => {
    const snap = await collect()
    expect(snap.errors).toEqual([
      {
        resource: 'persistentvolumes',
        status: 403,
        message: 'persistentvolumes is forbidden: User "arn:aws:sts::123456789012:assumed-role/clinic-auditor/phiwall" cannot list resource "persistentvolumes" in API group "" at the cluster scope',
      },
    ])
    expect(itemsOf(snap, 'PersistentVolume')).toEqual([])
    // the Cilium lists were tried, answered 404, and left no trace
    const cilium = server.requests.filter((r) => r.path.startsWith('/apis/cilium.io/'))
    expect(cilium.map((r) => r.path).sort()).toEqual(['/apis/cilium.io/v2/ciliumclusterwidenetworkpolicies', '/apis/cilium.io/v2/ciliumnetworkpolicies'])
    expect(snap.items.some((i) => i.kind.startsWith('Cilium'))).toBe(false)
  })

  it('records a server error of one kind with its status', async () => {
    await start((req) => (req.path === '/apis/batch/v1/cronjobs' ? { status: 500, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'etcdserver: request timed out', reason: 'InternalError', code: 500 } } : undefined))
    const snap = await collect()
    expect(snap.errors).toContainEqual({ resource: 'cronjobs.batch', status: 500, message: 'etcdserver: request timed out' })
    expect(itemsOf(snap, 'CronJob')).toEqual([])
    expect(itemsOf(snap, 'Deployment')).toHaveLength(3)
  })

  it('removes the token from a message that echoes it', async () => {
    // a misconfigured proxy or webhook authorizer that repeats the request's Authorization header
    await start((req) =>
      req.path === '/api/v1/configmaps' ? { status: 403, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `denied by policy for ${req.authorization} (raw ${token})`, reason: 'Forbidden', code: 403 } } : undefined,
    )
    const snap = await collect()
    const error = snap.errors.find((e) => e.resource === 'configmaps')!
    expect(error.status).toBe(403)
    expect(error.message).toBe('denied by policy for Bearer [redacted] (raw [redacted])')
    expect(JSON.stringify(snap)).not.toContain(token)
  })

  it('fills in apiVersion and kind, which list responses leave out', async () => {
    // the recording is what the server sends: items without apiVersion and kind
    const raw = recorded('apis/apps/v1/deployments.json')
    expect((raw['items'] as Obj[]).every((i) => !('apiVersion' in i) && !('kind' in i))).toBe(true)
    const snap = await collect()
    for (const i of snap.items) {
      expect(typeof i.apiVersion).toBe('string')
      expect(typeof i.kind).toBe('string')
    }
    expect(find(snap, 'Deployment', 'clinic-prod', 'intake-api')).toMatchObject({ apiVersion: 'apps/v1', kind: 'Deployment' })
    expect(find(snap, 'ClusterRoleBinding', '', 'clinic-devs-admin')).toMatchObject({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding' })
    expect(find(snap, 'Ingress', 'clinic-prod', 'intake')).toMatchObject({ apiVersion: 'networking.k8s.io/v1' })
    // the first keys of an object stay apiVersion, kind, metadata
    expect(Object.keys(find(snap, 'Service', 'clinic-prod', 'intake-api')!).slice(0, 3)).toEqual(['apiVersion', 'kind', 'metadata'])
  })

  it('never writes a Secret value; keeps the key names and marks the object', async () => {
    const snap = await collect()
    const file = path.join(tmp, 'snap.json')
    writeK8sSnapshot(file, snap)
    const text = fs.readFileSync(file, 'utf8')
    // the recording holds them, in data and in the last-applied annotation
    const secretsText = fs.readFileSync(path.join(DIR, 'api/v1/secrets.json'), 'utf8')
    expect(secretsText).toContain(b64(PG_PASSWORD))
    expect(secretsText).toContain(PG_PASSWORD)
    for (const value of [PG_PASSWORD, b64(PG_PASSWORD), b64('intake_app'), 'intake_app', SMTP_PASSWORD]) expect(text).not.toContain(value)
    const tlsKey = ((recorded('api/v1/secrets.json')['items'] as Obj[])[0]!['data'] as Obj)['tls.key'] as string
    expect(text).not.toContain(tlsKey)

    const pg = find(snap, 'Secret', 'clinic-prod', 'postgres-credentials')!
    expect(pg['data']).toEqual({ POSTGRES_PASSWORD: '', POSTGRES_USER: '' })
    expect(pg['type']).toBe('Opaque')
    expect((pg['metadata'] as Obj)['annotations']).toEqual({ 'phiwall.io/redacted': 'true' })
    expect(find(snap, 'Secret', 'clinic-prod', 'intake-tls')!['data']).toEqual({ 'tls.crt': '', 'tls.key': '' })

    // a ConfigMap keeps its values except under secret-looking keys
    const cm = find(snap, 'ConfigMap', 'clinic-prod', 'intake-api-config')!
    expect(cm['data']).toEqual({ LOG_LEVEL: 'info', FHIR_BASE_URL: 'https://fhir.clinic.example.com/r4', SMTP_HOST: 'smtp.clinic.example.com', SMTP_PASSWORD: '' })
    expect(((cm['metadata'] as Obj)['annotations'] as Obj)['phiwall.io/redacted']).toBe('true')
    const ca = find(snap, 'ConfigMap', 'clinic-prod', 'kube-root-ca.crt')!
    expect((ca['data'] as Obj)['ca.crt']).toMatch(/^-----BEGIN CERTIFICATE-----/)
    expect(((ca['metadata'] as Obj)['annotations'] as Obj)['phiwall.io/redacted']).toBeUndefined()
  })

  it('drops managedFields, the last-applied annotation and status (but a Service or Ingress load balancer)', async () => {
    const raw = fs.readFileSync(path.join(DIR, 'apis/apps/v1/deployments.json'), 'utf8')
    expect(raw).toContain('managedFields')
    expect(raw).toContain('kubectl.kubernetes.io/last-applied-configuration')
    const snap = await collect()
    const text = JSON.stringify(snap)
    expect(text).not.toContain('managedFields')
    expect(text).not.toContain('last-applied-configuration')
    const deployment = find(snap, 'Deployment', 'clinic-prod', 'intake-api')!
    expect(deployment['status']).toBeUndefined()
    expect((deployment['metadata'] as Obj)['annotations']).toEqual({ 'deployment.kubernetes.io/revision': '7' })
    expect(find(snap, 'Service', 'clinic-prod', 'intake-api')!['status']).toEqual({ loadBalancer: { ingress: [{ hostname: 'a3f9c1e2b7d84e5f9a0b1c2d3e4f5a6b-1f2e3d4c5b6a7980.elb.us-east-1.amazonaws.com' }] } })
    expect(find(snap, 'Service', 'clinic-prod', 'intake-api')!['spec']).toMatchObject({ type: 'LoadBalancer' })
    expect(find(snap, 'Ingress', 'clinic-prod', 'intake')!['status']).toEqual({ loadBalancer: { ingress: [{ hostname: 'k8s-ingressn-ingressn-0b1c2d3e4f-5a6b7c8d9e0f1a2b.elb.us-east-1.amazonaws.com' }] } })
    expect(find(snap, 'Pod', 'clinic-prod', 'debug-shell')!['status']).toBeUndefined()
    expect(find(snap, 'Namespace', '', 'clinic-prod')!['status']).toBeUndefined()
  })

  it('makes read-only GET calls with the kubeconfig token, and never writes the token', async () => {
    const snap = await collect()
    expect(new Set(server.requests.map((r) => r.method))).toEqual(new Set(['GET']))
    expect(new Set(server.requests.map((r) => r.authorization))).toEqual(new Set([`Bearer ${token}`]))
    expect(server.requests[0]!.path).toBe('/version')
    expect(JSON.stringify(snap)).not.toContain(token)
  })

  it('reads only the namespaces named, and those namespaces themselves', async () => {
    const snap = await collect({ namespaces: ['clinic-prod'] })
    expect(snap.namespaces).toEqual(['clinic-prod'])
    expect(k8sSnapshotSchema.safeParse(snap).success).toBe(true)
    const namespacedKinds = snap.items.filter((i) => i.metadata.namespace !== undefined)
    expect(new Set(namespacedKinds.map((i) => i.metadata.namespace))).toEqual(new Set(['clinic-prod']))
    expect(namesOf(snap, 'Namespace')).toEqual(['/clinic-prod'])
    expect(find(snap, 'Namespace', '', 'clinic-prod')).toMatchObject({ apiVersion: 'v1', kind: 'Namespace', metadata: { labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } })
    expect(namesOf(snap, 'Deployment')).toEqual(['clinic-prod/intake-api'])
    expect(namesOf(snap, 'Pod')).toEqual(['clinic-prod/debug-shell'])
    // cluster-scoped kinds are still read: RBAC across the cluster decides what the namespace's accounts may do
    expect(namesOf(snap, 'ClusterRoleBinding')).toHaveLength(3)
    const paths = server.requests.map((r) => r.path)
    expect(paths).toContain('/apis/apps/v1/namespaces/clinic-prod/deployments')
    expect(paths).toContain('/api/v1/namespaces/clinic-prod')
    expect(paths).not.toContain('/api/v1/pods')
    expect(paths).not.toContain('/api/v1/namespaces')
    expect(paths).toContain('/apis/cilium.io/v2/namespaces/clinic-prod/ciliumnetworkpolicies')
  })

  it('records a namespace that does not exist', async () => {
    const snap = await collect({ namespaces: ['clinic-prod', 'clinic-qa'] })
    expect(snap.errors).toContainEqual({ resource: 'namespaces', namespace: 'clinic-qa', status: 404, message: 'namespace clinic-qa does not exist' })
  })

  it('rejects a namespace name Kubernetes would not accept', async () => {
    await expect(collect({ namespaces: ['Clinic_Prod'] })).rejects.toMatchObject({ code: 'PW_ERR_USAGE' })
  })
})

describe('the snapshot in phiwall scan', () => {
  const byType = (types: string[]): Record<string, number> => {
    const out: Record<string, number> = {}
    for (const t of types) out[t] = (out[t] ?? 0) + 1
    return out
  }
  const EXPECTED = {
    'K8s::Core::Namespace': 4,
    'K8s::Core::Pod': 2,
    'K8s::Apps::Deployment': 3,
    'K8s::Apps::StatefulSet': 1,
    'K8s::Apps::DaemonSet': 1,
    'K8s::Apps::ReplicaSet': 1,
    'K8s::Batch::Job': 1,
    'K8s::Batch::CronJob': 1,
    'K8s::Core::Service': 5,
    'K8s::Networking::Ingress': 1,
    'K8s::Networking::NetworkPolicy': 2,
    'K8s::Core::ServiceAccount': 5,
    'K8s::Rbac::Role': 1,
    'K8s::Rbac::ClusterRole': 3,
    'K8s::Rbac::RoleBinding': 1,
    'K8s::Rbac::ClusterRoleBinding': 3,
    'K8s::Core::Secret': 2,
    'K8s::Core::ConfigMap': 3,
    'K8s::Core::PersistentVolumeClaim': 1,
  }

  it('readKubernetes reads every object as a k8s-snapshot resource of the cluster', async () => {
    const file = path.join(tmp, 'clinic.json')
    writeK8sSnapshot(file, await collect())
    const doc = readKubernetes(fs.readFileSync(file, 'utf8'), 'clinic.json')
    expect(doc.origin).toBe('k8s-snapshot')
    expect(doc.context.service).toBe('clinic-eks-prod')
    expect(doc.diagnostics.filter((d) => d.level === 'error')).toEqual([])
    expect(byType(doc.resources.map((r) => r.type))).toEqual(EXPECTED)
    const dep = doc.resources.find((r) => r.type === 'K8s::Apps::Deployment' && r.sourceId === 'clinic-prod/intake-api')!
    expect(dep.physicalId).toBe('9e4c2b7a-1d3f-4e5a-b6c8-0d2f4a6c8e13')
    expect(dep.line).toBeGreaterThan(1)
  })

  it('scan() takes the file as a k8s-snapshot and builds its inventory', async () => {
    const file = path.join(tmp, 'clinic.json')
    writeK8sSnapshot(file, await collect())
    const result = await scan([file], { vulnerabilities: false })
    expect(result.files).toEqual([expect.objectContaining({ status: 'ok', format: 'k8s-snapshot', resources: 41 })])
    const resources = result.inventory.resources
    expect(new Set(resources.map((r) => r.origin))).toEqual(new Set(['k8s-snapshot']))
    // the objects only: stack nodes stand for AWS deployment units, a cluster groups by namespace
    expect(resources.filter((r) => r.kind === 'phiwall:stack')).toEqual([])
    expect(byType(resources.map((r) => r.type))).toEqual(EXPECTED)
    expect(resources.every((r) => r.provider === 'kubernetes')).toBe(true)
    expect(resources.find((r) => r.type === 'K8s::Apps::Deployment' && r.sourceId === 'clinic-prod/intake-api')?.kind).toBe('k8s:apps:deployment')
  })
})

describe('a cluster that cannot be read', () => {
  const failure = async (p: Promise<unknown>): Promise<PhiwallError> => {
    const err = await p.then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(err).toBeInstanceOf(PhiwallError)
    return err as PhiwallError
  }

  it('connection refused → PW_ERR_K8S_UNREACHABLE, naming context and server', async () => {
    const closed = await startFakeApiServer({ dir: DIR, token })
    await closed.close()
    const file = writeKubeconfig(tmp, [{ context: 'clinic-prod-admin', cluster: 'clinic-eks-prod', server: closed.url, token }])
    const err = await failure(collectK8sSnapshot({ kubeconfig: file }))
    expect(err.code).toBe('PW_ERR_K8S_UNREACHABLE')
    expect(err.message).toBe(`The Kubernetes API server of context clinic-prod-admin (${closed.url}) cannot be reached: connection refused.`)
    expect(err.message).not.toContain(token)
  })

  it('a TLS failure → PW_ERR_K8S_UNREACHABLE saying TLS', async () => {
    // https:// to a server that speaks plain HTTP: the handshake fails
    const file = writeKubeconfig(tmp, [{ context: 'clinic-prod-admin', cluster: 'clinic-eks-prod', server: server.url.replace('http:', 'https:'), token }])
    const err = await failure(collectK8sSnapshot({ kubeconfig: file }))
    expect(err.code).toBe('PW_ERR_K8S_UNREACHABLE')
    expect(err.message).toMatch(/^The Kubernetes API server of context clinic-prod-admin \(https:\/\/127\.0\.0\.1:\d+\) cannot be reached: TLS failed/)
    expect(err.message).not.toContain(token)
  })

  it('401 on every call → PW_ERR_K8S_AUTH, without the token', async () => {
    const wrong = `${token}-revoked`
    const file = writeKubeconfig(tmp, [{ context: 'clinic-prod-admin', cluster: 'clinic-eks-prod', server: server.url, token: wrong }])
    const err = await failure(collectK8sSnapshot({ kubeconfig: file }))
    expect(err.code).toBe('PW_ERR_K8S_AUTH')
    expect(err.message).toBe(`The Kubernetes API server of context clinic-prod-admin (${server.url}) rejected the credentials (401 Unauthorized).`)
    expect(server.requests.map((r) => r.path)).toEqual(['/version'])
    expect(err.message).not.toContain(wrong)
    expect(err.remediation).toContain('docs/kubernetes-collect.md')
  })

  it('403 on every list → PW_ERR_K8S_AUTH', async () => {
    await start((req) =>
      req.path === '/version'
        ? undefined
        : { status: 403, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `${req.path.split('/').pop()} is forbidden: User "system:anonymous" cannot list resource`, reason: 'Forbidden', code: 403 } },
    )
    const err = await failure(collect())
    expect(err.code).toBe('PW_ERR_K8S_AUTH')
    expect(err.message).toMatch(/^Every call to the Kubernetes API server of context clinic-prod-admin \(http:\/\/127\.0\.0\.1:\d+\) was refused \(403\): /)
  })

  it('an unknown context → PW_ERR_K8S_CONTEXT, listing the contexts there are', async () => {
    const err = await failure(collect({ context: 'clinic-prdo' }))
    expect(err.code).toBe('PW_ERR_K8S_CONTEXT')
    expect(err.message).toBe(`Context clinic-prdo is not in the kubeconfig ${kubeconfig} (contexts: clinic-prod-admin, clinic-staging).`)
    expect(server.requests).toEqual([])
  })

  it('--context selects another context of the kubeconfig', async () => {
    // clinic-staging points at a closed port
    const err = await failure(collect({ context: 'clinic-staging' }))
    expect(err.code).toBe('PW_ERR_K8S_UNREACHABLE')
    expect(err.message).toContain('context clinic-staging (http://127.0.0.1:9)')
    expect(err.message).not.toContain('other-token-value-1234')
  })

  it('a kubeconfig that does not exist, or is not YAML, never quoting its lines', async () => {
    expect((await failure(collectK8sSnapshot({ kubeconfig: path.join(tmp, 'nope') }))).code).toBe('PW_ERR_PATH_NOT_FOUND')
    const bad = path.join(tmp, 'bad-kubeconfig')
    fs.writeFileSync(bad, `apiVersion: v1\nusers:\n- name: u\n  user:\n    token: ${token}\n   bad: [\n`)
    const err = await failure(collectK8sSnapshot({ kubeconfig: bad }))
    expect(err.code).toBe('PW_ERR_K8S_CONTEXT')
    expect(err.message).toMatch(/is not valid YAML \(line \d+\)/)
    expect(err.message).not.toContain(token)
  })

  it('a kubeconfig without a current context → PW_ERR_K8S_CONTEXT', async () => {
    const file = writeKubeconfig(tmp, [{ context: 'clinic-prod-admin', cluster: 'clinic-eks-prod', server: server.url, token }], '')
    const err = await failure(collectK8sSnapshot({ kubeconfig: file }))
    expect(err.code).toBe('PW_ERR_K8S_CONTEXT')
    expect(err.message).toContain('pass --context (contexts: clinic-prod-admin)')
  })

  it('$KUBECONFIG is used without --kubeconfig', async () => {
    const before = process.env['KUBECONFIG']
    process.env['KUBECONFIG'] = kubeconfig
    try {
      const snap = await collectK8sSnapshot({ now: () => NOW })
      expect(snap.context).toBe('clinic-prod-admin')
      expect(snap.items.length).toBe(41)
    } finally {
      if (before === undefined) delete process.env['KUBECONFIG']
      else process.env['KUBECONFIG'] = before
    }
  })
})
