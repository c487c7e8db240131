import { defineCheck, fail, manual, pass } from '../define-check.js'
import { subject } from './lib/judge.js'
import { bool, describe, isUnknown, list } from './lib/values.js'

/** An alarm that fires, or stops receiving data, notifies someone. */
export default defineCheck({
  id: 'aws/cloudwatch-alarm-action',
  title: 'CloudWatch alarm notifies on ALARM and INSUFFICIENT_DATA',
  severity: 'low',
  resourceKinds: ['aws:cloudwatch:alarm'],
  rationale:
    'An alarm without actions changes colour on a dashboard nobody watches: a spike in failed logins, a stopped trail or an exhausted database goes unanswered. The HIPAA conformance pack also requires an INSUFFICIENT_DATA action, because a metric that stops arriving (an agent or log delivery that died) is itself a security-relevant event.',
  remediation: {
    text: 'Give the alarm AlarmActions and InsufficientDataActions (an SNS topic routed to the on-call team) and keep ActionsEnabled true.',
    cloudformation: 'AlarmActions: [ !Ref SecurityAlertsTopic ]\nInsufficientDataActions: [ !Ref SecurityAlertsTopic ]',
    terraform: 'alarm_actions = [aws_sns_topic.security_alerts.arn]\ninsufficient_data_actions = [aws_sns_topic.security_alerts.arn]',
  },
  controls: { csf: ['DE.AE-5', 'DE.CM-1', 'RS.CO-2'], hipaa: ['164.308(a)(1)(ii)(D)', '164.308(a)(6)(ii)'], ferpa: ['FERPA-INCIDENT-HANDLING', 'FERPA-AUDIT-MONITORING'] },
  references: { awsConfig: ['CLOUDWATCH_ALARM_ACTION_CHECK'], cdkNag: ['HIPAA.Security-CloudWatchAlarmAction'], prowler: ['cloudwatch_alarm_actions_alarm_state_configured'] },
  evaluate(alarm) {
    const enabled = bool(alarm.props['ActionsEnabled'], true)
    if (enabled === false) return fail(`${subject(alarm)} has its actions disabled.`, { path: 'ActionsEnabled' })
    const missing: string[] = []
    for (const key of ['AlarmActions', 'InsufficientDataActions']) {
      const v = alarm.props[key]
      if (isUnknown(v)) return manual(`${subject(alarm)} takes ${key} from ${describe(v)}, unknown at scan time.`, { path: key })
      if (list(v).length === 0) missing.push(key === 'AlarmActions' ? 'ALARM' : 'INSUFFICIENT_DATA')
    }
    if (enabled === undefined) return manual(`${subject(alarm)} takes ActionsEnabled from ${describe(alarm.props['ActionsEnabled'])}, unknown at scan time.`, { path: 'ActionsEnabled' })
    if (!missing.length) return pass(`${subject(alarm)} notifies on ALARM and INSUFFICIENT_DATA.`)
    return fail(`${subject(alarm)} has no action for ${missing.join(' or ')}.`, { evidence: { missing } })
  },
})
