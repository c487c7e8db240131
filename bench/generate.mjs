#!/usr/bin/env node
// Deterministic (seeded) generators for the scan benchmark:
//  * a healthcare application's CloudFormation template of N resources (YAML with short-form
//    intrinsics, and the same document as JSON): KMS keys, S3 buckets with encryption and
//    policies, DynamoDB tables, SQS queues with dead-letter queues, SNS topics, security groups
//    and rules, IAM roles and managed policies, Lambda functions with environment variables,
//    event source mappings, API Gateway resources/methods/stages, log groups — wired together
//    with Ref / GetAtt / Sub, with a seeded share of violations;
//  * a 500-file directory of services (plain CloudFormation YAML and JSON, SAM, serverless.yml),
//    20–40 resources each, plus a JSON twin of every file for the I/O baseline.
// Usage: node bench/generate.mjs [--out DIR]   (default .bench-tmp/, which is git-ignored)
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { toYaml } from './lib/yaml-emit.mjs'

/** Bump when the generated content changes, so recorded results name what they measured. */
export const GENERATOR_VERSION = 1
const SEED = 0x5eed_0001

/** Single-template sizes: `tiny` is the fixed-cost baseline (process start, module load, report). */
export const SINGLE_SIZES = { tiny: 1, '1k': 1_000, '10k': 10_000, '50k': 50_000 }
export const DIR_FILES = 500

// ------------------------------------------------------------------ seeded randomness

/** mulberry32: small, fast, good enough for test data, identical on every platform. */
export function rng(seed) {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (arr) => arr[Math.floor(next() * arr.length)],
    chance: (p) => next() < p,
  }
}

// ------------------------------------------------------------------ intrinsics

const ref = (id) => ({ Ref: id })
const getAtt = (id, attr) => ({ 'Fn::GetAtt': [id, attr] })
const sub = (s) => ({ 'Fn::Sub': s })
const ifc = (cond, a, b) => ({ 'Fn::If': [cond, a, b] })
const join = (d, parts) => ({ 'Fn::Join': [d, parts] })

const DOMAINS = [
  'Patients', 'Appointments', 'Claims', 'LabResults', 'Prescriptions', 'Referrals', 'Imaging', 'Billing',
  'Intake', 'Consents', 'Encounters', 'ClinicalNotes', 'Insurance', 'Vitals', 'Allergies', 'Immunizations',
  'CarePlans', 'Messages', 'Providers', 'Scheduling',
]
const RUNTIMES_OK = ['nodejs20.x', 'nodejs22.x', 'python3.12', 'python3.13', 'java21']
const RUNTIMES_OLD = ['nodejs14.x', 'python3.7']
const kebab = (s) => s.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()

/** Violation rate: most settings are right, as in a real application under review. */
const V = 0.12

// ------------------------------------------------------------------ plain CloudFormation

function templateHead(description) {
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: description,
    Parameters: {
      Stage: { Type: 'String', Default: 'prod', AllowedValues: ['dev', 'staging', 'prod'] },
      VpcId: { Type: 'AWS::EC2::VPC::Id', Default: 'vpc-0a1b2c3d4e5f60718' },
      SubnetIds: { Type: 'List<AWS::EC2::Subnet::Id>', Default: 'subnet-0a1b2c3d4e5f60001,subnet-0a1b2c3d4e5f60002' },
      ArtifactBucket: { Type: 'String', Default: 'clinic-build-artifacts' },
      UserPoolArn: { Type: 'String', Default: 'arn:aws:cognito-idp:us-east-1:111122223333:userpool/us-east-1_Example' },
    },
    Conditions: { IsProd: { 'Fn::Equals': [ref('Stage'), 'prod'] } },
    Resources: {},
  }
}

/**
 * One service module: resources in dependency order (a resource only refers to resources
 * emitted before it, in this module or an earlier one), so cutting the list anywhere leaves a
 * template whose references all resolve.
 */
