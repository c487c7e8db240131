/** One IAM policy statement, normalized: lists are lists, keys are present. */
export interface PolicyStatement {
  sid?: string
  effect: 'Allow' | 'Deny'
  actions: string[]
  notActions: string[]
  resources: unknown[]
  notResources: unknown[]
  principal: unknown
  notPrincipal: unknown
  condition: Record<string, Record<string, unknown>> | undefined
}

const list = (v: unknown): unknown[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v])

/** Parse a policy document (object or JSON string) into normalized statements; unknown shapes give none. */
export function statementsOf(doc: unknown): PolicyStatement[] {
  let d = doc
  if (typeof d === 'string') {
    try {
      d = JSON.parse(d)
    } catch {
      return []
    }
  }
  if (!d || typeof d !== 'object') return []
  const raw = (d as Record<string, unknown>)['Statement']
  return list(raw)
    .filter((s): s is Record<string, unknown> => !!s && typeof s === 'object' && !Array.isArray(s))
    .map((s) => {
      const st: PolicyStatement = {
        effect: s['Effect'] === 'Deny' ? 'Deny' : 'Allow',
        actions: list(s['Action']).filter((a): a is string => typeof a === 'string'),
        notActions: list(s['NotAction']).filter((a): a is string => typeof a === 'string'),
        resources: list(s['Resource']),
        notResources: list(s['NotResource']),
        principal: s['Principal'],
        notPrincipal: s['NotPrincipal'],
        condition: s['Condition'] && typeof s['Condition'] === 'object' ? (s['Condition'] as Record<string, Record<string, unknown>>) : undefined,
      }
      if (typeof s['Sid'] === 'string') st.sid = s['Sid']
      return st
    })
}

/** Does an IAM action pattern (`s3:Get*`, `*`) match an action? Case-insensitive, as IAM is. */
export function actionMatches(pattern: string, action: string): boolean {
  if (pattern === '*') return true
  if (!pattern.includes('*') && !pattern.includes('?')) return pattern.toLowerCase() === action.toLowerCase()
  let re = PATTERNS.get(pattern)
  if (!re) {
    re = new RegExp('^' + pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$', 'i')
    if (PATTERNS.size > 10_000) PATTERNS.clear()
    PATTERNS.set(pattern, re)
  }
  return re.test(action)
}

/** Compiled action patterns: policies repeat the same few hundred patterns thousands of times. */
const PATTERNS = new Map<string, RegExp>()

/** Does a statement allow an action (through Action or NotAction)? */
export function statementAllows(st: PolicyStatement, action: string): boolean {
  if (st.effect !== 'Allow') return false
  if (st.actions.length) return st.actions.some((a) => actionMatches(a, action))
  if (st.notActions.length) return !st.notActions.some((a) => actionMatches(a, action))
  return false
}

/** Is a Principal everyone (`*`, `{AWS: "*"}`, `{AWS: ["*"]}`)? */
export function principalIsPublic(principal: unknown): boolean {
  if (principal === '*') return true
  if (principal && typeof principal === 'object' && !Array.isArray(principal)) {
    const aws = (principal as Record<string, unknown>)['AWS']
    return list(aws).some((p) => p === '*')
  }
  return false
}

/** Condition keys that narrow a public principal to a known caller. */
const NARROWING_KEYS = [
  'aws:sourcearn',
  'aws:sourceaccount',
  'aws:sourceowner',
  'aws:principalorgid',
  'aws:principalaccount',
  'aws:principalarn',
  'aws:sourcevpce',
  'aws:sourcevpc',
  'aws:sourceip',
  'aws:userid',
  'aws:principalorgpaths',
  'aws:resourceorgid',
  'lambda:functionurlauthtype',
  'kms:calleraccount',
  'kms:viaservice',
]

/** Does a Condition narrow who may act (source ARN / account / org / VPC endpoint / IP)? */
export function conditionNarrowsPrincipal(condition: PolicyStatement['condition']): boolean {
  if (!condition) return false
  for (const [op, kv] of Object.entries(condition)) {
    if (!kv || typeof kv !== 'object') continue
    if (/^Bool|Null/i.test(op)) continue
    for (const [key, value] of Object.entries(kv)) {
      if (!NARROWING_KEYS.includes(key.toLowerCase())) continue
      if (list(value).some((v) => v === '*')) continue
      return true
    }
  }
  return false
}

/** How an action touches data: for topology edges and over-broad permission checks. */
export function actionAccess(action: string): 'read' | 'write' | 'both' | 'invoke' | 'other' {
  const [service = '', name = ''] = action.toLowerCase().split(':')
  if (name === '*' || name === '') return service === '*' ? 'both' : 'both'
  if (service === 'lambda' && name.startsWith('invoke')) return 'invoke'
  if (service === 'states' && /^start/.test(name)) return 'invoke'
  if (service === 'sqs') return /^(receivemessage|getqueue|listqueue)/.test(name) ? 'read' : /^(sendmessage|deletemessage|changemessagevisibility|purgequeue)/.test(name) ? (name.startsWith('deletemessage') || name.startsWith('changemessagevisibility') ? 'read' : 'write') : name.endsWith('*') ? 'both' : 'other'
  if (name.endsWith('*') && !/^(get|list|describe|read|batchget)\*?$/.test(name)) {
    if (/^(get|list|describe|batchget|query|scan|read)/.test(name)) return 'read'
    return /^(put|update|delete|batchwrite|create|write|send|publish)/.test(name) ? 'write' : 'both'
  }
  if (/^(get|list|describe|query|scan|batchget|read|select|partiqlselect|conditioncheck|lookup|search|download|decrypt|retrieve|head|filter|subscribe$)/.test(name)) return 'read'
  if (/^(put|update|delete|batchwrite|write|send|publish|insert|modify|partiqlinsert|partiqlupdate|partiqldelete|restore|abortmultipart|upload|create|append|encrypt|generatedatakey|executestatement|batchexecute)/.test(name)) return 'write'
  if (service === 'rds-db' || service === 'rds-data') return 'both'
  return 'other'
}

/** Actions that grant control over IAM, i.e. privilege escalation when given broadly. */
export const PRIVILEGE_ESCALATION_ACTIONS = [
  'iam:PassRole',
  'iam:CreatePolicyVersion',
  'iam:SetDefaultPolicyVersion',
  'iam:AttachRolePolicy',
  'iam:AttachUserPolicy',
  'iam:PutRolePolicy',
  'iam:PutUserPolicy',
  'iam:CreateAccessKey',
  'iam:UpdateAssumeRolePolicy',
  'iam:CreateLoginProfile',
  'iam:UpdateLoginProfile',
]
