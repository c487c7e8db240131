import type { Resource } from '../../../model/index.js'
import type { CheckContext } from '../../types.js'
import { resolve } from './judge.js'
import { bool, describe, str } from './values.js'

/** Is an RDS instance a member of a cluster (Aurora or Multi-AZ DB cluster)? Such settings live on the cluster. */
export function isClusterMember(db: Resource): boolean {
  return db.type === 'AWS::RDS::DBInstance' && db.props['DBClusterIdentifier'] !== undefined && db.props['DBClusterIdentifier'] !== null
}

/** Engine of an instance or cluster, lower-cased; undefined when unknown. */
export function engineOf(db: Resource): string | undefined {
  return str(db.props['Engine'])?.toLowerCase()
}

/** Instances that belong to a cluster: by reference, or by identifier (live snapshots). */
export function clusterMembers(cluster: Resource, ctx: CheckContext): Resource[] {
  const out = new Set(ctx.view.related(cluster, { direction: 'in', kinds: ['attached'], types: ['AWS::RDS::DBInstance'] }))
  const id = (str(cluster.props['DBClusterIdentifier']) ?? cluster.name).toLowerCase()
  for (const db of ctx.view.ofType('AWS::RDS::DBInstance')) {
    const c = db.props['DBClusterIdentifier']
    if (typeof c === 'string' && c.toLowerCase() === id) out.add(db)
  }
  return [...out]
}

/** Storage encryption of an RDS instance or cluster, with the reason for the answer. */
export interface StorageEncryption {
  state: 'yes' | 'no' | 'unknown'
  reason: string
  path?: string
}

/**
 * Is the storage of an RDS instance or cluster encrypted? `StorageEncrypted` defaults to false;
 * Aurora Serverless v1 is always encrypted; a database restored from a snapshot or created as a
 * replica inherits encryption from its source (judged from the inventory when the source is there).
 */
export function storageEncryption(db: Resource, ctx: CheckContext, depth = 0): StorageEncryption {
  const raw = db.props['StorageEncrypted']
  const v = bool(raw, undefined)
  if (raw !== undefined && v === undefined) return { state: 'unknown', reason: `takes StorageEncrypted from ${describe(raw)}, unknown at scan time`, path: 'StorageEncrypted' }
  if (v === true) return { state: 'yes', reason: 'has encrypted storage' }
  if (db.type === 'AWS::RDS::DBCluster' && str(db.props['EngineMode'])?.toLowerCase() === 'serverless') return { state: 'yes', reason: 'is Aurora Serverless v1, whose storage is always encrypted' }
  if (db.origin !== 'aws-snapshot') {
    if (db.type === 'AWS::RDS::DBInstance' && isClusterMember(db) && depth < 2) {
      const clusters = resolve(db.props['DBClusterIdentifier'], db, ctx, ['AWS::RDS::DBCluster'])
      if (clusters.length) {
        const c = storageEncryption(clusters[0]!, ctx, depth + 1)
        return { ...c, reason: `follows cluster ${clusters[0]!.name}, which ${c.reason}` }
      }
      return { state: 'unknown', reason: 'takes encryption from its cluster, which is not in the scan' }
    }
    for (const key of ['DBSnapshotIdentifier', 'SnapshotIdentifier', 'SourceDBInstanceIdentifier', 'SourceDBClusterIdentifier', 'SourceDBInstanceAutomatedBackupsArn']) {
      const src = db.props[key]
      if (src === undefined || src === null) continue
      if (db.props['KmsKeyId'] !== undefined && (key.startsWith('Source') || db.type === 'AWS::RDS::DBCluster')) return { state: 'yes', reason: `is a copy of ${key} encrypted with KmsKeyId` }
      if (depth < 2) {
        const sources = resolve(src, db, ctx, ['AWS::RDS::DBInstance', 'AWS::RDS::DBCluster'])
        if (sources.length) {
          const s = storageEncryption(sources[0]!, ctx, depth + 1)
          return { ...s, reason: `inherits encryption from ${sources[0]!.name}, which ${s.reason}` }
        }
      }
      return { state: 'unknown', reason: `inherits encryption from ${key} ${describe(src)}, which is not in the scan`, path: key }
    }
  }
  return { state: 'no', reason: raw === undefined ? 'has unencrypted storage (StorageEncrypted defaults to false)' : 'has StorageEncrypted set to false', path: raw === undefined ? '' : 'StorageEncrypted' }
}
