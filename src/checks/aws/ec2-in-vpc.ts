import { defineCheck, fail, pass } from '../define-check.js'
import { launchTemplateOf } from './lib/ec2.js'
import { subject } from './lib/judge.js'
import { at, describe, isObj, list, str } from './lib/values.js'

/** Instances run in a network the team designed, not in the default VPC. */
export default defineCheck({
  id: 'aws/ec2-in-vpc',
  title: 'EC2 instance is launched in a chosen VPC subnet',
  severity: 'medium',
  resourceKinds: ['aws:ec2:instance'],
  rationale:
    'EC2-Classic is retired, so every instance is in a VPC; the remaining risk INSTANCES_IN_VPC guards against is an instance launched without a subnet, which lands in a default subnet of the default VPC: public addressing, an internet gateway route, the default security group, and no flow logs or network controls the team designed for PHI.',
  remediation: {
    text: 'Give every instance a SubnetId (or a network interface with one) in a VPC built for the workload, normally a private subnet.',
    cloudformation: 'SubnetId: !Ref PrivateSubnetA\nSecurityGroupIds: [ !Ref AppSecurityGroup ]',
    terraform: 'subnet_id = aws_subnet.private_a.id',
  },
  controls: { csf: ['PR.AC-5', 'PR.IP-1'], hipaa: ['164.312(e)(1)', '164.312(a)(1)'], ferpa: ['FERPA-LAYERED-DEFENSE', 'FERPA-NETWORK-MAPPING'] },
  references: { awsConfig: ['INSTANCES_IN_VPC'], cdkNag: ['HIPAA.Security-EC2InstancesInVPC'] },
  evaluate(inst, ctx) {
    if (inst.props['SubnetId'] !== undefined) return pass(`${subject(inst)} is launched in subnet ${str(inst.props['SubnetId']) ?? 'declared in the template'}.`)
    if (list(inst.props['NetworkInterfaces']).some((n) => isObj(n) && (n['SubnetId'] !== undefined || n['NetworkInterfaceId'] !== undefined))) return pass(`${subject(inst)} is launched through network interfaces in a chosen subnet.`)
    const lt = launchTemplateOf(inst, ctx)
    if (lt && list(at(lt.props, 'LaunchTemplateData.NetworkInterfaces')).some((n) => isObj(n) && n['SubnetId'] !== undefined)) return pass(`${subject(inst)} gets its subnet from launch template ${lt.name}.`)
    if (inst.origin === 'aws-snapshot' && inst.props['VpcId'] !== undefined) return pass(`${subject(inst)} runs in VPC ${describe(inst.props['VpcId'])}.`)
    return fail(`${subject(inst)} names no subnet, so it launches in a default subnet of the default VPC.`)
  },
})
