import { classificationTag, isDataType, phiFromTags } from '../../inventory/index.js'
import { defineCheck, fail, manual, pass } from '../define-check.js'

/**
 * A store's data-classification tag agrees with what its contents show. A store tagged as not
 * holding PHI whose samples contain PHI is outside every control keyed on the tag.
 */
export default defineCheck({
  id: 'aws/phi-classification-evidence',
  title: 'Data classification tag agrees with the PHI found in samples of the store',
  severity: 'high',
  resourceKinds: ['aws:s3:bucket', 'aws:dynamodb:table', 'aws:rds:db-instance', 'aws:rds:db-cluster', 'aws:sqs:queue', 'aws:sns:topic', 'aws:kinesis:stream', 'aws:efs:file-system', 'aws:logs:log-group', 'aws:opensearchservice:domain', 'aws:elasticache:replication-group', 'aws:redshift:cluster', 'aws:ec2:volume'],
  appliesTo: (r) => isDataType(r.type) && r.evidence.phi.some((e) => e.source === 'scan') && classificationTag(r.labels) !== undefined,
  rationale:
    'A tag is a declaration; a PHI scan of the store\'s contents (`phiwall scan --phi-sample NAME=PATH`) is evidence. Backup selections, Macie jobs, SCPs and IAM conditions on the tag only protect what the tag says is PHI: a bucket tagged `internal` that receives patient exports escapes all of them, and nobody re-reads the tag when the data changes. Samples without PHI do not prove a store is clean, so a PHI tag without PHI in its samples asks for review rather than failing.',
  remediation: {
    text: 'Where samples hold PHI, tag the store as PHI (and apply the PHI controls: KMS encryption, access logging, no public access, backups) or move the PHI out of it; where a PHI-tagged store\'s samples hold none, confirm the classification with its owner or sample more of it.',
    cloudformation: 'Tags: [ { Key: data-classification, Value: phi } ]',
  },
  controls: { csf: ['ID.AM-5', 'ID.RA-1', 'PR.DS-5'], hipaa: ['164.308(a)(1)(ii)(A)', '164.308(a)(7)(ii)(E)', '164.312(a)(1)'], ferpa: ['FERPA-ASSET-INVENTORY'] },
  evaluate(r) {
    const scans = r.evidence.phi.filter((e) => e.source === 'scan')
    const found = scans.filter((e) => e.found)
    const declared = phiFromTags(r.labels)
    if (!declared) {
      // a classification that does not say PHI (`confidential`, `audit`): PHI in the samples is outside the PHI controls keyed on the tag
      const tag = classificationTag(r.labels)!
      const evidence = { declared: `tag ${tag.key}=${tag.value}`, samples: scans.map((e) => e.detail) }
      if (found.length) return fail(`${r.kind} ${r.name} is classified ${tag.key}=${tag.value}, which does not say PHI, but its samples hold PHI: ${found[0]!.detail}.`, { path: 'Tags', evidence })
      return pass(`${r.kind} ${r.name}: classified ${tag.key}=${tag.value}; its samples hold no PHI (${scans[0]!.detail}).`, evidence)
    }
    const evidence = { declared: declared.evidence.detail, samples: scans.map((e) => e.detail) }
    if (declared.state === 'no' && found.length) return fail(`${r.kind} ${r.name} is declared not to hold PHI (${declared.evidence.detail}) but its samples do: ${found[0]!.detail}.`, { path: 'Tags', evidence })
    if (declared.state === 'yes' && !found.length) return manual(`${r.kind} ${r.name} is declared to hold PHI (${declared.evidence.detail}) but its samples hold none (${scans[0]!.detail}); confirm the classification or sample more.`, { path: 'Tags', evidence })
    return pass(`${r.kind} ${r.name}: its classification (${declared.evidence.detail}) agrees with its samples (${scans[0]!.detail}).`, evidence)
  },
})
