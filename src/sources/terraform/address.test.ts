import { describe, expect, it } from 'vitest'
import { configKey, formatAddress, normalizeAddress, parseAddress, parseTraversal, resourceOf } from './address.js'

describe('Terraform addresses', () => {
  it('parses module instances, data sources and instance keys', () => {
    expect(parseAddress('module.audit["eu-west-1"].module.logs[0].data.aws_iam_policy_document.trail["a.b"]')).toEqual({
      modules: [
        { name: 'audit', key: 'eu-west-1' },
        { name: 'logs', key: 0 },
      ],
      mode: 'data',
      type: 'aws_iam_policy_document',
      name: 'trail',
      key: 'a.b',
    })
    expect(parseAddress('aws_s3_bucket.phi')).toEqual({ modules: [], mode: 'managed', type: 'aws_s3_bucket', name: 'phi' })
  })

  it('keeps keys that contain dots, brackets and quotes intact', () => {
    const a = parseAddress('aws_s3_bucket.b["x].y\\"z"]')!
    expect(a.key).toBe('x].y"z')
    expect(formatAddress(a)).toBe('aws_s3_bucket.b["x].y\\"z"]')
    expect(resourceOf('aws_s3_bucket.b["x].y\\"z"]')).toBe('aws_s3_bucket.b')
  })

  it('gives one spelling for every address and its configuration key', () => {
    const a = parseAddress('module.audit[1].aws_cloudtrail.main')!
    expect(formatAddress(a)).toBe('module.audit[1].aws_cloudtrail.main')
    expect(configKey(a)).toBe('aws_cloudtrail.main')
    expect(configKey({ mode: 'data', type: 'aws_caller_identity', name: 'current' })).toBe('data.aws_caller_identity.current')
    expect(normalizeAddress('not an address')).toBe('not an address')
  })

  it('rejects what is not an address', () => {
    for (const bad of ['', '.', 'aws_s3_bucket', 'aws_s3_bucket.b.c', 'aws_s3_bucket.b[', 'module.', 'aws_s3_bucket.b[x]', 'a..b', 'aws_s3_bucket.b["x"]["y"]', 'aws_s3_bucket.b["x"]y', '[0].a']) {
      expect(parseAddress(bad), bad).toBeUndefined()
    }
  })

  it('splits reference traversals into names and indexes', () => {
    expect(parseTraversal('aws_lb.main.access_logs[0].bucket')).toEqual([{ name: 'aws_lb' }, { name: 'main' }, { name: 'access_logs' }, { index: 0 }, { name: 'bucket' }])
    expect(parseTraversal('aws_subnet.private[*].id')).toEqual([{ name: 'aws_subnet' }, { name: 'private' }, { index: '*' }, { name: 'id' }])
    expect(parseTraversal('module.m["k"].out')).toEqual([{ name: 'module' }, { name: 'm' }, { index: 'k' }, { name: 'out' }])
    expect(parseTraversal('var.x[')).toBeUndefined()
  })
})
