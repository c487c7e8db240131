import { describe, expect, it } from 'vitest'
import { buildInventory } from '../../inventory/index.js'
import type { Edge, Resource } from '../../model/index.js'
import { isIntrinsic } from '../cloudformation/index.js'
import type { SourceResource } from '../types.js'
import { cfnShapeProblems } from './testdata/cfn-shape.js'
import { fixtureText, readFixture, resourceLine } from './testdata/load.js'

const text = fixtureText('clinic-plan.json')
const doc = readFixture('clinic-plan.json', text)
const res = (sourceId: string): SourceResource => {
  const r = doc.resources.find((x) => x.sourceId === sourceId)
  if (!r) throw new Error(`no resource ${sourceId}`)
  return r
}
const props = (sourceId: string): Record<string, unknown> => res(sourceId).properties
const getAtt = (address: string, attr: string): unknown => ({ 'Fn::GetAtt': [address, attr] })
const ref = (address: string): unknown => ({ Ref: address })

describe('readTerraformPlan: clinic-intake plan (Terraform 1.6, AWS provider v5)', () => {
  it('reads the whole plan without problems, as the terraform origin', () => {
    expect(doc.diagnostics).toEqual([])
    expect(doc.origin).toBe('terraform')
    expect(doc.context).toEqual({ region: 'us-east-1', stage: 'prod' })
    expect(doc.resources.every((r) => r.origin === 'terraform')).toBe(true)
  })

  it('merges the split v4+ bucket resources into the PHI bucket', () => {
    const bucket = props('aws_s3_bucket.phi')
    expect(bucket['BucketName']).toBe('clinic-phi-prod')
    expect(bucket['VersioningConfiguration']).toEqual({ Status: 'Enabled' })
    expect(bucket['BucketEncryption']).toEqual({
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: getAtt('aws_kms_key.phi', 'Arn') }, BucketKeyEnabled: true }],
    })
    expect(bucket['PublicAccessBlockConfiguration']).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true })
    expect(bucket['LoggingConfiguration']).toEqual({ DestinationBucketName: ref('aws_s3_bucket.logs["access"]'), LogFilePrefix: 's3/clinic-phi-prod/' })
    // the split resources do not stay resources of their own
    expect(doc.resources.filter((r) => r.sourceId.startsWith('aws_s3_bucket_') && r.type === 'AWS::S3::Bucket')).toEqual([])
  })

  it('points merged properties at the line of the resource that sets them', () => {
    const bucket = res('aws_s3_bucket.phi')
    expect(bucket.line).toBe(resourceLine(text, 'aws_s3_bucket.phi'))
    expect(bucket.propLines['VersioningConfiguration']).toBe(resourceLine(text, 'aws_s3_bucket_versioning.phi'))
    expect(bucket.propLines['BucketEncryption']).toBe(resourceLine(text, 'aws_s3_bucket_server_side_encryption_configuration.phi'))
    // an attribute of the resource itself: the line of the attribute in its planned values
    const lines = text.split('\n')
    const fn = res('aws_lambda_function.intake')
    expect(lines[fn.propLines['TracingConfig']! - 1]).toContain('"tracing_config"')
  })

  it('merges for_each instances into the instance with the same key (each.value and aws_s3_bucket.logs[each.key])', () => {
    expect(props('aws_s3_bucket.logs["access"]')['VersioningConfiguration']).toEqual({ Status: 'Enabled' })
    expect(props('aws_s3_bucket.logs["exports"]')['VersioningConfiguration']).toEqual({ Status: 'Suspended' })
    for (const k of ['access', 'exports']) {
      expect(props(`aws_s3_bucket.logs["${k}"]`)['BucketEncryption']).toEqual({ ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false }] })
    }
    expect(doc.resources.filter((r) => r.type === 'AWS::S3::Bucket').map((r) => r.sourceId).sort()).toEqual(['aws_s3_bucket.logs["access"]', 'aws_s3_bucket.logs["exports"]', 'aws_s3_bucket.phi', 'module.audit.aws_s3_bucket.trail'])
  })

  it('renders a policy document data source known only after apply from its configuration', () => {
    expect(props('aws_s3_bucket_policy.phi')).toEqual({
      Bucket: ref('aws_s3_bucket.phi'),
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [{ Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: ['s3:*'], Resource: getAtt('aws_s3_bucket.phi', 'Arn'), Condition: { Bool: { 'aws:SecureTransport': ['false'] } } }],
      },
    })
  })

  it('converts the Lambda function with its references', () => {
    const fn = props('aws_lambda_function.intake')
    expect(fn).toMatchObject({
      FunctionName: 'clinic-intake-prod',
      Role: getAtt('aws_iam_role.intake', 'Arn'),
      Runtime: 'python3.12',
      Architectures: ['arm64'],
      KmsKeyArn: getAtt('aws_kms_key.phi', 'Arn'),
      TracingConfig: { Mode: 'Active' },
      DeadLetterConfig: { TargetArn: getAtt('aws_sqs_queue.intake_dlq', 'Arn') },
      VpcConfig: { SubnetIds: [ref('aws_subnet.private_a'), ref('aws_subnet.private_b')], SecurityGroupIds: [ref('aws_security_group.lambda')], Ipv6AllowedForDualStack: false },
      Code: {},
    })
    // each unknown variable is the resource its name and type point at; known ones stay as written
    expect(fn['Environment']).toEqual({
      Variables: { LOG_LEVEL: 'INFO', PATIENTS_TABLE: 'clinic-patients-prod', UPLOAD_BUCKET: ref('aws_s3_bucket.phi'), INTAKE_QUEUE_URL: getAtt('aws_sqs_queue.intake', 'Url') },
    })
    // -1 is "no reservation", which CloudFormation says by leaving the property out
    expect(fn).not.toHaveProperty('ReservedConcurrentExecutions')
    expect(props('aws_lambda_permission.apigw')).toEqual({
      Action: 'lambda:InvokeFunction',
      FunctionName: getAtt('aws_lambda_function.intake', 'FunctionName'),
      Principal: 'apigateway.amazonaws.com',
      SourceArn: getAtt('aws_api_gateway_rest_api.intake', 'ExecutionArn'),
    })
  })

  it('keeps values known only after apply unknown, never false or absent', () => {
    // configured from another resource: a reference to it
    expect(props('aws_kms_alias.phi')['TargetKeyId']).toEqual(getAtt('aws_kms_key.phi', 'KeyId'))
    // a policy document rendered from values known only after apply: unknown as a whole
    const trailRole = props('module.audit.aws_iam_role.trail_logs')
    expect(trailRole['Policies']).toEqual([{ PolicyName: 'cloudwatch-logs', PolicyDocument: getAtt('module.audit.aws_iam_role.trail_logs', 'inline_policy.0.policy') }])
    expect(isIntrinsic((trailRole['Policies'] as { PolicyDocument: unknown }[])[0]!.PolicyDocument)).toBe(true)
    // not configured and computed by the provider: AWS's default, as a template that leaves it out
    const intake = props('aws_sqs_queue.intake')
    expect(intake).not.toHaveProperty('SqsManagedSseEnabled')
    expect(props('aws_api_gateway_rest_api.intake')).not.toHaveProperty('Policy')
    expect(doc.resources.some((r) => r.sourceId === 'aws_s3_bucket.phi#policy')).toBe(false)
  })

  it('converts the DynamoDB table and the RDS instance without its password', () => {
    expect(props('aws_dynamodb_table.patients')).toMatchObject({
      TableName: 'clinic-patients-prod',
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'patient_id', KeyType: 'HASH' }],
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: getAtt('aws_kms_key.phi', 'Arn') },
      DeletionProtectionEnabled: true,
    })
    const db = props('aws_db_instance.records')
    expect(db).toMatchObject({
      DBInstanceIdentifier: 'clinic-records-prod',
      StorageEncrypted: true,
      KmsKeyId: getAtt('aws_kms_key.phi', 'Arn'),
      PubliclyAccessible: false,
      MultiAZ: true,
      BackupRetentionPeriod: 14,
      EnableIAMDatabaseAuthentication: true,
      AllocatedStorage: '100',
      Port: '5432',
      ManageMasterUserPassword: true,
      VPCSecurityGroups: [ref('aws_security_group.db')],
      DBSubnetGroupName: ref('aws_db_subnet_group.main'),
      EnableCloudwatchLogsExports: ['postgresql', 'upgrade'],
    })
    expect(db).not.toHaveProperty('MasterUserPassword')
  })

  it('splits the queue policy attribute into a queue policy and reads redrive and queue policies', () => {
    expect(props('aws_sqs_queue.intake')).toMatchObject({
      KmsMasterKeyId: ref('aws_kms_key.phi'),
      RedrivePolicy: { deadLetterTargetArn: getAtt('aws_sqs_queue.intake_dlq', 'Arn') },
    })
    const generated = res('aws_sqs_queue.intake_dlq#policy')
    expect(generated.type).toBe('AWS::SQS::QueuePolicy')
    expect(generated.generatedFrom).toBe('aws_sqs_queue.intake_dlq')
    expect(generated.properties).toMatchObject({ Queues: [ref('aws_sqs_queue.intake_dlq')], PolicyDocument: { Statement: [{ Sid: 'DenyInsecureTransport', Effect: 'Deny' }] } })
    expect(props('aws_sqs_queue_policy.intake')).toEqual({
      Queues: [ref('aws_sqs_queue.intake')],
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'FromAlerts',
            Effect: 'Allow',
            Principal: { Service: ['sns.amazonaws.com'] },
            Action: ['sqs:SendMessage'],
            Resource: getAtt('aws_sqs_queue.intake', 'Arn'),
            Condition: { ArnEquals: { 'aws:SourceArn': getAtt('aws_sns_topic.alerts', 'Arn') } },
          },
        ],
      },
    })
  })

  it('appends separate rule resources to their security group and keeps inline rules', () => {
    const db = props('aws_security_group.db')
    expect(db['SecurityGroupIngress']).toEqual([
      { IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, Description: 'PostgreSQL from the intake function', SourceSecurityGroupId: ref('aws_security_group.lambda') },
      { IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, Description: 'PostgreSQL from the corporate network', CidrIp: '10.0.0.0/8' },
    ])
    // Terraform removes EC2's default egress rule; the one written is all there is
    expect(db['SecurityGroupEgress']).toEqual([{ IpProtocol: '-1', Description: 'Replies inside the VPC', CidrIp: '10.20.0.0/16' }])
    expect(props('aws_security_group.bastion')['SecurityGroupIngress']).toEqual([
      { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, Description: 'SSH from anywhere', CidrIp: '0.0.0.0/0' },
      { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, Description: 'SSH from the intake function', SourceSecurityGroupId: ref('aws_security_group.lambda') },
    ])
    expect(doc.resources.filter((r) => r.type === 'AWS::EC2::SecurityGroupIngress' || r.type === 'AWS::EC2::SecurityGroupEgress')).toEqual([])
  })

  it('parses the API body and merges method settings into the stage', () => {
    const api = props('aws_api_gateway_rest_api.intake')
    expect(Object.keys((api['Body'] as { paths: object }).paths)).toEqual(['/patients', '/health'])
    const stage = props('aws_api_gateway_stage.prod')
    expect(stage).toMatchObject({
      StageName: 'prod',
      RestApiId: ref('aws_api_gateway_rest_api.intake'),
      TracingEnabled: true,
      AccessLogSetting: { DestinationArn: getAtt('aws_cloudwatch_log_group.api', 'Arn') },
      MethodSettings: [{ ResourcePath: '/*', HttpMethod: '*', MetricsEnabled: true, LoggingLevel: 'INFO', DataTraceEnabled: false, ThrottlingBurstLimit: 200, ThrottlingRateLimit: 100, CachingEnabled: false, CacheDataEncrypted: true }],
    })
    expect(res('aws_api_gateway_stage.prod').propLines['MethodSettings']).toBe(resourceLine(text, 'aws_api_gateway_method_settings.all'))
  })

  it('reads the module: qualified addresses, references inside it, variables from the caller, merges inside it', () => {
    const trail = res('module.audit.aws_cloudtrail.main')
    expect(trail.properties).toMatchObject({
      TrailName: 'clinic-audit-prod',
      S3BucketName: ref('module.audit.aws_s3_bucket.trail'),
      KMSKeyId: getAtt('aws_kms_key.phi', 'Arn'),
      CloudWatchLogsLogGroupArn: getAtt('module.audit.aws_cloudwatch_log_group.trail', 'Arn'),
      CloudWatchLogsRoleArn: getAtt('module.audit.aws_iam_role.trail_logs', 'Arn'),
      IsLogging: true,
      IsMultiRegionTrail: true,
      EnableLogFileValidation: true,
      EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [{ Type: 'AWS::S3::Object', Values: [getAtt('aws_s3_bucket.phi', 'Arn')] }] }],
    })
    expect(trail.dependsOn).toEqual(['module.audit.aws_s3_bucket_policy.trail'])
    expect(props('module.audit.aws_s3_bucket.trail')['VersioningConfiguration']).toEqual({ Status: 'Enabled' })
    expect(props('module.audit.aws_cloudwatch_log_group.trail')).toMatchObject({ RetentionInDays: 731, KmsKeyId: getAtt('aws_kms_key.phi', 'Arn') })
    // a module output used at the root
    expect(props('aws_cloudwatch_log_metric_filter.unauthorized')['LogGroupName']).toEqual(ref('module.audit.aws_cloudwatch_log_group.trail'))
  })

  it('turns account settings into the synthetic account types, one Region settings per Region', () => {
    expect(props('aws_iam_account_password_policy.strict')).toEqual({
      Configured: true,
      MinimumPasswordLength: 14,
      RequireSymbols: true,
      RequireNumbers: true,
      RequireUppercaseCharacters: true,
      RequireLowercaseCharacters: true,
      AllowUsersToChangePassword: true,
      MaxPasswordAge: 90,
      PasswordReusePrevention: 24,
      HardExpiry: false,
    })
    expect(res('aws_s3_account_public_access_block.this').type).toBe('PhiWall::AWS::S3PublicAccessBlock')
    const regions = doc.resources.filter((r) => r.type === 'PhiWall::AWS::RegionSettings')
    expect(regions).toHaveLength(1)
    expect(regions[0]!.properties).toEqual({ Region: 'us-east-1', EbsEncryptionByDefault: true, GuardDutyEnabled: true, CloudTrailLogging: true })
  })

  it('turns tags (with the provider default tags) into a Tags list', () => {
    expect(props('aws_dynamodb_table.patients')['Tags']).toEqual([
      { Key: 'ManagedBy', Value: 'terraform' },
      { Key: 'CostCenter', Value: 'cc-4471' },
      { Key: 'Application', Value: 'clinic-intake' },
      { Key: 'DataClass', Value: 'PHI' },
      { Key: 'Environment', Value: 'prod' },
      { Key: 'Owner', Value: 'platform-team' },
    ])
  })

  it('gives resources every check can read: each one conforms to the CloudFormation resource specification', () => {
    const problems = doc.resources.filter((r) => !r.type.startsWith('PhiWall::')).flatMap((r) => cfnShapeProblems(r.type, r.properties).map((p) => `${r.sourceId}: ${p}`))
    expect(problems).toEqual([])
  }, 60_000)
})

