import { describe, expect, it } from 'vitest'
import { lambdaPermissions, permissionPrincipals, policyDocument } from './policies.js'

const fn = { name: 'intake-api', arn: 'arn:aws:lambda:us-east-1:123456789012:function:intake-api' }

describe('permissionPrincipals', () => {
  it('normalises principals to the AWS::Lambda::Permission form', () => {
    expect(permissionPrincipals('*')).toEqual(['*'])
    expect(permissionPrincipals({ AWS: '*' })).toEqual(['*'])
    expect(permissionPrincipals({ Service: 'events.amazonaws.com' })).toEqual(['events.amazonaws.com'])
    expect(permissionPrincipals({ AWS: 'arn:aws:iam::210987654321:root' })).toEqual(['210987654321'])
    expect(permissionPrincipals({ AWS: 'arn:aws:iam::210987654321:role/partner' })).toEqual(['arn:aws:iam::210987654321:role/partner'])
    expect(permissionPrincipals({ Service: ['s3.amazonaws.com', 'sns.amazonaws.com'] })).toEqual(['s3.amazonaws.com', 'sns.amazonaws.com'])
    expect(permissionPrincipals(undefined)).toEqual([])
  })
})

describe('lambdaPermissions', () => {
  it('maps condition keys case-insensitively and keeps qualified resources', () => {
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'events', Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'lambda:InvokeFunction', Resource: `${fn.arn}:live`, Condition: { ArnLike: { 'aws:sourcearn': 'arn:aws:events:us-east-1:123456789012:rule/nightly' } } },
        { Sid: 'org', Effect: 'Allow', Principal: '*', Action: ['lambda:InvokeFunction'], Resource: fn.arn, Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } },
        { Sid: 'alexa', Effect: 'Allow', Principal: { Service: 'alexa-appkit.amazon.com' }, Action: 'lambda:InvokeFunction', Resource: fn.arn, Condition: { StringEquals: { 'lambda:EventSourceToken': 'amzn1.ask.skill.1234' } } },
        { Sid: 'deny', Effect: 'Deny', Principal: '*', Action: 'lambda:InvokeFunction', Resource: fn.arn },
      ],
    })
    const perms = lambdaPermissions(fn, policy)
    expect(perms.map((p) => p.identifier)).toEqual(['intake-api/events', 'intake-api/org', 'intake-api/alexa'])
    expect(perms[0]!.properties).toEqual({ FunctionName: `${fn.arn}:live`, Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com', SourceArn: 'arn:aws:events:us-east-1:123456789012:rule/nightly' })
    expect(perms[1]!.properties).toEqual({ FunctionName: fn.arn, Action: 'lambda:InvokeFunction', Principal: '*', PrincipalOrgID: 'o-a1b2c3d4e5' })
    expect(perms[2]!.properties['EventSourceToken']).toBe('amzn1.ask.skill.1234')
  })

  it('names statements without a Sid and keeps identifiers unique', () => {
    const perms = lambdaPermissions(fn, {
      Statement: [
        { Effect: 'Allow', Principal: { Service: ['s3.amazonaws.com', 'sns.amazonaws.com'] }, Action: 'lambda:InvokeFunction', Resource: fn.arn },
        { Sid: 'same', Effect: 'Allow', Principal: '*', Action: 'lambda:InvokeFunction', Resource: fn.arn },
        { Sid: 'same', Effect: 'Allow', Principal: '*', Action: 'lambda:InvokeFunction', Resource: fn.arn },
      ],
    })
    expect(perms.map((p) => p.identifier)).toEqual(['intake-api/statement-1-1', 'intake-api/statement-1-2', 'intake-api/same', 'intake-api/same-dup'])
  })

  it('gives nothing for text that is not a policy', () => {
    expect(lambdaPermissions(fn, 'not json')).toEqual([])
    expect(lambdaPermissions(fn, '{}')).toEqual([])
  })
})

describe('policyDocument', () => {
  it('parses JSON text and keeps other text as it is', () => {
    expect(policyDocument('{"Version":"2012-10-17","Statement":[]}')).toEqual({ Version: '2012-10-17', Statement: [] })
    expect(policyDocument('%7B')).toBe('%7B')
  })
})
