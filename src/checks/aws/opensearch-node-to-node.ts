import { defineCheck } from '../define-check.js'
import { judgeBool } from './lib/judge.js'

/** Traffic between the nodes of a search cluster is encrypted. */
export default defineCheck({
  id: 'aws/opensearch-node-to-node',
  title: 'OpenSearch domain encrypts traffic between nodes',
  severity: 'medium',
  resourceKinds: ['aws:opensearchservice:domain', 'aws:elasticsearch:domain'],
  rationale:
    'Without node-to-node encryption (off by default), documents and query results travel between data nodes in clear text inside the VPC, where anything able to capture traffic (a compromised host, a mirrored interface) reads the indexed ePHI. Fine-grained access control also requires it.',
  remediation: {
    text: 'Set NodeToNodeEncryptionOptions Enabled: true (engine 6.0 or later; existing domains may need a blue/green update).',
    cloudformation: 'NodeToNodeEncryptionOptions: { Enabled: true }',
    terraform: 'node_to_node_encryption { enabled = true }',
  },
  controls: { csf: ['PR.DS-2'], hipaa: ['164.312(e)(1)', '164.312(e)(2)(ii)'], ferpa: ['FERPA-DATA-ENCRYPTION'] },
  references: {
    awsConfig: ['ELASTICSEARCH_NODE_TO_NODE_ENCRYPTION_CHECK', 'OPENSEARCH_NODE_TO_NODE_ENCRYPTION_CHECK'],
    cdkNag: ['HIPAA.Security-OpenSearchNodeToNodeEncryption'],
    prowler: ['opensearch_service_domains_node_to_node_encryption_enabled'],
  },
  evaluate: (d) => judgeBool(d, { path: 'NodeToNodeEncryptionOptions.Enabled', want: true, fallback: false, good: 'encrypts traffic between nodes', bad: 'sends traffic between nodes unencrypted' }),
})
