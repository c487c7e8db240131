import { defineCheck } from '../define-check.js'
import { backupPlanResult } from './lib/backup.js'

/** RDS databases are copied by AWS Backup on a schedule, with retention the organization controls. */
export default defineCheck({
  id: 'aws/rds-in-backup-plan',
  title: 'RDS DB instance is in an AWS Backup plan',
  severity: 'medium',
  resourceKinds: ['aws:rds:db-instance'],
  rationale:
    'Automated RDS backups are deleted with the instance and kept at most 35 days. An AWS Backup plan keeps retained copies under a policy the organization controls, which HIPAA expects as retrievable exact copies of ePHI. Aurora cluster members are judged at the cluster (aurora-in-backup-plan).',
  remediation: {
    text: 'Add the resource to an AWS Backup plan: list its ARN in a backup selection, or tag it and select by tag (for example backup-plan: daily-35d).',
    cloudformation: 'BackupSelection: { SelectionName: phi-stores, IamRoleArn: !GetAtt BackupRole.Arn, ListOfTags: [ { ConditionType: STRINGEQUALS, ConditionKey: backup-plan, ConditionValue: daily-35d } ] }',
    terraform: 'resource "aws_backup_selection" "phi" { plan_id = aws_backup_plan.daily.id  selection_tag { type = "STRINGEQUALS"  key = "backup-plan"  value = "daily-35d" } }',
  },
  controls: { csf: ['PR.IP-4'], hipaa: ['164.308(a)(7)(ii)(A)', '164.308(a)(7)(ii)(B)', '164.310(d)(2)(iv)'], ferpa: ['FERPA-DATA-BACKUP'] },
  references: { awsConfig: ['RDS_IN_BACKUP_PLAN'], cdkNag: ['HIPAA.Security-RDSInBackupPlan'], prowler: ['rds_instance_protected_by_backup_plan'] },
  // Aurora and Multi-AZ cluster members are backed up with their cluster
  appliesTo: (db) => db.props['DBClusterIdentifier'] === undefined,
  evaluate: (r, ctx) => backupPlanResult(r, ctx),
})
