import { defineCheck, fail, manual, pass } from '../define-check.js'
import type { CheckResult } from '../types.js'
import { subject } from './lib/judge.js'
import { bool, describe, isObj, isUnknown, str } from './lib/values.js'

/** The data warehouse encrypts what it stores and records who connected and what they ran. */
export default defineCheck({
  id: 'aws/redshift-encrypted-logging',
  title: 'Redshift cluster is encrypted and has audit logging on',
  severity: 'high',
  resourceKinds: ['aws:redshift:cluster'],
  rationale:
    'Warehouses hold years of claims, encounters and lab results. Clusters created before Redshift made encryption the default (January 2025) are unencrypted unless Encrypted was set, and audit logging (connection, user and user-activity logs) is off unless configured: without it nobody can say who queried patient data. AWS Config REDSHIFT_CLUSTER_CONFIGURATION_CHECK requires both.',
  remediation: {
    text: 'Set Encrypted: true with a customer managed KMS key, and LoggingProperties to CloudWatch Logs (or S3) exporting connectionlog, userlog and useractivitylog (the latter also needs enable_user_activity_logging in the parameter group).',
    cloudformation: 'Encrypted: true\nKmsKeyId: !Ref WarehouseKey\nLoggingProperties: { LogDestinationType: cloudwatch, LogExports: [connectionlog, userlog, useractivitylog] }',
    terraform: 'encrypted = true\nlogging { log_destination_type = "cloudwatch"  log_exports = ["connectionlog", "userlog", "useractivitylog"] }',
  },
  controls: { csf: ['PR.DS-1', 'DE.CM-3', 'PR.PT-1'], hipaa: ['164.312(a)(2)(iv)', '164.312(b)'], ferpa: ['FERPA-DATA-ENCRYPTION', 'FERPA-AUDIT-MONITORING'] },
  references: { awsConfig: ['REDSHIFT_CLUSTER_CONFIGURATION_CHECK'], cdkNag: ['HIPAA.Security-RedshiftClusterConfiguration'], prowler: ['redshift_cluster_encrypted_at_rest', 'redshift_cluster_audit_logging'] },
  evaluate(c) {
    const results: CheckResult[] = []
    const enc = c.props['Encrypted']
    const e = bool(enc, undefined)
    if (enc !== undefined && e === undefined) results.push(manual(`${subject(c)} takes Encrypted from ${describe(enc)}, unknown at scan time.`, { path: 'Encrypted' }))
    else if (e === false) results.push(fail(`${subject(c)} is not encrypted.`, { path: 'Encrypted' }))
    else if (e === undefined && c.origin === 'aws-snapshot') results.push(manual(`${subject(c)} does not report its encryption in the snapshot.`))
    const log = c.props['LoggingProperties']
    if (isUnknown(log)) results.push(manual(`${subject(c)} takes LoggingProperties from ${describe(log)}, unknown at scan time.`, { path: 'LoggingProperties' }))
    else if (!isObj(log) || (str(log['LogDestinationType'])?.toLowerCase() !== 'cloudwatch' && log['BucketName'] === undefined)) results.push(fail(`${subject(c)} has audit logging off.`, isObj(log) ? { path: 'LoggingProperties' } : {}))
    if (results.length) return results
    return pass(`${subject(c)} is encrypted${enc === undefined ? ' (the default for clusters created since January 2025)' : ''} and has audit logging on.`)
  },
})
