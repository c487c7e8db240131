import type { Resource } from '../../model/index.js'
import { defineCheck, fail, manual, pass } from '../define-check.js'
import type { CheckContext } from '../types.js'
import { pointsAt, subject } from './lib/judge.js'
import { describe, num } from './lib/values.js'

/** Six years (164.316(b)(2)(i)) in the day counts CloudWatch Logs accepts. */
const AUDIT_DAYS = 2192
const DEFAULT_DAYS = 365

/** Why a log group is an audit log: it receives a trail, or its name or tags say so. */
function auditReason(group: Resource, ctx: CheckContext): string | undefined {
  for (const t of ctx.view.ofType('AWS::CloudTrail::Trail')) {
    const arn = t.props['CloudWatchLogsLogGroupArn']
    if (pointsAt(arn, t, group, ctx)) return `receives trail ${t.name}`
    const name = group.props['LogGroupName']
    if (typeof arn === 'string' && typeof name === 'string' && arn.includes(`:log-group:${name}:`)) return `receives trail ${t.name}`
  }
  if (/audit|cloudtrail/i.test(group.name)) return `is named ${group.name}`
  for (const [k, v] of Object.entries(group.labels)) if (/audit/i.test(k) || /audit/i.test(v)) return `is tagged ${k}=${v}`
  return undefined
}

/** Audit logs are kept six years, as HIPAA keeps its required records; other logs a year. */
export default defineCheck({
  id: 'aws/logs-group-retention-6y',
  title: 'CloudWatch log group keeps audit logs 6 years and other logs a year',
  severity: 'medium',
  resourceKinds: ['aws:logs:log-group'],
  rationale:
    'HIPAA keeps required documentation, including records of security activity such as audit logs, six years (164.316(b)(2)(i)); an investigation or an OCR audit asks for activity long after it happened. A log group that expires CloudTrail or application audit events sooner destroys that record. Other operational logs should stay at least a year so incidents found late can still be traced. Without RetentionInDays a log group never expires, which passes.',
  remediation: {
    text: 'Set RetentionInDays to 2192 (or more) on audit log groups (the CloudTrail group and groups named or tagged audit) and to at least 365 elsewhere, or export them to S3 with Object Lock for the same period.',
    cloudformation: 'RetentionInDays: 2192',
    terraform: 'retention_in_days = 2192',
  },
  controls: { csf: ['PR.PT-1', 'DE.CM-1'], hipaa: ['164.316(b)(2)(i)', '164.312(b)'], ferpa: ['FERPA-AUDIT-MONITORING'] },
  references: { cdkNag: ['HIPAA.Security-CloudWatchLogGroupRetentionPeriod'], prowler: ['cloudwatch_log_group_retention_policy_specific_days_enabled'] },
  evaluate(group, ctx) {
    const raw = group.props['RetentionInDays']
    const audit = auditReason(group, ctx)
    const need = audit ? AUDIT_DAYS : DEFAULT_DAYS
    if (raw === undefined || raw === null) return pass(`${subject(group)} never expires its events.`)
    const days = num(raw)
    if (days === undefined) return manual(`${subject(group)} takes RetentionInDays from ${describe(raw)}, unknown at scan time.`, { path: 'RetentionInDays' })
    if (days >= need) return pass(`${subject(group)} keeps events ${days} days${audit ? ` (audit log: it ${audit})` : ''}.`)
    return fail(`${subject(group)} keeps events only ${days} days; ${audit ? `it is an audit log (it ${audit}) and must keep them ${AUDIT_DAYS} days (6 years)` : `at least ${DEFAULT_DAYS} days are expected`}.`, {
      path: 'RetentionInDays',
      evidence: { days, required: need, audit: audit ?? null },
    })
  },
})
