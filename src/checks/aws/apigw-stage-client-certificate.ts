import { defineCheck, fail, manual, pass } from '../define-check.js'
import { restIntegrationTypes, restStageOf } from './lib/apigw-stages.js'
import { describe } from './lib/values.js'

const HTTP_INTEGRATIONS = new Set(['http', 'http_proxy'])

/** HTTP backends can verify that a request really comes from API Gateway: the stage presents a client certificate. */
export default defineCheck({
  id: 'aws/apigw-stage-client-certificate',
  title: 'API Gateway REST stage with HTTP backends presents a client certificate',
  severity: 'medium',
  resourceKinds: ['aws:apigateway:stage', 'aws:apigateway:deployment'],
  rationale:
    'An HTTP backend reachable from the internet cannot tell requests relayed by API Gateway (after authorization) from requests sent to it directly; a client certificate on the stage lets the backend accept only API Gateway over mutual TLS. Lambda and AWS-service integrations are invoked with AWS credentials, so for stages that only use those the certificate has no effect and the check passes.',
  remediation: {
    text: 'Create an AWS::ApiGateway::ClientCertificate, set ClientCertificateId on the stage, and configure the HTTP backend to require that certificate (or move the backend behind a VPC link).',
    cloudformation: 'ApiClientCert: { Type: AWS::ApiGateway::ClientCertificate }\nStage: { Properties: { ClientCertificateId: !Ref ApiClientCert } }',
    terraform: 'resource "aws_api_gateway_stage" "prod" { … client_certificate_id = aws_api_gateway_client_certificate.backend.id }',
  },
  controls: { csf: ['PR.AC-7', 'PR.DS-2'], hipaa: ['164.312(d)', '164.312(e)(1)'], ferpa: ['FERPA-AUTHENTICATION', 'FERPA-DATA-ENCRYPTION'] },
  references: { awsConfig: ['API_GW_SSL_ENABLED'], cdkNag: ['HIPAA.Security-APIGWSSLEnabled'], prowler: ['apigateway_restapi_client_certificate_enabled'] },
  appliesTo: (r, ctx) => restStageOf(r, ctx) !== undefined,
  evaluate(r, ctx) {
    const stage = restStageOf(r, ctx)!
    const cert = stage.settings['ClientCertificateId']
    const path = `${stage.pathPrefix}ClientCertificateId`
    if (cert !== undefined && cert !== '') {
      const certRes = ctx.view.refs(cert, r).find((x) => x.type === 'AWS::ApiGateway::ClientCertificate')
      return pass(`${stage.label} presents client certificate ${certRes ? certRes.name : describe(cert)} to its backends.`)
    }
    if (!stage.api) return manual(`${stage.label} has no client certificate, and its API is outside the scanned files, so PhiWall cannot tell whether it has HTTP backends.`, { path })
    const { types, external } = restIntegrationTypes(stage.api, ctx)
    const http = [...types].filter((t) => HTTP_INTEGRATIONS.has(t))
    if (http.length) return fail(`${stage.label} has no client certificate, so its HTTP backends cannot verify that requests come from API Gateway.`, { path, evidence: { integrationTypes: [...types] } })
    if (external) return manual(`${stage.label} has no client certificate, and its API definition is not readable here; check whether it has HTTP backends.`, { path })
    return pass(`${stage.label} has no HTTP backends (integrations: ${types.size ? [...types].join(', ') : 'none'}), so a client certificate would not apply.`, { integrationTypes: [...types], notApplicable: true })
  },
})
