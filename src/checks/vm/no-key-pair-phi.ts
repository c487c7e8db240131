import { defineCheck, fail, manual, pass } from '../define-check.js'
import { subject } from '../aws/lib/judge.js'
import { describe, isUnknown } from '../aws/lib/values.js'
import { launchField, launchSettings, pathOn, through } from './lib/launch.js'

/** Administrators reach PHI hosts as themselves, through Session Manager, not with a shared SSH key. */
export default defineCheck({
  id: 'vm/no-key-pair-phi',
  title: 'EC2 instances that handle PHI are launched without an SSH key pair',
  severity: 'medium',
  resourceKinds: ['aws:ec2:instance', 'aws:autoscaling:auto-scaling-group'],
  rationale:
    'A key pair installs one private key that every holder uses to log in as the same account: it is not tied to a person, cannot require MFA, is copied between laptops and vendors and outlives the people who had it, and sessions opened with it are not recorded. HIPAA asks for unique user identification and person authentication on systems holding ePHI; Session Manager (or EC2 Instance Connect) gives IAM-authenticated, logged shell access with no inbound port. Windows instances that need a key pair only to decrypt the first Administrator password should rotate that password and remove the pair from the launch configuration.',
  remediation: {
    text: 'Remove KeyName from the instance or launch template, reach hosts through Session Manager (an instance profile with AmazonSSMManagedInstanceCore) with session logging to CloudWatch Logs or S3, and close port 22 / 3389.',
    terraform: '# aws_instance / aws_launch_template: remove key_name\niam_instance_profile = aws_iam_instance_profile.hl7.name',
    cloudformation: '# AWS::EC2::Instance / LaunchTemplateData: remove KeyName\nIamInstanceProfile: !Ref Hl7Profile',
    cli: 'aws ssm start-session --target <instance-id>',
  },
  controls: { csf: ['PR.AC-1', 'PR.AC-3', 'PR.AC-7', 'PR.MA-2'], hipaa: ['164.312(a)(2)(i)', '164.312(d)', '164.312(b)'], ferpa: ['FERPA-AUTHENTICATION', 'FERPA-ACCESS-CONTROL'] },
  appliesTo: (r) => r.holdsPhi === 'yes',
  evaluate(r, ctx) {
    const s = launchSettings(r, ctx)
    const v = launchField(s, 'keyName')
    const path = pathOn(r, s, v)
    if (!v) {
      if (s.missing) return manual(`${subject(r)} launches from ${s.missing}, which is not in the scan; whether it installs a key pair is unknown.`, { path: s.via })
      return pass(`${subject(r)} launches without an SSH key pair.`)
    }
    // a key pair declared in the scan is a key pair; a parameter may be left empty
    if (isUnknown(v.value) && ctx.view.refs(v.value, v.layer.res).length === 0) return manual(`${subject(r)} takes KeyName from ${describe(v.value)}${through(r, v)}, unknown at scan time.`, path ? { path } : {})
    return fail(`${subject(r)} handles PHI and installs SSH key pair ${describe(v.value)}${through(r, v)}, a shared credential that is not tied to a person.`, { ...(path ? { path } : {}), evidence: { keyName: describe(v.value) } })
  },
})