function* moduleResources(r, i, ctx) {
  const d = `${DOMAINS[i % DOMAINS.length]}${i}`
  const slug = kebab(d)
  const p = (s) => `${d}${s}`
  const tags = [
    { Key: 'app', Value: 'care-platform' },
    { Key: 'data-classification', Value: r.chance(0.8) ? 'phi' : 'internal' },
    { Key: 'owner', Value: `team-${slug}` },
  ]

  // A customer managed key shared by four modules, as teams usually do per data domain.
  if (i % 4 === 0) {
    ctx.keyId = p('Key')
    yield [ctx.keyId, {
      Type: 'AWS::KMS::Key',
      Properties: {
        Description: `Encrypts ${slug} PHI at rest`,
        EnableKeyRotation: !r.chance(V),
        KeyPolicy: {
          Version: '2012-10-17',
          Statement: [
            { Sid: 'AccountAdministration', Effect: 'Allow', Principal: { AWS: sub('arn:${AWS::Partition}:iam::${AWS::AccountId}:root') }, Action: 'kms:*', Resource: '*' },
            { Sid: 'LogsUse', Effect: 'Allow', Principal: { Service: sub('logs.${AWS::Region}.amazonaws.com') }, Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'], Resource: '*' },
          ],
        },
        Tags: tags,
      },
    }]
  }
  const key = ctx.keyId

  // API group header: one REST API and authorizer per 40 modules.
  if (i % 40 === 0) {
    ctx.apiId = p('Api')
    ctx.authorizerId = p('ApiAuthorizer')
    ctx.stagePending = true
    yield [ctx.apiId, { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: sub(`\${Stage}-${slug}-api`), EndpointConfiguration: { Types: ['REGIONAL'] }, Tags: tags } }]
    yield [ctx.authorizerId, { Type: 'AWS::ApiGateway::Authorizer', Properties: { Name: 'clinician-pool', RestApiId: ref(ctx.apiId), Type: 'COGNITO_USER_POOLS', IdentitySource: 'method.request.header.Authorization', ProviderARNs: [ref('UserPoolArn')] } }]
  }

  const logGroup = p('LogGroup')
  const retention = r.chance(V) ? r.pick([14, 30, 90]) : r.chance(0.3) ? ifc('IsProd', 2192, 30) : 2192
  yield [logGroup, {
    Type: 'AWS::Logs::LogGroup',
    Properties: { LogGroupName: sub(`/aws/lambda/\${Stage}-${slug}-handler`), RetentionInDays: retention, ...(r.chance(V) ? {} : { KmsKeyId: getAtt(key, 'Arn') }) },
  }]

  const bucket = p('Bucket')
  const enc = r.chance(V)
    ? undefined
    : r.chance(0.7)
      ? { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: getAtt(key, 'Arn') }, BucketKeyEnabled: true }] }
      : { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] }
  yield [bucket, {
    Type: 'AWS::S3::Bucket',
    DeletionPolicy: 'Retain',
    UpdateReplacePolicy: 'Retain',
    Properties: {
      BucketName: sub(`\${Stage}-${slug}-documents-\${AWS::AccountId}`),
      ...(enc ? { BucketEncryption: enc } : {}),
      VersioningConfiguration: { Status: r.chance(V) ? 'Suspended' : 'Enabled' },
      ...(r.chance(V) ? {} : { PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true } }),
      ...(r.chance(V) ? {} : { LoggingConfiguration: { DestinationBucketName: ref('AccessLogsBucket'), LogFilePrefix: `${slug}/` } }),
      LifecycleConfiguration: { Rules: [{ Id: 'archive', Status: 'Enabled', Transitions: [{ StorageClass: 'GLACIER', TransitionInDays: 365 }] }] },
      Tags: tags,
    },
  }]

  if (!r.chance(V)) {
    const statements = [{
      Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 's3:*',
      Resource: [getAtt(bucket, 'Arn'), sub(`\${${bucket}.Arn}/*`)],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    }]
    if (r.chance(0.03)) statements.push({ Sid: 'PublicRead', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: sub(`\${${bucket}.Arn}/*`) })
    yield [p('BucketPolicy'), { Type: 'AWS::S3::BucketPolicy', Properties: { Bucket: ref(bucket), PolicyDocument: { Version: '2012-10-17', Statement: statements } } }]
  }

  const table = p('Table')
  yield [table, {
    Type: 'AWS::DynamoDB::Table',
    DeletionPolicy: 'Retain',
    Properties: {
      TableName: sub(`\${Stage}-${slug}`),
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }, { AttributeName: 'patientId', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      GlobalSecondaryIndexes: [{ IndexName: 'byPatient', KeySchema: [{ AttributeName: 'patientId', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
      ...(r.chance(V) ? {} : { SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: ref(key) } }),
      ...(r.chance(V) ? {} : { PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }),
      DeletionProtectionEnabled: ifc('IsProd', true, false),
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      Tags: tags,
    },
  }]

  const dlq = p('DeadLetterQueue')
  yield [dlq, { Type: 'AWS::SQS::Queue', Properties: { QueueName: sub(`\${Stage}-${slug}-dlq`), KmsMasterKeyId: ref(key), MessageRetentionPeriod: 1209600, Tags: tags } }]
  const queue = p('Queue')
  yield [queue, {
    Type: 'AWS::SQS::Queue',
    Properties: {
      QueueName: sub(`\${Stage}-${slug}-work`),
      ...(r.chance(V) ? { SqsManagedSseEnabled: false } : r.chance(0.5) ? { KmsMasterKeyId: ref(key), KmsDataKeyReusePeriodSeconds: 300 } : { SqsManagedSseEnabled: true }),
      VisibilityTimeout: 90,
      RedrivePolicy: { deadLetterTargetArn: getAtt(dlq, 'Arn'), maxReceiveCount: 5 },
      Tags: tags,
    },
  }]

  const topic = p('Topic')
  yield [topic, { Type: 'AWS::SNS::Topic', Properties: { TopicName: sub(`\${Stage}-${slug}-events`), ...(r.chance(V) ? {} : { KmsMasterKeyId: ref(key) }), Tags: tags } }]

  const sg = p('SecurityGroup')
  yield [sg, {
    Type: 'AWS::EC2::SecurityGroup',
    Properties: {
      GroupDescription: `${slug} handler`,
      VpcId: ref('VpcId'),
      SecurityGroupEgress: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '0.0.0.0/0', Description: 'HTTPS to AWS APIs' }],
      Tags: tags,
    },
  }]
  const ingress = r.chance(V)
    ? { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '0.0.0.0/0', Description: 'debug ssh' }
    : ctx.prevSg
      ? { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, SourceSecurityGroupId: getAtt(ctx.prevSg, 'GroupId'), Description: 'from upstream service' }
      : { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '10.0.0.0/16', Description: 'from the VPC' }
  yield [p('SecurityGroupIngress'), { Type: 'AWS::EC2::SecurityGroupIngress', Properties: { GroupId: getAtt(sg, 'GroupId'), ...ingress } }]

  const role = p('HandlerRole')
  const dataStatements = r.chance(V / 2)
    ? [{ Effect: 'Allow', Action: r.pick(['*', 'dynamodb:*', 's3:*']), Resource: '*' }]
    : [
        { Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query'], Resource: [getAtt(table, 'Arn'), sub(`\${${table}.Arn}/index/*`)] },
        { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: sub(`\${${bucket}.Arn}/*`) },
        { Effect: 'Allow', Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'], Resource: getAtt(queue, 'Arn') },
        { Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: getAtt(key, 'Arn') },
      ]
  if (ctx.prevTable) dataStatements.push({ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: getAtt(ctx.prevTable, 'Arn') })
  yield [role, {
    Type: 'AWS::IAM::Role',
    Properties: {
      AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
      ManagedPolicyArns: [sub('arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole')],
      Policies: [{ PolicyName: 'data-access', PolicyDocument: { Version: '2012-10-17', Statement: dataStatements } }],
      Tags: tags,
    },
  }]
  yield [p('HandlerPolicy'), {
    Type: 'AWS::IAM::ManagedPolicy',
    Properties: {
      Description: `${slug} handler: logs and events`,
      Roles: [ref(role)],
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: getAtt(logGroup, 'Arn') },
          { Effect: 'Allow', Action: 'sns:Publish', Resource: ref(topic) },
        ],
      },
    },
  }]

  const fn = p('Handler')
  const env = {
    STAGE: ref('Stage'),
    TABLE_NAME: ref(table),
    DOCUMENTS_BUCKET: ref(bucket),
    QUEUE_URL: ref(queue),
    EVENTS_TOPIC_ARN: ref(topic),
    LOG_LEVEL: 'info',
  }
  if (ctx.prevTable) env.UPSTREAM_TABLE = ref(ctx.prevTable)
  if (r.chance(V / 2)) env.EHR_API_PASSWORD = `Pw-${Math.floor(r.next() * 1e9).toString(36)}-${i}`
  yield [fn, {
    Type: 'AWS::Lambda::Function',
    Properties: {
      FunctionName: sub(`\${Stage}-${slug}-handler`),
      Description: `Handles ${slug} requests`,
      Runtime: r.chance(V / 2) ? r.pick(RUNTIMES_OLD) : r.pick(RUNTIMES_OK),
      Handler: 'index.handler',
      Code: { S3Bucket: ref('ArtifactBucket'), S3Key: `${slug}/handler.zip` },
      Role: getAtt(role, 'Arn'),
      MemorySize: r.pick([256, 512, 1024]),
      Timeout: 30,
      ...(r.chance(V) ? {} : { KmsKeyArn: getAtt(key, 'Arn') }),
      TracingConfig: { Mode: r.chance(V) ? 'PassThrough' : 'Active' },
      ...(r.chance(V) ? {} : { DeadLetterConfig: { TargetArn: getAtt(dlq, 'Arn') } }),
      ...(r.chance(V) ? {} : { ReservedConcurrentExecutions: r.pick([5, 10, 20]) }),
      ...(r.chance(V) ? {} : { VpcConfig: { SecurityGroupIds: [getAtt(sg, 'GroupId')], SubnetIds: ref('SubnetIds') } }),
      LoggingConfig: { LogGroup: ref(logGroup), LogFormat: 'JSON' },
      Environment: { Variables: env },
      Tags: tags,
    },
  }]
  yield [p('QueueMapping'), { Type: 'AWS::Lambda::EventSourceMapping', Properties: { EventSourceArn: getAtt(queue, 'Arn'), FunctionName: ref(fn), BatchSize: 10, FunctionResponseTypes: ['ReportBatchItemFailures'] } }]

  const apiRes = p('ApiResource')
  yield [apiRes, { Type: 'AWS::ApiGateway::Resource', Properties: { RestApiId: ref(ctx.apiId), ParentId: getAtt(ctx.apiId, 'RootResourceId'), PathPart: slug } }]
  const method = p('ApiMethod')
  const open = r.chance(V / 2)
  yield [method, {
    Type: 'AWS::ApiGateway::Method',
    Properties: {
      RestApiId: ref(ctx.apiId),
      ResourceId: ref(apiRes),
      HttpMethod: 'POST',
      AuthorizationType: open ? 'NONE' : 'COGNITO_USER_POOLS',
      ...(open ? {} : { AuthorizerId: ref(ctx.authorizerId) }),
      Integration: { Type: 'AWS_PROXY', IntegrationHttpMethod: 'POST', Uri: sub(`arn:\${AWS::Partition}:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${${fn}.Arn}/invocations`) },
    },
  }]
  yield [p('ApiPermission'), {
    Type: 'AWS::Lambda::Permission',
    Properties: { Action: 'lambda:InvokeFunction', FunctionName: getAtt(fn, 'Arn'), Principal: 'apigateway.amazonaws.com', SourceArn: sub(`arn:\${AWS::Partition}:execute-api:\${AWS::Region}:\${AWS::AccountId}:\${${ctx.apiId}}/*/POST/${slug}`) },
  }]
  if (ctx.stagePending) {
    ctx.stagePending = false
    const deployment = `${ctx.apiId}Deployment`
    yield [deployment, { Type: 'AWS::ApiGateway::Deployment', DependsOn: [method], Properties: { RestApiId: ref(ctx.apiId), Description: 'initial deployment' } }]
    yield [`${ctx.apiId}Stage`, {
      Type: 'AWS::ApiGateway::Stage',
      Properties: {
        RestApiId: ref(ctx.apiId),
        DeploymentId: ref(deployment),
        StageName: 'v1',
        TracingEnabled: !r.chance(V),
        MethodSettings: [{ ResourcePath: '/*', HttpMethod: '*', LoggingLevel: 'INFO', DataTraceEnabled: false, MetricsEnabled: true, ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 }],
        ...(r.chance(V) ? {} : { AccessLogSetting: { DestinationArn: getAtt(logGroup, 'Arn'), Format: '$context.requestId $context.identity.sourceIp $context.httpMethod $context.resourcePath $context.status' } }),
        Tags: tags,
      },
    }]
  }
  ctx.prevTable = table
  ctx.prevSg = sg
}

