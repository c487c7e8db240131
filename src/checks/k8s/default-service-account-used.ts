import type { Resource } from '../../model/index.js'
import { defineCheck, fail, pass } from '../define-check.js'
import type { CheckContext, CheckResult } from '../types.js'
import { accountOfSubject, bindingsOfDefaultAccount, roleRefOf, serviceAccountOf, subjectsOf, tokenMounted } from './lib/cluster.js'
import { subject, WORKLOAD_KINDS } from './lib/pod.js'

const BINDING_KINDS = ['k8s:rbac:role-binding', 'k8s:rbac:cluster-role-binding']

/** The `default` ServiceAccount holds no permissions, and workloads that need some run as their own account. */
export default defineCheck({
  id: 'k8s/default-service-account-used',
  title: 'The default ServiceAccount is not granted permissions that workloads use',
  severity: 'medium',
  resourceKinds: [...WORKLOAD_KINDS, ...BINDING_KINDS],
  rationale:
    'Every pod that names no serviceAccountName runs as its namespace\'s default ServiceAccount. Permissions bound to that account go to every such pod, including ones added later for unrelated purposes (a debug pod, a migration job, a third-party chart), and no one can tell from RBAC which workload needs them. A compromised pod of the namespace then holds them too. Giving each workload its own ServiceAccount keeps grants attributable and minimal.',
  remediation: {
    text: 'Create a ServiceAccount per workload, bind the permissions it needs to that account, and set spec.template.spec.serviceAccountName. Remove bindings of the default ServiceAccount and set automountServiceAccountToken: false on it.',
    kubernetes: [
      'apiVersion: v1',
      'kind: ServiceAccount',
      'metadata: { name: default, namespace: clinic-prod }',
      'automountServiceAccountToken: false',
      '---',
      '# in the Deployment',
      'spec: { template: { spec: { serviceAccountName: billing-export } } }',
    ].join('\n'),
  },
  controls: { csf: ['PR.AC-4', 'PR.AC-1'], hipaa: ['164.308(a)(4)(ii)(B)', '164.312(a)(1)', '164.312(a)(2)(i)'], ferpa: ['FERPA-ACCESS-CONTROL'] },
  references: { cis: ['CIS Kubernetes 5.1.5'] },
  evaluate(r, ctx) {
    return BINDING_KINDS.includes(r.kind) ? judgeBinding(r) : judgeWorkload(r, ctx)
  },
})

function judgeBinding(b: Resource): CheckResult | CheckResult[] {
  const ref = roleRefOf(b)
  const role = ref ? `${ref.kind} ${ref.name}` : 'its role'
  const results: CheckResult[] = []
  for (const s of subjectsOf(b)) {
    const account = accountOfSubject(s)
    if (account?.name !== 'default') continue
    const ns = account.namespace
    results.push(
      fail(`${subject(b)} grants ${role} to the default ServiceAccount of namespace ${ns}, so every pod there that names no ServiceAccount holds it.`, {
        path: s.path,
        evidence: { namespace: ns, role },
      }),
    )
  }
  return results.length ? results : pass(`${subject(b)} binds no default ServiceAccount.`)
}

function judgeWorkload(w: Resource, ctx: CheckContext): CheckResult {
  const sa = serviceAccountOf(w)
  if (sa.name !== 'default') return pass(`${subject(w)} runs as its own ServiceAccount ${sa.name}.`)
  const ns = w.namespace ?? 'default'
  const bindings = bindingsOfDefaultAccount(ctx.view, ns)
  if (!bindings.length) return pass(`${subject(w)} runs as the default ServiceAccount of namespace ${ns}, which no binding in the scan grants permissions.`)
  const grants = bindings.slice(0, 3).map((b) => {
    const ref = roleRefOf(b)
    return `${subject(b)}${ref ? ` (${ref.kind} ${ref.name})` : ''}`
  })
  const more = bindings.length > 3 ? ` and ${bindings.length - 3} more` : ''
  const evidence = { serviceAccount: `${ns}/default`, bindings: bindings.slice(0, 20).map((b) => ({ kind: b.type.split('::').pop(), namespace: b.namespace, name: b.name })) }
  if (!tokenMounted(ctx.view, w)) return pass(`${subject(w)} runs as the default ServiceAccount of namespace ${ns}, to which ${grants.join(', ')}${more} grant${bindings.length === 1 ? 's' : ''} permissions, but its pods do not mount the account's token.`, evidence)
  return fail(`${subject(w)} runs as the default ServiceAccount of namespace ${ns}${sa.explicit ? '' : ' (no serviceAccountName)'}, to which ${grants.join(', ')}${more} grant${bindings.length === 1 ? 's' : ''} permissions.`, {
    ...(sa.path ? { path: sa.path } : {}),
    evidence,
  })
}
