import { defineCheck, fail, pass } from '../define-check.js'
import { present, subject } from './lib/judge.js'

/** API activity reaches CloudWatch Logs, where metric filters and alarms watch it in near real time. */
export default defineCheck({
  id: 'aws/cloudtrail-cloudwatch-logs',
  title: 'CloudTrail trail delivers events to CloudWatch Logs',
  severity: 'medium',
  resourceKinds: ['aws:cloudtrail:trail'],
  rationale:
    'A trail that writes only to S3 is read after the fact, if ever. Delivering it to CloudWatch Logs lets metric filters raise alarms on root logins, IAM policy changes, security group changes and failed console logins while an incident is under way, supporting HIPAA information system activity review and log-in monitoring.',
  remediation: {
    text: 'Set CloudWatchLogsLogGroupArn and CloudWatchLogsRoleArn (a role CloudTrail assumes to write to the group).',
    cloudformation: 'CloudWatchLogsLogGroupArn: !GetAtt TrailLogGroup.Arn\nCloudWatchLogsRoleArn: !GetAtt TrailToLogsRole.Arn',
    terraform: 'cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"\ncloud_watch_logs_role_arn = aws_iam_role.trail_to_logs.arn',
  },
  controls: { csf: ['DE.CM-1', 'DE.AE-3', 'PR.PT-1'], hipaa: ['164.312(b)', '164.308(a)(1)(ii)(D)', '164.308(a)(5)(ii)(C)'], ferpa: ['FERPA-AUDIT-MONITORING'] },
  references: { awsConfig: ['CLOUD_TRAIL_CLOUD_WATCH_LOGS_ENABLED'], cdkNag: ['HIPAA.Security-CloudTrailCloudWatchLogsEnabled'], prowler: ['cloudtrail_cloudwatch_logging_enabled'] },
  evaluate(trail) {
    const group = present(trail.props['CloudWatchLogsLogGroupArn'])
    const role = present(trail.props['CloudWatchLogsRoleArn'])
    if (group !== false && role !== false) return pass(`${subject(trail)} delivers events to CloudWatch Logs.`)
    if (group === false) return fail(`${subject(trail)} does not deliver events to CloudWatch Logs.`)
    return fail(`${subject(trail)} names a log group but no CloudWatchLogsRoleArn, so CloudTrail cannot deliver to it.`, { path: 'CloudWatchLogsLogGroupArn' })
  },
})
