import { defineCheck, fail, manual, pass } from '../define-check.js'
import type { CheckResult } from '../types.js'
import { subject } from './lib/judge.js'
import { bool, describe, str } from './lib/values.js'

/** Redis data is encrypted on disk (snapshots, swap) and between clients and nodes. */
export default defineCheck({
  id: 'aws/elasticache-redis-encryption',
  title: 'ElastiCache Redis is encrypted at rest and in transit',
  severity: 'high',
  resourceKinds: ['aws:elasticache:replication-group', 'aws:elasticache:cache-cluster'],
  rationale:
    'AtRestEncryptionEnabled and TransitEncryptionEnabled default to false, and at-rest encryption can only be chosen when the group is created. Without them, cached sessions and patient data travel in clear text between the application and Redis and sit unencrypted in snapshots and swap; single-node clusters declared as AWS::ElastiCache::CacheCluster cannot be encrypted at rest at all.',
  remediation: {
    text: 'Use a replication group with AtRestEncryptionEnabled: true (customer managed KMS key) and TransitEncryptionEnabled: true with TransitEncryptionMode required, and Redis AUTH or RBAC users.',
    cloudformation: 'AtRestEncryptionEnabled: true\nKmsKeyId: !Ref CacheKey\nTransitEncryptionEnabled: true\nTransitEncryptionMode: required',
    terraform: 'at_rest_encryption_enabled = true\ntransit_encryption_enabled = true',
  },
  controls: { csf: ['PR.DS-1', 'PR.DS-2'], hipaa: ['164.312(a)(2)(iv)', '164.312(e)(1)', '164.312(e)(2)(ii)'], ferpa: ['FERPA-DATA-ENCRYPTION'] },
  references: { prowler: ['elasticache_redis_cluster_rest_encryption_enabled', 'elasticache_redis_cluster_in_transit_encryption_enabled'] },
  appliesTo: (r) => r.type === 'AWS::ElastiCache::ReplicationGroup' || /^(redis|valkey)$/i.test(str(r.props['Engine']) ?? ''),
  evaluate(r) {
    const results: CheckResult[] = []
    if (r.type === 'AWS::ElastiCache::ReplicationGroup') {
      const rest = r.props['AtRestEncryptionEnabled']
      const v = bool(rest, false)
      if (v === undefined) results.push(manual(`${subject(r)} takes AtRestEncryptionEnabled from ${describe(rest)}, unknown at scan time.`, { path: 'AtRestEncryptionEnabled' }))
      else if (!v) results.push(fail(`${subject(r)} is not encrypted at rest.`, rest === undefined ? {} : { path: 'AtRestEncryptionEnabled' }))
    } else {
      results.push(fail(`${subject(r)} is a single-node cluster, which ElastiCache cannot encrypt at rest; use a replication group.`))
    }
    const transit = r.props['TransitEncryptionEnabled']
    const t = bool(transit, false)
    if (t === undefined) results.push(manual(`${subject(r)} takes TransitEncryptionEnabled from ${describe(transit)}, unknown at scan time.`, { path: 'TransitEncryptionEnabled' }))
    else if (!t) results.push(fail(`${subject(r)} accepts unencrypted connections.`, transit === undefined ? {} : { path: 'TransitEncryptionEnabled' }))
    else if (str(r.props['TransitEncryptionMode'])?.toLowerCase() === 'preferred') results.push(fail(`${subject(r)} still accepts unencrypted connections (TransitEncryptionMode preferred).`, { path: 'TransitEncryptionMode' }))
    return results.length ? results : pass(`${subject(r)} is encrypted at rest and in transit.`)
  },
})