/** A plain CloudFormation template with exactly `n` resources (n ≥ 1). */
export function cfnTemplate(seed, n, description = `Care platform (synthetic benchmark template, ${n} resources)`) {
  const r = rng(seed)
  const t = templateHead(description)
  const res = t.Resources
  let count = 0
  const add = (id, body) => {
    res[id] = body
    count++
  }
  add('AccessLogsBucket', {
    Type: 'AWS::S3::Bucket',
    DeletionPolicy: 'Retain',
    Properties: {
      BucketName: sub('${Stage}-care-access-logs-${AWS::AccountId}'),
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] },
    },
  })
  const ctx = {}
  for (let i = 0; count < n; i++) {
    for (const [id, body] of moduleResources(r, i, ctx)) {
      if (count >= n) break
      add(id, body)
    }
  }
  const apis = Object.keys(res).filter((k) => res[k].Type === 'AWS::ApiGateway::Stage').slice(0, 3)
  if (apis.length) {
    t.Outputs = {}
    for (const s of apis) {
      const api = s.slice(0, -'Stage'.length)
      t.Outputs[`${api}Url`] = { Value: sub(`https://\${${api}}.execute-api.\${AWS::Region}.\${AWS::URLSuffix}/v1`), Export: { Name: sub(`\${AWS::StackName}-${api}Url`) } }
    }
  }
  return t
}

