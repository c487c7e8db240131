import { describe, expect, it } from 'vitest'
import { errorCode, ErrorLog, isCredentialsError, isHandlerThrottling, isTypeLevelError, safeMessage } from './errors.js'

const sdkError = (name: string, message: string): Error => Object.assign(new Error(message), { name })

describe('safeMessage', () => {
  it('masks access key ids and password-like assignments', () => {
    const m = safeMessage(sdkError('X', 'The key AKIAIOSFODNN7EXAMPLE was rejected; password=hunter2-prod'))
    expect(m).not.toContain('AKIAIOSFODNN7EXAMPLE')
    expect(m).not.toContain('hunter2-prod')
    expect(m).toMatch(/password=\*\*\*\*\(/)
  })

  it('bounds the length and removes line breaks', () => {
    const m = safeMessage(new Error(`line one\nline two ${'x'.repeat(1000)}`))
    expect(m.length).toBeLessThanOrEqual(400)
    expect(m).not.toContain('\n')
  })
})

describe('error classes', () => {
  it('tells credentials, type-level and throttling failures apart', () => {
    expect(isCredentialsError(sdkError('CredentialsProviderError', 'Could not load credentials from any providers'))).toBe(true)
    expect(isCredentialsError(sdkError('AccessDeniedException', 'denied'))).toBe(false)
    expect(isTypeLevelError(sdkError('UnsupportedActionException', 'no LIST'))).toBe(true)
    expect(isTypeLevelError(sdkError('AccessDeniedException', 'denied'))).toBe(true)
    expect(isTypeLevelError(sdkError('ThrottlingException', 'slow down'))).toBe(false)
    expect(isHandlerThrottling(sdkError('GeneralServiceException', 'Rate exceeded (Service: Lambda)'))).toBe(true)
    expect(isHandlerThrottling(sdkError('GeneralServiceException', 'Internal failure'))).toBe(false)
    expect(errorCode({ Code: 'NoSuchEntity' })).toBe('NoSuchEntity')
    expect(errorCode('boom')).toBe('Error')
  })
})

describe('ErrorLog', () => {
  it('aggregates repeated failures of one kind with a count', () => {
    const log = new ErrorLog()
    for (let i = 0; i < 3; i++) log.add({ service: 'cloudcontrol', region: 'us-east-1', operation: 'GetResource', resourceType: 'AWS::S3::Bucket' }, sdkError('AccessDeniedException', `denied ${i}`))
    log.add({ service: 'cloudcontrol', region: 'us-west-2', operation: 'GetResource', resourceType: 'AWS::S3::Bucket' }, sdkError('AccessDeniedException', 'denied'))
    expect(log.size).toBe(2)
    expect(log.list()).toEqual([
      { service: 'cloudcontrol', region: 'us-east-1', operation: 'GetResource', resourceType: 'AWS::S3::Bucket', code: 'AccessDeniedException', count: 3, message: '3 calls failed; first: denied 0' },
      { service: 'cloudcontrol', region: 'us-west-2', operation: 'GetResource', resourceType: 'AWS::S3::Bucket', code: 'AccessDeniedException', message: 'denied' },
    ])
  })
})
