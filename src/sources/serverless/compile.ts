import type { Diagnostic } from '../../model/index.js'
import type { LineMap } from '../located/index.js'

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v)
const ref = (id: string): Obj => ({ Ref: id })
const getAtt = (id: string, attr: string): Obj => ({ 'Fn::GetAtt': [id, attr] })
const sub = (s: string): Obj => ({ 'Fn::Sub': s })

/** Normalizes a name the way the Serverless Framework builds logical ids. */
export function normalizeName(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1)
}

/** `create-patient_v2` → `CreateDashpatientUnderscorev2`, the framework's function name normalization. */
export function normalizeFunctionName(name: string): string {
  return normalizeName(name.replace(/-/g, 'Dash').replace(/_/g, 'Underscore'))
}

function normalizeResourceName(name: string): string {
  return normalizeName(name.replace(/[^0-9A-Za-z]/g, ''))
}

/** State while compiling one service. */
interface Compile {
  file: string
  sls: Obj
  lines: LineMap
  service: string
  stage: string
  region: string
  resources: Obj
  diagnostics: Diagnostic[]
  roleStatements: unknown[]
  managedPolicies: unknown[]
  usesDefaultRole: boolean
  restApi: boolean
  httpApi: boolean
  restResources: Map<string, string>
  generatedFrom: Map<string, string>
}

/** Result: a CloudFormation template (as the framework would deploy it) and which declaration produced each resource. */
export interface CompiledService {
  template: Obj
  generatedFrom: Map<string, string>
  stage: string
  region: string
  service: string
}

/**
 * Compiles a resolved serverless.yml into the CloudFormation template the Serverless Framework
 * (v3) deploys: the deployment bucket, per-function log groups, functions, the shared execution
 * role with `provider.iam.role.statements`, REST and HTTP APIs with their methods, routes and
 * authorizers, S3 / SQS / SNS / schedule / stream / EventBridge subscriptions, and the
 * `resources:` block merged over the generated resources.
 */
export function compileServerless(sls: Obj, lines: LineMap, file: string, stage: string, region: string, diagnostics: Diagnostic[]): CompiledService {
  const rawService = typeof sls['service'] === 'string' ? sls['service'] : isObj(sls['service']) && typeof sls['service']['name'] === 'string' ? sls['service']['name'] : 'service'
  // an unresolved variable in the service name must not become a Fn::Sub variable
  const service = rawService.replace(/\$\{/g, '$${!')
  const c: Compile = {
    file,
    sls,
    lines,
    service,
    stage,
    region,
    resources: {},
    diagnostics,
    roleStatements: [],
    managedPolicies: [],
    usesDefaultRole: false,
    restApi: false,
    httpApi: false,
    restResources: new Map(),
    generatedFrom: new Map(),
  }
  lines.setContainer(c.resources, lines.lineOf(sls, 'functions') ?? 1)
  const provider = isObj(sls['provider']) ? sls['provider'] : {}
  const functions = isObj(sls['functions']) ? sls['functions'] : {}

  // Deployment bucket
  const deploymentBucket = provider['deploymentBucket']
  const ownBucket = !(typeof deploymentBucket === 'string' || (isObj(deploymentBucket) && deploymentBucket['name'] !== undefined))
  if (ownBucket) {
    const blockPublic = isObj(deploymentBucket) && deploymentBucket['blockPublicAccess'] === true
    const sse = isObj(deploymentBucket) && typeof deploymentBucket['serverSideEncryption'] === 'string' ? deploymentBucket['serverSideEncryption'] : undefined
    add(c, 'ServerlessDeploymentBucket', 'AWS::S3::Bucket', 'provider', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: sse ? { SSEAlgorithm: sse } : { SSEAlgorithm: 'AES256' } }],
      },
      ...(blockPublic ? { PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true } } : {}),
    })
    add(c, 'ServerlessDeploymentBucketPolicy', 'AWS::S3::BucketPolicy', 'provider', {
      Bucket: ref('ServerlessDeploymentBucket'),
      PolicyDocument: {
        Statement: [
          {
            Action: 's3:*',
            Effect: 'Deny',
            Principal: '*',
            Resource: [
              { 'Fn::Join': ['', ['arn:', ref('AWS::Partition'), ':s3:::', ref('ServerlessDeploymentBucket'), '/*']] },
              { 'Fn::Join': ['', ['arn:', ref('AWS::Partition'), ':s3:::', ref('ServerlessDeploymentBucket')]] },
            ],
            Condition: { Bool: { 'aws:SecureTransport': false } },
          },
        ],
      },
    })
  }

  const iam = isObj(provider['iam']) ? provider['iam'] : {}
  const iamRole = iam['role']
  const providerRole = typeof iamRole === 'string' || (isObj(iamRole) && !('statements' in iamRole) && !('managedPolicies' in iamRole) && isIntrinsicLike(iamRole)) ? iamRole : provider['role']
  if (isObj(iamRole)) {
    if (Array.isArray(iamRole['statements'])) c.roleStatements.push(...iamRole['statements'])
    if (Array.isArray(iamRole['managedPolicies'])) c.managedPolicies.push(...iamRole['managedPolicies'])
  }
  if (Array.isArray(provider['iamRoleStatements'])) c.roleStatements.push(...provider['iamRoleStatements'])
  if (Array.isArray(provider['iamManagedPolicies'])) c.managedPolicies.push(...provider['iamManagedPolicies'])

  const layers = isObj(sls['layers']) ? sls['layers'] : {}
  for (const [name, layer] of Object.entries(layers)) {
    if (!isObj(layer)) continue
    add(c, `${normalizeName(name.replace(/-/g, 'Dash').replace(/_/g, 'Underscore'))}LambdaLayer`, 'AWS::Lambda::LayerVersion', 'layers', {
      Content: { S3Bucket: ref('ServerlessDeploymentBucket'), S3Key: `serverless/${service}/${stage}/${name}.zip` },
      LayerName: layer['name'] ?? name,
      ...(layer['compatibleRuntimes'] !== undefined ? { CompatibleRuntimes: layer['compatibleRuntimes'] } : {}),
    }, lines.lineOf(layers, name))
  }

  for (const [key, raw] of Object.entries(functions)) {
    if (!isObj(raw)) {
      diag(c, 'error', `Function ${key} is not a mapping`, lines.lineOf(functions, key))
      continue
    }
    compileFunction(c, key, raw, provider, providerRole)
  }

  if (c.usesDefaultRole) {
    const logArn = sub(`arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:/aws/lambda/${service}-${stage}*:*`)
    const statements: unknown[] = [
      { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:CreateLogGroup', 'logs:TagResource'], Resource: [logArn] },
      { Effect: 'Allow', Action: ['logs:PutLogEvents'], Resource: [sub(`arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:/aws/lambda/${service}-${stage}*:*:*`)] },
      ...c.roleStatements,
    ]
    const role: Obj = {
      AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: ['lambda.amazonaws.com'] }, Action: ['sts:AssumeRole'] }] },
      Policies: [{ PolicyName: { 'Fn::Join': ['-', [service, stage, 'lambda']] }, PolicyDocument: { Version: '2012-10-17', Statement: statements } }],
      Path: '/',
      RoleName: { 'Fn::Join': ['-', [service, stage, ref('AWS::Region'), 'lambdaRole']] },
    }
    if (c.managedPolicies.length) role['ManagedPolicyArns'] = c.managedPolicies
    if (isObj(iamRole) && iamRole['permissionsBoundary'] !== undefined) role['PermissionsBoundary'] = iamRole['permissionsBoundary']
    const line = lines.lineOfPath(sls, ['provider', 'iam', 'role', 'statements']) ?? lines.lineOfPath(sls, ['provider', 'iamRoleStatements']) ?? lines.lineOf(sls, 'provider')
    add(c, 'IamRoleLambdaExecution', 'AWS::IAM::Role', 'provider.iam.role', role, line)
    if (line !== undefined) lines.setChild(role, 'Policies', line)
  }

  if (c.restApi) compileRestApiShell(c, provider)
  if (c.httpApi) compileHttpApiShell(c, provider)

  // resources: block, merged over generated resources
  const custom = isObj(sls['resources']) ? sls['resources'] : {}
  const template: Obj = { AWSTemplateFormatVersion: '2010-09-09', Description: `The AWS CloudFormation template for ${service}`, Resources: c.resources }
  lines.setContainer(template, 1)
  for (const section of ['Resources', 'Outputs', 'Conditions', 'Parameters', 'Mappings'] as const) {
    const v = custom[section]
    if (!isObj(v)) continue
    if (section === 'Resources') {
      for (const [k, r] of Object.entries(v)) {
        if (typeof r === 'string' && r.includes('${')) {
          diag(c, 'warning', `Resource ${k} comes from ${r.length > 80 ? r.slice(0, 80) + '…' : r}, which could not be read statically; it is not scanned`, lines.lineOf(v, k))
          continue
        }
        if (isObj(c.resources[k]) && isObj(r)) {
          deepMerge(c.resources[k] as Obj, r, lines)
        } else {
          c.resources[k] = r
          c.generatedFrom.delete(k)
        }
        lines.setChild(c.resources, k, lines.lineOf(v, k) ?? 1)
      }
    } else {
      template[section] = v
      lines.setChild(template, section, lines.lineOf(custom, section) ?? 1)
    }
  }
  if (Array.isArray(sls['resources'])) {
    diag(c, 'warning', 'The resources: list form (several files) is read only for its inline mappings', lines.lineOf(sls, 'resources'))
    for (const part of sls['resources']) {
      if (isObj(part) && isObj(part['Resources'])) for (const [k, r] of Object.entries(part['Resources'])) c.resources[k] = r
    }
  }
  return { template, generatedFrom: c.generatedFrom, stage, region, service }
}

