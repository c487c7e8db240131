import { defineCheck, fail, manual, pass } from '../define-check.js'
import { subject } from './lib/judge.js'
import { bool, describe } from './lib/values.js'

/** The data warehouse has no endpoint reachable from the internet. */
export default defineCheck({
  id: 'aws/redshift-public',
  title: 'Redshift cluster is not publicly accessible',
  severity: 'critical',
  resourceKinds: ['aws:redshift:cluster'],
  rationale:
    'A publicly accessible cluster resolves to a public IP address: one security group rule from anywhere exposes a warehouse of patient data to password guessing and engine exploits. Analysts and BI tools should connect through a VPN, PrivateLink or a bastion.',
  remediation: {
    text: 'Set PubliclyAccessible: false (the default for clusters created since January 2025) and place the cluster in private subnets.',
    cloudformation: 'PubliclyAccessible: false',
    terraform: 'publicly_accessible = false',
  },
  controls: { csf: ['PR.AC-3', 'PR.AC-5'], hipaa: ['164.312(a)(1)', '164.312(e)(1)'], ferpa: ['FERPA-ACCESS-CONTROL', 'FERPA-LAYERED-DEFENSE'] },
  references: { awsConfig: ['REDSHIFT_CLUSTER_PUBLIC_ACCESS_CHECK'], cdkNag: ['HIPAA.Security-RedshiftClusterPublicAccess'], prowler: ['redshift_cluster_public_access'] },
  evaluate(c) {
    const raw = c.props['PubliclyAccessible']
    const v = bool(raw, false)
    if (v === undefined) return manual(`${subject(c)} takes PubliclyAccessible from ${describe(raw)}, unknown at scan time.`, { path: 'PubliclyAccessible' })
    return v ? fail(`${subject(c)} is publicly accessible.`, { path: 'PubliclyAccessible' }) : pass(`${subject(c)} is not publicly accessible.`)
  },
})
