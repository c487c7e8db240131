// Property tests: random JSON, random bytes and randomly damaged CloudTrail events never make the
// reader throw, its counts always add up, and patient data placed anywhere but in a resource
// name never reaches the aggregated output.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ApiCallAggregator, EdgeAggregator, IdentityResolver } from '../../flows/index.js'
import type { IngestStats, ObservedApiCall, WorkloadIdentity } from '../../flows/index.js'
import { createCloudTrailReader, readCloudTrail } from './index.js'

const here = path.dirname(fileURLToPath(import.meta.url))
const RECORDS = (JSON.parse(fs.readFileSync(path.join(here, 'testdata', 's3-delivery.json'), 'utf8')) as { Records: Record<string, unknown>[] }).Records

const IDENTITIES: WorkloadIdentity[] = [
  { id: 'aws:lambda:clinic-intake-submit-prod', kind: 'function', name: 'clinic-intake-submit-prod' },
  { id: 'aws:lambda:clinic-intake-process-prod', kind: 'function', name: 'clinic-intake-process-prod' },
]

async function* cut(buf: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size)
}

async function read(text: string | Uint8Array, chunk: number, inventory: boolean, reader = readCloudTrail): Promise<{ stats: IngestStats; calls: Record<string, ObservedApiCall[]> }> {
  const buf = typeof text === 'string' ? Buffer.from(text, 'utf8') : Buffer.from(text)
  const apiCalls = new ApiCallAggregator()
  const resolver = new IdentityResolver(inventory ? { identities: IDENTITIES } : {})
  const stats = await reader(cut(buf, Math.max(1, chunk)), { resolver, aggregator: new EdgeAggregator(), apiCalls, file: 'random.json' })
  return { stats, calls: apiCalls.calls() }
}

/** What every result satisfies, whatever the input. */
function checkInvariants(text: string | Uint8Array, stats: IngestStats, calls: Record<string, ObservedApiCall[]>): void {
  expect(stats.format).toBe('cloudtrail')
  if (!stats.malformedSamples.some((s) => s.reason.startsWith('file too large'))) expect(stats.lines).toBe(stats.flows + stats.skipped + stats.malformed)
  expect(stats.malformedSamples.length).toBe(Math.min(20, stats.malformed))
  expect(stats.unresolved).toBeLessThanOrEqual(stats.skipped)
  const physicalLines = (typeof text === 'string' ? text : Buffer.from(text).toString('latin1')).split('\n').length
  for (const s of stats.malformedSamples) {
    expect(s.line).toBeGreaterThanOrEqual(0)
    expect(s.line).toBeLessThanOrEqual(physicalLines)
  }
  let attributed = 0
  for (const list of Object.values(calls)) {
    for (const c of list) {
      attributed += c.count
      expect(c.service).toMatch(/^[a-z0-9][a-z0-9-]*$/)
      expect(c.action).toMatch(/^[A-Za-z][A-Za-z0-9]*$/)
      for (const r of c.resources) {
        expect(r === '*' || /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-*]*:(\d{12}|aws|\*)?:\S+$/.test(r), r).toBe(true)
        // an S3 ARN names a bucket or all of its objects, never an object
        if (/^arn:aws[a-z-]*:s3:::/.test(r)) expect(r).toMatch(/^arn:aws[a-z-]*:s3:::[A-Za-z0-9._-]+(\/\*)?$/)
      }
    }
  }
  expect(attributed).toBeGreaterThanOrEqual(stats.flows)
}

/** Set `value` at a random path of an event (creating objects on the way). */
function damage(event: Record<string, unknown>, pathKeys: string[], value: unknown): Record<string, unknown> {
  const copy = structuredClone(event)
  let at: Record<string, unknown> = copy
  for (const k of pathKeys.slice(0, -1)) {
    const next = at[k]
    if (!next || typeof next !== 'object' || Array.isArray(next)) at[k] = {}
    at = at[k] as Record<string, unknown>
  }
  at[pathKeys[pathKeys.length - 1]!] = value
  return copy
}

const FIELDS = ['eventVersion', 'eventSource', 'eventName', 'eventTime', 'eventType', 'awsRegion', 'userIdentity', 'resources', 'requestParameters', 'errorCode', 'sourceIPAddress', 'userAgent', 'recipientAccountId', 'readOnly', 'detail-type', 'Records', 'CloudTrailEvent', 'message']
const SUB = ['type', 'arn', 'invokedBy', 'sessionContext', 'sessionIssuer', 'ARN', 'tableName', 'queueUrl', 'secretId', 'keyId', 'functionName', 'bucketName', 'transactItems', 'requestItems', '0']

