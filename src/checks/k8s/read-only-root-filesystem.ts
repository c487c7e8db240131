import { defineCheck, fail, manual, pass } from '../define-check.js'
import type { CheckResult } from '../types.js'
import { at, bool, containersOf, containerWho, isObj, isWindowsPod, subject, WORKLOAD_KINDS } from './lib/pod.js'

/** Containers run from a read-only root filesystem, writing only to declared volumes. */
export default defineCheck({
  id: 'k8s/read-only-root-filesystem',
  title: 'Containers run with a read-only root filesystem',
  severity: 'medium',
  resourceKinds: WORKLOAD_KINDS,
  rationale:
    "A writable root filesystem lets an attacker who gets code execution drop tools, replace the application's code or libraries and persist until the pod is replaced; it also lets the application scatter PHI (temporary exports, caches, core dumps) in the container layer, where no volume policy, encryption setting or retention rule covers it.",
  remediation: {
    text: 'Set readOnlyRootFilesystem: true on every container (container-level only) and give the paths the application really writes (/tmp, caches) an emptyDir volume, with medium: Memory for sensitive scratch data.',
    kubernetes: 'containers:\n  - name: api\n    securityContext:\n      readOnlyRootFilesystem: true\n    volumeMounts:\n      - name: tmp\n        mountPath: /tmp\nvolumes:\n  - name: tmp\n    emptyDir: { medium: Memory, sizeLimit: 64Mi }',
  },
  controls: { csf: ['PR.DS-6', 'PR.PT-3', 'PR.IP-1'], hipaa: ['164.312(c)(1)', '164.308(a)(5)(ii)(B)'], ferpa: ['FERPA-SECURE-CONFIGURATIONS'] },
  references: { cis: ['CIS Kubernetes 5.7.3'] },
  evaluate(r) {
    if (isWindowsPod(r)) return pass(`${subject(r)} is a Windows pod (spec.os.name: windows); readOnlyRootFilesystem is not supported on Windows and does not apply.`)
    const results: CheckResult[] = []
    for (const c of containersOf(r)) {
      const who = containerWho(r, c)
      const base = `${c.path}.securityContext`
      const raw = at(c.container, 'securityContext.readOnlyRootFilesystem')
      const ro = bool(raw)
      if (ro === true) results.push(pass(`${who} runs with a read-only root filesystem.`, { container: c.name }))
      else if (ro === false) results.push(fail(`${who} sets readOnlyRootFilesystem: false, so its root filesystem is writable.`, { path: `${base}.readOnlyRootFilesystem`, evidence: { container: c.name, readOnlyRootFilesystem: false } }))
      else if (raw !== undefined && raw !== null) results.push(manual(`${who} sets readOnlyRootFilesystem to a value that is not a boolean.`, { path: `${base}.readOnlyRootFilesystem` }))
      else results.push(fail(`${who} does not set readOnlyRootFilesystem: true, so its root filesystem is writable.`, { path: isObj(c.container['securityContext']) ? base : c.path, evidence: { container: c.name, readOnlyRootFilesystem: 'not set (false)' } }))
    }
    return results
  },
})
