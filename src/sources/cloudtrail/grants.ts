import type { CloudTrailEvent } from './schema.js'

/*
 * What IAM would have to allow for one CloudTrail event: the IAM service prefix, the IAM
 * action(s) and the resource ARNs. Privacy rule: from `requestParameters` only values of
 * resource-naming keys are read (tableName, queueUrl, topicArn, secretId, keyId, functionName,
 * bucketName, name/names/path of SSM parameters, logGroupName, streamName, stateMachineArn,
 * roleArn, …), and every ARN that leaves this module passes `safeArn`, which collapses S3 object
 * keys to `<bucket>/*` and Step Functions execution names to `*`: object keys and execution
 * names are chosen by applications and do hold patient names. Other values (items, keys,
 * message bodies, phone numbers, encryption contexts, copy-source keys) are never read into
 * any output.
 */

/** One IAM permission an event needed: an action and the resources it applies to (`*` when none is named). */
export interface Grant {
  action: string
  resources: string[]
}

/** Where name-only resources live: the caller's partition, the event's region and the caller's account. */
export interface ResourceEnv {
  partition: string
  /** `*` when the event does not say (an ARN with `*` there is not granted by the IAM exporter). */
  region: string
  account: string
}

/**
 * eventSource hosts whose IAM service prefix differs from the host's name. Other dotted hosts
 * (`runtime.sagemaker`, `streams.dynamodb`, `runtime.lex`, `api.mediatailor`) take their last
 * label; single-label hosts are the prefix (`dynamodb`, `s3`, `kms`, `secretsmanager`, `sqs`,
 * `sns`, `logs`, `ssm`, `sts`, `lambda`, `events`, `states`, …).
 */
export const SERVICE_PREFIX_EXCEPTIONS: Readonly<Record<string, string>> = {
  monitoring: 'cloudwatch', // CloudWatch metrics and alarms
  email: 'ses', // SES v1 (v2 logs ses.amazonaws.com)
  tagging: 'tag', // Resource Groups Tagging API
  appconfigdata: 'appconfig', // AppConfig Data (GetLatestConfiguration, StartConfigurationSession)
  cloudcontrolapi: 'cloudformation', // Cloud Control API actions are cloudformation:*Resource
  'streams.dynamodb': 'dynamodb', // DynamoDB Streams: dynamodb:GetRecords, GetShardIterator
  'runtime.sagemaker': 'sagemaker', // sagemaker:InvokeEndpoint
  'data.iot': 'iot', // IoT data plane: iot:Publish
}

const SERVICE = /^[a-z0-9][a-z0-9-]*$/
const ACTION = /^[A-Za-z][A-Za-z0-9]*$/

/** The IAM service prefix of an eventSource (`monitoring.amazonaws.com` → `cloudwatch`); undefined when it is not an AWS endpoint. */
export function iamService(eventSource: string): string | undefined {
  const m = /^([a-z0-9][a-z0-9.-]*)\.amazonaws\.com$/.exec(eventSource)
  if (!m) return undefined
  const host = m[1]!
  const prefix = SERVICE_PREFIX_EXCEPTIONS[host] ?? host.slice(host.lastIndexOf('.') + 1)
  return SERVICE.test(prefix) ? prefix : undefined
}

/** `GetFunction20150331v2` → `GetFunction`, `ListTags20170331` → `ListTags`, `GetDistribution2019_03_26` → `GetDistribution`. */
export function stripApiVersion(eventName: string): string {
  const m = /^([A-Za-z]+?)(?:\d{8}|\d{4}_\d{2}_\d{2})(?:v\d+)?$/.exec(eventName)
  return m ? m[1]! : eventName
}

/**
 * CloudTrail event names that are not the IAM action that authorises them (after the version
 * suffix is stripped). Batch APIs of SQS and SNS are authorised per message by the single action;
 * S3's multipart upload parts by s3:PutObject; HEAD requests by the GET action.
 */
