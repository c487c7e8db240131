import type { Resource } from '../../model/index.js'
import { defineCheck, fail, pass } from '../define-check.js'
import type { CheckContext } from '../types.js'
import { managedPolicyName } from './lib/iam.js'
import { resolve } from './lib/judge.js'
import { describe, isObj, list } from './lib/values.js'

/**
 * Users a policy resource attaches to that are not in the scan (an existing user named by name,
 * parameter or import): the template attaches a policy directly to a user PhiWall cannot judge
 * as a user, so the policy itself is judged.
 */
function usersOutsideScan(policy: Resource, ctx: CheckContext): unknown[] {
  return list(policy.props['Users']).filter((u) => resolve(u, policy, ctx, ['AWS::IAM::User']).length === 0)
}

/** Users get permissions from groups (or roles they assume), so access is granted and removed by membership. */
export default defineCheck({
  id: 'aws/iam-user-no-policies',
  title: 'IAM user has no policies attached directly',
  severity: 'low',
  resourceKinds: ['aws:iam:user', 'aws:iam:policy', 'aws:iam:managed-policy'],
  rationale:
    'Policies attached to individual users make access reviews per-person and error-prone: when someone changes jobs or leaves, permissions to PHI linger on their user. Granting through groups (or federated roles) ties access to a job function that can be reviewed and revoked as a whole, as HIPAA access establishment and modification procedures expect. A policy resource that names users outside the scanned files (existing users) is judged itself, since those users are not.',
  remediation: {
    text: 'Move the user\'s policies to a group for the job function and add the user to it; better, replace IAM users with federated access (IAM Identity Center) and roles.',
    cloudformation: 'CliniciansGroup: { Type: AWS::IAM::Group, Properties: { ManagedPolicyArns: [!Ref ClinicianAccess] } }\nUser: { Properties: { Groups: [!Ref CliniciansGroup] } }',
  },
  controls: { csf: ['PR.AC-4', 'PR.AC-1'], hipaa: ['164.308(a)(4)(ii)(B)', '164.308(a)(4)(ii)(C)', '164.308(a)(3)(ii)(C)'], ferpa: ['FERPA-ACCESS-CONTROL'] },
  references: { awsConfig: ['IAM_USER_NO_POLICIES_CHECK'], cdkNag: ['HIPAA.Security-IAMUserNoPolicies'], prowler: ['iam_policy_attached_only_to_group_or_roles'] },
  appliesTo: (r, ctx) => r.type === 'AWS::IAM::User' || usersOutsideScan(r, ctx).length > 0,
  evaluate(user, ctx) {
    if (user.type !== 'AWS::IAM::User') {
      const outside = usersOutsideScan(user, ctx).map((u) => (typeof u === 'string' ? u : describe(u)))
      return fail(`IAM policy ${user.name} is attached directly to IAM user${outside.length === 1 ? '' : 's'} ${outside.slice(0, 5).join(', ')}${outside.length > 5 ? ', …' : ''}.`, { path: 'Users', evidence: { users: outside } })
    }
    const direct: string[] = []
    list(user.props['ManagedPolicyArns']).forEach((arn) => direct.push(`managed policy ${managedPolicyName(arn) ?? describe(arn)}`))
    list(user.props['Policies']).forEach((p, i) => direct.push(`inline policy ${isObj(p) && typeof p['PolicyName'] === 'string' ? p['PolicyName'] : `#${i}`}`))
    const attached = ctx.view.related(user, { direction: 'in', kinds: ['attached'], types: ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy', 'AWS::IAM::UserPolicy'] })
    for (const p of attached) direct.push(`${p.type === 'AWS::IAM::ManagedPolicy' ? 'managed policy' : 'policy'} ${p.name}`)
    if (direct.length === 0) return pass(`IAM user ${user.name} has no policies attached directly.`)
    const path = user.props['ManagedPolicyArns'] !== undefined ? 'ManagedPolicyArns' : user.props['Policies'] !== undefined ? 'Policies' : undefined
    return fail(`IAM user ${user.name} has ${direct.length} polic${direct.length === 1 ? 'y' : 'ies'} attached directly: ${direct.slice(0, 5).join(', ')}${direct.length > 5 ? ', …' : ''}.`, { ...(path ? { path } : {}), evidence: { policies: direct } })
  },
})
