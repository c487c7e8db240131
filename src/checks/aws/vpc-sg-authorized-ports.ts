import { defineCheck, fail, pass } from '../define-check.js'
import type { CheckResult } from '../types.js'
import { subject } from './lib/judge.js'
import { openToWorld, securityGroupRules } from './lib/network.js'

/** TCP ports that may face the whole internet: HTTP (to redirect) and HTTPS. */
const AUTHORIZED_TCP = [80, 443]

/** Only web ports are open to the whole internet. */
export default defineCheck({
  id: 'aws/vpc-sg-authorized-ports',
  title: 'Security group opens only ports 80 and 443 to the internet',
  severity: 'high',
  resourceKinds: ['aws:ec2:security-group'],
  rationale:
    'Any other port open to 0.0.0.0/0 or ::/0 exposes a service that was not built to face the internet (an admin console, a message broker, a debug endpoint, a DICOM or HL7 listener). Scanners find it within minutes; one weak password or unpatched service then gives access to PHI. Public traffic should enter only through HTTPS (and HTTP that redirects) on a load balancer or CDN.',
  remediation: {
    text: 'Restrict the rule to the CIDRs of partners or to the security group of the caller, or put the service behind a load balancer that listens on 443 only. Reach internal services through a VPN, PrivateLink or SSM.',
    cloudformation: 'SecurityGroupIngress: [ { IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0 } ]',
  },
  controls: { csf: ['PR.AC-3', 'PR.AC-5', 'PR.PT-4'], hipaa: ['164.312(e)(1)', '164.312(a)(1)', '164.308(a)(4)(ii)(B)'], ferpa: ['FERPA-FIREWALLS-IDPS', 'FERPA-SHUT-DOWN-UNNECESSARY-SERVICES', 'FERPA-LAYERED-DEFENSE'] },
  references: { awsConfig: ['VPC_SG_OPEN_ONLY_TO_AUTHORIZED_PORTS'], prowler: ['ec2_securitygroup_allow_ingress_from_internet_to_any_port'] },
  evaluate(sg, ctx) {
    const results: CheckResult[] = []
    for (const rule of securityGroupRules(sg, ctx)) {
      if (rule.direction !== 'ingress' || !openToWorld(rule)) continue
      const proto = rule.protocol.toLowerCase()
      // ICMP has no ports; only port-based exposure is judged here
      if (proto === 'icmp' || proto === '1' || proto === 'icmpv6' || proto === '58') continue
      const from = rule.fromPort ?? 0
      const to = rule.toPort ?? 65535
      const all = proto === '-1' || proto === 'all' || from === -1
      const tcp = proto === 'tcp' || proto === '6'
      // a range is authorized only when it is a single authorized port (80-443 would open everything between)
      const ok = !all && tcp && from === to && AUTHORIZED_TCP.includes(from)
      if (ok) continue
      const what = all ? 'every port' : `${tcp ? 'TCP' : proto.toUpperCase()} ${from === to ? `port ${from}` : `ports ${from}-${to}`}`
      results.push(
        fail(`${subject(sg)} opens ${what} to ${rule.cidr ?? rule.cidrV6}.`, {
          ...(rule.source === sg && rule.path ? { path: rule.path } : {}),
          evidence: { cidr: rule.cidr ?? rule.cidrV6, protocol: rule.protocol, fromPort: rule.fromPort, toPort: rule.toPort, declaredIn: rule.source.id },
        }),
      )
    }
    return results.length ? results : pass(`${subject(sg)} opens no port other than 80 and 443 to the internet.`)
  },
})