const ACTION_RENAMES: Readonly<Record<string, string>> = {
  'lambda:Invoke': 'InvokeFunction',
  'lambda:InvokeWithResponseStream': 'InvokeFunction',
  's3:ListObjects': 'ListBucket',
  's3:ListObjectsV2': 'ListBucket',
  's3:HeadBucket': 'ListBucket',
  's3:ListObjectVersions': 'ListBucketVersions',
  's3:ListBuckets': 'ListAllMyBuckets',
  's3:HeadObject': 'GetObject',
  's3:SelectObjectContent': 'GetObject',
  's3:CreateMultipartUpload': 'PutObject',
  's3:UploadPart': 'PutObject',
  's3:UploadPartCopy': 'PutObject',
  's3:CompleteMultipartUpload': 'PutObject',
  's3:ListParts': 'ListMultipartUploadParts',
  's3:ListMultipartUploads': 'ListBucketMultipartUploads',
  's3:DeleteObjects': 'DeleteObject',
  'sqs:SendMessageBatch': 'SendMessage',
  'sqs:DeleteMessageBatch': 'DeleteMessage',
  'sqs:ChangeMessageVisibilityBatch': 'ChangeMessageVisibility',
  'sns:PublishBatch': 'Publish',
  'dynamodb:TransactGetItems': 'GetItem',
}

/** S3 actions that apply to objects (resource `arn:aws:s3:::bucket/*`) rather than to the bucket. */
function isS3ObjectAction(action: string): boolean {
  return action.includes('Object') || action === 'AbortMultipartUpload' || action === 'ListMultipartUploadParts'
}

const CONTROL = /[\u0000-\u001f\u007f]/
const GENERIC_ARN = /^arn:(aws[a-z-]*):([a-z0-9-]+):([a-z0-9-]*):(\d{12}|aws)?:(\S+)$/
const S3_PLAIN = /^arn:(aws[a-z-]*):s3:::([A-Za-z0-9._-]{1,255})(\/[\s\S]*)?$/
const BUCKET = /^[A-Za-z0-9._-]{1,255}$/

/**
 * An ARN fit for output, or undefined. S3 object ARNs become `arn:aws:s3:::<bucket>/*` (access
 * points: `…:accesspoint/<name>/object/*`); Step Functions execution ARNs become
 * `…:execution:<state machine>:*`. Anything else must look like an ARN (no whitespace or control
 * characters, at most 2,048 characters) and is kept as observed.
 */
export function safeArn(arn: string): string | undefined {
  const s3 = S3_PLAIN.exec(arn)
  if (s3) return s3[3] === undefined ? `arn:${s3[1]}:s3:::${s3[2]}` : `arn:${s3[1]}:s3:::${s3[2]}/*`
  const prefix = /^arn:(aws[a-z-]*):(s3|s3-object-lambda|s3-outposts):([a-z0-9-]*):(\d{12}):/.exec(arn)
  if (prefix) {
    const at = arn.indexOf('/object/', prefix[0].length)
    if (at >= 0) {
      const head = arn.slice(0, at)
      return GENERIC_ARN.test(head) && !CONTROL.test(head) && head.length <= 2048 ? `${head}/object/*` : undefined
    }
  }
  if (arn.length > 2048 || CONTROL.test(arn)) return undefined
  const m = GENERIC_ARN.exec(arn)
  if (!m) return undefined
  if (m[2] === 'states') {
    const ex = /^(execution|express):([^:]+):/.exec(m[5]!)
    if (ex) return `arn:${m[1]}:states:${m[3]}:${m[4] ?? ''}:${ex[1]}:${ex[2]}:*`
  }
  return arn
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.length > 0) : []
}

/**
 * The ARN of a resource the request names without one. When the event lacks the region or the
 * account, that part is `*`: still scoped by name, and not a plain ARN, so the IAM exporter does
 * not grant it (fail closed) but reports it.
 */
function arnOf(env: ResourceEnv, service: string, resource: string): string | undefined {
  const arn = `arn:${env.partition}:${service}:${env.region}:${env.account}:${resource}`
  if (env.region !== '*' && env.account !== '*') return safeArn(arn)
  return arn.length <= 2048 && !/[\s\u0000-\u001f\u007f]/.test(arn) ? arn : undefined
}

/** A name or an ARN (as APIs accept either) → the ARN. */
function nameOrArn(value: string, build: (name: string) => string | undefined): string | undefined {
  return value.startsWith('arn:') ? safeArn(value) : build(value)
}

