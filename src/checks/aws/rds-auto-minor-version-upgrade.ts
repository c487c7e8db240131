import { defineCheck } from '../define-check.js'
import { judgeBool } from './lib/judge.js'

/** Database engines receive minor-version security fixes in the maintenance window. */
export default defineCheck({
  id: 'aws/rds-auto-minor-version-upgrade',
  title: 'RDS DB instance applies minor engine upgrades automatically',
  severity: 'medium',
  resourceKinds: ['aws:rds:db-instance'],
  rationale:
    'Minor engine versions carry security fixes (authentication bypasses, privilege escalation in extensions). With AutoMinorVersionUpgrade false, fixes wait for someone to schedule an upgrade, and databases holding PHI run known-vulnerable engines for months.',
  remediation: {
    text: 'Leave AutoMinorVersionUpgrade at its default (true) and set a PreferredMaintenanceWindow outside clinic hours.',
    cloudformation: 'AutoMinorVersionUpgrade: true\nPreferredMaintenanceWindow: sun:07:00-sun:08:00',
    terraform: 'auto_minor_version_upgrade = true',
  },
  controls: { csf: ['PR.IP-12', 'ID.RA-1'], hipaa: ['164.308(a)(1)(ii)(B)', '164.308(a)(5)(ii)(B)'], ferpa: ['FERPA-PATCH-MANAGEMENT'] },
  references: { awsConfig: ['RDS_AUTOMATIC_MINOR_VERSION_UPGRADE_ENABLED'], cdkNag: ['HIPAA.Security-RDSAutomaticMinorVersionUpgradeEnabled'], prowler: ['rds_instance_minor_version_upgrade_enabled'] },
  evaluate: (db) => judgeBool(db, { path: 'AutoMinorVersionUpgrade', want: true, fallback: true, good: 'applies minor engine upgrades automatically', bad: 'does not apply minor engine upgrades automatically' }),
})
