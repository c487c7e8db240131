import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { ApiCallAggregator, EdgeAggregator, IdentityResolver } from '../../flows/index.js'
import type { FlowReadContext, IngestStats, ObservedApiCall, WorkloadIdentity } from '../../flows/index.js'
import { readFlowFiles, sniffFlowFormat } from '../flow-files/index.js'
import { createCloudTrailReader, elementLines, grantsOf, iamService, looksLikeCloudTrail, readCloudTrail, safeArn, stripApiVersion } from './index.js'
import type { ResourceEnv } from './index.js'
import { cloudTrailEventSchema } from './schema.js'

const here = path.dirname(fileURLToPath(import.meta.url))
const fixture = (name: string): Buffer => fs.readFileSync(path.join(here, 'testdata', name))
const S3_FILE = fixture('s3-delivery.json')
const LOOKUP = fixture('lookup-events.json')
const NDJSON = fixture('eventbridge-cloudwatch.ndjson')

const ACCOUNT = '123456789012'
const SUBMIT = 'aws:lambda:clinic-intake-submit-prod'
const PROCESS = 'aws:lambda:clinic-intake-process-prod'
const TABLE = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/clinic-patients-prod`
const KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/4f8d2a61-93c7-4b0e-a1d5-7e2c9b6f3a18`
const QUEUE = `arn:aws:sqs:us-east-1:${ACCOUNT}:clinic-intake-queue-prod`
const PROCESS_FN = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:clinic-intake-process-prod`
const t = (s: string): number => Date.parse(s)

const inventory = (): WorkloadIdentity[] => [
  { id: SUBMIT, kind: 'function', name: 'clinic-intake-submit-prod', environment: 'prod', holdsPhi: 'yes' },
  { id: PROCESS, kind: 'function', name: 'clinic-intake-process-prod', environment: 'prod', holdsPhi: 'yes' },
]

async function* chunked(buf: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size)
}

interface Read {
  stats: IngestStats
  calls: Record<string, ObservedApiCall[]>
  /** The function ARNs the calls carried, per workload (left out of `calls`, which the tests compare whole). */
  arns: Record<string, string[]>
  resolver: IdentityResolver
}

async function read(input: Buffer | string, opts: { resolver?: IdentityResolver; chunk?: number; file?: string; reader?: typeof readCloudTrail } = {}): Promise<Read> {
  const buf = typeof input === 'string' ? Buffer.from(input, 'utf8') : input
  const resolver = opts.resolver ?? new IdentityResolver({ identities: inventory() })
  const apiCalls = new ApiCallAggregator()
  const ctx: FlowReadContext = { resolver, aggregator: new EdgeAggregator(), apiCalls, file: opts.file ?? 'trail.json' }
  const stats = await (opts.reader ?? readCloudTrail)(chunked(buf, opts.chunk ?? 1 << 16), ctx)
  const calls = apiCalls.calls()
  const arns = Object.fromEntries(Object.entries(calls).map(([w, list]) => [w, [...new Set(list.flatMap((c) => (c.functionArn ? [c.functionArn] : [])))]]))
  const bare = Object.fromEntries(Object.entries(calls).map(([w, list]) => [w, list.map(({ functionArn: _arn, ...c }) => c)]))
  return { stats, calls: bare, arns, resolver }
}

const call = (service: string, action: string, resources: string[], count: number, lastSeen: string): ObservedApiCall => ({ service, action, resources, count, lastSeen: t(lastSeen) })

const S3_FILE_CALLS: Record<string, ObservedApiCall[]> = {
  [PROCESS]: [
    call('dynamodb', 'GetItem', [TABLE], 1, '2024-03-04T15:02:21Z'),
    call('kms', 'Decrypt', [KEY], 1, '2024-03-04T15:02:21Z'),
    call('sqs', 'DeleteMessage', [QUEUE], 1, '2024-03-04T15:02:23Z'),
    call('sqs', 'ReceiveMessage', [QUEUE], 1, '2024-03-04T15:02:20Z'),
  ],
  [SUBMIT]: [
    call('dynamodb', 'PutItem', [TABLE], 1, '2024-03-04T15:02:11Z'),
    // one direct call, one made by S3 with the function's session for SSE-KMS (forward access)
    call('kms', 'GenerateDataKey', [KEY], 2, '2024-03-04T15:02:12Z'),
    call('lambda', 'InvokeFunction', [PROCESS_FN], 1, '2024-03-04T15:02:13Z'),
    call('s3', 'PutObject', ['arn:aws:s3:::clinic-intake-uploads-prod/*'], 1, '2024-03-04T15:02:12Z'),
    call('secretsmanager', 'GetSecretValue', [`arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:clinic/prod/ehr-api-key-??????`], 1, '2024-03-04T15:02:12Z'),
    call('sqs', 'SendMessage', [QUEUE], 1, '2024-03-04T15:02:13Z'),
  ],
}

/** Every event of the fixtures, as parsed JSON (for the privacy checks). */
function fixtureEvents(): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = []
  out.push(...(JSON.parse(S3_FILE.toString('utf8')) as { Records: Record<string, unknown>[] }).Records)
  for (const e of (JSON.parse(LOOKUP.toString('utf8')) as { Events: { CloudTrailEvent?: string }[] }).Events) if (e.CloudTrailEvent) out.push(JSON.parse(e.CloudTrailEvent) as Record<string, unknown>)
  for (const l of NDJSON.toString('utf8').split('\n')) {
    const text = l.replace(/^\S+Z /, '')
    try {
      const v = JSON.parse(text) as Record<string, unknown>
      out.push((v['detail'] as Record<string, unknown>) ?? v)
    } catch {
      /* the cut line */
    }
  }
  return out
}

function leaves(v: unknown, key = '', out: { key: string; value: string }[] = []): { key: string; value: string }[] {
  if (typeof v === 'string') out.push({ key, value: v })
  else if (Array.isArray(v)) for (const x of v) leaves(x, key, out)
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) leaves(x, k, out)
  return out
}

describe('readCloudTrail: S3 delivery files', () => {
  it('attributes each function’s calls and counts the rest', async () => {
    const { stats, calls, arns } = await read(S3_FILE, { file: 'AWSLogs/123456789012/CloudTrail/us-east-1/2024/03/04/trail.json.gz' })
    // each function's execution-role session names it: its ARN from the records' region and account
    expect(arns[PROCESS]).toEqual([PROCESS_FN])
    expect(arns[SUBMIT]).toEqual([`arn:aws:lambda:us-east-1:${ACCOUNT}:function:clinic-intake-submit-prod`])
    expect(stats).toEqual({
      file: 'AWSLogs/123456789012/CloudTrail/us-east-1/2024/03/04/trail.json.gz',
      format: 'cloudtrail',
      lines: 15,
      flows: 11,
      skipped: 3, // the console user, the Lambda service's AssumeRole, the denied DeleteItem
      malformed: 1,
      malformedSamples: [{ line: 1, reason: 'not a CloudTrail event: invalid field eventTime' }],
      unresolved: 0,
    })
    expect(calls).toEqual(S3_FILE_CALLS)
  })

  it('never grants a denied call', async () => {
    const { calls } = await read(S3_FILE)
    expect(calls[PROCESS]!.map((c) => c.action)).not.toContain('DeleteItem')
  })

  it('gives the same result whatever the chunk boundaries', async () => {
    const whole = await read(S3_FILE, { chunk: S3_FILE.length })
    for (const chunk of [1, 7, 4095, 4096, 4097]) {
      const r = await read(S3_FILE, { chunk })
      expect(r.stats).toEqual(whole.stats)
      expect(r.calls).toEqual(whole.calls)
    }
  })

  it('reports a malformed record of a pretty-printed file at the line its record starts', async () => {
    const pretty = `${JSON.stringify(JSON.parse(S3_FILE.toString('utf8')), null, 2)}\n`
    const lines = pretty.split('\n')
    const idLine = lines.findIndex((l) => l.includes('0badc0de-0000-4000-8000-00000000bad1'))
    let start = idLine
    while (lines[start] !== '    {') start--
    const { stats, calls } = await read(pretty)
    expect(stats.malformedSamples).toEqual([{ line: start + 1, reason: 'not a CloudTrail event: invalid field eventTime' }])
    expect(calls).toEqual(S3_FILE_CALLS)
  })

  it('reads a BOM, a top-level array of events and one pretty-printed event', async () => {
    const records = (JSON.parse(S3_FILE.toString('utf8')) as { Records: unknown[] }).Records
    const bom = await read(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), S3_FILE]))
    expect(bom.calls).toEqual(S3_FILE_CALLS)
    const arrayText = JSON.stringify(records, null, 1)
    const array = await read(arrayText)
    expect(array.calls).toEqual(S3_FILE_CALLS)
    const lines = arrayText.split('\n')
    let start = lines.findIndex((l) => l.includes('0badc0de'))
    while (lines[start] !== ' {') start--
    expect(array.stats.malformedSamples).toEqual([{ line: start + 1, reason: 'not a CloudTrail event: invalid field eventTime' }])
    const single = await read(JSON.stringify(records[0], null, 2))
    expect(single.stats).toMatchObject({ lines: 1, flows: 1, malformed: 0 })
    expect(single.calls[SUBMIT]).toEqual([call('dynamodb', 'PutItem', [TABLE], 1, '2024-03-04T15:02:11Z')])
  })

  it('refuses a document over the size bound without reading it all', async () => {
    let pulled = 0
    async function* source(): AsyncGenerator<Buffer> {
      for (let i = 0; i < S3_FILE.length; i += 1000) {
        pulled++
        yield S3_FILE.subarray(i, i + 1000)
      }
    }
    const apiCalls = new ApiCallAggregator()
    const reader = createCloudTrailReader({ maxDocumentBytes: 10_000 })
    const stats = await reader(source(), { resolver: new IdentityResolver({ identities: inventory() }), aggregator: new EdgeAggregator(), apiCalls, file: 'big.json' })
    expect(stats).toMatchObject({ lines: 0, flows: 0, malformed: 1, malformedSamples: [{ line: 0, reason: expect.stringMatching(/^file too large/) }] })
    expect(pulled).toBeLessThan(Math.ceil(S3_FILE.length / 1000))
    expect(apiCalls.size).toBe(0)
  })

  it('reports a truncated document once, at the line where it breaks', async () => {
    const pretty = JSON.stringify(JSON.parse(S3_FILE.toString('utf8')), null, 2)
    const cut = pretty.slice(0, Math.floor(pretty.length / 2))
    const { stats } = await read(cut)
    expect(stats.malformed).toBe(1)
    expect(stats.malformedSamples[0]!.reason).toBe('not valid JSON (a truncated or corrupt document)')
    expect(stats.malformedSamples[0]!.line).toBeGreaterThan(1)
    expect(stats.malformedSamples[0]!.line).toBeLessThanOrEqual(cut.split('\n').length)
    // cut right after a record: V8 reports no position, the last line is where it ends
    const atRecord = pretty.slice(0, pretty.indexOf('\n    },\n') + 8)
    expect((await read(atRecord)).stats.malformedSamples).toEqual([{ line: atRecord.trimEnd().split('\n').length, reason: 'not valid JSON (a truncated or corrupt document)' }])
    const compact = await read(S3_FILE.subarray(0, 5000))
    expect(compact.stats).toMatchObject({ lines: 1, flows: 0, malformed: 1, malformedSamples: [{ line: 1, reason: 'not valid JSON (a truncated or corrupt document)' }] })
  })

  it('reads compact delivery files concatenated with newlines as one per line', async () => {
    const two = Buffer.concat([S3_FILE, Buffer.from('\n'), S3_FILE, Buffer.from('\n')])
    const { stats, calls } = await read(two)
    expect(stats).toMatchObject({ lines: 30, flows: 22, skipped: 6, malformed: 2 })
    expect(stats.malformedSamples.map((s) => s.line)).toEqual([1, 2])
    expect(calls[SUBMIT]!.find((c) => c.action === 'PutObject')!.count).toBe(2)
  })
})

describe('readCloudTrail: lookup-events output', () => {
  it('reads the CloudTrailEvent strings and reports an entry without one at its line', async () => {
    const { stats, calls } = await read(LOOKUP)
    const lines = LOOKUP.toString('utf8').split('\n')
    const entryLine = lines.findIndex((l) => l.includes('6a9e3c1f-2b7d-4e8a-9f10-3c5d7e9b1a24')) // 0-based: the `{` above it is this 1-based line
    expect(stats).toEqual({
      file: 'trail.json',
      format: 'cloudtrail',
      lines: 8,
      flows: 5,
      skipped: 2,
      malformed: 1,
      malformedSamples: [{ line: entryLine, reason: 'lookup-events entry without a CloudTrailEvent string' }],
      unresolved: 0,
    })
    expect(calls).toEqual({
      [PROCESS]: [
        call('kms', 'Decrypt', [KEY], 1, '2024-03-04T15:02:21Z'),
        call('secretsmanager', 'GetSecretValue', [`arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:clinic/prod/fax-credentials-Xq3T9b`], 1, '2024-03-04T15:02:21Z'),
        call('ssm', 'GetParameter', [`arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/clinic/prod/fax-endpoint`], 1, '2024-03-04T15:02:20Z'),
      ],
      [SUBMIT]: [
        call('lambda', 'GetFunctionConfiguration', [PROCESS_FN], 1, '2024-03-04T15:01:58Z'),
        call('secretsmanager', 'GetSecretValue', [`arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:clinic/prod/ehr-api-key-??????`], 1, '2024-03-04T15:02:12Z'),
      ],
    })
  })
})

describe('readCloudTrail: NDJSON (EventBridge, CloudWatch Logs)', () => {
  it('reads EventBridge envelopes, CloudWatch export lines and bare events', async () => {
    const { stats, calls } = await read(NDJSON, { file: 'events.ndjson' })
    expect(stats).toEqual({
      file: 'events.ndjson',
      format: 'cloudtrail',
      lines: 9,
      flows: 5,
      skipped: 3, // the scheduled event, the CI role's deployment, the denied DeleteItem
      malformed: 1,
      malformedSamples: [{ line: 6, reason: 'not JSON' }],
      unresolved: 1, // GitHubActions: a role session of no function the inventory names
    })
    expect(calls).toEqual({
      [PROCESS]: [
        // ConditionalCheckFailed comes after authorisation: the call was allowed
        call('dynamodb', 'UpdateItem', [TABLE], 1, '2024-03-04T15:02:25Z'),
        // SMS to a phone number: SNS scopes no resource; the number itself never appears
        call('sns', 'Publish', ['*'], 1, '2024-03-04T15:02:24Z'),
        call('sqs', 'DeleteMessage', [QUEUE], 1, '2024-03-04T15:02:23Z'),
        call('sqs', 'ReceiveMessage', [QUEUE], 1, '2024-03-04T15:02:20Z'),
      ],
      [SUBMIT]: [call('kms', 'GenerateDataKey', [KEY], 1, '2024-03-04T15:02:11Z')],
    })
  })

  it('is independent of chunk boundaries', async () => {
    const whole = await read(NDJSON)
    for (const chunk of [1, 13, 4096]) {
      const r = await read(NDJSON, { chunk })
      expect(r.stats).toEqual(whole.stats)
      expect(r.calls).toEqual(whole.calls)
    }
  })

  it('reports a line over the bound as malformed and goes on', async () => {
    const lines = NDJSON.toString('utf8').split('\n')
    const long = `{"eventVersion":"1.09","pad":"${'x'.repeat(3000)}"}`
    const text = [lines[0], long, lines[9]].join('\n')
    const { stats, calls } = await read(text, { reader: createCloudTrailReader({ maxDocumentBytes: 2500 }) })
    expect(stats).toMatchObject({ lines: 3, flows: 2, malformed: 1, malformedSamples: [{ line: 2, reason: expect.stringMatching(/^line longer than/) }] })
    expect(Object.keys(calls).sort()).toEqual([PROCESS, SUBMIT])
  })
})

describe('privacy: nothing but resource names leaves the reader', () => {
  const RESOURCE_KEYS = new Set(['tableName', 'queueUrl', 'secretId', 'keyId', 'functionName', 'bucketName', 'name', 'roleArn', 'roleSessionName', 'x-amz-server-side-encryption-aws-kms-key-id'])

  it('the aggregated output holds no request-parameter value but resource names, and no patient data', async () => {
    const resolver = new IdentityResolver({ identities: inventory() })
    const apiCalls = new ApiCallAggregator()
    const stats: IngestStats[] = []
    for (const [file, buf] of [['s3', S3_FILE], ['lookup', LOOKUP], ['ndjson', NDJSON]] as const) {
      stats.push(await readCloudTrail(chunked(buf, 4096), { resolver, aggregator: new EdgeAggregator(), apiCalls, file }))
    }
    const output = JSON.stringify(apiCalls.calls())
    const reported = JSON.stringify(stats)
    const values = fixtureEvents().flatMap((e) => leaves(e['requestParameters']))
    const secret = values.filter((v) => !RESOURCE_KEYS.has(v.key) && v.value.length >= 8)
    expect(secret.length).toBeGreaterThan(15)
    for (const { key, value } of secret) {
      expect(output, `${key} leaked`).not.toContain(value)
      expect(reported, `${key} leaked`).not.toContain(value)
    }
    for (const phi of ['Maria', 'Gonzalez', 'MRN-0048213', '617-555', 'consent-form', 'intake/2024-03-04']) {
      expect(output).not.toContain(phi)
      expect(reported).not.toContain(phi)
    }
    // the resource names that are allowed do appear: the check above is not vacuous
    expect(output).toContain('clinic-patients-prod')
    expect(output).toContain('clinic-intake-uploads-prod/*')
  })
})

describe('attribution', () => {
  const base = (JSON.parse(S3_FILE.toString('utf8')) as { Records: Record<string, unknown>[] }).Records[0]!
  const event = (patch: (e: Record<string, any>) => void): string => {
    const e = structuredClone(base) as Record<string, any>
    patch(e)
    return JSON.stringify(e)
  }
  const withSession = (e: Record<string, any>, role: string, session: string): void => {
    e['userIdentity']['arn'] = `arn:aws:sts::${ACCOUNT}:assumed-role/${role}/${session}`
    e['userIdentity']['principalId'] = `AROA4EXAMPLE7HJ2KQ9ZD:${session}`
  }

  it('without an inventory, infers functions from the Lambda runtime’s user agent only', async () => {
    const resolver = new IdentityResolver()
    const { stats, calls } = await read(S3_FILE, { resolver })
    // the forward-access KMS call (invokedBy s3) is not inferred: it would depend on file order
    expect(stats).toMatchObject({ lines: 15, flows: 10, skipped: 4, malformed: 1 })
    expect(Object.keys(calls)).toEqual([PROCESS, SUBMIT])
    expect(calls[SUBMIT]!.find((c) => c.action === 'GenerateDataKey')!.count).toBe(1)
    expect(resolver.identity(SUBMIT)).toEqual({ id: SUBMIT, kind: 'function', name: 'clinic-intake-submit-prod' })
    expect(resolver.identity(PROCESS)?.kind).toBe('function')
  })

  it('does not infer a function from a session name alone', async () => {
    const resolver = new IdentityResolver()
    const { stats, calls } = await read(NDJSON, { resolver })
    expect(resolver.identity('aws:lambda:GitHubActions')).toBeUndefined()
    expect(Object.keys(calls)).toEqual([PROCESS, SUBMIT])
    expect(stats.unresolved).toBe(1)
  })

  it('does not infer SDK default sessions, ECS tasks, Identity Center users or calls made by a service', async () => {
    const resolver = new IdentityResolver()
    const lines = [
      event((e) => withSession(e, 'clinic-etl-role', 'botocore-session-1709564531')),
      event((e) => withSession(e, 'clinic-ecs-task-role', '8f3c2a1b9d7e4f60a1b2c3d4e5f60718')),
      event((e) => withSession(e, 'AWSReservedSSO_ClinicAdmin_5e1f0c2a9b7d4e31', 'alice')),
      event((e) => {
        e['userIdentity']['invokedBy'] = 'dynamodb.amazonaws.com'
        e['sourceIPAddress'] = 'dynamodb.amazonaws.com'
      }),
      event((e) => (e['sourceIPAddress'] = 'AWS Internal')),
      event((e) => (e['userIdentity']['sessionContext']['sessionIssuer']['type'] = 'IAMUser')),
    ]
    const { stats, calls } = await read(lines.join('\n'), { resolver })
    expect(stats).toMatchObject({ lines: 6, flows: 0, skipped: 6, unresolved: 2 })
    expect(calls).toEqual({})
    expect(Object.keys(resolver.identities())).toEqual([])
  })

  it('with an inventory, attributes only the functions it names, including calls services make with their session', async () => {
    const lines = [
      event((e) => withSession(e, 'clinic-billing-role', 'clinic-billing-prod')), // exec-env marker, but not inventoried
      event((e) => {
        e['userIdentity']['invokedBy'] = 'secretsmanager.amazonaws.com'
        e['sourceIPAddress'] = 'secretsmanager.amazonaws.com'
        e['eventSource'] = 'kms.amazonaws.com'
        e['eventName'] = 'Decrypt'
        e['resources'] = [{ accountId: ACCOUNT, type: 'AWS::KMS::Key', ARN: KEY }]
      }),
    ]
    const { stats, calls } = await read(lines.join('\n'))
    expect(stats).toMatchObject({ lines: 2, flows: 1, skipped: 1, unresolved: 1 })
    expect(calls).toEqual({ [SUBMIT]: [call('kms', 'Decrypt', [KEY], 1, '2024-03-04T15:02:11Z')] })
  })

  it('attributes EC2 instance-profile sessions to a known instance only', async () => {
    const resolver = new IdentityResolver({ identities: [{ id: 'aws:ec2:i-0a1b2c3d4e5f60718', kind: 'vm', name: 'i-0a1b2c3d4e5f60718' }] })
    const lines = [event((e) => withSession(e, 'clinic-fax-gateway-profile', 'i-0a1b2c3d4e5f60718')), event((e) => withSession(e, 'clinic-fax-gateway-profile', 'i-0ffffffffffffffff'))]
    const { stats, calls } = await read(lines.join('\n'), { resolver })
    expect(stats).toMatchObject({ flows: 1, skipped: 1, unresolved: 1 })
    expect(calls).toEqual({ 'aws:ec2:i-0a1b2c3d4e5f60718': [call('dynamodb', 'PutItem', [TABLE], 1, '2024-03-04T15:02:11Z')] })
  })

  it('skips IAM users, console sessions, non-API events and denied or unauthenticated calls; keeps other errors', async () => {
    const skipped = [
      event((e) => (e['userIdentity'] = { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/dr.alice`, accountId: ACCOUNT, userName: 'dr.alice' })),
      event((e) => (e['userIdentity'] = { type: 'Root', arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT })),
      event((e) => (e['sessionCredentialFromConsole'] = 'true')),
      event((e) => (e['eventType'] = 'AwsServiceEvent')),
      event((e) => delete e['userIdentity']),
      ...['AccessDenied', 'AccessDeniedException', 'Client.UnauthorizedOperation', 'VpceAccessDenied', 'ExpiredToken', 'InvalidClientTokenId', 'KMS.NotAuthorizedException'].map((code) => event((e) => (e['errorCode'] = code))),
    ]
    const kept = ['ConditionalCheckFailedException', 'ResourceNotFoundException', 'ThrottlingException', 'ProvisionedThroughputExceededException'].map((code) => event((e) => (e['errorCode'] = code)))
    const { stats, calls } = await read([...skipped, ...kept].join('\n'))
    expect(stats).toMatchObject({ lines: skipped.length + kept.length, flows: kept.length, skipped: skipped.length, malformed: 0 })
    expect(calls[SUBMIT]).toEqual([call('dynamodb', 'PutItem', [TABLE], kept.length, '2024-03-04T15:02:11Z')])
  })
})

