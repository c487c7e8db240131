import { defineCheck, fail, manual, pass } from '../define-check.js'
import { objectOwnership } from './lib/s3-logging.js'
import { describe, isUnknown } from './lib/values.js'

// canned ACLs that grant nobody but the owner, which S3 accepts with ACLs disabled
const OWNER_ONLY_ACLS = new Set(['Private', 'BucketOwnerFullControl'])

/** Access to a bucket is decided by policies alone: ACLs are disabled (Object Ownership BucketOwnerEnforced). */
export default defineCheck({
  id: 'aws/s3-bucket-acl-disabled',
  title: 'S3 bucket has ACLs disabled (Object Ownership BucketOwnerEnforced)',
  severity: 'medium',
  resourceKinds: ['aws:s3:bucket'],
  rationale:
    'With ACLs enabled, every object carries its own access list that bucket policies and IAM reviews do not show; one uploader setting public-read or granting another account exposes a patient file, and objects written by other accounts are not even owned by you. BucketOwnerEnforced disables ACLs so the bucket policy is the whole story. New buckets get it by default since April 2023; older buckets keep ACLs until changed.',
  remediation: {
    text: 'Set Object Ownership to BucketOwnerEnforced, after moving any access granted by ACLs into the bucket policy (log-delivery ACLs: grant logging.s3.amazonaws.com in the policy instead).',
    cloudformation: 'OwnershipControls: { Rules: [ { ObjectOwnership: BucketOwnerEnforced } ] }',
    terraform: 'resource "aws_s3_bucket_ownership_controls" "b" { bucket = aws_s3_bucket.b.id  rule { object_ownership = "BucketOwnerEnforced" } }',
    cli: 'aws s3api put-bucket-ownership-controls --bucket BUCKET --ownership-controls Rules=[{ObjectOwnership=BucketOwnerEnforced}]',
  },
  controls: { csf: ['PR.AC-4', 'PR.PT-3'], hipaa: ['164.308(a)(4)(ii)(B)', '164.312(a)(1)'], ferpa: ['FERPA-ACCESS-CONTROL', 'FERPA-SECURE-CONFIGURATIONS'] },
  references: { awsConfig: ['S3_BUCKET_ACL_PROHIBITED'], prowler: ['s3_bucket_acl_prohibited'] },
  evaluate(bucket) {
    const own = objectOwnership(bucket)
    if (isUnknown(own.value)) return manual(`S3 bucket ${bucket.name} takes its Object Ownership from ${describe(own.value)}, unknown at scan time.`, { path: 'OwnershipControls' })
    const acl = bucket.props['AccessControl']
    if (own.value === 'BucketOwnerEnforced') {
      if (typeof acl === 'string' && !OWNER_ONLY_ACLS.has(acl)) {
        // S3 rejects such an ACL on a bucket with ACLs disabled: the template asks for ACLs
        return fail(`S3 bucket ${bucket.name} sets the ${acl} ACL, which needs ACLs enabled (S3 rejects it under BucketOwnerEnforced).`, { path: 'AccessControl', evidence: { accessControl: acl, objectOwnership: own.value, source: own.source } })
      }
      return pass(
        own.source === 'default' ? `S3 bucket ${bucket.name} leaves Object Ownership at the S3 default for new buckets (BucketOwnerEnforced, ACLs disabled).` : `S3 bucket ${bucket.name} has ACLs disabled (BucketOwnerEnforced).`,
        { source: own.source },
      )
    }
    if (own.source === 'absent') return fail(`S3 bucket ${bucket.name} has no Object Ownership setting, so its ACLs are in effect.`, { evidence: { source: own.source } })
    return fail(`S3 bucket ${bucket.name} has ACLs enabled (Object Ownership ${describe(own.value)}).`, { path: 'OwnershipControls', evidence: { objectOwnership: own.value } })
  },
})
