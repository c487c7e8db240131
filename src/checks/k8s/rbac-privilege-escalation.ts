import { defineCheck, fail, pass } from '../define-check.js'
import type { CheckResult } from '../types.js'
import { isBuiltInRole, ruleAllows, rulesOf } from './lib/cluster.js'
import { subject } from './lib/pod.js'

const RBAC = 'rbac.authorization.k8s.io'

/** Permissions that let a subject gain more than the role grants, with what each gains. */
const ESCALATIONS: { verb: string; group: string; resource: string; label: string; named: boolean }[] = [
  { verb: 'bind', group: RBAC, resource: 'roles', label: 'bind on roles', named: true },
  { verb: 'bind', group: RBAC, resource: 'clusterroles', label: 'bind on clusterroles', named: true },
  { verb: 'escalate', group: RBAC, resource: 'roles', label: 'escalate on roles', named: true },
  { verb: 'escalate', group: RBAC, resource: 'clusterroles', label: 'escalate on clusterroles', named: true },
  { verb: 'impersonate', group: '', resource: 'users', label: 'impersonate users', named: true },
  { verb: 'impersonate', group: '', resource: 'groups', label: 'impersonate groups', named: true },
  { verb: 'impersonate', group: '', resource: 'serviceaccounts', label: 'impersonate serviceaccounts', named: true },
  { verb: 'impersonate', group: 'authentication.k8s.io', resource: 'uids', label: 'impersonate uids', named: true },
  // a create request has no object name yet, so resourceNames never narrows create on pods
  { verb: 'create', group: '', resource: 'pods', label: 'create pods', named: false },
  { verb: 'create', group: '', resource: 'pods/exec', label: 'create pods/exec', named: true },
  { verb: 'create', group: '', resource: 'pods/attach', label: 'create pods/attach', named: true },
  { verb: 'create', group: '', resource: 'serviceaccounts/token', label: 'create serviceaccounts/token', named: true },
]

/** Roles do not grant the verbs that escalate privileges: bind, escalate, impersonate, pod creation and exec, token requests. */
export default defineCheck({
  id: 'k8s/rbac-privilege-escalation',
  title: 'Roles do not grant bind, escalate, impersonate, pod creation, pod exec or token creation',
  severity: 'high',
  resourceKinds: ['k8s:rbac:role', 'k8s:rbac:cluster-role'],
  rationale:
    'Some permissions are worth more than they say. bind and escalate let a subject grant or write roles with permissions it does not hold; impersonate lets it act as any user, group or service account; create on pods lets it run a pod as any ServiceAccount of the namespace and mount any Secret or host path (so it gains every permission and credential there); create on pods/exec or pods/attach gives a shell in running pods that handle PHI; create on serviceaccounts/token mints tokens for other accounts. Each turns a narrow grant into control of the namespace or cluster.',
  remediation: {
    text: 'Remove these verbs from roles of applications and CI accounts. Let a deployment controller (Argo CD, Flux) create pods through Deployments instead of people or jobs creating pods directly; give exec access through a just-in-time, audited path; when bind or impersonate is needed, limit it with resourceNames to the roles or identities concerned.',
    kubernetes: 'rules:\n  - apiGroups: [apps]\n    resources: [deployments]\n    verbs: [get, list, patch]\n  # no pods create, pods/exec, bind, escalate or impersonate',
  },
  controls: { csf: ['PR.AC-4'], hipaa: ['164.308(a)(4)(ii)(B)', '164.308(a)(3)(ii)(A)', '164.312(a)(1)'], ferpa: ['FERPA-ACCESS-CONTROL'] },
  references: { cis: ['CIS Kubernetes 5.1.4', 'CIS Kubernetes 5.1.8'] },
  appliesTo: (r) => !isBuiltInRole(r),
  evaluate(role) {
    const results: CheckResult[] = []
    const narrowed: string[] = []
    for (const rule of rulesOf(role)) {
      const granted = ESCALATIONS.filter((e) => ruleAllows(rule, e.group, e.resource, e.verb))
      const broad = granted.filter((e) => !(e.named && rule.resourceNames.length > 0)).map((e) => e.label)
      narrowed.push(...granted.filter((e) => e.named && rule.resourceNames.length > 0).map((e) => e.label))
      if (!broad.length) continue
      results.push(
        fail(`${subject(role)} rule ${rule.index + 1} grants ${broad.length === ESCALATIONS.length ? 'every escalation path (bind, escalate, impersonate, create pods, pods/exec, pods/attach, serviceaccounts/token)' : broad.join(', ')}, which let a subject gain permissions beyond the role.`, {
          path: `${rule.path}.verbs`,
          evidence: { rule: rule.index + 1, grants: broad, verbs: rule.verbs, resources: rule.resources, apiGroups: rule.apiGroups },
        }),
      )
    }
    if (results.length) return results
    if (narrowed.length) return pass(`${subject(role)} grants ${[...new Set(narrowed)].join(', ')} only on objects named in resourceNames.`, { narrowed: [...new Set(narrowed)] })
    return pass(`${subject(role)} grants no bind, escalate, impersonate, pod creation, exec or token creation.`)
  },
})