describe('grants: service, action and resources', () => {
  const env: ResourceEnv = { partition: 'aws', region: 'us-east-1', account: ACCOUNT }
  const ev = (eventSource: string, eventName: string, requestParameters: Record<string, unknown> = {}, resources?: { ARN: string; type?: string }[]) =>
    cloudTrailEventSchema.parse({ eventSource, eventName, eventTime: '2024-03-04T15:00:00Z', requestParameters, resources })
  const grants = (eventSource: string, eventName: string, params: Record<string, unknown> = {}, resources?: { ARN: string; type?: string }[]) =>
    grantsOf(iamService(eventSource)!, ev(eventSource, eventName, params, resources), env)

  it('maps event sources to IAM service prefixes', () => {
    expect(iamService('dynamodb.amazonaws.com')).toBe('dynamodb')
    expect(iamService('monitoring.amazonaws.com')).toBe('cloudwatch')
    expect(iamService('email.amazonaws.com')).toBe('ses')
    expect(iamService('streams.dynamodb.amazonaws.com')).toBe('dynamodb')
    expect(iamService('runtime.sagemaker.amazonaws.com')).toBe('sagemaker')
    expect(iamService('tagging.amazonaws.com')).toBe('tag')
    expect(iamService('appconfigdata.amazonaws.com')).toBe('appconfig')
    expect(iamService('secretsmanager.amazonaws.com')).toBe('secretsmanager')
    expect(iamService('aws:s3')).toBeUndefined()
    expect(iamService('example.com')).toBeUndefined()
  })

  it('strips API-version suffixes and renames events IAM names differently', () => {
    expect(stripApiVersion('GetFunction20150331v2')).toBe('GetFunction')
    expect(stripApiVersion('ListTags20170331')).toBe('ListTags')
    expect(stripApiVersion('CreateInvalidation2019_03_26')).toBe('CreateInvalidation')
    expect(stripApiVersion('PutItem')).toBe('PutItem')
    expect(grants('lambda.amazonaws.com', 'Invoke', { functionName: 'clinic-intake-process-prod' })).toEqual([{ action: 'InvokeFunction', resources: [PROCESS_FN] }])
    expect(grants('sqs.amazonaws.com', 'SendMessageBatch', { queueUrl: `https://sqs.us-east-1.amazonaws.com/${ACCOUNT}/clinic-intake-queue-prod` })).toEqual([{ action: 'SendMessage', resources: [QUEUE] }])
    expect(grants('sns.amazonaws.com', 'PublishBatch', { topicArn: `arn:aws:sns:us-east-1:${ACCOUNT}:clinic-alerts` })).toEqual([{ action: 'Publish', resources: [`arn:aws:sns:us-east-1:${ACCOUNT}:clinic-alerts`] }])
    expect(grants('s3.amazonaws.com', 'ListObjects', { bucketName: 'clinic-intake-uploads-prod', prefix: 'intake/Maria Gonzalez-Reyes/' })).toEqual([{ action: 'ListBucket', resources: ['arn:aws:s3:::clinic-intake-uploads-prod'] }])
    expect(grants('s3.amazonaws.com', 'GetObject', { bucketName: 'b1', key: 'k', versionId: '3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY' })).toEqual([{ action: 'GetObjectVersion', resources: ['arn:aws:s3:::b1/*'] }])
    expect(grants('kms.amazonaws.com', 'ReEncrypt', {}, [{ ARN: KEY }])).toEqual([
      { action: 'ReEncryptFrom', resources: [KEY] },
      { action: 'ReEncryptTo', resources: [KEY] },
    ])
    expect(grants('dynamodb.amazonaws.com', 'Put Item')).toBeUndefined()
  })

  it('builds resource ARNs from resource names in the request', () => {
    expect(grants('dynamodb.amazonaws.com', 'Query', { tableName: 'clinic-patients-prod', indexName: 'byClinic', keyConditionExpression: 'clinicId = :c' })).toEqual([{ action: 'Query', resources: [`${TABLE}/index/byClinic`] }])
    expect(grants('dynamodb.amazonaws.com', 'BatchGetItem', { requestItems: { 'clinic-patients-prod': { keys: [{ patientId: 'MRN-1' }] } } })).toEqual([{ action: 'BatchGetItem', resources: [TABLE] }])
    expect(grants('secretsmanager.amazonaws.com', 'GetSecretValue', { secretId: 'clinic/prod/db' })).toEqual([{ action: 'GetSecretValue', resources: [`arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:clinic/prod/db-??????`] }])
    expect(grants('kms.amazonaws.com', 'Encrypt', { keyId: 'alias/clinic-phi-prod' })).toEqual([{ action: 'Encrypt', resources: [`arn:aws:kms:us-east-1:${ACCOUNT}:alias/clinic-phi-prod`] }])
    expect(grants('kms.amazonaws.com', 'Encrypt', { keyId: '4f8d2a61-93c7-4b0e-a1d5-7e2c9b6f3a18' })).toEqual([{ action: 'Encrypt', resources: [KEY] }])
    expect(grants('sqs.amazonaws.com', 'GetQueueUrl', { queueName: 'clinic-intake-queue-prod' })).toEqual([{ action: 'GetQueueUrl', resources: [QUEUE] }])
    expect(grants('sqs.amazonaws.com', 'ReceiveMessage', { queueUrl: `https://queue.amazonaws.com/${ACCOUNT}/legacy-queue` })).toEqual([{ action: 'ReceiveMessage', resources: [`arn:aws:sqs:us-east-1:${ACCOUNT}:legacy-queue`] }])
    expect(grants('lambda.amazonaws.com', 'Invoke', { functionName: 'clinic-intake-process-prod', qualifier: 'live' })).toEqual([{ action: 'InvokeFunction', resources: [`${PROCESS_FN}:live`] }])
    expect(grants('ssm.amazonaws.com', 'GetParameters', { names: ['/clinic/prod/a', 'clinic-b'], withDecryption: true })).toEqual([
      { action: 'GetParameters', resources: [`arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/clinic-b`, `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/clinic/prod/a`] },
    ])
    expect(grants('sts.amazonaws.com', 'GetCallerIdentity')).toEqual([{ action: 'GetCallerIdentity', resources: ['*'] }])
  })

  it('collapses S3 object keys and reads only the bucket of a copy source', () => {
    expect(grants('s3.amazonaws.com', 'PutObject', {}, [{ ARN: 'arn:aws:s3:::b1/Maria Gonzalez-Reyes/scan.pdf', type: 'AWS::S3::Object' }, { ARN: 'arn:aws:s3:::b1', type: 'AWS::S3::Bucket' }])).toEqual([{ action: 'PutObject', resources: ['arn:aws:s3:::b1/*'] }])
    expect(grants('s3.amazonaws.com', 'HeadBucket', {}, [{ ARN: 'arn:aws:s3:::b1/k' }])).toEqual([{ action: 'ListBucket', resources: ['arn:aws:s3:::b1'] }])
    expect(grants('s3.amazonaws.com', 'CopyObject', { bucketName: 'dst', key: 'Maria.pdf', 'x-amz-copy-source': 'src-bucket/Maria%20Gonzalez.pdf' })).toEqual([
      { action: 'PutObject', resources: ['arn:aws:s3:::dst/*'] },
      { action: 'GetObject', resources: ['arn:aws:s3:::src-bucket/*'] },
    ])
    expect(safeArn(`arn:aws:s3:us-east-1:${ACCOUNT}:accesspoint/intake/object/Maria Gonzalez.pdf`)).toBe(`arn:aws:s3:us-east-1:${ACCOUNT}:accesspoint/intake/object/*`)
    expect(safeArn(`arn:aws:states:us-east-1:${ACCOUNT}:execution:intake-flow:Maria-Gonzalez-2024`)).toBe(`arn:aws:states:us-east-1:${ACCOUNT}:execution:intake-flow:*`)
    expect(safeArn('arn:aws:dynamodb:us-east-1:123456789012:table/a b')).toBeUndefined()
    expect(safeArn('not an arn')).toBeUndefined()
  })

  it('derives TransactWriteItems permissions per item from the operation keys and table names only', () => {
    const params = { transactItems: [{ put: { tableName: 'clinic-patients-prod', item: { name: 'Maria' } } }, { conditionCheck: { tableName: 'clinic-consents-prod', key: { id: 'x' } } }] }
    expect(grants('dynamodb.amazonaws.com', 'TransactWriteItems', params)).toEqual([
      { action: 'PutItem', resources: [TABLE] },
      { action: 'ConditionCheckItem', resources: [`arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/clinic-consents-prod`] },
    ])
  })

  it('puts `*` for a missing region or account, so the ARN is not a plain one the exporter grants', () => {
    const g = grantsOf('dynamodb', ev('dynamodb.amazonaws.com', 'GetItem', { tableName: 'clinic-patients-prod' }), { partition: 'aws', region: '*', account: ACCOUNT })
    expect(g).toEqual([{ action: 'GetItem', resources: [`arn:aws:dynamodb:*:${ACCOUNT}:table/clinic-patients-prod`] }])
  })
})

