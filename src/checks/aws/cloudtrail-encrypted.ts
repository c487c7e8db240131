import { defineCheck, fail, pass } from '../define-check.js'
import { present, subject } from './lib/judge.js'
import { describe } from './lib/values.js'

/** Audit logs, which reveal who touched which patient data, are readable only by those allowed to use the trail key. */
export default defineCheck({
  id: 'aws/cloudtrail-encrypted',
  title: 'CloudTrail trail encrypts its log files with a KMS key',
  severity: 'medium',
  resourceKinds: ['aws:cloudtrail:trail'],
  rationale:
    'Without KMSKeyId, log files are encrypted only with S3-managed keys, so anyone with s3:GetObject on the log bucket reads the full account activity: resource names, IP addresses, request parameters that may include identifiers. SSE-KMS adds a key policy and a record of every decryption.',
  remediation: {
    text: 'Set KMSKeyId to a customer managed key whose policy lets cloudtrail.amazonaws.com encrypt and only the security team decrypt.',
    cloudformation: 'KMSKeyId: !Ref TrailKey',
    terraform: 'kms_key_id = aws_kms_key.trail.arn',
  },
  controls: { csf: ['PR.DS-1', 'PR.PT-1'], hipaa: ['164.312(a)(2)(iv)', '164.312(b)'], ferpa: ['FERPA-DATA-ENCRYPTION', 'FERPA-AUDIT-MONITORING'] },
  references: { awsConfig: ['CLOUD_TRAIL_ENCRYPTION_ENABLED'], cdkNag: ['HIPAA.Security-CloudTrailEncryptionEnabled'], prowler: ['cloudtrail_kms_encryption_enabled'] },
  evaluate(trail) {
    const key = trail.props['KMSKeyId']
    if (present(key) !== false) return pass(`${subject(trail)} encrypts its log files with KMS key ${describe(key)}.`)
    return fail(`${subject(trail)} does not encrypt its log files with a KMS key.`)
  },
})
