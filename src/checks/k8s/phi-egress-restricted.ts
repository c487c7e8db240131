import { defineCheck, fail, manual, pass } from '../define-check.js'
import type { CheckResult } from '../types.js'
import { nameList, openCiliumEgressRules, openEgressRules, policiesSelecting, segmentationInScope, type OpenEgressRule } from './lib/cluster.js'
import { subject, WORKLOAD_KINDS } from './lib/pod.js'

/** Workloads that handle PHI cannot send data to arbitrary internet addresses. */
export default defineCheck({
  id: 'k8s/phi-egress-restricted',
  title: 'PHI workload egress is restricted by a NetworkPolicy that does not allow the internet',
  severity: 'high',
  resourceKinds: WORKLOAD_KINDS,
  rationale:
    'Pods can open connections to any address until a NetworkPolicy with an Egress policy type selects them. Code running in a workload that handles PHI (a compromised dependency, an injected payload) can then upload patient records to any host, and command-and-control traffic leaves unhindered. An egress policy that allows 0.0.0.0/0, ::/0 or every destination (a rule without "to") restores that path, even with an except list. Limiting egress to the in-cluster services, named endpoints (FQDN policies) and DNS that the workload needs blocks most exfiltration paths.',
  remediation: {
    text: 'Select the workload with a NetworkPolicy whose policyTypes include Egress and whose egress rules name only what it needs: DNS to kube-dns, the database and other in-cluster services by podSelector / namespaceSelector, and specific partner or cloud endpoints by narrow ipBlock CIDRs (or CiliumNetworkPolicy toFQDNs). Send other outbound traffic through an egress proxy or gateway.',
    kubernetes: [
      'apiVersion: networking.k8s.io/v1',
      'kind: NetworkPolicy',
      'metadata: { name: intake-api-egress, namespace: clinic-prod }',
      'spec:',
      '  podSelector: { matchLabels: { app: intake-api } }',
      '  policyTypes: [Egress]',
      '  egress:',
      '    - to: [{ namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: kube-system } }, podSelector: { matchLabels: { k8s-app: kube-dns } } }]',
      '      ports: [{ port: 53, protocol: UDP }, { port: 53, protocol: TCP }]',
      '    - to: [{ podSelector: { matchLabels: { app: patient-db } } }]',
      '      ports: [{ port: 5432, protocol: TCP }]',
    ].join('\n'),
  },
  controls: { csf: ['PR.AC-5', 'PR.DS-5', 'PR.PT-4'], hipaa: ['164.312(e)(1)', '164.312(a)(1)', '164.308(a)(1)(ii)(B)'], ferpa: ['FERPA-FIREWALLS-IDPS', 'FERPA-LAYERED-DEFENSE'] },
  appliesTo: (w) => w.holdsPhi === 'yes',
  evaluate(w, ctx) {
    const egress = policiesSelecting(ctx.view, w).filter((s) => s.egress)
    if (egress.length === 0) {
      // same rule as k8s/network-policy-coverage: without any policy or the Namespace in the
      // scan, egress policies may be applied from elsewhere
      if (!segmentationInScope(ctx.view, w.namespace)) {
        return manual(`PHI workload ${subject(w)} is selected by no egress NetworkPolicy in the scanned manifests, which declare neither network policies nor its namespace; check whether egress is restricted elsewhere.`)
      }
      return fail(`PHI workload ${subject(w)} is selected by no NetworkPolicy with an Egress policy type, so its pods may send data to any address on the internet.`)
    }
    const open: OpenEgressRule[] = egress.flatMap((s) => (s.engine === 'kubernetes' ? openEgressRules(s.policy) : openCiliumEgressRules(s.policy, w)))
    const results: CheckResult[] = open.map((o) => {
      const line = o.policy.location.line
      return fail(`PHI workload ${subject(w)} may send data to any internet address: in ${subject(o.policy)}, ${o.reason} (${o.path}).`, {
        evidence: { policy: o.policy.name, kind: o.policy.type.split('::').pop(), rule: o.path, reason: o.reason, file: o.policy.location.file, ...(line !== undefined ? { line } : {}) },
      })
    })
    return results.length ? results : pass(`PHI workload ${subject(w)} has egress restricted by ${nameList(egress.map((s) => s.policy))}, with no rule open to the internet.`, { policies: egress.map((s) => s.policy.name) })
  },
})
