import { defineCheck, fail, manual, pass } from '../define-check.js'
import type { CheckResult } from '../types.js'
import { at, bool, capabilityNames, containersOf, containerWho, isObj, isWindowsPod, subject, WORKLOAD_KINDS } from './lib/pod.js'

/** Processes in containers cannot gain more privileges than they started with (no setuid, no file capabilities). */
export default defineCheck({
  id: 'k8s/allow-privilege-escalation',
  title: 'Containers set allowPrivilegeEscalation: false',
  severity: 'high',
  resourceKinds: WORKLOAD_KINDS,
  rationale:
    "allowPrivilegeEscalation defaults to true, which leaves the kernel's no_new_privs flag off: a non-root process exploited in the container can still become root through a setuid binary or a file capability in the image, and from root try the next escape. Privileged containers and CAP_SYS_ADMIN always allow escalation.",
  remediation: {
    text: 'Set allowPrivilegeEscalation: false on every container (it is container-level only; the pod securityContext cannot set it), and do not run it privileged or with SYS_ADMIN.',
    kubernetes: 'containers:\n  - name: api\n    securityContext:\n      allowPrivilegeEscalation: false',
  },
  controls: { csf: ['PR.AC-4', 'PR.PT-3'], hipaa: ['164.312(a)(1)', '164.308(a)(1)(ii)(B)'], ferpa: ['FERPA-SECURE-CONFIGURATIONS'] },
  references: { pss: ['Restricted: Privilege Escalation'], cis: ['CIS Kubernetes 5.2.6'] },
  evaluate(r) {
    if (isWindowsPod(r)) return pass(`${subject(r)} is a Windows pod (spec.os.name: windows); allowPrivilegeEscalation is a Linux control and does not apply.`)
    const results: CheckResult[] = []
    for (const c of containersOf(r)) {
      const who = containerWho(r, c)
      const base = `${c.path}.securityContext`
      if (bool(at(c.container, 'securityContext.privileged')) === true) {
        results.push(fail(`${who} runs privileged, which always allows privilege escalation.`, { path: `${base}.privileged`, evidence: { container: c.name, privileged: true } }))
        continue
      }
      const sysAdmin = capabilityNames(at(c.container, 'securityContext.capabilities.add')).find((n) => n === 'SYS_ADMIN' || n === 'ALL')
      if (sysAdmin) {
        results.push(
          fail(`${who} adds ${sysAdmin === 'ALL' ? 'ALL capabilities (CAP_SYS_ADMIN among them)' : 'CAP_SYS_ADMIN'}, which always allows privilege escalation.`, { path: `${base}.capabilities.add`, evidence: { container: c.name, capability: sysAdmin } }),
        )
        continue
      }
      const raw = at(c.container, 'securityContext.allowPrivilegeEscalation')
      const allowed = bool(raw)
      if (allowed === false) results.push(pass(`${who} sets allowPrivilegeEscalation: false.`, { container: c.name }))
      else if (allowed === true) results.push(fail(`${who} sets allowPrivilegeEscalation: true, so setuid binaries and file capabilities can make it root.`, { path: `${base}.allowPrivilegeEscalation`, evidence: { container: c.name, allowPrivilegeEscalation: true } }))
      else if (raw !== undefined && raw !== null) results.push(manual(`${who} sets allowPrivilegeEscalation to a value that is not a boolean.`, { path: `${base}.allowPrivilegeEscalation` }))
      else results.push(fail(`${who} does not set allowPrivilegeEscalation: false, and it defaults to true.`, { path: isObj(c.container['securityContext']) ? base : c.path, evidence: { container: c.name, allowPrivilegeEscalation: 'not set (true)' } }))
    }
    return results
  },
})

