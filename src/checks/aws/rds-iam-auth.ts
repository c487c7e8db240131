import { defineCheck } from '../define-check.js'
import { judgeBool } from './lib/judge.js'
import { engineOf, isClusterMember } from './lib/rds.js'

/** Engines that support IAM database authentication (SQL Server, Oracle and Db2 do not). */
const IAM_AUTH_ENGINES = /^(mysql|mariadb|postgres|aurora|aurora-mysql|aurora-postgresql)$/

/** Applications reach PHI databases with short-lived IAM tokens instead of long-lived passwords. */
export default defineCheck({
  id: 'aws/rds-iam-auth',
  title: 'RDS database accepts IAM database authentication',
  severity: 'medium',
  resourceKinds: ['aws:rds:db-instance', 'aws:rds:db-cluster'],
  rationale:
    'With only password authentication, every service and engineer holds a long-lived database password that leaks through configuration files, CI logs and laptops, and access cannot be tied to an IAM identity in CloudTrail. IAM authentication issues 15-minute tokens per identity, so access is granted, audited and revoked in IAM.',
  remediation: {
    text: 'Set EnableIAMDatabaseAuthentication: true, create database users mapped to IAM (rds_iam role / AWSAuthenticationPlugin) and grant rds-db:connect to the application roles.',
    cloudformation: 'EnableIAMDatabaseAuthentication: true',
    terraform: 'iam_database_authentication_enabled = true',
  },
  controls: { csf: ['PR.AC-1', 'PR.AC-7'], hipaa: ['164.312(d)', '164.312(a)(2)(i)', '164.308(a)(5)(ii)(D)'], ferpa: ['FERPA-AUTHENTICATION', 'FERPA-ACCESS-CONTROL'] },
  references: { prowler: ['rds_instance_iam_authentication_enabled', 'rds_cluster_iam_authentication_enabled'] },
  appliesTo: (db) => !isClusterMember(db) && (engineOf(db) === undefined || IAM_AUTH_ENGINES.test(engineOf(db)!)),
  evaluate: (db) =>
    judgeBool(db, { path: 'EnableIAMDatabaseAuthentication', want: true, fallback: false, good: 'accepts IAM database authentication', bad: 'accepts only password authentication', defaultNote: 'EnableIAMDatabaseAuthentication defaults to false' }),
})
