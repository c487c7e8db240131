import { defineCheck, fail, manual, pass } from '../define-check.js'
import { at, describe, isUnknown } from './lib/values.js'

/** Overwritten or deleted objects can be recovered: the bucket keeps prior versions. */
export default defineCheck({
  id: 'aws/s3-bucket-versioning',
  title: 'S3 bucket keeps object versions',
  severity: 'medium',
  resourceKinds: ['aws:s3:bucket'],
  rationale: 'Without versioning, an overwrite or delete — a bug, a compromised credential, ransomware re-encrypting objects — destroys the only copy of a patient document; HIPAA asks for retrievable exact copies of ePHI and protection against improper alteration.',
  remediation: {
    text: 'Turn versioning on, and add a lifecycle rule that expires noncurrent versions after your retention period so old copies of PHI do not pile up.',
    cloudformation: 'VersioningConfiguration: { Status: Enabled }',
    terraform: 'resource "aws_s3_bucket_versioning" "b" { bucket = aws_s3_bucket.b.id  versioning_configuration { status = "Enabled" } }',
    cli: 'aws s3api put-bucket-versioning --bucket BUCKET --versioning-configuration Status=Enabled',
  },
  controls: { csf: ['PR.IP-4', 'PR.DS-1'], hipaa: ['164.308(a)(7)(ii)(A)', '164.310(d)(2)(iv)', '164.312(c)(1)'], ferpa: ['FERPA-DATA-BACKUP'] },
  references: { awsConfig: ['S3_BUCKET_VERSIONING_ENABLED'], cdkNag: ['HIPAA.Security-S3BucketVersioningEnabled'], prowler: ['s3_bucket_object_versioning'] },
  evaluate(bucket) {
    const status = at(bucket.props, 'VersioningConfiguration.Status')
    if (isUnknown(status)) return manual(`S3 bucket ${bucket.name} takes its versioning status from ${describe(status)}, unknown at scan time.`, { path: 'VersioningConfiguration.Status' })
    if (status === 'Enabled') return pass(`S3 bucket ${bucket.name} keeps object versions.`)
    // Object Lock turns versioning on and keeps it on
    if (bucket.props['ObjectLockEnabled'] === true || bucket.props['ObjectLockEnabled'] === 'true') return pass(`S3 bucket ${bucket.name} keeps object versions (Object Lock requires versioning).`)
    if (status === 'Suspended') return fail(`S3 bucket ${bucket.name} has versioning suspended.`, { path: 'VersioningConfiguration.Status', evidence: { status } })
    return fail(`S3 bucket ${bucket.name} does not keep object versions.`, { path: status === undefined ? 'VersioningConfiguration' : 'VersioningConfiguration.Status', evidence: { status: status ?? 'not set' } })
  },
})
