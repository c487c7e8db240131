import { defineCheck, fail, manual, pass } from '../define-check.js'
import { isObj, list, str } from './lib/values.js'

/** Both tunnels of a site-to-site VPN are up, so one endpoint's maintenance does not cut the link. */
export default defineCheck({
  id: 'aws/vpn-two-tunnels-up',
  title: 'Site-to-site VPN has both tunnels up',
  severity: 'medium',
  resourceKinds: ['aws:ec2:vpn-connection'],
  rationale:
    "Each AWS site-to-site VPN has two tunnels to two AWS endpoints, and AWS takes one down at a time for maintenance. With one tunnel down the link — to a hospital's network, a partner lab's HL7 feed, a clearinghouse — has no redundancy: the next maintenance or failure cuts it, and the fallback people reach for under pressure (a public endpoint, files sent another way) moves PHI outside the protected path.",
  remediation: {
    text: 'Configure the second tunnel on the customer gateway (the configuration AWS generates has both), check its IKE/IPsec settings and pre-shared key match, and alert on TunnelState in CloudWatch.',
    cli: 'aws ec2 describe-vpn-connections --vpn-connection-ids <vpn id> --query "VpnConnections[].VgwTelemetry"',
  },
  controls: { csf: ['PR.PT-5', 'PR.DS-4'], hipaa: ['164.308(a)(7)(ii)(B)', '164.312(e)(1)'], ferpa: ['FERPA-LAYERED-DEFENSE'] },
  references: { awsConfig: ['VPC_VPN_2_TUNNELS_UP'] },
  // tunnel status is recorded by the collector (templates cannot say)
  appliesTo: (r) => Array.isArray(r.props['PhiWallTunnels']),
  evaluate(vpn) {
    const tunnels = list(vpn.props['PhiWallTunnels']).filter(isObj)
    const up = tunnels.filter((t) => str(t['Status']) === 'UP').length
    const name = `Site-to-site VPN ${vpn.labels['Name'] ?? vpn.name}`
    if (up >= 2) return pass(`${name} has ${up} tunnels up.`)
    const state = str(vpn.props['State'])
    if (!tunnels.length || (state !== undefined && state !== 'available')) return manual(`${name} is ${state ?? 'in an unknown state'} and reports ${tunnels.length ? 'only some' : 'no'} tunnel status yet.`, { path: 'PhiWallTunnels' })
    const down = tunnels.filter((t) => str(t['Status']) !== 'UP').map((t) => `${str(t['OutsideIpAddress']) ?? 'a tunnel'} ${str(t['Status']) ?? 'UNKNOWN'}${str(t['LastStatusChange']) ? ` since ${str(t['LastStatusChange'])!.slice(0, 10)}` : ''}`)
    return fail(`${name} has ${up} of ${tunnels.length} tunnels up (${down.join('; ') || 'no tunnel reported'}).`, { path: 'PhiWallTunnels', evidence: { up, tunnels: tunnels.length } })
  },
})
