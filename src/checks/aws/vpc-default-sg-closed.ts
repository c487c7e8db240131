import type { Resource } from '../../model/index.js'
import { defineCheck, fail, manual, pass } from '../define-check.js'
import { subject } from './lib/judge.js'
import { isObj, list, str } from './lib/values.js'

/** Does a value name `<vpc>.DefaultSecurityGroup`? */
function namesDefaultSg(v: unknown, vpc: Resource): boolean {
  if (!isObj(v)) return Array.isArray(v) && v.some((x) => namesDefaultSg(x, vpc))
  const ga = v['Fn::GetAtt']
  const parts = typeof ga === 'string' ? ga.split('.') : Array.isArray(ga) ? ga : undefined
  if (parts && parts[0] === vpc.sourceId && parts[1] === 'DefaultSecurityGroup') return true
  return Object.values(v).some((x) => (isObj(x) || Array.isArray(x)) && namesDefaultSg(x, vpc))
}

/** The default security group of a VPC allows no traffic, so resources launched without a group are isolated. */
export default defineCheck({
  id: 'aws/vpc-default-sg-closed',
  title: 'Default security group of a VPC allows no traffic',
  severity: 'medium',
  resourceKinds: ['aws:ec2:security-group', 'aws:ec2:vpc'],
  rationale:
    'Every VPC gets a default security group that allows all traffic between its members and all outbound traffic. Anything launched without an explicit group (a quick test instance, an endpoint, a database created from the console) lands in it and can reach every other such resource, mixing PHI systems with unrelated ones. Removing all its rules makes mistakes fail closed.',
  remediation: {
    text: 'Remove every inbound and outbound rule from the default security group (CDK: restrictDefaultSecurityGroup: true; Terraform: an empty aws_default_security_group) and give every resource its own group.',
    cloudformation: 'CDK: new ec2.Vpc(this, "Vpc", { restrictDefaultSecurityGroup: true })  # adds Custom::VpcRestrictDefaultSG',
    terraform: 'resource "aws_default_security_group" "default" { vpc_id = aws_vpc.main.id }  # no ingress / egress blocks',
    cli: 'aws ec2 revoke-security-group-ingress --group-id <default-sg> --ip-permissions "$(aws ec2 describe-security-groups --group-ids <default-sg> --query SecurityGroups[0].IpPermissions)"',
  },
  controls: { csf: ['PR.AC-5', 'PR.IP-1'], hipaa: ['164.312(a)(1)', '164.312(e)(1)'], ferpa: ['FERPA-SECURE-CONFIGURATIONS', 'FERPA-LAYERED-DEFENSE'] },
  references: { awsConfig: ['VPC_DEFAULT_SECURITY_GROUP_CLOSED'], cdkNag: ['HIPAA.Security-VPCDefaultSecurityGroupClosed'], prowler: ['ec2_securitygroup_default_restrict_traffic'] },
  // live default groups are judged as groups; a CloudFormation VPC through what the template does to its default group
  // (Terraform manages it as aws_default_security_group, judged as a group when converted)
  appliesTo: (r) => (r.type === 'AWS::EC2::SecurityGroup' ? str(r.props['GroupName']) === 'default' : r.origin === 'cloudformation' || r.origin === 'sam' || r.origin === 'serverless'),
  evaluate(r, ctx) {
    if (r.type === 'AWS::EC2::SecurityGroup') {
      const ingress = list(r.props['SecurityGroupIngress']).length
      const egress = list(r.props['SecurityGroupEgress']).length
      if (!ingress && !egress) return pass(`Default ${subject(r)} has no rules.`)
      return fail(`Default ${subject(r)} has ${ingress} inbound and ${egress} outbound rule${ingress + egress > 1 ? 's' : ''}.`, { path: ingress ? 'SecurityGroupIngress' : 'SecurityGroupEgress', evidence: { ingress, egress } })
    }
    const openers = [...ctx.view.ofType('AWS::EC2::SecurityGroupIngress'), ...ctx.view.ofType('AWS::EC2::SecurityGroupEgress')].filter((x) => x.stack === r.stack && namesDefaultSg(x.props['GroupId'], r))
    if (openers.length) return fail(`${subject(r)} adds rule${openers.length > 1 ? 's' : ''} ${openers.map((o) => o.sourceId).join(', ')} to its default security group.`, { evidence: { rules: openers.map((o) => o.id) } })
    const customs = ctx.view.inStack(r.stack).filter((x) => x.type.startsWith('Custom::') && namesDefaultSg(x.props, r))
    const restrict = customs.find((x) => /RestrictDefaultS(ecurity)?G/i.test(x.type))
    if (restrict) return pass(`${subject(r)} removes the rules of its default security group (${restrict.type} ${restrict.sourceId}).`)
    if (customs.length) return manual(`${subject(r)} passes its default security group to custom resource ${customs[0]!.sourceId}; confirm that it removes all rules.`)
    return fail(`${subject(r)} keeps the default security group's rules (all traffic between members, all outbound traffic).`)
  },
})
