import { defineCheck, fail, manual, pass } from '../define-check.js'
import { subject } from './lib/judge.js'
import { at, describe, isObj, isUnknown, str } from './lib/values.js'

/** Records in data streams (device telemetry, clinical events) are encrypted at rest. */
export default defineCheck({
  id: 'aws/kinesis-stream-encrypted',
  title: 'Kinesis data stream is encrypted with KMS',
  severity: 'medium',
  resourceKinds: ['aws:kinesis:stream'],
  rationale:
    'A Kinesis stream without StreamEncryption keeps every record unencrypted on the service for its whole retention period (up to a year). Streams that carry vitals from devices, clinical events or change data from EHR databases then hold ePHI in the clear.',
  remediation: {
    text: 'Set StreamEncryption with EncryptionType KMS and a customer managed key (or alias/aws/kinesis).',
    cloudformation: 'StreamEncryption: { EncryptionType: KMS, KeyId: !Ref StreamKey }',
    terraform: 'encryption_type = "KMS"\nkms_key_id = aws_kms_key.stream.arn',
  },
  controls: { csf: ['PR.DS-1'], hipaa: ['164.312(a)(2)(iv)'], ferpa: ['FERPA-DATA-ENCRYPTION'] },
  references: { awsConfig: ['KINESIS_STREAM_ENCRYPTED'], prowler: ['kinesis_stream_encrypted_at_rest'] },
  evaluate(stream) {
    const enc = stream.props['StreamEncryption']
    if (isUnknown(enc)) return manual(`${subject(stream)} takes StreamEncryption from ${describe(enc)}, unknown at scan time.`, { path: 'StreamEncryption' })
    if (!isObj(enc)) return fail(`${subject(stream)} is not encrypted at rest.`)
    const type = at(enc, 'EncryptionType')
    if (isUnknown(type)) return manual(`${subject(stream)} takes its encryption type from ${describe(type)}, unknown at scan time.`, { path: 'StreamEncryption.EncryptionType' })
    if (str(type)?.toUpperCase() !== 'KMS') return fail(`${subject(stream)} has encryption type ${describe(type)}, not KMS.`, { path: 'StreamEncryption.EncryptionType' })
    return pass(`${subject(stream)} is encrypted with KMS key ${describe(enc['KeyId'])}.`)
  },
})
