import { backupCoverage } from './lib/backup.js'
import { defineCheck, fail, manual, pass } from '../define-check.js'
import { at, describe, isObj, isUnknown, list } from './lib/values.js'

/** A copy of every PHI object exists outside the bucket, for recovery when the bucket or its Region is lost. */
export default defineCheck({
  id: 'aws/s3-bucket-replication',
  title: 'S3 bucket holding PHI replicates its objects (or is in an AWS Backup plan)',
  severity: 'medium',
  resourceKinds: ['aws:s3:bucket'],
  rationale:
    'Versioning protects against overwrites but not against losing the bucket, the Region or the account; HIPAA asks for retrievable exact copies of ePHI and a disaster recovery plan. Replication to another Region or account (or an AWS Backup plan that covers the bucket) provides that copy. Judged for buckets that hold PHI only.',
  remediation: {
    text: 'Add a replication rule to a bucket in another Region (ideally another account), with versioning on both sides and the destination encrypted with a KMS key there — or select the bucket in an AWS Backup plan with cross-Region copy.',
    cloudformation: 'ReplicationConfiguration: { Role: !GetAtt ReplicationRole.Arn, Rules: [ { Id: dr, Status: Enabled, Priority: 1, Filter: { Prefix: "" }, DeleteMarkerReplication: { Status: Disabled }, Destination: { Bucket: arn:aws:s3:::clinic-docs-dr-us-west-2 } } ] }',
    terraform: 'resource "aws_s3_bucket_replication_configuration" "dr" { bucket = aws_s3_bucket.docs.id  role = aws_iam_role.replication.arn  rule { id = "dr"  status = "Enabled"  destination { bucket = aws_s3_bucket.docs_dr.arn } } }',
  },
  controls: { csf: ['PR.IP-4', 'PR.IP-9', 'RC.RP-1'], hipaa: ['164.308(a)(7)(ii)(A)', '164.308(a)(7)(ii)(B)', '164.310(d)(2)(iv)'], ferpa: ['FERPA-DATA-BACKUP'] },
  references: { awsConfig: ['S3_BUCKET_REPLICATION_ENABLED'], cdkNag: ['HIPAA.Security-S3BucketReplicationEnabled'], prowler: ['s3_bucket_cross_region_replication'] },
  appliesTo: (bucket) => bucket.holdsPhi === 'yes',
  evaluate(bucket, ctx) {
    const rc = bucket.props['ReplicationConfiguration']
    if (isUnknown(rc)) return manual(`S3 bucket ${bucket.name} takes its replication configuration from ${describe(rc)}, unknown at scan time.`, { path: 'ReplicationConfiguration' })
    const rules = list(at(rc, 'Rules')).filter(isObj)
    const unknown = rules.find((r) => isUnknown(r['Status']))
    if (rules.some((r) => r['Status'] === 'Enabled')) {
      const dest = rules.map((r) => at(r, 'Destination.Bucket')).filter((d) => d !== undefined).map(describe)
      return pass(`S3 bucket ${bucket.name} replicates its objects${dest.length ? ` to ${dest.join(', ')}` : ''}.`, { destinations: dest })
    }
    if (unknown) return manual(`S3 bucket ${bucket.name} takes a replication rule status from ${describe(unknown['Status'])}, unknown at scan time.`, { path: 'ReplicationConfiguration.Rules' })
    // an AWS Backup selection covering the bucket (by ARN or by tag) gives the copy another way
    const coverage = backupCoverage(bucket, ctx)
    if (coverage.state === 'yes') return pass(`S3 bucket ${bucket.name} is copied by AWS Backup (${coverage.by ?? 'a backup selection'}).`, { backup: coverage.by })
    if (coverage.state === 'unknown') return manual(`S3 bucket ${bucket.name} may be copied by AWS Backup selections whose scope is unknown at scan time (${(coverage.unknownBy ?? []).join(', ')}).`)
    return fail(
      rules.length ? `S3 bucket ${bucket.name} holds PHI, but all its replication rules are disabled.` : `S3 bucket ${bucket.name} holds PHI but has no copy outside the bucket (no replication, no AWS Backup selection).`,
      { path: 'ReplicationConfiguration', evidence: { phi: bucket.evidence.phi.map((e) => e.detail) } },
    )
  },
})
