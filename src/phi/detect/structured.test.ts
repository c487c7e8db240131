import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { PhiHit } from '../types.js'
import { sortHits } from './structured.js'

describe('sortHits', () => {
  it('orders as a stable sort by start, longer first, more confident first', () => {
    const hitArb = fc.record({
      type: fc.constantFrom('DATE', 'PHONE', 'SSN', 'MRN'),
      start: fc.integer({ min: 0, max: 30 }),
      len: fc.integer({ min: 1, max: 6 }),
      confidence: fc.constantFrom(0.5, 0.85, 0.95),
      id: fc.nat(),
    })
    fc.assert(
      fc.property(fc.array(hitArb, { maxLength: 140 }), (raw) => {
        const hits = raw.map((h, i) => ({ type: h.type, start: h.start, end: h.start + h.len, confidence: h.confidence, detector: String(i) }) as unknown as PhiHit)
        const want = [...hits].sort((a, b) => a.start - b.start || b.end - a.end || b.confidence - a.confidence)
        const got = [...hits]
        sortHits(got)
        expect(got).toEqual(want)
      }),
      { numRuns: 2000 },
    )
  })
})