// ------------------------------------------------------------------ SAM

/** A SAM template with `n` declared resources (before the transform expands them). */
export function samTemplate(seed, n, domainIndex) {
  const r = rng(seed)
  const d = DOMAINS[domainIndex % DOMAINS.length]
  const slug = kebab(d)
  const t = {
    AWSTemplateFormatVersion: '2010-09-09',
    Transform: 'AWS::Serverless-2016-10-31',
    Description: `${d} service (SAM)`,
    Parameters: {
      Stage: { Type: 'String', Default: 'prod' },
      UserPoolArn: { Type: 'String', Default: 'arn:aws:cognito-idp:us-east-1:111122223333:userpool/us-east-1_Example' },
    },
    Globals: {
      Function: {
        Runtime: r.pick(RUNTIMES_OK),
        Architectures: ['arm64'],
        MemorySize: 512,
        Timeout: 15,
        Tracing: r.chance(V) ? 'PassThrough' : 'Active',
        Environment: { Variables: { STAGE: ref('Stage'), SERVICE: slug } },
        Tags: { app: 'care-platform', service: slug },
      },
    },
    Resources: {},
  }
  const res = t.Resources
  let count = 0
  const add = (id, body) => {
    if (count < n) {
      res[id] = body
      count++
    }
  }
  add('Key', { Type: 'AWS::KMS::Key', Properties: { Description: `${slug} PHI`, EnableKeyRotation: !r.chance(V), KeyPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: sub('arn:${AWS::Partition}:iam::${AWS::AccountId}:root') }, Action: 'kms:*', Resource: '*' }] } } })
  add('Api', {
    Type: 'AWS::Serverless::Api',
    Properties: {
      StageName: 'v1',
      TracingEnabled: !r.chance(V),
      Auth: { DefaultAuthorizer: 'Clinicians', Authorizers: { Clinicians: { UserPoolArn: ref('UserPoolArn') } } },
      MethodSettings: [{ ResourcePath: '/*', HttpMethod: '*', LoggingLevel: 'INFO', MetricsEnabled: true }],
      AccessLogSetting: { DestinationArn: getAtt('ApiAccessLogs', 'Arn'), Format: '$context.requestId $context.status' },
    },
  })
  add('ApiAccessLogs', { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: r.chance(V) ? 30 : 2192, KmsKeyId: getAtt('Key', 'Arn') } })
  for (let i = 0; count < n; i++) {
    const p = (s) => `${d}${s}${i}`
    const table = p('Table')
    if (r.chance(0.5)) add(table, { Type: 'AWS::Serverless::SimpleTable', Properties: { PrimaryKey: { Name: 'id', Type: 'String' }, SSESpecification: { SSEEnabled: !r.chance(V) } } })
    else add(table, { Type: 'AWS::DynamoDB::Table', Properties: { BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], ...(r.chance(V) ? {} : { SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: ref('Key') } }), ...(r.chance(V) ? {} : { PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }) } })
    const bucket = p('Uploads')
    add(bucket, { Type: 'AWS::S3::Bucket', Properties: { ...(r.chance(V) ? {} : { BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: getAtt('Key', 'Arn') } }] } }), VersioningConfiguration: { Status: 'Enabled' }, Tags: [{ Key: 'data-classification', Value: 'phi' }] } })
    const queue = p('Queue')
    add(queue, { Type: 'AWS::SQS::Queue', Properties: { KmsMasterKeyId: ref('Key'), VisibilityTimeout: 90 } })
    const fnEnv = { TABLE_NAME: ref(table), BUCKET: ref(bucket), QUEUE_URL: ref(queue) }
    if (r.chance(V / 2)) fnEnv.API_TOKEN = `tok_${Math.floor(r.next() * 1e12).toString(36)}`
    add(p('Function'), {
      Type: 'AWS::Serverless::Function',
      Properties: {
        CodeUri: `src/${slug}-${i}/`,
        Handler: 'index.handler',
        ...(r.chance(V / 2) ? { Runtime: r.pick(RUNTIMES_OLD) } : {}),
        KmsKeyArn: getAtt('Key', 'Arn'),
        ReservedConcurrentExecutions: 10,
        Environment: { Variables: fnEnv },
        Policies: r.chance(V / 2)
          ? ['AmazonDynamoDBFullAccess']
          : [{ DynamoDBCrudPolicy: { TableName: ref(table) } }, { S3CrudPolicy: { BucketName: ref(bucket) } }, { SQSSendMessagePolicy: { QueueName: getAtt(queue, 'QueueName') } }, { KMSDecryptPolicy: { KeyId: ref('Key') } }],
        Events: {
          Post: { Type: 'Api', Properties: { RestApiId: ref('Api'), Path: `/${slug}/${i}`, Method: 'post' } },
          ...(r.chance(0.5) ? { Nightly: { Type: 'Schedule', Properties: { Schedule: 'rate(1 day)' } } } : {}),
        },
      },
    })
    add(p('Worker'), {
      Type: 'AWS::Serverless::Function',
      Properties: {
        CodeUri: `src/${slug}-${i}-worker/`,
        Handler: 'worker.handler',
        Policies: [{ DynamoDBWritePolicy: { TableName: ref(table) } }],
        Environment: { Variables: { TABLE_NAME: ref(table) } },
        Events: { Work: { Type: 'SQS', Properties: { Queue: getAtt(queue, 'Arn'), BatchSize: 10 } } },
      },
    })
    add(p('Alarm'), { Type: 'AWS::CloudWatch::Alarm', Properties: { AlarmDescription: `${slug} ${i} backlog`, Namespace: 'AWS/SQS', MetricName: 'ApproximateAgeOfOldestMessage', Dimensions: [{ Name: 'QueueName', Value: getAtt(queue, 'QueueName') }], Statistic: 'Maximum', Period: 300, EvaluationPeriods: 1, Threshold: 900, ComparisonOperator: 'GreaterThanThreshold' } })
  }
  return t
}

