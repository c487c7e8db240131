import { defineCheck, fail, manual, pass } from '../define-check.js'
import { subject } from './lib/judge.js'
import { bool, describe } from './lib/values.js'

/** Replication instances that copy whole databases of PHI are not reachable from the internet. */
export default defineCheck({
  id: 'aws/dms-replication-not-public',
  title: 'DMS replication instance is not publicly accessible',
  severity: 'high',
  resourceKinds: ['aws:dms:replication-instance'],
  rationale:
    'PubliclyAccessible defaults to true for DMS replication instances. A replication instance holds credentials for source and target databases and streams every row it migrates; with a public address it is one security group rule away from the internet during migrations of EHR and billing data.',
  remediation: {
    text: 'Set PubliclyAccessible: false and use a replication subnet group of private subnets (reach on-premises sources through VPN or Direct Connect).',
    cloudformation: 'PubliclyAccessible: false\nReplicationSubnetGroupIdentifier: !Ref PrivateDmsSubnets',
    terraform: 'publicly_accessible = false',
  },
  controls: { csf: ['PR.AC-3', 'PR.AC-5'], hipaa: ['164.312(a)(1)', '164.312(e)(1)'], ferpa: ['FERPA-ACCESS-CONTROL', 'FERPA-LAYERED-DEFENSE'] },
  references: { awsConfig: ['DMS_REPLICATION_NOT_PUBLIC'], cdkNag: ['HIPAA.Security-DMSReplicationNotPublic'], prowler: ['dms_instance_no_public_access'] },
  evaluate(ri) {
    const raw = ri.props['PubliclyAccessible']
    const v = bool(raw, true)
    if (v === undefined) return manual(`${subject(ri)} takes PubliclyAccessible from ${describe(raw)}, unknown at scan time.`, { path: 'PubliclyAccessible' })
    if (!v) return pass(`${subject(ri)} is not publicly accessible.`)
    return fail(`${subject(ri)} is publicly accessible${raw === undefined ? ' (PubliclyAccessible defaults to true)' : ''}.`, raw === undefined ? {} : { path: 'PubliclyAccessible' })
  },
})
