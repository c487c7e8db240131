import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { NUM_DATE_RE } from './dates.js'
import { D_DATE, digitHits } from './digits.js'

describe('numeric dates', () => {
  it('end where the digit scan says a date ends, wherever the date pattern matches', () => {
    const unit = fc.constantFrom(...'0123456789-/. T:\nx'.split(''), '2024', '03', '14', '1961', '19', '20', '12:30', 'T10:', '3/14/', '2024-03-')
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 30 }), (parts) => {
        const text = parts.join('')
        const dh = digitHits(text)
        for (let i = 0; i < dh.pos.length; i++) {
          if (dh.kind[i] !== D_DATE) continue
          NUM_DATE_RE.lastIndex = dh.pos[i]!
          const m = NUM_DATE_RE.exec(text)
          if (m) expect(dh.pos[i]! + m[0].length).toBe(dh.end[i])
        }
      }),
      { numRuns: 20000 },
    )
  })
})

describe('date-times in fields of a date of the individual', () => {
  it('a date of birth or a care period with a time of day is a DATE; a record timestamp is not', async () => {
    const { detectAll } = await import('../detect-all.js')
    const types = (v: string, field: string) => detectAll(v, { field, kind: 'value' }).map((h) => h.type)
    for (const field of ['dob', 'DOB', 'PatientDOB', 'birthdate', 'date_of_birth', 'Encounter.period.start', 'Encounter.period.end']) expect(types('1958-07-04 00:00:00', field), field).toEqual(['DATE'])
    for (const field of ['created_at', 'timestamp', 'updated_at']) expect(types('2024-03-04 09:00:00', field), field).toEqual([])
  })
})