function isIntrinsicLike(v: Obj): boolean {
  const keys = Object.keys(v)
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0]!.startsWith('Fn::'))
}

function diag(c: Compile, level: 'error' | 'warning', message: string, line?: number): void {
  c.diagnostics.push({
    code: 'PW_ERR_SERVERLESS_INVALID',
    level,
    message: `${message} in ${c.file}${line !== undefined ? ` at line ${line}` : ''}.`,
    file: c.file,
    ...(line !== undefined ? { line } : {}),
  })
}

function add(c: Compile, id: string, type: string, from: string, properties: Obj, line?: number): Obj {
  const l = line ?? c.lines.lineOf(c.sls, from.split('.')[0]!) ?? 1
  if (!c.lines.has(properties)) c.lines.setContainer(properties, l)
  const res: Obj = { Type: type, Properties: properties }
  c.lines.setContainer(res, l)
  c.lines.setChild(res, 'Properties', l)
  c.resources[id] = res
  c.lines.setChild(c.resources, id, l)
  c.generatedFrom.set(id, from)
  return properties
}

function setLine(c: Compile, dst: Obj, key: string, src: unknown, srcKey: string): void {
  const l = c.lines.lineOf(src, srcKey)
  if (l !== undefined) c.lines.setChild(dst, key, l)
}

function deepMerge(target: Obj, src: Obj, lines: LineMap): void {
  for (const [k, v] of Object.entries(src)) {
    if (isObj(v) && isObj(target[k]) && !isIntrinsicLike(v)) deepMerge(target[k] as Obj, v, lines)
    else target[k] = v
    const l = lines.lineOf(src, k)
    if (l !== undefined) lines.setChild(target, k, l)
  }
}

function tagList(...maps: unknown[]): unknown[] | undefined {
  const merged: Obj = {}
  for (const m of maps) if (isObj(m)) Object.assign(merged, m)
  const list = Object.entries(merged).map(([Key, Value]) => ({ Key, Value }))
  return list.length ? list : undefined
}

// ---------------------------------------------------------------------------------------------

