import { nonBlank, nonEmpty } from '../reader.js'
import type { TfConverter } from '../types.js'
import { own } from './common.js'

/** DMS replication instances (public access, encryption, Multi-AZ) and endpoints (SSL mode; never passwords). */
export const DMS_CONVERTERS: Record<string, TfConverter> = {
  aws_dms_replication_instance: (r) => [
    own(
      r,
      'AWS::DMS::ReplicationInstance',
      {
        ReplicationInstanceIdentifier: r.get('replication_instance_id'),
        ReplicationInstanceClass: r.get('replication_instance_class'),
        AllocatedStorage: r.get('allocated_storage'),
        EngineVersion: nonBlank(r.get('engine_version')),
        PubliclyAccessible: r.get('publicly_accessible'),
        MultiAZ: r.get('multi_az'),
        KmsKeyId: nonBlank(r.ref('kms_key_arn')),
        AutoMinorVersionUpgrade: r.get('auto_minor_version_upgrade'),
        AllowMajorVersionUpgrade: r.get('allow_major_version_upgrade'),
        VpcSecurityGroupIds: nonEmpty(r.refList('vpc_security_group_ids')),
        ReplicationSubnetGroupIdentifier: nonBlank(r.ref('replication_subnet_group_id')),
        Tags: r.tags(),
      },
      { lines: { ReplicationInstanceIdentifier: 'replication_instance_id', KmsKeyId: 'kms_key_arn', ReplicationSubnetGroupIdentifier: 'replication_subnet_group_id' } },
    ),
  ],
  aws_dms_endpoint: (r) => [
    own(r, 'AWS::DMS::Endpoint', {
      EndpointIdentifier: r.get('endpoint_id'),
      EndpointType: r.get('endpoint_type'),
      EngineName: r.get('engine_name'),
      SslMode: nonBlank(r.get('ssl_mode')),
      KmsKeyId: nonBlank(r.ref('kms_key_arn')),
      ServerName: nonBlank(r.get('server_name')),
      Port: r.get('port'),
      DatabaseName: nonBlank(r.get('database_name')),
      Username: nonBlank(r.get('username')),
      CertificateArn: nonBlank(r.ref('certificate_arn')),
      Tags: r.tags(),
    }),
  ],
}
