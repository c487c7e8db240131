import { createHash } from 'node:crypto'
import type { Diagnostic } from '../../model/index.js'
import type { LineMap } from '../located/index.js'
import { isIntrinsic } from './intrinsics.js'
import { SAM_POLICY_TEMPLATES } from './sam-policy-templates.js'
import type { CfnResource, CfnTemplate } from './template.js'

type Obj = Record<string, unknown>

const ref = (id: string): Obj => ({ Ref: id })
const getAtt = (id: string, attr: string): Obj => ({ 'Fn::GetAtt': [id, attr] })
const sub = (s: string): Obj => ({ 'Fn::Sub': s })
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v)
const managed = (name: string): Obj => sub(`arn:\${AWS::Partition}:iam::aws:policy/${name}`)
const managedRole = (name: string): Obj => sub(`arn:\${AWS::Partition}:iam::aws:policy/service-role/${name}`)
const shortHash = (v: unknown): string => createHash('sha1').update(JSON.stringify(v) ?? '').digest('hex').slice(0, 10)
const alnum = (v: unknown): string => (typeof v === 'string' ? v.replace(/[^A-Za-z0-9]/g, '') : '')

/** The name of the SAM transform. */
export const SAM_TRANSFORM = 'AWS::Serverless-2016-10-31'

/** Does the template use the SAM transform (declared, or by using AWS::Serverless types)? */
export function usesSam(tpl: CfnTemplate): boolean {
  return tpl.transforms.includes(SAM_TRANSFORM) || tpl.resources.some((r) => r.type.startsWith('AWS::Serverless::'))
}

interface SamState {
  tpl: CfnTemplate
  lines: LineMap
  out: CfnResource[]
  byId: Map<string, CfnResource>
  diagnostics: Diagnostic[]
  /** Swagger / OpenAPI bodies of REST and HTTP APIs, by API logical id. */
  restBodies: Map<string, Obj | null>
  httpBodies: Map<string, Obj | null>
  /** API logical ids whose Serverless::Api declaration gives their auth settings. */
  restAuth: Map<string, Obj>
  httpAuth: Map<string, Obj>
  implicitRest?: CfnResource
  implicitHttp?: CfnResource
}

/**
 * Expands `AWS::Serverless::*` resources into the CloudFormation resources the SAM translator
 * generates (functions with their execution roles and event sources, implicit and explicit
 * REST and HTTP APIs with their stages, tables, state machines, connectors), so every check
 * judges a SAM function exactly as it judges the Lambda function it becomes.
 */
export function expandSam(tpl: CfnTemplate): { resources: CfnResource[]; diagnostics: Diagnostic[] } {
  const st: SamState = {
    tpl,
    lines: tpl.lines,
    out: [],
    byId: new Map(tpl.resources.map((r) => [r.logicalId, r])),
    diagnostics: [],
    restBodies: new Map(),
    httpBodies: new Map(),
    restAuth: new Map(),
    httpAuth: new Map(),
  }
  if (!tpl.transforms.includes(SAM_TRANSFORM)) {
    const first = tpl.resources.find((r) => r.type.startsWith('AWS::Serverless::'))
    st.diagnostics.push({
      code: 'PW_ERR_SAM_INVALID',
      level: 'warning',
      message: `${tpl.file} declares AWS::Serverless resources without "Transform: ${SAM_TRANSFORM}"; CloudFormation would reject it. They are expanded as SAM would.`,
      file: tpl.file,
      ...(first?.line !== undefined ? { line: first.line } : {}),
    })
  }
  // APIs first, so function events can attach routes to them
  for (const r of tpl.resources) {
    try {
      if (r.type === 'AWS::Serverless::Api') expandApi(r, st)
      else if (r.type === 'AWS::Serverless::HttpApi') expandHttpApi(r, st)
    } catch (err) {
      samError(st, r, err)
    }
  }
  for (const r of tpl.resources) {
    try {
      switch (r.type) {
        case 'AWS::Serverless::Api':
        case 'AWS::Serverless::HttpApi':
          break
        case 'AWS::Serverless::Function':
          expandFunction(r, st)
          break
        case 'AWS::Serverless::SimpleTable':
          expandSimpleTable(r, st)
          break
        case 'AWS::Serverless::StateMachine':
          expandStateMachine(r, st)
          break
        case 'AWS::Serverless::LayerVersion':
          emit(st, r, r.logicalId, 'AWS::Lambda::LayerVersion', pick(r.properties, st, { ContentUri: 'Content', LayerName: 'LayerName', CompatibleRuntimes: 'CompatibleRuntimes', CompatibleArchitectures: 'CompatibleArchitectures', LicenseInfo: 'LicenseInfo', Description: 'Description' }))
          break
        case 'AWS::Serverless::Application':
          emit(st, r, r.logicalId, 'AWS::CloudFormation::Stack', pick(r.properties, st, { Location: 'TemplateURL', Parameters: 'Parameters', NotificationARNs: 'NotificationARNs', TimeoutInMinutes: 'TimeoutInMinutes' }))
          break
        case 'AWS::Serverless::Connector':
          expandConnector(r.logicalId, r.properties, r, st)
          break
        case 'AWS::Serverless::CapacityProvider':
          emit(st, r, r.logicalId, 'AWS::Lambda::CapacityProvider', { ...r.properties })
          break
        case 'AWS::Serverless::GraphQLApi':
          emit(st, r, r.logicalId, 'AWS::AppSync::GraphQLApi', pick(r.properties, st, { Name: 'Name', XrayEnabled: 'XrayEnabled', Logging: 'LogConfig', Tags: 'Tags' }))
          break
        default:
          st.out.push(r)
      }
    } catch (err) {
      samError(st, r, err)
    }
  }
  finishApis(st)
  return { resources: st.out, diagnostics: st.diagnostics }
}

function samError(st: SamState, r: CfnResource, err: unknown): void {
  st.diagnostics.push({
    code: 'PW_ERR_SAM_INVALID',
    level: 'error',
    message: `SAM resource ${r.logicalId} (${r.type}) cannot be expanded in ${st.tpl.file}${r.line ? ` at line ${r.line}` : ''}: ${err instanceof Error ? err.message : String(err)}.`,
    file: st.tpl.file,
    ...(r.line !== undefined ? { line: r.line } : {}),
  })
}

/** Add a generated resource whose location is its SAM declaration. */
function emit(st: SamState, from: CfnResource, logicalId: string, type: string, properties: Obj, extra: Partial<CfnResource> = {}): CfnResource {
  if (!st.lines.has(properties)) st.lines.setContainer(properties, from.line ?? 1)
  const res: CfnResource = {
    logicalId,
    type,
    properties,
    line: from.line,
    dependsOn: [],
    generatedFrom: from.generatedFrom ?? from.logicalId,
    ...extra,
  }
  if (from.condition !== undefined) {
    res.condition = from.condition
    res.conditionValue = from.conditionValue
  }
  st.out.push(res)
  st.byId.set(logicalId, res)
  return res
}

/** Copy properties under new names, keeping each one's line. */
function pick(src: Obj, st: SamState, map: Record<string, string>, dst: Obj = {}): Obj {
  st.lines.setContainer(dst, st.lines.lineOf(src) ?? 1)
  for (const [from, to] of Object.entries(map)) {
    if (src[from] === undefined) continue
    dst[to] = src[from]
    const l = st.lines.lineOf(src, from)
    if (l !== undefined) st.lines.setChild(dst, to, l)
  }
  return dst
}

