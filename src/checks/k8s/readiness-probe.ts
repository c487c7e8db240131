import { defineCheck } from '../define-check.js'
import { isLongRunning, judgeProbe, WORKLOAD_KINDS } from './lib/pod.js'

/** Long-running containers receive traffic only when they are ready for it. */
export default defineCheck({
  id: 'k8s/readiness-probe',
  title: 'Long-running containers have a readiness probe',
  severity: 'low',
  resourceKinds: WORKLOAD_KINDS,
  rationale:
    'Without a readiness probe a pod is sent traffic as soon as its process starts, and keeps receiving it while it is overloaded or has lost its database: requests fail during every rollout and node drain, and a rolling update of the intake API can replace healthy pods with broken ones before anyone notices, taking patient-facing services down.',
  remediation: {
    text: 'Give every long-running container (and native sidecar) a readinessProbe that checks it can serve (dependencies reachable, caches warm), separate from the liveness probe.',
    kubernetes: 'containers:\n  - name: api\n    readinessProbe:\n      httpGet: { path: /ready, port: 8080 }\n      periodSeconds: 5\n      failureThreshold: 3',
  },
  controls: { csf: ['PR.PT-5', 'PR.DS-4'], hipaa: ['164.308(a)(7)', '164.308(a)(7)(ii)(C)'], ferpa: ['FERPA-SECURE-CONFIGURATIONS'] },
  appliesTo: (r) => isLongRunning(r),
  evaluate(r) {
    return judgeProbe(r, 'readinessProbe', 'readiness probe', 'so it is sent traffic before it can serve and while it cannot')
  },
})
