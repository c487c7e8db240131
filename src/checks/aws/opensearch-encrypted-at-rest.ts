import { defineCheck } from '../define-check.js'
import { judgeBool } from './lib/judge.js'

/** Search indexes of clinical documents and their snapshots are encrypted at rest. */
export default defineCheck({
  id: 'aws/opensearch-encrypted-at-rest',
  title: 'OpenSearch domain is encrypted at rest',
  severity: 'high',
  resourceKinds: ['aws:opensearchservice:domain', 'aws:elasticsearch:domain'],
  rationale:
    'Search domains index the text of notes, reports and messages. EncryptionAtRestOptions defaults to off when a domain is created through CloudFormation or the API, leaving indexes, swap files and automated snapshots of ePHI unencrypted; it cannot be turned on for older engine versions without migrating.',
  remediation: {
    text: 'Set EncryptionAtRestOptions Enabled: true with a customer managed KMS key.',
    cloudformation: 'EncryptionAtRestOptions: { Enabled: true, KmsKeyId: !Ref SearchKey }',
    terraform: 'encrypt_at_rest { enabled = true  kms_key_id = aws_kms_key.search.arn }',
  },
  controls: { csf: ['PR.DS-1'], hipaa: ['164.312(a)(2)(iv)'], ferpa: ['FERPA-DATA-ENCRYPTION'] },
  references: {
    awsConfig: ['ELASTICSEARCH_ENCRYPTED_AT_REST', 'OPENSEARCH_ENCRYPTED_AT_REST'],
    cdkNag: ['HIPAA.Security-OpenSearchEncryptedAtRest'],
    prowler: ['opensearch_service_domains_encryption_at_rest_enabled'],
  },
  evaluate: (d) => judgeBool(d, { path: 'EncryptionAtRestOptions.Enabled', want: true, fallback: false, good: 'is encrypted at rest', bad: 'is not encrypted at rest', defaultNote: 'off unless EncryptionAtRestOptions is enabled' }),
})