/** `https://sqs.us-east-1.amazonaws.com/123456789012/intake-queue` (or the legacy `queue.amazonaws.com` hosts) → the queue's ARN. */
function queueArn(env: ResourceEnv, url: string): string | undefined {
  const m = /^https?:\/\/(?:sqs\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?|([a-z0-9-]+)\.queue\.amazonaws\.com|queue\.amazonaws\.com|sqs\.([a-z0-9-]+)\.api\.aws|vpce-[a-z0-9-]+\.sqs\.([a-z0-9-]+)\.vpce\.amazonaws\.com)\/(\d{12})\/([A-Za-z0-9_-]{1,80}(?:\.fifo)?)$/.exec(url)
  if (!m) return undefined
  const region = m[1] ?? m[2] ?? m[3] ?? m[4] ?? 'us-east-1' // queue.amazonaws.com is the legacy us-east-1 host
  return safeArn(`arn:${env.partition}:sqs:${region}:${m[5]}:${m[6]}`)
}

/** A Secrets Manager secretId: an ARN as given; a name matches exactly that secret's ARN (`-??????`: its six random characters). */
function secretArn(env: ResourceEnv, id: string): string | undefined {
  if (id.startsWith('arn:')) return safeArn(id)
  return /^[A-Za-z0-9/_+=.@-]{1,512}$/.test(id) ? arnOf(env, 'secretsmanager', `secret:${id}-??????`) : undefined
}

/** A KMS keyId: key ARN, alias ARN, key id (`1234abcd-…`, `mrk-…`) or alias name (`alias/…`). */
function kmsArn(env: ResourceEnv, id: string): string | undefined {
  if (id.startsWith('arn:')) return safeArn(id)
  if (/^alias\/[A-Za-z0-9/_-]{1,256}$/.test(id)) return arnOf(env, 'kms', id)
  if (/^(mrk-)?[0-9a-f-]{32,36}$/.test(id)) return arnOf(env, 'kms', `key/${id}`)
  return undefined
}

/** A Lambda functionName (name, `name:qualifier`, `123456789012:function:name`, ARN) → the function's ARN. */
function functionArn(env: ResourceEnv, fn: string, qualifier: string | undefined): string | undefined {
  if (fn.startsWith('arn:')) return safeArn(fn)
  const partial = /^(\d{12}):function:([A-Za-z0-9_-]{1,64})(:[A-Za-z0-9$_-]+)?$/.exec(fn)
  if (partial) return safeArn(`arn:${env.partition}:lambda:${env.region}:${partial[1]}:function:${partial[2]}${partial[3] ?? ''}`)
  const plain = /^([A-Za-z0-9_-]{1,64})(:[A-Za-z0-9$_-]+)?$/.exec(fn)
  if (!plain) return undefined
  const q = plain[2] ?? (qualifier && /^[A-Za-z0-9$_-]+$/.test(qualifier) ? `:${qualifier}` : '')
  return arnOf(env, 'lambda', `function:${plain[1]}${q}`)
}

function ssmParameterArn(env: ResourceEnv, name: string): string | undefined {
  if (name.startsWith('arn:')) return safeArn(name)
  if (!/^[A-Za-z0-9/_.-]{1,2048}$/.test(name)) return undefined
  return arnOf(env, 'ssm', `parameter${name.startsWith('/') ? '' : '/'}${name}`)
}

function tableArn(env: ResourceEnv, name: string): string | undefined {
  return nameOrArn(name, (n) => (/^[A-Za-z0-9_.-]{1,255}$/.test(n) ? arnOf(env, 'dynamodb', `table/${n}`) : undefined))
}

/** Table names of BatchGetItem / BatchWriteItem: the keys of `requestItems` (or `tableName` of its entries). Items are not read. */
function batchTables(params: Record<string, unknown>): string[] {
  const items = params['requestItems']
  if (Array.isArray(items)) return items.flatMap((i) => (i && typeof i === 'object' ? strings([(i as Record<string, unknown>)['tableName']]) : []))
  if (items && typeof items === 'object') return Object.keys(items)
  return []
}

