import { actionMatches, type PolicyStatement } from '../../../inventory/index.js'
import { isObj, list } from './values.js'

/**
 * How much an IAM action (or action pattern) can change: the access levels of the IAM Service
 * Authorization Reference, folded into what matters for over-broad grants. `unknown` is a
 * pattern that may match actions of any level (`s3:*Object`).
 */
export type ActionLevel = 'read' | 'write' | 'permissions' | 'unknown'

// Verbs that start read-only and list actions (Get*, List*, Describe*, …).
const READ_VERB = /^(get|list|describe|batchget|batchdetect|query|scan|head|lookup|search|select|filter|view|preview|estimate|validate|check|conditioncheck|test|download|read|retrieve|receive|poll|verify|detect|simulate)/i
// Verbs that create, change or delete something.
const WRITE_VERB = /^(put|create|delete|update|modify|attach|detach|add|remove|set|send|publish|invoke|start|stop|terminate|run|reboot|enable|disable|restore|copy|import|export|reset|revoke|authorize|associate|disassociate|register|deregister|change|replace|upload|write|batchwrite|batchdelete|batchput|batchupdate|batchexecute|tag|untag|rotate|cancel|complete|abort|apply|execute|purge|pass|assume|schedule|retire|increase|decrease|promote|resume|suspend|accept|reject|allocate|release|assign|unassign|request|submit|transact|partiql(insert|update|delete)|restart|flush|forget|confirm|subscribe|unsubscribe|connect|clientwrite|clientrootaccess|clientmount|initiate|move|merge|rebuild|share|unshare|lock|unlock)/i
// Actions that change who may do what: resource policies, ACLs and grants (every IAM write counts too).
const PERMISSIONS_NOUN = /(policy|policies|permission|permissions|acl|grant|grants)$/i
// KMS cryptographic use (judged by the KMS checks, not as a write of data)
const KMS_CRYPTO = /^(encrypt|decrypt|reencrypt|generatedatakey|generatemac|generaterandom|sign|verify|derivesharedsecret)/i

/** Access level of an action or action pattern (`s3:PutObject`, `dynamodb:*Item`, `iam:Pass*`). */
export function actionLevel(action: string): ActionLevel {
  if (action === '*') return 'unknown'
  const [rawService = '', rawName = ''] = action.split(':')
  if (rawName === '' || rawName === '*') return 'unknown'
  const service = rawService.toLowerCase()
  // AdminGetUser reads, AdminCreateUser writes: judge the verb after the prefix
  const name = rawName.replace(/^Admin(?=[A-Z*])/, '')
  // a pattern is judged by its literal prefix: Put* writes, Get* reads, *Item may do either
  const prefix = name.split(/[*?]/)[0] ?? ''
  if (prefix === '') return 'unknown'
  if (service === 'kms' && KMS_CRYPTO.test(prefix)) return 'read'
  const read = READ_VERB.test(prefix)
  const write = WRITE_VERB.test(prefix)
  if (read && !write) return 'read'
  if (write) return service === 'iam' || PERMISSIONS_NOUN.test(name.replace(/\*$/, '')) ? 'permissions' : 'write'
  // a verb cut short by a wildcard (`Up*` could be Update or Upload) may write; a literal action
  // with a verb not listed here is given the benefit of the doubt
  return name.includes('*') || name.includes('?') ? 'unknown' : 'read'
}

/** Does an action or pattern allow changing data or permissions (write, permissions management, or possibly either)? */
export function mayWrite(action: string): boolean {
  const level = actionLevel(action)
  return level === 'write' || level === 'permissions' || level === 'unknown'
}

/** Is the action a service-wide wildcard (`s3:*`, `dynamodb:*`)? */
export function isServiceWildcard(action: string): boolean {
  return /^[a-z0-9-]+:\*$/i.test(action)
}

/**
 * Actions AWS documents as not supporting resource-level permissions (so they must be granted
 * on `"Resource": "*"`), or that AWS's own Lambda execution policies grant on `*`. Granting them
 * on `*` is not an over-broad grant.
 */
export const RESOURCE_STAR_ONLY_ACTIONS = [
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'xray:GetSamplingRules',
  'xray:GetSamplingTargets',
  'xray:GetSamplingStatisticSummaries',
  'cloudwatch:PutMetricData',
  'ec2:CreateNetworkInterface',
  'ec2:DeleteNetworkInterface',
  'ec2:DetachNetworkInterface',
  'ec2:DescribeNetworkInterfaces',
  'ec2:AssignPrivateIpAddresses',
  'ec2:UnassignPrivateIpAddresses',
  'ecr:GetAuthorizationToken',
  'codepipeline:PutJobSuccessResult',
  'codepipeline:PutJobFailureResult',
  'textract:StartDocumentTextDetection',
  'textract:StartDocumentAnalysis',
  'mobileanalytics:PutEvents',
  'sts:GetCallerIdentity',
]

