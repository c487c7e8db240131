import { defineCheck, fail, manual, pass } from '../define-check.js'
import { keyRef } from './lib/kms.js'

/** Secrets are encrypted with a customer managed KMS key whose policy the organization controls. */
export default defineCheck({
  id: 'aws/secretsmanager-cmk',
  title: 'Secrets Manager secret is encrypted with a customer managed KMS key',
  severity: 'medium',
  resourceKinds: ['aws:secretsmanager:secret'],
  rationale:
    'With the AWS managed key aws/secretsmanager, anyone with secretsmanager:GetSecretValue in the account can decrypt the secret, and the key cannot be shared across accounts or restricted. A customer managed key adds a second, independent policy deciding who can read database credentials to PHI stores, and its use is audited per key.',
  remediation: {
    text: 'Create a customer managed KMS key (with rotation on) whose key policy allows only the roles that read the secret, and set KmsKeyId on the secret.',
    cloudformation: 'KmsKeyId: !Ref SecretsKey',
    terraform: 'resource "aws_secretsmanager_secret" "db" { … kms_key_id = aws_kms_key.secrets.arn }',
  },
  controls: { csf: ['PR.DS-1', 'PR.AC-4'], hipaa: ['164.312(a)(2)(iv)', '164.312(a)(1)'], ferpa: ['FERPA-DATA-ENCRYPTION'] },
  references: { awsConfig: ['SECRETSMANAGER_USING_CMK'], cdkNag: ['HIPAA.Security-SecretsManagerUsingKMSKey'] },
  evaluate(secret, ctx) {
    const ref = keyRef(secret.props['KmsKeyId'], secret, ctx)
    switch (ref.kind) {
      case 'customer':
        return pass(`Secrets Manager secret ${secret.name} is encrypted with customer managed key ${ref.key ? ref.key.name : ref.value}.`, { key: ref.key?.id ?? ref.value })
      case 'unknown':
        return manual(`Secrets Manager secret ${secret.name} takes KmsKeyId from ${ref.value}, unknown at scan time; confirm it is a customer managed key.`, { path: 'KmsKeyId' })
      case 'aws-managed':
        return fail(`Secrets Manager secret ${secret.name} is encrypted with the AWS managed key ${ref.value}.`, { path: 'KmsKeyId', evidence: { key: ref.value } })
      default:
        return fail(`Secrets Manager secret ${secret.name} is encrypted with the AWS managed key aws/secretsmanager (no KmsKeyId).`, { evidence: { key: 'aws/secretsmanager' } })
    }
  },
})
