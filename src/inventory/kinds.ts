/**
 * Kind of a resource from its CloudFormation type: `AWS::S3::Bucket` → `aws:s3:bucket`,
 * `AWS::ElasticLoadBalancingV2::LoadBalancer` → `aws:elasticloadbalancingv2:load-balancer`,
 * `PhiWall::AWS::PasswordPolicy` → `aws:account:password-policy` (account-level settings that have
 * no CloudFormation type; see docs/snapshot-format.md).
 */
export function kindOf(type: string): string {
  let k = KINDS.get(type)
  if (k === undefined) {
    k = computeKind(type)
    KINDS.set(type, k)
  }
  return k
}

const KINDS = new Map<string, string>()

function computeKind(type: string): string {
  if (type === STACK_TYPE) return 'phiwall:stack'
  const parts = type.split('::')
  if (parts[0] === 'PhiWall' && parts[1] === 'AWS') return `aws:account:${kebab(parts.slice(2).join('-'))}`
  if (parts.length >= 3) return `${parts[0]!.toLowerCase()}:${parts[1]!.toLowerCase()}:${kebab(parts.slice(2).join('-'))}`
  return type.toLowerCase()
}

/** Type of the inventory node that stands for one input document: a stack, a Serverless service, a Terraform plan, an account snapshot. */
export const STACK_TYPE = 'PhiWall::Inventory::Stack'

function kebab(s: string): string {
  return s
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .toLowerCase()
}

/** Properties that carry a resource's physical name, by CloudFormation type (first match wins). */
export const NAME_PROPERTIES: Record<string, string[]> = {
  'AWS::S3::Bucket': ['BucketName'],
  'AWS::Lambda::Function': ['FunctionName'],
  'AWS::DynamoDB::Table': ['TableName'],
  'AWS::SQS::Queue': ['QueueName'],
  'AWS::SNS::Topic': ['TopicName'],
  'AWS::IAM::Role': ['RoleName'],
  'AWS::IAM::User': ['UserName'],
  'AWS::IAM::Group': ['GroupName'],
  'AWS::IAM::ManagedPolicy': ['ManagedPolicyName'],
  'AWS::IAM::Policy': ['PolicyName'],
  'AWS::EC2::SecurityGroup': ['GroupName'],
  'AWS::RDS::DBInstance': ['DBInstanceIdentifier'],
  'AWS::RDS::DBCluster': ['DBClusterIdentifier'],
  'AWS::Logs::LogGroup': ['LogGroupName'],
  'AWS::KMS::Key': ['Description'],
  'AWS::CloudTrail::Trail': ['TrailName'],
  'AWS::SecretsManager::Secret': ['Name'],
  'AWS::Cognito::UserPool': ['UserPoolName'],
  'AWS::ElasticLoadBalancingV2::LoadBalancer': ['Name'],
  'AWS::Kinesis::Stream': ['Name'],
  'AWS::StepFunctions::StateMachine': ['StateMachineName'],
  'AWS::EFS::FileSystem': ['FileSystemTags'],
  'AWS::CertificateManager::Certificate': ['DomainName'],
  'AWS::RDS::DBSnapshot': ['DBSnapshotIdentifier'],
  'AWS::RDS::DBClusterSnapshot': ['DBClusterSnapshotIdentifier'],
  'AWS::EC2::Snapshot': ['SnapshotId'],
}

/** Physical name of a resource when its properties state it as a plain string. */
export function physicalName(type: string, props: Record<string, unknown>): string | undefined {
  if (type.startsWith('K8s::')) {
    const meta = props['metadata']
    const n = meta && typeof meta === 'object' ? ((meta as Record<string, unknown>)['name'] ?? (meta as Record<string, unknown>)['generateName']) : undefined
    return typeof n === 'string' && n ? n : undefined
  }
  if (type.startsWith('Docker::')) return undefined
  const keys = NAME_PROPERTIES[type] ?? ['Name']
  for (const k of keys) {
    const v = props[k]
    if (typeof v === 'string' && v.length > 0 && !v.includes('${')) return v
  }
  return undefined
}
