import { defineCheck } from '../define-check.js'
import { backupPlanResult } from './lib/backup.js'

/** EBS volumes are copied by AWS Backup on a schedule, with retention the organization controls. */
export default defineCheck({
  id: 'aws/ebs-in-backup-plan',
  title: 'EBS volume is in an AWS Backup plan',
  severity: 'medium',
  resourceKinds: ['aws:ec2:volume'],
  rationale:
    'A volume outside any backup plan has no scheduled snapshots: a failed volume, a deleted instance or ransomware inside the guest loses whatever PHI it held. A volume attached to an instance that a plan selects counts as covered, since instance backups snapshot attached volumes.',
  remediation: {
    text: 'Add the resource to an AWS Backup plan: list its ARN in a backup selection, or tag it and select by tag (for example backup-plan: daily-35d).',
    cloudformation: 'BackupSelection: { SelectionName: phi-stores, IamRoleArn: !GetAtt BackupRole.Arn, ListOfTags: [ { ConditionType: STRINGEQUALS, ConditionKey: backup-plan, ConditionValue: daily-35d } ] }',
    terraform: 'resource "aws_backup_selection" "phi" { plan_id = aws_backup_plan.daily.id  selection_tag { type = "STRINGEQUALS"  key = "backup-plan"  value = "daily-35d" } }',
  },
  controls: { csf: ['PR.IP-4'], hipaa: ['164.308(a)(7)(ii)(A)', '164.308(a)(7)(ii)(B)', '164.310(d)(2)(iv)'], ferpa: ['FERPA-DATA-BACKUP'] },
  references: { awsConfig: ['EBS_IN_BACKUP_PLAN'], cdkNag: ['HIPAA.Security-EC2EBSInBackupPlan'], prowler: ['ec2_ebs_volume_protected_by_backup_plan'] },
  evaluate: (r, ctx) => backupPlanResult(r, ctx),
})
