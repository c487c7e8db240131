import { defineCheck, fail, manual, pass } from '../define-check.js'
import type { CheckResult } from '../types.js'
import { isInterpolated, service } from './lib/compose.js'

const NAMESPACES: [key: string, what: string][] = [
  ['network_mode', 'network'],
  ['pid', 'process (PID)'],
  ['ipc', 'IPC'],
  ['uts', 'UTS (hostname)'],
  ['userns_mode', 'user'],
]

/** No service shares the host's network, PID, IPC, UTS or user namespace (CIS Docker 5.9, 5.15, 5.16). */
export default defineCheck({
  id: 'container/compose-host-namespaces',
  title: "Compose service does not share the host's namespaces",
  severity: 'high',
  resourceKinds: ['docker:compose:service'],
  rationale:
    "With network_mode: host the container binds the host's interfaces directly (every port it opens is exposed, loopback-only services such as a local database or metadata endpoints become reachable) and network segmentation between services is gone; pid: host lets it see and signal every host process and read their environments; ipc: host exposes the shared memory of other workloads. Each removes a boundary that keeps one compromised service from the PHI of the others.",
  remediation: {
    text: 'Remove network_mode: host, pid: host, ipc: host, uts: host and userns_mode: host; publish the ports the service needs on a named network, and share a namespace with one specific container (`pid: "service:x"`) only where a sidecar needs it.',
    compose: 'services:\n  api:\n    networks: [backend]\n    ports:\n      - "127.0.0.1:8080:8080"',
  },
  controls: { csf: ['PR.AC-4', 'PR.AC-5'], hipaa: ['164.312(a)(1)', '164.308(a)(4)'], ferpa: ['FERPA-ACCESS-CONTROL', 'FERPA-LAYERED-DEFENSE'] },
  references: { cis: ['CIS Docker 5.9', 'CIS Docker 5.15', 'CIS Docker 5.16'] },
  evaluate(r) {
    const s = service(r)
    const results: CheckResult[] = []
    for (const [key, what] of NAMESPACES) {
      const v = s[key]
      if (typeof v !== 'string') continue
      if (v.trim().toLowerCase() === 'host') results.push(fail(`Compose service ${r.name} shares the host's ${what} namespace (${key}: host).`, { path: key, evidence: { setting: key } }))
      else if (isInterpolated(v)) results.push(manual(`Compose service ${r.name} takes ${key} from a variable set when Compose runs.`, { path: key }))
    }
    return results.length ? results : pass(`Compose service ${r.name} uses its own network, PID, IPC, UTS and user namespaces.`)
  },
})
