import { defineCheck } from '../define-check.js'
import { judgeBool } from './lib/judge.js'

/** Instances launched in a subnet do not get a public IP address unless they ask for one. */
export default defineCheck({
  id: 'aws/vpc-subnet-no-auto-public-ip',
  title: 'Subnet does not assign public IP addresses automatically',
  severity: 'medium',
  resourceKinds: ['aws:ec2:subnet'],
  rationale:
    'With MapPublicIpOnLaunch every instance, container task or network interface created in the subnet becomes reachable from the internet as soon as a security group allows it, including hosts that process PHI and were never meant to be public. Load balancers and NAT gateways do not need it; instances that must be public can ask for an address explicitly.',
  remediation: {
    text: 'Set MapPublicIpOnLaunch: false (the default for subnets created through CloudFormation); give internet-facing instances an Elastic IP or put them behind a load balancer.',
    cloudformation: 'MapPublicIpOnLaunch: false',
    terraform: 'map_public_ip_on_launch = false',
  },
  controls: { csf: ['PR.AC-5', 'PR.IP-1'], hipaa: ['164.312(e)(1)', '164.312(a)(1)'], ferpa: ['FERPA-LAYERED-DEFENSE', 'FERPA-SECURE-CONFIGURATIONS'] },
  references: { awsConfig: ['SUBNET_AUTO_ASSIGN_PUBLIC_IP_DISABLED'], cdkNag: ['HIPAA.Security-VPCSubnetAutoAssignPublicIpDisabled'], prowler: ['vpc_subnet_no_public_ip_by_default'] },
  evaluate: (subnet) => judgeBool(subnet, { path: 'MapPublicIpOnLaunch', want: false, fallback: false, good: 'does not assign public IP addresses', bad: 'assigns a public IP address to every instance launched in it' }),
})
