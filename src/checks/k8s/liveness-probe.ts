import { defineCheck } from '../define-check.js'
import { isLongRunning, judgeProbe, WORKLOAD_KINDS } from './lib/pod.js'

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
  controls: { csf: ['PR.PT-5', 'PR.DS-4'], hipaa: ['164.308(a)(7)', '164.308(a)(7)(ii)(C)'], ferpa: ['FERPA-SECURE-CONFIGURATIONS'] },
  appliesTo: (r) => isLongRunning(r),
  evaluate(r) {
    return judgeProbe(r, 'livenessProbe', 'liveness probe', 'so the kubelet does not restart it when it hangs')
  },
})
