import { compact, nonBlank, nonEmpty } from '../reader.js'
import type { TfConverter } from '../types.js'
import { mergeInto, own } from './common.js'

/** Redshift clusters (no password), their logging and parameter groups (`require_ssl` lives there). */
export const REDSHIFT_CONVERTERS: Record<string, TfConverter> = {
  aws_redshift_cluster: (r) => {
    const logging = r.block('logging')
    return [
      own(
        r,
        'AWS::Redshift::Cluster',
        {
          ClusterIdentifier: r.get('cluster_identifier'),
          NodeType: r.get('node_type'),
          ClusterType: r.get('cluster_type'),
          NumberOfNodes: r.get('cluster_type') === 'multi-node' ? r.get('number_of_nodes') : undefined,
          DBName: r.get('database_name'),
          MasterUsername: r.get('master_username'),
          ManageMasterPassword: r.get('manage_master_password'),
          Encrypted: r.get('encrypted'),
          KmsKeyId: nonBlank(r.ref('kms_key_id')),
          PubliclyAccessible: r.get('publicly_accessible'),
          EnhancedVpcRouting: r.get('enhanced_vpc_routing'),
          AutomatedSnapshotRetentionPeriod: r.get('automated_snapshot_retention_period'),
          AllowVersionUpgrade: r.get('allow_version_upgrade'),
          Port: r.get('port'),
          ClusterParameterGroupName: nonBlank(r.ref('cluster_parameter_group_name')),
          ClusterSubnetGroupName: nonBlank(r.ref('cluster_subnet_group_name')),
          VpcSecurityGroupIds: nonEmpty(r.refList('vpc_security_group_ids')),
          IamRoles: nonEmpty(r.refList('iam_roles')),
          LoggingProperties:
            logging && logging.get('enable') === true
              ? compact({ BucketName: nonBlank(logging.ref('bucket_name')), S3KeyPrefix: nonBlank(logging.get('s3_key_prefix')), LogDestinationType: nonBlank(logging.get('log_destination_type')), LogExports: nonEmpty(logging.get('log_exports')) })
              : undefined,
          Tags: r.tags(),
        },
        { lines: { LoggingProperties: 'logging', DBName: 'database_name' } },
      ),
    ]
  },
  aws_redshift_logging: (r) => [
    mergeInto('AWS::Redshift::Cluster', r.ref('cluster_identifier'), {
      LoggingProperties: compact({ BucketName: nonBlank(r.ref('bucket_name')), S3KeyPrefix: nonBlank(r.get('s3_key_prefix')), LogDestinationType: nonBlank(r.get('log_destination_type')), LogExports: nonEmpty(r.get('log_exports')) }),
    }),
  ],
  aws_redshift_parameter_group: (r) => [
    own(r, 'AWS::Redshift::ClusterParameterGroup', {
      ParameterGroupName: r.get('name'),
      ParameterGroupFamily: r.get('family'),
      Description: r.get('description') ?? 'Managed by Terraform',
      Parameters: nonEmpty(r.blocks('parameter').map((p) => compact({ ParameterName: p.get('name'), ParameterValue: p.get('value') }))),
      Tags: r.tags(),
    }),
  ],
}
