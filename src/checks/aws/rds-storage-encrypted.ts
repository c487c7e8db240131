import { defineCheck, fail, manual, pass } from '../define-check.js'
import { subject } from './lib/judge.js'
import { isClusterMember, storageEncryption } from './lib/rds.js'

/** Database storage, automated backups, replicas and snapshots of PHI are encrypted at rest. */
export default defineCheck({
  id: 'aws/rds-storage-encrypted',
  title: 'RDS database storage is encrypted',
  severity: 'high',
  resourceKinds: ['aws:rds:db-instance', 'aws:rds:db-cluster'],
  rationale:
    'StorageEncrypted defaults to false, and encryption cannot be turned on later without a snapshot-copy-restore migration. An unencrypted database leaves ePHI readable on the underlying storage, in every automated backup, snapshot and read replica, and in any snapshot shared by mistake.',
  remediation: {
    text: 'Create databases with StorageEncrypted: true and a customer managed KMS key. For an existing database, copy a snapshot with a KMS key, restore it and switch over.',
    cloudformation: 'StorageEncrypted: true\nKmsKeyId: !Ref DatabaseKey',
    terraform: 'storage_encrypted = true\nkms_key_id = aws_kms_key.database.arn',
  },
  controls: { csf: ['PR.DS-1'], hipaa: ['164.312(a)(2)(iv)', '164.310(d)(1)'], ferpa: ['FERPA-DATA-ENCRYPTION'] },
  references: { awsConfig: ['RDS_STORAGE_ENCRYPTED'], cdkNag: ['HIPAA.Security-RDSStorageEncrypted'], prowler: ['rds_instance_storage_encrypted', 'rds_cluster_storage_encrypted'] },
  // members of an Aurora or Multi-AZ DB cluster take encryption from the cluster, judged there
  appliesTo: (db) => !isClusterMember(db),
  evaluate(db, ctx) {
    const e = storageEncryption(db, ctx)
    if (e.state === 'yes') return pass(`${subject(db)} ${e.reason}.`)
    if (e.state === 'unknown') return manual(`${subject(db)} ${e.reason}.`, e.path ? { path: e.path } : {})
    return fail(`${subject(db)} ${e.reason}.`, e.path ? { path: e.path } : {})
  },
})