describe('elementLines', () => {
  it('finds the start line of each element, ignoring brackets and escapes inside strings', () => {
    const text = '{\n "x": "[\\"]",\n "Records": [\n  {"a": "}],["},\n\n  {"b": 1}, "s",\n  3\n ]\n}'
    expect(elementLines(text, 'Records')).toEqual([4, 6, 6, 7])
    expect(elementLines('[\n1,\n[2],\n{"c":[]}\n]', undefined)).toEqual([2, 3, 4])
    expect(elementLines('{"Records": []}', 'Records')).toEqual([])
  })
})

describe('looksLikeCloudTrail', () => {
  const head = (b: Buffer): string => b.subarray(0, 8192).toString('utf8')

  it('recognises the three shapes, also cut by the head', () => {
    expect(looksLikeCloudTrail(head(S3_FILE))).toBe(true)
    expect(looksLikeCloudTrail(head(LOOKUP))).toBe(true)
    expect(looksLikeCloudTrail(head(NDJSON))).toBe(true)
    expect(looksLikeCloudTrail(NDJSON.toString('utf8').split('\n')[2]!)).toBe(true) // CloudWatch export line
    expect(looksLikeCloudTrail(`\uFEFF${JSON.stringify(JSON.parse(S3_FILE.toString('utf8')), null, 2)}`.slice(0, 3000))).toBe(true)
  })

  it('rejects other JSON and other flow formats', () => {
    const sibling = (dir: string, name: string): string => fs.readFileSync(path.join(here, '..', dir, 'testdata', name)).subarray(0, 8192).toString('utf8')
    expect(looksLikeCloudTrail(sibling('hubble', 'clinic-hubble.json'))).toBe(false)
    expect(looksLikeCloudTrail(sibling('agent-flows', 'hl7-vm-1.ndjson'))).toBe(false)
    expect(looksLikeCloudTrail(sibling('vpc-flow', 'default-v2.log'))).toBe(false)
    expect(looksLikeCloudTrail('{"Records":[{"eventVersion":"2.1","eventSource":"aws:s3","awsRegion":"us-east-1","eventTime":"2024-03-04T15:02:12.000Z","eventName":"ObjectCreated:Put"}]}')).toBe(false)
    expect(looksLikeCloudTrail('{"Records":[{"messageId":"1","body":"x","eventSource":"aws:sqs","eventSourceARN":"arn:aws:sqs:us-east-1:123456789012:q"}]}')).toBe(false)
    expect(looksLikeCloudTrail('{"awsAccountId":"123456789012","digestStartTime":"2024-03-04T14:00:00Z","digestEndTime":"2024-03-04T15:00:00Z","digestS3Bucket":"trail-bucket","logFiles":[]}')).toBe(false)
    expect(looksLikeCloudTrail('{"source":["aws.s3"],"detail-type":["AWS API Call via CloudTrail"],"detail":{"eventSource":["s3.amazonaws.com"],"eventName":["PutObject"]}}')).toBe(false)
    expect(looksLikeCloudTrail('')).toBe(false)
  })

  it('is what flow-files sniffs, and reads a gzip delivery file end to end', async () => {
    expect(sniffFlowFormat(head(S3_FILE))).toBe('cloudtrail')
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phiwall-cloudtrail-'))
    try {
      fs.writeFileSync(path.join(dir, '123456789012_CloudTrail_us-east-1_20240304T1505Z_Xk2.json.gz'), gzipSync(S3_FILE))
      const apiCalls = new ApiCallAggregator()
      const result = await readFlowFiles([dir], { context: { resolver: new IdentityResolver({ identities: inventory() }), aggregator: new EdgeAggregator(), apiCalls } })
      expect(result.diagnostics).toEqual([])
      expect(result.stats).toHaveLength(1)
      expect(result.stats[0]).toMatchObject({ format: 'cloudtrail', lines: 15, flows: 11, skipped: 3, malformed: 1 })
      expect(Object.fromEntries(Object.entries(apiCalls.calls()).map(([w, list]) => [w, list.map(({ functionArn: _arn, ...c }) => c)]))).toEqual(S3_FILE_CALLS)
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
