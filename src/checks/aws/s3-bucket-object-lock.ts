import type { Resource } from '../../model/index.js'
import { defineCheck, fail, manual, pass } from '../define-check.js'
import type { CheckContext } from '../types.js'
import { accessLogSources, logBucketByName, trailSources } from './lib/s3-logging.js'
import { at, bool, describe, isObj, isUnknown } from './lib/values.js'

function isAuditBucket(bucket: Resource, ctx: CheckContext): boolean {
  return trailSources(bucket, ctx).length > 0 || accessLogSources(bucket, ctx).length > 0 || logBucketByName(bucket) !== undefined
}

/** Audit logs cannot be altered or deleted during their retention period, even by an administrator. */
export default defineCheck({
  id: 'aws/s3-bucket-object-lock',
  title: 'Audit log bucket locks log files with S3 Object Lock',
  severity: 'medium',
  resourceKinds: ['aws:s3:bucket'],
  rationale:
    'An intruder who reaches the account deletes or rewrites the CloudTrail and access logs that would show what they did; Object Lock with a default retention makes each log file immutable for the retention period (COMPLIANCE mode: even for root). Applies to buckets that receive CloudTrail logs or server access logs, or are named or tagged as audit/log buckets. S3 cannot deliver server access logs to a bucket with Object Lock, so those destinations are judged for that conflict instead.',
  remediation: {
    text: 'Create the log bucket with Object Lock on and a default retention (GOVERNANCE or COMPLIANCE) of at least your log retention period (six years is common in HIPAA programs); keep server access logs in a separate bucket without Object Lock.',
    cloudformation: 'ObjectLockEnabled: true\nObjectLockConfiguration: { ObjectLockEnabled: Enabled, Rule: { DefaultRetention: { Mode: COMPLIANCE, Years: 6 } } }',
    terraform: 'resource "aws_s3_bucket" "trail" { bucket = "…"  object_lock_enabled = true }\nresource "aws_s3_bucket_object_lock_configuration" "trail" { bucket = aws_s3_bucket.trail.id  rule { default_retention { mode = "COMPLIANCE"  years = 6 } } }',
  },
  controls: { csf: ['PR.PT-1', 'PR.DS-6', 'PR.IP-4'], hipaa: ['164.312(b)', '164.312(c)(1)', '164.308(a)(1)(ii)(D)'], ferpa: ['FERPA-AUDIT-MONITORING'] },
  references: { awsConfig: ['S3_BUCKET_DEFAULT_LOCK_ENABLED'], prowler: ['s3_bucket_object_lock'] },
  appliesTo: isAuditBucket,
  evaluate(bucket, ctx) {
    const trails = trailSources(bucket, ctx)
    const logSources = accessLogSources(bucket, ctx)
    const flag = bucket.props['ObjectLockEnabled']
    const cfgFlag = at(bucket.props, 'ObjectLockConfiguration.ObjectLockEnabled')
    if (isUnknown(flag) || isUnknown(cfgFlag)) return manual(`S3 bucket ${bucket.name} takes its Object Lock setting from ${describe(isUnknown(flag) ? flag : cfgFlag)}, unknown at scan time.`, { path: isUnknown(flag) ? 'ObjectLockEnabled' : 'ObjectLockConfiguration' })
    const locked = bool(flag, false) === true || cfgFlag === 'Enabled'
    const purpose = trails.length ? `receives CloudTrail logs from ${trails.map((t) => t.name).join(', ')}` : logSources.length ? `receives server access logs of ${logSources.map((s) => s.name).join(', ')}` : `is an audit/log bucket by its ${logBucketByName(bucket)}`
    if (logSources.length) {
      if (locked) return fail(`S3 bucket ${bucket.name} receives server access logs of ${logSources.map((s) => s.name).join(', ')} but has Object Lock on; S3 does not deliver server access logs to such a bucket, so they are lost.`, { path: 'ObjectLockEnabled', evidence: { logSources: logSources.map((s) => s.id) } })
      if (trails.length) return fail(`S3 bucket ${bucket.name} receives both CloudTrail logs and server access logs, so it cannot use Object Lock; keep the trail logs in a separate locked bucket.`, { path: 'LoggingConfiguration', evidence: { trails: trails.map((t) => t.id), logSources: logSources.map((s) => s.id) } })
      return pass(`S3 bucket ${bucket.name} receives server access logs, which S3 cannot deliver to a bucket with Object Lock; protect it with versioning and a policy that denies deletes instead.`, { notApplicable: 'server access log destination' })
    }
    if (!locked) return fail(`S3 bucket ${bucket.name} ${purpose}, but has no Object Lock, so its log files can be deleted or overwritten.`, { path: 'ObjectLockEnabled', evidence: { reason: purpose } })
    const retention = at(bucket.props, 'ObjectLockConfiguration.Rule.DefaultRetention')
    if (!isObj(retention) || (retention['Days'] === undefined && retention['Years'] === undefined)) {
      return fail(`S3 bucket ${bucket.name} has Object Lock on but no default retention; log delivery does not set a retention on each file, so nothing is locked.`, { path: 'ObjectLockConfiguration', evidence: { reason: purpose } })
    }
    const period = retention['Years'] !== undefined ? `${describe(retention['Years'])} years` : `${describe(retention['Days'])} days`
    return pass(`S3 bucket ${bucket.name} ${purpose} and locks each file for ${period} in ${describe(retention['Mode'])} mode.`, { mode: retention['Mode'], period })
  },
})
