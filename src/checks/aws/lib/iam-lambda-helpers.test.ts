import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { statementsOf } from '../../../inventory/index.js'
import { scan } from '../../../scan/index.js'
import { ALL_CHECKS } from '../../index.js'
import { actionLevel, allResourcesEntry, isResourceStarOnly, mayWrite } from './iam-actions.js'
import { runtimeDeprecation } from './lambda-runtimes.js'

const here = path.dirname(fileURLToPath(import.meta.url))
const NOW = new Date('2026-11-23T00:00:00Z')

describe('IAM action levels', () => {
  it.each([
    ['s3:GetObject', 'read'],
    ['dynamodb:Query', 'read'],
    ['dynamodb:PutItem', 'write'],
    ['s3:Put*', 'write'],
    ['s3:Get*', 'read'],
    ['dynamodb:*Item', 'unknown'],
    ['s3:PutBucketPolicy', 'permissions'],
    ['s3:GetBucketPolicy', 'read'],
    ['kms:CreateGrant', 'permissions'],
    ['iam:PassRole', 'permissions'],
    ['iam:ListRoles', 'read'],
    ['cognito-idp:AdminGetUser', 'read'],
    ['cognito-idp:AdminCreateUser', 'write'],
    ['kms:Decrypt', 'read'],
    ['comprehend:BatchDetectEntities', 'read'],
    ['*', 'unknown'],
  ] as const)('%s is %s', (action, level) => {
    expect(actionLevel(action)).toBe(level)
  })

  it('treats writes and unknown patterns as possibly writing', () => {
    expect(mayWrite('sns:Publish')).toBe(true)
    expect(mayWrite('sqs:Re*')).toBe(true)
    expect(mayWrite('ssm:GetParameter')).toBe(false)
  })

  it('accepts only literal actions that AWS supports on "*" alone', () => {
    expect(isResourceStarOnly('xray:PutTraceSegments')).toBe(true)
    expect(isResourceStarOnly('xray:Put*')).toBe(false)
    expect(isResourceStarOnly('s3:PutObject')).toBe(false)
  })

  it('recognises statements on every resource of a service', () => {
    const [a, b, c, d] = statementsOf({
      Statement: [
        { Effect: 'Allow', Action: 's3:PutObject', Resource: '*' },
        { Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: 'arn:aws:dynamodb:*:*:table/*' },
        { Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: 'arn:aws:dynamodb:us-east-1:123456789012:table/clinic-*' },
        { Effect: 'Allow', Action: 's3:PutObject', NotResource: 'arn:aws:s3:::clinic-audit/*' },
      ],
    })
    expect(allResourcesEntry(a!)).toBe('*')
    expect(allResourcesEntry(b!)).toBe('arn:aws:dynamodb:*:*:table/*')
    expect(allResourcesEntry(c!)).toBeUndefined()
    expect(allResourcesEntry(d!)).toBe('NotResource')
  })
})

describe('Lambda runtime deprecation table', () => {
  it('knows deprecated and current runtimes, and not unknown ones', () => {
    expect(runtimeDeprecation('nodejs18.x')!.getTime()).toBeLessThan(NOW.getTime())
    expect(runtimeDeprecation('python3.13')!.getTime()).toBeGreaterThan(NOW.getTime())
    expect(runtimeDeprecation('cobol1.x')).toBeUndefined()
  })
})

// manual* fixtures (unknown values, template limits, live-snapshot gaps) are not covered by the
// catalog test, which reads pass* and fail* files only
describe('manual fixtures', () => {
  const cases = ALL_CHECKS.flatMap((c) => {
    const dir = path.join(here, '..', 'testdata', c.id.split('/')[1]!)
    return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.startsWith('manual')).map((f) => [c.id, f, c, path.join(dir, f)] as const) : []
  })

  it('has manual fixtures', () => {
    expect(cases.length).toBeGreaterThan(5)
  })

  it.each(cases)('%s %s asks for manual review and does not fail', async (id, _f, check, file) => {
    const r = await scan([file], { checks: [check], now: NOW })
    expect(r.files[0]?.status).toBe('ok')
    const mine = r.findings.filter((x) => x.checkId === id)
    expect(mine.filter((x) => x.status === 'fail').map((x) => x.message)).toEqual([])
    expect(mine.some((x) => x.status === 'manual')).toBe(true)
    for (const x of mine) expect(x.message).toMatch(/\.$/)
  })
})
