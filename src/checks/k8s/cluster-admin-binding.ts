import type { Resource } from '../../model/index.js'
import { defineCheck, fail, pass } from '../define-check.js'
import type { CheckContext, CheckResult } from '../types.js'
import { CLUSTER_ROLE_BINDING, describeSubject, isFullAdminRule, nameList, roleOfBinding, roleRefOf, rulesOf, subjectClass, subjectsOf, tokenMounted, workloadsActingAs, type Subject } from './lib/cluster.js'
import { subject } from './lib/pod.js'

/** Only people who need it hold cluster-admin, and never a workload or an anonymous caller. */
export default defineCheck({
  id: 'k8s/cluster-admin-binding',
  title: 'cluster-admin (or an equivalent role) is not bound to service accounts, broad groups or anonymous users',
  severity: 'critical',
  resourceKinds: ['k8s:rbac:cluster-role-binding', 'k8s:rbac:role-binding'],
  rationale:
    'cluster-admin allows every action on every resource: reading every Secret (database passwords, API keys of the EHR integration), exec into any pod, creating privileged pods that mount the node, and granting itself anything else. Bound to a ServiceAccount, one compromised pod (or anyone who can create pods that use the account) owns the cluster and every PHI store it can reach; bound to system:authenticated or system:serviceaccounts, every workload does; bound to system:unauthenticated or system:anonymous, anyone who reaches the API server does. Bound to people, it should be a break-glass path, not a standing grant.',
  remediation: {
    text: 'Bind a role with only the verbs and resources the subject needs, in the namespaces it works in (a RoleBinding rather than a ClusterRoleBinding). Keep cluster-admin for a break-glass group of administrators, authenticated through the identity provider with MFA. Never bind it to a ServiceAccount used by a workload, to system:authenticated / system:serviceaccounts, or to anonymous users.',
    kubernetes: [
      'apiVersion: rbac.authorization.k8s.io/v1',
      'kind: RoleBinding',
      'metadata: { name: intake-api-config-reader, namespace: clinic-prod }',
      'roleRef: { apiGroup: rbac.authorization.k8s.io, kind: Role, name: config-reader }',
      'subjects:',
      '  - { kind: ServiceAccount, name: intake-api, namespace: clinic-prod }',
    ].join('\n'),
  },
  controls: { csf: ['PR.AC-4'], hipaa: ['164.308(a)(4)(ii)(B)', '164.308(a)(3)(ii)(A)', '164.312(a)(1)'], ferpa: ['FERPA-ACCESS-CONTROL'] },
  references: { cis: ['CIS Kubernetes 5.1.1'] },
  evaluate(b, ctx) {
    const ref = roleRefOf(b)
    if (!ref) return pass(`${subject(b)} names no role (roleRef), so it grants nothing.`)
    const admin = adminGrant(b, ctx)
    if (!admin) return pass(`${subject(b)} grants ${ref.kind} ${ref.name}, which is not cluster-admin or an equivalent in the scan.`)
    const scope = b.type === CLUSTER_ROLE_BINDING ? 'cluster-wide' : `in namespace ${b.namespace ?? 'default'}`
    const subjects = subjectsOf(b)
    if (!subjects.length) return pass(`${subject(b)} grants ${admin.label} ${scope} to no subjects.`)
    const results: CheckResult[] = []
    for (const s of subjects) {
      const cls = subjectClass(s)
      const workloads = workloadsActingAs(ctx.view, s)
      const evidence: Record<string, unknown> = {
        subject: describeSubject(s),
        subjectClass: cls,
        role: admin.label,
        scope,
        // a standing grant to people is a high-severity finding, to workloads or anyone critical
        subjectRisk: cls === 'human' ? 'high' : 'critical',
        workloads: workloads.slice(0, 20).map((w) => ({ kind: w.type.split('::').pop(), namespace: w.namespace, name: w.name, tokenMounted: tokenMounted(ctx.view, w) })),
      }
      results.push(fail(`${subject(b)} grants ${admin.label} ${scope} to ${who(s, cls, workloads)}.`, { path: s.path, evidence }))
    }
    return results
  },
})

/** Does a binding grant cluster-admin, or a role of the scan with `*` on `*` in `*`? */
function adminGrant(b: Resource, ctx: CheckContext): { label: string } | undefined {
  const ref = roleRefOf(b)
  if (!ref) return undefined
  if (ref.kind === 'ClusterRole' && ref.name === 'cluster-admin') return { label: 'cluster-admin' }
  const role = roleOfBinding(ctx.view, b)
  if (role && rulesOf(role).some(isFullAdminRule)) return { label: `${ref.kind} ${ref.name} (every verb on every resource, like cluster-admin)` }
  return undefined
}

function who(s: Subject, cls: ReturnType<typeof subjectClass>, workloads: Resource[]): string {
  const used = workloads.length ? `, which ${nameList(workloads)} ${workloads.length === 1 ? 'runs' : 'run'} as` : ''
  switch (cls) {
    case 'service-account':
      return `${describeSubject(s)}${workloads.length ? used : ', which no workload in the scan uses but any pod created with it would hold'}`
    case 'service-accounts':
      return `every ServiceAccount${s.name === 'system:serviceaccounts' ? '' : ` of namespace ${s.name.slice('system:serviceaccounts:'.length)}`} (Group ${s.name})${workloads.length ? `, including ${nameList(workloads)}` : ''}`
    case 'authenticated':
      return `every authenticated caller (Group system:authenticated), every workload's ServiceAccount included`
    case 'anonymous':
      return `anonymous callers (${s.kind} ${s.name}): anyone who can reach the API server`
    default:
      return `${describeSubject(s)}, a standing administrator grant to people that should be break-glass access`
  }
}
