import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { readCtx } from './context.js'
import { detectCards } from './numbers.js'
import { isCardPrefix, isValidCard } from './validators.js'

describe('detectCards', () => {
  it('skips numbers no scheme starts with: only 2–6 or 1800 can begin a card', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{12,19}$/), (d) => {
        const first = d.charCodeAt(0)
        if ((first >= 50 && first <= 54) || d.startsWith('1800')) return
        expect(isCardPrefix(d)).toBe(false)
      }),
      { numRuns: 20000 },
    )
    for (const p of ['1800', '2221', '3400', '4000', '5100', '6011']) {
      expect(isCardPrefix(p + '0'.repeat(p === '3400' ? 11 : 12))).toBe(true)
    }
  })

  it('finds a valid card whatever its scheme, and no epoch-milliseconds timestamp', () => {
    const c = readCtx(undefined)
    const cards = ['4111 1111 1111 1111', '5555-5555-5555-4444', '378282246310005', '6011111111111117', '3530111333300000', '2223003122003222', '180000000000010']
    for (const card of cards) {
      expect(isValidCard(card)).toBe(true)
      const text = `paid with ${card} today`
      expect(detectCards(text, c).map((h) => text.slice(h.start, h.end))).toEqual([card])
    }
    expect(detectCards('event at 1712345678901 done', c)).toEqual([])
  })
})
