import { defineCheck, fail, manual, pass } from '../define-check.js'
import type { CheckResult } from '../types.js'
import { ebsJudgements } from './lib/ec2.js'
import { subject } from './lib/judge.js'

/** Block storage of hosts (and its snapshots) is encrypted at rest. */
export default defineCheck({
  id: 'aws/ec2-ebs-encrypted',
  title: 'EBS volumes are encrypted',
  severity: 'high',
  resourceKinds: ['aws:ec2:volume', 'aws:ec2:instance', 'aws:ec2:launch-template'],
  rationale:
    'An unencrypted EBS volume stores whatever the host writes (database files, uploaded documents, swap, logs with identifiers) in the clear, and so does every snapshot and AMI made from it, including copies shared with other accounts. Encryption cannot be added to an existing volume in place.',
  remediation: {
    text: 'Set Encrypted: true (with a KMS key) on volumes and block device mappings, and turn on EBS encryption by default in every Region so nothing is created unencrypted.',
    cloudformation: 'BlockDeviceMappings: [ { DeviceName: /dev/xvda, Ebs: { VolumeSize: 50, VolumeType: gp3, Encrypted: true, KmsKeyId: !Ref EbsKey } } ]',
    terraform: 'root_block_device { encrypted = true  kms_key_id = aws_kms_key.ebs.arn }',
    cli: 'aws ec2 enable-ebs-encryption-by-default --region <region>',
  },
  controls: { csf: ['PR.DS-1'], hipaa: ['164.312(a)(2)(iv)', '164.310(d)(1)'], ferpa: ['FERPA-DATA-ENCRYPTION'] },
  references: { awsConfig: ['ENCRYPTED_VOLUMES'], prowler: ['ec2_ebs_volume_encryption'] },
  // live volumes are reported as volumes; a live instance's mappings do not state encryption
  appliesTo: (r) => !(r.type === 'AWS::EC2::Instance' && r.origin === 'aws-snapshot'),
  evaluate(r, ctx) {
    const results: CheckResult[] = []
    const js = ebsJudgements(r, ctx)
    for (const j of js) {
      const what = r.type === 'AWS::EC2::Volume' ? subject(r) : `${j.what} of ${subject(r)}`
      if (j.state === 'no') results.push(fail(`${what} ${j.reason}.`, j.path ? { path: j.path } : {}))
      else if (j.state === 'unknown') results.push(manual(`${what} ${j.reason}.`, j.path ? { path: j.path } : {}))
    }
    if (results.length) return results
    return pass(r.type === 'AWS::EC2::Volume' ? `${subject(r)} ${js[0]!.reason}.` : `Every EBS volume of ${subject(r)} is encrypted.`)
  },
})
