import { defineCheck, fail, manual, pass } from '../define-check.js'
import { subject } from './lib/judge.js'
import { describe, str } from './lib/values.js'

/** Notebooks that touch patient data reach the internet only through the VPC's controls. */
export default defineCheck({
  id: 'aws/sagemaker-notebook-no-direct-internet',
  title: 'SageMaker notebook instance has no direct internet access',
  severity: 'high',
  resourceKinds: ['aws:sagemaker:notebook-instance'],
  rationale:
    'DirectInternetAccess defaults to Enabled: the notebook gets an internet path that bypasses the VPC, so a pip package, a pasted snippet or a compromised Jupyter extension can upload datasets of PHI anywhere, outside flow logs, egress filtering and VPC endpoints policies.',
  remediation: {
    text: 'Set DirectInternetAccess: Disabled with a SubnetId in a private subnet; provide packages through a CodeArtifact or S3 VPC endpoint or a NAT with an egress firewall.',
    cloudformation: 'DirectInternetAccess: Disabled\nSubnetId: !Ref PrivateSubnetA\nSecurityGroupIds: [ !Ref NotebookSecurityGroup ]',
    terraform: 'direct_internet_access = "Disabled"\nsubnet_id = aws_subnet.private_a.id',
  },
  controls: { csf: ['PR.AC-5', 'PR.DS-5'], hipaa: ['164.312(e)(1)', '164.312(a)(1)'], ferpa: ['FERPA-LAYERED-DEFENSE', 'FERPA-FIREWALLS-IDPS'] },
  references: { awsConfig: ['SAGEMAKER_NOTEBOOK_NO_DIRECT_INTERNET_ACCESS'], cdkNag: ['HIPAA.Security-SageMakerNotebookNoDirectInternetAccess'], prowler: ['sagemaker_notebook_instance_without_direct_internet_access_configured'] },
  evaluate(nb) {
    const raw = nb.props['DirectInternetAccess']
    if (raw !== undefined && str(raw) === undefined) return manual(`${subject(nb)} takes DirectInternetAccess from ${describe(raw)}, unknown at scan time.`, { path: 'DirectInternetAccess' })
    const v = (str(raw) ?? 'Enabled').toLowerCase()
    if (v === 'disabled') return pass(`${subject(nb)} has no direct internet access.`)
    return fail(`${subject(nb)} has direct internet access${raw === undefined ? ' (the default)' : ''}.`, raw === undefined ? {} : { path: 'DirectInternetAccess' })
  },
})
