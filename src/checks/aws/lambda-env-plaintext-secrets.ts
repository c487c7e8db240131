import { maskValue } from '../../model/index.js'
import { defineCheck, fail, manual, pass } from '../define-check.js'
import type { CheckResult } from '../types.js'
import { at, isObj, isUnknown } from './lib/values.js'

const SECRET_NAME = /(pass(word|wd|phrase)?|secret|token|api[-_]?key|apikey|private[-_]?key|credential|access[-_]?key|client[-_]?secret|auth[-_]?key|signing[-_]?key|db[-_]?pass|conn(ection)?[-_]?str(ing)?|dsn)$/i
const SECRET_VALUE: [RegExp, string][] = [
  [/\b(AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/, 'AWS access key id'],
  [/-----BEGIN ([A-Z ]+ )?PRIVATE KEY-----/, 'private key'],
  [/\bxox[baprs]-[0-9A-Za-z-]{10,}/, 'Slack token'],
  [/\bgh[pousr]_[0-9A-Za-z]{36}\b/, 'GitHub token'],
  [/\bsk_live_[0-9a-zA-Z]{24,}/, 'Stripe secret key'],
  [/^[a-z]+:\/\/[^:/\s]+:[^@/\s]+@/i, 'credentials in a connection URL'],
]
// values that point at a secret store rather than being the secret
const REFERENCE = /^(arn:aws[a-z-]*:(secretsmanager|ssm|kms):|\{\{resolve:(secretsmanager|ssm|ssm-secure):|\/?[a-z0-9_.-]+(\/[a-z0-9_.-]+)+$)/i

/** Secrets are read at run time from Secrets Manager or SSM, not written into the function's configuration. */
export default defineCheck({
  id: 'aws/lambda-env-plaintext-secrets',
  title: 'Lambda function environment holds no plaintext secrets',
  severity: 'high',
  resourceKinds: ['aws:lambda:function'],
  rationale: 'Environment variables are visible to anyone with lambda:GetFunctionConfiguration, are copied into templates, build logs and state files, and are not rotated; a database password there opens the PHI store it protects.',
  remediation: {
    text: 'Store the secret in AWS Secrets Manager (or SSM SecureString), pass its ARN or name in the environment, and read it at run time with the Parameters and Secrets Lambda extension; rotate it.',
    cloudformation: 'Environment: { Variables: { DB_SECRET_ARN: !Ref DbSecret } }  with  Policies: [ AWSSecretsManagerGetSecretValuePolicy: { SecretArn: !Ref DbSecret } ]',
  },
  controls: { csf: ['PR.AC-1', 'PR.DS-1', 'PR.DS-5'], hipaa: ['164.312(a)(1)', '164.312(a)(2)(iv)', '164.308(a)(5)(ii)(D)'], ferpa: ['FERPA-SECURE-CONFIGURATIONS', 'FERPA-AUTHENTICATION'] },
  references: { prowler: ['awslambda_function_no_secrets_in_variables'] },
  evaluate(fn) {
    const vars = at(fn.props, 'Environment.Variables')
    if (!isObj(vars)) return pass(`Lambda function ${fn.name} has no environment variables.`)
    const results: CheckResult[] = []
    for (const [name, value] of Object.entries(vars)) {
      // a Serverless variable resolved when the stack is deployed (`${env:DB_PASSWORD}`, `${ssm:/app/db}`):
      // the framework writes its value into the function's configuration, in plaintext
      const deployTime = typeof value === 'string' ? /\$\{(env|ssm|secrets|cf|s3|param|file\()[:(]/.exec(value) : null
      if (deployTime && SECRET_NAME.test(name)) {
        results.push(
          manual(`Lambda function ${fn.name} sets environment variable ${name} from \${${deployTime[1]}…} at deploy time: the Serverless Framework writes the resolved value into the function's configuration in plaintext; if it is a secret, read it at run time from Secrets Manager or SSM instead.`, {
            path: `Environment.Variables.${name}`,
            evidence: { variable: name, source: deployTime[1] },
          }),
        )
        continue
      }
      if (typeof value !== 'string' || isUnknown(value) || value.length === 0) continue
      const byValue = SECRET_VALUE.find(([re]) => re.test(value))
      const byName = SECRET_NAME.test(name) && !REFERENCE.test(value) && value.length >= 6 && !/^(true|false|none|null|\d+)$/i.test(value)
      if (!byValue && !byName) continue
      results.push(
        fail(`Lambda function ${fn.name} sets environment variable ${name} to a plaintext ${byValue ? byValue[1] : 'secret'}.`, {
          path: `Environment.Variables.${name}`,
          evidence: { variable: name, kind: byValue ? byValue[1] : 'secret by name', masked: maskValue(value) },
        }),
      )
    }
    return results.length ? results : pass(`Lambda function ${fn.name} keeps no plaintext secrets in its ${Object.keys(vars).length} environment variables.`)
  },
})
