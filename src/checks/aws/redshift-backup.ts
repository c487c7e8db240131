import { defineCheck, fail, manual, pass } from '../define-check.js'
import { numOr, subject } from './lib/judge.js'
import { describe } from './lib/values.js'

/** Days of automated snapshots PhiWall expects, as for RDS. */
const MIN_DAYS = 7

/** The warehouse keeps automated snapshots long enough to restore from a problem found days later. */
export default defineCheck({
  id: 'aws/redshift-backup',
  title: 'Redshift cluster keeps automated snapshots at least 7 days',
  severity: 'medium',
  resourceKinds: ['aws:redshift:cluster'],
  rationale:
    'AutomatedSnapshotRetentionPeriod defaults to 1 day and 0 turns automated snapshots off. A bad ETL job, a dropped schema or malicious deletion found after the weekend cannot be undone. PhiWall asks for 7 days (AWS Config REDSHIFT_BACKUP_ENABLED accepts 1), consistent with its RDS check.',
  remediation: {
    text: 'Set AutomatedSnapshotRetentionPeriod to 7 or more (up to 35) and copy snapshots to another Region for disaster recovery.',
    cloudformation: 'AutomatedSnapshotRetentionPeriod: 14',
    terraform: 'automated_snapshot_retention_period = 14',
  },
  controls: { csf: ['PR.IP-4'], hipaa: ['164.308(a)(7)(ii)(A)', '164.308(a)(7)(ii)(B)'], ferpa: ['FERPA-DATA-BACKUP'] },
  references: { awsConfig: ['REDSHIFT_BACKUP_ENABLED'], cdkNag: ['HIPAA.Security-RedshiftBackupEnabled'], prowler: ['redshift_cluster_automated_snapshot'] },
  evaluate(c) {
    const raw = c.props['AutomatedSnapshotRetentionPeriod']
    const days = numOr(raw, 1)
    if (days === undefined) return manual(`${subject(c)} takes AutomatedSnapshotRetentionPeriod from ${describe(raw)}, unknown at scan time.`, { path: 'AutomatedSnapshotRetentionPeriod' })
    if (days >= MIN_DAYS) return pass(`${subject(c)} keeps automated snapshots ${days} days.`)
    return fail(`${subject(c)} ${days === 0 ? 'has automated snapshots off' : `keeps automated snapshots only ${days} day${days === 1 ? '' : 's'}${raw === undefined ? ' (the default)' : ''}`}; at least ${MIN_DAYS} are expected.`, { path: raw === undefined ? '' : 'AutomatedSnapshotRetentionPeriod' })
  },
})
