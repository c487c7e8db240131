import { defineCheck, fail, manual, pass } from '../define-check.js'
import { lbAttribute, lbType } from './lib/elb.js'
import { subject } from './lib/judge.js'
import { at, bool, describe } from './lib/values.js'

/** Every request a load balancer receives is recorded, with client address and outcome. */
export default defineCheck({
  id: 'aws/elb-logging',
  title: 'Load balancer writes access logs',
  severity: 'medium',
  resourceKinds: ['aws:elasticloadbalancingv2:load-balancer', 'aws:elasticloadbalancing:load-balancer'],
  rationale:
    'Access logs are off by default. Without them there is no record of who called the patient portal or API from where, which paths they requested and what was returned: credential stuffing, scraping of records and exploitation attempts cannot be investigated, as HIPAA audit controls require.',
  remediation: {
    text: 'Turn on access logs to an S3 bucket (SSE-S3, with a bucket policy for the ELB log delivery principal) and keep them per your audit retention.',
    cloudformation: 'LoadBalancerAttributes: [ { Key: access_logs.s3.enabled, Value: "true" }, { Key: access_logs.s3.bucket, Value: !Ref AlbLogBucket } ]',
    terraform: 'access_logs { bucket = aws_s3_bucket.alb_logs.id  enabled = true }',
  },
  controls: { csf: ['DE.CM-1', 'DE.CM-7', 'PR.PT-1'], hipaa: ['164.312(b)', '164.308(a)(1)(ii)(D)'], ferpa: ['FERPA-AUDIT-MONITORING'] },
  references: { awsConfig: ['ELB_LOGGING_ENABLED'], cdkNag: ['HIPAA.Security-ELBLoggingEnabled'], prowler: ['elb_logging_enabled', 'elbv2_logging_enabled'] },
  // Gateway Load Balancers have no access logs
  appliesTo: (lb) => lb.type !== 'AWS::ElasticLoadBalancingV2::LoadBalancer' || lbType(lb) !== 'gateway',
  evaluate(lb) {
    const a = lb.type === 'AWS::ElasticLoadBalancing::LoadBalancer' ? { value: at(lb.props, 'AccessLoggingPolicy.Enabled'), path: 'AccessLoggingPolicy.Enabled' } : lbAttribute(lb, 'access_logs.s3.enabled')
    const v = bool(a?.value, false)
    if (v === undefined) return manual(`${subject(lb)} takes its access log setting from ${describe(a?.value)}, unknown at scan time.`, a ? { path: a.path } : {})
    return v ? pass(`${subject(lb)} writes access logs.`) : fail(`${subject(lb)} does not write access logs.`, a?.value !== undefined ? { path: a!.path } : {})
  },
})
