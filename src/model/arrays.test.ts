import { describe, expect, it } from 'vitest'
import { pushAll } from './arrays.js'

describe('pushAll', () => {
  it('appends in order, and takes more elements than a spread into push can', () => {
    expect(pushAll([1, 2], [3, 4])).toEqual([1, 2, 3, 4])
    const big = Array.from({ length: 500_000 }, (_, i) => i)
    expect(() => [0].push(...big)).toThrow(RangeError)
    const out = pushAll([-1], big)
    expect(out.length).toBe(500_001)
    expect(out[500_000]).toBe(499_999)
  })
})
