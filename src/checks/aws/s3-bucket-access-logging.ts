import { defineCheck, fail, manual, pass } from '../define-check.js'
import { accessLogSources } from './lib/s3-logging.js'
import { describe, isObj, isUnknown } from './lib/values.js'

/** Every request to a bucket is recorded: who read or changed which object, from where. */
export default defineCheck({
  id: 'aws/s3-bucket-access-logging',
  title: 'S3 bucket records server access logs',
  severity: 'medium',
  resourceKinds: ['aws:s3:bucket'],
  rationale: 'Server access logs record each request to a bucket — requester, object key, time, source IP, result — so a breach investigation can say which patient files were read; without them (or CloudTrail data events) access to PHI in S3 leaves no trace.',
  remediation: {
    text: 'Send server access logs to a dedicated log bucket in the same account and Region (not to the bucket itself, and not to a bucket with Object Lock, which S3 cannot deliver to). CloudTrail S3 data events are an alternative record of object-level access.',
    cloudformation: 'LoggingConfiguration: { DestinationBucketName: !Ref AccessLogBucket, LogFilePrefix: consent-forms/ }',
    terraform: 'resource "aws_s3_bucket_logging" "b" { bucket = aws_s3_bucket.b.id  target_bucket = aws_s3_bucket.logs.id  target_prefix = "consent-forms/" }',
  },
  controls: { csf: ['PR.PT-1', 'DE.AE-3', 'DE.CM-7'], hipaa: ['164.312(b)', '164.308(a)(1)(ii)(D)'], ferpa: ['FERPA-AUDIT-MONITORING'] },
  references: { awsConfig: ['S3_BUCKET_LOGGING_ENABLED'], cdkNag: ['HIPAA.Security-S3BucketLoggingEnabled'], prowler: ['s3_bucket_server_access_logging_enabled'] },
  evaluate(bucket, ctx) {
    const logging = bucket.props['LoggingConfiguration']
    if (isUnknown(logging)) return manual(`S3 bucket ${bucket.name} takes its logging configuration from ${describe(logging)}, unknown at scan time.`, { path: 'LoggingConfiguration' })
    if (isObj(logging)) {
      const dest = logging['DestinationBucketName']
      const destName = dest === undefined ? undefined : (ctx.view.refs(dest, bucket).find((r) => r.type === 'AWS::S3::Bucket')?.name ?? (typeof dest === 'string' ? dest : describe(dest)))
      // without a destination, S3 delivers the logs to the bucket itself
      return pass(`S3 bucket ${bucket.name} records server access logs ${destName === undefined ? 'into itself' : `to bucket ${destName}`}.`, { destination: destName ?? 'self' })
    }
    const sources = accessLogSources(bucket, ctx)
    if (sources.length) {
      // logging a log bucket into another log bucket only moves the question; AWS advises against logging the destination
      return pass(`S3 bucket ${bucket.name} is the access-log destination of ${sources.map((s) => s.name).join(', ')}; a log bucket need not log its own access.`, { logDestinationFor: sources.map((s) => s.id) })
    }
    return fail(`S3 bucket ${bucket.name} records no server access logs.`, { path: 'LoggingConfiguration' })
  },
})