/** Is the action (literal, not a pattern) one that can only be granted on `*`? */
export function isResourceStarOnly(action: string): boolean {
  return !/[*?]/.test(action) && RESOURCE_STAR_ONLY_ACTIONS.some((a) => a.toLowerCase() === action.toLowerCase())
}

/**
 * Does a Resource entry cover every resource, or every resource of its service: `*`,
 * `arn:aws:s3:::*`, `arn:aws:dynamodb:*:*:table/*`, `arn:aws:iam::123456789012:role/*`?
 * Returns the entry (for messages) or undefined. Non-string entries (intrinsics) are specific.
 */
export function allResourcesEntry(st: PolicyStatement): string | undefined {
  if (st.resources.length === 0 && st.notResources.length > 0) return 'NotResource'
  for (const r of st.resources) {
    if (typeof r !== 'string') continue
    if (r === '*') return r
    const m = /^arn:[^:]*:([^:]*):[^:]*:[^:]*:(.*)$/.exec(r)
    if (!m) continue
    const res = m[2]!
    // an S3 ARN names the bucket first: `clinic-exports/*` is every object of one bucket, not every bucket
    if (m[1] === 's3') {
      if (res === '*' || res.startsWith('*/')) return r
      continue
    }
    // `*`, `table/*`, `role/*`, `key/*`, `function:*`, `secret:*`
    if (res === '*' || /^[A-Za-z-]+[/:]\*$/.test(res)) return r
  }
  return undefined
}

// Condition keys that scope a statement to particular resources, services or networks, so that a
// wildcard Resource is no longer "every resource".
const SCOPING_CONDITION = /^(aws:resourcetag\/|aws:resourceaccount$|aws:resourceorgid$|aws:resourceorgpaths$|aws:requestedregion$|aws:sourcevpce?$|aws:sourceip$|aws:calledvia|kms:viaservice$|kms:callerAccount$|kms:encryptioncontext|kms:resourcealiases$|iam:permissionsboundary$|iam:resourcetag\/|s3:prefix$|dynamodb:leadingkeys$|ec2:vpc$|ec2:subnet$|ec2:resourcetag\/|ssm:resourcetag\/|secretsmanager:resourcetag\/|lambda:functionarn$|ecs:cluster$)/i

/** Condition keys of a statement that scope it to particular resources (tags, accounts, services, networks). */
export function scopingConditionKeys(st: PolicyStatement): string[] {
  const out: string[] = []
  for (const kv of Object.values(st.condition ?? {})) {
    if (!isObj(kv)) continue
    for (const [key, value] of Object.entries(kv)) {
      if (!SCOPING_CONDITION.test(key)) continue
      if (list(value).some((v) => v === '*')) continue
      out.push(key)
    }
  }
  return out
}

/** Allowed actions of a statement (Allow only) that match one of the given actions. */
export function allowedOf(st: PolicyStatement, actions: string[]): string[] {
  if (st.effect !== 'Allow') return []
  if (st.actions.length) return actions.filter((a) => st.actions.some((p) => actionMatches(p, a)))
  if (st.notActions.length) return actions.filter((a) => !st.notActions.some((p) => actionMatches(p, a)))
  return []
}

/** Label of an IAM resource type for messages: `IAM role`, `IAM managed policy`, … */
export function iamKindLabel(type: string): string {
  return (
    {
      'AWS::IAM::Role': 'IAM role',
      'AWS::IAM::User': 'IAM user',
      'AWS::IAM::Group': 'IAM group',
      'AWS::IAM::Policy': 'IAM policy',
      'AWS::IAM::ManagedPolicy': 'IAM managed policy',
      'AWS::IAM::RolePolicy': 'IAM role policy',
      'AWS::IAM::UserPolicy': 'IAM user policy',
      'AWS::IAM::GroupPolicy': 'IAM group policy',
    }[type] ?? type
  )
}

/** Resource kinds that carry identity policy documents (see `iamPolicyDocuments`). */
export const IAM_POLICY_KINDS = ['aws:iam:role', 'aws:iam:user', 'aws:iam:group', 'aws:iam:policy', 'aws:iam:managed-policy', 'aws:iam:role-policy', 'aws:iam:user-policy', 'aws:iam:group-policy']
