import { defineCheck, fail, manual, pass } from '../define-check.js'
import { at, describe, isUnknown, list } from './lib/values.js'

/** PHI at rest is encrypted with a key whose use is logged and whose access can be revoked. */
export default defineCheck({
  id: 'aws/s3-bucket-default-encryption-kms',
  title: 'S3 bucket encrypts objects by default with AWS KMS',
  severity: 'high',
  resourceKinds: ['aws:s3:bucket'],
  rationale: 'SSE-S3 encrypts data but every principal with s3:GetObject can read it; SSE-KMS adds a key policy, CloudTrail records of every decrypt, and the ability to revoke access to PHI by disabling the key.',
  remediation: {
    text: 'Set default encryption to aws:kms (or aws:kms:dsse) with a customer managed key, and turn on S3 Bucket Keys to cut KMS cost.',
    cloudformation: 'BucketEncryption: { ServerSideEncryptionConfiguration: [ { ServerSideEncryptionByDefault: { SSEAlgorithm: aws:kms, KMSMasterKeyID: !Ref PhiKey }, BucketKeyEnabled: true } ] }',
    terraform: 'resource "aws_s3_bucket_server_side_encryption_configuration" "b" { bucket = aws_s3_bucket.b.id  rule { apply_server_side_encryption_by_default { sse_algorithm = "aws:kms"  kms_master_key_id = aws_kms_key.phi.arn } bucket_key_enabled = true } }',
  },
  controls: { csf: ['PR.DS-1'], hipaa: ['164.312(a)(2)(iv)', '164.312(e)(2)(ii)'], ferpa: ['FERPA-DATA-ENCRYPTION'] },
  references: { awsConfig: ['S3_DEFAULT_ENCRYPTION_KMS', 'S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED'], cdkNag: ['HIPAA.Security-S3DefaultEncryptionKMS'], prowler: ['s3_bucket_kms_encryption', 's3_bucket_default_encryption'] },
  evaluate(bucket, ctx) {
    const rules = list(at(bucket.props, 'BucketEncryption.ServerSideEncryptionConfiguration'))
    if (rules.length === 0) {
      return fail(`S3 bucket ${bucket.name} has no default encryption configured, so objects get SSE-S3, not KMS.`, { path: 'BucketEncryption' })
    }
    const algo = at(rules[0], 'ServerSideEncryptionByDefault.SSEAlgorithm')
    if (isUnknown(algo)) return manual(`S3 bucket ${bucket.name} takes its encryption algorithm from ${describe(algo)}, unknown at scan time.`, { path: 'BucketEncryption.ServerSideEncryptionConfiguration.0' })
    if (algo === 'aws:kms' || algo === 'aws:kms:dsse') {
      const key = at(rules[0], 'ServerSideEncryptionByDefault.KMSMasterKeyID')
      return pass(`S3 bucket ${bucket.name} encrypts objects with ${String(algo)}${key === undefined ? ' and the AWS managed key aws/s3' : ''}.`, { algorithm: algo, customerManagedKey: key !== undefined })
    }
    // S3 delivers server access logs only to buckets encrypted with SSE-S3: a bucket that receives
    // access logs and nothing else cannot use KMS
    const incoming = ctx.view.edgesOf(bucket, 'in', ['writes'])
    if (algo === 'AES256' && incoming.length > 0 && incoming.every((e) => e.evidence === 'server access logs')) {
      return pass(`S3 bucket ${bucket.name} receives server access logs, which S3 delivers only to SSE-S3 buckets; AES256 is required here.`, { algorithm: algo })
    }
    return fail(`S3 bucket ${bucket.name} encrypts objects with ${describe(algo)}, not AWS KMS.`, { path: 'BucketEncryption.ServerSideEncryptionConfiguration.0', evidence: { algorithm: algo } })
  },
})
