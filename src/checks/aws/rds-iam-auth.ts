import type { Resource } from '../../model/index.js'
import { defineCheck } from '../define-check.js'
import { judgeBool } from './lib/judge.js'
import { engineOf, isClusterMember } from './lib/rds.js'
import { num, str } from './lib/values.js'

/** Engines that support IAM database authentication (SQL Server, Oracle and Db2 do not). */
const IAM_AUTH_ENGINES = /^(mysql|mariadb|postgres|aurora|aurora-mysql|aurora-postgresql)$/

/** RDS for MariaDB supports IAM database authentication from major version 10.11 on (not 10.6 or older). */
const MARIADB_IAM_MIN: readonly [number, number] = [10, 11]

/** Can the engine (and, for MariaDB, the written engine version) use IAM authentication? An absent version is the current default, which can. */
function supportsIamAuth(db: Resource): boolean {
  const engine = engineOf(db)
  if (engine === undefined) return true
  if (!IAM_AUTH_ENGINES.test(engine)) return false
  if (engine !== 'mariadb') return true
  const m = /^(\d+)\.(\d+)/.exec(str(db.props['EngineVersion']) ?? String(num(db.props['EngineVersion']) ?? ''))
  if (!m) return true
  const [major, minor] = [Number(m[1]), Number(m[2])]
  return major > MARIADB_IAM_MIN[0] || (major === MARIADB_IAM_MIN[0] && minor >= MARIADB_IAM_MIN[1])
}

/** Applications reach PHI databases with short-lived IAM tokens instead of long-lived passwords. */
export default defineCheck({
  id: 'aws/rds-iam-auth',
  title: 'RDS database accepts IAM database authentication',
  severity: 'medium',
  resourceKinds: ['aws:rds:db-instance', 'aws:rds:db-cluster'],
  rationale:
    'With only password authentication, every service and engineer holds a long-lived database password that leaks through configuration files, CI logs and laptops, and access cannot be tied to an IAM identity in CloudTrail. IAM authentication issues 15-minute tokens per identity, so access is granted, audited and revoked in IAM. Engines and versions that cannot use it (SQL Server, Oracle, Db2, MariaDB before 10.11) are not judged.',
  remediation: {
    text: 'Set EnableIAMDatabaseAuthentication: true, create database users mapped to IAM (rds_iam role / AWSAuthenticationPlugin) and grant rds-db:connect to the application roles.',
    cloudformation: 'EnableIAMDatabaseAuthentication: true',
    terraform: 'iam_database_authentication_enabled = true',
  },
  controls: { csf: ['PR.AC-1', 'PR.AC-7'], hipaa: ['164.312(d)', '164.312(a)(2)(i)', '164.308(a)(5)(ii)(D)'], ferpa: ['FERPA-AUTHENTICATION', 'FERPA-ACCESS-CONTROL'] },
  references: { prowler: ['rds_instance_iam_authentication_enabled', 'rds_cluster_iam_authentication_enabled'] },
  appliesTo: (db) => !isClusterMember(db) && supportsIamAuth(db),
  evaluate: (db) =>
    judgeBool(db, { path: 'EnableIAMDatabaseAuthentication', want: true, fallback: false, good: 'accepts IAM database authentication', bad: 'accepts only password authentication', defaultNote: 'EnableIAMDatabaseAuthentication defaults to false' }),
})
