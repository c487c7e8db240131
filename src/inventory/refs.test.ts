import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import type { Resource } from '../model/index.js'
import { referencedResources, type RefIndex } from './refs.js'

const PREFIXES = ['sg', 'subnet', 'vpc', 'vol', 'i', 'igw', 'nat', 'rtb', 'eni', 'lt', 'pl', 'vpce', 'acl']
const EC2_ID = /^(sg|subnet|vpc|vol|i|igw|nat|rtb|eni|lt|pl|vpce|acl)-[0-9a-f]{8,17}$/

function index(ids: string[], queues: string[]): { idx: RefIndex; byName: Map<string, Resource> } {
  const byName = new Map<string, Resource>()
  const idx: RefIndex = { byId: new Map(), byStackSource: new Map(), byStackLogical: new Map(), byTypeName: new Map(), byArn: new Map(), byPhysicalId: new Map(), generated: new Set() }
  for (const id of ids) {
    const r = { id: `r:${id}`, physicalId: id } as Resource
    idx.byPhysicalId.set(id, r)
    byName.set(id, r)
  }
  for (const q of queues) {
    const r = { id: `q:${q}` } as Resource
    idx.byTypeName.set(`AWS::SQS::Queue\u0000${q}`, [r])
    byName.set(q, r)
  }
  return { idx, byName }
}

describe('referencedResources', () => {
  it('finds live resources by EC2-style id, every prefix and length, and only those (property-based)', () => {
    const hex = fc.array(fc.constantFrom(...'0123456789abcdefg'), { minLength: 6, maxLength: 19 }).map((a) => a.join(''))
    const candidate = fc.oneof(fc.tuple(fc.constantFrom(...PREFIXES, 'sgx', 'ami'), hex).map(([p, h]) => `${p}-${h}`), fc.string({ maxLength: 30 }))
    fc.assert(
      fc.property(fc.array(candidate, { minLength: 1, maxLength: 8 }), (strings) => {
        const { idx, byName } = index(strings, [])
        const from = { stack: 's' } as Resource
        for (const s of strings) {
          const found = referencedResources(s, from, idx)
          expect(found.has(byName.get(s)!), s).toBe(EC2_ID.test(s))
        }
      }),
      { numRuns: 2_000 },
    )
    // the longest and shortest ids
    const longest = `subnet-${'a'.repeat(17)}`
    const shortest = `i-${'0'.repeat(8)}`
    const { idx, byName } = index([longest, shortest], [])
    expect([...referencedResources([longest, shortest], { stack: 's' } as Resource, idx)]).toEqual([byName.get(longest), byName.get(shortest)])
  })

  it('finds a queue by its URL, and intrinsics in nested values', () => {
    const { idx, byName } = index([], ['intake-jobs'])
    const from = { stack: 's' } as Resource
    expect([...referencedResources({ Env: { Q: 'https://sqs.us-east-1.amazonaws.com/123456789012/intake-jobs' } }, from, idx)]).toEqual([byName.get('intake-jobs')])
    expect(referencedResources('http://sqs.us-east-1.amazonaws.com/123456789012/intake-jobs', from, idx).size).toBe(0)
    const bucket = { id: 'b' } as Resource
    idx.byStackSource.set('s', new Map([['Bucket', bucket]]))
    expect([...referencedResources({ A: [{ Ref: 'Bucket' }], B: { 'Fn::GetAtt': ['Bucket', 'Arn'] }, C: { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${Bucket}/*' } }, from, idx)]).toEqual([bucket])
    // an object with two keys is not an intrinsic (its Ref names nothing): its values are looked into
    expect([...referencedResources({ Ref: 'Bucket', Other: { Ref: 'Bucket' } }, from, idx)]).toEqual([bucket])
    expect(referencedResources({ Ref: 'Bucket', Other: 'Bucket' }, from, idx).size).toBe(0)
  })
})
