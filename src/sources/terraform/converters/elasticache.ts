import { maskValue } from '../../../model/index.js'
import { compact, nonBlank, nonEmpty } from '../reader.js'
import type { TfConverter, TfReader } from '../types.js'
import { own } from './common.js'

function logDelivery(r: TfReader): unknown[] | undefined {
  return nonEmpty(
    r.blocks('log_delivery_configuration').map((l) => {
      const type = l.get('destination_type')
      return compact({
        DestinationType: type,
        DestinationDetails: type === 'kinesis-firehose' ? { KinesisFirehoseDetails: { DeliveryStream: l.ref('destination') } } : { CloudWatchLogsDetails: { LogGroup: l.ref('destination') } },
        LogFormat: l.get('log_format'),
        LogType: l.get('log_type'),
      })
    }),
  )
}

/**
 * The Redis AUTH token: whether one is set is what the checks judge, so a set token becomes its
 * masked form (never the token).
 */
function authToken(r: TfReader): unknown {
  const v = r.get('auth_token')
  return typeof v === 'string' ? (v ? maskValue(v) : undefined) : v
}

/** ElastiCache replication groups and clusters: encryption in transit and at rest, AUTH, backups, logs. */
export const ELASTICACHE_CONVERTERS: Record<string, TfConverter> = {
  aws_elasticache_replication_group: (r) => [
    own(
      r,
      'AWS::ElastiCache::ReplicationGroup',
      {
        ReplicationGroupId: r.get('replication_group_id'),
        ReplicationGroupDescription: r.get('description') ?? r.get('replication_group_description') ?? 'Managed by Terraform',
        Engine: nonBlank(r.get('engine')),
        EngineVersion: nonBlank(r.get('engine_version')),
        CacheNodeType: nonBlank(r.get('node_type')),
        NumCacheClusters: r.get('num_cache_clusters') ?? r.get('number_cache_clusters'),
        NumNodeGroups: r.get('num_node_groups') || undefined,
        ReplicasPerNodeGroup: r.get('replicas_per_node_group'),
        AtRestEncryptionEnabled: r.get('at_rest_encryption_enabled'),
        TransitEncryptionEnabled: r.get('transit_encryption_enabled'),
        TransitEncryptionMode: nonBlank(r.get('transit_encryption_mode')),
        AuthToken: authToken(r),
        KmsKeyId: nonBlank(r.ref('kms_key_id')),
        AutomaticFailoverEnabled: r.get('automatic_failover_enabled'),
        MultiAZEnabled: r.get('multi_az_enabled'),
        SnapshotRetentionLimit: r.get('snapshot_retention_limit'),
        AutoMinorVersionUpgrade: r.get('auto_minor_version_upgrade'),
        SecurityGroupIds: nonEmpty(r.refList('security_group_ids')),
        CacheSubnetGroupName: nonBlank(r.ref('subnet_group_name')),
        Port: r.get('port'),
        UserGroupIds: nonEmpty(r.refList('user_group_ids')),
        LogDeliveryConfigurations: logDelivery(r),
        Tags: r.tags(),
      },
      { lines: { NumCacheClusters: 'num_cache_clusters', CacheNodeType: 'node_type', CacheSubnetGroupName: 'subnet_group_name', LogDeliveryConfigurations: 'log_delivery_configuration' } },
    ),
  ],
  aws_elasticache_cluster: (r) => [
    own(r, 'AWS::ElastiCache::CacheCluster', {
      ClusterName: r.get('cluster_id'),
      Engine: r.get('engine'),
      EngineVersion: nonBlank(r.get('engine_version')),
      CacheNodeType: r.get('node_type'),
      NumCacheNodes: r.get('num_cache_nodes'),
      SnapshotRetentionLimit: r.get('snapshot_retention_limit'),
      TransitEncryptionEnabled: r.get('transit_encryption_enabled'),
      AutoMinorVersionUpgrade: typeof r.get('auto_minor_version_upgrade') === 'string' ? r.get('auto_minor_version_upgrade') === 'true' : r.get('auto_minor_version_upgrade'),
      VpcSecurityGroupIds: nonEmpty(r.refList('security_group_ids')),
      CacheSubnetGroupName: nonBlank(r.ref('subnet_group_name')),
      Port: r.get('port'),
      LogDeliveryConfigurations: logDelivery(r),
      Tags: r.tags(),
    }),
  ],
}
