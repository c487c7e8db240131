import { defineCheck, fail, manual, pass } from '../define-check.js'
import { subject } from './lib/judge.js'
import { bool, describe, str } from './lib/values.js'

/** Threat detection watches API activity, network flows and DNS in every Region. */
export default defineCheck({
  id: 'aws/guardduty-enabled',
  title: 'GuardDuty is enabled in the Region',
  severity: 'high',
  resourceKinds: ['aws:account:region-settings', 'aws:guardduty:detector'],
  rationale:
    'GuardDuty detects credential misuse, crypto-mining, data exfiltration from S3 and reconnaissance from CloudTrail, VPC flow and DNS logs. In a Region without a detector those signals are lost, including in Regions an attacker picks precisely because nobody uses them. HIPAA expects information system activity to be reviewed and malicious software guarded against.',
  remediation: {
    text: 'Enable GuardDuty in every Region, preferably organization-wide from a delegated administrator account so it cannot be turned off from member accounts.',
    cloudformation: 'Detector: { Type: AWS::GuardDuty::Detector, Properties: { Enable: true, FindingPublishingFrequency: FIFTEEN_MINUTES } }',
    cli: 'aws guardduty create-detector --enable --region <region>',
  },
  controls: { csf: ['DE.CM-1', 'DE.CM-4', 'DE.CM-7', 'DE.AE-2'], hipaa: ['164.308(a)(1)(ii)(D)', '164.308(a)(5)(ii)(B)', '164.308(a)(6)(ii)'], ferpa: ['FERPA-FIREWALLS-IDPS', 'FERPA-INCIDENT-HANDLING', 'FERPA-AUDIT-MONITORING'] },
  references: { awsConfig: ['GUARDDUTY_ENABLED_CENTRALIZED'], prowler: ['guardduty_is_enabled', 'guardduty_centrally_managed'] },
  evaluate(r) {
    if (r.type === 'AWS::GuardDuty::Detector') {
      const raw = r.props['Enable']
      const v = bool(raw, undefined)
      if (v === undefined) return manual(`${subject(r)} takes Enable from ${describe(raw)}, unknown at scan time.`, { path: 'Enable' })
      return v ? pass(`${subject(r)} is enabled.`) : fail(`${subject(r)} is suspended (Enable is false).`, { path: 'Enable' })
    }
    const name = str(r.props['Region']) ?? r.region ?? r.name
    const raw = r.props['GuardDutyEnabled']
    const v = bool(raw, undefined)
    if (v === undefined) return manual(`Region ${name} does not state whether GuardDuty is enabled (${describe(raw)}).`, { path: 'GuardDutyEnabled' })
    return v ? pass(`Region ${name} has GuardDuty enabled.`) : fail(`Region ${name} does not have GuardDuty enabled.`, { path: 'GuardDutyEnabled' })
  },
})
