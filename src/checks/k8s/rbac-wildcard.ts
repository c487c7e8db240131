import { defineCheck, fail, pass } from '../define-check.js'
import type { CheckResult } from '../types.js'
import { isBuiltInRole, rulesOf } from './lib/cluster.js'
import { subject } from './lib/pod.js'

/** Roles name the verbs, resources and API groups they grant instead of `*`. */
export default defineCheck({
  id: 'k8s/rbac-wildcard',
  title: 'Role and ClusterRole rules name their verbs, resources and API groups without wildcards',
  severity: 'high',
  resourceKinds: ['k8s:rbac:role', 'k8s:rbac:cluster-role'],
  rationale:
    'A "*" in a rule grants every verb, resource or API group, including ones added later: secrets, pods/exec, roles and rolebindings (and with them the power to grant anything), and every custom resource an operator installs. An application or CI account with such a role can read the credentials of the PHI stores or take over the namespace. Explicit lists keep the grant to what the subject uses and make reviews meaningful.',
  remediation: {
    text: 'Replace "*" with the verbs, resources and API groups the subject needs (kubectl auth can-i --list --as=system:serviceaccount:<ns>:<sa> shows what it has; audit logs show what it uses). Aggregated ClusterRoles are judged by the rules written on them.',
    kubernetes: 'rules:\n  - apiGroups: [""]\n    resources: [configmaps]\n    verbs: [get, list, watch]\n  - apiGroups: [apps]\n    resources: [deployments]\n    verbs: [get, patch]',
  },
  controls: { csf: ['PR.AC-4'], hipaa: ['164.308(a)(4)(ii)(B)', '164.308(a)(3)(ii)(A)', '164.312(a)(1)'], ferpa: ['FERPA-ACCESS-CONTROL'] },
  references: { cis: ['CIS Kubernetes 5.1.3'] },
  // the built-in cluster-admin and system: roles are the API server's, reconciled at start-up
  appliesTo: (r) => !isBuiltInRole(r),
  evaluate(role) {
    const results: CheckResult[] = []
    const rules = rulesOf(role)
    for (const rule of rules) {
      const wildResources = rule.resources.filter((r) => r === '*' || r.startsWith('*/'))
      const fields = [rule.verbs.includes('*') ? 'verbs' : '', wildResources.length ? 'resources' : '', rule.apiGroups.includes('*') ? 'apiGroups' : ''].filter(Boolean)
      if (!fields.length) continue
      const verbs = rule.verbs.includes('*') ? 'every verb' : rule.verbs.join(', ')
      const resources = rule.resources.includes('*')
        ? 'every resource'
        : rule.resources.map((r) => (r.startsWith('*/') ? `the ${r.slice(2)} subresource of every resource` : r)).join(', ')
      const groups = rule.apiGroups.includes('*') ? 'every API group' : `API group${rule.apiGroups.length > 1 ? 's' : ''} ${rule.apiGroups.map((g) => g || 'core').join(', ')}`
      const target = rule.resources.length ? `${resources} in ${groups}` : rule.nonResourceURLs.length ? `non-resource URLs ${rule.nonResourceURLs.slice(0, 5).join(', ')}` : `no resources in ${groups}`
      results.push(
        fail(`${subject(role)} rule ${rule.index + 1} uses "*" in ${fields.join(', ')}: it grants ${verbs} on ${target}.`, {
          path: `${rule.path}.${fields[0]}`,
          evidence: { rule: rule.index + 1, verbs: rule.verbs, resources: rule.resources, apiGroups: rule.apiGroups },
        }),
      )
    }
    if (results.length) return results
    if (!rules.length) return pass(`${subject(role)} has no rules${role.props['aggregationRule'] ? ' of its own (the ClusterRoles it aggregates are judged themselves)' : ''}.`)
    return pass(`${subject(role)} names the verbs, resources and API groups of its ${rules.length} rule${rules.length === 1 ? '' : 's'}.`)
  },
})
