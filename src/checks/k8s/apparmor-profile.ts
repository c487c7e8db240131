import { defineCheck, fail, manual, pass } from '../define-check.js'
import type { CheckResult } from '../types.js'
import { containersOf, containerWho, isWindowsPod, profileOf, subject, WORKLOAD_KINDS } from './lib/pod.js'

/** No container opts out of AppArmor confinement. */
export default defineCheck({
  id: 'k8s/apparmor-profile',
  title: 'Containers do not run AppArmor unconfined',
  severity: 'medium',
  resourceKinds: WORKLOAD_KINDS,
  rationale:
    "On nodes with AppArmor (Ubuntu, Bottlerocket, GKE COS) the runtime confines every container with its default profile, which blocks writes to /proc and /sys and mounts that container escapes use. Setting the profile to unconfined removes that layer for the container; the Pod Security Standards Baseline forbids it, while leaving the default (or a localhost profile) is fine.",
  remediation: {
    text: 'Remove the unconfined AppArmor setting so the runtime default applies, or write a Localhost profile for the application; use securityContext.appArmorProfile (Kubernetes 1.30+) instead of the container.apparmor.security.beta.kubernetes.io annotation.',
    kubernetes: 'spec:\n  securityContext:\n    appArmorProfile:\n      type: RuntimeDefault',
  },
  controls: { csf: ['PR.PT-3', 'PR.AC-4'], hipaa: ['164.312(a)(1)', '164.308(a)(1)(ii)(B)'], ferpa: ['FERPA-SECURE-CONFIGURATIONS', 'FERPA-LAYERED-DEFENSE'] },
  references: { pss: ['Baseline: AppArmor'] },
  evaluate(r) {
    if (isWindowsPod(r)) return pass(`${subject(r)} is a Windows pod (spec.os.name: windows); AppArmor is a Linux control and does not apply.`)
    const results: CheckResult[] = []
    for (const c of containersOf(r)) {
      const who = containerWho(r, c)
      const p = profileOf(r, c, 'apparmor')
      if (!p) {
        results.push(pass(`${who} keeps the runtime's default AppArmor profile.`, { container: c.name, appArmorProfile: 'not set (runtime default)' }))
        continue
      }
      const evidence = { container: c.name, appArmorProfile: p.type, from: p.source, ...(p.annotation ? { annotation: p.annotation, deprecated: true } : {}) }
      const where = p.source === 'container field' ? '' : p.source === 'pod field' ? ' (from the pod securityContext)' : ` (through the annotation ${p.annotation})`
      if (p.type === 'RuntimeDefault' || p.type === 'Localhost') results.push(pass(`${who} runs with the ${p.type} AppArmor profile${where}.`, evidence))
      else if (p.type === 'Unconfined') results.push(fail(`${who} runs AppArmor unconfined${where}.`, { path: p.path, evidence }))
      else results.push(manual(`${who} sets an AppArmor profile PhiWall does not recognise${where}.`, { path: p.path, evidence: { container: c.name, from: p.source } }))
    }
    return results
  },
})
