import type { Resource } from '../../model/index.js'
import { defineCheck, fail, manual, pass } from '../define-check.js'
import type { CheckContext, CheckResult } from '../types.js'
import { ADMIN_MANAGED_POLICIES, managedPolicyName } from './lib/iam.js'
import { describe, list } from './lib/values.js'

/** The workloads (functions, state machines, instance profiles, ECS tasks) that run with a role. */
function workloadsOf(role: Resource, ctx: CheckContext): string[] {
  const out: string[] = []
  for (const w of ctx.view.related(role, { direction: 'out', kinds: ['attached'], types: ['AWS::Lambda::Function', 'AWS::StepFunctions::StateMachine'] })) {
    out.push(`${w.type === 'AWS::Lambda::Function' ? 'Lambda function' : 'state machine'} ${w.name}`)
  }
  for (const p of ctx.view.related(role, { direction: 'in', kinds: ['attached'], types: ['AWS::IAM::InstanceProfile'] })) out.push(`instance profile ${p.name}`)
  for (const t of ctx.view.ofType('AWS::ECS::TaskDefinition')) {
    if (ctx.view.refs([t.props['TaskRoleArn'], t.props['ExecutionRoleArn']], t).includes(role)) out.push(`ECS task definition ${t.name}`)
  }
  return out
}

/** Roles that code runs with never carry AWS's administrator-level managed policies. */
export default defineCheck({
  id: 'aws/iam-workload-no-admin-managed-policy',
  title: 'Workload role has no administrator-level AWS managed policy',
  severity: 'critical',
  resourceKinds: ['aws:iam:role'],
  rationale:
    'A function, state machine, instance or container running with AdministratorAccess, PowerUserAccess or IAMFullAccess hands full control of the account — every PHI store, the audit trail, IAM itself — to anyone who gets code execution in it through a bug or a poisoned dependency. Workload roles should carry only the scoped permissions their code needs.',
  remediation: {
    text: 'Remove the managed policy and grant the workload the specific actions and resources it uses (SAM policy templates, a scoped customer managed policy).',
    cloudformation: 'ManagedPolicyArns: [arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]\nPolicies: [ { PolicyName: data, PolicyDocument: { Statement: [ { Effect: Allow, Action: [dynamodb:GetItem], Resource: !GetAtt PatientsTable.Arn } ] } } ]',
  },
  controls: { csf: ['PR.AC-4', 'PR.PT-3'], hipaa: ['164.308(a)(3)', '164.308(a)(4)(ii)(B)', '164.312(a)(1)'], ferpa: ['FERPA-ACCESS-CONTROL'] },
  references: { prowler: ['iam_aws_attached_policy_no_administrative_privileges', 'iam_role_administratoraccess_policy'] },
  appliesTo: (role, ctx) => workloadsOf(role, ctx).length > 0,
  evaluate(role, ctx) {
    const users = workloadsOf(role, ctx)
    const who = `IAM role ${role.name}, used by ${users.slice(0, 3).join(', ')}${users.length > 3 ? ` and ${users.length - 3} more` : ''},`
    const admin: { name: string; i: number }[] = []
    list(role.props['ManagedPolicyArns']).forEach((arn, i) => {
      const name = managedPolicyName(arn)
      if (name && ADMIN_MANAGED_POLICIES.includes(name)) admin.push({ name, i })
    })
    if (admin.length === 0) return pass(`${who} has no administrator-level AWS managed policy.`)
    const boundary = role.props['PermissionsBoundary']
    if (boundary !== undefined) {
      return manual(`${who} has ${admin.map((a) => a.name).join(', ')} attached, capped by permissions boundary ${describe(boundary)}; review what the boundary allows.`, { path: 'PermissionsBoundary', evidence: { managedPolicies: admin.map((a) => a.name) } })
    }
    return admin.map(({ name, i }): CheckResult => fail(`${who} has AWS managed policy ${name} attached.`, { path: `ManagedPolicyArns.${i}`, evidence: { managedPolicy: name, workloads: users } }))
  },
})
