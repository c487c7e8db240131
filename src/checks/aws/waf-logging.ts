import { defineCheck, fail, pass } from '../define-check.js'
import { pointsAt, subject } from './lib/judge.js'

/** Requests the web application firewall allowed and blocked are recorded. */
export default defineCheck({
  id: 'aws/waf-logging',
  title: 'WAF web ACL logs the requests it inspects',
  severity: 'medium',
  resourceKinds: ['aws:wafv2:web-acl'],
  rationale:
    'A web ACL without logging keeps only sampled requests for three hours: attacks against patient portals (credential stuffing, injection attempts) cannot be investigated, tuned against or reported, and nobody can tell whether an attack got through.',
  remediation: {
    text: 'Add an AWS::WAFv2::LoggingConfiguration for the web ACL to a CloudWatch Logs group, S3 bucket or Firehose whose name starts with aws-waf-logs-, redacting the Authorization and Cookie headers.',
    cloudformation: 'WafLogging: { Type: AWS::WAFv2::LoggingConfiguration, Properties: { ResourceArn: !GetAtt PortalAcl.Arn, LogDestinationConfigs: [ !GetAtt WafLogGroup.Arn ], RedactedFields: [ { SingleHeader: { Name: authorization } } ] } }',
    terraform: 'resource "aws_wafv2_web_acl_logging_configuration" "portal" { resource_arn = aws_wafv2_web_acl.portal.arn  log_destination_configs = [aws_cloudwatch_log_group.waf.arn] }',
  },
  controls: { csf: ['DE.CM-1', 'DE.AE-3', 'PR.PT-1'], hipaa: ['164.312(b)', '164.308(a)(1)(ii)(D)'], ferpa: ['FERPA-AUDIT-MONITORING', 'FERPA-FIREWALLS-IDPS'] },
  references: { awsConfig: ['WAFV2_LOGGING_ENABLED'], cdkNag: ['HIPAA.Security-WAFv2LoggingEnabled'], prowler: ['wafv2_webacl_logging_enabled'] },
  evaluate(acl, ctx) {
    const cfg = ctx.view.ofType('AWS::WAFv2::LoggingConfiguration').find((l) => pointsAt(l.props['ResourceArn'], l, acl, ctx))
    if (cfg) return pass(`${subject(acl)} logs its requests (logging configuration ${cfg.name}).`)
    return fail(`${subject(acl)} has no logging configuration.`)
  },
})
