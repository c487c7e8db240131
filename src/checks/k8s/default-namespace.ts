import { defineCheck, fail, manual, pass } from '../define-check.js'
import { WORKLOAD_KINDS, at, str, subject } from './lib/pod.js'

/** ConfigMaps the control plane itself publishes in kube-public for every client: kubeadm's cluster-info, the root CA bundle. */
const PUBLISHED = new Set(['cluster-info', 'kube-root-ca.crt'])

/** Workloads and their configuration live in a namespace of their own, not in `default` or `kube-public`. */
export default defineCheck({
  id: 'k8s/default-namespace',
  title: 'Workloads and their Services, ConfigMaps and Secrets are not in the default or kube-public namespace',
  severity: 'low',
  resourceKinds: [...WORKLOAD_KINDS, 'k8s:core:service', 'k8s:core:config-map', 'k8s:core:secret'],
  rationale:
    'Namespaces are the unit that RBAC, NetworkPolicy, resource quotas, Pod Security admission labels and most audit filters apply to. The default namespace is where everything lands that nobody placed deliberately, usually with no restrictions, so a PHI workload there shares its Secrets and network with whatever else was dropped in, and cannot be given policies of its own. kube-public is reserved for data every client may read, unauthenticated ones included: the Secrets and configuration of an application do not belong there.',
  remediation: {
    text: 'Create a namespace per application and environment (clinic-prod), label it for Pod Security admission, and set metadata.namespace on every object (or let kustomize namespace: / helm --namespace with a template that renders it).',
    kubernetes: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: clinic-prod\n  labels:\n    pod-security.kubernetes.io/enforce: restricted\n---\nmetadata:\n  name: intake-api\n  namespace: clinic-prod',
  },
  controls: { csf: ['PR.AC-5', 'PR.AC-4'], hipaa: ['164.312(a)(1)', '164.308(a)(4)'], ferpa: ['FERPA-ACCESS-CONTROL'] },
  references: { cis: ['CIS Kubernetes 5.7.4'] },
  // objects the control plane creates in every namespace or in default: the API server's own Service, the root CA bundle
  appliesTo: (r) => !((r.type === 'K8s::Core::Service' && r.name === 'kubernetes' && r.namespace === 'default') || (r.type === 'K8s::Core::ConfigMap' && r.name === 'kube-root-ca.crt')),
  evaluate(r) {
    const written = at(r.props, 'metadata.namespace')
    const kind = str(r.props['kind']) ?? r.type.split('::').pop()!
    if (written === undefined || written === null) {
      return fail(`${kind} ${r.name} names no namespace, so it lands in whatever namespace kubectl targets when it is applied, usually default.`, {
        path: 'metadata.name',
        evidence: { namespace: 'not set' },
      })
    }
    if (typeof written !== 'string') return manual(`${kind} ${r.name} sets metadata.namespace to something that is not a string.`, { path: 'metadata.namespace' })
    if (written === 'default') return fail(`${subject(r)} is placed in the default namespace.`, { path: 'metadata.namespace', evidence: { namespace: 'default' } })
    if (written === 'kube-public' && !(r.type === 'K8s::Core::ConfigMap' && PUBLISHED.has(r.name))) {
      return fail(`${subject(r)} is placed in kube-public, the namespace Kubernetes reserves for data readable by every client, unauthenticated ones included.`, { path: 'metadata.namespace', evidence: { namespace: 'kube-public' } })
    }
    return pass(`${subject(r)} is in namespace ${written}.`, { namespace: written })
  },
})
