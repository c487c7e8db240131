import { defineCheck, fail, manual, pass } from '../define-check.js'
import { subject } from './lib/judge.js'
import { at, describe, isObj, isUnknown } from './lib/values.js'

/** Users and services of big-data clusters that process patient data authenticate with Kerberos. */
export default defineCheck({
  id: 'aws/emr-kerberos',
  title: 'EMR cluster authenticates with Kerberos',
  severity: 'medium',
  resourceKinds: ['aws:emr:cluster'],
  rationale:
    'Without Kerberos, Hadoop, Hive, Spark and HDFS trust the user name a client claims: anyone who can reach the cluster (or any process on it) can read every dataset as any user. Kerberos, set in the security configuration with KerberosAttributes on the cluster, gives per-user authentication to data often extracted from EHR systems.',
  remediation: {
    text: 'Create an AWS::EMR::SecurityConfiguration with AuthenticationConfiguration.KerberosConfiguration (cluster-dedicated KDC or a trust to Active Directory), reference it from the cluster and set KerberosAttributes.',
    cloudformation: 'SecurityConfiguration: !Ref EmrSecurity\nKerberosAttributes: { Realm: EC2.INTERNAL, KdcAdminPassword: "{{resolve:secretsmanager:clinic/emr/kdc}}" }',
  },
  controls: { csf: ['PR.AC-1', 'PR.AC-7'], hipaa: ['164.312(d)', '164.312(a)(2)(i)'], ferpa: ['FERPA-AUTHENTICATION', 'FERPA-ACCESS-CONTROL'] },
  references: { awsConfig: ['EMR_KERBEROS_ENABLED'], cdkNag: ['HIPAA.Security-EMRKerberosEnabled'] },
  evaluate(cluster, ctx) {
    const name = cluster.props['SecurityConfiguration']
    if (name === undefined) return fail(`${subject(cluster)} has no security configuration, so Kerberos is off.`)
    const sc = ctx.view.refs(name, cluster).find((r) => r.type === 'AWS::EMR::SecurityConfiguration') ?? ctx.view.ofType('AWS::EMR::SecurityConfiguration').find((r) => typeof name === 'string' && (r.props['Name'] === name || (r.sourceId === name && r.stack === cluster.stack)))
    if (!sc) return manual(`${subject(cluster)} uses security configuration ${describe(name)}, which is not in the scan.`, { path: 'SecurityConfiguration' })
    let doc = sc.props['SecurityConfiguration']
    if (typeof doc === 'string') {
      try {
        doc = JSON.parse(doc)
      } catch {
        doc = undefined
      }
    }
    if (isUnknown(doc)) return manual(`Security configuration ${sc.name} of ${subject(cluster)} is unknown at scan time.`, { path: 'SecurityConfiguration' })
    if (!isObj(at(doc, 'AuthenticationConfiguration.KerberosConfiguration'))) return fail(`${subject(cluster)} uses security configuration ${sc.name}, which does not configure Kerberos.`, { path: 'SecurityConfiguration' })
    if (!isObj(cluster.props['KerberosAttributes'])) return fail(`${subject(cluster)} uses a Kerberos security configuration but sets no KerberosAttributes, so Kerberos is not set up.`, { path: 'SecurityConfiguration' })
    return pass(`${subject(cluster)} authenticates with Kerberos (security configuration ${sc.name}).`)
  },
})
