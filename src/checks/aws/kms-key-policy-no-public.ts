import { conditionNarrowsPrincipal, principalIsPublic, statementsOf } from '../../inventory/index.js'
import { defineCheck, fail, manual, pass } from '../define-check.js'
import type { CheckResult } from '../types.js'
import { allowedOf } from './lib/iam-actions.js'
import { describe, isUnknown } from './lib/values.js'

// KMS actions whose grant to everyone exposes data or the key itself
const SENSITIVE = ['kms:Decrypt', 'kms:ReEncryptFrom', 'kms:GenerateDataKey', 'kms:CreateGrant', 'kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion', 'kms:DisableKey', 'kms:Encrypt', 'kms:DescribeKey', 'kms:GetKeyPolicy']

/** A key policy never lets anyone outside named principals use or manage the key. */
export default defineCheck({
  id: 'aws/kms-key-policy-no-public',
  title: 'KMS key policy does not grant access to everyone',
  severity: 'critical',
  resourceKinds: ['aws:kms:key'],
  rationale:
    'A key policy statement with Principal "*" and no condition that ties it to your account or organization lets any AWS account use the key: decrypt the PHI it protects wherever the ciphertext leaks (snapshots, backups, exports), create grants, or even change the policy and schedule the key for deletion.',
  remediation: {
    text: 'Name the principals (the account root to delegate to IAM, specific roles) instead of "*", or keep "*" only with conditions such as kms:CallerAccount, kms:ViaService or aws:PrincipalOrgID that limit it to your callers.',
    cloudformation: '{ Effect: Allow, Principal: { AWS: "*" }, Action: [kms:Decrypt], Resource: "*", Condition: { StringEquals: { kms:CallerAccount: !Ref AWS::AccountId, kms:ViaService: !Sub "s3.${AWS::Region}.amazonaws.com" } } }',
  },
  controls: { csf: ['PR.AC-4', 'PR.DS-1', 'PR.DS-5'], hipaa: ['164.312(a)(1)', '164.312(a)(2)(iv)', '164.308(a)(4)(ii)(B)'], ferpa: ['FERPA-ACCESS-CONTROL', 'FERPA-DATA-ENCRYPTION'] },
  references: { prowler: ['kms_key_not_publicly_accessible'] },
  evaluate(key) {
    const doc = key.props['KeyPolicy']
    if (isUnknown(doc)) return manual(`KMS key ${key.name} takes its key policy from ${describe(doc)}, unknown at scan time.`, { path: 'KeyPolicy' })
    const results: CheckResult[] = []
    for (const st of statementsOf(doc)) {
      if (st.effect !== 'Allow' || !principalIsPublic(st.principal) || conditionNarrowsPrincipal(st.condition)) continue
      const allowed = allowedOf(st, SENSITIVE)
      if (!allowed.length) continue
      results.push(fail(`KMS key ${key.name} lets any AWS principal use ${allowed.join(', ')} (key policy statement ${st.sid ?? 'without Sid'} has Principal "*" and no account or organization condition).`, { path: 'KeyPolicy', evidence: { sid: st.sid, actions: st.actions } }))
    }
    return results.length ? results : pass(`KMS key ${key.name} policy grants access only to named principals or narrowed callers.`)
  },
})
