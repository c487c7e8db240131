import { defineCheck } from '../define-check.js'
import { judgeBool } from './lib/judge.js'
import { isClusterMember } from './lib/rds.js'

/** A database of patient records cannot be deleted by a stack update, a script or a console click. */
export default defineCheck({
  id: 'aws/rds-deletion-protection',
  title: 'RDS database has deletion protection on',
  severity: 'medium',
  resourceKinds: ['aws:rds:db-instance', 'aws:rds:db-cluster'],
  rationale:
    'DeletionProtection defaults to false. A renamed logical id, a replaced resource in a stack update or an automation error then deletes the database; a final snapshot may or may not be taken, and everything written since the last backup is lost.',
  remediation: {
    text: 'Set DeletionProtection: true (on the cluster for Aurora) and keep DeletionPolicy / UpdateReplacePolicy: Snapshot in templates.',
    cloudformation: 'DeletionProtection: true',
    terraform: 'deletion_protection = true',
  },
  controls: { csf: ['PR.DS-1', 'PR.IP-4'], hipaa: ['164.312(c)(1)', '164.308(a)(7)(ii)(A)'], ferpa: ['FERPA-DATA-BACKUP'] },
  references: {
    awsConfig: ['RDS_CLUSTER_DELETION_PROTECTION_ENABLED'],
    cdkNag: ['HIPAA.Security-RDSInstanceDeletionProtectionEnabled'],
    prowler: ['rds_instance_deletion_protection', 'rds_cluster_deletion_protection'],
  },
  // cluster members are protected by the cluster's setting
  appliesTo: (db) => !isClusterMember(db),
  evaluate: (db) => judgeBool(db, { path: 'DeletionProtection', want: true, fallback: false, good: 'has deletion protection on', bad: 'has deletion protection off', defaultNote: 'DeletionProtection defaults to false' }),
})
