import { defineCheck, fail, manual, pass } from '../define-check.js'
import { numOr, subject } from './lib/judge.js'
import { isClusterMember } from './lib/rds.js'
import { describe } from './lib/values.js'

/** Days of automated backups PhiWall expects for databases of PHI. */
const MIN_DAYS = 7

/** Databases keep automated backups long enough to restore to a point before an incident was noticed. */
export default defineCheck({
  id: 'aws/rds-backup-retention',
  title: 'RDS database keeps automated backups at least 7 days',
  severity: 'medium',
  resourceKinds: ['aws:rds:db-instance', 'aws:rds:db-cluster'],
  rationale:
    'BackupRetentionPeriod defaults to 1 day, and 0 turns automated backups and point-in-time restore off. Corruption, a faulty migration or a malicious delete is often found days later; with one day of backups the patient records as they were before the incident are gone. HIPAA requires retrievable exact copies of ePHI.',
  remediation: {
    text: 'Set BackupRetentionPeriod to 7 days or more (up to 35) and keep long-term copies in AWS Backup.',
    cloudformation: 'BackupRetentionPeriod: 14',
    terraform: 'backup_retention_period = 14',
  },
  controls: { csf: ['PR.IP-4'], hipaa: ['164.308(a)(7)(ii)(A)', '164.308(a)(7)(ii)(B)', '164.310(d)(2)(iv)'], ferpa: ['FERPA-DATA-BACKUP'] },
  references: { awsConfig: ['DB_INSTANCE_BACKUP_ENABLED'], cdkNag: ['HIPAA.Security-RDSInstanceBackupEnabled'], prowler: ['rds_instance_backup_enabled'] },
  // cluster members are backed up by the cluster; read replicas by their source
  appliesTo: (db) => !isClusterMember(db) && db.props['SourceDBInstanceIdentifier'] === undefined,
  evaluate(db) {
    const raw = db.props['BackupRetentionPeriod']
    const days = numOr(raw, 1)
    if (days === undefined) return manual(`${subject(db)} takes BackupRetentionPeriod from ${describe(raw)}, unknown at scan time.`, { path: 'BackupRetentionPeriod' })
    if (days >= MIN_DAYS) return pass(`${subject(db)} keeps automated backups ${days} days.`)
    const why = days === 0 ? 'has automated backups off (BackupRetentionPeriod 0)' : `keeps automated backups only ${days} day${days === 1 ? '' : 's'}${raw === undefined ? ' (the default)' : ''}`
    return fail(`${subject(db)} ${why}; at least ${MIN_DAYS} are expected.`, { path: raw === undefined ? '' : 'BackupRetentionPeriod', evidence: { days } })
  },
})
