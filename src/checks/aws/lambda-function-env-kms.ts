import { defineCheck, fail, manual, pass } from '../define-check.js'
import { keyRef } from './lib/kms.js'
import { at, describe, isObj, isUnknown } from './lib/values.js'

/** A function's environment variables are encrypted with a key whose use the organization controls and audits. */
export default defineCheck({
  id: 'aws/lambda-function-env-kms',
  title: 'Lambda function encrypts its environment variables with a customer managed KMS key',
  severity: 'low',
  resourceKinds: ['aws:lambda:function'],
  rationale:
    'Lambda encrypts environment variables with the AWS managed key aws/lambda, which any principal allowed lambda:GetFunctionConfiguration can use implicitly; a customer managed key adds a key policy that decides who can read the configuration values (connection strings, table names, endpoints), key-usage records in CloudTrail, and the ability to revoke access by disabling the key. Functions without environment variables pass.',
  remediation: {
    text: 'Create a customer managed KMS key with a policy allowing the function role kms:Decrypt, and set KmsKeyArn on the function. Keep secrets themselves in Secrets Manager, not in the environment.',
    cloudformation: 'KmsKeyArn: !GetAtt FunctionConfigKey.Arn   (SAM: KmsKeyArn on the function or in Globals; Serverless Framework: provider.kmsKeyArn)',
    terraform: 'resource "aws_lambda_function" "f" { … kms_key_arn = aws_kms_key.lambda_config.arn }',
  },
  controls: { csf: ['PR.DS-1'], hipaa: ['164.312(a)(2)(iv)'], ferpa: ['FERPA-DATA-ENCRYPTION'] },
  evaluate(fn, ctx) {
    const vars = at(fn.props, 'Environment.Variables')
    if (!isObj(vars) || Object.keys(vars).length === 0) {
      if (isUnknown(vars)) return manual(`Lambda function ${fn.name} takes its environment variables from ${describe(vars)}, unknown at scan time.`, { path: 'Environment' })
      return pass(`Lambda function ${fn.name} has no environment variables to encrypt.`)
    }
    const ref = keyRef(fn.props['KmsKeyArn'], fn, ctx)
    switch (ref.kind) {
      case 'customer':
        return pass(`Lambda function ${fn.name} encrypts its environment variables with customer managed key ${ref.key ? ref.key.name : ref.value}.`, { key: ref.key?.id ?? ref.value })
      case 'unknown':
        return manual(`Lambda function ${fn.name} takes KmsKeyArn from ${ref.value}, unknown at scan time; confirm it is a customer managed key.`, { path: 'KmsKeyArn' })
      case 'aws-managed':
        return fail(`Lambda function ${fn.name} encrypts its environment variables with the AWS managed key ${ref.value}.`, { path: 'KmsKeyArn', evidence: { key: ref.value } })
      default:
        return fail(`Lambda function ${fn.name} encrypts its ${Object.keys(vars).length} environment variables with the AWS managed key aws/lambda, not a customer managed key.`, { path: 'Environment', evidence: { variables: Object.keys(vars).length } })
    }
  },
})
