import { statementAllows, statementsOf } from '../../inventory/index.js'
import { defineCheck, fail, pass } from '../define-check.js'
import type { CheckResult } from '../types.js'
import { IAM_POLICY_KINDS, allResourcesEntry, iamKindLabel } from './lib/iam-actions.js'
import { iamPolicyDocuments } from './lib/iam.js'

function passedToService(condition: Record<string, Record<string, unknown>> | undefined): string[] {
  const out: string[] = []
  for (const kv of Object.values(condition ?? {})) {
    if (!kv || typeof kv !== 'object') continue
    for (const [k, v] of Object.entries(kv)) if (k.toLowerCase() === 'iam:passedtoservice') out.push(...(Array.isArray(v) ? v : [v]).map(String))
  }
  return out
}

/** A principal can hand only specific roles to AWS services, never any role in the account. */
export default defineCheck({
  id: 'aws/iam-policy-no-passrole-on-all',
  title: 'IAM policy does not allow iam:PassRole on all roles',
  severity: 'high',
  resourceKinds: IAM_POLICY_KINDS,
  rationale:
    'iam:PassRole on "*" lets the principal give any role in the account — including administrator roles — to a Lambda function, EC2 instance or Glue job it creates, and then act with that role: a classic privilege escalation path to every PHI store. An iam:PassedToService condition limits the service, not the roles. Full "*" on "*" is reported by aws/iam-policy-no-admin-access.',
  remediation: {
    text: 'List the ARNs of the roles the principal must pass (for example the execution role of the functions a deploy pipeline creates) and keep an iam:PassedToService condition.',
    cloudformation: '{ Effect: Allow, Action: iam:PassRole, Resource: !GetAtt IntakeFunctionRole.Arn, Condition: { StringEquals: { iam:PassedToService: lambda.amazonaws.com } } }',
  },
  controls: { csf: ['PR.AC-4', 'PR.PT-3'], hipaa: ['164.308(a)(3)', '164.308(a)(4)(ii)(B)', '164.312(a)(1)'], ferpa: ['FERPA-ACCESS-CONTROL'] },
  references: { prowler: ['iam_policy_allows_privilege_escalation', 'iam_inline_policy_allows_privilege_escalation'] },
  evaluate(r) {
    const results: CheckResult[] = []
    const label = `${iamKindLabel(r.type)} ${r.name}`
    for (const doc of iamPolicyDocuments(r)) {
      for (const st of statementsOf(doc.document)) {
        if (!statementAllows(st, 'iam:PassRole')) continue
        const allRes = allResourcesEntry(st)
        if (!allRes) continue
        const everything = st.actions.includes('*') || (st.actions.length === 0 && st.notActions.length > 0)
        if (everything && allRes === '*') continue
        const services = passedToService(st.condition)
        results.push(
          fail(`${label} allows iam:PassRole on ${allRes === '*' ? 'every role ("*")' : allRes} in ${doc.label}${st.sid ? ` (statement ${st.sid})` : ''}${services.length ? `; the iam:PassedToService condition (${services.join(', ')}) limits the service, not the roles` : ''}.`, {
            path: doc.path,
            evidence: { policy: doc.label, sid: st.sid, actions: st.actions, resource: allRes, passedToService: services },
          }),
        )
      }
    }
    return results.length ? results : pass(`${label} does not allow iam:PassRole on all roles.`)
  },
})
