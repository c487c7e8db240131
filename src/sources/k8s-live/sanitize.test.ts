import { describe, expect, it } from 'vitest'
import { looksLikeSecretKey, representedBy, sanitizeObject } from './sanitize.js'
import { k8sSnapshotItemSchema } from './snapshot.js'

type Obj = Record<string, unknown>
const owned = (kind: string, ownerKind: string, controller = true): Obj => ({ apiVersion: 'v1', kind, metadata: { name: 'x', namespace: 'n', ownerReferences: [{ apiVersion: 'apps/v1', kind: ownerKind, name: 'owner', uid: 'u', ...(controller ? { controller: true } : {}) }] } })

describe('representedBy', () => {
  it('leaves out pods, ReplicaSets and Jobs run by a controller the snapshot lists', () => {
    expect(representedBy(owned('Pod', 'ReplicaSet'))).toBe('ReplicaSet/owner')
    expect(representedBy(owned('Pod', 'StatefulSet'))).toBe('StatefulSet/owner')
    expect(representedBy(owned('Pod', 'DaemonSet'))).toBe('DaemonSet/owner')
    expect(representedBy(owned('Pod', 'Job'))).toBe('Job/owner')
    expect(representedBy(owned('ReplicaSet', 'Deployment'))).toBe('Deployment/owner')
    expect(representedBy(owned('Job', 'CronJob'))).toBe('CronJob/owner')
  })

  it('keeps bare and static pods, and objects run by controllers it does not list', () => {
    expect(representedBy({ kind: 'Pod', metadata: { name: 'debug' } })).toBeUndefined()
    expect(representedBy(owned('Pod', 'Node'))).toBeUndefined()
    expect(representedBy(owned('ReplicaSet', 'Rollout'))).toBeUndefined()
    expect(representedBy(owned('Pod', 'SparkApplication'))).toBeUndefined()
    // an owner that is not the controller (garbage collection only) does not stand for the pod
    expect(representedBy(owned('Pod', 'ReplicaSet', false))).toBeUndefined()
    // a Deployment is never left out, whatever owns it
    expect(representedBy(owned('Deployment', 'HelmRelease'))).toBeUndefined()
  })
})

describe('sanitizeObject', () => {
  it('maps every Secret value to an empty string, keeps the key names and marks the object', () => {
    const s = sanitizeObject({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' }, type: 'Opaque', data: { password: 'aHVudGVyMg==', user: 'YWRtaW4=' }, stringData: { extra: 'plain' } })
    expect(s).toEqual({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', annotations: { 'phiwall.io/redacted': 'true' } }, type: 'Opaque', data: { password: '', user: '' }, stringData: { extra: '' } })
    expect(k8sSnapshotItemSchema.safeParse(s).success).toBe(true)
  })

  it('marks a Secret without data too, so a reader knows values were removed at collection', () => {
    expect(sanitizeObject({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'empty', annotations: { a: 'b' } } })).toEqual({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'empty', annotations: { a: 'b', 'phiwall.io/redacted': 'true' } } })
  })

  it('empties ConfigMap values under secret-looking keys only', () => {
    const cm = sanitizeObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { LOG_LEVEL: 'debug', DB_PASSWORD: 'x', 'api-key': 'y', 'credentials.json': '{}', AUTH_TOKEN: 'z', 'client-secret': 'w' }, binaryData: { 'keystore.jks': 'AAAA', 'logo.png': 'iVBO' } })
    expect(cm['data']).toEqual({ LOG_LEVEL: 'debug', DB_PASSWORD: '', 'api-key': '', 'credentials.json': '', AUTH_TOKEN: '', 'client-secret': '' })
    expect(cm['binaryData']).toEqual({ 'keystore.jks': '', 'logo.png': 'iVBO' })
    expect((cm['metadata'] as Obj)['annotations']).toEqual({ 'phiwall.io/redacted': 'true' })
    const plain = sanitizeObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'plain' }, data: { LOG_LEVEL: 'info' } })
    expect(plain).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'plain' }, data: { LOG_LEVEL: 'info' } })
  })

  it('drops managedFields, the last-applied annotation (and an annotations map it leaves empty) and status', () => {
    const d = sanitizeObject({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'api', managedFields: [{ manager: 'kubectl' }], annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"kind":"Secret","data":{"p":"eA=="}}' } },
      spec: { replicas: 1 },
      status: { replicas: 1 },
    })
    expect(d).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api' }, spec: { replicas: 1 } })
  })

  it('keeps only the load balancer of a Service or Ingress status', () => {
    const ingress = [{ ip: '203.0.113.10' }]
    expect(sanitizeObject({ kind: 'Service', metadata: { name: 's' }, status: { loadBalancer: { ingress }, conditions: [{ type: 'x' }] } })['status']).toEqual({ loadBalancer: { ingress } })
    expect(sanitizeObject({ kind: 'Ingress', metadata: { name: 'i' }, status: { loadBalancer: {} } })['status']).toEqual({ loadBalancer: {} })
    expect('status' in sanitizeObject({ kind: 'Service', metadata: { name: 's' }, status: {} })).toBe(false)
    expect('status' in sanitizeObject({ kind: 'Pod', metadata: { name: 'p' }, status: { podIP: '10.0.0.1' } })).toBe(false)
  })
})

describe('the snapshot item schema', () => {
  it('refuses what the collector must never write', () => {
    expect(k8sSnapshotItemSchema.safeParse({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', annotations: { 'phiwall.io/redacted': 'true' } }, data: { p: 'eA==' } }).success).toBe(false)
    expect(k8sSnapshotItemSchema.safeParse({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { p: '' } }).success).toBe(false)
    expect(k8sSnapshotItemSchema.safeParse({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { DB_PASSWORD: 'x' } }).success).toBe(false)
    expect(k8sSnapshotItemSchema.safeParse({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', managedFields: [] } }).success).toBe(false)
    expect(k8sSnapshotItemSchema.safeParse({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' } } }).success).toBe(false)
    expect(k8sSnapshotItemSchema.safeParse({ kind: 'Pod', metadata: { name: 'p' } }).success).toBe(false)
    expect(k8sSnapshotItemSchema.safeParse({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { LOG_LEVEL: 'x' } }).success).toBe(true)
  })
})

describe('looksLikeSecretKey', () => {
  it('matches the usual names of secrets', () => {
    for (const k of ['password', 'DB_PASSWORD', 'passwd', 'PGPASSWORD', 'token', 'GITHUB_TOKEN', 'secret', 'client_secret', 'api-key', 'tls.key', 'credentials', 'aws-credentials.json']) expect(looksLikeSecretKey(k), k).toBe(true)
    for (const k of ['LOG_LEVEL', 'ca.crt', 'Corefile', 'FHIR_BASE_URL', 'nginx.conf']) expect(looksLikeSecretKey(k), k).toBe(false)
  })
})
