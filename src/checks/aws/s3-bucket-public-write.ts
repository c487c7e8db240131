import { defineCheck, fail, pass } from '../define-check.js'
import { publicAccessBlock, publicAcl, publicGrants } from './lib/s3.js'

/** Actions that change a bucket's content or its access rules. */
const WRITE_ACTIONS = ['s3:PutObject', 's3:DeleteObject', 's3:DeleteObjectVersion', 's3:PutObjectAcl', 's3:PutBucketPolicy', 's3:PutBucketAcl', 's3:DeleteBucket', 's3:DeleteBucketPolicy', 's3:RestoreObject', 's3:PutLifecycleConfiguration', 's3:PutBucketVersioning']

/** Nobody outside the account can upload, overwrite or delete objects in a bucket. */
export default defineCheck({
  id: 'aws/s3-bucket-public-write',
  title: 'S3 bucket does not allow public write access',
  severity: 'critical',
  resourceKinds: ['aws:s3:bucket'],
  rationale: 'A bucket anyone can write to can have patient documents overwritten or deleted, be filled with malware served from your domain, or have its policy replaced; with s3:PutBucketPolicy public, an attacker takes the bucket over.',
  remediation: {
    text: 'Remove the PublicReadWrite ACL and every public Allow of s3:Put*/Delete* from the bucket policy; grant write access to specific roles only, and keep all four Block Public Access settings on.',
    cloudformation: 'PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true }  — and no AccessControl: PublicReadWrite',
    terraform: 'resource "aws_s3_bucket_public_access_block" "b" { bucket = aws_s3_bucket.b.id  block_public_acls = true  ignore_public_acls = true  block_public_policy = true  restrict_public_buckets = true }',
    cli: 'aws s3api put-public-access-block --bucket BUCKET --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true',
  },
  controls: { csf: ['PR.AC-3', 'PR.AC-4', 'PR.DS-5', 'PR.PT-3'], hipaa: ['164.308(a)(3)', '164.308(a)(4)(ii)(A)', '164.312(a)(1)', '164.312(c)(1)'], ferpa: ['FERPA-ACCESS-CONTROL'] },
  references: { awsConfig: ['S3_BUCKET_PUBLIC_WRITE_PROHIBITED'], cdkNag: ['HIPAA.Security-S3BucketPublicWriteProhibited'], prowler: ['s3_bucket_policy_public_write_access', 's3_bucket_public_write_acl'] },
  evaluate(bucket, ctx) {
    const bpa = publicAccessBlock(bucket)
    if (publicAcl(bucket) === 'write' && !bpa.ignorePublicAcls) {
      return fail(`S3 bucket ${bucket.name} lets everyone write objects through its PublicReadWrite ACL.`, { path: 'AccessControl', evidence: { accessControl: 'PublicReadWrite', ignorePublicAcls: bpa.ignorePublicAcls } })
    }
    const grants = publicGrants(bucket, ctx, WRITE_ACTIONS)
    if (grants.length && !bpa.restrictPublicBuckets && !bpa.blockPublicPolicy) {
      const g = grants[0]!
      return fail(`S3 bucket ${bucket.name} lets everyone write through bucket policy ${g.policy.name} (${g.statement.actions.join(', ')}).`, {
        evidence: { policy: g.policy.id, sid: g.statement.sid, actions: g.statement.actions },
      })
    }
    return pass(`S3 bucket ${bucket.name} does not allow public write access.`, { blockPublicAccess: bpa.source })
  },
})