// ------------------------------------------------------------------ serverless.yml

/** A serverless.yml with `n` declared resources (functions + resources.Resources). */
export function serverlessService(seed, n, domainIndex) {
  const r = rng(seed)
  const d = DOMAINS[domainIndex % DOMAINS.length]
  const slug = kebab(d)
  const nFunctions = Math.max(2, Math.floor(n / 4))
  const resources = {}
  const functions = {}
  const nRes = n - nFunctions
  const queueIds = []
  const tableIds = []
  for (let i = 0; Object.keys(resources).length < nRes; i++) {
    const left = nRes - Object.keys(resources).length
    const kind = i % 4
    if (kind === 0) {
      const id = `${d}Table${i}`
      tableIds.push(id)
      resources[id] = { Type: 'AWS::DynamoDB::Table', Properties: { TableName: `\${self:service}-\${sls:stage}-${slug}-${i}`, BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], ...(r.chance(V) ? {} : { PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }), ...(r.chance(V) ? {} : { SSESpecification: { SSEEnabled: true } }) } }
    } else if (kind === 1) {
      const id = `${d}Queue${i}`
      queueIds.push(id)
      resources[id] = { Type: 'AWS::SQS::Queue', Properties: { QueueName: `\${self:service}-\${sls:stage}-${slug}-${i}`, ...(r.chance(V) ? { SqsManagedSseEnabled: false } : { SqsManagedSseEnabled: true }) } }
    } else if (kind === 2) {
      resources[`${d}Bucket${i}`] = { Type: 'AWS::S3::Bucket', Properties: { ...(r.chance(V) ? {} : { BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] } }), PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true } } }
    } else if (left >= 1) {
      resources[`${d}Topic${i}`] = { Type: 'AWS::SNS::Topic', Properties: { TopicName: `\${self:service}-\${sls:stage}-${slug}-${i}`, ...(r.chance(V) ? {} : { KmsMasterKeyId: 'alias/aws/sns' }) } }
    }
  }
  for (let i = 0; i < nFunctions; i++) {
    const events = []
    const e = i % 3
    if (e === 0) events.push({ http: { method: 'post', path: `${slug}/${i}`, ...(r.chance(V) ? {} : { authorizer: { type: 'aws_iam' } }) } })
    else if (e === 1 && queueIds.length) events.push({ sqs: { arn: getAtt(queueIds[i % queueIds.length], 'Arn'), batchSize: 10 } })
    else events.push({ schedule: 'rate(1 hour)' })
    functions[`${slug.replace(/-/g, '')}${i}`] = {
      handler: `src/${slug}/${i}.handler`,
      description: `${d} step ${i}`,
      ...(r.chance(V) ? {} : { reservedConcurrency: 5 }),
      environment: { TABLE_NAME: tableIds.length ? ref(tableIds[i % tableIds.length]) : 'none' },
      events,
    }
  }
  return {
    service: `${slug}-svc`,
    frameworkVersion: '3',
    provider: {
      name: 'aws',
      runtime: r.chance(V / 2) ? 'nodejs14.x' : 'nodejs20.x',
      stage: 'prod',
      region: 'us-east-1',
      logRetentionInDays: r.chance(V) ? 14 : 2192,
      tracing: { lambda: !r.chance(V) },
      environment: { STAGE: '${sls:stage}', SERVICE: '${self:service}' },
      iam: {
        role: {
          statements: r.chance(V / 2)
            ? [{ Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' }]
            : [
                { Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'], Resource: tableIds.map((t) => getAtt(t, 'Arn')) },
                { Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: queueIds.map((q) => getAtt(q, 'Arn')) },
              ],
        },
      },
    },
    functions,
    resources: { Resources: resources },
  }
}

// ------------------------------------------------------------------ writing

function writeFile(p, text) {
  fs.mkdirSync(path.dirname(p), { recursive: true })
  fs.writeFileSync(p, text)
  return Buffer.byteLength(text)
}

const countResources = (doc) => Object.keys(doc.Resources ?? doc.resources?.Resources ?? {}).length + Object.keys(doc.functions ?? {}).length

/**
 * Write every benchmark input under `outDir` and return the manifest (also written as
 * `manifest.json`). Same seed → byte-identical files.
 */
export function generateAll(outDir) {
  fs.rmSync(outDir, { recursive: true, force: true })
  fs.mkdirSync(outDir, { recursive: true })
  const manifest = { generatorVersion: GENERATOR_VERSION, seed: SEED, single: {}, dir: null }
  for (const [label, n] of Object.entries(SINGLE_SIZES)) {
    const doc = cfnTemplate(SEED + n, n)
    const yamlPath = path.join(outDir, `cfn-${label}.yaml`)
    const jsonPath = path.join(outDir, `cfn-${label}.json`)
    const yamlBytes = writeFile(yamlPath, toYaml(doc, `Synthetic benchmark template (generator v${GENERATOR_VERSION}, ${n} resources). Do not edit: regenerated by bench/generate.mjs.`))
    const jsonBytes = writeFile(jsonPath, `${JSON.stringify(doc, null, 2)}\n`)
    manifest.single[label] = { resources: countResources(doc), yaml: yamlPath, json: jsonPath, yamlBytes, jsonBytes }
  }
  const root = path.join(outDir, 'dir500')
  const twins = path.join(outDir, 'dir500-json-twins')
  const files = []
  for (let i = 0; i < DIR_FILES; i++) {
    const r = rng(SEED ^ (i * 7919 + 17))
    const n = r.int(20, 40)
    const d = DOMAINS[i % DOMAINS.length]
    const dir = `svc-${String(i).padStart(3, '0')}-${kebab(d)}`
    const slot = i % 20
    let kind, rel, doc, text
    if (slot < 8) {
      kind = 'cfn-yaml'
      doc = cfnTemplate(SEED + 1000 + i, n, `${d} service ${i}`)
      rel = `${dir}/template.yaml`
      text = toYaml(doc)
    } else if (slot < 12) {
      kind = 'cfn-json'
      doc = cfnTemplate(SEED + 1000 + i, n, `${d} service ${i}`)
      rel = `${dir}/template.json`
      text = `${JSON.stringify(doc, null, 2)}\n`
    } else if (slot < 17) {
      kind = 'sam-yaml'
      doc = samTemplate(SEED + 1000 + i, n, i)
      rel = `${dir}/template.yaml`
      text = toYaml(doc)
    } else {
      kind = 'serverless'
      doc = serverlessService(SEED + 1000 + i, n, i)
      rel = `${dir}/serverless.yml`
      text = toYaml(doc)
    }
    const bytes = writeFile(path.join(root, rel), text)
    writeFile(path.join(twins, `${rel}.json`), JSON.stringify(doc))
    files.push({ rel, kind, resources: countResources(doc), bytes })
  }
  const byKind = {}
  for (const f of files) byKind[f.kind] = (byKind[f.kind] ?? 0) + 1
  manifest.dir = { root, twins, files, byKind, resources: files.reduce((a, f) => a + f.resources, 0), bytes: files.reduce((a, f) => a + f.bytes, 0) }
  fs.writeFileSync(path.join(outDir, 'manifest.json'), JSON.stringify(manifest, null, 2))
  return manifest
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--out')
  const out = i > 0 ? process.argv[i + 1] : path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '.bench-tmp')
  const t0 = performance.now()
  const m = generateAll(out)
  for (const [label, s] of Object.entries(m.single)) console.log(`cfn-${label}: ${s.resources} resources, YAML ${(s.yamlBytes / 1048576).toFixed(2)} MiB, JSON ${(s.jsonBytes / 1048576).toFixed(2)} MiB`)
  console.log(`dir500: ${m.dir.files.length} files (${Object.entries(m.dir.byKind).map(([k, v]) => `${v} ${k}`).join(', ')}), ${m.dir.resources} declared resources, ${(m.dir.bytes / 1048576).toFixed(2)} MiB`)
  console.log(`written to ${out} in ${Math.round(performance.now() - t0)} ms`)
}