function setLine(st: SamState, dst: Obj, key: string, src: unknown, srcKey?: string): void {
  const l = st.lines.lineOf(src, srcKey)
  if (l !== undefined) st.lines.setChild(dst, key, l)
}

/** SAM Globals: maps are merged, lists appended, scalars overridden by the resource. */
function withGlobals(st: SamState, section: string, props: Obj): Obj {
  const g = st.tpl.globals[section]
  if (!isObj(g)) return props
  const merged = mergeGlobal(g, props, st)
  return merged as Obj
}

function mergeGlobal(g: unknown, local: unknown, st: SamState): unknown {
  if (local === undefined) return g
  if (isObj(g) && isObj(local) && !isIntrinsic(g) && !isIntrinsic(local)) {
    const out: Obj = {}
    st.lines.setContainer(out, st.lines.lineOf(local) ?? st.lines.lineOf(g) ?? 1)
    for (const k of new Set([...Object.keys(g), ...Object.keys(local)])) {
      out[k] = k in local ? mergeGlobal(g[k], local[k], st) : g[k]
      setLine(st, out, k, k in local ? local : g, k)
    }
    return out
  }
  if (Array.isArray(g) && Array.isArray(local)) return [...g, ...local]
  return local
}

function tagsList(tags: unknown, extra: Record<string, string> = {}): unknown[] | undefined {
  const list: unknown[] = []
  if (isObj(tags)) for (const [k, v] of Object.entries(tags)) list.push({ Key: k, Value: v })
  for (const [k, v] of Object.entries(extra)) list.push({ Key: k, Value: v })
  return list.length ? list : undefined
}

// ---------------------------------------------------------------------------------------------
// Functions

