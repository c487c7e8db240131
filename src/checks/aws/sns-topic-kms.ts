import { defineCheck, fail, pass } from '../define-check.js'
import { subject } from './lib/judge.js'
import { describe } from './lib/values.js'

/** Notifications stored by SNS until delivered are encrypted with a KMS key. */
export default defineCheck({
  id: 'aws/sns-topic-kms',
  title: 'SNS topic is encrypted with a KMS key',
  severity: 'medium',
  resourceKinds: ['aws:sns:topic'],
  rationale:
    'SNS topics are not encrypted at rest by default: messages published to a topic (appointment reminders, result notifications, integration events) are stored unencrypted until every subscriber receives them. A KMS key encrypts them and logs each use.',
  remediation: {
    text: 'Set KmsMasterKeyId to a customer managed key (or alias/aws/sns) and grant publishers kms:GenerateDataKey and kms:Decrypt on it.',
    cloudformation: 'KmsMasterKeyId: !Ref MessagingKey',
    terraform: 'kms_master_key_id = aws_kms_key.messaging.arn',
  },
  controls: { csf: ['PR.DS-1'], hipaa: ['164.312(a)(2)(iv)'], ferpa: ['FERPA-DATA-ENCRYPTION'] },
  references: { awsConfig: ['SNS_ENCRYPTED_KMS'], cdkNag: ['HIPAA.Security-SNSEncryptedKMS'], prowler: ['sns_topics_kms_encryption_at_rest_enabled'] },
  evaluate(topic) {
    const key = topic.props['KmsMasterKeyId']
    if (key !== undefined && key !== null && key !== '') return pass(`${subject(topic)} is encrypted with KMS key ${describe(key)}.`, { key: describe(key) })
    return fail(`${subject(topic)} is not encrypted at rest.`)
  },
})
