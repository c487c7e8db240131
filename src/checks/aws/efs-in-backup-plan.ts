import { defineCheck } from '../define-check.js'
import { backupPlanResult } from './lib/backup.js'

/** EFS file systems are copied by AWS Backup on a schedule, with retention the organization controls. */
export default defineCheck({
  id: 'aws/efs-in-backup-plan',
  title: 'EFS file system is in an AWS Backup plan',
  severity: 'medium',
  resourceKinds: ['aws:efs:file-system'],
  rationale:
    'EFS has no backups unless AWS Backup copies it, either through a plan selection or the automatic backup policy (BackupPolicy ENABLED, off by default when a file system is created through CloudFormation or the API). Without one, deleted or overwritten documents and images are gone.',
  remediation: {
    text: 'Add the resource to an AWS Backup plan: list its ARN in a backup selection, or tag it and select by tag (for example backup-plan: daily-35d).',
    cloudformation: 'BackupSelection: { SelectionName: phi-stores, IamRoleArn: !GetAtt BackupRole.Arn, ListOfTags: [ { ConditionType: STRINGEQUALS, ConditionKey: backup-plan, ConditionValue: daily-35d } ] }',
    terraform: 'resource "aws_backup_selection" "phi" { plan_id = aws_backup_plan.daily.id  selection_tag { type = "STRINGEQUALS"  key = "backup-plan"  value = "daily-35d" } }',
  },
  controls: { csf: ['PR.IP-4'], hipaa: ['164.308(a)(7)(ii)(A)', '164.308(a)(7)(ii)(B)', '164.310(d)(2)(iv)'], ferpa: ['FERPA-DATA-BACKUP'] },
  references: { awsConfig: ['EFS_IN_BACKUP_PLAN'], cdkNag: ['HIPAA.Security-EFSInBackupPlan'], prowler: ['efs_have_backup_enabled'] },
  evaluate: (r, ctx) => backupPlanResult(r, ctx),
})
