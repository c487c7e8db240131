import { defineCheck, fail, manual, pass } from '../define-check.js'
import { internetFacing, lbType } from './lib/elb.js'
import { pointsAt, subject } from './lib/judge.js'

/** Internet-facing application load balancers filter common web attacks before they reach PHI applications. */
export default defineCheck({
  id: 'aws/alb-waf',
  title: 'Internet-facing Application Load Balancer is protected by AWS WAF',
  severity: 'medium',
  resourceKinds: ['aws:elasticloadbalancingv2:load-balancer'],
  rationale:
    'Patient portals and APIs behind an internet-facing ALB receive SQL injection, cross-site scripting, credential stuffing and bot traffic around the clock. A WAF web ACL with managed rule groups and rate limits blocks much of it before it reaches application code that handles PHI. Internal load balancers are not judged (AWS Config ALB_WAF_ENABLED checks every ALB).',
  remediation: {
    text: 'Associate a WAFv2 web ACL (AWS managed common, known-bad-inputs and SQL injection rule groups plus a rate-based rule) with the load balancer.',
    cloudformation: 'PortalAclAssociation: { Type: AWS::WAFv2::WebACLAssociation, Properties: { ResourceArn: !Ref Alb, WebACLArn: !GetAtt PortalAcl.Arn } }',
    terraform: 'resource "aws_wafv2_web_acl_association" "portal" { resource_arn = aws_lb.portal.arn  web_acl_arn = aws_wafv2_web_acl.portal.arn }',
  },
  controls: { csf: ['PR.PT-4', 'DE.CM-1', 'PR.AC-5'], hipaa: ['164.308(a)(1)(ii)(B)', '164.312(e)(1)', '164.308(a)(5)(ii)(B)'], ferpa: ['FERPA-FIREWALLS-IDPS', 'FERPA-LAYERED-DEFENSE'] },
  references: { awsConfig: ['ALB_WAF_ENABLED'], prowler: ['elbv2_waf_acl_attached'] },
  appliesTo: (lb) => lbType(lb) === 'application' && internetFacing(lb),
  evaluate(lb, ctx) {
    const assoc = [...ctx.view.ofType('AWS::WAFv2::WebACLAssociation'), ...ctx.view.ofType('AWS::WAFRegional::WebACLAssociation')].find((a) => pointsAt(a.props['ResourceArn'], a, lb, ctx))
    if (assoc) return pass(`${subject(lb)} is protected by WAF (association ${assoc.sourceId}).`)
    if (lb.origin === 'aws-snapshot' && !ctx.view.ofType('AWS::WAFv2::WebACLAssociation').length) return manual(`${subject(lb)}: the snapshot lists no web ACL associations, so PhiWall cannot tell whether WAF protects it.`)
    return fail(`${subject(lb)} is internet-facing and has no WAF web ACL.`)
  },
})
