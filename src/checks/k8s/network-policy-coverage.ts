import { defineCheck, fail, manual, pass } from '../define-check.js'
import { nameList, policiesSelecting, segmentationInScope, type SelectingPolicy } from './lib/cluster.js'
import { podSpecOf, subject, WORKLOAD_KINDS } from './lib/pod.js'

/** Every workload's pods are isolated for ingress by at least one NetworkPolicy of their namespace. */
export default defineCheck({
  id: 'k8s/network-policy-coverage',
  title: 'Workload pods are selected by a NetworkPolicy that restricts ingress',
  severity: 'medium',
  resourceKinds: WORKLOAD_KINDS,
  rationale:
    'Kubernetes pods accept connections from every pod in every namespace until a NetworkPolicy selects them. Without one, a compromised pod anywhere in the cluster (a vulnerable image, a debug container) can reach the patient-intake API, the EHR interface engine or the database directly, and the cluster network is one flat segment. A policy selects pods by label; a policy whose policyTypes lists only Egress leaves ingress open.',
  remediation: {
    text: 'Add a default-deny ingress NetworkPolicy to every namespace (podSelector: {}), then policies that allow only the callers each workload needs (the ingress controller, the API pods). Make sure the cluster runs a CNI plugin that enforces NetworkPolicy (Calico, Cilium, the VPC CNI with network policies enabled).',
    kubernetes: [
      'apiVersion: networking.k8s.io/v1',
      'kind: NetworkPolicy',
      'metadata: { name: default-deny-ingress, namespace: clinic-prod }',
      'spec:',
      '  podSelector: {}',
      '  policyTypes: [Ingress]',
    ].join('\n'),
  },
  controls: { csf: ['PR.AC-5', 'PR.PT-4'], hipaa: ['164.312(a)(1)', '164.308(a)(4)(ii)(B)', '164.312(e)(1)'], ferpa: ['FERPA-LAYERED-DEFENSE', 'FERPA-FIREWALLS-IDPS'] },
  references: { cis: ['CIS Kubernetes 5.3.2'] },
  evaluate(w, ctx) {
    const phi = w.holdsPhi === 'yes' ? ', which handles PHI,' : ''
    if (podSpecOf(w)?.spec['hostNetwork'] === true) {
      return manual(`${subject(w)} runs in the host network namespace, where NetworkPolicies do not apply with most CNI plugins; segment it with node-level firewalling.`, { path: `${podSpecOf(w)!.path}.hostNetwork` })
    }
    const selecting = policiesSelecting(ctx.view, w)
    const evidence = { policies: selecting.map(policyEntry) }
    if (selecting.length === 0) {
      // No policy selects the pods. When the scan declares no policies at all and not even the
      // Namespace, the manifests may simply not be where segmentation lives (a platform repo, a
      // cluster add-on applies default-deny policies), so the result needs a human. When the
      // scan has policies elsewhere, or declares the namespace, the team manages segmentation
      // here and this workload was left out: that is a failure.
      if (!segmentationInScope(ctx.view, w.namespace)) {
        return manual(`${subject(w)}${phi} is selected by no NetworkPolicy in the scanned manifests, which declare neither network policies nor its namespace; check whether policies are applied from elsewhere (a platform repository or cluster add-on).`, { evidence })
      }
      return fail(`${subject(w)}${phi} is selected by no NetworkPolicy in namespace ${w.namespace ?? 'default'}, so its pods accept traffic from every pod in the cluster.`, { evidence })
    }
    const ingress = selecting.filter((s) => s.ingress)
    if (ingress.length === 0) {
      return fail(`${subject(w)}${phi} is selected only by egress policies (${nameList(selecting.map((s) => s.policy))}); no policy restricts ingress, so its pods still accept traffic from every pod in the cluster.`, { evidence })
    }
    return pass(`${subject(w)} is isolated for ingress by ${nameList(ingress.map((s) => s.policy))}.`, evidence)
  },
})

/** A selecting policy as evidence lists it: one shared (read-only) object per policy and workload set. */
function policyEntry(s: SelectingPolicy): Record<string, unknown> {
  let e = ENTRIES.get(s)
  if (!e) ENTRIES.set(s, (e = { name: s.policy.name, kind: s.policy.type.split('::').pop(), ingress: s.ingress, egress: s.egress, file: s.policy.location.file, line: s.policy.location.line }))
  return e
}
const ENTRIES = new WeakMap<SelectingPolicy, Record<string, unknown>>()
