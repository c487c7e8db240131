import { labelSelectorMatches } from '../../inventory/index.js'
import { defineCheck, fail, manual, pass } from '../define-check.js'
import { nameList, podLabels, podSelectorOf, selectorWellFormed, selectsAll, workloadsIn } from './lib/cluster.js'
import { subject } from './lib/pod.js'

/** A NetworkPolicy applies to some pods: its podSelector matches a workload of its namespace. */
export default defineCheck({
  id: 'k8s/network-policy-selects-pods',
  title: 'NetworkPolicy podSelector matches workloads in its namespace',
  severity: 'low',
  resourceKinds: ['k8s:networking:network-policy'],
  rationale:
    'A NetworkPolicy protects only the pods its podSelector matches. A selector with a typo or a stale label (app: intake after the pods were relabelled app: intake-api) protects nothing, while reviewers believe the workload is segmented; the pods it was written for accept traffic from the whole cluster.',
  remediation: {
    text: 'Make the podSelector match the pod template labels of the workload it is meant for (kubectl get pods -n <namespace> --show-labels), or delete the policy if that workload is gone.',
    kubernetes: 'spec:\n  podSelector:\n    matchLabels:\n      app: intake-api   # the label on spec.template.metadata.labels of the Deployment',
  },
  controls: { csf: ['PR.AC-5'], hipaa: ['164.312(a)(1)', '164.308(a)(4)(ii)(B)'], ferpa: ['FERPA-LAYERED-DEFENSE'] },
  evaluate(np, ctx) {
    const ns = np.namespace ?? 'default'
    const sel = podSelectorOf(np)
    if (selectsAll(sel)) return pass(`${subject(np)} selects every pod of namespace ${ns} (podSelector: {}).`)
    if (!selectorWellFormed(sel)) return fail(`${subject(np)} has a podSelector that is not a label selector (matchLabels map, matchExpressions list), so it selects no pods.`, { path: 'spec.podSelector' })
    const workloads = workloadsIn(ctx.view, np.namespace)
    if (workloads.length === 0) return manual(`${subject(np)} selects pods by label, but the scan holds no workloads of namespace ${ns} to compare with.`, { path: 'spec.podSelector' })
    const matched = workloads.filter((w) => labelSelectorMatches(sel, podLabels(w)))
    if (matched.length === 0) {
      return fail(`${subject(np)} has a podSelector that matches none of the ${workloads.length} workload${workloads.length > 1 ? 's' : ''} of namespace ${ns} in the scan, so it protects no pods.`, {
        path: 'spec.podSelector',
        evidence: { workloadsInNamespace: workloads.slice(0, 20).map((w) => w.name) },
      })
    }
    return pass(`${subject(np)} selects ${nameList(matched)}.`, { workloads: matched.slice(0, 20).map((w) => w.name) })
  },
})
