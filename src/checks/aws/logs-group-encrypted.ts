import { defineCheck, fail, pass } from '../define-check.js'
import { present, subject } from './lib/judge.js'
import { describe } from './lib/values.js'

/** Application and audit logs, which often capture identifiers and request bodies, are encrypted with a KMS key. */
export default defineCheck({
  id: 'aws/logs-group-encrypted',
  title: 'CloudWatch log group is encrypted with a KMS key',
  severity: 'medium',
  resourceKinds: ['aws:logs:log-group'],
  rationale:
    'Logs end up holding PHI: a logged request body, an error with a patient name, a query string with a medical record number. Without KmsKeyId they are encrypted only with a service-owned key, so any principal with logs:GetLogEvents reads them and their use leaves no KMS audit trail; a KMS key adds a key policy and the ability to revoke access.',
  remediation: {
    text: 'Set KmsKeyId to a customer managed key whose policy allows logs.<region>.amazonaws.com to use it for this log group.',
    cloudformation: 'KmsKeyId: !GetAtt LogsKey.Arn',
    terraform: 'kms_key_id = aws_kms_key.logs.arn',
  },
  controls: { csf: ['PR.DS-1'], hipaa: ['164.312(a)(2)(iv)', '164.312(b)'], ferpa: ['FERPA-DATA-ENCRYPTION'] },
  references: { cdkNag: ['HIPAA.Security-CloudWatchLogGroupEncrypted'], prowler: ['cloudwatch_log_group_kms_encryption_enabled'] },
  evaluate(group) {
    const key = group.props['KmsKeyId']
    if (present(key) !== false) return pass(`${subject(group)} is encrypted with KMS key ${describe(key)}.`)
    return fail(`${subject(group)} is not encrypted with a KMS key.`)
  },
})
