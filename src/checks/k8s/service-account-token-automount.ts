import { defineCheck, fail, manual, pass } from '../define-check.js'
import { WORKLOAD_KINDS, bool, podSpecOf, str, subject } from './lib/pod.js'

/** Pods get a Kubernetes API token only when they call the API. */
export default defineCheck({
  id: 'k8s/service-account-token-automount',
  title: 'Pods do not mount a service account token they do not need',
  severity: 'medium',
  resourceKinds: WORKLOAD_KINDS,
  rationale:
    'Unless told otherwise, the kubelet mounts a Kubernetes API token of the pod\'s service account at /var/run/secrets/kubernetes.io/serviceaccount. An application that never calls the API gains nothing from it, while anyone who exploits the application (path traversal, SSRF, code execution) gets a credential for the cluster API, and with it whatever RBAC grants that service account: often reading Secrets or ConfigMaps of the namespace that holds the PHI services.',
  remediation: {
    text: 'Set automountServiceAccountToken: false on the ServiceAccount (every pod using it inherits it) or on the pod spec; for the few workloads that call the API, use a dedicated ServiceAccount with minimal RBAC and set automountServiceAccountToken: true on that pod only.',
    kubernetes: 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: intake-api\n  namespace: clinic-prod\nautomountServiceAccountToken: false\n---\n# in the pod template\nspec:\n  serviceAccountName: intake-api\n  automountServiceAccountToken: false',
  },
  controls: { csf: ['PR.AC-4', 'PR.AC-1'], hipaa: ['164.312(a)(1)', '164.308(a)(4)'], ferpa: ['FERPA-ACCESS-CONTROL'] },
  references: { cis: ['CIS Kubernetes 5.1.6'] },
  evaluate(r, ctx) {
    const pod = podSpecOf(r)
    if (!pod) return []
    const path = `${pod.path}.automountServiceAccountToken`
    const raw = pod.spec['automountServiceAccountToken']
    const own = bool(raw)
    const saName = str(pod.spec['serviceAccountName']) ?? str(pod.spec['serviceAccount']) ?? 'default'
    const saPath = pod.spec['serviceAccountName'] !== undefined ? `${pod.path}.serviceAccountName` : pod.spec['serviceAccount'] !== undefined ? `${pod.path}.serviceAccount` : pod.path
    if (own === false) return pass(`${subject(r)} sets automountServiceAccountToken: false on its pods.`, { serviceAccount: saName })
    if (own === true) {
      return fail(`${subject(r)} sets automountServiceAccountToken: true, so every pod gets an API token of ServiceAccount ${saName}.`, {
        path,
        evidence: { serviceAccount: saName, automountServiceAccountToken: true },
      })
    }
    if (raw !== undefined && raw !== null) return manual(`${subject(r)} sets automountServiceAccountToken to a value that is not a boolean.`, { path })
    const accounts = ctx.view.ofType('K8s::Core::ServiceAccount').filter((sa) => sa.namespace === r.namespace && sa.name === saName)
    const sa = accounts.find((a) => bool(a.props['automountServiceAccountToken']) === false) ?? accounts[0]
    const saSetting = sa ? bool(sa.props['automountServiceAccountToken']) : undefined
    if (sa && saSetting === false) {
      return pass(`${subject(r)} inherits automountServiceAccountToken: false from ServiceAccount ${r.namespace}/${saName}.`, { serviceAccount: saName, serviceAccountFile: sa.location.file })
    }
    const why = sa
      ? saSetting === true
        ? `ServiceAccount ${saName} sets automountServiceAccountToken: true`
        : `ServiceAccount ${saName} does not set automountServiceAccountToken: false`
      : `ServiceAccount ${saName} is not in the scan, and the default is to mount`
    return fail(`${subject(r)} mounts an API token of its service account in every pod: the pod spec does not set automountServiceAccountToken: false and ${why}.`, {
      path: saPath,
      evidence: { serviceAccount: saName, podSetting: 'not set', serviceAccountSetting: sa ? (saSetting ?? 'not set') : 'ServiceAccount not in scan' },
    })
  },
})
