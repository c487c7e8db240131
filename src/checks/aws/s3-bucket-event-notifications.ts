import { defineCheck, fail, manual, pass } from '../define-check.js'
import { at, bool, describe, isObj, isUnknown, list } from './lib/values.js'

/** Object changes in a bucket are announced to something that can react (a function, queue, topic or EventBridge). */
export default defineCheck({
  id: 'aws/s3-bucket-event-notifications',
  title: 'S3 bucket sends event notifications',
  severity: 'low',
  resourceKinds: ['aws:s3:bucket'],
  rationale:
    'Event notifications let you react to object creation and deletion as it happens — alert on unexpected deletes of patient files, scan uploads for malware, keep an index of what PHI is stored where. A bucket without them changes silently until someone looks.',
  remediation: {
    text: 'Send at least object-created and object-removed events to EventBridge (simplest: turn on EventBridge delivery and route with rules) or to an SQS queue, SNS topic or Lambda function that acts on them.',
    cloudformation: 'NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } }',
    terraform: 'resource "aws_s3_bucket_notification" "b" { bucket = aws_s3_bucket.b.id  eventbridge = true }',
  },
  controls: { csf: ['DE.CM-1', 'DE.AE-3'], hipaa: ['164.312(b)', '164.308(a)(1)(ii)(D)'], ferpa: ['FERPA-AUDIT-MONITORING'] },
  references: { awsConfig: ['S3_EVENT_NOTIFICATIONS_ENABLED'], prowler: ['s3_bucket_event_notifications_enabled'] },
  evaluate(bucket) {
    const nc = bucket.props['NotificationConfiguration']
    if (isUnknown(nc)) return manual(`S3 bucket ${bucket.name} takes its notification configuration from ${describe(nc)}, unknown at scan time.`, { path: 'NotificationConfiguration' })
    const targets: string[] = []
    if (isObj(nc)) {
      const eb = bool(at(nc, 'EventBridgeConfiguration.EventBridgeEnabled'), false)
      if (eb === undefined) return manual(`S3 bucket ${bucket.name} takes EventBridge delivery from ${describe(at(nc, 'EventBridgeConfiguration.EventBridgeEnabled'))}, unknown at scan time.`, { path: 'NotificationConfiguration.EventBridgeConfiguration' })
      if (eb) targets.push('EventBridge')
      for (const [key, label] of [['LambdaConfigurations', 'Lambda'], ['QueueConfigurations', 'SQS'], ['TopicConfigurations', 'SNS']] as const) {
        const n = list(nc[key]).length
        if (n) targets.push(`${n} ${label}`)
      }
    }
    if (targets.length) return pass(`S3 bucket ${bucket.name} sends event notifications (${targets.join(', ')}).`, { targets })
    return fail(`S3 bucket ${bucket.name} sends no event notifications.`, { path: 'NotificationConfiguration' })
  },
})
