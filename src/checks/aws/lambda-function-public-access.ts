import { principalIsPublic } from '../../inventory/index.js'
import { defineCheck, fail, pass } from '../define-check.js'
import { str } from './lib/values.js'

const NARROWING = ['SourceArn', 'SourceAccount', 'PrincipalOrgID', 'EventSourceToken']

/** No resource-based policy statement lets any AWS account (or anyone) invoke the function. */
export default defineCheck({
  id: 'aws/lambda-function-public-access',
  title: 'Lambda function resource policy does not allow public invocation',
  severity: 'critical',
  resourceKinds: ['aws:lambda:function'],
  rationale: 'A permission for Principal "*" without a source condition lets any AWS account, or anyone through a function URL, invoke the function and reach the PHI it handles.',
  remediation: {
    text: 'Give each AWS::Lambda::Permission a specific principal (a service or account) and a SourceArn or SourceAccount condition; for function URLs use AuthType AWS_IAM.',
    cloudformation: 'AWS::Lambda::Permission: { Principal: s3.amazonaws.com, SourceArn: !GetAtt Bucket.Arn, SourceAccount: !Ref AWS::AccountId }',
  },
  controls: { csf: ['PR.AC-3', 'PR.AC-4', 'PR.PT-3'], hipaa: ['164.308(a)(3)', '164.308(a)(4)(ii)(A)', '164.312(a)(1)', '164.312(e)(1)'], ferpa: ['FERPA-ACCESS-CONTROL'] },
  references: { awsConfig: ['LAMBDA_FUNCTION_PUBLIC_ACCESS_PROHIBITED'], cdkNag: ['HIPAA.Security-LambdaFunctionPublicAccessProhibited'], prowler: ['awslambda_function_not_publicly_accessible'] },
  evaluate(fn, ctx) {
    const perms = ctx.view.related(fn, { direction: 'in', kinds: ['attached'], types: ['AWS::Lambda::Permission'] })
    for (const p of perms) {
      const principal = p.props['Principal']
      const isPublic = principal === '*' || principalIsPublic(principal)
      if (!isPublic) continue
      if (NARROWING.some((k) => p.props[k] !== undefined)) continue
      if (str(p.props['FunctionUrlAuthType']) === 'AWS_IAM') continue
      const viaUrl = str(p.props['FunctionUrlAuthType']) === 'NONE'
      return fail(
        viaUrl
          ? `Lambda function ${fn.name} can be invoked by anyone through its unauthenticated function URL (permission ${p.sourceId}).`
          : `Lambda function ${fn.name} can be invoked by any AWS account (permission ${p.sourceId} grants Principal "*" with no source condition).`,
        { evidence: { permission: p.id, action: p.props['Action'], principal: '*' } },
      )
    }
    return pass(`Lambda function ${fn.name} grants invocation only to specific principals (${perms.length} permission${perms.length === 1 ? '' : 's'}).`)
  },
})
