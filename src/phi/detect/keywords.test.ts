import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { KW_CUE, KW_IBAN, KW_MONTH, KW_SUFFIX, KW_YEARS, keywordHits } from './keywords.js'
import { ibanSpans } from './numbers.js'

/** What a plain global scan for IBAN shapes finds: the reference `ibanSpans` must equal. */
function plainIbanSpans(text: string): number[] {
  const re = /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b/g
  const out: number[] = []
  for (let m = re.exec(text); m; m = re.exec(text)) out.push(m.index, m.index + m[0].length)
  return out
}

describe('keywordHits', () => {
  it('lists cue words, case-insensitively, by family', () => {
    const text = 'Patient MRN: 1234; DOB 03/14/1961'
    const { pos, mask } = keywordHits(text)
    expect(pos.map((p) => text.slice(p, p + 3))).toEqual(['Pat', 'MRN', 'DOB'])
    expect(mask.every((m, i) => (i < 2 ? (m & KW_CUE) !== 0 : (m & KW_CUE) === 0))).toBe(true)
  })

  it('finds age suffixes and still the words after the `/` or `.` of `y/o` and `y.o`', () => {
    const text = '92 y/o, 93 y.o., 94 years; y/oct 3, y.office'
    const { pos, mask } = keywordHits(text)
    const years = pos.filter((_, i) => (mask[i]! & KW_YEARS) !== 0).map((p) => text.slice(p, p + 3))
    expect(years).toEqual(['y/o', 'y.o', 'yea', 'y/o', 'y.o'])
    const after = pos.filter((_, i) => (mask[i]! & (KW_MONTH | KW_SUFFIX)) !== 0).map((p) => text.slice(p, p + 3))
    expect(after).toEqual(['oct', 'off'])
  })

  it('marks IBAN heads, also where a cue word starts one or hides one', () => {
    const text = 'IBAN DE89 3704 0044 0532 0130 00; MR12 3456 7890 1234; S/NO93 8601 1117 947; de89 3704 0044'
    const { pos, mask } = keywordHits(text)
    const heads = pos.filter((_, i) => (mask[i]! & KW_IBAN) !== 0).map((p) => text.slice(p, p + 4))
    expect(heads).toEqual(['DE89', 'MR12', 'NO93'])
    expect(ibanSpans(text)).toEqual(plainIbanSpans(text))
    expect(ibanSpans(text).length).toBe(6)
  })

  it('ibanSpans equals a plain global scan on random text', () => {
    const unit = fc.constantFrom(
      ...'ABZ019 -/.:\nx_'.split(''),
      'DE89', 'GB82', 'MR12', 'DL44', 'ab12', 'S/N', 's/n', 'A/C', 'd.o.', 'D.O.B', 'F:', '3704', 'WEST', '0044 ', 'NWBK6016', 'mrn', 'patient',
    )
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 40 }), (parts) => {
        const text = parts.join('')
        expect(ibanSpans(text)).toEqual(plainIbanSpans(text))
      }),
      { numRuns: 5000 },
    )
  })
})
