import { defineCheck, fail, manual, pass } from '../define-check.js'
import { bool, describe } from './lib/values.js'

const SETTINGS = ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'] as const

/** The account-wide Block Public Access settings override any bucket that is, or later becomes, public. */
export default defineCheck({
  id: 'aws/s3-account-public-access-block',
  title: 'Account-level S3 Block Public Access has all four settings on',
  severity: 'high',
  resourceKinds: ['aws:account:s3-public-access-block'],
  rationale:
    'Bucket-level settings protect one bucket at a time and can be turned off with that bucket; the account-level settings stop a public ACL or bucket policy from taking effect on any bucket in the account, including buckets created later by hand or by tools that do not set them.',
  remediation: {
    text: 'Turn on all four account-level Block Public Access settings (in every account of the organization; an SCP can stop them being turned off). If one bucket must serve public content, serve it through CloudFront with origin access control instead.',
    terraform: 'resource "aws_s3_account_public_access_block" "this" { block_public_acls = true  ignore_public_acls = true  block_public_policy = true  restrict_public_buckets = true }',
    cli: 'aws s3control put-public-access-block --account-id ACCOUNT_ID --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true',
  },
  controls: { csf: ['PR.AC-4', 'PR.DS-5', 'PR.PT-3'], hipaa: ['164.308(a)(3)', '164.308(a)(4)(ii)(A)', '164.312(a)(1)'], ferpa: ['FERPA-ACCESS-CONTROL', 'FERPA-SECURE-CONFIGURATIONS'] },
  references: { awsConfig: ['S3_ACCOUNT_LEVEL_PUBLIC_ACCESS_BLOCKS_PERIODIC'], prowler: ['s3_account_level_public_access_blocks'] },
  evaluate(pab) {
    const who = pab.account ? `Account ${pab.account}` : `Account setting ${pab.name}`
    const configured = bool(pab.props['Configured'], true)
    if (configured === undefined) return manual(`${who} S3 Block Public Access state is ${describe(pab.props['Configured'])}, unknown at scan time.`, { path: 'Configured' })
    if (!configured) return fail(`${who} has no account-level S3 Block Public Access configuration.`, { path: 'Configured' })
    const values = SETTINGS.map((k) => [k, bool(pab.props[k], false)] as const)
    const unknown = values.filter(([, v]) => v === undefined).map(([k]) => k)
    const off = values.filter(([, v]) => v === false).map(([k]) => k)
    if (off.length) return fail(`${who} has account-level S3 Block Public Access settings off: ${off.join(', ')}.`, { path: off[0], evidence: { off } })
    if (unknown.length) return manual(`${who} takes account-level S3 Block Public Access settings ${unknown.join(', ')} from values unknown at scan time.`, { path: unknown[0] })
    return pass(`${who} has all four account-level S3 Block Public Access settings on.`)
  },
})
