import { defineCheck, fail, manual, pass } from '../define-check.js'
import { bool, describe, str } from './lib/values.js'

/** Findings from GuardDuty, Inspector, Macie and configuration standards come together for triage. */
export default defineCheck({
  id: 'aws/securityhub-enabled',
  title: 'Security Hub is enabled in the Region',
  severity: 'medium',
  resourceKinds: ['aws:account:region-settings'],
  rationale:
    'Without Security Hub, findings from GuardDuty, Inspector, Macie and IAM Access Analyzer stay scattered across consoles and Regions, and continuous checks against the AWS Foundational Security Best Practices standard do not run; security incidents involving PHI are noticed later or not at all.',
  remediation: {
    text: 'Enable Security Hub in every Region (organization-wide from a delegated administrator) with the AWS Foundational Security Best Practices standard and cross-Region aggregation.',
    cloudformation: 'Hub: { Type: AWS::SecurityHub::Hub, Properties: { EnableDefaultStandards: true } }',
    cli: 'aws securityhub enable-security-hub --enable-default-standards --region <region>',
  },
  controls: { csf: ['DE.AE-3', 'DE.CM-8', 'ID.RA-1'], hipaa: ['164.308(a)(1)(ii)(D)', '164.308(a)(8)', '164.308(a)(1)(ii)(A)'], ferpa: ['FERPA-VULNERABILITY-SCANNING', 'FERPA-AUDIT-MONITORING'] },
  references: { awsConfig: ['SECURITYHUB_ENABLED'], prowler: ['securityhub_enabled'] },
  evaluate(r) {
    const name = str(r.props['Region']) ?? r.region ?? r.name
    const raw = r.props['SecurityHubEnabled']
    const v = bool(raw, undefined)
    if (v === undefined) return manual(`Region ${name} does not state whether Security Hub is enabled (${describe(raw)}).`, { path: 'SecurityHubEnabled' })
    return v ? pass(`Region ${name} has Security Hub enabled.`) : fail(`Region ${name} does not have Security Hub enabled.`, { path: 'SecurityHubEnabled' })
  },
})
