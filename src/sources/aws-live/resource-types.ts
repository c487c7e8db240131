/** Where a resource type lives, which decides how often and from where it is listed. */
export type TypeScope =
  /** Listed in every region read. */
  | 'regional'
  /** IAM: one account-wide list, read once through the first region. */
  | 'global'
  /** S3 buckets: Cloud Control lists every bucket of the account from any region, but reads a bucket only in its home region. */
  | 's3'

/** A CloudFormation type the collector reads through the Cloud Control API. */
export interface TypeSpec {
  type: string
  scope: TypeScope
  /**
   * Types whose Cloud Control list handler needs the identifier of a parent resource
   * (`AWS::ApiGateway::Stage` needs `RestApiId`): listed once per parent, with the
   * ResourceModel built from the parent's properties (undefined skips that parent).
   */
  parent?: { type: string; model: (parent: Record<string, unknown>) => Record<string, unknown> | undefined }
  /** ResourceModels to list with, when the list handler needs one that no parent gives (WAFv2 `Scope`). */
  models?: (region: string) => Record<string, unknown>[]
  /** Property that carries the resource's ARN, when it is not `Arn`. */
  arnProperty?: string
  /** ARN of resources whose properties state none (EC2), from the identifier. */
  arnOf?: (id: { partition: string; region: string; account: string; identifier: string }) => string
  /**
   * Take the properties ListResources gives, and call GetResource only when it gives no more than
   * the identifier: for types whose read handler needs a permission an audit role must not
   * hold (Secrets Manager's needs secretsmanager:GetSecretValue, though it never returns the value).
   */
  preferList?: boolean
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined)
const ec2Arn = (kind: string) => (id: { partition: string; region: string; account: string; identifier: string }): string =>
  `arn:${id.partition}:ec2:${id.region}:${id.account}:${kind}/${id.identifier}`

/**
 * The CloudFormation types the checks judge, read per region (or once, for IAM and S3). Child
 * types follow their parent in the list. Types Cloud Control cannot list in an account or region
 * are reported as snapshot errors, never skipped silently.
 */
