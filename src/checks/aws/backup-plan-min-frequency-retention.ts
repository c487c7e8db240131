import { defineCheck, fail, manual, pass } from '../define-check.js'
import { subject } from './lib/judge.js'
import { at, bool, describe, isObj, isUnknown, list, num, str } from './lib/values.js'

/** Minimum the HIPAA conformance pack expects: a recovery point at least daily, kept at least 35 days. */
const MIN_RETENTION_DAYS = 35

/** Hours between recovery points a schedule expression creates; undefined when it cannot be read. */
export function scheduleIntervalHours(expr: string): number | undefined {
  const rate = /^rate\(\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*\)$/i.exec(expr.trim())
  if (rate) {
    const n = Number(rate[1])
    const unit = rate[2]!.toLowerCase()
    return unit.startsWith('minute') ? n / 60 : unit.startsWith('hour') ? n : n * 24
  }
  const cron = /^cron\(\s*(.+?)\s*\)$/i.exec(expr.trim())
  if (!cron) return undefined
  const f = cron[1]!.split(/\s+/)
  if (f.length !== 6) return undefined
  const [, , dom, month, dow] = f
  const every = (x: string): boolean => x === '*' || x === '?'
  // every day of every month: at most 24 hours apart (several hours in the hour field only make it more frequent)
  if (every(dom!) && every(month!) && (every(dow!) || /^(SUN|1)-(SAT|7)$/i.test(dow!))) return 24
  if (every(dom!) && every(month!)) return 24 * 7 // only some weekdays
  return 24 * 28
}

/** Recovery points are created daily and kept long enough to recover from an incident noticed late. */
export default defineCheck({
  id: 'aws/backup-plan-min-frequency-retention',
  title: 'Backup plan creates daily recovery points kept at least 35 days',
  severity: 'medium',
  resourceKinds: ['aws:backup:backup-plan'],
  rationale:
    'A plan that backs up weekly loses up to a week of patient records after a failure, and one that expires recovery points after a few days cannot restore data that ransomware or a bad migration corrupted before anyone noticed. At least one rule must run daily (or continuously) and keep recovery points 35 days or more; further rules (monthly, yearly) may add long-term copies.',
  remediation: {
    text: 'Add a rule that runs at least daily and keeps recovery points 35 days or longer (longer if your retention policy requires).',
    cloudformation: 'BackupPlanRule: [ { RuleName: daily, TargetBackupVault: !Ref PhiVault, ScheduleExpression: "cron(0 5 ? * * *)", Lifecycle: { DeleteAfterDays: 35 } } ]',
    terraform: 'rule { rule_name = "daily"  target_vault_name = aws_backup_vault.phi.name  schedule = "cron(0 5 ? * * *)"  lifecycle { delete_after = 35 } }',
  },
  controls: { csf: ['PR.IP-4'], hipaa: ['164.308(a)(7)(ii)(A)', '164.308(a)(7)(ii)(B)', '164.310(d)(2)(iv)'], ferpa: ['FERPA-DATA-BACKUP'] },
  references: { awsConfig: ['BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK'] },
  evaluate(plan) {
    const rules = at(plan.props, 'BackupPlan.BackupPlanRule')
    if (isUnknown(rules)) return manual(`${subject(plan)} takes its rules from ${describe(rules)}, unknown at scan time.`, { path: 'BackupPlan.BackupPlanRule' })
    const problems: string[] = []
    let unknown = false
    for (const [i, rule] of list(rules).entries()) {
      if (!isObj(rule)) continue
      const name = str(rule['RuleName']) ?? `#${i}`
      const sched = rule['ScheduleExpression']
      const continuous = bool(rule['EnableContinuousBackup'], false) === true
      // AWS Backup runs a rule without a schedule daily at 05:00 UTC
      const interval = continuous ? 0 : sched === undefined ? 24 : typeof sched === 'string' ? scheduleIntervalHours(sched) : undefined
      const del = at(rule, 'Lifecycle.DeleteAfterDays')
      const days = del === undefined ? Infinity : num(del)
      if (interval === undefined || days === undefined) {
        unknown = true
        continue
      }
      if (interval <= 24 && days >= MIN_RETENTION_DAYS) return pass(`${subject(plan)} rule ${name} creates ${continuous ? 'continuous' : 'daily'} recovery points kept ${days === Infinity ? 'until deleted' : `${days} days`}.`)
      problems.push(`rule ${name} ${interval > 24 ? `runs only every ${Math.round(interval / 24)} days` : ''}${interval > 24 && days < MIN_RETENTION_DAYS ? ' and ' : ''}${days < MIN_RETENTION_DAYS ? `keeps recovery points ${days} days` : ''}`.trim())
    }
    if (unknown) return manual(`${subject(plan)} has a rule whose schedule or retention is unknown at scan time.`, { path: 'BackupPlan.BackupPlanRule' })
    return fail(`${subject(plan)} has no rule creating daily recovery points kept ${MIN_RETENTION_DAYS} days (${problems.join('; ') || 'no rules'}).`, { path: 'BackupPlan.BackupPlanRule', evidence: { problems } })
  },
})
