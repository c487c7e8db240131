import type { Resource } from '../../model/index.js'
import { defineCheck, fail, pass } from '../define-check.js'
import { subject, WORKLOAD_KINDS } from './lib/pod.js'

const NON_PROD = new Set(['dev', 'test'])

/**
 * Development and test workloads are kept apart from production: not in a production namespace,
 * and not calling production Services or data stores (PR.DS-7: development and testing
 * environments separate from production).
 */
export default defineCheck({
  id: 'k8s/environment-isolation',
  title: 'Development and test workloads do not share a namespace or data stores with production',
  severity: 'high',
  resourceKinds: WORKLOAD_KINDS,
  appliesTo: (r) => NON_PROD.has(r.environment),
  rationale:
    'A development workload in a production namespace shares its Secrets, ServiceAccounts and NetworkPolicies; one that connects to a production Service reaches production PHI with development code, logging and debuggers, and everyone who can deploy to development can read patient records through it.',
  remediation: {
    text: 'Run development and test workloads in their own namespaces (better: their own cluster), point them at their own databases with synthetic data, and deny cross-environment traffic with NetworkPolicies (a default-deny in each production namespace, and ingress rules that name only production namespaces).',
    kubernetes:
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: patients-db, namespace: clinic-prod }\nspec:\n  podSelector: { matchLabels: { app.kubernetes.io/name: patients-db } }\n  ingress:\n    - from:\n        - namespaceSelector: { matchLabels: { environment: prod } }\n          podSelector: { matchLabels: { app.kubernetes.io/name: intake-worker } }',
  },
  controls: { csf: ['PR.DS-7', 'PR.AC-5'], hipaa: ['164.308(a)(4)', '164.308(a)(4)(ii)(B)', '164.312(a)(1)'], ferpa: ['FERPA-LAYERED-DEFENSE', 'FERPA-ACCESS-CONTROL'] },
  references: { cis: ['CIS Kubernetes 5.7.1'] },
  evaluate(w, ctx) {
    const results = []
    // production workloads in the same namespace
    const neighbours = (prodWorkloadsByNamespace(ctx.view).get(w.namespace ?? '') ?? []).filter((r) => r !== w)
    if (neighbours.length) {
      results.push(
        fail(`${w.environment === 'dev' ? 'Development' : 'Test'} workload ${subject(w)} runs in namespace ${w.namespace} together with production workloads (${names(neighbours)}).`, {
          path: 'metadata.namespace',
          evidence: { namespace: w.namespace, production: neighbours.slice(0, 10).map((r) => r.id) },
        }),
      )
    }
    // calls to production Services and data stores
    const reached: { t: Resource; via: string; port?: number }[] = []
    for (const e of ctx.view.edgesOf(w, 'out', ['network', 'uses', 'reads', 'writes'])) {
      const t = ctx.view.get(e.to)
      if (!t || t.environment !== 'prod' || !t.type.startsWith('K8s::')) continue
      if (t.type === 'K8s::Core::ServiceAccount' || t.type === 'K8s::Core::ConfigMap') continue
      reached.push({ t, via: e.evidence, ...(e.port !== undefined ? { port: e.port } : {}) })
    }
    if (reached.length) {
      const first = reached[0]!
      results.push(
        fail(`${w.environment === 'dev' ? 'Development' : 'Test'} workload ${subject(w)} reaches production ${kindName(first.t)} ${first.t.namespace}/${first.t.name}${first.port !== undefined ? ` on port ${first.port}` : ''} (${first.via})${reached.length > 1 ? ` and ${reached.length - 1} more production object(s)` : ''}.`, {
          evidence: { reached: reached.slice(0, 10).map((x) => ({ id: x.t.id, via: x.via, ...(x.port !== undefined ? { port: x.port } : {}), holdsPhi: x.t.holdsPhi })) },
        }),
      )
    }
    if (results.length) return results
    return pass(`${w.environment === 'dev' ? 'Development' : 'Test'} workload ${subject(w)} shares no namespace with production and reaches no production Service or data store in the scan.`)
  },
})

/** Production workloads per namespace, built once per inventory view. */
const PROD_BY_NS = new WeakMap<object, Map<string, Resource[]>>()
function prodWorkloadsByNamespace(view: { resources: readonly Resource[] }): Map<string, Resource[]> {
  let m = PROD_BY_NS.get(view)
  if (!m) {
    m = new Map()
    for (const r of view.resources) if (r.environment === 'prod' && r.namespace !== undefined && WORKLOAD_KINDS.includes(r.kind)) (m.get(r.namespace) ?? m.set(r.namespace, []).get(r.namespace)!).push(r)
    PROD_BY_NS.set(view, m)
  }
  return m
}

function names(rs: Resource[]): string {
  return rs.slice(0, 3).map((r) => r.name).join(', ') + (rs.length > 3 ? ` and ${rs.length - 3} more` : '')
}

function kindName(r: Resource): string {
  return r.type.slice(r.type.lastIndexOf('::') + 2)
}
