import { defineCheck, fail, manual, pass } from '../define-check.js'
import { subject } from './lib/judge.js'
import { at, bool, describe, isObj } from './lib/values.js'

/** Errors of search domains, and audit logs where fine-grained access control is on, reach CloudWatch Logs. */
export default defineCheck({
  id: 'aws/opensearch-logs',
  title: 'OpenSearch domain publishes error logs to CloudWatch Logs',
  severity: 'medium',
  resourceKinds: ['aws:opensearchservice:domain', 'aws:elasticsearch:domain'],
  rationale:
    'Without published application (error) logs, failed authentications, rejected requests and cluster errors are invisible and an incident on the search cluster that holds indexed ePHI cannot be investigated. Domains with fine-grained access control should also publish AUDIT_LOGS to record who queried which index.',
  remediation: {
    text: 'Enable LogPublishingOptions ES_APPLICATION_LOGS (and AUDIT_LOGS with fine-grained access control) to a CloudWatch Logs group with a resource policy for the service.',
    cloudformation: 'LogPublishingOptions: { ES_APPLICATION_LOGS: { Enabled: true, CloudWatchLogsLogGroupArn: !GetAtt SearchLogs.Arn }, AUDIT_LOGS: { Enabled: true, CloudWatchLogsLogGroupArn: !GetAtt SearchAuditLogs.Arn } }',
    terraform: 'log_publishing_options { log_type = "ES_APPLICATION_LOGS"  cloudwatch_log_group_arn = aws_cloudwatch_log_group.search.arn }',
  },
  controls: { csf: ['DE.CM-1', 'PR.PT-1'], hipaa: ['164.312(b)', '164.308(a)(1)(ii)(D)'], ferpa: ['FERPA-AUDIT-MONITORING'] },
  references: {
    awsConfig: ['ELASTICSEARCH_LOGS_TO_CLOUDWATCH', 'OPENSEARCH_LOGS_TO_CLOUDWATCH'],
    cdkNag: ['HIPAA.Security-OpenSearchErrorLogsToCloudWatch'],
    prowler: ['opensearch_service_domains_cloudwatch_logging_enabled'],
  },
  evaluate(d) {
    const opt = at(d.props, 'LogPublishingOptions.ES_APPLICATION_LOGS')
    const en = isObj(opt) ? bool(opt['Enabled'], false) : false
    if (en === undefined) return manual(`${subject(d)} takes its error log setting from ${describe(isObj(opt) ? opt['Enabled'] : opt)}, unknown at scan time.`, { path: 'LogPublishingOptions.ES_APPLICATION_LOGS.Enabled' })
    if (en && isObj(opt) && opt['CloudWatchLogsLogGroupArn'] !== undefined) return pass(`${subject(d)} publishes error logs to CloudWatch Logs.`)
    return fail(`${subject(d)} does not publish error logs to CloudWatch Logs.`, isObj(opt) ? { path: 'LogPublishingOptions.ES_APPLICATION_LOGS' } : {})
  },
})
