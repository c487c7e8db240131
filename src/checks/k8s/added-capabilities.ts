import { defineCheck, fail, pass } from '../define-check.js'
import type { CheckResult } from '../types.js'
import { at, capabilityNames, containersOf, containerWho, isObj, isWindowsPod, subject, WORKLOAD_KINDS } from './lib/pod.js'

/** Capabilities that amount to (or lead straight to) root on the node, and why. */
const DANGEROUS: Record<string, string> = {
  ALL: 'every capability',
  SYS_ADMIN: 'mounts, namespaces and most of root',
  NET_ADMIN: "rewrites the pod's and, with hostNetwork, the node's firewall and routes",
  SYS_PTRACE: "reads and injects into other processes' memory",
  SYS_MODULE: 'loads kernel modules',
  DAC_READ_SEARCH: 'reads any file, a known container escape',
  SYS_RAWIO: 'raw device and memory access',
  BPF: 'loads eBPF programs into the kernel',
}

/** Containers add no Linux capabilities beyond NET_BIND_SERVICE and drop NET_RAW (or ALL). */
export default defineCheck({
  id: 'k8s/added-capabilities',
  title: 'Containers add no capabilities beyond NET_BIND_SERVICE and drop NET_RAW',
  severity: 'high',
  resourceKinds: WORKLOAD_KINDS,
  rationale:
    "Capabilities are slices of root. SYS_ADMIN, SYS_PTRACE, NET_ADMIN or ALL let a compromised container break its isolation or spy on its neighbours; the runtime's default set also keeps NET_RAW, with which any container can forge packets and spoof ARP and DNS replies towards other pods on the node, redirecting PHI traffic.",
  remediation: {
    text: 'Drop ALL capabilities and add back only NET_BIND_SERVICE when the process binds a port below 1024 (better: listen on a high port). Capabilities are container-level only.',
    kubernetes: 'containers:\n  - name: api\n    securityContext:\n      capabilities:\n        drop: ["ALL"]\n        add: ["NET_BIND_SERVICE"]   # only if it binds a port below 1024',
  },
  controls: { csf: ['PR.AC-4', 'PR.PT-3'], hipaa: ['164.312(a)(1)', '164.308(a)(1)(ii)(B)'], ferpa: ['FERPA-SECURE-CONFIGURATIONS'] },
  references: { pss: ['Baseline: Capabilities', 'Restricted: Capabilities'], cis: ['CIS Kubernetes 5.2.8', 'CIS Kubernetes 5.2.9'] },
  evaluate(r) {
    if (isWindowsPod(r)) return pass(`${subject(r)} is a Windows pod (spec.os.name: windows); Linux capabilities do not apply.`)
    const results: CheckResult[] = []
    for (const c of containersOf(r)) {
      const who = containerWho(r, c)
      const sc = c.container['securityContext']
      const caps = isObj(sc) ? sc['capabilities'] : undefined
      const add = capabilityNames(at(caps, 'add'))
      const drop = capabilityNames(at(caps, 'drop'))
      const extra = add.filter((n) => n !== 'NET_BIND_SERVICE')
      const dangerous = extra.filter((n) => n in DANGEROUS)
      const dropsNetRaw = (drop.includes('ALL') || drop.includes('NET_RAW')) && !add.includes('NET_RAW') && !add.includes('ALL')
      const evidence = { container: c.name, added: add, dropped: drop, dangerous }
      if (!extra.length && dropsNetRaw) {
        results.push(pass(`${who} adds no capabilities beyond NET_BIND_SERVICE and drops ${drop.includes('ALL') ? 'ALL' : 'NET_RAW'}.`, evidence))
        continue
      }
      const problems: string[] = []
      if (extra.length) {
        const named = dangerous.map((n) => `${n}: ${DANGEROUS[n]}`).join('; ')
        problems.push(`adds ${extra.join(', ')}${dangerous.length ? ` (dangerous — ${named})` : ''}`)
      }
      if (!dropsNetRaw) problems.push(add.includes('NET_RAW') || add.includes('ALL') ? 'keeps NET_RAW, which lets it forge packets and spoof ARP and DNS on the node network' : 'drops neither ALL nor NET_RAW, so it keeps NET_RAW and can forge packets and spoof ARP and DNS on the node network')
      const base = `${c.path}.securityContext`
      const path = extra.length ? `${base}.capabilities.add` : isObj(caps) ? `${base}.capabilities${caps['drop'] !== undefined ? '.drop' : ''}` : isObj(sc) ? base : c.path
      results.push(fail(`${who} ${problems.join(' and ')}.`, { path, evidence }))
    }
    return results
  },
})
