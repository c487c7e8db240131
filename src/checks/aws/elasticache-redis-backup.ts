import { defineCheck, fail, manual, pass } from '../define-check.js'
import { numOr, subject } from './lib/judge.js'
import { describe, str } from './lib/values.js'

/** Days of automatic snapshots the HIPAA conformance pack expects for Redis. */
const MIN_DAYS = 15

/** Redis data that is not only a cache (sessions, queues, care-team state) can be restored. */
export default defineCheck({
  id: 'aws/elasticache-redis-backup',
  title: 'ElastiCache Redis keeps automatic backups at least 15 days',
  severity: 'medium',
  resourceKinds: ['aws:elasticache:replication-group', 'aws:elasticache:cache-cluster'],
  rationale:
    'SnapshotRetentionLimit defaults to 0, meaning no automatic backups. Redis often holds more than a cache (sessions, job queues, rate limits, draft forms with patient data); after a failure or a FLUSHALL it is gone. AWS Config ELASTICACHE_REDIS_CLUSTER_AUTOMATIC_BACKUP_CHECK expects 15 days.',
  remediation: {
    text: 'Set SnapshotRetentionLimit to 15 or more and a SnapshotWindow outside peak hours.',
    cloudformation: 'SnapshotRetentionLimit: 15\nSnapshotWindow: "05:00-06:00"',
    terraform: 'snapshot_retention_limit = 15',
  },
  controls: { csf: ['PR.IP-4'], hipaa: ['164.308(a)(7)(ii)(A)'], ferpa: ['FERPA-DATA-BACKUP'] },
  references: { awsConfig: ['ELASTICACHE_REDIS_CLUSTER_AUTOMATIC_BACKUP_CHECK'], cdkNag: ['HIPAA.Security-ElastiCacheRedisClusterAutomaticBackup'], prowler: ['elasticache_redis_cluster_backup_enabled'] },
  // Memcached has no backups
  appliesTo: (r) => r.type === 'AWS::ElastiCache::ReplicationGroup' || /^(redis|valkey)$/i.test(str(r.props['Engine']) ?? ''),
  evaluate(r) {
    const raw = r.props['SnapshotRetentionLimit']
    const days = numOr(raw, 0)
    if (days === undefined) return manual(`${subject(r)} takes SnapshotRetentionLimit from ${describe(raw)}, unknown at scan time.`, { path: 'SnapshotRetentionLimit' })
    if (days >= MIN_DAYS) return pass(`${subject(r)} keeps automatic backups ${days} days.`)
    return fail(`${subject(r)} ${days === 0 ? 'has no automatic backups' : `keeps automatic backups only ${days} days`}; at least ${MIN_DAYS} are expected.`, { path: raw === undefined ? '' : 'SnapshotRetentionLimit' })
  },
})
