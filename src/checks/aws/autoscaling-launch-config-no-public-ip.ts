import { defineCheck, fail, manual, pass } from '../define-check.js'
import { pointsAt, subject } from './lib/judge.js'
import { subnetsNamed } from './lib/network.js'
import { bool, describe } from './lib/values.js'

/** Instances an Auto Scaling group launches are not directly reachable from the internet. */
export default defineCheck({
  id: 'aws/autoscaling-launch-config-no-public-ip',
  title: 'Launch configuration does not give instances public IP addresses',
  severity: 'high',
  resourceKinds: ['aws:autoscaling:launch-configuration'],
  rationale:
    'AssociatePublicIpAddress: true gives every instance the group launches a public address, so each one is a security group rule away from the internet and sends traffic around NAT and egress controls. When the property is absent the subnet decides, so PhiWall follows the groups that use the configuration to their subnets.',
  remediation: {
    text: 'Set AssociatePublicIpAddress: false and launch into private subnets behind a load balancer (and migrate from launch configurations to launch templates).',
    cloudformation: 'AssociatePublicIpAddress: false',
    terraform: 'associate_public_ip_address = false',
  },
  controls: { csf: ['PR.AC-5', 'PR.PT-4'], hipaa: ['164.312(e)(1)', '164.312(a)(1)'], ferpa: ['FERPA-LAYERED-DEFENSE', 'FERPA-FIREWALLS-IDPS'] },
  references: { awsConfig: ['AUTOSCALING_LAUNCH_CONFIG_PUBLIC_IP_DISABLED'], cdkNag: ['HIPAA.Security-AutoScalingLaunchConfigPublicIpDisabled'], prowler: ['autoscaling_group_launch_configuration_no_public_ip'] },
  evaluate(lc, ctx) {
    const raw = lc.props['AssociatePublicIpAddress']
    const v = bool(raw, undefined)
    if (raw !== undefined && v === undefined) return manual(`${subject(lc)} takes AssociatePublicIpAddress from ${describe(raw)}, unknown at scan time.`, { path: 'AssociatePublicIpAddress' })
    if (v === true) return fail(`${subject(lc)} gives every instance a public IP address.`, { path: 'AssociatePublicIpAddress' })
    if (v === false) return pass(`${subject(lc)} does not give instances public IP addresses.`)
    const groups = ctx.view.ofType('AWS::AutoScaling::AutoScalingGroup').filter((g) => pointsAt(g.props['LaunchConfigurationName'], g, lc, ctx))
    const subnets = groups.flatMap((g) => subnetsNamed(g.props['VPCZoneIdentifier'], g, ctx))
    const mapping = subnets.find((s) => bool(s.props['MapPublicIpOnLaunch'], false) === true)
    if (mapping) return fail(`${subject(lc)} does not set AssociatePublicIpAddress, and its group launches into subnet ${mapping.name}, which assigns public IP addresses.`)
    if (groups.length && !subnets.length) return manual(`${subject(lc)} does not set AssociatePublicIpAddress; whether its instances get public IP addresses depends on subnets that are not in the scan.`)
    return pass(`${subject(lc)} does not request public IP addresses${subnets.length ? ' and its subnets do not assign them' : ''}.`)
  },
})
