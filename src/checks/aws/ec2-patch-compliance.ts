import { defineCheck, fail, manual, pass } from '../define-check.js'
import { subject } from './lib/judge.js'
import { day, instanceRuntime } from './lib/runtime.js'

/** Instances Systems Manager manages have every patch their patch baseline requires. */
export default defineCheck({
  id: 'aws/ec2-patch-compliance',
  title: 'Managed EC2 instance is compliant with its patch baseline',
  severity: 'high',
  resourceKinds: ['aws:ec2:instance'],
  rationale:
    "Patch Manager compares each managed instance with its patch baseline; NON_COMPLIANT means security updates the organisation decided to apply are missing. Known, exploited vulnerabilities in the OS and its packages are the commonest way into a host that stores or processes PHI, and HIPAA's risk management and protection from malicious software both rest on applying them.",
  remediation: {
    text: 'Install the missing patches (Patch Manager: AWS-RunPatchBaseline with Operation=Install, in a maintenance window), reboot if the baseline requires it, and check the instance reports COMPLIANT after the next scan.',
    cli: 'aws ssm send-command --document-name AWS-RunPatchBaseline --targets Key=InstanceIds,Values=<instance id> --parameters Operation=Install\naws ssm list-compliance-items --resource-ids <instance id> --resource-types ManagedInstance --filters Key=ComplianceType,Values=Patch',
  },
  controls: { csf: ['PR.IP-12', 'DE.CM-8', 'ID.RA-1'], hipaa: ['164.308(a)(1)(ii)(B)', '164.308(a)(5)(ii)(B)'], ferpa: ['FERPA-PATCH-MANAGEMENT', 'FERPA-VULNERABILITY-SCANNING'] },
  references: { awsConfig: ['EC2_MANAGEDINSTANCE_PATCH_COMPLIANCE_STATUS_CHECK'], prowler: ['ssm_managed_compliant_patching'] },
  appliesTo: (r) => instanceRuntime(r).ssm?.managed === true,
  evaluate(r) {
    const compliance = instanceRuntime(r).ssm!.compliance
    if (!compliance) return manual(`${subject(r)} is managed by Systems Manager; its patch compliance could not be read (the collector's ListResourceComplianceSummaries call failed).`, { path: 'PhiWallSsm' })
    const patch = compliance['Patch']
    if (!patch?.status) return manual(`${subject(r)} is managed by Systems Manager but reports no patch compliance: no Patch Manager scan has run on it (vm/patch-group-tag judges whether a baseline covers it).`, { path: 'PhiWallSsm' })
    const when = patch.at ? ` (scanned ${day(patch.at)})` : ''
    if (patch.status === 'COMPLIANT') return pass(`${subject(r)} has every patch its baseline requires${when}.`)
    const missing = patch.nonCompliant ? `${patch.nonCompliant} required patch${patch.nonCompliant === 1 ? ' is' : 'es are'} missing` : 'required patches are missing'
    return fail(`${subject(r)} is not compliant with its patch baseline: ${missing}${patch.severity && patch.severity !== 'UNSPECIFIED' ? `, the most severe ${patch.severity.toLowerCase()}` : ''}${when}.`, { path: 'PhiWallSsm', evidence: { status: patch.status, ...(patch.nonCompliant !== undefined ? { missing: patch.nonCompliant } : {}), ...(patch.severity ? { severity: patch.severity } : {}) } })
  },
})