/** Resource ARNs named in the request parameters, per service. */
function parameterResources(service: string, action: string, params: Record<string, unknown>, env: ResourceEnv): string[] {
  const out: (string | undefined)[] = []
  const p = (k: string): string | undefined => str(params[k])
  switch (service) {
    case 'dynamodb': {
      const tables = [p('tableName'), p('tableArn'), ...batchTables(params)].filter((t): t is string => t !== undefined).map((t) => tableArn(env, t))
      out.push(...tables, ...[p('streamArn')].map((s) => (s ? safeArn(s) : undefined)))
      break
    }
    case 'sqs': {
      const url = p('queueUrl')
      if (url) out.push(queueArn(env, url))
      const name = p('queueName')
      if (name && /^[A-Za-z0-9_-]{1,80}(\.fifo)?$/.test(name)) {
        const owner = p('queueOwnerAWSAccountId')
        out.push(safeArn(`arn:${env.partition}:sqs:${env.region}:${owner && /^\d{12}$/.test(owner) ? owner : env.account}:${name}`))
      }
      break
    }
    case 'sns':
      for (const k of ['topicArn', 'targetArn', 'resourceArn']) {
        const v = p(k)
        if (v) out.push(safeArn(v))
      }
      break
    case 'secretsmanager':
      for (const id of [p('secretId'), ...strings(params['secretIdList'])]) if (id) out.push(secretArn(env, id))
      break
    case 'kms':
      for (const k of ['keyId', 'sourceKeyId', 'destinationKeyId']) {
        const v = p(k)
        if (v) out.push(kmsArn(env, v))
      }
      break
    case 'lambda': {
      const fn = p('functionName')
      if (fn) out.push(functionArn(env, fn, p('qualifier')))
      break
    }
    case 's3': {
      const bucket = p('bucketName')
      if (bucket && BUCKET.test(bucket)) out.push(isS3ObjectAction(action) ? `arn:${env.partition}:s3:::${bucket}/*` : `arn:${env.partition}:s3:::${bucket}`)
      break
    }
    case 'ssm':
      for (const n of [p('name'), p('path'), ...strings(params['names'])]) if (n) out.push(ssmParameterArn(env, n))
      break
    case 'logs': {
      const g = p('logGroupName') ?? p('logGroupIdentifier')
      if (g) out.push(g.startsWith('arn:') ? safeArn(g) : /^[A-Za-z0-9_/.#-]{1,512}$/.test(g) ? arnOf(env, 'logs', `log-group:${g}:*`) : undefined)
      break
    }
    case 'kinesis': {
      const s = p('streamARN') ?? p('streamArn')
      const n = p('streamName')
      if (s) out.push(safeArn(s))
      else if (n && /^[A-Za-z0-9_.-]{1,128}$/.test(n)) out.push(arnOf(env, 'kinesis', `stream/${n}`))
      break
    }
    case 'firehose': {
      const n = p('deliveryStreamName')
      if (n && /^[A-Za-z0-9_.-]{1,64}$/.test(n)) out.push(arnOf(env, 'firehose', `deliverystream/${n}`))
      break
    }
    case 'states':
      for (const k of ['stateMachineArn', 'executionArn', 'activityArn']) {
        const v = p(k)
        if (v) out.push(safeArn(v))
      }
      break
    case 'sts': {
      const r = p('roleArn')
      if (r) out.push(safeArn(r))
      break
    }
    default:
      for (const k of ['resourceArn', 'resourceARN']) {
        const v = p(k)
        if (v) out.push(safeArn(v))
      }
  }
  return [...new Set(out.filter((x): x is string => x !== undefined))]
}

/** The bucket ARN of an S3 (object or bucket) ARN already passed through `safeArn`. */
function bucketArnOf(arn: string): string {
  const slash = arn.indexOf('/')
  return slash < 0 ? arn : arn.slice(0, slash)
}

/** The resources of one action of the event: CloudTrail's `resources` when it lists them, else the request's resource names, else `*`. */
function resourcesFor(service: string, action: string, ev: CloudTrailEvent, env: ResourceEnv): string[] {
  const listed = [...new Set((ev.resources ?? []).map((r) => (r.ARN ? safeArn(r.ARN) : undefined)).filter((a): a is string => a !== undefined))]
  const params = ev.requestParameters ?? {}
  let out: string[]
  if (service === 's3') {
    const plain = listed.filter((a) => /^arn:aws[a-z-]*:s3:::/.test(a))
    const objects = plain.filter((a) => a.endsWith('/*'))
    const buckets = plain.filter((a) => !a.endsWith('/*'))
    const other = listed.filter((a) => !plain.includes(a)) // access points, Object Lambda, Outposts
    if (isS3ObjectAction(action)) out = objects.length ? [...objects, ...other.filter((a) => a.endsWith('/object/*'))] : buckets.map((b) => `${b}/*`)
    else out = buckets.length ? buckets : [...new Set(objects.map(bucketArnOf))]
    if (out.length === 0) out = other.length ? other : parameterResources(service, action, params, env)
  } else {
    out = listed.length ? listed : parameterResources(service, action, params, env)
    if (service === 'dynamodb') {
      // Query / Scan on an index are authorised on the index's ARN, which CloudTrail does not list
      const index = str(params['indexName'])
      if (index && /^[A-Za-z0-9_.-]{3,255}$/.test(index)) out = out.map((t) => (/:table\/[^/]+$/.test(t) ? `${t}/index/${index}` : t))
    }
  }
  return out.length ? [...new Set(out)].sort() : ['*']
}

/** The bucket of S3's CopyObject source (`x-amz-copy-source: bucket/key?versionId=…`); the key is never read. */
function copySourceBucket(params: Record<string, unknown>, env: ResourceEnv): string | undefined {
  const src = str(params['x-amz-copy-source']) ?? str(params['copySource'])
  if (!src) return undefined
  const bucket = src.replace(/^\//, '').split('/')[0]
  return bucket && BUCKET.test(bucket) ? `arn:${env.partition}:s3:::${bucket}/*` : undefined
}

const TRANSACT_WRITE: Readonly<Record<string, string>> = { put: 'PutItem', update: 'UpdateItem', delete: 'DeleteItem', conditioncheck: 'ConditionCheckItem' }

/**
 * DynamoDB TransactWriteItems is authorised per item by PutItem / UpdateItem / DeleteItem /
 * ConditionCheckItem on each item's table. Only the operation keys and table names of
 * `transactItems` are read; an event whose parameters do not show them gives no grant here.
 */
function transactWriteGrants(ev: CloudTrailEvent, env: ResourceEnv): Grant[] {
  const items = ev.requestParameters?.['transactItems']
  if (!Array.isArray(items)) return []
  const byAction = new Map<string, Set<string>>()
  for (const item of items) {
    if (!item || typeof item !== 'object') continue
    for (const [op, body] of Object.entries(item as Record<string, unknown>)) {
      const action = TRANSACT_WRITE[op.toLowerCase()]
      if (!action || !body || typeof body !== 'object') continue
      const table = str((body as Record<string, unknown>)['tableName'])
      const arn = table ? tableArn(env, table) : undefined
      const set = byAction.get(action) ?? new Set<string>()
      if (arn) set.add(arn)
      byAction.set(action, set)
    }
  }
  const listed = resourcesFor('dynamodb', 'TransactWriteItems', ev, env)
  return [...byAction].map(([action, tables]) => ({ action, resources: tables.size ? [...tables].sort() : listed }))
}

/**
 * The IAM permissions one event needed, or undefined when its eventName is not an IAM action
 * name. CopyObject needs s3:PutObject on the destination and s3:GetObject on the source bucket;
 * KMS ReEncrypt needs kms:ReEncryptFrom and kms:ReEncryptTo; GetObject / DeleteObject of a
 * version need s3:GetObjectVersion / s3:DeleteObjectVersion.
 */
export function grantsOf(service: string, ev: CloudTrailEvent, env: ResourceEnv): Grant[] | undefined {
  const name = stripApiVersion(ev.eventName)
  if (!ACTION.test(name)) return undefined
  const params = ev.requestParameters ?? {}
  if (service === 'dynamodb' && name === 'TransactWriteItems') {
    const g = transactWriteGrants(ev, env)
    if (g.length) return g
  }
  if (service === 's3' && name === 'CopyObject') {
    const grants: Grant[] = [{ action: 'PutObject', resources: resourcesFor(service, 'PutObject', ev, env) }]
    const src = copySourceBucket(params, env)
    if (src) grants.push({ action: 'GetObject', resources: [src] })
    return grants
  }
  if (service === 'kms' && name === 'ReEncrypt') {
    const resources = resourcesFor(service, name, ev, env)
    return [
      { action: 'ReEncryptFrom', resources },
      { action: 'ReEncryptTo', resources },
    ]
  }
  let action = ACTION_RENAMES[`${service}:${name}`] ?? name
  // a request for one version of an object is authorised by the …Version action
  if (service === 's3' && str(params['versionId']) !== undefined && (action === 'GetObject' || action === 'DeleteObject')) action = `${action}Version`
  return [{ action, resources: resourcesFor(service, action, ev, env) }]
}