export const RESOURCE_TYPES: readonly TypeSpec[] = [
  { type: 'AWS::S3::Bucket', scope: 's3' },
  { type: 'AWS::IAM::Role', scope: 'global' },
  { type: 'AWS::IAM::User', scope: 'global' },
  { type: 'AWS::IAM::Group', scope: 'global' },
  { type: 'AWS::IAM::ManagedPolicy', scope: 'global', arnProperty: 'PolicyArn' },
  { type: 'AWS::Lambda::Function', scope: 'regional' },
  { type: 'AWS::Lambda::Url', scope: 'regional', parent: { type: 'AWS::Lambda::Function', model: (p) => (str(p['Arn']) ? { TargetFunctionArn: p['Arn'] } : undefined) } },
  { type: 'AWS::Lambda::EventSourceMapping', scope: 'regional', arnProperty: 'EventSourceMappingArn' },
  { type: 'AWS::DynamoDB::Table', scope: 'regional' },
  { type: 'AWS::RDS::DBInstance', scope: 'regional', arnProperty: 'DBInstanceArn' },
  { type: 'AWS::RDS::DBCluster', scope: 'regional', arnProperty: 'DBClusterArn' },
  { type: 'AWS::SQS::Queue', scope: 'regional' },
  { type: 'AWS::SNS::Topic', scope: 'regional', arnProperty: 'TopicArn' },
  { type: 'AWS::KMS::Key', scope: 'regional' },
  { type: 'AWS::KMS::Alias', scope: 'regional' },
  { type: 'AWS::CloudTrail::Trail', scope: 'regional' },
  { type: 'AWS::Logs::LogGroup', scope: 'regional' },
  { type: 'AWS::EC2::SecurityGroup', scope: 'regional', arnOf: ec2Arn('security-group') },
  { type: 'AWS::EC2::Instance', scope: 'regional', arnOf: ec2Arn('instance') },
  // network interfaces name who owns an address (a Lambda ENI's description names its function): flow logs resolve through them
  { type: 'AWS::EC2::NetworkInterface', scope: 'regional', arnOf: ec2Arn('network-interface') },
  { type: 'AWS::EC2::Volume', scope: 'regional', arnOf: ec2Arn('volume') },
  { type: 'AWS::EC2::VPC', scope: 'regional', arnOf: ec2Arn('vpc') },
  { type: 'AWS::EC2::Subnet', scope: 'regional', arnOf: ec2Arn('subnet') },
  { type: 'AWS::EC2::FlowLog', scope: 'regional', arnOf: ec2Arn('vpc-flow-log') },
  { type: 'AWS::EC2::RouteTable', scope: 'regional', arnOf: ec2Arn('route-table') },
  { type: 'AWS::EC2::Route', scope: 'regional', parent: { type: 'AWS::EC2::RouteTable', model: (p) => (str(p['RouteTableId']) ? { RouteTableId: p['RouteTableId'] } : undefined) } },
  { type: 'AWS::EC2::LaunchTemplate', scope: 'regional', arnOf: ec2Arn('launch-template') },
  { type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', scope: 'regional', arnProperty: 'LoadBalancerArn' },
  { type: 'AWS::ElasticLoadBalancingV2::Listener', scope: 'regional', arnProperty: 'ListenerArn', parent: { type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', model: (p) => (str(p['LoadBalancerArn']) ? { LoadBalancerArn: p['LoadBalancerArn'] } : undefined) } },
  { type: 'AWS::ApiGateway::RestApi', scope: 'regional' },
  { type: 'AWS::ApiGateway::Stage', scope: 'regional', parent: { type: 'AWS::ApiGateway::RestApi', model: (p) => (str(p['RestApiId']) ? { RestApiId: p['RestApiId'] } : undefined) } },
  { type: 'AWS::ApiGateway::Resource', scope: 'regional', parent: { type: 'AWS::ApiGateway::RestApi', model: (p) => (str(p['RestApiId']) ? { RestApiId: p['RestApiId'] } : undefined) } },
  { type: 'AWS::ApiGateway::Method', scope: 'regional', parent: { type: 'AWS::ApiGateway::Resource', model: (p) => (str(p['RestApiId']) && str(p['ResourceId']) ? { RestApiId: p['RestApiId'], ResourceId: p['ResourceId'] } : undefined) } },
  { type: 'AWS::ApiGateway::DomainName', scope: 'regional' },
  { type: 'AWS::ApiGatewayV2::Api', scope: 'regional' },
  { type: 'AWS::ApiGatewayV2::Stage', scope: 'regional', parent: { type: 'AWS::ApiGatewayV2::Api', model: (p) => (str(p['ApiId']) ? { ApiId: p['ApiId'] } : undefined) } },
  { type: 'AWS::ApiGatewayV2::Route', scope: 'regional', parent: { type: 'AWS::ApiGatewayV2::Api', model: (p) => (str(p['ApiId']) ? { ApiId: p['ApiId'] } : undefined) } },
  // CloudFront web ACLs exist only in us-east-1; regional ones in every region
  { type: 'AWS::WAFv2::WebACL', scope: 'regional', models: (region) => [{ Scope: 'REGIONAL' }, ...(region === 'us-east-1' ? [{ Scope: 'CLOUDFRONT' }] : [])] },
  { type: 'AWS::WAFv2::WebACLAssociation', scope: 'regional', parent: { type: 'AWS::WAFv2::WebACL', model: (p) => (str(p['Arn']) && p['Scope'] !== 'CLOUDFRONT' ? { WebACLArn: p['Arn'] } : undefined) } },
  { type: 'AWS::SecretsManager::Secret', scope: 'regional', arnProperty: 'Id', preferList: true },
  { type: 'AWS::SecretsManager::RotationSchedule', scope: 'regional' },
  { type: 'AWS::Cognito::UserPool', scope: 'regional' },
  { type: 'AWS::OpenSearchService::Domain', scope: 'regional' },
  { type: 'AWS::Redshift::Cluster', scope: 'regional' },
  { type: 'AWS::EFS::FileSystem', scope: 'regional', arnProperty: 'FileSystemArn' },
  { type: 'AWS::ElastiCache::ReplicationGroup', scope: 'regional' },
  { type: 'AWS::Kinesis::Stream', scope: 'regional' },
  { type: 'AWS::SageMaker::NotebookInstance', scope: 'regional' },
  { type: 'AWS::Backup::BackupPlan', scope: 'regional', arnProperty: 'BackupPlanArn' },
  { type: 'AWS::Backup::BackupVault', scope: 'regional', arnProperty: 'BackupVaultArn' },
  { type: 'AWS::Backup::BackupSelection', scope: 'regional', parent: { type: 'AWS::Backup::BackupPlan', model: (p) => (str(p['BackupPlanId']) ? { BackupPlanId: p['BackupPlanId'] } : undefined) } },
  { type: 'AWS::GuardDuty::Detector', scope: 'regional' },
  { type: 'AWS::SecurityHub::Hub', scope: 'regional' },
  { type: 'AWS::ECS::TaskDefinition', scope: 'regional', arnProperty: 'TaskDefinitionArn' },
  { type: 'AWS::CodeBuild::Project', scope: 'regional' },
  { type: 'AWS::AutoScaling::AutoScalingGroup', scope: 'regional', arnProperty: 'AutoScalingGroupARN' },
]

/**
 * ARN of a resource read through Cloud Control: its own ARN property, or one built from the
 * identifier (EC2). An ARN-shaped identifier is not taken as the resource's ARN: a function URL,
 * a rotation schedule or a web ACL association is identified by the ARN of *another* resource,
 * and the inventory indexes resources by ARN.
 */
export function arnOfResource(spec: TypeSpec, props: Record<string, unknown>, id: { partition: string; region: string; account: string; identifier: string }): string | undefined {
  for (const key of [spec.arnProperty, 'Arn']) {
    const v = key ? props[key] : undefined
    if (typeof v === 'string' && v.startsWith('arn:')) return v
  }
  return spec.arnOf?.(id)
}
