import { defineCheck, fail, pass } from '../define-check.js'
import type { CheckResult } from '../types.js'
import { containersOf, containerWho, isLongRunning, isObj, isSidecar, WORKLOAD_KINDS } from './lib/pod.js'

/** Long-running containers tell the kubelet when they are stuck, so it restarts them. */
export default defineCheck({
  id: 'k8s/liveness-probe',
  title: 'Long-running containers have a liveness probe',
  severity: 'low',
  resourceKinds: WORKLOAD_KINDS,
  rationale:
    'A process that deadlocks or stops consuming its queue without exiting keeps its pod Running: without a liveness probe the kubelet never restarts it, and an HL7 interface or intake API silently stops processing patient messages until someone notices. Availability of ePHI systems is part of the Security Rule.',
  remediation: {
    text: 'Give every long-running container (and native sidecar) a livenessProbe that checks the process can do its work, with a generous failureThreshold and, for slow starters, a startupProbe, so that restarts happen only when the process is really stuck.',
    kubernetes: 'containers:\n  - name: api\n    livenessProbe:\n      httpGet: { path: /healthz, port: 8080 }\n      periodSeconds: 10\n      failureThreshold: 6\n    startupProbe:\n      httpGet: { path: /healthz, port: 8080 }\n      failureThreshold: 30',
  },
  controls: { csf: ['PR.PT-5', 'PR.DS-4'], hipaa: ['164.308(a)(7)', '164.308(a)(7)(ii)(C)'], ferpa: [] },
  appliesTo: (r) => isLongRunning(r),
  evaluate(r) {
    const results: CheckResult[] = []
    for (const c of containersOf(r, ['containers', 'initContainers'])) {
      if (c.group === 'initContainers' && !isSidecar(c)) continue
      const who = containerWho(r, c)
      if (isObj(c.container['livenessProbe'])) results.push(pass(`${who} has a liveness probe.`, { container: c.name }))
      else results.push(fail(`${who} has no liveness probe, so the kubelet does not restart it when it hangs.`, { path: c.path, evidence: { container: c.name } }))
    }
    return results
  },
})
