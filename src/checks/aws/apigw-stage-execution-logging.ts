import { defineCheck, fail, manual, pass } from '../define-check.js'
import type { CheckResult } from '../types.js'
import { stageOf, stageWideSetting } from './lib/apigw-stages.js'
import { at, bool, describe, isObj, isUnknown, str } from './lib/values.js'

const LOGGING = new Set(['ERROR', 'INFO'])

/** API Gateway records how each request was executed (authorizer, integration, errors) in CloudWatch Logs. */
export default defineCheck({
  id: 'aws/apigw-stage-execution-logging',
  title: 'API Gateway stage logs execution at ERROR or INFO level',
  severity: 'medium',
  resourceKinds: ['aws:apigateway:stage', 'aws:apigateway:deployment', 'aws:apigatewayv2:stage'],
  rationale:
    'Execution logs show authorizer decisions, integration failures and throttling for each request; without them, failed or denied access attempts against a PHI API are invisible. HTTP APIs have no execution logging (their access logs cover it) and are not judged.',
  remediation: {
    text: 'Set LoggingLevel to ERROR (or INFO) for all methods (ResourcePath /*, HttpMethod *), and give API Gateway a CloudWatch Logs role in the account (AWS::ApiGateway::Account). Keep DataTraceEnabled off in production: it writes full request and response bodies, which may hold PHI, to the logs.',
    cloudformation: 'MethodSettings: [ { ResourcePath: "/*", HttpMethod: "*", LoggingLevel: ERROR, DataTraceEnabled: false, MetricsEnabled: true } ]   (WebSocket: DefaultRouteSettings: { LoggingLevel: ERROR })',
    terraform: 'resource "aws_api_gateway_method_settings" "all" { rest_api_id = aws_api_gateway_rest_api.api.id  stage_name = aws_api_gateway_stage.prod.stage_name  method_path = "*/*"  settings { logging_level = "ERROR"  metrics_enabled = true } }',
  },
  controls: { csf: ['PR.PT-1', 'DE.AE-3', 'DE.CM-1'], hipaa: ['164.312(b)', '164.308(a)(1)(ii)(D)', '164.308(a)(5)(ii)(C)'], ferpa: ['FERPA-AUDIT-MONITORING'] },
  references: { awsConfig: ['API_GW_EXECUTION_LOGGING_ENABLED'], cdkNag: ['HIPAA.Security-APIGWExecutionLoggingEnabled'], prowler: ['apigateway_restapi_logging_enabled'] },
  appliesTo: (r, ctx) => {
    const s = stageOf(r, ctx)
    return s !== undefined && s.flavor !== 'http'
  },
  evaluate(r, ctx) {
    const stage = stageOf(r, ctx)!
    if (stage.flavor === 'websocket') {
      const level = at(stage.settings, 'DefaultRouteSettings.LoggingLevel')
      if (isUnknown(level)) return manual(`${stage.label} takes its logging level from ${describe(level)}, unknown at scan time.`, { path: 'DefaultRouteSettings.LoggingLevel' })
      if (!LOGGING.has(String(level ?? 'OFF').toUpperCase())) return fail(`${stage.label} does not log execution (LoggingLevel ${describe(level ?? 'OFF')}).`, { path: 'DefaultRouteSettings' })
      const off = isObj(stage.settings['RouteSettings']) ? Object.entries(stage.settings['RouteSettings']).filter(([, v]) => isObj(v) && String(v['LoggingLevel'] ?? '').toUpperCase() === 'OFF') : []
      if (off.length) return fail(`${stage.label} turns execution logging off for route ${off.map(([k]) => k).join(', ')}.`, { path: `RouteSettings.${off[0]![0]}` })
      return pass(`${stage.label} logs execution at ${String(level).toUpperCase()} level.`)
    }
    const wide = stageWideSetting(stage)
    const level = wide?.values['LoggingLevel']
    if (isUnknown(level)) return manual(`${stage.label} takes its logging level from ${describe(level)}, unknown at scan time.`, { path: wide!.path })
    const results: CheckResult[] = []
    if (!LOGGING.has(String(level ?? 'OFF').toUpperCase())) {
      results.push(fail(`${stage.label} does not log execution for all methods (LoggingLevel ${describe(level ?? 'OFF')}).`, { path: wide?.path ?? `${stage.pathPrefix}MethodSettings`, evidence: { loggingLevel: level ?? 'OFF' } }))
    }
    for (const m of stage.methodSettings) {
      if (m === wide) continue
      if (str(m.values['LoggingLevel'])?.toUpperCase() === 'OFF') results.push(fail(`${stage.label} turns execution logging off for ${m.httpMethod} ${m.resourcePath}.`, { path: m.path }))
    }
    if (results.length) return results
    const trace = bool(wide?.values['DataTraceEnabled'], false) === true
    return pass(
      `${stage.label} logs execution at ${String(level).toUpperCase()} level${trace ? '; full request and response logging (DataTraceEnabled) is also on, which copies request bodies that may hold PHI into the logs' : ''}.`,
      { loggingLevel: level, dataTrace: trace },
    )
  },
})
