import { compact, nested, nonBlank, nonEmpty } from '../reader.js'
import type { TfConverter, TfReader } from '../types.js'
import { mergeInto, own } from './common.js'

function common(r: TfReader): Record<string, unknown> {
  const rest = r.block('encrypt_at_rest')
  const n2n = r.block('node_to_node_encryption')
  const endpoint = r.block('domain_endpoint_options')
  const vpc = r.block('vpc_options')
  const ebs = r.block('ebs_options')
  const security = r.block('advanced_security_options')
  const master = security?.block('master_user_options')
  const snapshot = r.block('snapshot_options')
  const cognito = r.block('cognito_options')
  const logs = r.blocks('log_publishing_options')
  return {
    DomainName: r.get('domain_name'),
    EncryptionAtRestOptions: rest ? nested({ Enabled: rest.get('enabled'), KmsKeyId: nonBlank(rest.ref('kms_key_id')) }) : undefined,
    NodeToNodeEncryptionOptions: n2n ? nested({ Enabled: n2n.get('enabled') }) : undefined,
    DomainEndpointOptions: endpoint
      ? nested({
          EnforceHTTPS: endpoint.get('enforce_https'),
          TLSSecurityPolicy: nonBlank(endpoint.get('tls_security_policy')),
          CustomEndpointEnabled: endpoint.get('custom_endpoint_enabled'),
          CustomEndpoint: nonBlank(endpoint.get('custom_endpoint')),
          CustomEndpointCertificateArn: nonBlank(endpoint.ref('custom_endpoint_certificate_arn')),
        })
      : undefined,
    VPCOptions: vpc ? nested({ SubnetIds: nonEmpty(vpc.refList('subnet_ids')), SecurityGroupIds: nonEmpty(vpc.refList('security_group_ids')) }) : undefined,
    EBSOptions: ebs ? nested({ EBSEnabled: ebs.get('ebs_enabled'), VolumeSize: ebs.get('volume_size') || undefined, VolumeType: nonBlank(ebs.get('volume_type')), Iops: ebs.get('iops') || undefined, Throughput: ebs.get('throughput') || undefined }) : undefined,
    AccessPolicies: nonBlank(r.json('access_policies')),
    AdvancedSecurityOptions: security
      ? nested({
          Enabled: security.get('enabled'),
          InternalUserDatabaseEnabled: security.get('internal_user_database_enabled'),
          AnonymousAuthEnabled: security.get('anonymous_auth_enabled'),
          MasterUserOptions: master ? nested({ MasterUserARN: nonBlank(master.ref('master_user_arn')), MasterUserName: nonBlank(master.get('master_user_name')) }) : undefined,
        })
      : undefined,
    SnapshotOptions: snapshot ? nested({ AutomatedSnapshotStartHour: snapshot.get('automated_snapshot_start_hour') }) : undefined,
    CognitoOptions: cognito ? nested({ Enabled: cognito.get('enabled'), UserPoolId: nonBlank(cognito.ref('user_pool_id')), IdentityPoolId: nonBlank(cognito.ref('identity_pool_id')), RoleArn: nonBlank(cognito.ref('role_arn')) }) : undefined,
    LogPublishingOptions: logs.length ? Object.fromEntries(logs.map((l) => [String(l.get('log_type')), compact({ CloudWatchLogsLogGroupArn: l.ref('cloudwatch_log_group_arn'), Enabled: l.get('enabled') })])) : undefined,
    Tags: r.tags(),
  }
}

function clusterConfig(c: TfReader | undefined): Record<string, unknown> | undefined {
  if (!c) return undefined
  const zones = c.block('zone_awareness_config')
  return nested({
    InstanceType: c.get('instance_type'),
    InstanceCount: c.get('instance_count'),
    DedicatedMasterEnabled: c.get('dedicated_master_enabled'),
    DedicatedMasterType: nonBlank(c.get('dedicated_master_type')),
    DedicatedMasterCount: c.get('dedicated_master_enabled') === true ? c.get('dedicated_master_count') : undefined,
    ZoneAwarenessEnabled: c.get('zone_awareness_enabled'),
    ZoneAwarenessConfig: zones ? nested({ AvailabilityZoneCount: zones.get('availability_zone_count') }) : undefined,
    WarmEnabled: c.get('warm_enabled'),
    WarmType: nonBlank(c.get('warm_type')),
    WarmCount: c.get('warm_enabled') === true ? c.get('warm_count') : undefined,
  })
}

const LINES = { EncryptionAtRestOptions: 'encrypt_at_rest', NodeToNodeEncryptionOptions: 'node_to_node_encryption', DomainEndpointOptions: 'domain_endpoint_options', VPCOptions: 'vpc_options', AccessPolicies: 'access_policies', LogPublishingOptions: 'log_publishing_options' }

/** OpenSearch and (legacy) Elasticsearch domains, and their access policies. */
export const OPENSEARCH_CONVERTERS: Record<string, TfConverter> = {
  aws_opensearch_domain: (r) => {
    const cc = r.block('cluster_config')
    const sw = r.block('software_update_options')
    const cluster = clusterConfig(cc)
    if (cluster && cc?.get('multi_az_with_standby_enabled') !== undefined) cluster['MultiAZWithStandbyEnabled'] = cc.get('multi_az_with_standby_enabled')
    return [
      own(
        r,
        'AWS::OpenSearchService::Domain',
        { ...common(r), EngineVersion: nonBlank(r.get('engine_version')), ClusterConfig: cluster, SoftwareUpdateOptions: sw ? nested({ AutoSoftwareUpdateEnabled: sw.get('auto_software_update_enabled') }) : undefined },
        { lines: { ...LINES, ClusterConfig: 'cluster_config' } },
      ),
    ]
  },
  aws_elasticsearch_domain: (r) => {
    const props = common(r)
    // the legacy resource has no anonymous-auth setting and no EBS throughput
    if (props['AdvancedSecurityOptions'] && typeof props['AdvancedSecurityOptions'] === 'object') delete (props['AdvancedSecurityOptions'] as Record<string, unknown>)['AnonymousAuthEnabled']
    if (props['EBSOptions'] && typeof props['EBSOptions'] === 'object') delete (props['EBSOptions'] as Record<string, unknown>)['Throughput']
    return [own(r, 'AWS::Elasticsearch::Domain', { ...props, ElasticsearchVersion: nonBlank(r.get('elasticsearch_version')), ElasticsearchClusterConfig: clusterConfig(r.block('cluster_config')) }, { lines: { ...LINES, ElasticsearchClusterConfig: 'cluster_config' } })]
  },
  aws_opensearch_domain_policy: (r) => [mergeInto('AWS::OpenSearchService::Domain', r.ref('domain_name'), { AccessPolicies: r.json('access_policies') })],
  aws_elasticsearch_domain_policy: (r) => [mergeInto('AWS::Elasticsearch::Domain', r.ref('domain_name'), { AccessPolicies: r.json('access_policies') })],
}
