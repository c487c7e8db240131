import { defineCheck, fail, manual, pass } from '../define-check.js'
import { bool, describe } from './lib/values.js'

/** A declared trail is actually recording. */
export default defineCheck({
  id: 'aws/cloudtrail-trail-logging',
  title: 'CloudTrail trail is logging',
  severity: 'high',
  resourceKinds: ['aws:cloudtrail:trail'],
  rationale: 'A trail with logging stopped records nothing: access to PHI stores and changes to their permissions leave no audit record, which 164.312(b) requires.',
  remediation: { text: 'Set IsLogging to true (it is required in CloudFormation) and alarm on StopLogging calls.', cloudformation: 'IsLogging: true', cli: 'aws cloudtrail start-logging --name TRAIL' },
  controls: { csf: ['PR.PT-1', 'DE.AE-3'], hipaa: ['164.312(b)', '164.308(a)(1)(ii)(D)'], ferpa: ['FERPA-AUDIT-MONITORING'] },
  evaluate(trail) {
    const v = trail.props['IsLogging']
    const b = bool(v)
    if (v !== undefined && b === undefined) return manual(`CloudTrail trail ${trail.name} takes IsLogging from ${describe(v)}, unknown at scan time.`, { path: 'IsLogging' })
    if (b === true) return pass(`CloudTrail trail ${trail.name} is logging.`)
    return fail(`CloudTrail trail ${trail.name} is not logging (IsLogging ${v === undefined ? 'not set' : 'false'}).`, { path: 'IsLogging' })
  },
})
