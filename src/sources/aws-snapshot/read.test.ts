import { describe, expect, it } from 'vitest'
import { parseJsonLocated } from '../located/index.js'
import { looksLikeSnapshot, readSnapshot } from './read.js'
import { snapshotSchema } from './schema.js'

const base = {
  kind: 'phiwall-aws-snapshot',
  schemaVersion: 1,
  collectedAt: '2025-01-21T10:20:00.000Z',
  account: '123456789012',
  accountAlias: 'clinic-prod',
  regions: ['us-east-1'],
  resources: [
    { type: 'AWS::DynamoDB::Table', identifier: 'clinic-prod-patients', region: 'us-east-1', arn: 'arn:aws:dynamodb:us-east-1:123456789012:table/clinic-prod-patients', properties: { TableName: 'clinic-prod-patients' } },
    { type: 'PhiWall::AWS::RegionSettings', identifier: 'us-east-1', region: 'us-east-1', properties: { Region: 'us-east-1', EbsEncryptionByDefault: true } },
  ],
}

function read(doc: unknown) {
  const text = JSON.stringify(doc, null, 2)
  const located = parseJsonLocated(text, { file: 'snap.json' })
  return readSnapshot(located.documents[0] as Record<string, unknown>, located, 'snap.json')
}

describe('readSnapshot', () => {
  it('gives the resources with region, account, ARN and line', () => {
    const doc = read({ ...base, errors: [] })
    expect(looksLikeSnapshot(base)).toBe(true)
    expect(doc.diagnostics).toEqual([])
    expect(doc.context).toEqual({ account: '123456789012', service: 'clinic-prod' })
    expect(doc.resources[0]).toMatchObject({ sourceId: 'clinic-prod-patients', type: 'AWS::DynamoDB::Table', region: 'us-east-1', account: '123456789012', arn: 'arn:aws:dynamodb:us-east-1:123456789012:table/clinic-prod-patients', line: 11 })
    expect(doc.resources[1]).not.toHaveProperty('arn')
  })

  it('reports failed calls as warnings, naming the resource type and how often', () => {
    const doc = read({
      ...base,
      errors: [
        { service: 'cloudcontrol', region: 'us-east-1', operation: 'GetResource', code: 'AccessDeniedException', message: '3 calls failed; first: denied', resourceType: 'AWS::S3::Bucket', count: 3 },
        { service: 'guardduty', region: 'us-west-2', operation: 'ListDetectors/GetDetector', code: 'AccessDeniedException', message: 'denied' },
      ],
    })
    expect(doc.diagnostics.map((d) => [d.code, d.level, d.message])).toEqual([
      ['PW_ERR_AWS_API', 'warning', 'The collector could not call cloudcontrol:GetResource for AWS::S3::Bucket in us-east-1 (AccessDeniedException), 3 times; AWS::S3::Bucket resources it would have read are not judged.'],
      ['PW_ERR_AWS_API', 'warning', 'The collector could not call guardduty:ListDetectors/GetDetector in us-west-2 (AccessDeniedException); resources it would have read are not judged.'],
    ])
  })

  it('still reads snapshots written before errors carried a resource type', () => {
    const doc = read({ ...base, errors: [{ service: 'lambda', region: 'us-east-1', operation: 'GetPolicy', message: 'denied' }] })
    expect(doc.resources).toHaveLength(2)
    expect(doc.diagnostics[0]?.message).toBe('The collector could not call lambda:GetPolicy in us-east-1; resources it would have read are not judged.')
  })

  it('rejects a malformed error entry with the line of the problem', () => {
    const doc = read({ ...base, errors: [{ service: 'lambda', region: 'us-east-1', operation: 'GetPolicy', message: 'x', count: 0 }] })
    expect(doc.resources).toEqual([])
    expect(doc.diagnostics[0]).toMatchObject({ code: 'PW_ERR_SNAPSHOT_INVALID', level: 'error' })
    expect(doc.diagnostics[0]?.message).toMatch(/^Snapshot snap\.json is invalid at errors\.0\.count/)
  })

  it('defaults the partition and the error list', () => {
    const parsed = snapshotSchema.parse(base)
    expect(parsed.partition).toBe('aws')
    expect(parsed.errors).toEqual([])
  })
})
