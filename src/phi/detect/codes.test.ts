import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { PhiHit } from '../types.js'
import { detectAges, detectCodes } from './codes.js'
import { boundaryBefore, hit, readCtx } from './context.js'
import { KW_AGE, keywordHits } from './keywords.js'
import { isValidDea, isValidMbi, isValidVin } from './validators.js'

/** The age detector as it was written first: the suffix pattern scanned over the whole text. */
function plainAges(text: string): PhiHit[] {
  const out: PhiHit[] = []
  const add = (s: number, v: string, conf: number): void => {
    const n = Number(v)
    if (n >= 90 && n <= 125) out.push(hit('AGE_OVER_89', s, s + v.length, conf, 'age'))
  }
  const cue = /\b(?:age[d:]?|aged|turn(?:ed|s|ing))[^\S\n]*(?:of[^\S\n]+|is[^\S\n]+|=[^\S\n]*)?(\d{2,3})(?![\w.]|\.\d)/iy
  const kw = keywordHits(text)
  for (let i = 0; i < kw.pos.length; i++) {
    if ((kw.mask[i]! & KW_AGE) === 0) continue
    cue.lastIndex = kw.pos[i]!
    const m = cue.exec(text)
    // not after `-` (max-age) nor before a unit of time (a duration)
    if (m && (kw.pos[i]! === 0 || text[kw.pos[i]! - 1] !== '-') && !/^[^\S\n]*(?:months?|mos?|weeks?|wks?|days?|hours?|hrs?|minutes?|mins?|seconds?|secs?|ms)\b/i.test(text.slice(m.index + m[0].length))) add(m.index + m[0].length - m[1]!.length, m[1]!, /^turn/i.test(m[0]) ? 0.8 : 0.95)
  }
  const suffix = /(?:years?|yrs?\.?)(?:[^\S\n]|-)+(?:old|of[^\S\n]+age)\b|y\/o\b|y\.o\.?|yo[mf]?\b/gi
  for (let m = suffix.exec(text); m; m = suffix.exec(text)) {
    const from = Math.max(0, m.index - 6)
    const nb = /(?:^|[^\w.])(\d{2,3})(?:[^\S\n]*|-)$/.exec(text.slice(from, m.index))
    if (nb) add(from + nb.index + nb[0].indexOf(nb[1]!), nb[1]!, 0.95)
  }
  return out.sort((a, b) => a.start - b.start)
}

describe('detectAges', () => {
  const c = readCtx(undefined)

  it('finds ages over 89 before a suffix, after a cue, and after a date that took part of the number', () => {
    const text = 'a 92-year-old, 94 y/o, 95yo, 96YOF, aged 97, 99 years of age, 3/14/123yo, 45 yo, 130yo'
    expect(detectAges(text, c).map((h) => text.slice(h.start, h.end))).toEqual(['92', '94', '95', '96', '97', '99', '123'])
    expect(detectAges(text, c)).toEqual(plainAges(text))
  })

  it('equals the whole-text suffix scan on random text', () => {
    const unit = fc.constantFrom(
      ...'0159 -./\nxY'.split(''), '95', '123', '90', 'yo', 'y/o', 'y.o.', 'yom', 'years old', '-year-old', 'yrs', 'yr.', 'of age',
      '3/14/', '2024-01-', 'age ', 'aged', 'turned ', 'you', 'YO', 'y/oct', '   ', '\u00a0', 'mr12', 'MR12',
    )
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 30 }), (parts) => {
        const text = parts.join('')
        expect(detectAges(text, c)).toEqual(plainAges(text))
      }),
      { numRuns: 5000 },
    )
  })
})

/** The token part of detectCodes as it was written first: one scan for letter- and digit-led tokens. */
function plainTokens(text: string): PhiHit[] {
  const out: PhiHit[] = []
  const re = /\b[A-Z][0-9A-Z]{8,16}\b|\b[1-9][A-Z](?:[0-9A-Z]{7,15}\b|[0-9A-Z]{2}-[0-9A-Z]{3}-[0-9A-Z]{4}(?![\w-]))/g
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const v = m[0]
    const e = m.index + v.length
    if (!boundaryBefore(text, m.index)) continue
    if (v.length === 13 && v[4] === '-') {
      if (boundaryBefore(text, m.index, '-') && isValidMbi(v)) out.push(hit('HEALTH_PLAN', m.index, e, 0.85, 'mbi'))
      continue
    }
    if (text[m.index - 1] === '-' || text[e] === '-') continue
    if (v.length === 9) {
      if (isValidDea(v)) out.push(hit('LICENSE', m.index, e, 0.95, 'dea'))
    } else if (v.length === 11) {
      if (isValidMbi(v)) out.push(hit('HEALTH_PLAN', m.index, e, 0.85, 'mbi'))
    } else if (v.length === 17) {
      if (/[A-Z]/.test(v) && /\d/.test(v) && isValidVin(v)) out.push(hit('VEHICLE', m.index, e, 0.95, 'vin'))
    }
  }
  return out
}

describe('detectCodes tokens', () => {
  const c = readCtx(undefined)
  const tokens = (text: string): PhiHit[] => detectCodes(text, c).filter((h) => !h.detector.startsWith('udi'))

  it('finds DEA numbers, MBIs (plain and dashed) and VINs, letter- or digit-led', () => {
    const text = 'DEA AB1234563; MBI 1EG4TE5MK73 or 1EG4-TE5-MK73; VIN 1HGCM82633A004352, JHM0EC28XB04LM43M; 9YG4TE5MK73; 1123/14/9YG4TE5MK73'
    expect(tokens(text).map((h) => text.slice(h.start, h.end))).toEqual(plainTokens(text).map((h) => text.slice(h.start, h.end)))
    expect(tokens(text)).toEqual(plainTokens(text))
    expect(tokens(text).length).toBeGreaterThanOrEqual(4)
  })

  it('equals one scan for both token shapes on random text', () => {
    const unit = fc.constantFrom(
      ...'19AEGYZ -./\n'.split(''), 'AB1234563', '1EG4TE5MK73', '1EG4-TE5-MK73', '9YG4TE5MK73', '1HGCM82633A004352', 'JHM0EC28XB04LM43M',
      '1E', '9Y', 'EG4', '-TE5', '3/14/', '1123/14/', '12', 'yo', '555-',
    )
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 16 }), (parts) => {
        const text = parts.join('')
        expect(tokens(text)).toEqual(plainTokens(text))
      }),
      { numRuns: 5000 },
    )
  })
})
