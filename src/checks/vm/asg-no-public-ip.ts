import { defineCheck, fail, manual, pass } from '../define-check.js'
import { subject } from '../aws/lib/judge.js'
import { subnetsNamed } from '../aws/lib/network.js'
import { bool, describe, isObj, list } from '../aws/lib/values.js'
import { launchField, launchSettings, through } from './lib/launch.js'

/** Instances an Auto Scaling group launches from a launch template are not directly reachable from the internet. */
export default defineCheck({
  id: 'vm/asg-no-public-ip',
  title: 'Auto Scaling group with a launch template does not give instances public IP addresses',
  severity: 'high',
  resourceKinds: ['aws:autoscaling:auto-scaling-group'],
  rationale:
    'A launch template whose network interface sets AssociatePublicIpAddress: true, or a group launching into subnets that map public addresses, puts every instance it starts one security group rule away from the internet, and their traffic leaves around NAT and egress controls. Worker pools that process PHI belong in private subnets behind a load balancer. aws/autoscaling-launch-config-no-public-ip judges groups that use launch configurations; this check judges those that use launch templates.',
  remediation: {
    text: 'Set AssociatePublicIpAddress: false on the launch template\'s primary network interface and launch the group into private subnets (VPCZoneIdentifier) whose MapPublicIpOnLaunch is false.',
    terraform: 'network_interfaces {\n  device_index                = 0\n  associate_public_ip_address = false\n  security_groups             = [aws_security_group.reporting.id]\n}',
    cloudformation: 'LaunchTemplateData: { NetworkInterfaces: [ { DeviceIndex: 0, AssociatePublicIpAddress: false, Groups: [ !Ref ReportingSecurityGroup ] } ] }',
  },
  controls: { csf: ['PR.AC-5', 'PR.PT-4'], hipaa: ['164.312(e)(1)', '164.312(a)(1)'], ferpa: ['FERPA-LAYERED-DEFENSE', 'FERPA-FIREWALLS-IDPS'] },
  appliesTo: (g) => g.props['LaunchTemplate'] !== undefined || g.props['MixedInstancesPolicy'] !== undefined,
  evaluate(group, ctx) {
    const s = launchSettings(group, ctx)
    if (s.missing) return manual(`${subject(group)} launches from ${s.missing}, which is not in the scan; whether its instances get public IP addresses is unknown.`, { path: s.via })
    const nics = launchField(s, 'networkInterfaces')
    const list0 = list(nics?.value).filter(isObj)
    const primary = list0.find((n) => String(n['DeviceIndex'] ?? '0') === '0') ?? list0[0]
    const assoc = primary?.['AssociatePublicIpAddress']
    const a = bool(assoc, undefined)
    if (assoc !== undefined && a === undefined) return manual(`${subject(group)} takes AssociatePublicIpAddress from ${describe(assoc)}${through(group, nics)}, unknown at scan time.`, { path: s.via })
    if (a === true) return fail(`${subject(group)} gives every instance a public IP address${through(group, nics)}.`, { path: s.via, evidence: { launchTemplate: nics!.layer.res.id } })
    if (a === false) return pass(`${subject(group)} does not give instances public IP addresses${through(group, nics)}.`)
    // the subnets decide
    const zones = group.props['VPCZoneIdentifier']
    if (zones === undefined) return fail(`${subject(group)} names no subnets (VPCZoneIdentifier), so it launches into the default VPC, whose subnets assign public IP addresses.`, { path: 'AvailabilityZones' })
    const subnets = subnetsNamed(zones, group, ctx)
    const mapping = subnets.find((x) => bool(x.props['MapPublicIpOnLaunch'], false) !== false)
    if (mapping && bool(mapping.props['MapPublicIpOnLaunch'], false) === true) return fail(`${subject(group)} launches into subnet ${mapping.name}, which assigns public IP addresses, and its launch template does not turn them off.`, { path: 'VPCZoneIdentifier' })
    if (mapping) return manual(`${subject(group)} launches into subnet ${mapping.name}, whose MapPublicIpOnLaunch is unknown at scan time.`, { path: 'VPCZoneIdentifier' })
    if (subnets.length < list(zones).length) return manual(`${subject(group)} launches into subnets that are not in the scan; its instances get public IP addresses if those subnets map them on launch.`, { path: 'VPCZoneIdentifier' })
    return pass(`${subject(group)} launches into subnets that do not assign public IP addresses.`)
  },
})
