import type { Resource } from '../../../model/index.js'
import { statementsOf, type PolicyStatement } from '../../../inventory/index.js'
import type { CheckContext } from '../../types.js'

/** Resource policies attached to a resource (bucket, queue, topic, API) from policy resources. */
export function attachedPolicyStatements(r: Resource, ctx: CheckContext, policyType: string, docKey = 'PolicyDocument'): { statement: PolicyStatement; policy: Resource }[] {
  const out: { statement: PolicyStatement; policy: Resource }[] = []
  for (const p of ctx.view.related(r, { direction: 'in', kinds: ['attached'], types: [policyType] })) {
    for (const statement of statementsOf(p.props[docKey])) out.push({ statement, policy: p })
  }
  return out
}

/** Does a statement deny requests not made over TLS (`aws:SecureTransport` false)? */
export function deniesInsecureTransport(st: PolicyStatement, actionPrefix: string): boolean {
  if (st.effect !== 'Deny') return false
  const actionOk = st.actions.some((a) => a === '*' || a.toLowerCase() === `${actionPrefix}:*` || a.toLowerCase().startsWith(`${actionPrefix}:`))
  if (!actionOk) return false
  const principal = st.principal
  const everyone = principal === '*' || (principal && typeof principal === 'object' && JSON.stringify(principal).includes('"*"'))
  if (!everyone) return false
  const cond = st.condition ?? {}
  for (const [op, kv] of Object.entries(cond)) {
    if (!/^Bool(IfExists)?$/i.test(op) || !kv || typeof kv !== 'object') continue
    for (const [k, v] of Object.entries(kv)) {
      if (k.toLowerCase() === 'aws:securetransport' && (v === false || String(v).toLowerCase() === 'false' || (Array.isArray(v) && v.map(String).map((x) => x.toLowerCase()).includes('false')))) return true
    }
  }
  return false
}
