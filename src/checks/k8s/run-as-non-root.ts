import { defineCheck, fail, manual, pass } from '../define-check.js'
import type { CheckResult } from '../types.js'
import { bool, containersOf, containerWho, effectiveSetting, isWindowsPod, num, subject, WORKLOAD_KINDS } from './lib/pod.js'

/** Containers run as a non-root user: declared with runAsNonRoot or a non-zero runAsUser. */
export default defineCheck({
  id: 'k8s/run-as-non-root',
  title: 'Containers run as a non-root user',
  severity: 'high',
  resourceKinds: WORKLOAD_KINDS,
  rationale:
    "Root in a container is root on the node's kernel: a container escape (a runtime or kernel bug, a writable hostPath, a mis-set capability) from a root process lands as root on the node, with every pod's PHI volumes and Secrets in reach. Many public images still run as root, and the image's USER is not visible in the manifest, so the pod has to say it.",
  remediation: {
    text: 'Set runAsNonRoot: true and a non-zero runAsUser / runAsGroup in the pod securityContext (containers inherit them), build the image with a numeric non-root USER, and never set runAsUser: 0.',
    kubernetes: 'spec:\n  securityContext:\n    runAsNonRoot: true\n    runAsUser: 10001\n    runAsGroup: 10001\n    fsGroup: 10001',
    dockerfile: 'USER 10001:10001',
  },
  controls: { csf: ['PR.AC-4', 'PR.PT-3'], hipaa: ['164.312(a)(1)', '164.308(a)(1)(ii)(B)'], ferpa: ['FERPA-SECURE-CONFIGURATIONS', 'FERPA-ACCESS-CONTROL'] },
  references: { pss: ['Restricted: Running as Non-root'], cis: ['CIS Kubernetes 5.2.7'] },
  evaluate(r) {
    if (isWindowsPod(r)) return pass(`${subject(r)} is a Windows pod (spec.os.name: windows); running as non-root by UID is a Linux control and does not apply (use runAsUserName ContainerUser).`)
    const results: CheckResult[] = []
    for (const c of containersOf(r)) {
      const who = containerWho(r, c)
      const user = effectiveSetting(r, c, 'runAsUser')
      const nonRoot = effectiveSetting(r, c, 'runAsNonRoot')
      const uid = num(user.value)
      const flag = bool(nonRoot.value)
      if (user.value !== undefined && (uid === undefined || uid < 0 || !Number.isInteger(uid))) {
        results.push(manual(`${who} sets runAsUser to a value that is not a valid UID; the API server would reject it.`, { path: user.path }))
        continue
      }
      if (uid === 0) {
        results.push(
          fail(`${who} runs as UID 0 (root)${flag === true ? ' even though runAsNonRoot is true (the kubelet would refuse to start it)' : ''}.`, { path: user.path, evidence: { container: c.name, runAsUser: 0, runAsNonRoot: flag ?? 'not set' } }),
        )
        continue
      }
      if (uid !== undefined && uid > 0) {
        results.push(pass(`${who} runs as UID ${uid}.`, { container: c.name, runAsUser: uid, runAsNonRoot: flag ?? 'not set' }))
        continue
      }
      if (nonRoot.value !== undefined && flag === undefined) {
        results.push(manual(`${who} sets runAsNonRoot to a value that is not a boolean.`, { path: nonRoot.path }))
        continue
      }
      if (flag === true) {
        results.push(pass(`${who} sets runAsNonRoot: true, so the kubelet refuses to start it as root.`, { container: c.name, runAsNonRoot: true }))
        continue
      }
      if (flag === false) {
        results.push(fail(`${who} sets runAsNonRoot: false and no non-zero runAsUser, so it runs as root whenever its image does.`, { path: nonRoot.path, evidence: { container: c.name, runAsNonRoot: false } }))
        continue
      }
      results.push(
        fail(`${who} sets neither runAsNonRoot nor runAsUser, so it runs as the image's USER, which the manifest does not show and is root for many images.`, {
          path: c.path,
          evidence: { container: c.name, runAsUser: 'not set', runAsNonRoot: 'not set' },
        }),
      )
    }
    return results
  },
})
