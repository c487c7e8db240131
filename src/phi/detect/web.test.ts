import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { hasFullV6Run } from './web.js'

const PATTERN = /:[0-9a-fA-F]{1,4}:[0-9a-fA-F]{1,4}:[0-9a-fA-F]{1,4}:[0-9a-fA-F]{1,4}:/

describe('hasFullV6Run', () => {
  it('finds four hex groups between colons', () => {
    expect(hasFullV6Run('addr 2001:0db8:85a3:0000:0000:8a2e:0370:7334')).toBe(true)
    expect(hasFullV6Run('12:30:45 and a:b:c')).toBe(false)
    expect(hasFullV6Run('x:12345:1:2:3:')).toBe(false)
  })

  it('answers as the pattern does on random text', () => {
    const unit = fc.constantFrom(...':0aF9gx. \n'.split(''), '::', 'db8:', '12345', 'ffff', ':0:')
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 40 }), (parts) => {
        const text = parts.join('')
        expect(hasFullV6Run(text)).toBe(PATTERN.test(text))
      }),
      { numRuns: 5000 },
    )
  })
})
