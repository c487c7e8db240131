import { defineCheck, fail, manual, pass } from '../define-check.js'
import type { CheckResult } from '../types.js'
import { at, bool, containersOf, containerWho, effectiveSetting, WORKLOAD_KINDS } from './lib/pod.js'

/** No container runs privileged (or as a Windows HostProcess container): it would own the node and every pod on it. */
export default defineCheck({
  id: 'k8s/privileged-container',
  title: 'Containers do not run privileged',
  severity: 'critical',
  resourceKinds: WORKLOAD_KINDS,
  rationale:
    "A privileged container gets every Linux capability, all of the node's devices and no seccomp or AppArmor confinement: anyone who gets code execution in it (a deserialisation bug in an intake API, a poisoned image) can mount the node's disk, read every other pod's PHI volumes and Secrets, and take over the kubelet. A Windows HostProcess container runs directly on the host with the same effect.",
  remediation: {
    text: 'Remove securityContext.privileged (or set it to false) and grant only the specific capability the process needs; move node-level work (device plugins, CNI, storage drivers) into a dedicated, separately controlled system namespace.',
    kubernetes: 'containers:\n  - name: api\n    securityContext:\n      privileged: false\n      allowPrivilegeEscalation: false\n      capabilities:\n        drop: ["ALL"]',
  },
  controls: { csf: ['PR.AC-4', 'PR.PT-3'], hipaa: ['164.312(a)(1)', '164.308(a)(1)(ii)(B)'], ferpa: ['FERPA-SECURE-CONFIGURATIONS', 'FERPA-LAYERED-DEFENSE'] },
  references: { pss: ['Baseline: Privileged Containers', 'Baseline: HostProcess'], cis: ['CIS Kubernetes 5.2.2'] },
  evaluate(r) {
    const results: CheckResult[] = []
    for (const c of containersOf(r)) {
      const who = containerWho(r, c)
      const path = `${c.path}.securityContext.privileged`
      const raw = at(c.container, 'securityContext.privileged')
      const privileged = bool(raw)
      if (privileged === true) {
        results.push(fail(`${who} runs privileged, with every capability and the node's devices.`, { path, evidence: { container: c.name, privileged: true } }))
        continue
      }
      if (raw !== undefined && raw !== null && privileged === undefined) {
        results.push(manual(`${who} sets securityContext.privileged to a value that is not a boolean; the API server would reject it.`, { path }))
        continue
      }
      const hostProcess = effectiveSetting(r, c, 'windowsOptions.hostProcess')
      if (bool(hostProcess.value) === true) {
        results.push(fail(`${who} runs as a Windows HostProcess container, directly on the node.`, { path: hostProcess.path, evidence: { container: c.name, hostProcess: true } }))
        continue
      }
      results.push(pass(`${who} is not privileged.`, { container: c.name, privileged: privileged ?? 'not set (false)' }))
    }
    return results
  },
})