describe('readCloudTrail never throws', () => {
  it('on random JSON documents and NDJSON', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.jsonValue({ maxDepth: 6 }), { maxLength: 6 }), fc.boolean(), fc.integer({ min: 1, max: 300 }), fc.boolean(), async (values, asDocument, chunk, inventory) => {
        const text = asDocument ? JSON.stringify({ Records: values }, null, 2) : values.map((v) => JSON.stringify(v)).join('\n')
        const { stats, calls } = await read(text, chunk, inventory)
        checkInvariants(text, stats, calls)
      }),
      { numRuns: 300 },
    )
  })

  it('on random text and bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ maxLength: 400 }), fc.uint8Array({ maxLength: 400 })), fc.integer({ min: 1, max: 64 }), async (input, chunk) => {
        const { stats, calls } = await read(input, chunk, true)
        checkInvariants(input, stats, calls)
      }),
      { numRuns: 300 },
    )
  })

  it('on damaged CloudTrail events in every file shape, with small bounds too', async () => {
    const shape = fc.constantFrom('records', 'lookup', 'eventbridge', 'ndjson', 'array')
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat({ max: RECORDS.length - 1 }), fc.array(fc.constantFrom(...FIELDS, ...SUB), { minLength: 1, maxLength: 4 }), fc.jsonValue({ maxDepth: 3 })), { minLength: 1, maxLength: 8 }),
        shape,
        fc.integer({ min: 1, max: 5000 }),
        fc.boolean(),
        fc.constantFrom(undefined, 2000, 50_000),
        async (edits, form, chunk, inventory, max) => {
          const events = edits.map(([i, keys, value]) => damage(RECORDS[i]!, keys, value))
          const text =
            form === 'records'
              ? JSON.stringify({ Records: events })
              : form === 'lookup'
                ? JSON.stringify({ Events: events.map((e) => ({ EventId: 'x', CloudTrailEvent: JSON.stringify(e) })) }, null, 4)
                : form === 'eventbridge'
                  ? events.map((e) => JSON.stringify({ 'detail-type': 'AWS API Call via CloudTrail', detail: e })).join('\n')
                  : form === 'array'
                    ? JSON.stringify(events, null, 1)
                    : events.map((e) => JSON.stringify(e)).join('\n')
          const reader = max === undefined ? readCloudTrail : createCloudTrailReader({ maxDocumentBytes: max })
          const { stats, calls } = await read(text, chunk, inventory, reader)
          checkInvariants(text, stats, calls)
        },
      ),
      { numRuns: 300 },
    )
  })
})

describe('privacy', () => {
  const phi = fc.stringMatching(/^[A-Za-z0-9 .,'\/-]{2,24}$/).map((s) => `PHIQ${s}`)
  const submit = RECORDS[0]!

  /** An event of the submit function whose request carries `p` everywhere but in resource names. */
  function carrying(kind: number, p: string): Record<string, unknown> {
    const e = structuredClone(submit) as Record<string, any>
    const set = (source: string, name: string, params: Record<string, unknown>, resources?: unknown[]): void => {
      e['eventSource'] = source
      e['eventName'] = name
      e['requestParameters'] = params
      if (resources) e['resources'] = resources
      else delete e['resources']
    }
    const s3obj = [{ type: 'AWS::S3::Object', ARN: `arn:aws:s3:::clinic-intake-uploads-prod/intake/${p}/scan.pdf` }, { type: 'AWS::S3::Bucket', ARN: 'arn:aws:s3:::clinic-intake-uploads-prod' }]
    switch (kind) {
      case 0:
        return set('s3.amazonaws.com', 'PutObject', { bucketName: 'clinic-intake-uploads-prod', key: `intake/${p}/scan.pdf`, 'x-amz-meta-patient': p }, s3obj), e
      case 1:
        return set('s3.amazonaws.com', 'CopyObject', { bucketName: 'clinic-archive', key: p, 'x-amz-copy-source': `clinic-intake-uploads-prod/${p}` }, s3obj), e
      case 2:
        return set('s3.amazonaws.com', 'ListObjects', { bucketName: 'clinic-intake-uploads-prod', prefix: `intake/${p}/` }), e
      case 3:
        return set('kms.amazonaws.com', 'Decrypt', { encryptionContext: { patient: p, 'aws:s3:arn': `arn:aws:s3:::b/${p}` } }, [{ ARN: 'arn:aws:kms:us-east-1:123456789012:key/4f8d2a61-93c7-4b0e-a1d5-7e2c9b6f3a18' }]), e
      case 4:
        return set('dynamodb.amazonaws.com', 'UpdateItem', { tableName: 'clinic-patients-prod', key: { patientId: { S: p } }, expressionAttributeValues: { ':n': { S: p } }, updateExpression: `SET note = '${p}'` }), e
      case 5:
        return set('dynamodb.amazonaws.com', 'TransactWriteItems', { transactItems: [{ put: { tableName: 'clinic-patients-prod', item: { name: { S: p } } } }, { update: { tableName: 'clinic-visits-prod', key: { id: { S: p } } } }] }), e
      case 6:
        return set('sns.amazonaws.com', 'Publish', { phoneNumber: p, message: p, subject: p }), e
      case 7:
        return set('sqs.amazonaws.com', 'SendMessage', { queueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/clinic-intake-queue-prod', messageBody: p, messageAttributes: { name: { stringValue: p } } }), e
      case 8:
        return set('states.amazonaws.com', 'StartExecution', { stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:intake', name: p, input: p }, [{ ARN: `arn:aws:states:us-east-1:123456789012:execution:intake:${p}` }]), e
      case 9:
        return set('lambda.amazonaws.com', 'Invoke', { functionName: 'clinic-intake-process-prod', payload: p, clientContext: p }), e
      default:
        return set('secretsmanager.amazonaws.com', 'PutSecretValue', { secretId: 'clinic/prod/ehr-api-key', secretString: p, [p]: p }), e
    }
  }

  it('patient data anywhere but a resource name never appears in the aggregated output', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat({ max: 10 }), phi), { minLength: 1, maxLength: 10 }), fc.boolean(), async (cases, document) => {
        const events = cases.map(([k, p]) => carrying(k, p))
        const text = document ? JSON.stringify({ Records: events }) : events.map((e) => JSON.stringify(e)).join('\n')
        const { stats, calls } = await read(text, 977, true)
        expect(stats.flows).toBe(events.length)
        const output = JSON.stringify(calls) + JSON.stringify(stats)
        expect(output).not.toContain('PHIQ')
      }),
      { numRuns: 200 },
    )
  })
})
