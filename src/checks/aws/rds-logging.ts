import { defineCheck, fail, manual, pass } from '../define-check.js'
import { subject } from './lib/judge.js'
import { engineOf, isClusterMember } from './lib/rds.js'
import { describe, isUnknown, list } from './lib/values.js'

/** Log types AWS Config's RDS_LOGGING_ENABLED (and cdk-nag) expect exported, by engine. */
function expectedLogs(engine: string): string[] | undefined {
  if (engine === 'aurora-postgresql') return ['postgresql']
  if (engine === 'aurora' || engine === 'aurora-mysql' || engine === 'mysql' || engine === 'mariadb') return ['audit', 'error', 'general', 'slowquery']
  if (engine === 'postgres') return ['postgresql', 'upgrade']
  if (engine.startsWith('oracle')) return ['alert', 'audit', 'trace', 'listener']
  if (engine.startsWith('sqlserver')) return ['error', 'agent']
  if (engine.startsWith('db2')) return ['diag.log', 'notify.log']
  return undefined
}

/** Database audit, error and query logs leave the instance for CloudWatch Logs, where they are kept and searched. */
export default defineCheck({
  id: 'aws/rds-logging',
  title: 'RDS database exports its logs to CloudWatch Logs',
  severity: 'medium',
  resourceKinds: ['aws:rds:db-instance', 'aws:rds:db-cluster'],
  rationale:
    'Logs kept only on the database host rotate away within days and are lost with the instance. Without audit, error and query logs in CloudWatch Logs nobody can reconstruct who read or changed patient records, notice brute-force logins, or investigate an incident, as HIPAA audit controls require.',
  remediation: {
    text: 'List every log type of the engine in EnableCloudwatchLogsExports (on the cluster for Aurora). MySQL and MariaDB audit logs also need the MARIADB_AUDIT_PLUGIN option; PostgreSQL statement logging needs pgaudit or log_statement in the parameter group.',
    cloudformation: 'EnableCloudwatchLogsExports: [postgresql, upgrade]   # postgres\nEnableCloudwatchLogsExports: [audit, error, general, slowquery]   # mysql / aurora-mysql',
    terraform: 'enabled_cloudwatch_logs_exports = ["postgresql", "upgrade"]',
  },
  controls: { csf: ['DE.CM-1', 'DE.CM-3', 'PR.PT-1'], hipaa: ['164.312(b)', '164.308(a)(1)(ii)(D)', '164.308(a)(5)(ii)(C)'], ferpa: ['FERPA-AUDIT-MONITORING'] },
  references: { awsConfig: ['RDS_LOGGING_ENABLED'], cdkNag: ['HIPAA.Security-RDSLoggingEnabled'], prowler: ['rds_instance_integration_cloudwatch_logs', 'rds_cluster_integration_cloudwatch_logs'] },
  // Aurora members export logs through their cluster
  appliesTo: (db) => !isClusterMember(db),
  evaluate(db) {
    const engine = engineOf(db)
    if (engine === undefined) return manual(`${subject(db)} takes its engine from ${describe(db.props['Engine'])}, so the log types to export are unknown.`, { path: 'Engine' })
    const expected = expectedLogs(engine)
    if (!expected) return manual(`${subject(db)} runs engine ${engine}, whose log types PhiWall does not know.`, { path: 'Engine' })
    const raw = db.props['EnableCloudwatchLogsExports']
    if (isUnknown(raw) || list(raw).some(isUnknown)) return manual(`${subject(db)} takes EnableCloudwatchLogsExports from ${describe(raw)}, unknown at scan time.`, { path: 'EnableCloudwatchLogsExports' })
    const exported = new Set(list(raw).filter((x): x is string => typeof x === 'string').map((x) => x.toLowerCase()))
    const missing = expected.filter((t) => !exported.has(t))
    if (!missing.length) return pass(`${subject(db)} exports ${expected.join(', ')} logs to CloudWatch Logs.`)
    return fail(
      exported.size ? `${subject(db)} does not export ${missing.join(', ')} logs to CloudWatch Logs.` : `${subject(db)} exports no logs to CloudWatch Logs (expected ${expected.join(', ')}).`,
      { path: raw === undefined ? '' : 'EnableCloudwatchLogsExports', evidence: { engine, missing, exported: [...exported] } },
    )
  },
})
