import { defineCheck, fail, manual, pass } from '../define-check.js'
import { resolve, subject } from './lib/judge.js'
import { storageEncryption } from './lib/rds.js'
import { bool, describe } from './lib/values.js'

/** Manual snapshots of PHI databases are encrypted, like the databases they copy. */
export default defineCheck({
  id: 'aws/rds-snapshot-encrypted',
  title: 'RDS snapshot is encrypted',
  severity: 'high',
  resourceKinds: ['aws:rds:db-snapshot', 'aws:rds:db-cluster-snapshot'],
  rationale:
    'A manual snapshot is a full copy of the database that outlives it, is copied across Regions and accounts and is easy to share. A snapshot of an unencrypted database is unencrypted: anyone who can restore or is shared the snapshot reads every patient record in it.',
  remediation: {
    text: 'Snapshot only encrypted databases; to fix an existing snapshot, copy it with a KMS key (copy-db-snapshot --kms-key-id) and delete the unencrypted original.',
    cli: 'aws rds copy-db-snapshot --source-db-snapshot-identifier <snap> --target-db-snapshot-identifier <snap>-encrypted --kms-key-id alias/clinic-database',
  },
  controls: { csf: ['PR.DS-1'], hipaa: ['164.312(a)(2)(iv)', '164.310(d)(2)(iv)'], ferpa: ['FERPA-DATA-ENCRYPTION', 'FERPA-DATA-BACKUP'] },
  references: { awsConfig: ['RDS_SNAPSHOT_ENCRYPTED'], prowler: ['rds_snapshots_encrypted'] },
  evaluate(snap, ctx) {
    // live snapshots may state encryption directly (DescribeDBSnapshots Encrypted)
    const raw = snap.props['Encrypted'] ?? snap.props['StorageEncrypted']
    const v = bool(raw, undefined)
    if (v === true) return pass(`${subject(snap)} is encrypted.`)
    if (v === false) return fail(`${subject(snap)} is not encrypted.`, { path: snap.props['Encrypted'] !== undefined ? 'Encrypted' : 'StorageEncrypted' })
    // otherwise a snapshot has the encryption of the database it copies
    const key = snap.type === 'AWS::RDS::DBClusterSnapshot' ? 'DBClusterIdentifier' : 'DBInstanceIdentifier'
    const src = snap.props[key]
    const sources = resolve(src, snap, ctx, ['AWS::RDS::DBInstance', 'AWS::RDS::DBCluster'])
    if (!sources.length) return manual(`${subject(snap)} copies ${describe(src)}, which is not in the scan; its encryption follows that database.`, { path: key })
    const e = storageEncryption(sources[0]!, ctx)
    if (e.state === 'yes') return pass(`${subject(snap)} copies ${subject(sources[0]!)}, which ${e.reason}.`)
    if (e.state === 'unknown') return manual(`${subject(snap)} copies ${subject(sources[0]!)}, which ${e.reason}.`, { path: key })
    return fail(`${subject(snap)} is unencrypted: it copies ${subject(sources[0]!)}, which ${e.reason}.`, { path: key })
  },
})