function compileFunction(c: Compile, key: string, fn: Obj, provider: Obj, providerRole: unknown): void {
  const N = normalizeFunctionName(key)
  const fnId = `${N}LambdaFunction`
  const line = c.lines.lineOf(c.sls['functions'], key)
  const from = `functions.${key}`
  const name = typeof fn['name'] === 'string' ? fn['name'] : `${c.service}-${c.stage}-${key}`
  const retention = fn['logRetentionInDays'] ?? provider['logRetentionInDays']
  const logGroup = add(c, `${N}LogGroup`, 'AWS::Logs::LogGroup', from, { LogGroupName: `/aws/lambda/${name}`, ...(retention !== undefined ? { RetentionInDays: retention } : {}) }, line)
  if (retention !== undefined) setLine(c, logGroup, 'RetentionInDays', fn['logRetentionInDays'] !== undefined ? fn : provider, 'logRetentionInDays')
  const env: Obj = {}
  for (const src of [provider['environment'], fn['environment']]) if (isObj(src)) Object.assign(env, src)
  const props: Obj = {
    Code: fn['image'] !== undefined ? { ImageUri: fn['image'] } : { S3Bucket: ref('ServerlessDeploymentBucket'), S3Key: `serverless/${c.service}/${c.stage}/${key}.zip` },
    FunctionName: name,
    MemorySize: fn['memorySize'] ?? provider['memorySize'] ?? 1024,
    Timeout: fn['timeout'] ?? provider['timeout'] ?? 6,
  }
  if (fn['image'] === undefined) {
    props['Handler'] = fn['handler']
    props['Runtime'] = fn['runtime'] ?? provider['runtime'] ?? 'nodejs18.x'
    setLine(c, props, 'Runtime', fn['runtime'] !== undefined ? fn : provider, 'runtime')
  } else props['PackageType'] = 'Image'
  if (Object.keys(env).length) {
    props['Environment'] = { Variables: env }
    c.lines.setContainer(props['Environment'] as Obj, c.lines.lineOf(fn, 'environment') ?? c.lines.lineOf(provider, 'environment') ?? line ?? 1)
    setLine(c, props, 'Environment', fn['environment'] !== undefined ? fn : provider, 'environment')
    // each variable at its own line, from the function or the provider, whichever set it last
    c.lines.setContainer(env, c.lines.lineOf(fn, 'environment') ?? c.lines.lineOf(provider, 'environment') ?? line ?? 1)
    for (const src of [provider['environment'], fn['environment']]) if (isObj(src)) for (const k of Object.keys(src)) setLine(c, env, k, src, k)
  }
  const vpc = fn['vpc'] ?? provider['vpc']
  if (isObj(vpc)) {
    props['VpcConfig'] = { SecurityGroupIds: vpc['securityGroupIds'], SubnetIds: vpc['subnetIds'] }
    setLine(c, props, 'VpcConfig', fn['vpc'] !== undefined ? fn : provider, 'vpc')
    if (c.managedPolicies.every((p) => JSON.stringify(p).indexOf('AWSLambdaVPCAccessExecutionRole') === -1)) {
      c.managedPolicies.push({ 'Fn::Join': ['', ['arn:', ref('AWS::Partition'), ':iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole']] })
    }
  }
  // Framework v1/v2 spell it awsKmsKeyArn, on the function or on the service
  const serviceDecl = isObj(c.sls['service']) ? (c.sls['service'] as Obj) : {}
  const kms = fn['kmsKeyArn'] ?? fn['awsKmsKeyArn'] ?? provider['kmsKeyArn'] ?? serviceDecl['awsKmsKeyArn']
  if (kms !== undefined) {
    props['KmsKeyArn'] = kms
    setLine(c, props, 'KmsKeyArn', fn['kmsKeyArn'] !== undefined || fn['awsKmsKeyArn'] !== undefined ? fn : provider, fn['awsKmsKeyArn'] !== undefined ? 'awsKmsKeyArn' : 'kmsKeyArn')
  }
  const providerTracing = isObj(provider['tracing']) ? provider['tracing']['lambda'] : undefined
  const tracing = fn['tracing'] ?? providerTracing
  if (tracing !== undefined && tracing !== false) {
    props['TracingConfig'] = { Mode: tracing === true || tracing === 'Active' ? 'Active' : 'PassThrough' }
    setLine(c, props, 'TracingConfig', fn['tracing'] !== undefined ? fn : provider, 'tracing')
  }
  if (fn['onError'] !== undefined) {
    props['DeadLetterConfig'] = { TargetArn: fn['onError'] }
    setLine(c, props, 'DeadLetterConfig', fn, 'onError')
  }
  if (fn['reservedConcurrency'] !== undefined) {
    props['ReservedConcurrentExecutions'] = fn['reservedConcurrency']
    setLine(c, props, 'ReservedConcurrentExecutions', fn, 'reservedConcurrency')
  }
  if (fn['layers'] !== undefined || provider['layers'] !== undefined) props['Layers'] = fn['layers'] ?? provider['layers']
  const arch = fn['architecture'] ?? provider['architecture']
  if (arch !== undefined) props['Architectures'] = [arch]
  if (fn['description'] !== undefined) props['Description'] = fn['description']
  const tags = tagList(provider['tags'], fn['tags'])
  if (tags) props['Tags'] = tags
  const role = fn['role'] ?? providerRole
  if (role !== undefined) {
    props['Role'] = typeof role === 'string' && !role.startsWith('arn:') ? getAtt(role, 'Arn') : role
    setLine(c, props, 'Role', fn['role'] !== undefined ? fn : provider, fn['role'] !== undefined ? 'role' : 'iam')
  } else {
    props['Role'] = getAtt('IamRoleLambdaExecution', 'Arn')
    c.usesDefaultRole = true
  }
  add(c, fnId, 'AWS::Lambda::Function', from, props, line)
  ;(c.resources[fnId] as Obj)['DependsOn'] = [`${N}LogGroup`, ...(role === undefined ? ['IamRoleLambdaExecution'] : [])]

  // Function URL
  const url = fn['url']
  if (url !== undefined && url !== false) {
    const authorizer = isObj(url) ? url['authorizer'] : undefined
    const authType = authorizer === 'aws_iam' ? 'AWS_IAM' : 'NONE'
    const urlProps = add(c, `${N}LambdaFunctionUrl`, 'AWS::Lambda::Url', from, { AuthType: authType, TargetFunctionArn: getAtt(fnId, 'Arn'), ...(isObj(url) && url['cors'] !== undefined ? { Cors: url['cors'] } : {}) }, c.lines.lineOf(fn, 'url') ?? line)
    setLine(c, urlProps, 'AuthType', fn, 'url')
    if (authType === 'NONE') {
      add(c, `${N}LambdaPermissionFnUrl`, 'AWS::Lambda::Permission', from, { FunctionName: getAtt(fnId, 'Arn'), Action: 'lambda:InvokeFunctionUrl', Principal: '*', FunctionUrlAuthType: 'NONE' }, c.lines.lineOf(fn, 'url') ?? line)
    }
  }
  // Destinations
  const dest = fn['destinations']
  if (isObj(dest)) {
    const dc: Obj = {}
    for (const [k, cfn] of [['onSuccess', 'OnSuccess'], ['onFailure', 'OnFailure']] as const) {
      const d = dest[k]
      const arn = isObj(d) ? d['arn'] : d
      if (arn !== undefined) dc[cfn] = { Destination: typeof arn === 'string' && !arn.startsWith('arn:') ? getAtt(`${normalizeFunctionName(arn)}LambdaFunction`, 'Arn') : arn }
    }
    add(c, `${N}LambdaEvConf`, 'AWS::Lambda::EventInvokeConfig', from, { FunctionName: ref(fnId), DestinationConfig: dc, Qualifier: '$LATEST' }, c.lines.lineOf(fn, 'destinations') ?? line)
  }

  const events = Array.isArray(fn['events']) ? fn['events'] : []
  let scheduleIndex = 0
  events.forEach((ev, i) => {
    if (!isObj(ev)) return
    const type = Object.keys(ev)[0]
    if (!type) return
    const spec = ev[type]
    const evLine = c.lines.lineOf(fn['events'], i) ?? line
    const evFrom = `${from}.events[${i}]`
    switch (type) {
      case 'http':
        compileHttpEvent(c, N, fnId, spec, evLine, evFrom)
        break
      case 'httpApi':
        compileHttpApiEvent(c, N, fnId, spec, evLine, evFrom)
        break
      case 's3':
        compileS3Event(c, N, fnId, spec, evLine, evFrom)
        break
      case 'sqs': {
        const arn = isObj(spec) && !isIntrinsicLike(spec) ? spec['arn'] : spec
        const qname = typeof arn === 'string' ? arn.split(':').pop()! : isObj(arn) ? JSON.stringify(arn).replace(/[^A-Za-z0-9]/g, '').slice(0, 40) : 'Queue'
        add(c, `${N}EventSourceMappingSQS${normalizeResourceName(qname)}`, 'AWS::Lambda::EventSourceMapping', evFrom, {
          EventSourceArn: arn,
          FunctionName: getAtt(fnId, 'Arn'),
          BatchSize: isObj(spec) ? spec['batchSize'] ?? 10 : 10,
          Enabled: isObj(spec) ? spec['enabled'] ?? true : true,
          ...(isObj(spec) && spec['maximumBatchingWindow'] !== undefined ? { MaximumBatchingWindowInSeconds: spec['maximumBatchingWindow'] } : {}),
        }, evLine)
        if (c.usesDefaultRole || fn['role'] === undefined) c.roleStatements.push({ Effect: 'Allow', Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'], Resource: [arn] })
        break
      }
      case 'stream': {
        const arn = isObj(spec) && !isIntrinsicLike(spec) ? spec['arn'] : spec
        const streamType = isObj(spec) && spec['type'] === 'kinesis' ? 'Kinesis' : typeof arn === 'string' && arn.includes(':kinesis:') ? 'Kinesis' : 'Dynamodb'
        const sname = typeof arn === 'string' ? (arn.split(':').pop() ?? 'Stream').split('/')[1] ?? 'Stream' : isObj(arn) ? JSON.stringify(arn).replace(/[^A-Za-z0-9]/g, '').slice(0, 40) : 'Stream'
        add(c, `${N}EventSourceMapping${streamType}${normalizeResourceName(sname)}`, 'AWS::Lambda::EventSourceMapping', evFrom, {
          EventSourceArn: arn,
          FunctionName: getAtt(fnId, 'Arn'),
          BatchSize: isObj(spec) ? spec['batchSize'] ?? 10 : 10,
          StartingPosition: isObj(spec) ? spec['startingPosition'] ?? 'TRIM_HORIZON' : 'TRIM_HORIZON',
          Enabled: isObj(spec) ? spec['enabled'] ?? true : true,
        }, evLine)
        const actions = streamType === 'Kinesis' ? ['kinesis:GetRecords', 'kinesis:GetShardIterator', 'kinesis:DescribeStream', 'kinesis:ListStreams'] : ['dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:DescribeStream', 'dynamodb:ListStreams']
        c.roleStatements.push({ Effect: 'Allow', Action: actions, Resource: [arn] })
        break
      }
      case 'sns': {
        const arn = typeof spec === 'string' ? (spec.startsWith('arn:') ? spec : undefined) : isObj(spec) ? spec['arn'] : undefined
        const topicName = typeof spec === 'string' ? (spec.startsWith('arn:') ? spec.split(':').pop()! : spec) : isObj(spec) ? String(spec['topicName'] ?? (typeof arn === 'string' ? arn.split(':').pop() : 'Topic')) : 'Topic'
        const T = normalizeResourceName(topicName)
        if (arn === undefined) {
          const existing = c.resources[`SNSTopic${T}`]
          if (isObj(existing)) ((existing['Properties'] as Obj)['Subscription'] as unknown[]).push({ Endpoint: getAtt(fnId, 'Arn'), Protocol: 'lambda' })
          else add(c, `SNSTopic${T}`, 'AWS::SNS::Topic', evFrom, { TopicName: topicName, Subscription: [{ Endpoint: getAtt(fnId, 'Arn'), Protocol: 'lambda' }] }, evLine)
        } else {
          add(c, `${N}SnsSubscription${T}`, 'AWS::SNS::Subscription', evFrom, { TopicArn: arn, Protocol: 'lambda', Endpoint: getAtt(fnId, 'Arn'), ...(isObj(spec) && spec['filterPolicy'] !== undefined ? { FilterPolicy: spec['filterPolicy'] } : {}) }, evLine)
        }
        add(c, `${N}LambdaPermission${T}SNS`, 'AWS::Lambda::Permission', evFrom, { FunctionName: getAtt(fnId, 'Arn'), Action: 'lambda:InvokeFunction', Principal: 'sns.amazonaws.com', SourceArn: arn ?? ref(`SNSTopic${T}`) }, evLine)
        break
      }
      case 'schedule': {
        scheduleIndex++
        const rate = isObj(spec) ? spec['rate'] : spec
        const enabled = isObj(spec) ? spec['enabled'] !== false : true
        add(c, `${N}EventsRuleSchedule${scheduleIndex}`, 'AWS::Events::Rule', evFrom, {
          ScheduleExpression: Array.isArray(rate) ? rate[0] : rate,
          State: enabled ? 'ENABLED' : 'DISABLED',
          Targets: [{ Arn: getAtt(fnId, 'Arn'), Id: `${key}Schedule`.slice(0, 64), ...(isObj(spec) && spec['input'] !== undefined ? { Input: JSON.stringify(spec['input']) } : {}) }],
        }, evLine)
        add(c, `${N}LambdaPermissionEventsRuleSchedule${scheduleIndex}`, 'AWS::Lambda::Permission', evFrom, { FunctionName: getAtt(fnId, 'Arn'), Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com', SourceArn: getAtt(`${N}EventsRuleSchedule${scheduleIndex}`, 'Arn') }, evLine)
        break
      }
      case 'eventBridge': {
        const s = isObj(spec) ? spec : {}
        const id = `${N}EventBridgeRule${i + 1}`
        add(c, id, 'AWS::Events::Rule', evFrom, { EventPattern: s['pattern'], ...(s['schedule'] !== undefined ? { ScheduleExpression: s['schedule'] } : {}), ...(s['eventBus'] !== undefined ? { EventBusName: s['eventBus'] } : {}), State: s['enabled'] === false ? 'DISABLED' : 'ENABLED', Targets: [{ Arn: getAtt(fnId, 'Arn'), Id: `${key}-rule-target`.slice(0, 64) }] }, evLine)
        add(c, `${N}LambdaPermissionEventBridgeRule${i + 1}`, 'AWS::Lambda::Permission', evFrom, { FunctionName: getAtt(fnId, 'Arn'), Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com', SourceArn: getAtt(id, 'Arn') }, evLine)
        break
      }
      case 'cloudwatchLog': {
        const group = isObj(spec) ? spec['logGroup'] : spec
        add(c, `${N}LogsSubscriptionFilterCloudWatchLog${i + 1}`, 'AWS::Logs::SubscriptionFilter', evFrom, { LogGroupName: group, FilterPattern: isObj(spec) ? spec['filter'] ?? '' : '', DestinationArn: getAtt(fnId, 'Arn') }, evLine)
        add(c, `${N}LambdaPermissionLogsSubscriptionFilterCloudWatchLog`, 'AWS::Lambda::Permission', evFrom, { FunctionName: getAtt(fnId, 'Arn'), Action: 'lambda:InvokeFunction', Principal: sub('logs.${AWS::Region}.amazonaws.com') }, evLine)
        break
      }
      case 'websocket': {
        const s = isObj(spec) ? spec : { route: spec }
        if (!c.resources['WebsocketsApi']) {
          add(c, 'WebsocketsApi', 'AWS::ApiGatewayV2::Api', evFrom, { Name: `${c.stage}-${c.service}-websockets`, ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }, evLine)
          add(c, 'WebsocketsDeploymentStage', 'AWS::ApiGatewayV2::Stage', evFrom, { ApiId: ref('WebsocketsApi'), StageName: c.stage }, evLine)
        }
        const routeKey = String(s['route'] ?? '$default')
        add(c, `${normalizeResourceName(routeKey)}WebsocketsRoute`, 'AWS::ApiGatewayV2::Route', evFrom, { ApiId: ref('WebsocketsApi'), RouteKey: routeKey, AuthorizationType: s['authorizer'] !== undefined ? 'CUSTOM' : 'NONE', Target: { 'Fn::Join': ['/', ['integrations', ref(`${N}WebsocketsIntegration`)]] } }, evLine)
        add(c, `${N}WebsocketsIntegration`, 'AWS::ApiGatewayV2::Integration', evFrom, { ApiId: ref('WebsocketsApi'), IntegrationType: 'AWS_PROXY', IntegrationUri: sub(`arn:\${AWS::Partition}:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${${fnId}.Arn}/invocations`) }, evLine)
        add(c, `${N}LambdaPermissionWebsockets`, 'AWS::Lambda::Permission', evFrom, { FunctionName: getAtt(fnId, 'Arn'), Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com' }, evLine)
        break
      }
      default:
        c.diagnostics.push({
          code: 'PW_ERR_SERVERLESS_INVALID',
          level: 'warning',
          message: `Event type ${type} of function ${key} is not expanded by PhiWall in ${c.file}${evLine !== undefined ? ` at line ${evLine}` : ''}; the function is scanned without it.`,
          file: c.file,
          ...(evLine !== undefined ? { line: evLine } : {}),
        })
    }
  })
}

// ---------------------------------------------------------------------------------------------
// REST API (http events)

function authorizationOf(c: Compile, authorizer: unknown, fnKey: string): { type: string; authorizerId?: string; scopes?: unknown } {
  if (authorizer === undefined) return { type: 'NONE' }
  if (authorizer === 'aws_iam' || (isObj(authorizer) && authorizer['type'] === 'aws_iam')) return { type: 'AWS_IAM' }
  const spec: Obj = typeof authorizer === 'string' ? (authorizer.startsWith('arn:') ? { arn: authorizer } : { name: authorizer }) : isObj(authorizer) ? authorizer : {}
  const arn = spec['arn']
  const isCognito = (typeof arn === 'string' && arn.includes('cognito-idp')) || spec['type'] === 'COGNITO_USER_POOLS'
  const rawName = typeof spec['name'] === 'string' ? spec['name'] : typeof arn === 'string' ? arn.split('/').pop() ?? arn.split(':').pop() ?? 'Authorizer' : 'Authorizer'
  const authId = `${normalizeName(rawName.replace(/[^0-9A-Za-z]/g, ''))}ApiGatewayAuthorizer`
  if (!c.resources[authId]) {
    const props: Obj = { Name: rawName, RestApiId: ref('ApiGatewayRestApi'), IdentitySource: spec['identitySource'] ?? 'method.request.header.Authorization' }
    if (isCognito) {
      props['Type'] = 'COGNITO_USER_POOLS'
      props['ProviderARNs'] = [arn]
    } else {
      props['Type'] = String(spec['type'] ?? 'TOKEN').toUpperCase() === 'REQUEST' ? 'REQUEST' : 'TOKEN'
      const fnRef = typeof arn === 'string' ? arn : `${normalizeFunctionName(rawName)}LambdaFunction`
      props['AuthorizerUri'] = typeof arn === 'string' ? sub(`arn:\${AWS::Partition}:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/${arn}/invocations`) : sub(`arn:\${AWS::Partition}:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${${fnRef}.Arn}/invocations`)
    }
    add(c, authId, 'AWS::ApiGateway::Authorizer', `functions.${fnKey}`, props)
  }
  return { type: isCognito ? 'COGNITO_USER_POOLS' : 'CUSTOM', authorizerId: authId, scopes: spec['scopes'] }
}

function compileHttpEvent(c: Compile, N: string, fnId: string, spec: unknown, line: number | undefined, from: string): void {
  c.restApi = true
  let method = 'GET'
  let path = ''
  let s: Obj = {}
  if (typeof spec === 'string') {
    const [m, ...p] = spec.trim().split(/\s+/)
    method = (m ?? 'GET').toUpperCase()
    path = p.join(' ')
  } else if (isObj(spec)) {
    s = spec
    method = String(s['method'] ?? 'GET').toUpperCase()
    path = String(s['path'] ?? '')
  }
  path = path.replace(/^\/+|\/+$/g, '')
  const resourceId = restResource(c, path, from, line)
  const auth = authorizationOf(c, s['authorizer'], from.split('.')[1] ?? 'fn')
  const methodName = method === 'ANY' ? 'Any' : normalizeName(method.toLowerCase())
  const pathName = path === '' ? '' : path.split('/').map((seg) => normalizeResourceName(seg.replace(/[{}+]/g, (m) => (m === '+' ? 'Proxy' : 'Var')))).join('')
  const props: Obj = {
    HttpMethod: method,
    RequestParameters: {},
    ResourceId: resourceId,
    RestApiId: ref('ApiGatewayRestApi'),
    ApiKeyRequired: s['private'] === true,
    AuthorizationType: auth.type,
    ...(auth.authorizerId ? { AuthorizerId: ref(auth.authorizerId) } : {}),
    ...(auth.scopes !== undefined ? { AuthorizationScopes: auth.scopes } : {}),
    Integration: {
      IntegrationHttpMethod: 'POST',
      Type: s['integration'] === 'lambda' ? 'AWS' : 'AWS_PROXY',
      Uri: sub(`arn:\${AWS::Partition}:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${${fnId}.Arn}/invocations`),
    },
    MethodResponses: [],
  }
  const p = add(c, `ApiGatewayMethod${pathName}${methodName}`, 'AWS::ApiGateway::Method', from, props, line)
  if (line !== undefined) {
    c.lines.setChild(p, 'AuthorizationType', c.lines.lineOf(s, 'authorizer') ?? line)
    c.lines.setChild(p, 'ApiKeyRequired', c.lines.lineOf(s, 'private') ?? line)
  }
  if (!c.resources[`${N}LambdaPermissionApiGateway`]) {
    add(c, `${N}LambdaPermissionApiGateway`, 'AWS::Lambda::Permission', from, {
      FunctionName: getAtt(fnId, 'Arn'),
      Action: 'lambda:InvokeFunction',
      Principal: 'apigateway.amazonaws.com',
      SourceArn: { 'Fn::Join': ['', ['arn:', ref('AWS::Partition'), ':execute-api:', ref('AWS::Region'), ':', ref('AWS::AccountId'), ':', ref('ApiGatewayRestApi'), '/*/*']] },
    }, line)
  }
}

function restResource(c: Compile, path: string, from: string, line: number | undefined): unknown {
  if (path === '') return getAtt('ApiGatewayRestApi', 'RootResourceId')
  const segments = path.split('/')
  let parent: unknown = getAtt('ApiGatewayRestApi', 'RootResourceId')
  let sofar = ''
  for (const seg of segments) {
    sofar = sofar ? `${sofar}/${seg}` : seg
    let id = c.restResources.get(sofar)
    if (!id) {
      id = `ApiGatewayResource${sofar.split('/').map((x) => normalizeResourceName(x.replace(/[{}+]/g, (m) => (m === '+' ? 'Proxy' : 'Var')))).join('')}`
      c.restResources.set(sofar, id)
      add(c, id, 'AWS::ApiGateway::Resource', from, { ParentId: parent, PathPart: seg, RestApiId: ref('ApiGatewayRestApi') }, line)
    }
    parent = ref(id)
  }
  return parent
}

function compileRestApiShell(c: Compile, provider: Obj): void {
  const apiGateway = isObj(provider['apiGateway']) ? provider['apiGateway'] : {}
  const endpointType = String(provider['endpointType'] ?? 'EDGE').toUpperCase()
  const api: Obj = { Name: `${c.stage}-${c.service}`, EndpointConfiguration: { Types: [endpointType] } }
  if (provider['vpcEndpointIds'] !== undefined) (api['EndpointConfiguration'] as Obj)['VpcEndpointIds'] = provider['vpcEndpointIds']
  if (apiGateway['minimumCompressionSize'] !== undefined) api['MinimumCompressionSize'] = apiGateway['minimumCompressionSize']
  if (apiGateway['disableDefaultEndpoint'] !== undefined) api['DisableExecuteApiEndpoint'] = apiGateway['disableDefaultEndpoint']
  const rp = apiGateway['resourcePolicy'] ?? provider['resourcePolicy']
  if (Array.isArray(rp)) api['Policy'] = { Version: '2012-10-17', Statement: rp }
  const line = c.lines.lineOf(c.sls, 'provider')
  const p = add(c, 'ApiGatewayRestApi', 'AWS::ApiGateway::RestApi', 'provider.apiGateway', api, line)
  setLine(c, p, 'EndpointConfiguration', provider, 'endpointType')
  add(c, 'ApiGatewayDeployment', 'AWS::ApiGateway::Deployment', 'provider.apiGateway', { RestApiId: ref('ApiGatewayRestApi'), StageName: c.stage }, line)
  // stage settings the framework applies after deploy (logs, tracing)
  const logs = isObj(provider['logs']) ? provider['logs']['restApi'] : undefined
  const tracing = isObj(provider['tracing']) ? provider['tracing']['apiGateway'] : undefined
  const stage: Obj = { RestApiId: ref('ApiGatewayRestApi'), DeploymentId: ref('ApiGatewayDeployment'), StageName: c.stage, TracingEnabled: tracing === true }
  if (logs !== undefined && logs !== false) {
    const l = isObj(logs) ? logs : {}
    if (l['accessLogging'] !== false) {
      stage['AccessLogSetting'] = { DestinationArn: getAtt('ApiGatewayLogGroup', 'Arn'), Format: l['format'] ?? 'requestId: $context.requestId, ip: $context.identity.sourceIp, caller: $context.identity.caller, user: $context.identity.user, requestTime: $context.requestTime, httpMethod: $context.httpMethod, resourcePath: $context.resourcePath, status: $context.status, protocol: $context.protocol, responseLength: $context.responseLength' }
      add(c, 'ApiGatewayLogGroup', 'AWS::Logs::LogGroup', 'provider.logs', { LogGroupName: `/aws/api-gateway/${c.service}-${c.stage}`, ...(provider['logRetentionInDays'] !== undefined ? { RetentionInDays: provider['logRetentionInDays'] } : {}) }, c.lines.lineOf(provider, 'logs'))
    }
    if (l['executionLogging'] !== false) stage['MethodSettings'] = [{ ResourcePath: '/*', HttpMethod: '*', LoggingLevel: l['level'] ?? 'INFO', DataTraceEnabled: l['fullExecutionData'] ?? true }]
  }
  const sp = add(c, 'ApiGatewayStage', 'AWS::ApiGateway::Stage', 'provider.apiGateway', stage, line)
  setLine(c, sp, 'AccessLogSetting', provider, 'logs')
  setLine(c, sp, 'TracingEnabled', provider, 'tracing')
  const apiKeys = apiGateway['apiKeys'] ?? provider['apiKeys']
  if (Array.isArray(apiKeys) && apiKeys.length) {
    add(c, 'ApiGatewayUsagePlan', 'AWS::ApiGateway::UsagePlan', 'provider.apiGateway', { ApiStages: [{ ApiId: ref('ApiGatewayRestApi'), Stage: c.stage }], ...(isObj(apiGateway['usagePlan']) ? { Quota: apiGateway['usagePlan']['quota'], Throttle: apiGateway['usagePlan']['throttle'] } : {}) }, line)
    apiKeys.forEach((_, i) => {
      add(c, `ApiGatewayApiKey${i + 1}`, 'AWS::ApiGateway::ApiKey', 'provider.apiGateway', { Enabled: true, StageKeys: [{ RestApiId: ref('ApiGatewayRestApi'), StageName: c.stage }] }, line)
      add(c, `ApiGatewayUsagePlanKey${i + 1}`, 'AWS::ApiGateway::UsagePlanKey', 'provider.apiGateway', { KeyId: ref(`ApiGatewayApiKey${i + 1}`), KeyType: 'API_KEY', UsagePlanId: ref('ApiGatewayUsagePlan') }, line)
    })
  }
}

// ---------------------------------------------------------------------------------------------
// HTTP API (httpApi events)

function compileHttpApiEvent(c: Compile, N: string, fnId: string, spec: unknown, line: number | undefined, from: string): void {
  c.httpApi = true
  let method = '*'
  let path = '*'
  let s: Obj = {}
  if (typeof spec === 'string') {
    if (spec.trim() === '*') {
      method = '*'
      path = '*'
    } else {
      const [m, ...p] = spec.trim().split(/\s+/)
      method = (m ?? '*').toUpperCase()
      path = p.join(' ') || '/'
    }
  } else if (isObj(spec)) {
    s = spec
    method = String(s['method'] ?? '*').toUpperCase()
    path = String(s['path'] ?? '*')
  }
  const routeKey = method === '*' && path === '*' ? '$default' : `${method === '*' ? 'ANY' : method} ${path}`
  const integrationId = `HttpApiIntegration${N}`
  if (!c.resources[integrationId]) {
    add(c, integrationId, 'AWS::ApiGatewayV2::Integration', from, { ApiId: ref('HttpApi'), IntegrationType: 'AWS_PROXY', IntegrationUri: getAtt(fnId, 'Arn'), PayloadFormatVersion: '2.0' }, line)
    add(c, `${N}LambdaPermissionHttpApi`, 'AWS::Lambda::Permission', from, {
      FunctionName: getAtt(fnId, 'Arn'),
      Action: 'lambda:InvokeFunction',
      Principal: 'apigateway.amazonaws.com',
      SourceArn: { 'Fn::Join': ['', ['arn:', ref('AWS::Partition'), ':execute-api:', ref('AWS::Region'), ':', ref('AWS::AccountId'), ':', ref('HttpApi'), '/*']] },
    }, line)
  }
  const route: Obj = { ApiId: ref('HttpApi'), RouteKey: routeKey, Target: { 'Fn::Join': ['/', ['integrations', ref(integrationId)]] } }
  const authorizer = s['authorizer']
  const provider = isObj(c.sls['provider']) ? c.sls['provider'] : {}
  const httpApiCfg = isObj(provider['httpApi']) ? provider['httpApi'] : {}
  const authorizers = isObj(httpApiCfg['authorizers']) ? httpApiCfg['authorizers'] : {}
  if (authorizer === 'aws_iam' || (isObj(authorizer) && authorizer['type'] === 'aws_iam')) route['AuthorizationType'] = 'AWS_IAM'
  else if (authorizer !== undefined) {
    const name = typeof authorizer === 'string' ? authorizer : isObj(authorizer) ? String(authorizer['name'] ?? authorizer['id'] ?? 'Authorizer') : 'Authorizer'
    const def = isObj(authorizers[name]) ? (authorizers[name] as Obj) : {}
    const isLambda = def['type'] === 'request' || def['functionName'] !== undefined || def['functionArn'] !== undefined
    const authId = `HttpApiAuthorizer${normalizeResourceName(name)}`
    if (!c.resources[authId]) {
      add(c, authId, 'AWS::ApiGatewayV2::Authorizer', from, isLambda
        ? { ApiId: ref('HttpApi'), AuthorizerType: 'REQUEST', Name: name, AuthorizerUri: def['functionArn'] ?? sub(`arn:\${AWS::Partition}:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${${normalizeFunctionName(String(def['functionName'] ?? name))}LambdaFunction.Arn}/invocations`), AuthorizerPayloadFormatVersion: def['payloadVersion'] ?? '2.0', IdentitySource: def['identitySource'] !== undefined ? [def['identitySource']] : ['$request.header.Authorization'] }
        : { ApiId: ref('HttpApi'), AuthorizerType: 'JWT', Name: name, IdentitySource: [def['identitySource'] ?? '$request.header.Authorization'], JwtConfiguration: { Audience: def['audience'], Issuer: def['issuerUrl'] } }, c.lines.lineOf(authorizers, name) ?? line)
    }
    route['AuthorizationType'] = isLambda ? 'CUSTOM' : 'JWT'
    route['AuthorizerId'] = ref(authId)
    if (isObj(authorizer) && authorizer['scopes'] !== undefined) route['AuthorizationScopes'] = authorizer['scopes']
  } else route['AuthorizationType'] = 'NONE'
  const routeId = `HttpApiRoute${routeKey === '$default' ? 'Default' : normalizeResourceName((method === '*' ? 'Any' : normalizeName(method.toLowerCase())) + path.replace(/\{[^}]+\}/g, 'Var').replace(/\*/g, 'Any'))}`
  const rp = add(c, routeId, 'AWS::ApiGatewayV2::Route', from, route, line)
  if (line !== undefined) c.lines.setChild(rp, 'AuthorizationType', c.lines.lineOf(s, 'authorizer') ?? line)
}

function compileHttpApiShell(c: Compile, provider: Obj): void {
  const cfg = isObj(provider['httpApi']) ? provider['httpApi'] : {}
  const line = c.lines.lineOf(c.sls, 'provider')
  const api: Obj = { Name: cfg['name'] ?? `${c.stage}-${c.service}`, ProtocolType: 'HTTP' }
  if (cfg['disableDefaultEndpoint'] !== undefined) api['DisableExecuteApiEndpoint'] = cfg['disableDefaultEndpoint']
  if (cfg['cors'] !== undefined) api['CorsConfiguration'] = cfg['cors'] === true ? { AllowOrigins: ['*'] } : cfg['cors']
  add(c, 'HttpApi', 'AWS::ApiGatewayV2::Api', 'provider.httpApi', api, line)
  const logs = isObj(provider['logs']) ? provider['logs']['httpApi'] : undefined
  const stage: Obj = { ApiId: ref('HttpApi'), StageName: '$default', AutoDeploy: true, DefaultRouteSettings: { DetailedMetricsEnabled: cfg['metrics'] === true } }
  if (logs !== undefined && logs !== false) {
    stage['AccessLogSettings'] = { DestinationArn: getAtt('HttpApiLogGroup', 'Arn'), Format: isObj(logs) && logs['format'] !== undefined ? logs['format'] : '{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","requestTime":"$context.requestTime","httpMethod":"$context.httpMethod","routeKey":"$context.routeKey","status":"$context.status","protocol":"$context.protocol","responseLength":"$context.responseLength"}' }
    add(c, 'HttpApiLogGroup', 'AWS::Logs::LogGroup', 'provider.logs', { LogGroupName: `/aws/http-api/${c.service}-${c.stage}`, ...(provider['logRetentionInDays'] !== undefined ? { RetentionInDays: provider['logRetentionInDays'] } : {}) }, c.lines.lineOf(provider, 'logs'))
  }
  const sp = add(c, 'HttpApiStage', 'AWS::ApiGatewayV2::Stage', 'provider.httpApi', stage, line)
  setLine(c, sp, 'AccessLogSettings', provider, 'logs')
}

// ---------------------------------------------------------------------------------------------
// S3 events

function compileS3Event(c: Compile, N: string, fnId: string, spec: unknown, line: number | undefined, from: string): void {
  const s: Obj = typeof spec === 'string' ? { bucket: spec } : isObj(spec) ? spec : {}
  const bucket = s['bucket']
  const bucketName = typeof bucket === 'string' ? bucket : isObj(bucket) && typeof bucket['Ref'] === 'string' ? bucket['Ref'] : 'Bucket'
  const B = normalizeResourceName(bucketName)
  const events = Array.isArray(s['event']) ? s['event'] : [s['event'] ?? 's3:ObjectCreated:*']
  const rules = Array.isArray(s['rules']) ? s['rules'] : []
  const filter = rules.length ? { S3Key: { Rules: rules.map((r) => (isObj(r) ? { Name: Object.keys(r)[0], Value: Object.values(r)[0] } : r)) } } : undefined
  if (s['existing'] === true) {
    c.diagnostics.push({
      code: 'PW_ERR_SERVERLESS_INVALID',
      level: 'warning',
      message: `Function ${N} subscribes to existing bucket ${bucketName} in ${c.file}${line !== undefined ? ` at line ${line}` : ''}; the bucket is not part of this service and is not scanned.`,
      file: c.file,
      ...(line !== undefined ? { line } : {}),
    })
  } else {
    const id = `S3Bucket${B}`
    const existing = c.resources[id]
    const configs = events.map((e) => ({ Event: e, Function: getAtt(fnId, 'Arn'), ...(filter ? { Filter: filter } : {}) }))
    if (isObj(existing)) {
      const props = existing['Properties'] as Obj
      const nc = (props['NotificationConfiguration'] ??= {}) as Obj
      ;((nc['LambdaConfigurations'] ??= []) as unknown[]).push(...configs)
    } else {
      add(c, id, 'AWS::S3::Bucket', from, { BucketName: bucketName, NotificationConfiguration: { LambdaConfigurations: configs } }, line)
      ;(c.resources[id] as Obj)['DependsOn'] = [`${N}LambdaPermission${B}S3`]
    }
  }
  add(c, `${N}LambdaPermission${B}S3`, 'AWS::Lambda::Permission', from, {
    FunctionName: getAtt(fnId, 'Arn'),
    Action: 'lambda:InvokeFunction',
    Principal: 's3.amazonaws.com',
    SourceArn: { 'Fn::Join': ['', ['arn:', ref('AWS::Partition'), `:s3:::${bucketName}`]] },
    SourceAccount: ref('AWS::AccountId'),
  }, line)
}
