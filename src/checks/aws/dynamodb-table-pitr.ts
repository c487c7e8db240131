import { defineCheck, fail, manual, pass } from '../define-check.js'
import { at, bool, describe } from './lib/values.js'

/** Tables of patient records can be restored to any second of the last 35 days. */
export default defineCheck({
  id: 'aws/dynamodb-table-pitr',
  title: 'DynamoDB table has point-in-time recovery on',
  severity: 'medium',
  resourceKinds: ['aws:dynamodb:table', 'aws:dynamodb:global-table'],
  rationale: 'Without point-in-time recovery a faulty deploy, a bug or ransomware that overwrites items cannot be undone; HIPAA requires retrievable exact copies of ePHI.',
  remediation: {
    text: 'Turn on point-in-time recovery (and keep AWS Backup plans for long-term copies).',
    cloudformation: 'PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true }',
    terraform: 'point_in_time_recovery { enabled = true }',
  },
  controls: { csf: ['PR.IP-4', 'PR.DS-4'], hipaa: ['164.308(a)(7)(ii)(A)', '164.308(a)(7)(ii)(B)', '164.310(d)(2)(iv)'], ferpa: ['FERPA-DATA-BACKUP'] },
  references: { awsConfig: ['DYNAMODB_PITR_ENABLED'], cdkNag: ['HIPAA.Security-DynamoDBPITREnabled'], prowler: ['dynamodb_tables_pitr_enabled'] },
  evaluate(table) {
    const path = table.type === 'AWS::DynamoDB::GlobalTable' ? 'Replicas.0.PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled' : 'PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled'
    const v = at(table.props, path)
    const b = bool(v, false)
    if (b === undefined) return manual(`DynamoDB table ${table.name} takes point-in-time recovery from ${describe(v)}, unknown at scan time.`, { path })
    return b ? pass(`DynamoDB table ${table.name} has point-in-time recovery on.`) : fail(`DynamoDB table ${table.name} has point-in-time recovery off.`, { path: path.split('.').slice(0, -1).join('.') || path })
  },
})