describe('the inventory built from the clinic plan', () => {
  const inv = buildInventory([doc])
  const byId = new Map(inv.resources.map((r) => [r.id, r]))
  const find = (sourceId: string): Resource => inv.resources.find((r) => r.sourceId === sourceId)!
  const edge = (from: string, to: string, kind: Edge['kind']): Edge | undefined => inv.edges.find((e) => byId.get(e.from)?.sourceId === from && byId.get(e.to)?.sourceId === to && e.kind === kind)

  it('links the function to its role, the policies to the role and the bucket policy to its bucket', () => {
    expect(edge('aws_iam_role.intake', 'aws_lambda_function.intake', 'attached')).toBeDefined()
    expect(edge('aws_iam_policy.intake_data', 'aws_iam_role.intake', 'attached')).toBeDefined()
    expect(edge('aws_s3_bucket_policy.phi', 'aws_s3_bucket.phi', 'attached')).toBeDefined()
    expect(edge('aws_sqs_queue_policy.intake', 'aws_sqs_queue.intake', 'attached')).toBeDefined()
  })

  it('derives data access from the managed policy attached by an aws_iam_role_policy_attachment', () => {
    expect(edge('aws_lambda_function.intake', 'aws_dynamodb_table.patients', 'writes')?.evidence).toContain('managed policy clinic-intake-data-prod')
    expect(edge('aws_lambda_function.intake', 'aws_s3_bucket.phi', 'writes')).toBeDefined()
  })

  it('places the function in its subnets and security group, and sees the trail write to its log group', () => {
    expect(edge('aws_lambda_function.intake', 'aws_subnet.private_a', 'placed-in')).toBeDefined()
    expect(edge('aws_lambda_function.intake', 'aws_security_group.lambda', 'placed-in')).toBeDefined()
    expect(edge('module.audit.aws_cloudtrail.main', 'module.audit.aws_cloudwatch_log_group.trail', 'writes')).toBeDefined()
    expect(edge('aws_s3_bucket.phi', 'aws_s3_bucket.logs["access"]', 'writes')).toBeDefined()
  })

  it('classifies PHI from tags and carries it along the edges', () => {
    expect(find('aws_dynamodb_table.patients').holdsPhi).toBe('yes')
    expect(find('aws_lambda_function.intake').holdsPhi).toBe('yes')
    expect(find('aws_lambda_function.intake').environment).toBe('prod')
  })
})
