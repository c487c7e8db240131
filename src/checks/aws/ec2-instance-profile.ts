import { defineCheck, fail, pass } from '../define-check.js'
import { launchTemplateOf } from './lib/ec2.js'
import { present, resolve, subject } from './lib/judge.js'
import { at, describe, list } from './lib/values.js'

/** Software on instances uses short-lived role credentials, never access keys copied onto the host. */
export default defineCheck({
  id: 'aws/ec2-instance-profile',
  title: 'EC2 instance has an IAM instance profile',
  severity: 'low',
  resourceKinds: ['aws:ec2:instance'],
  rationale:
    'An instance without an instance profile has no role credentials, so applications on it that call AWS (S3 uploads of scans, SSM, CloudWatch) end up with long-lived access keys in configuration files or environment variables, where they leak and are rarely rotated. A profile gives rotating credentials scoped to the instance.',
  remediation: {
    text: 'Attach an instance profile whose role grants only what the instance needs (and AmazonSSMManagedInstanceCore for Session Manager); remove access keys from the host.',
    cloudformation: 'IamInstanceProfile: !Ref DicomGatewayProfile',
    terraform: 'iam_instance_profile = aws_iam_instance_profile.dicom_gateway.name',
  },
  controls: { csf: ['PR.AC-1', 'PR.AC-4'], hipaa: ['164.312(a)(1)', '164.308(a)(4)(ii)(B)'], ferpa: ['FERPA-ACCESS-CONTROL', 'FERPA-AUTHENTICATION'] },
  references: { awsConfig: ['EC2_INSTANCE_PROFILE_ATTACHED'], cdkNag: ['HIPAA.Security-EC2InstanceProfileAttached'], prowler: ['ec2_instance_profile_attached'] },
  evaluate(inst, ctx) {
    const own = inst.props['IamInstanceProfile']
    if (present(own) !== false) {
      // a profile declared next to the instance must hold a role, or the instance still gets no credentials
      const profile = resolve(own, inst, ctx, ['AWS::IAM::InstanceProfile'])[0]
      if (profile && profile.origin !== 'aws-snapshot' && list(profile.props['Roles']).length === 0) {
        return fail(`${subject(inst)} uses instance profile ${profile.name}, which holds no IAM role.`, { path: 'IamInstanceProfile', evidence: { profile: profile.id } })
      }
      return pass(`${subject(inst)} has instance profile ${profile ? profile.name : describe(own)}.`)
    }
    const lt = launchTemplateOf(inst, ctx)
    const viaLt = lt ? at(lt.props, 'LaunchTemplateData.IamInstanceProfile') : undefined
    if (lt && present(viaLt) !== false) return pass(`${subject(inst)} gets an instance profile from launch template ${lt.name}.`)
    return fail(`${subject(inst)} has no IAM instance profile.`)
  },
})
