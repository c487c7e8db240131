import { labelsOf } from '../../inventory/index.js'
import { defineCheck, fail, pass } from '../define-check.js'
import { nameList, workloadsIn } from './lib/cluster.js'
import { subject } from './lib/pod.js'

const ENFORCE = 'pod-security.kubernetes.io/enforce'
/** Namespaces the cluster itself runs (control-plane add-ons, leases, public info), outside this check. */
const SYSTEM_NAMESPACES = new Set(['kube-system', 'kube-public', 'kube-node-lease'])

/** Namespaces enforce a Pod Security Standard: baseline at least, restricted where PHI is handled. */
export default defineCheck({
  id: 'k8s/namespace-psa-enforced',
  title: 'Namespace enforces the baseline or restricted Pod Security Standard (restricted for PHI)',
  severity: 'medium',
  resourceKinds: ['k8s:core:namespace'],
  rationale:
    'Pod Security Admission rejects pods that break the namespace\'s Pod Security Standard, but only when the namespace carries a pod-security.kubernetes.io/enforce label. Without it (or at privileged) anyone who can create pods there can run privileged containers, mount the host filesystem or join the host network, and from there read every other pod\'s data on the node. Namespaces that handle PHI should enforce restricted, which also requires non-root users, dropped capabilities and a seccomp profile.',
  remediation: {
    text: 'Label the namespace with pod-security.kubernetes.io/enforce: restricted (baseline where a workload cannot yet meet restricted), pinned to a version, and add the warn and audit labels to see violations before enforcing.',
    kubernetes: [
      'apiVersion: v1',
      'kind: Namespace',
      'metadata:',
      '  name: clinic-prod',
      '  labels:',
      '    pod-security.kubernetes.io/enforce: restricted',
      '    pod-security.kubernetes.io/enforce-version: v1.30',
      '    pod-security.kubernetes.io/warn: restricted',
    ].join('\n'),
  },
  controls: { csf: ['PR.IP-1', 'PR.PT-3', 'PR.AC-4'], hipaa: ['164.308(a)(1)(ii)(B)', '164.312(a)(1)', '164.308(a)(4)(ii)(B)'], ferpa: ['FERPA-SECURE-CONFIGURATIONS'] },
  appliesTo: (ns) => !SYSTEM_NAMESPACES.has(ns.name),
  evaluate(ns, ctx) {
    const level = labelsOf(ns.props['metadata'])[ENFORCE]?.trim()
    const phiWorkloads = workloadsIn(ctx.view, ns.name).filter((w) => w.holdsPhi === 'yes')
    const phi = ns.holdsPhi === 'yes' || phiWorkloads.length > 0
    const why = ns.holdsPhi === 'yes' ? 'it is labelled as holding PHI' : `it runs PHI workload${phiWorkloads.length > 1 ? 's' : ''} ${nameList(phiWorkloads)}`
    const evidence = { enforce: level ?? null, phi, phiWorkloads: phiWorkloads.slice(0, 20).map((w) => w.name) }
    if (level === undefined) return fail(`${subject(ns)} has no ${ENFORCE} label, so Pod Security Admission lets any pod run there, privileged ones included.`, { path: 'metadata.labels', evidence })
    if (level === 'privileged') return fail(`${subject(ns)} enforces the privileged Pod Security Standard, which allows privileged pods and host access.`, { path: 'metadata.labels', evidence })
    if (level !== 'baseline' && level !== 'restricted') return fail(`${subject(ns)} has ${ENFORCE}: ${level.slice(0, 40)}, which is not a Pod Security Standard level (privileged, baseline, restricted).`, { path: 'metadata.labels', evidence })
    if (level === 'baseline' && phi) return fail(`${subject(ns)} enforces only baseline although ${why}; PHI namespaces should enforce restricted.`, { path: 'metadata.labels', evidence })
    return pass(`${subject(ns)} enforces the ${level} Pod Security Standard.`, evidence)
  },
})
