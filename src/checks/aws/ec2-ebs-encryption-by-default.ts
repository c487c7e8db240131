import { defineCheck, fail, manual, pass } from '../define-check.js'
import { bool, describe, str } from './lib/values.js'

/** No EBS volume can be created unencrypted in the Region, whatever a template or engineer forgets. */
export default defineCheck({
  id: 'aws/ec2-ebs-encryption-by-default',
  title: 'EBS encryption by default is on in the Region',
  severity: 'medium',
  resourceKinds: ['aws:account:region-settings'],
  rationale:
    'Encryption by default is an account setting per Region: once on, every new volume and snapshot copy is encrypted even when a template, an AMI or a console user does not ask for it. Without it, each new volume is one omission away from storing PHI unencrypted.',
  remediation: {
    text: 'Turn on EBS encryption by default in every Region you use (and preferably set a customer managed default key).',
    terraform: 'resource "aws_ebs_encryption_by_default" "on" { enabled = true }',
    cli: 'aws ec2 enable-ebs-encryption-by-default --region <region>',
  },
  controls: { csf: ['PR.DS-1', 'PR.IP-1'], hipaa: ['164.312(a)(2)(iv)'], ferpa: ['FERPA-DATA-ENCRYPTION', 'FERPA-SECURE-CONFIGURATIONS'] },
  references: { awsConfig: ['EC2_EBS_ENCRYPTION_BY_DEFAULT'], prowler: ['ec2_ebs_default_encryption'] },
  evaluate(region) {
    const name = str(region.props['Region']) ?? region.region ?? region.name
    const raw = region.props['EbsEncryptionByDefault']
    const v = bool(raw, undefined)
    if (v === undefined) return manual(`Region ${name} does not state EBS encryption by default (${describe(raw)}).`, { path: 'EbsEncryptionByDefault' })
    return v ? pass(`Region ${name} encrypts new EBS volumes by default.`) : fail(`Region ${name} does not encrypt new EBS volumes by default.`, { path: 'EbsEncryptionByDefault' })
  },
})
