import { defineCheck, fail, manual, pass } from '../define-check.js'
import { judgeBool, subject } from './lib/judge.js'
import { clusterMembers, engineOf, isClusterMember } from './lib/rds.js'
import { str } from './lib/values.js'

/** A database of patient records survives the loss of one Availability Zone. */
export default defineCheck({
  id: 'aws/rds-multi-az',
  title: 'RDS database runs in more than one Availability Zone',
  severity: 'medium',
  resourceKinds: ['aws:rds:db-instance', 'aws:rds:db-cluster'],
  rationale:
    'A single-AZ instance (MultiAZ defaults to false), or an Aurora cluster with only a writer, is down for the whole outage of its Availability Zone and for every maintenance reboot; clinicians lose access to records when they need them. HIPAA contingency planning expects critical ePHI systems to keep running in emergency mode.',
  remediation: {
    text: 'Set MultiAZ: true on RDS instances; give Aurora clusters at least one reader in another Availability Zone (or use a Multi-AZ DB cluster).',
    cloudformation: 'MultiAZ: true   # RDS instance\nEhrReader: { Type: AWS::RDS::DBInstance, Properties: { DBClusterIdentifier: !Ref EhrCluster, Engine: aurora-postgresql, DBInstanceClass: db.r6g.large } }',
    terraform: 'multi_az = true',
  },
  controls: { csf: ['PR.PT-5', 'PR.DS-4'], hipaa: ['164.308(a)(7)(ii)(C)', '164.308(a)(7)(ii)(B)'], ferpa: ['FERPA-DATA-BACKUP', 'FERPA-SECURE-CONFIGURATIONS'] },
  references: {
    awsConfig: ['RDS_MULTI_AZ_SUPPORT', 'RDS_CLUSTER_MULTI_AZ_ENABLED'],
    cdkNag: ['HIPAA.Security-RDSMultiAZSupport'],
    prowler: ['rds_instance_multi_az', 'rds_cluster_multi_az'],
  },
  // members are judged through their cluster; read replicas through their source
  appliesTo: (db) => !isClusterMember(db) && db.props['SourceDBInstanceIdentifier'] === undefined,
  evaluate(db, ctx) {
    if (db.type === 'AWS::RDS::DBInstance') {
      return judgeBool(db, { path: 'MultiAZ', want: true, fallback: false, good: 'is Multi-AZ', bad: 'runs in a single Availability Zone', defaultNote: 'MultiAZ defaults to false' })
    }
    // a Multi-AZ DB cluster (MySQL / PostgreSQL with DBClusterInstanceClass) always has three instances in three AZs
    if (db.props['DBClusterInstanceClass'] !== undefined && !engineOf(db)?.startsWith('aurora')) return pass(`${subject(db)} is a Multi-AZ DB cluster.`)
    if (str(db.props['EngineMode'])?.toLowerCase() === 'serverless') return manual(`${subject(db)} is Aurora Serverless v1, whose capacity runs in one Availability Zone and fails over on demand; check that the recovery time is acceptable.`, { path: 'EngineMode' })
    const members = clusterMembers(db, ctx)
    if (!members.length) return manual(`${subject(db)} has no DB instances in the scanned inputs; PhiWall cannot tell in how many Availability Zones they run.`)
    if (members.length === 1) return fail(`${subject(db)} has a single DB instance (${members[0]!.name}), so it runs in one Availability Zone.`, { evidence: { instances: 1 } })
    const azs = members.map((m) => str(m.props['AvailabilityZone']))
    const pinned = azs.filter((a): a is string => a !== undefined)
    if (pinned.length === members.length && new Set(pinned).size === 1) return fail(`${subject(db)} has ${members.length} DB instances, all in ${pinned[0]}.`, { evidence: { instances: members.length, availabilityZone: pinned[0] } })
    return pass(`${subject(db)} has ${members.length} DB instances${pinned.length === members.length ? ` in ${new Set(pinned).size} Availability Zones` : ', placed by RDS across Availability Zones'}.`)
  },
})
