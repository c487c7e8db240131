/** Parts of an ARN. */
export interface ArnParts {
  partition: string
  service: string
  region: string
  account: string
  resource: string
}

/** Split an ARN; undefined for anything else. */
export function parseArn(arn: string): ArnParts | undefined {
  const m = /^arn:([^:]+):([^:]+):([^:]*):([^:]*):(.+)$/.exec(arn)
  if (!m) return undefined
  return { partition: m[1]!, service: m[2]!, region: m[3]!, account: m[4]!, resource: m[5]! }
}

/**
 * The physical name an ARN points at, with the CloudFormation type it belongs to:
 * `arn:aws:s3:::phi-bucket/*` → bucket `phi-bucket`, `arn:aws:dynamodb:…:table/Patients/index/*`
 * → table `Patients`. Used to link IAM statements and event sources to resources by name.
 */
export function arnTarget(arn: string): { type: string; name: string } | undefined {
  const p = parseArn(arn)
  if (!p) return undefined
  const r = p.resource
  const after = (prefix: string): string | undefined => (r.startsWith(prefix) ? r.slice(prefix.length).split(/[/:]/)[0] : undefined)
  switch (p.service) {
    case 's3': {
      const name = r.split('/')[0]
      return name && !name.includes('*') ? { type: 'AWS::S3::Bucket', name } : undefined
    }
    case 'dynamodb': {
      const name = after('table/')
      return name ? { type: 'AWS::DynamoDB::Table', name } : undefined
    }
    case 'sqs':
      return { type: 'AWS::SQS::Queue', name: r }
    case 'sns':
      return { type: 'AWS::SNS::Topic', name: r.split(':')[0]! }
    case 'lambda': {
      const name = after('function:')
      return name ? { type: 'AWS::Lambda::Function', name } : undefined
    }
    case 'kinesis': {
      const name = after('stream/')
      return name ? { type: 'AWS::Kinesis::Stream', name } : undefined
    }
    case 'secretsmanager': {
      const name = after('secret:')
      return name ? { type: 'AWS::SecretsManager::Secret', name: name.replace(/-[A-Za-z0-9]{6}$/, '') } : undefined
    }
    case 'kms': {
      const name = after('key/') ?? after('alias/')
      return name ? { type: 'AWS::KMS::Key', name } : undefined
    }
    case 'states': {
      const name = after('stateMachine:')
      return name ? { type: 'AWS::StepFunctions::StateMachine', name } : undefined
    }
    case 'logs': {
      // log group names contain slashes (`/aws/lambda/x`): the name ends at the next colon
      const name = r.startsWith('log-group:') ? r.slice('log-group:'.length).split(':')[0] : undefined
      return name ? { type: 'AWS::Logs::LogGroup', name } : undefined
    }
    case 'rds': {
      const name = after('db:') ?? after('cluster:')
      return name ? { type: r.startsWith('cluster:') ? 'AWS::RDS::DBCluster' : 'AWS::RDS::DBInstance', name } : undefined
    }
    case 'iam': {
      const name = after('role/') ?? after('policy/') ?? after('user/')
      return name ? { type: r.startsWith('role/') ? 'AWS::IAM::Role' : r.startsWith('user/') ? 'AWS::IAM::User' : 'AWS::IAM::ManagedPolicy', name: r.split('/').pop()! } : undefined
    }
    default:
      return undefined
  }
}
