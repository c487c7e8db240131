import { defineCheck, fail, manual, pass } from '../define-check.js'
import type { CheckResult } from '../types.js'
import { isInterpolated, service } from './lib/compose.js'

/** Capabilities that amount to root on the host or its network. */
const DANGEROUS: Record<string, string> = {
  ALL: 'every capability, as privileged',
  SYS_ADMIN: 'mount, namespaces and most of root: a known container-escape path',
  NET_ADMIN: 'reconfiguring interfaces, routes and firewall rules',
  SYS_PTRACE: 'reading the memory of other processes',
  SYS_MODULE: 'loading kernel modules',
  DAC_READ_SEARCH: 'reading any file by handle (the "shocker" escape)',
  DAC_OVERRIDE: 'ignoring file permissions',
  SYS_RAWIO: 'raw device and port I/O',
  BPF: 'loading eBPF programs',
  NET_RAW: 'raw packets and spoofing on the container network',
}
const ALLOWED = new Set(['NET_BIND_SERVICE'])

/** Services add no Linux capabilities beyond binding low ports (CIS Docker 5.3). */
export default defineCheck({
  id: 'container/compose-cap-add',
  title: 'Compose service adds no capabilities beyond NET_BIND_SERVICE',
  severity: 'high',
  resourceKinds: ['docker:compose:service'],
  rationale:
    'Each added capability is a piece of root: SYS_ADMIN allows mounts and namespace tricks that escape the container, NET_ADMIN rewrites the host-side network of the stack, SYS_PTRACE reads other processes\' memory. An attacker who compromises a service with extra capabilities turns one bug into access to the host and the PHI of every other service on it.',
  remediation: {
    text: 'Remove cap_add entries the service does not need (most need none; NET_BIND_SERVICE is enough to listen below port 1024), and drop the defaults with cap_drop: [ALL].',
    compose: 'services:\n  nginx:\n    cap_drop: [ALL]\n    cap_add: [NET_BIND_SERVICE]',
  },
  controls: { csf: ['PR.AC-4', 'PR.PT-3'], hipaa: ['164.312(a)(1)', '164.308(a)(4)'], ferpa: ['FERPA-ACCESS-CONTROL'] },
  references: { cis: ['CIS Docker 5.3'] },
  evaluate(r) {
    const caps = service(r)['cap_add']
    if (!Array.isArray(caps) || caps.length === 0) return pass(`Compose service ${r.name} adds no capabilities.`)
    const results: CheckResult[] = []
    caps.forEach((c, i) => {
      if (typeof c !== 'string') return
      const path = `cap_add.${i}`
      if (isInterpolated(c)) {
        results.push(manual(`Compose service ${r.name} adds a capability named by a variable set when Compose runs.`, { path }))
        return
      }
      const cap = c.trim().toUpperCase().replace(/^CAP_/, '')
      if (ALLOWED.has(cap)) return
      const danger = DANGEROUS[cap]
      const shown = /^[A-Z_]{1,32}$/.test(cap) ? cap : '(unrecognised)'
      results.push(fail(danger ? `Compose service ${r.name} adds dangerous capability ${shown} (${danger}).` : `Compose service ${r.name} adds capability ${shown}.`, { path, evidence: { capability: shown, dangerous: danger !== undefined } }))
    })
    return results.length ? results : pass(`Compose service ${r.name} adds only NET_BIND_SERVICE.`)
  },
})
