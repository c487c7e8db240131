import fc from 'fast-check'
import { parsePhoneNumberFromString } from 'libphonenumber-js/max'
import { describe, expect, it } from 'vitest'
import { isValidNanp } from './nanp.js'
import { isValidPhone } from './numbers.js'

/** What the library itself answers, with default region US or (for `+` numbers) none. */
function libraryValid(text: string, region: 'US' | undefined = 'US'): { possible: boolean; valid: boolean } {
  const p = region === undefined ? parsePhoneNumberFromString(text) : parsePhoneNumberFromString(text, region)
  return { possible: p?.isPossible() ?? false, valid: p?.isValid() ?? false }
}

const national = fc.tuple(fc.integer({ min: 2, max: 9 }), fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 9, maxLength: 9 })).map(([a, rest]) => `${a}${rest.join('')}`)
const writings = (d: string): string[] => [
  d,
  `(${d.slice(0, 3)}) ${d.slice(3, 6)}-${d.slice(6)}`,
  `${d.slice(0, 3)}.${d.slice(3, 6)}.${d.slice(6)}`,
  `1-${d.slice(0, 3)}-${d.slice(3, 6)}-${d.slice(6)}`,
  `+1 ${d.slice(0, 3)} ${d.slice(3, 6)} ${d.slice(6)}`,
  `+1${d}`,
]

describe('isValidNanp (libphonenumber-js metadata compiled once)', () => {
  it('answers as libphonenumber-js does for US, Canadian, Caribbean, toll-free, premium and unassigned numbers', () => {
    const cases: Array<[string, boolean]> = [
      ['2127365000', true], // New York
      ['4169791234', true], // Toronto: CA
      ['8769271234', true], // Jamaica
      ['6714721234', true], // Guam
      ['8005551212', true], // toll free
      ['9005551234', true], // premium rate
      ['2125550123', true], // 555-01xx fictional range is still assigned in the metadata
      ['2121234567', false], // exchange 1xx
      ['9991234567', false], // unassigned area code
    ]
    for (const [d, want] of cases) {
      expect(isValidNanp(d), d).toBe(want)
      expect(libraryValid(d).valid, d).toBe(want)
    }
  })

  it('equals libphonenumber-js on random ten-digit numbers in every writing isValidPhone takes the fast path for', () => {
    fc.assert(
      fc.property(national, (d) => {
        for (const w of writings(d)) {
          const lib = libraryValid(w)
          expect(isValidPhone(w), w).toEqual(lib)
          if (w.startsWith('+')) expect(isValidPhone(w, undefined), w).toEqual(libraryValid(w, undefined))
          expect(isValidNanp(d), w).toBe(lib.valid)
        }
      }),
      { numRuns: 3000 },
    )
  })

  it('leaves numbers outside the fast path to the library (extensions, 7 digits, other countries)', () => {
    for (const w of ['212-736-5000 x123', '555-0123', '+44 20 7946 0958', '+49 30 901820', '0123456789', '+0000']) {
      expect(isValidPhone(w), w).toEqual(libraryValid(w))
      if (w.startsWith('+')) expect(isValidPhone(w, undefined), w).toEqual(libraryValid(w, undefined))
    }
  })
})