function expandFunction(r: CfnResource, st: SamState): void {
  const p = withGlobals(st, 'Function', r.properties)
  const id = r.logicalId
  const fn = pick(p, st, {
    FunctionName: 'FunctionName',
    Handler: 'Handler',
    Runtime: 'Runtime',
    Description: 'Description',
    MemorySize: 'MemorySize',
    Timeout: 'Timeout',
    Environment: 'Environment',
    VpcConfig: 'VpcConfig',
    KmsKeyArn: 'KmsKeyArn',
    Layers: 'Layers',
    ReservedConcurrentExecutions: 'ReservedConcurrentExecutions',
    Architectures: 'Architectures',
    PackageType: 'PackageType',
    ImageConfig: 'ImageConfig',
    EphemeralStorage: 'EphemeralStorage',
    FileSystemConfigs: 'FileSystemConfigs',
    LoggingConfig: 'LoggingConfig',
    SnapStart: 'SnapStart',
    RuntimeManagementConfig: 'RuntimeManagementConfig',
    CodeSigningConfigArn: 'CodeSigningConfigArn',
    RecursiveLoop: 'RecursiveLoop',
  })
  if (p['InlineCode'] !== undefined) {
    fn['Code'] = { ZipFile: p['InlineCode'] }
    setLine(st, fn, 'Code', p, 'InlineCode')
  } else if (p['ImageUri'] !== undefined) {
    fn['Code'] = { ImageUri: p['ImageUri'] }
    setLine(st, fn, 'Code', p, 'ImageUri')
  } else if (p['CodeUri'] !== undefined) {
    const cu = p['CodeUri']
    const m = typeof cu === 'string' ? /^s3:\/\/([^/]+)\/(.+)$/.exec(cu) : null
    fn['Code'] = m ? { S3Bucket: m[1], S3Key: m[2] } : isObj(cu) && ('Bucket' in cu || 'Key' in cu) ? { S3Bucket: cu['Bucket'], S3Key: cu['Key'], S3ObjectVersion: cu['Version'] } : { S3Bucket: '(sam package)', S3Key: cu }
    setLine(st, fn, 'Code', p, 'CodeUri')
  }
  if (p['Tracing'] !== undefined) {
    fn['TracingConfig'] = { Mode: p['Tracing'] }
    setLine(st, fn, 'TracingConfig', p, 'Tracing')
  }
  const dlq = p['DeadLetterQueue']
  if (isObj(dlq)) {
    fn['DeadLetterConfig'] = { TargetArn: dlq['TargetArn'] }
    setLine(st, fn, 'DeadLetterConfig', p, 'DeadLetterQueue')
  }
  fn['Tags'] = tagsList(p['Tags'], { 'lambda:createdBy': 'SAM' })
  setLine(st, fn, 'Tags', p, 'Tags')

  const events = isObj(p['Events']) ? p['Events'] : {}
  const managedPolicies: unknown[] = []
  const inline: Obj[] = []
  if (p['Role'] !== undefined) {
    fn['Role'] = p['Role']
    setLine(st, fn, 'Role', p, 'Role')
  } else {
    fn['Role'] = getAtt(`${id}Role`, 'Arn')
    managedPolicies.push(managedRole('AWSLambdaBasicExecutionRole'))
    if (p['VpcConfig'] !== undefined) managedPolicies.push(managedRole('AWSLambdaVPCAccessExecutionRole'))
    if (p['Tracing'] === 'Active') managedPolicies.push(managed('AWSXrayWriteOnlyAccess'))
  }
  emit(st, r, id, 'AWS::Lambda::Function', fn, { dependsOn: r.dependsOn, ...(r.metadata ? { metadata: r.metadata } : {}) })

  // Function URL
  const url = p['FunctionUrlConfig']
  if (isObj(url)) {
    const urlProps: Obj = { TargetFunctionArn: ref(id), AuthType: url['AuthType'], Cors: url['Cors'], InvokeMode: url['InvokeMode'] }
    st.lines.setContainer(urlProps, st.lines.lineOf(p, 'FunctionUrlConfig') ?? r.line ?? 1)
    setLine(st, urlProps, 'AuthType', url, 'AuthType')
    emit(st, r, `${id}Url`, 'AWS::Lambda::Url', urlProps)
    if (url['AuthType'] === 'NONE') {
      emit(st, r, `${id}UrlPublicPermissions`, 'AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunctionUrl',
        FunctionName: ref(id),
        Principal: '*',
        FunctionUrlAuthType: 'NONE',
      })
    }
  }

  // Alias and version
  const alias = p['AutoPublishAlias']
  if (alias !== undefined) {
    const versionId = `${id}Version${shortHash(fn).slice(0, 10)}`
    emit(st, r, versionId, 'AWS::Lambda::Version', { FunctionName: ref(id) })
    const aliasProps: Obj = { Name: alias, FunctionName: ref(id), FunctionVersion: getAtt(versionId, 'Version') }
    if (p['ProvisionedConcurrencyConfig'] !== undefined) aliasProps['ProvisionedConcurrencyConfig'] = p['ProvisionedConcurrencyConfig']
    emit(st, r, `${id}Alias${alnum(alias) || 'Live'}`, 'AWS::Lambda::Alias', aliasProps)
  }

  // Asynchronous invocation settings
  const eic = p['EventInvokeConfig']
  if (isObj(eic)) {
    const props: Obj = { FunctionName: ref(id), Qualifier: alias !== undefined ? alias : '$LATEST' }
    if (eic['MaximumEventAgeInSeconds'] !== undefined) props['MaximumEventAgeInSeconds'] = eic['MaximumEventAgeInSeconds']
    if (eic['MaximumRetryAttempts'] !== undefined) props['MaximumRetryAttempts'] = eic['MaximumRetryAttempts']
    const dc = eic['DestinationConfig']
    if (isObj(dc)) {
      const out: Obj = {}
      for (const k of ['OnSuccess', 'OnFailure'] as const) {
        const d = dc[k]
        if (isObj(d) && d['Destination'] !== undefined) out[k] = { Destination: d['Destination'] }
        if (isObj(d) && p['Role'] === undefined && d['Destination'] !== undefined) {
          const type = String(d['Type'] ?? '')
          const action = type === 'SQS' ? 'sqs:SendMessage' : type === 'SNS' ? 'sns:Publish' : type === 'Lambda' ? 'lambda:InvokeFunction' : type === 'EventBridge' ? 'events:PutEvents' : undefined
          if (action) inline.push({ Effect: 'Allow', Action: action, Resource: d['Destination'] })
        }
      }
      props['DestinationConfig'] = out
    }
    emit(st, r, `${id}EventInvokeConfig`, 'AWS::Lambda::EventInvokeConfig', props)
  }

  // Event sources
  for (const [eventId, ev] of Object.entries(events)) {
    if (!isObj(ev)) continue
    const type = ev['Type']
    const ep = isObj(ev['Properties']) ? ev['Properties'] : {}
    const evLine = st.lines.lineOf(events, eventId) ?? r.line
    const evFrom: CfnResource = { ...r, line: evLine }
    switch (type) {
      case 'Api':
        addRestRoute(st, evFrom, id, eventId, ep)
        break
      case 'HttpApi':
        addHttpRoute(st, evFrom, id, eventId, ep)
        break
      case 'S3': {
        const bucketRef = ep['Bucket']
        const bucketId = isObj(bucketRef) && typeof bucketRef['Ref'] === 'string' ? bucketRef['Ref'] : undefined
        const bucket = bucketId ? st.byId.get(bucketId) : undefined
        if (!bucket || bucket.type !== 'AWS::S3::Bucket') {
          throw new Error(`event ${eventId} (S3) must name a bucket of this template with !Ref`)
        }
        const nc = (bucket.properties['NotificationConfiguration'] ??= {}) as Obj
        const lc = (nc['LambdaConfigurations'] ??= []) as unknown[]
        const eventsList = Array.isArray(ep['Events']) ? ep['Events'] : [ep['Events']]
        for (const e of eventsList) lc.push({ Event: e, Function: getAtt(id, 'Arn'), ...(ep['Filter'] !== undefined ? { Filter: ep['Filter'] } : {}) })
        emit(st, evFrom, `${id}${eventId}Permission`, 'AWS::Lambda::Permission', {
          Action: 'lambda:InvokeFunction',
          FunctionName: ref(id),
          Principal: 's3.amazonaws.com',
          SourceAccount: ref('AWS::AccountId'),
        })
        break
      }
      case 'SQS':
      case 'Kinesis':
      case 'DynamoDB':
      case 'MSK':
      case 'MQ':
      case 'SelfManagedKafka':
      case 'DocumentDB': {
        const source = type === 'SQS' ? ep['Queue'] : type === 'MQ' ? ep['Broker'] : type === 'MSK' ? ep['Stream'] : type === 'DocumentDB' ? ep['Cluster'] : ep['Stream']
        const esm: Obj = { FunctionName: ref(id) }
        if (source !== undefined) esm['EventSourceArn'] = source
        for (const k of ['BatchSize', 'Enabled', 'FilterCriteria', 'MaximumBatchingWindowInSeconds', 'ScalingConfig', 'FunctionResponseTypes', 'StartingPosition', 'StartingPositionTimestamp', 'MaximumRetryAttempts', 'BisectBatchOnFunctionError', 'MaximumRecordAgeInSeconds', 'ParallelizationFactor', 'DestinationConfig', 'TumblingWindowInSeconds', 'Topics', 'Queues', 'SourceAccessConfigurations', 'KmsKeyArn', 'MetricsConfig']) {
          if (ep[k] !== undefined) esm[k] = ep[k]
        }
        emit(st, evFrom, `${id}${eventId}`, 'AWS::Lambda::EventSourceMapping', esm)
        if (p['Role'] === undefined) {
          if (type === 'SQS') managedPolicies.push(managedRole('AWSLambdaSQSQueueExecutionRole'))
          if (type === 'Kinesis') managedPolicies.push(managedRole('AWSLambdaKinesisExecutionRole'))
          if (type === 'DynamoDB') managedPolicies.push(managedRole('AWSLambdaDynamoDBExecutionRole'))
          if (type === 'MSK') managedPolicies.push(managedRole('AWSLambdaMSKExecutionRole'))
        }
        break
      }
      case 'SNS': {
        const sp: Obj = { Endpoint: getAtt(id, 'Arn'), Protocol: 'lambda', TopicArn: ep['Topic'] }
        if (ep['FilterPolicy'] !== undefined) sp['FilterPolicy'] = ep['FilterPolicy']
        if (ep['Region'] !== undefined) sp['Region'] = ep['Region']
        emit(st, evFrom, `${id}${eventId}`, 'AWS::SNS::Subscription', sp)
        emit(st, evFrom, `${id}${eventId}Permission`, 'AWS::Lambda::Permission', {
          Action: 'lambda:InvokeFunction',
          FunctionName: ref(id),
          Principal: 'sns.amazonaws.com',
          SourceArn: ep['Topic'],
        })
        break
      }
      case 'Schedule':
      case 'CloudWatchEvent':
      case 'EventBridgeRule': {
        const rule: Obj = {
          Targets: [{ Arn: getAtt(id, 'Arn'), Id: `${id}${eventId}LambdaTarget`, ...(ep['Input'] !== undefined ? { Input: ep['Input'] } : {}) }],
        }
        if (type === 'Schedule') {
          rule['ScheduleExpression'] = ep['Schedule']
          rule['State'] = ep['State'] ?? (ep['Enabled'] === false ? 'DISABLED' : 'ENABLED')
        } else {
          rule['EventPattern'] = ep['Pattern']
          if (ep['EventBusName'] !== undefined) rule['EventBusName'] = ep['EventBusName']
          if (ep['State'] !== undefined) rule['State'] = ep['State']
        }
        if (ep['Name'] !== undefined) rule['Name'] = ep['Name']
        if (ep['Description'] !== undefined) rule['Description'] = ep['Description']
        emit(st, evFrom, `${id}${eventId}`, 'AWS::Events::Rule', rule)
        emit(st, evFrom, `${id}${eventId}Permission`, 'AWS::Lambda::Permission', {
          Action: 'lambda:InvokeFunction',
          FunctionName: ref(id),
          Principal: 'events.amazonaws.com',
          SourceArn: getAtt(`${id}${eventId}`, 'Arn'),
        })
        break
      }
      case 'ScheduleV2': {
        emit(st, evFrom, `${id}${eventId}`, 'AWS::Scheduler::Schedule', {
          ScheduleExpression: ep['ScheduleExpression'],
          FlexibleTimeWindow: ep['FlexibleTimeWindow'] ?? { Mode: 'OFF' },
          State: ep['State'] ?? 'ENABLED',
          Target: { Arn: getAtt(id, 'Arn'), RoleArn: ep['RoleArn'] ?? getAtt(`${id}${eventId}Role`, 'Arn') },
        })
        if (ep['RoleArn'] === undefined) {
          emit(st, evFrom, `${id}${eventId}Role`, 'AWS::IAM::Role', {
            AssumeRolePolicyDocument: assumeRole('scheduler.amazonaws.com'),
            Policies: [{ PolicyName: `${id}${eventId}LambdaPolicy`, PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: getAtt(id, 'Arn') }] } }],
          })
        }
        break
      }
      case 'CloudWatchLogs':
        emit(st, evFrom, `${id}${eventId}`, 'AWS::Logs::SubscriptionFilter', {
          DestinationArn: getAtt(id, 'Arn'),
          FilterPattern: ep['FilterPattern'],
          LogGroupName: ep['LogGroupName'],
        })
        emit(st, evFrom, `${id}${eventId}Permission`, 'AWS::Lambda::Permission', {
          Action: 'lambda:InvokeFunction',
          FunctionName: ref(id),
          Principal: sub('logs.${AWS::Region}.amazonaws.com'),
          SourceArn: sub(`arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:\${LogGroupName}:*`),
        })
        break
      case 'IoTRule':
        emit(st, evFrom, `${id}${eventId}`, 'AWS::IoT::TopicRule', {
          TopicRulePayload: { Sql: ep['Sql'], AwsIotSqlVersion: ep['AwsIotSqlVersion'], RuleDisabled: false, Actions: [{ Lambda: { FunctionArn: getAtt(id, 'Arn') } }] },
        })
        emit(st, evFrom, `${id}${eventId}Permission`, 'AWS::Lambda::Permission', { Action: 'lambda:InvokeFunction', FunctionName: ref(id), Principal: 'iot.amazonaws.com', SourceAccount: ref('AWS::AccountId') })
        break
      case 'AlexaSkill':
        emit(st, evFrom, `${id}${eventId}Permission`, 'AWS::Lambda::Permission', {
          Action: 'lambda:InvokeFunction',
          FunctionName: ref(id),
          Principal: 'alexa-appkit.amazon.com',
          ...(ep['SkillId'] !== undefined ? { EventSourceToken: ep['SkillId'] } : {}),
        })
        break
      case 'Cognito': {
        const poolRef = ep['UserPool']
        const poolId = isObj(poolRef) && typeof poolRef['Ref'] === 'string' ? poolRef['Ref'] : undefined
        const pool = poolId ? st.byId.get(poolId) : undefined
        if (pool) {
          const lc = (pool.properties['LambdaConfig'] ??= {}) as Obj
          for (const trig of Array.isArray(ep['Trigger']) ? ep['Trigger'] : [ep['Trigger']]) if (typeof trig === 'string') lc[trig] = getAtt(id, 'Arn')
        }
        emit(st, evFrom, `${id}${eventId}Permission`, 'AWS::Lambda::Permission', { Action: 'lambda:InvokeFunction', FunctionName: ref(id), Principal: 'cognito-idp.amazonaws.com', SourceArn: poolRef !== undefined ? getAtt(poolId ?? 'UserPool', 'Arn') : undefined })
        break
      }
      default:
        st.diagnostics.push({
          code: 'PW_ERR_SAM_INVALID',
          level: 'warning',
          message: `Event ${eventId} of ${id} has type ${typeof type === 'string' ? type : 'unknown'} that PhiWall does not expand in ${st.tpl.file}${evLine ? ` at line ${evLine}` : ''}; it is not part of the inventory.`,
          file: st.tpl.file,
          ...(evLine !== undefined ? { line: evLine } : {}),
        })
    }
  }

  if (p['Role'] !== undefined) return
  // The execution role SAM creates
  const policies = p['Policies']
  const list = Array.isArray(policies) ? policies : policies !== undefined ? [policies] : []
  const inlineDocs: Obj[] = []
  for (const pol of list) {
    if (typeof pol === 'string') {
      managedPolicies.push(pol.startsWith('arn:') ? pol : managed(pol))
    } else if (isObj(pol) && isIntrinsic(pol)) {
      managedPolicies.push(pol)
    } else if (isObj(pol) && 'Statement' in pol) {
      inlineDocs.push(pol)
    } else if (isObj(pol) && Object.keys(pol).length === 1) {
      const name = Object.keys(pol)[0]!
      const tplDef = SAM_POLICY_TEMPLATES[name]
      if (!tplDef) {
        const l = st.lines.lineOf(pol) ?? r.line
        st.diagnostics.push({
          code: 'PW_ERR_SAM_INVALID',
          level: 'warning',
          message: `Policy template ${name} of ${id} is not known to PhiWall in ${st.tpl.file}${l ? ` at line ${l}` : ''}; its permissions are not judged.`,
          file: st.tpl.file,
          ...(l !== undefined ? { line: l } : {}),
        })
        continue
      }
      const args = isObj(pol[name]) ? (pol[name] as Obj) : {}
      const doc: Obj = {
        Version: '2012-10-17',
        Statement: tplDef.statements.map((s) => ({
          Effect: 'Allow',
          Action: s.actions,
          Resource: s.resources.map((res) => templateResource(res, args)),
        })),
      }
      st.lines.setContainer(doc, st.lines.lineOf(pol) ?? r.line ?? 1)
      inlineDocs.push(doc)
    }
  }
  if (inline.length) inlineDocs.push({ Version: '2012-10-17', Statement: inline })
  if (isObj(dlq) && dlq['TargetArn'] !== undefined) {
    const action = dlq['Type'] === 'SNS' ? 'sns:Publish' : 'sqs:SendMessage'
    inlineDocs.push({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: dlq['TargetArn'] }] })
  }
  const role: Obj = {
    AssumeRolePolicyDocument: p['AssumeRolePolicyDocument'] ?? assumeRole('lambda.amazonaws.com'),
    ManagedPolicyArns: managedPolicies,
    Tags: tagsList(p['Tags'], { 'lambda:createdBy': 'SAM' }),
  }
  st.lines.setContainer(role, r.line ?? 1)
  if (inlineDocs.length) {
    role['Policies'] = inlineDocs.map((d, i) => ({ PolicyName: `${id}RolePolicy${i}`, PolicyDocument: d }))
    setLine(st, role, 'Policies', p, 'Policies')
  }
  setLine(st, role, 'ManagedPolicyArns', p, 'Policies')
  if (p['PermissionsBoundary'] !== undefined) role['PermissionsBoundary'] = p['PermissionsBoundary']
  if (p['RolePath'] !== undefined) role['Path'] = p['RolePath']
  emit(st, r, `${id}Role`, 'AWS::IAM::Role', role)
}

