import { statementAllows } from '../../../inventory/index.js'
import type { Resource } from '../../../model/index.js'
import { managedPolicyName } from '../../aws/lib/iam.js'
import { bool, isObj, isUnknown, list, str } from '../../aws/lib/values.js'
import type { CheckContext } from '../../types.js'

/**
 * AWS managed policies that let SSM Agent register the instance and receive commands: the core
 * policy, the policy Default Host Management attaches, the deprecated EC2 role for SSM, and
 * full administrative policies.
 */
export const SSM_INSTANCE_POLICIES = ['AmazonSSMManagedInstanceCore', 'AmazonSSMManagedEC2InstanceDefaultPolicy', 'AmazonEC2RoleforSSM', 'AdministratorAccess', 'PowerUserAccess']

/**
 * What SSM Agent calls to register and to take Run Command and Session Manager work (the heart
 * of AmazonSSMManagedInstanceCore): without them the instance never becomes a managed node, and
 * Patch Manager cannot reach it.
 */
export const SSM_AGENT_ACTIONS = ['ssm:UpdateInstanceInformation', 'ssmmessages:CreateControlChannel', 'ssmmessages:OpenControlChannel', 'ec2messages:GetMessages']

/** Does a role let SSM Agent work: `yes` with the policy or statements that do, `no` with what is missing, or `unknown`. */
export function roleGrantsSsm(role: Resource, ctx: CheckContext): { state: 'yes' | 'no' | 'unknown'; detail: string } {
  const arns = list(role.props['ManagedPolicyArns'])
  for (const arn of arns) {
    const name = managedPolicyName(arn)
    if (name && SSM_INSTANCE_POLICIES.includes(name)) return { state: 'yes', detail: `managed policy ${name}` }
  }
  const statements = ctx.view.roleStatements(role)
  // an unconditional Deny takes the action away whatever else allows it
  const denied = (a: string): boolean => statements.some((g) => g.statement.effect === 'Deny' && !g.statement.condition && statementAllows({ ...g.statement, effect: 'Allow' }, a))
  const missing = SSM_AGENT_ACTIONS.filter((a) => denied(a) || !statements.some((g) => statementAllows(g.statement, a)))
  if (!missing.length) return { state: 'yes', detail: `statements allowing ${SSM_AGENT_ACTIONS.join(', ')}` }
  // what the scan cannot read may grant the rest: a policy document unknown at scan time, or a
  // customer managed policy outside the scan (AWS managed policies are known by name)
  const attached = ctx.view.related(role, { direction: 'in', kinds: ['attached'], types: ['AWS::IAM::ManagedPolicy', 'AWS::IAM::Policy', 'AWS::IAM::RolePolicy'] })
  const unknownDoc = list(role.props['Policies']).some((p) => isObj(p) && isUnknown(p['PolicyDocument'])) || attached.some((p) => isUnknown(p.props['PolicyDocument']))
  const outside = arns.filter((a) => ctx.view.refs(a, role).length === 0 && managedPolicyName(a) === undefined)
  if (unknownDoc || outside.length) return { state: 'unknown', detail: outside.length ? `managed polic${outside.length > 1 ? 'ies' : 'y'} outside the scan` : 'a policy document unknown at scan time' }
  return { state: 'no', detail: `missing ${missing.join(', ')}` }
}

/**
 * Default Host Management Configuration turned on in the scanned account: the SSM service setting
 * `/ssm/managed-instance/default-ec2-instance-management-role` names a role, so instances with
 * IMDSv2 and a recent agent register without an instance profile.
 */
export function defaultHostManagement(ctx: CheckContext): Resource | undefined {
  return ctx.view.ofType('AWS::SSM::ServiceSetting').find((s) => {
    const id = str(s.props['SettingId']) ?? ''
    const value = s.props['SettingValue']
    return /\/ssm\/managed-instance\/default-ec2-instance-management-role$/.test(id) && value !== undefined && value !== '' && bool(value, true) !== false
  })
}
