import type { PhiHit } from '../types.js'
import { boundaryBefore, type Ctx, hit } from './context.js'
import { KW_AGE, keywordHits } from './keywords.js'
import { isValidDea, isValidGtin, isValidHibcc, isValidMbi, isValidVin } from './validators.js'

/**
 * Upper-case alphanumeric tokens of 9–17 characters that start with a letter, or with a digit and
 * a letter: DEA (9), MBI (11; also printed with dashes, `1EG4-TE5-MK73`), VIN (17; VINs whose
 * second character is a digit, such as `19X…`, are found only with a cue). Both start at a word
 * boundary: a token that starts inside a word is never reported, and since a token is all word
 * characters and ends at a boundary, skipping one cannot hide a later token.
 */
const TOKEN_RE = /\b[A-Z][0-9A-Z]{8,16}\b|\b[1-9][A-Z](?:[0-9A-Z]{7,15}\b|[0-9A-Z]{2}-[0-9A-Z]{3}-[0-9A-Z]{4}(?![\w-]))/g
const GS1_RE = /\(01\)[^\S\n]?(\d{14})(?:[^\S\n]?\((?:10|11|17|21|30|240|241|422)\)[^\S\n]?[A-Za-z0-9\-./]{1,20}(?=\(|\s|$|[,;]))*/g
const HIBCC_RE = /\+[A-Z][A-Z0-9]{3}[A-Z0-9$/+%.-]{2,40}(?![\w])/g

/**
 * Identifiers that validate by themselves, without a cue: DEA numbers (checksum → LICENSE 0.95),
 * Medicare Beneficiary Identifiers (CMS layout → HEALTH_PLAN 0.85; `1EG4-TE5-MK73` too), VINs
 * (check digit → VEHICLE 0.95), GS1 UDIs (`(01)` GTIN with check digit and the `(17)(10)(21)…`
 * AIs after it → DEVICE 0.97) and HIBCC UDIs (`+` LIC … mod-43 check → DEVICE 0.95).
 */
export function detectCodes(text: string, c: Ctx): PhiHit[] {
  const out: PhiHit[] = []
  if (c.infra) return out
  TOKEN_RE.lastIndex = 0
  for (let m = TOKEN_RE.exec(text); m; m = TOKEN_RE.exec(text)) {
    const v = m[0]
    const e = m.index + v.length
    if (!boundaryBefore(text, m.index)) continue
    if (v.length === 13 && v[4] === '-') {
      // the MBI as printed on the card: 1EG4-TE5-MK73
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
  if (text.indexOf('(01)') >= 0) {
    GS1_RE.lastIndex = 0
    for (let m = GS1_RE.exec(text); m; m = GS1_RE.exec(text)) {
      const v = m[0].replace(/[.\-/]+$/, '')
      if (isValidGtin(m[1]!)) out.push(hit('DEVICE', m.index, m.index + v.length, 0.97, 'udi-gs1'))
    }
  }
  if (text.indexOf('+') >= 0) {
    HIBCC_RE.lastIndex = 0
    for (let m = HIBCC_RE.exec(text); m; m = HIBCC_RE.exec(text)) {
      if (boundaryBefore(text, m.index, '+') && isValidHibcc(m[0])) out.push(hit('DEVICE', m.index, m.index + m[0].length, 0.95, 'udi-hibcc'))
    }
  }
  return out
}

/** `age 94`, `aged 90`, `Age: 101`, `age of 92`, `turned 96`: the cue, then the number. */
const AGE_CUE_RE = /\b(?:age[d:]?|aged|turn(?:ed|s|ing))[^\S\n]*(?:of[^\S\n]+|is[^\S\n]+|=[^\S\n]*)?(\d{2,3})(?![\w.]|\.\d)/iy
/** `-year-old`, ` years old`, ` y/o`, `yo`, `yoF`: the suffix; the number before it is read in code. */
const AGE_SUFFIX_RE = /(?:years?|yrs?\.?)(?:[^\S\n]|-)+(?:old|of[^\S\n]+age)\b|y\/o\b|y\.o\.?|yo[mf]?\b/gi
const NUMBER_BEFORE_RE = /(?:^|[^\w.])(\d{2,3})(?:[^\S\n]*|-)$/

/**
 * AGE_OVER_89: ages 90 and above (`92-year-old`, `age 94`, `aged 90`, `Age: 101`, `94 y/o`,
 * `94yo`, `turned 96`, an `age` field). The span is the number. Ages up to 89 are not identifiers;
 * above 125 is not an age.
 */
export function detectAges(text: string, c: Ctx): PhiHit[] {
  const out: PhiHit[] = []
  if (c.infra) return out
  if (c.ageField) {
    const t = text.trim()
    const n = Number(t)
    if (/^\d{2,3}$/.test(t) && n >= 90 && n <= 125) out.push(hit('AGE_OVER_89', text.indexOf(t), text.indexOf(t) + t.length, 0.95, 'age-field'))
    return out
  }
  const add = (s: number, v: string, conf: number): void => {
    const n = Number(v)
    if (n >= 90 && n <= 125) out.push(hit('AGE_OVER_89', s, s + v.length, conf, 'age'))
  }
  const kw = keywordHits(text)
  for (let i = 0; i < kw.pos.length; i++) {
    if ((kw.mask[i]! & KW_AGE) === 0) continue
    AGE_CUE_RE.lastIndex = kw.pos[i]!
    const m = AGE_CUE_RE.exec(text)
    if (!m) continue
    add(m.index + m[0].length - m[1]!.length, m[1]!, /^turn/i.test(m[0]) ? 0.8 : 0.95)
  }
  AGE_SUFFIX_RE.lastIndex = 0
  for (let m = AGE_SUFFIX_RE.exec(text); m; m = AGE_SUFFIX_RE.exec(text)) {
    const from = Math.max(0, m.index - 6)
    const nb = NUMBER_BEFORE_RE.exec(text.slice(from, m.index))
    if (!nb) continue
    add(from + nb.index + nb[0].indexOf(nb[1]!), nb[1]!, 0.95)
  }
  out.sort((a, b) => a.start - b.start)
  return out
}
