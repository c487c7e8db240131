import { defineCheck, fail, manual, pass } from '../define-check.js'
import type { CheckResult } from '../types.js'
import { containersOf, containerWho, isObj, isWindowsPod, podSpecOf, profileOf, subject, WORKLOAD_KINDS } from './lib/pod.js'

/** Containers run under a seccomp profile (the runtime's default or a local one), never Unconfined. */
export default defineCheck({
  id: 'k8s/seccomp-profile',
  title: 'Containers run with a RuntimeDefault or Localhost seccomp profile',
  severity: 'medium',
  resourceKinds: WORKLOAD_KINDS,
  rationale:
    "Seccomp filters the system calls a container may make; the runtime's default profile blocks the rarely needed calls (unshare, keyctl, bpf, mount…) that most kernel container-escape exploits rely on. Kubernetes runs containers Unconfined unless the pod asks for a profile or every kubelet enables seccompDefault, so a pod that sets nothing is exposed to the next kernel bug.",
  remediation: {
    text: 'Set seccompProfile type RuntimeDefault in the pod securityContext (containers inherit it), or a Localhost profile tailored to the application; never Unconfined. The seccomp.security.alpha.kubernetes.io annotations are deprecated: use the field.',
    kubernetes: 'spec:\n  securityContext:\n    seccompProfile:\n      type: RuntimeDefault',
  },
  controls: { csf: ['PR.PT-3', 'PR.AC-4'], hipaa: ['164.312(a)(1)', '164.308(a)(1)(ii)(B)'], ferpa: ['FERPA-SECURE-CONFIGURATIONS', 'FERPA-LAYERED-DEFENSE'] },
  references: { pss: ['Baseline: Seccomp', 'Restricted: Seccomp'], cis: ['CIS Kubernetes 5.7.2'] },
  evaluate(r) {
    if (isWindowsPod(r)) return pass(`${subject(r)} is a Windows pod (spec.os.name: windows); seccomp is a Linux control and does not apply.`)
    const results: CheckResult[] = []
    for (const c of containersOf(r)) {
      const who = containerWho(r, c)
      const p = profileOf(r, c, 'seccomp')
      if (!p) {
        const pod = podSpecOf(r)
        const path = pod && isObj(pod.spec['securityContext']) ? `${pod.path}.securityContext` : c.path
        results.push(fail(`${who} sets no seccomp profile, so it runs Unconfined unless every node's kubelet enables seccompDefault.`, { path, evidence: { container: c.name, seccompProfile: 'not set' } }))
        continue
      }
      const evidence = { container: c.name, seccompProfile: p.type, from: p.source, ...(p.annotation ? { annotation: p.annotation, deprecated: true } : {}) }
      const where = p.source === 'container field' ? '' : p.source === 'pod field' ? ' (from the pod securityContext)' : ` (from the deprecated annotation ${p.annotation})`
      if (p.type === 'RuntimeDefault' || p.type === 'Localhost') results.push(pass(`${who} runs with the ${p.type} seccomp profile${where}.`, evidence))
      else if (p.type === 'Unconfined') results.push(fail(`${who} runs seccomp Unconfined${where}, with every system call available to an exploit.`, { path: p.path, evidence }))
      else results.push(manual(`${who} sets a seccomp profile type PhiWall does not recognise${where}.`, { path: p.path, evidence: { container: c.name, from: p.source } }))
    }
    return results
  },
})
