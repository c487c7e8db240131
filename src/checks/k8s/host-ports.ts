import { defineCheck, fail, manual, pass } from '../define-check.js'
import type { CheckResult } from '../types.js'
import { bool, containersOf, containerWho, isObj, list, num, podSpecOf, WORKLOAD_KINDS } from './lib/pod.js'

/** Containers are reached through Services, not through ports opened on the node. */
export default defineCheck({
  id: 'k8s/host-ports',
  title: 'Containers do not open ports on the node (hostPort)',
  severity: 'medium',
  resourceKinds: WORKLOAD_KINDS,
  rationale:
    "A hostPort opens the container's port on the node's own address, outside Services and, with most CNI plugins, outside NetworkPolicy: anything that can reach the node (other VPC workloads, a misconfigured security group, the internet for public nodes) reaches the container directly. It also pins the pod to nodes where the port is free, so replicas cannot be scheduled together.",
  remediation: {
    text: 'Remove hostPort and expose the container through a Service (ClusterIP, or a LoadBalancer / Ingress with TLS for external clients), with a NetworkPolicy that admits only the callers it needs. Pods with hostNetwork: true open every containerPort on the node.',
    kubernetes: 'ports:\n  - name: hl7-mllp\n    containerPort: 2575\n---\napiVersion: v1\nkind: Service\nspec:\n  selector: { app: hl7-engine }\n  ports: [{ name: hl7-mllp, port: 2575, targetPort: hl7-mllp }]',
  },
  controls: { csf: ['PR.AC-5', 'PR.PT-4', 'PR.PT-3'], hipaa: ['164.312(a)(1)', '164.312(e)(1)'], ferpa: ['FERPA-FIREWALLS-IDPS', 'FERPA-SHUT-DOWN-UNNECESSARY-SERVICES'] },
  references: { pss: ['Baseline: Host Ports'], cis: ['CIS Kubernetes 5.2.13'] },
  evaluate(r) {
    const pod = podSpecOf(r)
    const hostNetwork = pod ? bool(pod.spec['hostNetwork']) === true : false
    const results: CheckResult[] = []
    // ephemeral containers cannot declare ports
    for (const c of containersOf(r, ['containers', 'initContainers'])) {
      const who = containerWho(r, c)
      const open: { port: number; path: string; implied: boolean }[] = []
      let unknown: string | undefined
      list(c.container['ports']).forEach((p, i) => {
        if (!isObj(p)) return
        const path = `${c.path}.ports.${i}`
        const raw = p['hostPort']
        const hp = num(raw)
        if (raw !== undefined && raw !== null && hp === undefined) unknown ??= `${path}.hostPort`
        else if (hp !== undefined && hp > 0) open.push({ port: hp, path: `${path}.hostPort`, implied: false })
        else if (hostNetwork) {
          // the API server defaults hostPort to containerPort for host-network pods
          const cp = num(p['containerPort'])
          if (cp !== undefined && cp > 0) open.push({ port: cp, path: `${path}.containerPort`, implied: true })
        }
      })
      if (open.length) {
        const explicit = open.filter((o) => !o.implied).map((o) => o.port)
        const implied = open.filter((o) => o.implied).map((o) => o.port)
        const parts = [explicit.length ? `hostPort ${explicit.join(', ')}` : '', implied.length ? `port ${implied.join(', ')} through hostNetwork (the API server sets hostPort to containerPort)` : ''].filter(Boolean)
        results.push(fail(`${who} opens ${parts.join(' and ')} on the node's address, outside Services and NetworkPolicy.`, { path: open[0]!.path, evidence: { container: c.name, hostPorts: open.map((o) => o.port), hostNetwork } }))
      } else if (unknown) {
        results.push(manual(`${who} sets a hostPort that is not a number.`, { path: unknown }))
      } else {
        results.push(pass(`${who} opens no ports on the node.`, { container: c.name }))
      }
    }
    return results
  },
})
