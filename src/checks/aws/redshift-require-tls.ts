import { defineCheck, fail, manual, pass } from '../define-check.js'
import { resolve, subject } from './lib/judge.js'
import { describe, isObj, list, str } from './lib/values.js'

/** SQL clients connect to the warehouse only over TLS. */
export default defineCheck({
  id: 'aws/redshift-require-tls',
  title: 'Redshift cluster requires TLS connections',
  severity: 'high',
  resourceKinds: ['aws:redshift:cluster'],
  rationale:
    'Unless the parameter group sets require_ssl true, Redshift accepts unencrypted connections: BI tools and scripts configured without SSL send credentials and query results full of patient data in clear text.',
  remediation: {
    text: 'Use a cluster parameter group with require_ssl set to true and reboot the cluster; configure clients with sslmode=verify-full.',
    cloudformation: 'Parameters: [ { ParameterName: require_ssl, ParameterValue: "true" } ]',
    terraform: 'parameter { name = "require_ssl"  value = "true" }',
  },
  controls: { csf: ['PR.DS-2'], hipaa: ['164.312(e)(1)', '164.312(e)(2)(ii)'], ferpa: ['FERPA-DATA-ENCRYPTION'] },
  references: { awsConfig: ['REDSHIFT_REQUIRE_TLS_SSL'], cdkNag: ['HIPAA.Security-RedshiftRequireTlsSSL'], prowler: ['redshift_cluster_in_transit_encryption_enabled'] },
  evaluate(c, ctx) {
    const name = c.props['ClusterParameterGroupName']
    if (name === undefined || (typeof name === 'string' && name.startsWith('default.'))) {
      return manual(`${subject(c)} uses the default parameter group, whose require_ssl setting depends on when the cluster was created and is not in the scan.`, name === undefined ? {} : { path: 'ClusterParameterGroupName' })
    }
    const group = resolve(name, c, ctx, ['AWS::Redshift::ClusterParameterGroup'])[0]
    if (!group) return manual(`${subject(c)} uses parameter group ${describe(name)}, which is not in the scan.`, { path: 'ClusterParameterGroupName' })
    const p = list(group.props['Parameters']).find((x) => isObj(x) && str(x['ParameterName']) === 'require_ssl')
    const v = isObj(p) ? String(p['ParameterValue']).toLowerCase() : undefined
    if (v === 'true') return pass(`${subject(c)} requires TLS (parameter group ${group.name}).`)
    return fail(`${subject(c)} accepts unencrypted connections: parameter group ${group.name} ${v === undefined ? 'does not set require_ssl' : 'sets require_ssl to false'}.`, { path: 'ClusterParameterGroupName' })
  },
})
