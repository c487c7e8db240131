import { defineCheck, fail, manual, pass } from '../define-check.js'
import { nameList, workloadsIn, workloadsSelectedByService } from './lib/cluster.js'
import { isObj, subject } from './lib/pod.js'

/** A Service with a selector routes to workloads that exist in its namespace. */
export default defineCheck({
  id: 'k8s/service-selects-pods',
  title: 'Service selector matches workloads in its namespace',
  severity: 'low',
  resourceKinds: ['k8s:core:service'],
  rationale:
    'A Service whose selector matches no pods has no endpoints: clients get connection errors, and a later workload that happens to carry the labels (a test deployment, a look-alike chart) silently receives the traffic meant for the real one, patient data included. It is usually a typo or a stale label after a rename, and the manifests no longer say what the Service is for.',
  remediation: {
    text: 'Make spec.selector match the pod template labels of the workload the Service fronts, or remove the Service. A Service meant to route to manual Endpoints or an external name should have no selector.',
    kubernetes: 'spec:\n  selector:\n    app: intake-api   # equal to spec.template.metadata.labels of the Deployment',
  },
  controls: { csf: ['PR.IP-1', 'PR.AC-5'], hipaa: ['164.308(a)(8)', '164.312(a)(1)'], ferpa: ['FERPA-SECURE-CONFIGURATIONS'] },
  evaluate(svc, ctx) {
    const spec = isObj(svc.props['spec']) ? svc.props['spec'] : {}
    const ns = svc.namespace ?? 'default'
    if (spec['type'] === 'ExternalName') return pass(`${subject(svc)} is an ExternalName Service and selects no pods.`)
    const selector = spec['selector']
    if (!isObj(selector) || Object.keys(selector).length === 0) return pass(`${subject(svc)} has no selector; it routes to Endpoints managed outside the Service.`)
    const workloads = workloadsIn(ctx.view, svc.namespace)
    if (!workloads.length) return manual(`${subject(svc)} selects pods by label, but the scan holds no workloads of namespace ${ns} to compare with.`, { path: 'spec.selector' })
    const matched = workloadsSelectedByService(ctx.view, svc)
    if (!matched.length) {
      return fail(`${subject(svc)} has a selector that matches none of the ${workloads.length} workload${workloads.length > 1 ? 's' : ''} of namespace ${ns} in the scan, so it has no endpoints.`, {
        path: 'spec.selector',
        evidence: { selector: Object.keys(selector), workloadsInNamespace: workloads.slice(0, 20).map((w) => w.name) },
      })
    }
    return pass(`${subject(svc)} routes to ${nameList(matched)}.`, { workloads: matched.slice(0, 20).map((w) => w.name) })
  },
})
