import type { Resource } from '../../model/index.js'
import { defineCheck, fail, manual, pass } from '../define-check.js'
import type { CheckContext, CheckResult } from '../types.js'
import { methodPath, restApiIsPrivate, restApiOf, restStagesOfApi, stageWideSetting, type StageView } from './lib/apigw-stages.js'
import { apiRoutes } from './lib/apigw.js'
import { describe, isObj, list, num } from './lib/values.js'

/** Usage plans whose ApiStages name this stage, with a throttle or quota. */
function usagePlansOf(stage: StageView, ctx: CheckContext): Resource[] {
  return ctx.view.ofType('AWS::ApiGateway::UsagePlan').filter((plan) => {
    if (plan.props['Throttle'] === undefined && plan.props['Quota'] === undefined) return false
    return list(plan.props['ApiStages']).some((s) => {
      if (!isObj(s)) return false
      if (restApiOf(plan, s['ApiId'], ctx) !== stage.api) return false
      const st = s['Stage']
      return st === stage.stageName || ctx.view.refs(st, plan).includes(stage.resource)
    })
  })
}

/** A public REST API cannot be flooded up to the account-wide limit: its stages have throttling of their own. */
export default defineCheck({
  id: 'aws/apigw-public-api-throttling',
  title: 'Public REST API stages are throttled by a usage plan or stage limits',
  severity: 'low',
  resourceKinds: ['aws:apigateway:rest-api'],
  rationale:
    'Without throttling of its own, a public API shares the account-wide limit (10,000 requests per second per Region) with every other API; one client flooding it can drive up Lambda and database load, exhaust concurrency for the PHI workloads behind other APIs, and run enumeration attacks at full speed. Usage plans throttle only requests that carry an API key, so routes without a key need stage-level limits. Private APIs are not judged.',
  remediation: {
    text: 'Set stage-wide ThrottlingRateLimit and ThrottlingBurstLimit in MethodSettings (they apply to every caller), and add usage plans with throttles and quotas for API-key clients.',
    cloudformation: 'MethodSettings: [ { ResourcePath: "/*", HttpMethod: "*", ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 } ]   (usage plan: AWS::ApiGateway::UsagePlan { ApiStages: [ { ApiId: !Ref Api, Stage: prod } ], Throttle: { RateLimit: 20, BurstLimit: 40 } })',
    terraform: 'resource "aws_api_gateway_method_settings" "all" { … method_path = "*/*"  settings { throttling_rate_limit = 50  throttling_burst_limit = 100 } }',
  },
  controls: { csf: ['PR.DS-4', 'PR.PT-4'], hipaa: ['164.308(a)(7)(ii)(C)', '164.312(a)(1)'], ferpa: ['FERPA-LAYERED-DEFENSE'] },
  appliesTo: (api) => restApiIsPrivate(api) !== true,
  evaluate(api, ctx) {
    if (restApiIsPrivate(api) === undefined) return manual(`REST API ${api.name} takes its endpoint type from ${describe(api.props['EndpointConfiguration'])}, unknown at scan time.`, { path: 'EndpointConfiguration' })
    const stages = restStagesOfApi(api, ctx)
    if (stages.length === 0) return pass(`REST API ${api.name} has no deployed stage in the scanned files.`, { stages: 0 })
    const routes = apiRoutes(api, ctx).filter((r) => r.method !== 'OPTIONS')
    const keyless = routes.filter((r) => !r.apiKeyRequired)
    const results: CheckResult[] = []
    for (const stage of stages) {
      const wide = stageWideSetting(stage)
      const rate = num(wide?.values['ThrottlingRateLimit'])
      const burst = num(wide?.values['ThrottlingBurstLimit'])
      if (rate !== undefined || burst !== undefined) {
        results.push(pass(`${stage.label} is public and throttled at the stage (${rate !== undefined ? `${rate} requests/s` : ''}${rate !== undefined && burst !== undefined ? ', ' : ''}${burst !== undefined ? `burst ${burst}` : ''}).`, { rate, burst }))
        continue
      }
      const plans = usagePlansOf(stage, ctx)
      if (plans.length && keyless.length === 0) {
        results.push(pass(`${stage.label} is public and every route requires an API key throttled by usage plan ${plans.map((p) => p.name).join(', ')}.`, { usagePlans: plans.map((p) => p.id) }))
      } else if (plans.length) {
        const k = keyless[0]!
        const example = `${k.method} ${k.declaredIn.type === 'AWS::ApiGateway::Method' ? methodPath(k.declaredIn, ctx) : k.path}`
        results.push(fail(`${stage.label} is public; usage plan ${plans.map((p) => p.name).join(', ')} throttles only API-key requests, and ${keyless.length === 1 ? `route ${example} takes` : `${keyless.length} routes (e.g. ${example}) take`} requests without a key and ${keyless.length === 1 ? 'has' : 'have'} no stage throttle.`, { path: `${stage.pathPrefix}MethodSettings`, evidence: { usagePlans: plans.map((p) => p.id), keylessRoutes: keyless.length } }))
      } else if (api.origin === 'aws-snapshot' && keyless.length === 0 && ctx.view.ofType('AWS::ApiGateway::UsagePlan').length === 0) {
        // usage plans are not part of live snapshots: every route needs a key, so a plan may well throttle them
        results.push(manual(`${stage.label} is public, every route requires an API key, and the snapshot does not record usage plans; check that a usage plan with a throttle covers this stage.`, { evidence: { stage: stage.stageName } }))
      } else {
        results.push(fail(`${stage.label} is public and has no throttling of its own (no stage throttle, no usage plan), only the account-wide limit.`, { path: `${stage.pathPrefix}MethodSettings`, evidence: { stage: stage.stageName } }))
      }
    }
    return results
  },
})
