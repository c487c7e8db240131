import { classificationTag, isDataType, phiFromTags } from '../../inventory/index.js'
import { defineCheck, fail, pass } from '../define-check.js'

/** Stores that hold PHI say so in their tags, so every policy that keys on the tag covers them. */
export default defineCheck({
  id: 'aws/data-store-classification-tag',
  title: 'Data store holding PHI is tagged with its data classification',
  severity: 'medium',
  resourceKinds: ['aws:s3:bucket', 'aws:dynamodb:table', 'aws:rds:db-instance', 'aws:rds:db-cluster', 'aws:sqs:queue', 'aws:sns:topic', 'aws:kinesis:stream', 'aws:efs:file-system', 'aws:logs:log-group', 'aws:opensearchservice:domain', 'aws:elasticache:replication-group', 'aws:redshift:cluster'],
  appliesTo: (r) => isDataType(r.type) && r.holdsPhi === 'yes',
  rationale: 'Tag-based controls (SCPs, backup selections, Macie jobs, IAM conditions on aws:ResourceTag) only protect stores that carry the tag; a store that receives PHI without it falls outside them.',
  remediation: { text: 'Tag the store data-classification=phi (or your organisation\'s equivalent), and keep the tag in the template.', cloudformation: "Tags: [ { Key: data-classification, Value: phi } ]" },
  controls: { csf: ['ID.AM-5', 'ID.AM-3'], hipaa: ['164.308(a)(1)(ii)(A)', '164.308(a)(7)(ii)(E)'], ferpa: ['FERPA-ASSET-INVENTORY'] },
  evaluate(r) {
    const declared = phiFromTags(r.labels)
    if (declared?.state === 'yes') return pass(`${r.kind} ${r.name} is tagged as holding PHI (${declared.evidence.detail}).`)
    const inferred = r.evidence.phi.filter((e) => e.source !== 'tag')
    const why = inferred[0]?.detail ?? 'data flows'
    if (declared) {
      // tagged as holding no PHI (`public`, `internal`), yet the evidence says it does
      return fail(`${r.kind} ${r.name} holds PHI (${why}) but its ${declared.evidence.detail.replace(/^tag /, 'tag ')} declares no PHI.`, { path: 'Tags', evidence: { tag: declared.evidence.detail, inferredFrom: inferred.slice(0, 3) } })
    }
    const other = classificationTag(r.labels)
    if (other) return fail(`${r.kind} ${r.name} holds PHI (${why}) but its tag ${other.key}=${other.value} does not say PHI.`, { path: 'Tags', evidence: { tag: `tag ${other.key}=${other.value}`, inferredFrom: inferred.slice(0, 3) } })
    return fail(`${r.kind} ${r.name} holds PHI (${why}) but has no data-classification tag.`, { path: 'Tags', evidence: { inferredFrom: inferred.slice(0, 3) } })
  },
})
