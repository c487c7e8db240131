import { compact, intrinsicFor, nonBlank, nonEmpty } from '../reader.js'
import type { TfConverted, TfConverter, TfReader } from '../types.js'
import { mergeInto, own } from './common.js'

/**
 * A role, user or group named by an attachment: its name where the plan knows it (CloudFormation
 * names principals in `Roles` / `Users` / `Groups`), else the reference.
 */
function principal(r: TfReader, attr: string): unknown {
  const v = r.raw(attr)
  return typeof v === 'string' && v ? v : r.ref(attr)
}

/** `inline_policy` blocks; a state lists one empty block when a role has none. */
function inlinePolicies(r: TfReader, attr: string): unknown {
  return nonEmpty(
    r
      .blocks(attr)
      .filter((p) => nonBlank(p.raw('name')) !== undefined || nonBlank(p.raw('policy')) !== undefined || p.isUnknown('policy'))
      .map((p) => compact({ PolicyName: p.get('name') ?? p.res.address, PolicyDocument: p.json('policy') })),
  )
}

const PRINCIPAL_TYPES = { role: 'AWS::IAM::Role', user: 'AWS::IAM::User', group: 'AWS::IAM::Group' } as const
const LIST_KEY = { role: 'Roles', user: 'Users', group: 'Groups' } as const

/** An inline policy resource (`aws_iam_role_policy`): one more entry of the principal's `Policies`. */
function inlinePolicy(kind: keyof typeof PRINCIPAL_TYPES): TfConverter {
  return (r) => {
    const entry = compact({ PolicyName: r.get('name') ?? r.res.name, PolicyDocument: r.json('policy') })
    return [
      mergeInto(PRINCIPAL_TYPES[kind], r.ref(kind), { Policies: [entry] }, {
        append: ['Policies'],
        // the principal is managed elsewhere: the policy still grants what it grants
        orElse: [own(r, 'AWS::IAM::Policy', { PolicyName: entry['PolicyName'], PolicyDocument: entry['PolicyDocument'], [LIST_KEY[kind]]: [principal(r, kind)] }, { lines: { PolicyDocument: 'policy' } })],
      }),
    ]
  }
}

/**
 * A managed policy attached to principals: the `AWS::IAM::ManagedPolicy` of the plan it points at
 * gains the principals, else (an AWS managed policy, one outside the plan) each principal's
 * `ManagedPolicyArns` gains the ARN.
 */
function attach(r: TfReader, policyAttr: string, principals: { kind: keyof typeof PRINCIPAL_TYPES; target: unknown; name: unknown }[]): TfConverted[] {
  const policy = r.targets(policyAttr).find((t) => t.type === 'aws_iam_policy' && t.mode === 'managed' && t.inPlan)
  if (policy) {
    const props: Record<string, unknown[]> = {}
    for (const p of principals) (props[LIST_KEY[p.kind]] ??= []).push(p.name)
    return [mergeInto('AWS::IAM::ManagedPolicy', intrinsicFor(policy), props, { append: Object.keys(props) })]
  }
  const arn = r.get(policyAttr)
  return principals.map((p) => mergeInto(PRINCIPAL_TYPES[p.kind], p.target, { ManagedPolicyArns: [arn] }, { append: ['ManagedPolicyArns'] }))
}

/** Each element of a list attribute (`roles`, `users`) as a principal. */
function principalsOf(r: TfReader, attr: string, kind: keyof typeof PRINCIPAL_TYPES): { kind: keyof typeof PRINCIPAL_TYPES; target: unknown; name: unknown }[] {
  const refs = r.refList(attr)
  const names = r.raw(attr)
  if (!Array.isArray(refs)) return []
  return refs.map((t, i) => ({ kind, target: t, name: Array.isArray(names) && typeof names[i] === 'string' && names.length === refs.length ? names[i] : t }))
}

/** IAM roles, users, groups, their inline and attached policies, access keys and instance profiles. */
export const IAM_CONVERTERS: Record<string, TfConverter> = {
  aws_iam_role: (r) => [
    own(
      r,
      'AWS::IAM::Role',
      {
        RoleName: r.get('name'),
        Path: r.get('path'),
        Description: nonBlank(r.get('description')),
        AssumeRolePolicyDocument: r.json('assume_role_policy'),
        MaxSessionDuration: r.get('max_session_duration'),
        PermissionsBoundary: nonBlank(r.ref('permissions_boundary')),
        ManagedPolicyArns: nonEmpty(r.refList('managed_policy_arns')),
        Policies: inlinePolicies(r, 'inline_policy'),
        Tags: r.tags(),
      },
      { lines: { AssumeRolePolicyDocument: 'assume_role_policy', Policies: 'inline_policy' } },
    ),
  ],
  aws_iam_role_policy: inlinePolicy('role'),
  aws_iam_user_policy: inlinePolicy('user'),
  aws_iam_group_policy: inlinePolicy('group'),
  aws_iam_policy: (r) => [own(r, 'AWS::IAM::ManagedPolicy', { ManagedPolicyName: r.get('name'), Path: r.get('path'), Description: nonBlank(r.get('description')), PolicyDocument: r.json('policy') }, { lines: { PolicyDocument: 'policy' } })],
  aws_iam_role_policy_attachment: (r) => attach(r, 'policy_arn', [{ kind: 'role', target: r.ref('role'), name: principal(r, 'role') }]),
  aws_iam_user_policy_attachment: (r) => attach(r, 'policy_arn', [{ kind: 'user', target: r.ref('user'), name: principal(r, 'user') }]),
  aws_iam_group_policy_attachment: (r) => attach(r, 'policy_arn', [{ kind: 'group', target: r.ref('group'), name: principal(r, 'group') }]),
  aws_iam_policy_attachment: (r) => attach(r, 'policy_arn', [...principalsOf(r, 'roles', 'role'), ...principalsOf(r, 'users', 'user'), ...principalsOf(r, 'groups', 'group')]),
  aws_iam_user: (r) => [own(r, 'AWS::IAM::User', { UserName: r.get('name'), Path: r.get('path'), PermissionsBoundary: nonBlank(r.ref('permissions_boundary')), Tags: r.tags() })],
  aws_iam_group: (r) => [own(r, 'AWS::IAM::Group', { GroupName: r.get('name'), Path: r.get('path') })],
  aws_iam_user_group_membership: (r) => [mergeInto('AWS::IAM::User', r.ref('user'), { Groups: r.refList('groups') }, { append: ['Groups'] })],
  aws_iam_group_membership: (r) => {
    const users = r.refList('users')
    return (Array.isArray(users) ? users : []).map((u) => mergeInto('AWS::IAM::User', u, { Groups: [principal(r, 'group')] }, { append: ['Groups'] }))
  },
  // the password is generated at apply (and only ever PGP-encrypted into the state): unknown here
  aws_iam_user_login_profile: (r) => [
    mergeInto('AWS::IAM::User', r.ref('user'), { LoginProfile: compact({ Password: { 'Fn::GetAtt': [r.res.address, 'password'] }, PasswordResetRequired: r.get('password_reset_required') }) }),
  ],
  aws_iam_access_key: (r) => [own(r, 'AWS::IAM::AccessKey', { UserName: principal(r, 'user'), Status: r.getOr('status', 'Active') })],
  aws_iam_instance_profile: (r) => [own(r, 'AWS::IAM::InstanceProfile', { InstanceProfileName: r.get('name'), Path: r.get('path'), Roles: r.get('role') !== undefined ? [principal(r, 'role')] : undefined })],
}
