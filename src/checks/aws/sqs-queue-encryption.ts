import { defineCheck, fail, manual, pass } from '../define-check.js'
import { subject } from './lib/judge.js'
import { bool, describe, isUnknown } from './lib/values.js'

/** Messages at rest in queues are encrypted, and queues that carry PHI use a KMS key. */
export default defineCheck({
  id: 'aws/sqs-queue-encryption',
  title: 'SQS queue is encrypted at rest (with KMS when it carries PHI)',
  severity: 'medium',
  resourceKinds: ['aws:sqs:queue'],
  rationale:
    'Queues created since late 2022 get SSE-SQS by default, but a queue with SqsManagedSseEnabled false, or an older live queue, stores messages unencrypted. SSE-SQS keys belong to the SQS service: their use is not logged in CloudTrail, no key policy limits who can decrypt, and they cannot be revoked. Queues that carry PHI (intake events, lab results) therefore need SSE-KMS, which gives an audit trail and access control on every decryption; other queues pass with SSE-SQS.',
  remediation: {
    text: 'Set KmsMasterKeyId (a customer managed key, or alias/aws/sqs) on queues that carry PHI; never set SqsManagedSseEnabled to false without a KMS key. Producers then need kms:GenerateDataKey and consumers kms:Decrypt on the key.',
    cloudformation: 'KmsMasterKeyId: !Ref MessagingKey\nKmsDataKeyReusePeriodSeconds: 300',
    terraform: 'kms_master_key_id = aws_kms_key.messaging.arn',
  },
  controls: { csf: ['PR.DS-1'], hipaa: ['164.312(a)(2)(iv)', '164.312(b)'], ferpa: ['FERPA-DATA-ENCRYPTION'] },
  references: { prowler: ['sqs_queues_server_side_encryption_enabled'] },
  evaluate(queue) {
    const key = queue.props['KmsMasterKeyId']
    if (key !== undefined && key !== null && key !== '') return pass(`${subject(queue)} is encrypted with KMS key ${describe(key)}.`, { key: describe(key) })
    const raw = queue.props['SqsManagedSseEnabled']
    if (isUnknown(raw)) return manual(`${subject(queue)} takes SqsManagedSseEnabled from ${describe(raw)}, unknown at scan time.`, { path: 'SqsManagedSseEnabled' })
    // new queues get SSE-SQS by default; a live queue reports the setting, and its absence means off
    const sseSqs = bool(raw, queue.origin !== 'aws-snapshot')
    if (!sseSqs) return fail(`${subject(queue)} stores messages unencrypted.`, { path: raw === undefined ? '' : 'SqsManagedSseEnabled' })
    if (queue.holdsPhi === 'yes') {
      return fail(`${subject(queue)} carries PHI but is encrypted only with an SQS-owned key (SSE-SQS), not KMS.`, { path: raw === undefined ? '' : 'SqsManagedSseEnabled', evidence: { phi: queue.evidence.phi.map((e) => e.detail).slice(0, 3) } })
    }
    return pass(`${subject(queue)} is encrypted with SSE-SQS${queue.holdsPhi === 'unknown' ? ' (not known to carry PHI)' : ''}.`)
  },
})
