import { actionMatches, conditionNarrowsPrincipal, principalIsPublic, type PolicyStatement } from '../../../inventory/index.js'
import type { Resource } from '../../../model/index.js'
import type { CheckContext } from '../../types.js'
import { attachedPolicyStatements } from './policy-docs.js'

/**
 * Statements of a resource's attached policies (queue, topic) that let everyone — any principal,
 * with no source account, organisation, VPC endpoint or ARN condition — perform one of the actions.
 */
export function publicStatements(r: Resource, ctx: CheckContext, policyType: string, actions: string[]): { statement: PolicyStatement; policy: Resource }[] {
  return attachedPolicyStatements(r, ctx, policyType).filter(({ statement }) => {
    if (statement.effect !== 'Allow' || !principalIsPublic(statement.principal)) return false
    if (conditionNarrowsPrincipal(statement.condition)) return false
    return statement.actions.some((pattern) => actions.some((a) => actionMatches(pattern, a)))
  })
}
