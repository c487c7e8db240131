import { defineCheck, fail, manual, pass } from '../define-check.js'
import { numOr, subject } from './lib/judge.js'
import { describe } from './lib/values.js'

/** Operating-system metrics of database hosts are collected, so resource exhaustion and anomalies are seen. */
export default defineCheck({
  id: 'aws/rds-enhanced-monitoring',
  title: 'RDS DB instance has Enhanced Monitoring on',
  severity: 'low',
  resourceKinds: ['aws:rds:db-instance'],
  rationale:
    'MonitoringInterval defaults to 0 (off). Without Enhanced Monitoring only hypervisor-level metrics exist: memory pressure, swap, runaway processes and unusual activity on the database host go unnoticed until the database that serves patient records slows down or stops.',
  remediation: {
    text: 'Set MonitoringInterval (1, 5, 10, 15, 30 or 60 seconds) and a MonitoringRoleArn with the AmazonRDSEnhancedMonitoringRole policy.',
    cloudformation: 'MonitoringInterval: 60\nMonitoringRoleArn: !GetAtt RdsMonitoringRole.Arn',
    terraform: 'monitoring_interval = 60\nmonitoring_role_arn = aws_iam_role.rds_monitoring.arn',
  },
  controls: { csf: ['DE.CM-1', 'DE.AE-3'], hipaa: ['164.308(a)(1)(ii)(D)', '164.312(b)'], ferpa: ['FERPA-AUDIT-MONITORING'] },
  references: { awsConfig: ['RDS_ENHANCED_MONITORING_ENABLED'], cdkNag: ['HIPAA.Security-RDSEnhancedMonitoringEnabled'], prowler: ['rds_instance_enhanced_monitoring_enabled'] },
  evaluate(db) {
    const raw = db.props['MonitoringInterval']
    const s = numOr(raw, 0)
    if (s === undefined) return manual(`${subject(db)} takes MonitoringInterval from ${describe(raw)}, unknown at scan time.`, { path: 'MonitoringInterval' })
    if (s > 0) return pass(`${subject(db)} has Enhanced Monitoring every ${s} seconds.`)
    return fail(`${subject(db)} has Enhanced Monitoring off${raw === undefined ? ' (MonitoringInterval defaults to 0)' : ''}.`, { path: raw === undefined ? '' : 'MonitoringInterval' })
  },
})
