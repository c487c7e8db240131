import { defineCheck } from '../define-check.js'
import { backupPlanResult } from './lib/backup.js'

/** EC2 instances are copied by AWS Backup on a schedule, with retention the organization controls. */
export default defineCheck({
  id: 'aws/ec2-in-backup-plan',
  title: 'EC2 instance is in an AWS Backup plan',
  severity: 'medium',
  resourceKinds: ['aws:ec2:instance'],
  rationale:
    'An instance outside any backup plan cannot be rebuilt with its data after a failure, a bad patch or ransomware; for instances that process or cache PHI that is a loss of ePHI availability and integrity.',
  remediation: {
    text: 'Add the resource to an AWS Backup plan: list its ARN in a backup selection, or tag it and select by tag (for example backup-plan: daily-35d).',
    cloudformation: 'BackupSelection: { SelectionName: phi-stores, IamRoleArn: !GetAtt BackupRole.Arn, ListOfTags: [ { ConditionType: STRINGEQUALS, ConditionKey: backup-plan, ConditionValue: daily-35d } ] }',
    terraform: 'resource "aws_backup_selection" "phi" { plan_id = aws_backup_plan.daily.id  selection_tag { type = "STRINGEQUALS"  key = "backup-plan"  value = "daily-35d" } }',
  },
  controls: { csf: ['PR.IP-4'], hipaa: ['164.308(a)(7)(ii)(A)', '164.308(a)(7)(ii)(B)', '164.310(d)(2)(iv)'], ferpa: ['FERPA-DATA-BACKUP'] },
  references: { awsConfig: ['EC2_RESOURCES_PROTECTED_BY_BACKUP_PLAN'], cdkNag: [], prowler: [] },
  evaluate: (r, ctx) => backupPlanResult(r, ctx),
})
