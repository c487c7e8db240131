import { defineCheck } from '../define-check.js'
import { judgeBool } from './lib/judge.js'

/** The warehouse receives engine updates, including security fixes, in its maintenance window. */
export default defineCheck({
  id: 'aws/redshift-maintenance',
  title: 'Redshift cluster allows engine version upgrades',
  severity: 'medium',
  resourceKinds: ['aws:redshift:cluster'],
  rationale:
    'With AllowVersionUpgrade false the cluster stays on its engine version and misses security fixes that Redshift applies during maintenance windows, leaving a warehouse of patient data on known-vulnerable software. AWS Config REDSHIFT_CLUSTER_MAINTENANCESETTINGS_CHECK (allowVersionUpgrade true in the HIPAA pack) checks the same setting.',
  remediation: {
    text: 'Leave AllowVersionUpgrade at its default (true) and set PreferredMaintenanceWindow outside reporting hours.',
    cloudformation: 'AllowVersionUpgrade: true\nPreferredMaintenanceWindow: sun:06:00-sun:06:30',
    terraform: 'allow_version_upgrade = true',
  },
  controls: { csf: ['PR.IP-12', 'PR.MA-1'], hipaa: ['164.308(a)(1)(ii)(B)', '164.308(a)(5)(ii)(B)'], ferpa: ['FERPA-PATCH-MANAGEMENT'] },
  references: { awsConfig: ['REDSHIFT_CLUSTER_MAINTENANCESETTINGS_CHECK'], cdkNag: ['HIPAA.Security-RedshiftClusterMaintenanceSettings'], prowler: ['redshift_cluster_automatic_upgrades'] },
  evaluate: (c) => judgeBool(c, { path: 'AllowVersionUpgrade', want: true, fallback: true, good: 'allows engine version upgrades', bad: 'does not allow engine version upgrades' }),
})
