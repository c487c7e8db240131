import { defineCheck, fail, manual, pass } from '../define-check.js'
import type { CheckResult } from '../types.js'
import { lineOfPath } from '../evaluate.js'
import { apiRoutes, hasExternalDefinition } from './lib/apigw.js'

/** Every API route that reaches a workload authenticates its caller. */
export default defineCheck({
  id: 'aws/apigw-route-authorization',
  title: 'API Gateway routes require an authorizer',
  severity: 'high',
  resourceKinds: ['aws:apigateway:rest-api', 'aws:apigatewayv2:api'],
  rationale: 'A route with authorization NONE lets anyone on the internet call the function behind it; for an intake API that means reading or writing patient records without logging in.',
  remediation: {
    text: 'Give every route an authorizer (Cognito user pool, JWT, Lambda authorizer or IAM). API keys are for throttling, not authentication. Set a default authorizer on the API so new routes are covered.',
    cloudformation: 'SAM: Auth: { DefaultAuthorizer: CognitoAuth, Authorizers: { CognitoAuth: { UserPoolArn: !GetAtt UserPool.Arn } } }',
  },
  controls: { csf: ['PR.AC-1', 'PR.AC-4', 'PR.AC-7'], hipaa: ['164.312(a)(1)', '164.312(d)', '164.308(a)(4)(ii)(B)'], ferpa: ['FERPA-AUTHENTICATION', 'FERPA-ACCESS-CONTROL'] },
  references: { prowler: ['apigateway_restapi_authorizers_enabled', 'apigatewayv2_api_authorizers_enabled'] },
  evaluate(api, ctx) {
    const routes = apiRoutes(api, ctx).filter((r) => r.method !== 'OPTIONS')
    if (routes.length === 0) {
      if (hasExternalDefinition(api)) return manual(`API ${api.name} is defined in a file or S3 object PhiWall does not read; review its routes' authorizers.`)
      return pass(`API ${api.name} declares no routes.`)
    }
    const results: CheckResult[] = []
    for (const r of routes) {
      const where = r.declaredIn === api ? r.path_ : undefined
      // a route a Method / Route resource declares: that resource's line, when it is in the API's file
      const line = r.declaredIn !== api && r.declaredIn.location.file === api.location.file ? lineOfPath(r.declaredIn, r.path_) : undefined
      if (r.authorization === 'NONE') {
        results.push(
          fail(`Route ${r.method} ${r.path} of API ${api.name} has no authorizer${r.apiKeyRequired ? ' (an API key is required, but API keys do not authenticate callers)' : ''}.`, {
            ...(where ? { path: where } : {}),
            ...(line ? { line } : {}),
            evidence: { method: r.method, route: r.path, authorization: r.authorization, apiKeyRequired: r.apiKeyRequired, declaredIn: r.declaredIn.id },
          }),
        )
      } else if (r.authorization === 'UNKNOWN') {
        results.push(manual(`Route ${r.method} ${r.path} of API ${api.name} names an authorizer PhiWall cannot find; check that it exists.`, { ...(where ? { path: where } : {}), ...(line ? { line } : {}) }))
      }
    }
    if (results.length === 0) results.push(pass(`All ${routes.length} routes of API ${api.name} require an authorizer.`, { routes: routes.length }))
    return results
  },
})
