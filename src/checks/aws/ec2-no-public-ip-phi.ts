import { defineCheck, fail, manual, pass } from '../define-check.js'
import { instanceSubnets } from './lib/ec2.js'
import { pointsAt, subject } from './lib/judge.js'
import { bool, describe, isObj, list, str } from './lib/values.js'

/** Hosts that process PHI are not directly reachable from the internet. */
export default defineCheck({
  id: 'aws/ec2-no-public-ip-phi',
  title: 'EC2 instance that handles PHI has no public IP address',
  severity: 'high',
  resourceKinds: ['aws:ec2:instance'],
  rationale:
    'An instance with a public IP address is one security group rule away from the internet, and its outbound traffic bypasses NAT and egress controls. Hosts that process or store PHI belong in private subnets, reached through load balancers, SSM or a VPN. (AWS Config flags every instance; PhiWall applies the rule to instances known to handle PHI.)',
  remediation: {
    text: 'Launch the instance in a private subnet, set AssociatePublicIpAddress: false on its network interface, and remove Elastic IPs; publish services through a load balancer.',
    cloudformation: 'NetworkInterfaces: [ { DeviceIndex: "0", SubnetId: !Ref PrivateSubnet, AssociatePublicIpAddress: false, GroupSet: [ !Ref AppSecurityGroup ] } ]',
    terraform: 'associate_public_ip_address = false\nsubnet_id = aws_subnet.private.id',
  },
  controls: { csf: ['PR.AC-5', 'PR.PT-4'], hipaa: ['164.312(e)(1)', '164.312(a)(1)'], ferpa: ['FERPA-LAYERED-DEFENSE', 'FERPA-FIREWALLS-IDPS'] },
  references: { awsConfig: ['EC2_INSTANCE_NO_PUBLIC_IP'], cdkNag: ['HIPAA.Security-EC2InstanceNoPublicIp'], prowler: ['ec2_instance_public_ip'] },
  appliesTo: (i) => i.holdsPhi === 'yes',
  evaluate(inst, ctx) {
    const eip = [...ctx.view.ofType('AWS::EC2::EIP'), ...ctx.view.ofType('AWS::EC2::EIPAssociation')].find((e) => pointsAt(e.props['InstanceId'], e, inst, ctx))
    if (eip) return fail(`${subject(inst)} handles PHI and has Elastic IP ${eip.sourceId}.`, { evidence: { eip: eip.id } })
    if (inst.origin === 'aws-snapshot') {
      const ip = str(inst.props['PublicIp'])
      return ip ? fail(`${subject(inst)} handles PHI and has a public IP address.`, { path: 'PublicIp' }) : pass(`${subject(inst)} has no public IP address.`)
    }
    const nics = list(inst.props['NetworkInterfaces']).filter(isObj)
    const primary = nics.find((n) => String(n['DeviceIndex'] ?? '0') === '0') ?? nics[0]
    const idx = primary ? nics.indexOf(primary) : -1
    const assoc = primary ? primary['AssociatePublicIpAddress'] : undefined
    const a = bool(assoc, undefined)
    if (assoc !== undefined && a === undefined) return manual(`${subject(inst)} takes AssociatePublicIpAddress from ${describe(assoc)}, unknown at scan time.`, { path: `NetworkInterfaces.${idx}.AssociatePublicIpAddress` })
    if (a === true) return fail(`${subject(inst)} handles PHI and requests a public IP address.`, { path: `NetworkInterfaces.${idx}.AssociatePublicIpAddress` })
    if (a === false) return pass(`${subject(inst)} does not request a public IP address.`)
    // otherwise the subnet decides (MapPublicIpOnLaunch); no subnet means the default VPC, whose subnets assign public addresses
    const { subnets, declared } = instanceSubnets(inst, ctx)
    if (!declared.length) return fail(`${subject(inst)} handles PHI and has no subnet, so it launches in a default subnet of the default VPC, which assigns a public IP address.`)
    if (!subnets.length) return manual(`${subject(inst)} launches in subnet ${describe(declared[0])}, which is not in the scan; it gets a public IP address if that subnet maps one on launch.`, { path: 'SubnetId' })
    const mapping = subnets.find((s) => bool(s.props['MapPublicIpOnLaunch'], false) !== false)
    if (!mapping) return pass(`${subject(inst)} launches in subnet ${subnets[0]!.name}, which does not assign public IP addresses.`)
    if (bool(mapping.props['MapPublicIpOnLaunch'], false) === undefined) return manual(`${subject(inst)} launches in subnet ${mapping.name}, whose MapPublicIpOnLaunch is unknown at scan time.`, { path: 'SubnetId' })
    return fail(`${subject(inst)} handles PHI and launches in subnet ${mapping.name}, which assigns a public IP address on launch.`, { path: inst.props['SubnetId'] !== undefined ? 'SubnetId' : 'NetworkInterfaces' })
  },
})
