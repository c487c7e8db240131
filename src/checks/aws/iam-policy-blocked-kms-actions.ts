import { statementsOf, type PolicyStatement } from '../../inventory/index.js'
import { defineCheck, fail, pass } from '../define-check.js'
import type { CheckResult } from '../types.js'
import { IAM_POLICY_KINDS, allowedOf, iamKindLabel, scopingConditionKeys } from './lib/iam-actions.js'
import { iamPolicyDocuments } from './lib/iam.js'

// the blocked action patterns of the HIPAA conformance pack: kms:*, kms:Decrypt, kms:ReEncrypt*
const BLOCKED = ['kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo']

/** Does a statement apply to every KMS key (`*`, `arn:aws:kms:*:*:key/*`, an account's `key/*` or `alias/*`)? */
function allKeys(st: PolicyStatement): string | undefined {
  if (st.resources.length === 0 && st.notResources.length > 0) return 'NotResource'
  for (const r of st.resources) {
    if (r === '*') return r
    if (typeof r === 'string' && /^arn:[^:]*:kms:[^:]*:[^:]*:(\*|key\/\*|alias\/\*)$/.test(r)) return r
  }
  return undefined
}

/** Identity policies do not let a principal decrypt with every KMS key in the account. */
export default defineCheck({
  id: 'aws/iam-policy-blocked-kms-actions',
  title: 'IAM policy does not allow kms:Decrypt or kms:ReEncrypt on all KMS keys',
  severity: 'high',
  resourceKinds: IAM_POLICY_KINDS,
  rationale:
    'KMS keys are the last control in front of encrypted PHI: a principal that may decrypt with every key can read any encrypted table, bucket object, secret or backup it can fetch, and key policies that allow IAM-based access (the default) honour that grant. Conditions such as kms:ViaService or resource tags that scope the keys are accepted. Full "*" on "*" is reported by aws/iam-policy-no-admin-access.',
  remediation: {
    text: 'Grant kms:Decrypt (and kms:ReEncrypt*) only on the ARNs of the keys the principal needs, or scope the statement with kms:ViaService (decrypt only through, say, Secrets Manager or DynamoDB) or aws:ResourceTag conditions.',
    cloudformation: '{ Effect: Allow, Action: kms:Decrypt, Resource: !GetAtt PhiTableKey.Arn, Condition: { StringEquals: { kms:ViaService: !Sub "dynamodb.${AWS::Region}.amazonaws.com" } } }',
  },
  controls: { csf: ['PR.AC-4', 'PR.DS-1'], hipaa: ['164.312(a)(1)', '164.312(a)(2)(iv)', '164.308(a)(4)(ii)(B)'], ferpa: ['FERPA-ACCESS-CONTROL', 'FERPA-DATA-ENCRYPTION'] },
  references: { awsConfig: ['IAM_CUSTOMER_POLICY_BLOCKED_KMS_ACTIONS', 'IAM_INLINE_POLICY_BLOCKED_KMS_ACTIONS'], prowler: ['iam_policy_no_full_access_to_kms', 'iam_inline_policy_no_full_access_to_kms'] },
  evaluate(r) {
    const results: CheckResult[] = []
    const label = `${iamKindLabel(r.type)} ${r.name}`
    for (const doc of iamPolicyDocuments(r)) {
      for (const st of statementsOf(doc.document)) {
        const blocked = allowedOf(st, BLOCKED)
        if (!blocked.length) continue
        const keys = allKeys(st)
        if (!keys || scopingConditionKeys(st).length) continue
        const everything = st.actions.includes('*') || (st.actions.length === 0 && st.notActions.length > 0)
        if (everything && keys === '*') continue
        results.push(
          fail(`${label} allows ${blocked.join(', ')} on ${keys === '*' ? 'all KMS keys ("*")' : keys === 'NotResource' ? 'all KMS keys but those in NotResource' : keys} in ${doc.label}${st.sid ? ` (statement ${st.sid})` : ''}.`, {
            path: doc.path,
            evidence: { policy: doc.label, sid: st.sid, actions: st.actions, resource: keys },
          }),
        )
      }
    }
    return results.length ? results : pass(`${label} does not allow KMS decryption with all keys.`)
  },
})
