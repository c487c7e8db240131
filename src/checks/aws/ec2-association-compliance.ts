import { defineCheck, fail, manual, pass } from '../define-check.js'
import { subject } from './lib/judge.js'
import { day, instanceRuntime } from './lib/runtime.js'

/** The State Manager associations applied to a managed instance ran successfully. */
export default defineCheck({
  id: 'aws/ec2-association-compliance',
  title: 'Managed EC2 instance is compliant with its State Manager associations',
  severity: 'medium',
  resourceKinds: ['aws:ec2:instance'],
  rationale:
    'State Manager associations keep an instance in its approved configuration: the CloudWatch agent that ships its audit logs, anti-malware, the SSM Agent update, disk encryption settings, the hardening baseline. A NON_COMPLIANT association failed on this instance, so the configuration the organisation relies on for logging and protection is not in place there.',
  remediation: {
    text: 'Look at the failed association execution (State Manager → association → Execution history), fix its cause on the instance (permissions, agent version, a failing script step) and run the association again.',
    cli: 'aws ssm list-compliance-items --resource-ids <instance id> --resource-types ManagedInstance --filters Key=ComplianceType,Values=Association\naws ssm start-associations-once --association-ids <association id>',
  },
  controls: { csf: ['PR.IP-1', 'DE.CM-7'], hipaa: ['164.308(a)(1)(ii)(B)', '164.308(a)(5)(ii)(B)', '164.312(b)'], ferpa: ['FERPA-SECURE-CONFIGURATIONS'] },
  references: { awsConfig: ['EC2_MANAGEDINSTANCE_ASSOCIATION_COMPLIANCE_STATUS_CHECK'] },
  // an instance no association targets has nothing to comply with (AWS Config: not applicable);
  // one whose compliance could not be read is for review
  appliesTo: (r) => {
    const ssm = instanceRuntime(r).ssm
    return ssm?.managed === true && (ssm.compliance === undefined || ssm.compliance['Association']?.status !== undefined)
  },
  evaluate(r) {
    const compliance = instanceRuntime(r).ssm!.compliance
    if (!compliance) return manual(`${subject(r)} is managed by Systems Manager; its association compliance could not be read (the collector's ListResourceComplianceSummaries call failed).`, { path: 'PhiWallSsm' })
    const a = compliance['Association']!
    const when = a.at ? ` (last run ${day(a.at)})` : ''
    if (a.status === 'COMPLIANT') return pass(`${subject(r)} is compliant with its State Manager associations${when}.`)
    return fail(`${subject(r)} is not compliant with its State Manager associations: ${a.nonCompliant ? `${a.nonCompliant} failed` : 'an association failed'}${when}.`, { path: 'PhiWallSsm', evidence: { status: a.status, ...(a.nonCompliant !== undefined ? { failed: a.nonCompliant } : {}) } })
  },
})
