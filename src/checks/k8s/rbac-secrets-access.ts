import type { Resource } from '../../model/index.js'
import { defineCheck, fail, pass } from '../define-check.js'
import type { CheckResult } from '../types.js'
import { bindingsOfRole, describeSubject, isBuiltInRole, nameList, ROLE_BINDING, ruleAllows, rulesOf, subjectsOf, workloadsActingAs, type RbacRule } from './lib/cluster.js'
import { subject } from './lib/pod.js'

const READ_VERBS = ['get', 'list', 'watch']

/** Workloads cannot read Secrets through the roles bound to their ServiceAccounts. */
export default defineCheck({
  id: 'k8s/rbac-secrets-access',
  title: 'Roles bound to workload service accounts do not grant read access to Secrets',
  severity: 'high',
  resourceKinds: ['k8s:rbac:role', 'k8s:rbac:cluster-role'],
  rationale:
    'Secrets hold the credentials of the PHI stores (database passwords, object-store keys, the EHR interface engine\'s partner certificates). get, list or watch on secrets lets a pod read all of them in the role\'s scope: list and watch return the values, not just the names. A workload that is compromised through its own code or a dependency then holds every credential of its namespace (or of the cluster, through a ClusterRoleBinding). Pods that need a secret should mount it, not read it through the API.',
  remediation: {
    text: 'Remove secrets from the role and mount the secrets the workload needs as volumes or environment variables. If the application must read a secret through the API, grant get with resourceNames listing that secret only, in a Role (not a ClusterRole) of its namespace.',
    kubernetes: 'rules:\n  - apiGroups: [""]\n    resources: [secrets]\n    resourceNames: [billing-export-sftp]\n    verbs: [get]',
  },
  controls: { csf: ['PR.AC-4', 'PR.DS-5'], hipaa: ['164.308(a)(4)(ii)(B)', '164.308(a)(3)(ii)(A)', '164.312(a)(1)'], ferpa: ['FERPA-ACCESS-CONTROL'] },
  references: { cis: ['CIS Kubernetes 5.1.2'] },
  appliesTo: (r) => !isBuiltInRole(r),
  evaluate(role, ctx) {
    const reads = rulesOf(role)
      .map((rule) => ({ rule, verbs: READ_VERBS.filter((v) => ruleAllows(rule, '', 'secrets', v)) }))
      .filter((x) => x.verbs.length > 0)
    if (!reads.length) return pass(`${subject(role)} grants no read access to Secrets.`)
    const broad = reads.filter((x) => x.rule.resourceNames.length === 0)
    if (!broad.length) {
      const names = new Set(reads.flatMap((x) => x.rule.resourceNames))
      return pass(`${subject(role)} limits read access to ${names.size} named Secret${names.size === 1 ? '' : 's'} (resourceNames).`)
    }
    const grant = describeGrant(broad.map((x) => x.rule), broad.flatMap((x) => x.verbs))
    const bindings = bindingsOfRole(ctx.view, role)
    if (!bindings.length) return pass(`${subject(role)} grants ${grant}, but no binding in the scan grants the role to anyone.`, { rules: broad.map((x) => x.rule.index + 1) })
    const results: CheckResult[] = []
    const unused: string[] = []
    for (const b of bindings) {
      const scope = b.type === ROLE_BINDING ? `in namespace ${b.namespace ?? 'default'}` : 'in every namespace'
      for (const s of subjectsOf(b)) {
        const workloads: Resource[] = workloadsActingAs(ctx.view, s)
        if (!workloads.length) {
          unused.push(describeSubject(s))
          continue
        }
        results.push(
          fail(`${subject(role)} grants ${grant} ${scope} through ${subject(b)} to ${describeSubject(s)}, which ${nameList(workloads)} ${workloads.length === 1 ? 'runs' : 'run'} as.`, {
            path: `${broad[0]!.rule.path}.resources`,
            evidence: { binding: b.name, bindingFile: b.location.file, subject: describeSubject(s), workloads: workloads.slice(0, 20).map((w) => w.name), rules: broad.map((x) => x.rule.index + 1) },
          }),
        )
      }
    }
    if (results.length) return results
    return pass(`${subject(role)} grants ${grant}, but only to subjects no workload in the scan runs as (${unused.slice(0, 3).join(', ') || 'none'}).`, { subjects: unused.slice(0, 20) })
  },
})

function describeGrant(rules: RbacRule[], verbs: string[]): string {
  const uniq = [...new Set(verbs)]
  return `${uniq.join(', ')} on Secrets (rule${rules.length > 1 ? 's' : ''} ${rules.map((r) => r.index + 1).join(', ')})`
}
