import type { PhiHit } from '../types.js'
import { boundaryBefore, type Ctx, hit, isDigitCode } from './context.js'
import { D_AGE, D_CODE, D_DATE, type DigitHits, digitHits } from './digits.js'
import { KW_AGE, KW_YEARS, keywordHits } from './keywords.js'
import { isValidDea, isValidGtin, isValidHibcc, isValidMbi, isValidVin } from './validators.js'

/**
 * Upper-case alphanumeric tokens of 9–17 characters that start with a letter (TOKEN_RE, scanned),
 * or with a digit and a letter (DIGIT_TOKEN_RE, tried where the digit scan saw `D_CODE`): DEA (9),
 * MBI (11; also printed with dashes, `1EG4-TE5-MK73`), VIN (17; VINs whose second character is a
 * digit, such as `19X…`, are found only with a cue). Both start at a word boundary: a token that
 * starts inside a word is never reported, and since a token is all word characters (an MBI's
 * dashed groups are too short to hold another token) and ends at a boundary, skipping one cannot
 * hide a later token.
 */
const TOKEN_RE = /\b[A-Z][0-9A-Z]{8,16}\b/g
const DIGIT_TOKEN_RE = /\b[1-9][A-Z](?:[0-9A-Z]{7,15}\b|[0-9A-Z]{2}-[0-9A-Z]{3}-[0-9A-Z]{4}(?![\w-]))/y
const GS1_RE = /\(01\)[^\S\n]?(\d{14})(?:[^\S\n]?\((?:10|11|17|21|30|240|241|422)\)[^\S\n]?[A-Za-z0-9\-./]{1,20}(?=\(|\s|$|[,;]))*/g
const HIBCC_RE = /\+[A-Z][A-Z0-9]{3}[A-Z0-9$/+%.-]{2,40}(?![\w])/g

/**
 * Where digit hit `i` may start a digit-led token, or -1: at a `D_CODE`, at a one-digit `D_AGE`
 * before `Y`, or at the last digit of a numeric date whose last group is that one digit before a
 * capital (`1123/14/9YG4TE5MK73`: the date pattern took the `9`, so the scan saw no `D_CODE` there).
 */
function tokenStart(text: string, dh: DigitHits, i: number): number {
  const k = dh.kind[i]
  const end = dh.end[i]!
  if (k === D_CODE) return dh.pos[i]!
  if (k === D_AGE) return end - dh.pos[i]! === 1 && text.charCodeAt(end) === 89 ? dh.pos[i]! : -1
  if (k !== D_DATE) return -1
  const sep = text.charCodeAt(end - 2)
  const d = text.charCodeAt(end - 1)
  const c = text.charCodeAt(end)
  return (sep === 45 || sep === 46 || sep === 47) && d >= 49 && d <= 57 && c >= 65 && c <= 90 ? end - 1 : -1
}

/** The DEA, MBI or VIN a token `v` at `at` may be. */
function token(text: string, at: number, v: string, out: PhiHit[]): void {
  const e = at + v.length
  if (!boundaryBefore(text, at)) return
  if (v.length === 13 && v[4] === '-') {
    // the MBI as printed on the card: 1EG4-TE5-MK73
    if (boundaryBefore(text, at, '-') && isValidMbi(v)) out.push(hit('HEALTH_PLAN', at, e, 0.85, 'mbi'))
    return
  }
  if (text[at - 1] === '-' || text[e] === '-') return
  if (v.length === 9) {
    if (isValidDea(v)) out.push(hit('LICENSE', at, e, 0.95, 'dea'))
  } else if (v.length === 11) {
    if (isValidMbi(v)) out.push(hit('HEALTH_PLAN', at, e, 0.85, 'mbi'))
  } else if (v.length === 17) {
    if (/[A-Z]/.test(v) && /\d/.test(v) && isValidVin(v)) out.push(hit('VEHICLE', at, e, 0.95, 'vin'))
  }
}

/**
 * Identifiers that validate by themselves, without a cue: DEA numbers (checksum → LICENSE 0.95),
 * Medicare Beneficiary Identifiers (CMS layout → HEALTH_PLAN 0.85; `1EG4-TE5-MK73` too), VINs
 * (check digit → VEHICLE 0.95), GS1 UDIs (`(01)` GTIN with check digit and the `(17)(10)(21)…`
 * AIs after it → DEVICE 0.97) and HIBCC UDIs (`+` LIC … mod-43 check → DEVICE 0.95).
 */
export function detectCodes(text: string, c: Ctx): PhiHit[] {
  const out: PhiHit[] = []
  if (c.infra) return out
  // letter-led tokens from their scan, digit-led ones where the digit scan saw one, in text order
  const dh = digitHits(text)
  let i = 0
  TOKEN_RE.lastIndex = 0
  let m = TOKEN_RE.exec(text)
  for (;;) {
    let at = -1
    while (i < dh.pos.length && (at = tokenStart(text, dh, i)) < 0) i++
    if (m && (at < 0 || m.index < at)) {
      token(text, m.index, m[0], out)
      m = TOKEN_RE.exec(text)
    } else if (at >= 0) {
      i++
      DIGIT_TOKEN_RE.lastIndex = at
      const d = DIGIT_TOKEN_RE.exec(text)
      if (d) token(text, at, d[0], out)
    } else break
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
/** A unit of time right after an age cue's number: a duration, not an age. */
const TIME_UNIT_AFTER_RE = /[^\S\n]*(?:months?|mos?|weeks?|wks?|days?|hours?|hrs?|minutes?|mins?|seconds?|secs?|ms)\b/iy
/** `-year-old`, ` years old`, ` y/o`, `yo`, `yoF`: the suffix; the number before it is read in code. */
const AGE_SUFFIX_RE = /(?:years?|yrs?\.?)(?:[^\S\n]|-)+(?:old|of[^\S\n]+age)\b|y\/o\b|y\.o\.?|yo[mf]?\b/iy
const NUMBER_BEFORE_RE = /(?:^|[^\w.])(\d{2,3})(?:[^\S\n]*|-)$/

/** An age suffix at `at` (`-year-old`, ` y/o`, `yo`) after a number of two or three digits. */
function ageSuffix(text: string, at: number, add: (s: number, v: string, conf: number) => void): void {
  AGE_SUFFIX_RE.lastIndex = at
  if (!AGE_SUFFIX_RE.test(text)) return
  const from = Math.max(0, at - 6)
  const nb = NUMBER_BEFORE_RE.exec(text.slice(from, at))
  if (!nb) return
  add(from + nb.index + nb[0].indexOf(nb[1]!), nb[1]!, 0.95)
}

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
    // HTTP caching (`max-age=120`, `s-maxage`) and durations (`age 90 months`) are not a person's age
    if (kw.pos[i]! > 0 && text.charCodeAt(kw.pos[i]! - 1) === 45) continue
    TIME_UNIT_AFTER_RE.lastIndex = m.index + m[0].length
    if (TIME_UNIT_AFTER_RE.test(text)) continue
    add(m.index + m[0].length - m[1]!.length, m[1]!, /^turn/i.test(m[0]) ? 0.8 : 0.95)
  }
  // Age suffixes, tried only where one can follow a number: after a space or `-` a suffix starts a
  // word (a KW_YEARS cue word); right after a digit it follows a `D_AGE` run or the digits a
  // numeric date ends in (`3/14/123yo`: the date pattern took `3/14/12`).
  for (let i = 0; i < kw.pos.length; i++) if ((kw.mask[i]! & KW_YEARS) !== 0) ageSuffix(text, kw.pos[i]!, add)
  const dh = digitHits(text)
  for (let i = 0; i < dh.pos.length; i++) {
    const k = dh.kind[i]
    if (k !== D_AGE && k !== D_DATE) continue
    let s = dh.end[i]!
    if (k === D_DATE) while (s < text.length && isDigitCode(text.charCodeAt(s))) s++
    const y = text.charCodeAt(s)
    if (y === 121 || y === 89) ageSuffix(text, s, add)
  }
  out.sort((a, b) => a.start - b.start)
  return out
}
