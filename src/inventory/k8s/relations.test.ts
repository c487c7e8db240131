import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { collect } from '../../sources/index.js'
import { buildInventory } from '../build.js'
import { addressesIn } from './relations.js'
import { labelSelectorMatches } from './selectors.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')

async function inventoryOf(...paths: string[]) {
  const c = await collect(paths.map((p) => path.join(root, p)), { components: false })
  const inv = buildInventory(c.documents)
  const byId = new Map(inv.resources.map((r) => [r.id, r]))
  const short = (id: string): string => {
    const r = byId.get(id)!
    return `${r.type.split('::')[2]} ${r.sourceId}`
  }
  return { inv, edges: inv.edges.map((e) => `${short(e.from)} -${e.kind}${e.port !== undefined ? `:${e.port}` : ''}-> ${short(e.to)}`), find: (type: string, sourceId: string) => inv.resources.find((r) => r.type.endsWith(`::${type}`) && r.sourceId === sourceId)! }
}

describe('label selectors', () => {
  const labels = { app: 'intake', tier: 'backend', track: 'stable' }
  it.each([
    [{ app: 'intake' }, true, true],
    [{ app: 'intake', tier: 'frontend' }, true, false],
    [{}, true, false],
    [{ matchLabels: { app: 'intake' } }, false, true],
    [{ matchExpressions: [{ key: 'tier', operator: 'In', values: ['backend', 'db'] }] }, false, true],
    [{ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['backend'] }] }, false, false],
    [{ matchExpressions: [{ key: 'canary', operator: 'DoesNotExist' }] }, false, true],
    [{ matchExpressions: [{ key: 'track', operator: 'Exists' }], matchLabels: { app: 'other' } }, false, false],
    [{ matchExpressions: [{ key: 'track', operator: 'Bogus' }] }, false, false],
    [{}, false, true],
  ])('%j (plain map: %s) → %s', (selector, plain, expected) => {
    expect(labelSelectorMatches(selector, labels, plain)).toBe(expected)
  })
  it('selects nothing with an absent selector', () => {
    expect(labelSelectorMatches(undefined, labels)).toBe(false)
    expect(labelSelectorMatches(null, labels, true)).toBe(false)
  })
})

describe('addresses in environment values', () => {
  it.each([
    ['patients-db', [{ host: 'patients-db' }]],
    ['cartservice:7070', [{ host: 'cartservice', port: 7070 }]],
    ['http://fhir-bridge:8080/fhir/r4', [{ host: 'fhir-bridge', port: 8080 }]],
    ['postgres://app:s3cret@patients-db.clinic-prod.svc.cluster.local:5432/patients?sslmode=require', [{ host: 'patients-db.clinic-prod.svc.cluster.local', port: 5432 }]],
    ['kafka-0.kafka:9092,kafka-1.kafka:9092', [{ host: 'kafka-0.kafka', port: 9092 }, { host: 'kafka-1.kafka', port: 9092 }]],
    ['10.0.4.17:5432', []],
    ['not a host!', [{ host: 'not' }, { host: 'a' }]],
  ])('%s', (value, expected) => {
    expect(addressesIn(value)).toEqual(expected)
  })
})

describe('Kubernetes relations', () => {
  it('gives the clinic example its edges: Services to pods, Ingress to Service, calls through env values, secrets, accounts, policies, RBAC', async () => {
    const { edges } = await inventoryOf('examples/clinic-intake/k8s')
    expect(edges).toEqual(
      expect.arrayContaining([
        'Service clinic-prod/intake-worker -network:8080-> Deployment clinic-prod/intake-worker',
        'Service clinic-prod/patients-db -network:5432-> StatefulSet clinic-prod/patients-db',
        'Ingress clinic-prod/portal -network:80-> Service clinic-prod/intake-worker',
        'Deployment clinic-prod/intake-worker -network:5432-> Service clinic-prod/patients-db',
        'Deployment clinic-prod/intake-worker -uses-> StatefulSet clinic-prod/patients-db',
        'Deployment clinic-prod/intake-worker -network:8080-> Service clinic-prod/fhir-bridge',
        'Deployment clinic-prod/intake-worker -reads-> Secret clinic-prod/patients-db-credentials',
        'Deployment clinic-prod/intake-worker -uses-> ServiceAccount clinic-prod/intake-worker',
        'StatefulSet clinic-prod/patients-db -reads-> Secret clinic-prod/patients-db-credentials',
        'NetworkPolicy clinic-prod/default-deny -attached-> Deployment clinic-prod/intake-worker',
        'NetworkPolicy clinic-prod/patients-db -attached-> StatefulSet clinic-prod/patients-db',
        'ClusterRoleBinding fhir-bridge-debug -attached-> ServiceAccount clinic-prod/fhir-bridge',
        // the development copy reaches the production database by its cluster DNS name
        'Deployment clinic-dev/intake-worker-dev -network:5432-> Service clinic-prod/patients-db',
      ]),
    )
    // a Service does not select pods of another namespace, and a NetworkPolicy governs its own namespace only
    expect(edges.filter((e) => e.includes('clinic-dev') && e.startsWith('NetworkPolicy clinic-prod'))).toEqual([])
    expect(edges.filter((e) => e.startsWith('NetworkPolicy clinic-dev/default-deny'))).toEqual(['NetworkPolicy clinic-dev/default-deny -attached-> Deployment clinic-dev/intake-worker-dev'])
  })

  it('takes environment, owner and PHI from the Namespace object, and PHI follows calls to data stores', async () => {
    const { find } = await inventoryOf('examples/clinic-intake/k8s')
    const worker = find('Deployment', 'clinic-prod/intake-worker')
    expect(worker.environment).toBe('prod')
    expect(worker.evidence.environment).toEqual([{ source: 'tag', detail: 'namespace clinic-prod tag environment=prod' }])
    expect(worker.owner).toBe('intake')
    expect(worker.holdsPhi).toBe('yes')
    const dev = find('Deployment', 'clinic-dev/intake-worker-dev')
    expect(dev.environment).toBe('dev')
    // the namespace says synthetic data, but the workload reaches the production patient database
    expect(dev.holdsPhi).toBe('yes')
    expect(dev.evidence.phi.map((e) => e.source)).toEqual(['edge'])
    // objects that are neither workloads nor volumes do not inherit PHI from the namespace
    expect(find('Service', 'clinic-prod/intake-worker').holdsPhi).toBe('unknown')
  })

  it('follows ConfigMap values loaded with envFrom, and names the environment from the namespace label', async () => {
    const { edges, find } = await inventoryOf('src/sources/kubernetes/testdata/kustomize-build.yaml')
    expect(edges).toEqual(
      expect.arrayContaining([
        'Deployment scheduling-staging/scheduler -reads-> ConfigMap scheduling-staging/scheduler-config-8g2h6c9t7k',
        'Deployment scheduling-staging/scheduler -network:5432-> Service scheduling-staging/appointments-db',
        'Deployment scheduling-staging/scheduler -uses-> StatefulSet scheduling-staging/appointments-db',
      ]),
    )
    expect(find('Deployment', 'scheduling-staging/scheduler').environment).toBe('staging')
  })

  it('names the environment from the namespace name when no Namespace object is in the scan', async () => {
    const { find } = await inventoryOf('src/sources/kubernetes/testdata/list.json')
    expect(find('CronJob', 'lab-prod/lab-results-export').environment).toBe('prod')
    expect(find('CronJob', 'lab-prod/lab-results-export').evidence.environment).toEqual([{ source: 'name', detail: 'namespace lab-prod' }])
  })
})
