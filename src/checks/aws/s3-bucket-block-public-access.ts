import { defineCheck, fail, pass } from '../define-check.js'
import { publicAccessBlock } from './lib/s3.js'

/** Block Public Access is the guard that stays on when a later change adds a public ACL or policy. */
export default defineCheck({
  id: 'aws/s3-bucket-block-public-access',
  title: 'S3 bucket has all four Block Public Access settings on',
  severity: 'high',
  resourceKinds: ['aws:s3:bucket'],
  rationale: 'Without Block Public Access, one mistaken ACL or bucket policy change makes PHI public; the settings stop that change from taking effect.',
  remediation: {
    text: 'Set BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy and RestrictPublicBuckets to true (or leave PublicAccessBlockConfiguration out of new buckets, where S3 turns them on).',
    cloudformation: 'PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true }',
    cli: 'aws s3api put-public-access-block --bucket BUCKET --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true',
  },
  controls: { csf: ['PR.AC-4', 'PR.DS-5', 'PR.PT-3'], hipaa: ['164.308(a)(3)', '164.308(a)(4)(ii)(A)', '164.312(a)(1)'], ferpa: ['FERPA-ACCESS-CONTROL', 'FERPA-SECURE-CONFIGURATIONS'] },
  references: { cdkNag: ['HIPAA.Security-S3BucketLevelPublicAccessProhibited'], prowler: ['s3_bucket_level_public_access_block'] },
  evaluate(bucket) {
    const bpa = publicAccessBlock(bucket)
    const off = (['blockPublicAcls', 'ignorePublicAcls', 'blockPublicPolicy', 'restrictPublicBuckets'] as const).filter((k) => bpa[k] !== true)
    if (off.length === 0) {
      return pass(
        bpa.source === 'default'
          ? `S3 bucket ${bucket.name} leaves Block Public Access at the S3 default for new buckets (all four on).`
          : `S3 bucket ${bucket.name} has all four Block Public Access settings on.`,
        { source: bpa.source },
      )
    }
    return fail(`S3 bucket ${bucket.name} has Block Public Access settings off: ${off.join(', ')}.`, { path: 'PublicAccessBlockConfiguration', evidence: { off, source: bpa.source } })
  },
})
