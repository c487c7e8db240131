import { defineCheck, fail, manual, pass } from '../define-check.js'
import { restStageOf } from './lib/apigw-stages.js'
import { bool, describe } from './lib/values.js'

/** Requests through a REST API are traced end to end with AWS X-Ray. */
export default defineCheck({
  id: 'aws/apigw-stage-xray',
  title: 'API Gateway REST stage has X-Ray tracing on',
  severity: 'low',
  resourceKinds: ['aws:apigateway:stage', 'aws:apigateway:deployment'],
  rationale:
    'X-Ray traces follow a request from the API through the functions and data stores it touches, which shows during an incident which backends a suspicious request reached and where latency or errors come from. HTTP and WebSocket APIs do not support X-Ray and are not judged.',
  remediation: {
    text: 'Turn on tracing for the stage (and Tracing: Active on the functions behind it). Traces hold request metadata, not bodies; do not add PHI as trace annotations.',
    cloudformation: 'TracingEnabled: true   (SAM: AWS::Serverless::Api TracingEnabled: true; Serverless Framework: provider.tracing.apiGateway: true)',
    terraform: 'resource "aws_api_gateway_stage" "prod" { … xray_tracing_enabled = true }',
  },
  controls: { csf: ['DE.CM-1', 'DE.AE-2'], hipaa: ['164.312(b)'], ferpa: ['FERPA-AUDIT-MONITORING'] },
  references: { cdkNag: ['HIPAA.Security-APIGWXrayEnabled'], prowler: ['apigateway_restapi_tracing_enabled'] },
  appliesTo: (r, ctx) => restStageOf(r, ctx) !== undefined,
  evaluate(r, ctx) {
    const stage = restStageOf(r, ctx)!
    const path = `${stage.pathPrefix}TracingEnabled`
    const v = stage.settings['TracingEnabled']
    const on = bool(v, false)
    if (on === undefined) return manual(`${stage.label} takes TracingEnabled from ${describe(v)}, unknown at scan time.`, { path })
    return on ? pass(`${stage.label} has X-Ray tracing on.`) : fail(`${stage.label} has X-Ray tracing off.`, { path })
  },
})
