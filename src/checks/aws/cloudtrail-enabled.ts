import { defineCheck, fail, manual, pass } from '../define-check.js'
import { bool, describe, str } from './lib/values.js'

/** Some trail records API activity in every Region of the account. */
export default defineCheck({
  id: 'aws/cloudtrail-enabled',
  title: 'CloudTrail logs API activity in the Region',
  severity: 'high',
  resourceKinds: ['aws:account:region-settings'],
  rationale:
    'In a Region no trail logs, API calls leave no audit record beyond 90 days of event history: an intruder can create resources, read secrets or copy snapshots of PHI there without trace, which defeats HIPAA audit controls and incident investigation.',
  remediation: {
    text: 'Create a multi-Region trail (or an organization trail) that is logging; it covers every Region, including new ones.',
    cli: 'aws cloudtrail create-trail --name clinic-org-trail --s3-bucket-name <bucket> --is-multi-region-trail --enable-log-file-validation && aws cloudtrail start-logging --name clinic-org-trail',
  },
  controls: { csf: ['DE.CM-1', 'DE.CM-3', 'PR.PT-1'], hipaa: ['164.312(b)', '164.308(a)(1)(ii)(D)'], ferpa: ['FERPA-AUDIT-MONITORING'] },
  references: { awsConfig: ['CLOUD_TRAIL_ENABLED'], prowler: ['cloudtrail_multi_region_enabled'] },
  evaluate(region) {
    const name = str(region.props['Region']) ?? region.region ?? region.name
    const raw = region.props['CloudTrailLogging']
    const v = bool(raw, undefined)
    if (v === undefined) return manual(`Region ${name} does not say whether a trail logs it (${describe(raw)}).`, { path: 'CloudTrailLogging' })
    return v ? pass(`Region ${name} is logged by CloudTrail.`) : fail(`Region ${name} is not logged by any CloudTrail trail.`, { path: 'CloudTrailLogging' })
  },
})
