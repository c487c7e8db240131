import { defineCheck, fail, manual, pass } from '../define-check.js'
import { stageOf } from './lib/apigw-stages.js'
import { at, describe, isObj, isUnknown } from './lib/values.js'

/** Every request to an API stage leaves an access-log record: caller, route, status, time. */
export default defineCheck({
  id: 'aws/apigw-stage-access-logging',
  title: 'API Gateway stage writes access logs',
  severity: 'medium',
  resourceKinds: ['aws:apigateway:stage', 'aws:apigateway:deployment', 'aws:apigatewayv2:stage'],
  rationale:
    'Access logs are the per-request record of who called which route of a PHI API, from which IP, with which identity and result; without them an investigation cannot tell which patient records an attacker or a misbehaving client requested.',
  remediation: {
    text: 'Send access logs to a CloudWatch Logs group (encrypted, with a retention period) in a JSON format that includes $context.requestId, $context.identity.sourceIp, the caller or authorizer principal, $context.routeKey or resourcePath, and $context.status. Do not log request bodies or query strings that may carry PHI.',
    cloudformation: 'REST: AccessLogSetting: { DestinationArn: !GetAtt ApiAccessLogs.Arn, Format: \'{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","principal":"$context.authorizer.principalId","route":"$context.resourcePath","status":"$context.status"}\' }\nHTTP API: AccessLogSettings: { DestinationArn: !GetAtt ApiAccessLogs.Arn, Format: … }',
    terraform: 'access_log_settings { destination_arn = aws_cloudwatch_log_group.api.arn  format = jsonencode({ requestId = "$context.requestId", ip = "$context.identity.sourceIp", status = "$context.status" }) }',
  },
  controls: { csf: ['PR.PT-1', 'DE.AE-3', 'DE.CM-1'], hipaa: ['164.312(b)', '164.308(a)(1)(ii)(D)'], ferpa: ['FERPA-AUDIT-MONITORING'] },
  references: { prowler: ['apigatewayv2_api_access_logging_enabled'] },
  appliesTo: (r, ctx) => stageOf(r, ctx) !== undefined,
  evaluate(r, ctx) {
    const stage = stageOf(r, ctx)!
    const key = stage.flavor === 'rest' ? 'AccessLogSetting' : 'AccessLogSettings'
    const path = `${stage.pathPrefix}${key}`
    const setting = at(stage.settings, key)
    const dest = isObj(setting) ? setting['DestinationArn'] : undefined
    if (isUnknown(setting)) return manual(`${stage.label} takes its access log setting from ${describe(setting)}, unknown at scan time.`, { path })
    if (dest === undefined || dest === '') return fail(`${stage.label} writes no access logs.`, { path, evidence: { stage: stage.stageName } })
    const group = ctx.view.refs(dest, r).find((x) => x.type === 'AWS::Logs::LogGroup')
    return pass(`${stage.label} writes access logs to ${group ? `log group ${group.name}` : describe(dest)}.`, { destination: group?.id ?? describe(dest) })
  },
})
