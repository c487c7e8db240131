import { defineCheck, fail, pass } from '../define-check.js'
import type { CheckResult } from '../types.js'
import { ADMIN_PORTS, DATABASE_PORTS, openToWorld, rulePermitsPort, securityGroupRules } from './lib/network.js'

/** Remote administration and database ports are never reachable from the whole internet. */
export default defineCheck({
  id: 'aws/vpc-sg-no-public-admin-ports',
  title: 'Security group does not open administration or database ports to the internet',
  severity: 'critical',
  resourceKinds: ['aws:ec2:security-group'],
  rationale: 'SSH, RDP and database ports open to 0.0.0.0/0 or ::/0 are scanned within minutes of exposure; a weak password or unpatched service then gives direct access to hosts and PHI databases.',
  remediation: {
    text: 'Restrict the rule to known CIDRs or, better, to the security group of the caller; use SSM Session Manager instead of SSH/RDP and keep databases in private subnets.',
    cloudformation: 'SecurityGroupIngress: [ { IpProtocol: tcp, FromPort: 5432, ToPort: 5432, SourceSecurityGroupId: !Ref AppSecurityGroup } ]',
  },
  controls: { csf: ['PR.AC-3', 'PR.AC-5', 'PR.PT-4', 'DE.CM-1'], hipaa: ['164.312(e)(1)', '164.308(a)(4)(ii)(B)', '164.312(a)(1)'], ferpa: ['FERPA-FIREWALLS-IDPS', 'FERPA-LAYERED-DEFENSE', 'FERPA-SHUT-DOWN-UNNECESSARY-SERVICES'] },
  references: {
    awsConfig: ['INCOMING_SSH_DISABLED', 'RESTRICTED_INCOMING_TRAFFIC'],
    cdkNag: ['HIPAA.Security-EC2RestrictedSSH', 'HIPAA.Security-EC2RestrictedCommonPorts'],
    prowler: ['ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_22', 'ec2_securitygroup_allow_ingress_from_internet_to_port_3389', 'ec2_securitygroup_allow_ingress_from_internet_to_any_port'],
  },
  evaluate(sg, ctx) {
    const results: CheckResult[] = []
    for (const rule of securityGroupRules(sg, ctx)) {
      if (rule.direction !== 'ingress' || !openToWorld(rule)) continue
      const exposed = Object.entries({ ...ADMIN_PORTS, ...DATABASE_PORTS })
        .filter(([port]) => rulePermitsPort(rule, Number(port)))
        .map(([port, name]) => `${port} (${name})`)
      if (exposed.length === 0) continue
      const all = rule.protocol === '-1' || exposed.length > 5
      results.push(
        fail(`Security group ${sg.name} allows ${rule.cidr ?? rule.cidrV6} to reach ${all ? 'every port, including administration and database ports' : `port${exposed.length > 1 ? 's' : ''} ${exposed.join(', ')}`}.`, {
          ...(rule.source === sg && rule.path ? { path: rule.path } : {}),
          evidence: { cidr: rule.cidr ?? rule.cidrV6, protocol: rule.protocol, fromPort: rule.fromPort, toPort: rule.toPort, ports: exposed.slice(0, 10), declaredIn: rule.source.id },
        }),
      )
    }
    return results.length ? results : pass(`Security group ${sg.name} opens no administration or database port to the internet.`)
  },
})
