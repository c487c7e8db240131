import { defineCheck } from '../define-check.js'
import { backupPlanResult } from './lib/backup.js'

/** DynamoDB tables are copied by AWS Backup on a schedule, with retention the organization controls. */
export default defineCheck({
  id: 'aws/dynamodb-in-backup-plan',
  title: 'DynamoDB table is in an AWS Backup plan',
  severity: 'medium',
  resourceKinds: ['aws:dynamodb:table', 'aws:dynamodb:global-table'],
  rationale:
    'Point-in-time recovery keeps only 35 days and is deleted with the table. An AWS Backup plan keeps independent, retained copies (optionally in a locked vault or another account), which HIPAA expects as retrievable exact copies of ePHI.',
  remediation: {
    text: 'Add the resource to an AWS Backup plan: list its ARN in a backup selection, or tag it and select by tag (for example backup-plan: daily-35d).',
    cloudformation: 'BackupSelection: { SelectionName: phi-stores, IamRoleArn: !GetAtt BackupRole.Arn, ListOfTags: [ { ConditionType: STRINGEQUALS, ConditionKey: backup-plan, ConditionValue: daily-35d } ] }',
    terraform: 'resource "aws_backup_selection" "phi" { plan_id = aws_backup_plan.daily.id  selection_tag { type = "STRINGEQUALS"  key = "backup-plan"  value = "daily-35d" } }',
  },
  controls: { csf: ['PR.IP-4'], hipaa: ['164.308(a)(7)(ii)(A)', '164.308(a)(7)(ii)(B)', '164.310(d)(2)(iv)'], ferpa: ['FERPA-DATA-BACKUP'] },
  references: { awsConfig: ['DYNAMODB_IN_BACKUP_PLAN'], cdkNag: ['HIPAA.Security-DynamoDBInBackupPlan'], prowler: ['dynamodb_table_protected_by_backup_plan'] },
  evaluate: (r, ctx) => backupPlanResult(r, ctx),
})
