import { defineCheck, fail, manual, pass } from '../define-check.js'
import type { CheckResult } from '../types.js'
import { WORKLOAD_KINDS, bool, podSpecOf, subject } from './lib/pod.js'

/** What sharing each node namespace hands to the pod. */
const NAMESPACES: readonly { field: 'hostNetwork' | 'hostPID' | 'hostIPC'; what: string }[] = [
  {
    field: 'hostNetwork',
    what: "shares the node's network namespace: it can reach services bound to the node's localhost (the kubelet, cloud metadata), sniff the node's traffic, and is not isolated by NetworkPolicy",
  },
  {
    field: 'hostPID',
    what: "shares the node's process namespace: it sees every process on the node, can read their environment and memory (/proc/<pid>/environ, including other pods' secrets) and signal them",
  },
  { field: 'hostIPC', what: "shares the node's IPC namespace: it can read and write the shared memory of every process on the node" },
]

/** Pods keep their own network, process and IPC namespaces instead of sharing the node's. */
export default defineCheck({
  id: 'k8s/host-namespaces',
  title: "Pods do not share the node's network, PID or IPC namespace",
  severity: 'high',
  resourceKinds: WORKLOAD_KINDS,
  rationale:
    "Namespaces are what separate a pod from the node. With hostPID a compromised container reads the environment of every process on the node, which holds other workloads' database passwords and tokens; with hostNetwork it bypasses NetworkPolicy segmentation around PHI services and reaches node-local endpoints; with hostIPC it reads other processes' shared memory.",
  remediation: {
    text: 'Remove hostNetwork, hostPID and hostIPC from the pod spec (or set them to false). Node agents that truly need them (monitoring exporters, CNI) belong in a dedicated namespace with an exemption documented in the risk analysis; expose ports through a Service instead of the node network.',
    kubernetes: 'spec:\n  hostNetwork: false\n  hostPID: false\n  hostIPC: false',
  },
  controls: { csf: ['PR.AC-4', 'PR.AC-5', 'PR.PT-3'], hipaa: ['164.312(a)(1)', '164.308(a)(1)(ii)(B)'], ferpa: ['FERPA-SECURE-CONFIGURATIONS', 'FERPA-LAYERED-DEFENSE'] },
  references: { pss: ['Baseline: Host Namespaces'], cis: ['CIS Kubernetes 5.2.3', 'CIS Kubernetes 5.2.4', 'CIS Kubernetes 5.2.5'] },
  evaluate(r) {
    const pod = podSpecOf(r)
    if (!pod) return []
    const results: CheckResult[] = []
    for (const { field, what } of NAMESPACES) {
      const raw = pod.spec[field]
      const on = bool(raw)
      const path = `${pod.path}.${field}`
      if (on === true) results.push(fail(`${subject(r)} sets ${field}: true, so it ${what}.`, { path, evidence: { [field]: true } }))
      else if (raw !== undefined && raw !== null && on === undefined) results.push(manual(`${subject(r)} sets ${field} to a value that is not a boolean; the API server would reject it.`, { path }))
    }
    if (results.length === 0) return pass(`${subject(r)} uses its own network, process and IPC namespaces.`)
    return results
  },
})
