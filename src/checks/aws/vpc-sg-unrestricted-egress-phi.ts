import { defineCheck, fail, pass } from '../define-check.js'
import type { CheckResult } from '../types.js'
import { subject } from './lib/judge.js'
import { effectiveEgressRules, openToWorld, phiResidents, ruleAllPorts } from './lib/network.js'

/** Workloads that handle PHI cannot send data anywhere on any port. */
export default defineCheck({
  id: 'aws/vpc-sg-unrestricted-egress-phi',
  title: 'Security group of a PHI workload does not allow all outbound traffic to the internet',
  severity: 'medium',
  resourceKinds: ['aws:ec2:security-group'],
  rationale:
    'A security group without egress rules keeps the default rule that allows every protocol and port to 0.0.0.0/0. Code running in a function or instance that handles PHI (a compromised dependency, an injected payload) can then upload records to any host on any port, and command-and-control traffic leaves unhindered. Limiting egress to the ports and destinations the workload needs (HTTPS to AWS endpoints, the database group) blocks most exfiltration paths.',
  remediation: {
    text: 'List explicit SecurityGroupEgress rules: HTTPS (443) to VPC endpoints or a prefix list, database ports to the database security group. Use VPC endpoints and a NAT with an egress firewall for anything else.',
    cloudformation: 'SecurityGroupEgress: [ { IpProtocol: tcp, FromPort: 443, ToPort: 443, DestinationPrefixListId: pl-63a5400a }, { IpProtocol: tcp, FromPort: 5432, ToPort: 5432, DestinationSecurityGroupId: !Ref DbSecurityGroup } ]',
    terraform: 'egress { from_port = 443  to_port = 443  protocol = "tcp"  prefix_list_ids = [aws_vpc_endpoint.s3.prefix_list_id] }',
  },
  controls: { csf: ['PR.AC-5', 'PR.DS-5', 'PR.PT-4'], hipaa: ['164.312(e)(1)', '164.308(a)(1)(ii)(B)', '164.312(a)(1)'], ferpa: ['FERPA-FIREWALLS-IDPS', 'FERPA-LAYERED-DEFENSE'] },
  appliesTo: (sg, ctx) => phiResidents(sg, ctx).length > 0,
  evaluate(sg, ctx) {
    const residents = phiResidents(sg, ctx).map((r) => r.name)
    const results: CheckResult[] = []
    for (const rule of effectiveEgressRules(sg, ctx)) {
      if (!openToWorld(rule) || !ruleAllPorts(rule)) continue
      const implicit = rule.path === '' && rule.source === sg
      results.push(
        fail(
          implicit
            ? `${subject(sg)}, used by PHI workload${residents.length > 1 ? 's' : ''} ${residents.slice(0, 3).join(', ')}, has no egress rules and so keeps the default rule allowing all traffic to 0.0.0.0/0.`
            : `${subject(sg)}, used by PHI workload${residents.length > 1 ? 's' : ''} ${residents.slice(0, 3).join(', ')}, allows all outbound traffic to ${rule.cidr ?? rule.cidrV6}.`,
          { ...(rule.source === sg && rule.path ? { path: rule.path } : {}), evidence: { cidr: rule.cidr ?? rule.cidrV6, protocol: rule.protocol, workloads: residents.slice(0, 10), declaredIn: rule.source.id } },
        ),
      )
    }
    return results.length ? results : pass(`${subject(sg)} restricts outbound traffic of PHI workload${residents.length > 1 ? 's' : ''} ${residents.slice(0, 3).join(', ')}.`)
  },
})
