import { defineCheck, fail, manual, pass } from '../define-check.js'
import { subject } from './lib/judge.js'
import { describeSharing, sharingOf } from './lib/sharing.js'

/** No RDS DB or cluster snapshot can be restored by anyone with an AWS account. */
export default defineCheck({
  id: 'aws/rds-snapshot-not-public',
  title: 'RDS snapshot is not public',
  severity: 'critical',
  resourceKinds: ['aws:rds:db-snapshot', 'aws:rds:db-cluster-snapshot'],
  rationale:
    'A manual snapshot whose restore attribute includes all can be restored into any AWS account: the whole database — every patient, encounter and claim in it — with the master user the restorer sets. Public snapshots are listed to every account in the Region.',
  remediation: {
    text: 'Remove all from the restore attribute; share with named accounts only, encrypted with a customer managed KMS key those accounts are granted.',
    cli: 'aws rds modify-db-snapshot-attribute --db-snapshot-identifier <snap> --attribute-name restore --values-to-remove all\naws rds modify-db-cluster-snapshot-attribute --db-cluster-snapshot-identifier <snap> --attribute-name restore --values-to-remove all',
  },
  controls: { csf: ['PR.AC-3', 'PR.AC-4', 'PR.DS-5'], hipaa: ['164.312(a)(1)', '164.308(a)(3)', '164.308(a)(1)(ii)(B)'], ferpa: ['FERPA-ACCESS-CONTROL', 'FERPA-DATA-BACKUP'] },
  references: { awsConfig: ['RDS_SNAPSHOTS_PUBLIC_PROHIBITED'], prowler: ['rds_snapshots_public_access'] },
  evaluate(snap) {
    const sharing = sharingOf(snap)
    if (!sharing) return manual(`${subject(snap)}: the scan does not record who may restore it (the collector's attribute call failed or the source cannot say).`)
    const phi = snap.holdsPhi === 'yes' ? ' It holds PHI.' : ''
    if (sharing.public) return fail(`${subject(snap)} is public: any AWS account can restore it.${phi}`, { path: 'PhiWallSharedWith', evidence: { sharedWith: 'all', accounts: sharing.accounts.length } })
    return pass(`${subject(snap)} ${describeSharing(sharing)}.`, { accounts: sharing.accounts.length })
  },
})
