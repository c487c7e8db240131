import { defineCheck, fail, manual, pass } from '../define-check.js'
import { subject } from './lib/judge.js'
import { at, bool, describe, str } from './lib/values.js'

/** Tables of patient records are encrypted with a KMS key the account controls and audits. */
export default defineCheck({
  id: 'aws/dynamodb-table-kms',
  title: 'DynamoDB table is encrypted with a KMS key',
  severity: 'medium',
  resourceKinds: ['aws:dynamodb:table', 'aws:dynamodb:global-table'],
  rationale:
    'Every DynamoDB table is encrypted at rest, but by default with a key AWS owns: its use is not logged in CloudTrail, its access cannot be limited by a key policy, and it cannot be disabled to make PHI unreadable (crypto-shredding). A KMS key (the AWS managed aws/dynamodb key or, better, a customer managed key) gives an audit trail of every decryption.',
  remediation: {
    text: 'Turn on SSE with SSEType KMS, naming a customer managed key for tables that hold PHI.',
    cloudformation: 'SSESpecification: { SSEEnabled: true, SSEType: KMS, KMSMasterKeyId: !Ref PatientDataKey }',
    terraform: 'server_side_encryption { enabled = true  kms_key_arn = aws_kms_key.patient_data.arn }',
  },
  controls: { csf: ['PR.DS-1'], hipaa: ['164.312(a)(2)(iv)', '164.312(b)'], ferpa: ['FERPA-DATA-ENCRYPTION'] },
  references: { prowler: ['dynamodb_tables_kms_cmk_encryption_enabled'] },
  evaluate(table) {
    const raw = at(table.props, 'SSESpecification.SSEEnabled')
    // SSEEnabled true means KMS: the only other type, AES256, is the AWS owned key used when it is off
    const on = bool(raw, false)
    if (on === undefined) return manual(`${subject(table)} takes SSESpecification.SSEEnabled from ${describe(raw)}, unknown at scan time.`, { path: 'SSESpecification.SSEEnabled' })
    if (!on) return fail(`${subject(table)} is encrypted only with a key AWS owns, not a KMS key.`, { path: raw === undefined ? 'SSESpecification' : 'SSESpecification.SSEEnabled' })
    const type = at(table.props, 'SSESpecification.SSEType')
    if (str(type) !== undefined && str(type)!.toUpperCase() !== 'KMS') return fail(`${subject(table)} uses SSEType ${describe(type)} instead of KMS.`, { path: 'SSESpecification.SSEType' })
    const key = table.type === 'AWS::DynamoDB::GlobalTable' ? at(table.props, 'Replicas.0.SSESpecification.KMSMasterKeyId') : at(table.props, 'SSESpecification.KMSMasterKeyId')
    if (key === undefined) return pass(`${subject(table)} is encrypted with the AWS managed KMS key aws/dynamodb.`, { key: 'aws/dynamodb' })
    return pass(`${subject(table)} is encrypted with KMS key ${describe(key)}.`, { key: describe(key) })
  },
})
