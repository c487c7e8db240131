/** A synthesized resource before region and account are attached. */
export interface PolicyResource {
  type: string
  identifier: string
  properties: Record<string, unknown>
}

/** Condition keys of a Lambda resource policy that map to `AWS::Lambda::Permission` properties (keys compared case-insensitively, as IAM does). */
const PERMISSION_CONDITIONS: Record<string, string> = {
  'aws:sourcearn': 'SourceArn',
  'aws:sourceaccount': 'SourceAccount',
  'aws:principalorgid': 'PrincipalOrgID',
  'lambda:functionurlauthtype': 'FunctionUrlAuthType',
  'lambda:eventsourcetoken': 'EventSourceToken',
}

/**
 * Principal of a resource-policy statement in `AWS::Lambda::Permission` form: a service name
 * (`s3.amazonaws.com`), an account id, an ARN, or `*` for anyone. A statement naming several
 * principals gives several (a permission has one).
 */
export function permissionPrincipals(principal: unknown): string[] {
  if (principal === '*') return ['*']
  if (typeof principal === 'string') return [accountOf(principal)]
  if (!principal || typeof principal !== 'object' || Array.isArray(principal)) return []
  const out: string[] = []
  for (const [kind, value] of Object.entries(principal as Record<string, unknown>)) {
    for (const v of Array.isArray(value) ? value : [value]) {
      if (typeof v !== 'string') continue
      out.push(kind === 'AWS' ? accountOf(v) : v)
    }
  }
  return out
}

/** `arn:aws:iam::111122223333:root` is how Lambda writes the account principal `111122223333`. */
function accountOf(p: string): string {
  const m = /^arn:[^:]+:iam::(\d{12}):root$/.exec(p)
  return m ? m[1]! : p
}

/**
 * `AWS::Lambda::Permission` resources from a function's resource-based policy (GetPolicy), one
 * per statement and principal, shaped as CloudFormation writes them: FunctionName (the
 * function ARN, or the qualified ARN the statement names), Action, Principal, and SourceArn /
 * SourceAccount / PrincipalOrgID / FunctionUrlAuthType / EventSourceToken from the Condition
 * block. Deny statements grant nothing and are left out.
 */
export function lambdaPermissions(fn: { name: string; arn: string }, policy: unknown): PolicyResource[] {
  const doc = typeof policy === 'string' ? parseJson(policy) : policy
  if (!doc || typeof doc !== 'object') return []
  const statements = (doc as Record<string, unknown>)['Statement']
  const out: PolicyResource[] = []
  const used = new Set<string>()
  ;(Array.isArray(statements) ? statements : [statements]).forEach((st, i) => {
    if (!st || typeof st !== 'object' || Array.isArray(st)) return
    const s = st as Record<string, unknown>
    if (s['Effect'] === 'Deny') return
    const resource = typeof s['Resource'] === 'string' && s['Resource'].startsWith(fn.arn) ? s['Resource'] : fn.arn
    const action = Array.isArray(s['Action']) && s['Action'].length === 1 ? s['Action'][0] : s['Action']
    const conditions: Record<string, unknown> = {}
    const cond = s['Condition']
    if (cond && typeof cond === 'object') {
      for (const kv of Object.values(cond as Record<string, unknown>)) {
        if (!kv || typeof kv !== 'object') continue
        for (const [key, value] of Object.entries(kv as Record<string, unknown>)) {
          const prop = PERMISSION_CONDITIONS[key.toLowerCase()]
          if (prop) conditions[prop] = Array.isArray(value) && value.length === 1 ? value[0] : value
        }
      }
    }
    const principals = permissionPrincipals(s['Principal'])
    principals.forEach((principal, j) => {
      const sid = typeof s['Sid'] === 'string' && s['Sid'] ? s['Sid'] : `statement-${i + 1}`
      let id = `${fn.name}/${sid}${principals.length > 1 ? `-${j + 1}` : ''}`
      while (used.has(id)) id = `${id}-dup`
      used.add(id)
      out.push({
        type: 'AWS::Lambda::Permission',
        identifier: id,
        properties: { FunctionName: resource, Action: action ?? 'lambda:InvokeFunction', Principal: principal, ...conditions },
      })
    })
  })
  return out
}

/** A policy document as an object (the APIs return JSON text); text that does not parse stays text. */
export function policyDocument(text: string): unknown {
  return parseJson(text) ?? text
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}