function templateResource(pattern: string, args: Obj): unknown {
  const vars: Obj = {}
  for (const m of pattern.matchAll(/\$\{([A-Za-z0-9]+)\}/g)) {
    const name = m[1]!
    if (name in args) vars[name] = args[name]
  }
  const allStrings = Object.values(vars).every((v) => typeof v === 'string' || typeof v === 'number')
  if (allStrings) {
    const s = pattern.replace(/\$\{([A-Za-z0-9]+)\}/g, (w, n: string) => (n in vars ? String(vars[n]) : w))
    return s.includes('${') ? sub(s) : s
  }
  return { 'Fn::Sub': [pattern, vars] }
}

function assumeRole(service: string): Obj {
  return { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: [service] }, Action: ['sts:AssumeRole'] }] }
}

// ---------------------------------------------------------------------------------------------
// REST APIs

function expandApi(r: CfnResource, st: SamState): void {
  const p = withGlobals(st, 'Api', r.properties)
  const id = r.logicalId
  const body: Obj = isObj(p['DefinitionBody']) ? (p['DefinitionBody'] as Obj) : { swagger: '2.0', info: { title: p['Name'] ?? ref('AWS::StackName'), version: '1.0' }, paths: {} }
  // a definition included from a file (Fn::Transform AWS::Include) or stored in S3 is not
  // edited by SAM: routes of events are not added to it (their permissions still are)
  const external = isIntrinsic(body) || (p['DefinitionUri'] !== undefined && p['DefinitionBody'] === undefined)
  if (!external && !isObj(body['paths'])) body['paths'] = {}
  st.restBodies.set(id, external ? null : body)
  st.restAuth.set(id, isObj(p['Auth']) ? (p['Auth'] as Obj) : {})
  const api = pick(p, st, { Name: 'Name', BinaryMediaTypes: 'BinaryMediaTypes', MinimumCompressionSize: 'MinimumCompressionSize', DisableExecuteApiEndpoint: 'DisableExecuteApiEndpoint', ApiKeySourceType: 'ApiKeySourceType', Mode: 'Mode', FailOnWarnings: 'FailOnWarnings', Description: 'Description' })
  if (p['DefinitionUri'] !== undefined && p['DefinitionBody'] === undefined) {
    api['BodyS3Location'] = p['DefinitionUri']
    setLine(st, api, 'BodyS3Location', p, 'DefinitionUri')
  } else {
    api['Body'] = body
    setLine(st, api, 'Body', p, p['DefinitionBody'] !== undefined ? 'DefinitionBody' : undefined)
  }
  const ec = p['EndpointConfiguration']
  if (ec !== undefined) {
    api['EndpointConfiguration'] = typeof ec === 'string' ? { Types: [ec] } : isObj(ec) ? { Types: [ec['Type']], ...(ec['VPCEndpointIds'] !== undefined ? { VpcEndpointIds: ec['VPCEndpointIds'] } : {}) } : ec
    setLine(st, api, 'EndpointConfiguration', p, 'EndpointConfiguration')
  }
  const auth = st.restAuth.get(id)!
  const rp = auth['ResourcePolicy']
  if (isObj(rp)) {
    const statements: unknown[] = []
    if (Array.isArray(rp['CustomStatements'])) statements.push(...rp['CustomStatements'])
    else if (isObj(rp['CustomStatements'])) statements.push(rp['CustomStatements'])
    for (const [k, effect] of [
      ['SourceVpcWhitelist', 'Allow'],
      ['SourceVpcBlacklist', 'Deny'],
      ['IpRangeWhitelist', 'Allow'],
      ['IpRangeBlacklist', 'Deny'],
      ['AwsAccountWhitelist', 'Allow'],
      ['AwsAccountBlacklist', 'Deny'],
    ] as const) {
      if (rp[k] !== undefined) statements.push({ Effect: effect, Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*', Condition: { [`phiwall:sam:${k}`]: rp[k] } })
    }
    api['Policy'] = { Version: '2012-10-17', Statement: statements }
  }
  api['Tags'] = tagsList(p['Tags'])
  emit(st, r, id, 'AWS::ApiGateway::RestApi', api, { dependsOn: r.dependsOn })
  addRestStage(st, r, id, p)
  const up = auth['UsagePlan']
  if (isObj(up) && up['CreateUsagePlan'] !== undefined && up['CreateUsagePlan'] !== 'NONE') {
    const shared = up['CreateUsagePlan'] === 'SHARED'
    const planId = shared ? 'ServerlessUsagePlan' : `${id}UsagePlan`
    const existing = st.byId.get(planId)
    const stage = { ApiId: ref(id), Stage: ref(stageId(id, p['StageName'])) }
    if (existing) (existing.properties['ApiStages'] as unknown[]).push(stage)
    else {
      emit(st, r, planId, 'AWS::ApiGateway::UsagePlan', { ApiStages: [stage], Quota: up['Quota'], Throttle: up['Throttle'], UsagePlanName: up['UsagePlanName'] })
      emit(st, r, shared ? 'ServerlessApiKey' : `${id}ApiKey`, 'AWS::ApiGateway::ApiKey', { Enabled: true, StageKeys: [stage] })
      emit(st, r, shared ? 'ServerlessUsagePlanKey' : `${id}UsagePlanKey`, 'AWS::ApiGateway::UsagePlanKey', { KeyId: ref(shared ? 'ServerlessApiKey' : `${id}ApiKey`), KeyType: 'API_KEY', UsagePlanId: ref(planId) })
    }
  }
  const domain = p['Domain']
  if (isObj(domain)) {
    const dn: Obj = { DomainName: domain['DomainName'], SecurityPolicy: domain['SecurityPolicy'] }
    const regional = domain['EndpointConfiguration'] !== 'EDGE'
    dn[regional ? 'RegionalCertificateArn' : 'CertificateArn'] = domain['CertificateArn']
    dn['EndpointConfiguration'] = { Types: [regional ? 'REGIONAL' : 'EDGE'] }
    if (domain['MutualTlsAuthentication'] !== undefined) dn['MutualTlsAuthentication'] = domain['MutualTlsAuthentication']
    setLine(st, dn, 'SecurityPolicy', domain, 'SecurityPolicy')
    emit(st, r, `ApiGatewayDomainName${shortHash(domain['DomainName'])}`, 'AWS::ApiGateway::DomainName', dn)
  }
}

function stageId(apiId: string, stageName: unknown): string {
  return `${apiId}${alnum(stageName) || 'Stage'}Stage`
}

function addRestStage(st: SamState, r: CfnResource, apiId: string, p: Obj): void {
  const stageName = p['StageName'] ?? 'Prod'
  const deploymentId = `${apiId}Deployment${shortHash([apiId, stageName]).slice(0, 10)}`
  emit(st, r, deploymentId, 'AWS::ApiGateway::Deployment', { RestApiId: ref(apiId), Description: `RestApi deployment id: ${deploymentId}` })
  const stage = pick(p, st, {
    AccessLogSetting: 'AccessLogSetting',
    MethodSettings: 'MethodSettings',
    TracingEnabled: 'TracingEnabled',
    CacheClusterEnabled: 'CacheClusterEnabled',
    CacheClusterSize: 'CacheClusterSize',
    Variables: 'Variables',
    CanarySetting: 'CanarySetting',
  })
  stage['StageName'] = stageName
  stage['RestApiId'] = ref(apiId)
  stage['DeploymentId'] = ref(deploymentId)
  stage['Tags'] = tagsList(p['Tags'])
  emit(st, r, stageId(apiId, stageName), 'AWS::ApiGateway::Stage', stage)
}

function apiIdOf(v: unknown): string | undefined {
  return isObj(v) && typeof v['Ref'] === 'string' ? v['Ref'] : undefined
}

function addRestRoute(st: SamState, ev: CfnResource, fnId: string, eventId: string, ep: Obj): void {
  let apiId = apiIdOf(ep['RestApiId'])
  if (apiId === undefined) {
    if (!st.implicitRest) {
      const implicitProps: Obj = {}
      const implicit: CfnResource = { logicalId: 'ServerlessRestApi', type: 'AWS::Serverless::Api', properties: implicitProps, line: ev.line, dependsOn: [], generatedFrom: ev.logicalId }
      st.lines.setContainer(implicitProps, ev.line ?? 1)
      expandApi(implicit, st)
      st.implicitRest = st.byId.get('ServerlessRestApi')
    }
    apiId = 'ServerlessRestApi'
  }
  if (!st.restBodies.has(apiId)) throw new Error(`event ${eventId} names RestApiId ${apiId}, which is not an AWS::Serverless::Api of this template`)
  const body = st.restBodies.get(apiId) ?? null
  const path = typeof ep['Path'] === 'string' ? ep['Path'] : '/'
  const method = typeof ep['Method'] === 'string' ? ep['Method'].toLowerCase() : 'get'
  const paths = (body?.['paths'] ?? {}) as Obj
  const entry = (paths[path] ??= {}) as Obj
  const op: Obj = {
    'x-amazon-apigateway-integration': {
      type: 'aws_proxy',
      httpMethod: 'POST',
      uri: sub(`arn:\${AWS::Partition}:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${${fnId}.Arn}/invocations`),
    },
    responses: {},
    'x-phiwall-function': fnId,
  }
  const auth = st.restAuth.get(apiId) ?? {}
  const evAuth = isObj(ep['Auth']) ? ep['Auth'] : {}
  const authorizer = evAuth['Authorizer'] ?? auth['DefaultAuthorizer']
  const security: Obj[] = []
  if (typeof authorizer === 'string' && authorizer !== 'NONE') security.push({ [authorizer]: Array.isArray(evAuth['AuthorizationScopes']) ? evAuth['AuthorizationScopes'] : [] })
  const apiKey = evAuth['ApiKeyRequired'] ?? auth['ApiKeyRequired']
  if (apiKey === true) security.push({ api_key: [] })
  if (security.length) op['security'] = security
  else if (authorizer === 'NONE') op['security'] = []
  entry[method === 'any' ? 'x-amazon-apigateway-any-method' : method] = op
  st.lines.setContainer(op, ev.line ?? 1)
  st.lines.setChild(entry, method === 'any' ? 'x-amazon-apigateway-any-method' : method, ev.line ?? 1)
  if (!st.lines.lineOf(paths, path)) st.lines.setChild(paths, path, ev.line ?? 1)
  const stageName = 'Prod'
  emit(st, ev, `${fnId}${eventId}Permission${alnum(stageName)}`, 'AWS::Lambda::Permission', {
    Action: 'lambda:InvokeFunction',
    FunctionName: ref(fnId),
    Principal: 'apigateway.amazonaws.com',
    SourceArn: sub(`arn:\${AWS::Partition}:execute-api:\${AWS::Region}:\${AWS::AccountId}:\${${apiId}}/*/${method === 'any' ? '*' : method.toUpperCase()}${path.replace(/\{[^}]+\}/g, '*')}`),
  })
}

// ---------------------------------------------------------------------------------------------
// HTTP APIs

function expandHttpApi(r: CfnResource, st: SamState): void {
  const p = withGlobals(st, 'HttpApi', r.properties)
  const id = r.logicalId
  const body: Obj = isObj(p['DefinitionBody']) ? (p['DefinitionBody'] as Obj) : { openapi: '3.0.1', info: { title: ref('AWS::StackName'), version: '1.0' }, paths: {} }
  const external = isIntrinsic(body) || (p['DefinitionUri'] !== undefined && p['DefinitionBody'] === undefined)
  if (!external && !isObj(body['paths'])) body['paths'] = {}
  st.httpBodies.set(id, external ? null : body)
  st.httpAuth.set(id, isObj(p['Auth']) ? (p['Auth'] as Obj) : {})
  const api = pick(p, st, { DisableExecuteApiEndpoint: 'DisableExecuteApiEndpoint', FailOnWarnings: 'FailOnWarnings', Description: 'Description', CorsConfiguration: 'CorsConfiguration', Name: 'Name' })
  if (p['DefinitionUri'] !== undefined && p['DefinitionBody'] === undefined) api['BodyS3Location'] = p['DefinitionUri']
  else api['Body'] = body
  if (isObj(p['Tags'])) api['Tags'] = { ...(p['Tags'] as Obj), 'httpapi:createdBy': 'SAM' }
  emit(st, r, id, 'AWS::ApiGatewayV2::Api', api, { dependsOn: r.dependsOn })
  const stageName = p['StageName']
  const stage = pick(p, st, { AccessLogSettings: 'AccessLogSettings', DefaultRouteSettings: 'DefaultRouteSettings', RouteSettings: 'RouteSettings', StageVariables: 'StageVariables' })
  stage['ApiId'] = ref(id)
  stage['StageName'] = stageName ?? '$default'
  stage['AutoDeploy'] = true
  if (isObj(p['Tags'])) stage['Tags'] = p['Tags']
  emit(st, r, stageName === undefined ? `${id}ApiGatewayDefaultStage` : stageId(id, stageName), 'AWS::ApiGatewayV2::Stage', stage)
  const domain = p['Domain']
  if (isObj(domain)) {
    emit(st, r, `ApiGatewayDomainNameV2${shortHash(domain['DomainName'])}`, 'AWS::ApiGatewayV2::DomainName', {
      DomainName: domain['DomainName'],
      DomainNameConfigurations: [{ CertificateArn: domain['CertificateArn'], EndpointType: domain['EndpointConfiguration'] ?? 'REGIONAL', SecurityPolicy: domain['SecurityPolicy'] }],
    })
  }
}

function addHttpRoute(st: SamState, ev: CfnResource, fnId: string, eventId: string, ep: Obj): void {
  let apiId = apiIdOf(ep['ApiId'])
  if (apiId === undefined) {
    if (!st.implicitHttp) {
      const implicitProps: Obj = {}
      st.lines.setContainer(implicitProps, ev.line ?? 1)
      expandHttpApi({ logicalId: 'ServerlessHttpApi', type: 'AWS::Serverless::HttpApi', properties: implicitProps, line: ev.line, dependsOn: [], generatedFrom: ev.logicalId }, st)
      st.implicitHttp = st.byId.get('ServerlessHttpApi')
    }
    apiId = 'ServerlessHttpApi'
  }
  if (!st.httpBodies.has(apiId)) throw new Error(`event ${eventId} names ApiId ${apiId}, which is not an AWS::Serverless::HttpApi of this template`)
  const body = st.httpBodies.get(apiId) ?? null
  const path = typeof ep['Path'] === 'string' ? ep['Path'] : '$default'
  const method = typeof ep['Method'] === 'string' ? ep['Method'].toLowerCase() : 'any'
  const paths = (body?.['paths'] ?? {}) as Obj
  const entry = (paths[path] ??= {}) as Obj
  const op: Obj = {
    'x-amazon-apigateway-integration': {
      type: 'aws_proxy',
      httpMethod: 'POST',
      uri: getAtt(fnId, 'Arn'),
      payloadFormatVersion: ep['PayloadFormatVersion'] ?? '2.0',
    },
    responses: {},
    'x-phiwall-function': fnId,
  }
  const auth = st.httpAuth.get(apiId) ?? {}
  const evAuth = isObj(ep['Auth']) ? ep['Auth'] : {}
  const authorizer = evAuth['Authorizer'] ?? auth['DefaultAuthorizer']
  if (typeof authorizer === 'string' && authorizer !== 'NONE') op['security'] = [{ [authorizer]: Array.isArray(evAuth['AuthorizationScopes']) ? evAuth['AuthorizationScopes'] : [] }]
  else if (authorizer === 'NONE') op['security'] = []
  entry[method === 'any' ? 'x-amazon-apigateway-any-method' : method] = op
  st.lines.setContainer(op, ev.line ?? 1)
  st.lines.setChild(entry, method === 'any' ? 'x-amazon-apigateway-any-method' : method, ev.line ?? 1)
  if (!st.lines.lineOf(paths, path)) st.lines.setChild(paths, path, ev.line ?? 1)
  emit(st, ev, `${fnId}${eventId}Permission`, 'AWS::Lambda::Permission', {
    Action: 'lambda:InvokeFunction',
    FunctionName: ref(fnId),
    Principal: 'apigateway.amazonaws.com',
    SourceArn: sub(`arn:\${AWS::Partition}:execute-api:\${AWS::Region}:\${AWS::AccountId}:\${${apiId}}/*`),
  })
}

/** Write the authorizers of each API into its definition, as SAM does. */
function finishApis(st: SamState): void {
  for (const [apiId, body] of st.restBodies) {
    if (!body) continue
    const auth = st.restAuth.get(apiId) ?? {}
    const defs = ((body['securityDefinitions'] as Obj | undefined) ?? {}) as Obj
    const authorizers = isObj(auth['Authorizers']) ? auth['Authorizers'] : {}
    for (const [name, a] of Object.entries(authorizers)) {
      if (!isObj(a)) continue
      if (a['UserPoolArn'] !== undefined) {
        defs[name] = { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'cognito_user_pools', 'x-amazon-apigateway-authorizer': { type: 'cognito_user_pools', providerARNs: Array.isArray(a['UserPoolArn']) ? a['UserPoolArn'] : [a['UserPoolArn']] } }
      } else if (a['FunctionArn'] !== undefined) {
        const payload = a['FunctionPayloadType'] === 'REQUEST' ? 'request' : 'token'
        defs[name] = { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'custom', 'x-amazon-apigateway-authorizer': { type: payload, authorizerUri: a['FunctionArn'] } }
      }
    }
    if (auth['DefaultAuthorizer'] === 'AWS_IAM' || JSON.stringify(body['paths']).includes('"AWS_IAM"')) {
      defs['AWS_IAM'] = { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'awsSigv4' }
    }
    if (JSON.stringify(body['paths']).includes('"api_key"')) defs['api_key'] = { type: 'apiKey', name: 'x-api-key', in: 'header' }
    if (Object.keys(defs).length) body['securityDefinitions'] = defs
  }
  for (const [apiId, body] of st.httpBodies) {
    if (!body) continue
    const auth = st.httpAuth.get(apiId) ?? {}
    const components = ((body['components'] as Obj | undefined) ?? {}) as Obj
    const schemes = ((components['securitySchemes'] as Obj | undefined) ?? {}) as Obj
    const authorizers = isObj(auth['Authorizers']) ? auth['Authorizers'] : {}
    for (const [name, a] of Object.entries(authorizers)) {
      if (!isObj(a)) continue
      if (a['JwtConfiguration'] !== undefined) {
        schemes[name] = { type: 'oauth2', 'x-amazon-apigateway-authorizer': { type: 'jwt', jwtConfiguration: a['JwtConfiguration'], identitySource: a['IdentitySource'] } }
      } else if (a['FunctionArn'] !== undefined) {
        schemes[name] = { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authorizer': { type: 'request', authorizerUri: a['FunctionArn'], authorizerPayloadFormatVersion: a['AuthorizerPayloadFormatVersion'] } }
      }
    }
    if (auth['EnableIamAuthorizer'] === true) schemes['AWS_IAM'] = { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'awsSigv4' }
    if (Object.keys(schemes).length) {
      components['securitySchemes'] = schemes
      body['components'] = components
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Tables, state machines, connectors

function expandSimpleTable(r: CfnResource, st: SamState): void {
  const p = withGlobals(st, 'SimpleTable', r.properties)
  const pk = isObj(p['PrimaryKey']) ? p['PrimaryKey'] : { Name: 'id', Type: 'String' }
  const t = String(pk['Type'] ?? 'String')
  const table = pick(p, st, { TableName: 'TableName', ProvisionedThroughput: 'ProvisionedThroughput', SSESpecification: 'SSESpecification', PointInTimeRecoverySpecification: 'PointInTimeRecoverySpecification' })
  table['AttributeDefinitions'] = [{ AttributeName: pk['Name'], AttributeType: t === 'Number' ? 'N' : t === 'Binary' ? 'B' : 'S' }]
  table['KeySchema'] = [{ AttributeName: pk['Name'], KeyType: 'HASH' }]
  if (p['ProvisionedThroughput'] === undefined) table['BillingMode'] = 'PAY_PER_REQUEST'
  table['Tags'] = tagsList(p['Tags'])
  setLine(st, table, 'Tags', p, 'Tags')
  emit(st, r, r.logicalId, 'AWS::DynamoDB::Table', table, { dependsOn: r.dependsOn })
}

function expandStateMachine(r: CfnResource, st: SamState): void {
  const p = r.properties
  const id = r.logicalId
  const sm = pick(p, st, { Definition: 'Definition', DefinitionUri: 'DefinitionS3Location', DefinitionSubstitutions: 'DefinitionSubstitutions', Name: 'StateMachineName', Type: 'StateMachineType', Logging: 'LoggingConfiguration', Tracing: 'TracingConfiguration', PermissionsBoundary: 'PermissionsBoundary' })
  sm['RoleArn'] = p['Role'] ?? getAtt(`${id}Role`, 'Arn')
  sm['Tags'] = tagsList(p['Tags'], { 'stateMachine:createdBy': 'SAM' })
  emit(st, r, id, 'AWS::StepFunctions::StateMachine', sm, { dependsOn: r.dependsOn })
  if (p['Role'] === undefined) {
    const list = Array.isArray(p['Policies']) ? p['Policies'] : p['Policies'] !== undefined ? [p['Policies']] : []
    const managedArns: unknown[] = []
    const docs: Obj[] = []
    for (const pol of list) {
      if (typeof pol === 'string') managedArns.push(pol.startsWith('arn:') ? pol : managed(pol))
      else if (isObj(pol) && 'Statement' in pol) docs.push(pol)
      else if (isObj(pol) && Object.keys(pol).length === 1 && SAM_POLICY_TEMPLATES[Object.keys(pol)[0]!]) {
        const name = Object.keys(pol)[0]!
        const args = isObj(pol[name]) ? (pol[name] as Obj) : {}
        docs.push({ Version: '2012-10-17', Statement: SAM_POLICY_TEMPLATES[name]!.statements.map((s) => ({ Effect: 'Allow', Action: s.actions, Resource: s.resources.map((x) => templateResource(x, args)) })) })
      }
    }
    emit(st, r, `${id}Role`, 'AWS::IAM::Role', {
      AssumeRolePolicyDocument: assumeRole('states.amazonaws.com'),
      ManagedPolicyArns: managedArns,
      ...(docs.length ? { Policies: docs.map((d, i) => ({ PolicyName: `${id}RolePolicy${i}`, PolicyDocument: d })) } : {}),
    })
  }
  const events = isObj(p['Events']) ? p['Events'] : {}
  for (const [eventId, ev] of Object.entries(events)) {
    if (!isObj(ev)) continue
    const ep = isObj(ev['Properties']) ? ev['Properties'] : {}
    const evFrom: CfnResource = { ...r, line: st.lines.lineOf(events, eventId) ?? r.line }
    if (ev['Type'] === 'Schedule' || ev['Type'] === 'CloudWatchEvent' || ev['Type'] === 'EventBridgeRule') {
      const rule: Obj = { Targets: [{ Arn: ref(id), Id: `${id}${eventId}StepFunctionsTarget`, RoleArn: getAtt(`${id}${eventId}Role`, 'Arn') }] }
      if (ev['Type'] === 'Schedule') rule['ScheduleExpression'] = ep['Schedule']
      else rule['EventPattern'] = ep['Pattern']
      emit(st, evFrom, `${id}${eventId}`, 'AWS::Events::Rule', rule)
      emit(st, evFrom, `${id}${eventId}Role`, 'AWS::IAM::Role', {
        AssumeRolePolicyDocument: assumeRole('events.amazonaws.com'),
        Policies: [{ PolicyName: `${id}${eventId}RoleStartExecutionPolicy`, PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'states:StartExecution', Resource: ref(id) }] } }],
      })
    } else if (ev['Type'] === 'Api') {
      addRestRouteToStateMachine(st, evFrom, id, ep)
    }
  }
}

function addRestRouteToStateMachine(st: SamState, ev: CfnResource, smId: string, ep: Obj): void {
  let apiId = apiIdOf(ep['RestApiId'])
  if (apiId === undefined) {
    if (!st.implicitRest) {
      const implicitProps: Obj = {}
      st.lines.setContainer(implicitProps, ev.line ?? 1)
      expandApi({ logicalId: 'ServerlessRestApi', type: 'AWS::Serverless::Api', properties: implicitProps, line: ev.line, dependsOn: [], generatedFrom: ev.logicalId }, st)
      st.implicitRest = st.byId.get('ServerlessRestApi')
    }
    apiId = 'ServerlessRestApi'
  }
  const body = st.restBodies.get(apiId)
  if (!body) return
  const paths = body['paths'] as Obj
  const entry = (paths[typeof ep['Path'] === 'string' ? ep['Path'] : '/'] ??= {}) as Obj
  const auth = st.restAuth.get(apiId) ?? {}
  const evAuth = isObj(ep['Auth']) ? ep['Auth'] : {}
  const authorizer = evAuth['Authorizer'] ?? auth['DefaultAuthorizer']
  entry[typeof ep['Method'] === 'string' ? ep['Method'].toLowerCase() : 'post'] = {
    'x-amazon-apigateway-integration': { type: 'aws', httpMethod: 'POST', uri: sub('arn:${AWS::Partition}:apigateway:${AWS::Region}:states:action/StartExecution') },
    responses: {},
    'x-phiwall-state-machine': smId,
    ...(typeof authorizer === 'string' && authorizer !== 'NONE' ? { security: [{ [authorizer]: [] }] } : {}),
  }
}

/** Access each connector profile grants, by destination type and permission. */
const CONNECTOR_ACTIONS: Record<string, { Read?: string[]; Write?: string[] }> = {
  'AWS::DynamoDB::Table': {
    Read: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:BatchGetItem', 'dynamodb:ConditionCheckItem', 'dynamodb:PartiQLSelect'],
    Write: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:PartiQLDelete', 'dynamodb:PartiQLInsert', 'dynamodb:PartiQLUpdate'],
  },
  'AWS::S3::Bucket': {
    Read: ['s3:GetObject', 's3:GetObjectAcl', 's3:GetObjectLegalHold', 's3:GetObjectRetention', 's3:GetObjectTorrent', 's3:GetObjectVersion', 's3:GetObjectVersionAcl', 's3:GetObjectVersionForReplication', 's3:GetObjectVersionTorrent', 's3:ListBucket', 's3:ListBucketMultipartUploads', 's3:ListBucketVersions', 's3:ListMultipartUploadParts'],
    Write: ['s3:AbortMultipartUpload', 's3:DeleteObject', 's3:DeleteObjectVersion', 's3:PutObject', 's3:PutObjectLegalHold', 's3:PutObjectRetention', 's3:RestoreObject'],
  },
  'AWS::SQS::Queue': { Read: ['sqs:ReceiveMessage', 'sqs:GetQueueAttributes'], Write: ['sqs:DeleteMessage', 'sqs:SendMessage', 'sqs:ChangeMessageVisibility', 'sqs:PurgeQueue'] },
  'AWS::SNS::Topic': { Write: ['sns:Publish'] },
  'AWS::Lambda::Function': { Read: ['lambda:GetFunction'], Write: ['lambda:InvokeAsync', 'lambda:InvokeFunction'] },
  'AWS::Serverless::Function': { Read: ['lambda:GetFunction'], Write: ['lambda:InvokeAsync', 'lambda:InvokeFunction'] },
  'AWS::StepFunctions::StateMachine': { Read: ['states:DescribeStateMachine', 'states:ListExecutions'], Write: ['states:StartExecution', 'states:StartSyncExecution', 'states:StopExecution'] },
  'AWS::Events::EventBus': { Write: ['events:PutEvents'] },
  'AWS::Kinesis::Stream': { Read: ['kinesis:DescribeStream', 'kinesis:GetRecords', 'kinesis:GetShardIterator'], Write: ['kinesis:PutRecord', 'kinesis:PutRecords'] },
}

function expandConnector(connId: string, p: Obj, r: CfnResource, st: SamState): void {
  const source = isObj(p['Source']) ? p['Source'] : {}
  const destinations = Array.isArray(p['Destination']) ? p['Destination'] : [p['Destination']]
  const perms = Array.isArray(p['Permissions']) ? p['Permissions'].filter((x): x is string => typeof x === 'string') : []
  const srcId = typeof source['Id'] === 'string' ? source['Id'] : undefined
  const srcRes = srcId ? st.byId.get(srcId) : undefined
  const srcType = srcRes?.type ?? (typeof source['Type'] === 'string' ? source['Type'] : undefined)
  const roleRef = srcId && (srcType === 'AWS::Serverless::Function' || srcType === 'AWS::Lambda::Function' || srcType === 'AWS::Serverless::StateMachine' || srcType === 'AWS::StepFunctions::StateMachine') ? ref(`${srcId}Role`) : source['RoleName']
  const statements: Obj[] = []
  destinations.forEach((d) => {
    if (!isObj(d)) return
    const dId = typeof d['Id'] === 'string' ? d['Id'] : undefined
    const dRes = dId ? st.byId.get(dId) : undefined
    const dType = dRes?.type === 'AWS::Serverless::SimpleTable' ? 'AWS::DynamoDB::Table' : dRes?.type ?? (typeof d['Type'] === 'string' ? d['Type'] : undefined)
    const profile = dType ? CONNECTOR_ACTIONS[dType] : undefined
    if (!profile) return
    const arn = dId ? (dType === 'AWS::SQS::Queue' || dType === 'AWS::StepFunctions::StateMachine' || dType === 'AWS::SNS::Topic' ? (dType === 'AWS::SQS::Queue' ? getAtt(dId, 'Arn') : ref(dId)) : getAtt(dId, 'Arn')) : d['Arn']
    for (const perm of perms) {
      const actions = profile[perm as 'Read' | 'Write']
      if (!actions) continue
      const resources: unknown[] = [arn]
      if (dType === 'AWS::S3::Bucket' && dId) resources.push({ 'Fn::Sub': `\${${dId}.Arn}/*` })
      if (dType === 'AWS::DynamoDB::Table' && dId) resources.push({ 'Fn::Sub': `\${${dId}.Arn}/index/*` })
      statements.push({ Effect: 'Allow', Action: actions, Resource: resources })
    }
  })
  if (!statements.length || roleRef === undefined) {
    st.diagnostics.push({
      code: 'PW_ERR_SAM_INVALID',
      level: 'warning',
      message: `Connector ${connId} in ${st.tpl.file}${r.line ? ` at line ${r.line}` : ''} uses a source/destination pair PhiWall does not expand; its permissions are not judged.`,
      file: st.tpl.file,
      ...(r.line !== undefined ? { line: r.line } : {}),
    })
    return
  }
  emit(st, r, `${connId}Policy`, 'AWS::IAM::ManagedPolicy', {
    PolicyDocument: { Version: '2012-10-17', Statement: statements },
    Roles: [roleRef],
  })
}
