import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { D_AGE, D_CARD, D_CODE, D_DATE, D_IPV4, D_NANP, D_SSN, digitHits } from './digits.js'

/** The candidates as the plain alternation finds them: the reference the grouped pattern must equal. */
const EXT = '(?:\\s*(?:x|ext\\.?|extension)\\s*\\d{1,5})?'
const PLAIN = new RegExp(
  [
    `\\b(\\d{4}[ -]\\d{4}[ -]\\d{4}[ -]\\d{1,7}|\\d{4}[ -]\\d{6}[ -]\\d{4,5}|\\d{12,19})(?![\\w-]|\\.\\d)`,
    `\\b(\\d{3}[- ]\\d{2}[- ]\\d{4})(?![\\w-])`,
    `\\b(\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3})(?![\\w-]|\\.\\d)`,
    `\\b(\\d(?:\\d\\d\\d[-/.]\\d\\d?[-/.]\\d\\d?|\\d?[-/.]\\d\\d?[-/.](?:\\d{4}|\\d\\d)|\\d?\\/(?:19|20)\\d\\d))`,
    `((?:(?:\\+|\\b)1[\\s.-]?)?(?:\\(\\d{3}\\)[\\s.-]?|\\b\\d{3}[\\s.-])\\d{3}[\\s.-]\\d{4}${EXT})(?![\\w/]|[.-]\\d)`,
    `\\b(\\d{1,3})(?=[yY])`,
    `\\b([1-9])(?=[A-Z])`,
  ].join('|'),
  'g',
)
function plain(text: string): { pos: number[]; end: number[]; kind: number[] } {
  const pos: number[] = []
  const end: number[] = []
  const kind: number[] = []
  PLAIN.lastIndex = 0
  for (let m = PLAIN.exec(text); m; m = PLAIN.exec(text)) {
    pos.push(m.index)
    end.push(PLAIN.lastIndex)
    kind.push(m[1] !== undefined ? D_CARD : m[2] !== undefined ? D_SSN : m[3] !== undefined ? D_IPV4 : m[4] !== undefined ? D_DATE : m[5] !== undefined ? D_NANP : m[6] !== undefined ? D_AGE : D_CODE)
  }
  return { pos, end, kind }
}

describe('digitHits', () => {
  it('finds each kind of digit-led candidate', () => {
    const text = 'card 4111 1111 1111 1111, SSN 536-22-1234, ip 8.8.4.4, dob 03/14/1961, call (212) 736-5000 or +1 212 736 5000 or 1-800-555-1212'
    const { pos, end, kind } = digitHits(text)
    expect(plain(text)).toEqual({ pos: [...pos], end: [...end], kind: [...kind] })
    const found = pos.map((p, i) => [text.slice(p, p + 6), kind[i]])
    expect(found).toEqual([
      ['4111 1', D_CARD],
      ['536-22', D_SSN],
      ['8.8.4.', D_IPV4],
      ['03/14/', D_DATE],
      ['(212) ', D_NANP],
      ['+1 212', D_NANP],
      ['1-800-', D_NANP],
    ])
  })

  it('equals the plain alternation on random digit-heavy text', () => {
    const unit = fc.constantFrom(...'0123456789-/.() +x\nab_'.split(''), '1-', '(2', '+1', 'ext', '19', '20', ' 555-', '.1', '4111', '12345678', '0000 ', '123-45-', '6789', '10.0.', 'yo', 'Y', 'E', '1EG')
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 60 }), (parts) => {
        const text = parts.join('')
        const got = digitHits(text)
        expect({ pos: [...got.pos], end: [...got.end], kind: [...got.kind] }).toEqual(plain(text))
      }),
      { numRuns: 5000 },
    )
  })
})
