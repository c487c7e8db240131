import { defineCheck, fail, manual, pass } from '../define-check.js'
import { describe, isUnknown } from './lib/values.js'

/** A function URL is an internet endpoint: it must authenticate callers with IAM. */
export default defineCheck({
  id: 'aws/lambda-function-url-auth',
  title: 'Lambda function URL requires IAM authentication',
  severity: 'critical',
  resourceKinds: ['aws:lambda:url'],
  rationale: 'A function URL with AuthType NONE is a public HTTPS endpoint: anyone can invoke the function and reach whatever PHI it can read.',
  remediation: {
    text: 'Set AuthType to AWS_IAM and sign requests (SigV4), or put the function behind API Gateway with an authorizer.',
    cloudformation: 'AWS::Lambda::Url Properties: { AuthType: AWS_IAM }   (SAM: FunctionUrlConfig: { AuthType: AWS_IAM })',
    terraform: 'resource "aws_lambda_function_url" "u" { authorization_type = "AWS_IAM" }',
  },
  controls: { csf: ['PR.AC-3', 'PR.AC-4', 'PR.AC-7', 'PR.PT-3'], hipaa: ['164.312(a)(1)', '164.312(d)'], ferpa: ['FERPA-AUTHENTICATION', 'FERPA-ACCESS-CONTROL'] },
  references: { prowler: ['awslambda_function_url_public'] },
  evaluate(url, ctx) {
    const auth = url.props['AuthType']
    const fn = ctx.view.refs(url.props['TargetFunctionArn'], url)[0]
    const target = fn ? `function ${fn.name}` : 'its function'
    if (isUnknown(auth)) return manual(`Lambda function URL ${url.name} takes its AuthType from ${describe(auth)}, unknown at scan time.`, { path: 'AuthType' })
    if (auth === 'AWS_IAM') return pass(`Lambda function URL ${url.name} of ${target} requires IAM authentication.`)
    return fail(`Lambda function URL ${url.name} lets anyone invoke ${target} without authentication (AuthType ${String(auth ?? 'NONE')}).`, { path: 'AuthType', evidence: { authType: auth, function: fn?.id } })
  },
})
