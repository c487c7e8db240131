import { defineCheck, fail, manual, pass } from '../define-check.js'
import { at, bool, describe, isObj } from './lib/values.js'

/** Secrets (database passwords, API credentials) are replaced on a schedule, so a leaked value stops working. */
export default defineCheck({
  id: 'aws/secretsmanager-rotation',
  title: 'Secrets Manager secret rotates automatically',
  severity: 'medium',
  resourceKinds: ['aws:secretsmanager:secret'],
  rationale:
    'A database password or partner API key that never changes stays valid wherever it was ever copied — a developer laptop, a log line, a former employee\'s notes — and keeps opening the PHI store it protects. Automatic rotation bounds that exposure and makes revocation routine. Secrets that cannot be rotated (some third-party keys) should record that as a suppression.',
  remediation: {
    text: 'Attach a rotation schedule with a rotation function (the hosted rotation Lambda for RDS, Aurora, Redshift and DocumentDB, or your own), rotating at least every 90 days — or let RDS manage the master password (ManageMasterUserPassword), which rotates it for you.',
    cloudformation: 'DbSecretRotation: { Type: AWS::SecretsManager::RotationSchedule, Properties: { SecretId: !Ref DbSecret, HostedRotationLambda: { RotationType: PostgreSQLSingleUser }, RotationRules: { AutomaticallyAfterDays: 30 } } }',
    terraform: 'resource "aws_secretsmanager_secret_rotation" "db" { secret_id = aws_secretsmanager_secret.db.id  rotation_lambda_arn = aws_lambda_function.rotate.arn  rotation_rules { automatically_after_days = 30 } }',
  },
  controls: { csf: ['PR.AC-1'], hipaa: ['164.308(a)(5)(ii)(D)', '164.312(d)'], ferpa: ['FERPA-AUTHENTICATION'] },
  references: { awsConfig: ['SECRETSMANAGER_ROTATION_ENABLED_CHECK'], cdkNag: ['HIPAA.Security-SecretsManagerRotationEnabled'], prowler: ['secretsmanager_automatic_rotation_enabled'] },
  evaluate(secret, ctx) {
    const schedules = ctx.view.related(secret, { direction: 'in', kinds: ['attached'], types: ['AWS::SecretsManager::RotationSchedule'] })
    if (schedules.length) {
      const s = schedules[0]!
      const days = at(s.props, 'RotationRules.AutomaticallyAfterDays')
      const expr = at(s.props, 'RotationRules.ScheduleExpression')
      const every = days !== undefined ? `every ${describe(days)} days` : expr !== undefined ? `on schedule ${describe(expr)}` : 'on its schedule'
      return pass(`Secrets Manager secret ${secret.name} rotates ${every} (rotation schedule ${s.name}).`, { rotationSchedule: s.id })
    }
    // live secrets carry their rotation state
    const enabled = bool(secret.props['RotationEnabled'])
    const rules = secret.props['RotationRules']
    if (enabled === false) return fail(`Secrets Manager secret ${secret.name} has rotation turned off.`, { path: 'RotationEnabled' })
    if (isObj(rules)) return pass(`Secrets Manager secret ${secret.name} rotates automatically (${describe(rules['AutomaticallyAfterDays'] ?? rules['ScheduleExpression'])}).`)
    if (secret.props['RotationEnabled'] !== undefined && enabled === undefined) return manual(`Secrets Manager secret ${secret.name} takes its rotation state from ${describe(secret.props['RotationEnabled'])}, unknown at scan time.`, { path: 'RotationEnabled' })
    return fail(`Secrets Manager secret ${secret.name} has no rotation schedule, so its value never changes.`, { evidence: { rotationSchedules: 0 } })
  },
})
