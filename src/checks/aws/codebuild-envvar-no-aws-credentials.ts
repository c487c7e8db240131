import { maskValue } from '../../model/index.js'
import { defineCheck, fail, pass } from '../define-check.js'
import type { CheckResult } from '../types.js'
import { subject } from './lib/judge.js'
import { at, isObj, list, str } from './lib/values.js'

/** Variable names AWS Config's CODEBUILD_PROJECT_ENVVAR_AWSCRED_CHECK looks for. */
const CREDENTIAL_NAMES = /^(AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN)$/i
/** An access key id, whatever the variable is called. */
const ACCESS_KEY = /\b(AKIA|ASIA)[0-9A-Z]{16}\b/

/** Build projects never carry long-lived AWS keys in plain text. */
export default defineCheck({
  id: 'aws/codebuild-envvar-no-aws-credentials',
  title: 'CodeBuild project has no plaintext AWS credentials in its environment',
  severity: 'critical',
  resourceKinds: ['aws:codebuild:project'],
  rationale:
    'Plaintext environment variables are readable by anyone who can view the project or its build logs, and are stored in the template and its history. AWS keys there (often a deploy user that can reach production PHI stores) leak, are never rotated, and bypass the project\'s own service role.',
  remediation: {
    text: 'Remove the keys and deactivate them; let the build use its service role, or store unavoidable secrets in Secrets Manager / Parameter Store and reference them with Type SECRETS_MANAGER / PARAMETER_STORE.',
    cloudformation: 'EnvironmentVariables: [ { Name: DEPLOY_TOKEN, Type: SECRETS_MANAGER, Value: clinic/ci/deploy-token } ]',
  },
  controls: { csf: ['PR.AC-1', 'PR.DS-5'], hipaa: ['164.312(a)(1)', '164.308(a)(5)(ii)(D)', '164.312(d)'], ferpa: ['FERPA-AUTHENTICATION', 'FERPA-SECURE-CONFIGURATIONS'] },
  references: { awsConfig: ['CODEBUILD_PROJECT_ENVVAR_AWSCRED_CHECK'], cdkNag: ['HIPAA.Security-CodeBuildProjectEnvVarAwsCred'], prowler: ['codebuild_project_no_secrets_in_variables'] },
  evaluate(project) {
    const results: CheckResult[] = []
    list(at(project.props, 'Environment.EnvironmentVariables')).forEach((v, i) => {
      if (!isObj(v)) return
      const type = (str(v['Type']) ?? 'PLAINTEXT').toUpperCase()
      if (type !== 'PLAINTEXT') return
      const name = str(v['Name']) ?? `#${i}`
      const value = str(v['Value'])
      if (CREDENTIAL_NAMES.test(name) || (value && ACCESS_KEY.test(value))) {
        results.push(
          fail(`${subject(project)} stores AWS credentials in plaintext environment variable ${name}.`, {
            path: `Environment.EnvironmentVariables.${i}.Value`,
            evidence: { variable: name, value: value ? maskValue(value) : 'not a literal' },
          }),
        )
      }
    })
    return results.length ? results : pass(`${subject(project)} has no plaintext AWS credentials in its environment.`)
  },
})
