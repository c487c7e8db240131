import { defineCheck, fail, pass } from '../define-check.js'
import { publicAccessBlock, publicAcl, publicGrants } from './lib/s3.js'

/** S3 buckets, which may hold PHI, are not readable by everyone. */
export default defineCheck({
  id: 'aws/s3-bucket-public-read',
  title: 'S3 bucket does not allow public read access',
  severity: 'critical',
  resourceKinds: ['aws:s3:bucket'],
  rationale: 'A bucket readable by everyone discloses every object in it, PHI included, to anyone who finds the bucket name.',
  remediation: {
    text: 'Remove public-read ACLs and public Allow statements from the bucket policy, and turn on all four Block Public Access settings.',
    cloudformation: 'PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true }',
    terraform: 'resource "aws_s3_bucket_public_access_block" "b" { bucket = aws_s3_bucket.b.id  block_public_acls = true  ignore_public_acls = true  block_public_policy = true  restrict_public_buckets = true }',
  },
  controls: { csf: ['PR.AC-3', 'PR.AC-4', 'PR.DS-5', 'PR.PT-3'], hipaa: ['164.308(a)(3)', '164.308(a)(4)(ii)(A)', '164.312(a)(1)', '164.312(e)(1)'], ferpa: ['FERPA-ACCESS-CONTROL'] },
  references: { awsConfig: ['S3_BUCKET_PUBLIC_READ_PROHIBITED'], cdkNag: ['HIPAA.Security-S3BucketPublicReadProhibited'], prowler: ['s3_bucket_public_access', 's3_bucket_policy_public_write_access'] },
  evaluate(bucket, ctx) {
    const bpa = publicAccessBlock(bucket)
    const acl = publicAcl(bucket)
    // S3 counts grants to the AuthenticatedUsers group (any AWS account, AuthenticatedRead) as public, like AllUsers
    if (acl && !bpa.ignorePublicAcls) {
      const who = acl === 'authenticated' ? 'every AWS account' : 'everyone'
      return fail(`S3 bucket ${bucket.name} grants read to ${who} through its ${bucket.props['AccessControl']} ACL.`, { path: 'AccessControl', evidence: { accessControl: bucket.props['AccessControl'] } })
    }
    const grants = publicGrants(bucket, ctx, ['s3:GetObject', 's3:GetObjectVersion', 's3:ListBucket'])
    if (grants.length && !bpa.restrictPublicBuckets && !bpa.blockPublicPolicy) {
      const g = grants[0]!
      return fail(`S3 bucket ${bucket.name} is readable by everyone through bucket policy ${g.policy.name}.`, { evidence: { policy: g.policy.id, actions: g.statement.actions } })
    }
    return pass(`S3 bucket ${bucket.name} does not allow public read access.`, { blockPublicAccess: bpa.source })
  },
})
