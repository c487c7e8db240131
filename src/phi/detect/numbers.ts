import { parsePhoneNumberFromString } from 'libphonenumber-js/max'
import type { PhiHit } from '../types.js'
import { boundaryBefore, type Ctx, hit, infraBefore, isDigitCode } from './context.js'
import { D_CARD, D_NANP, D_SSN, digitHits } from './digits.js'
import { KW_IBAN, KW_PHONE, KW_SSN, KW_SUFFIX, keywordHits, matchesAtCues } from './keywords.js'
import { isValidCard, isValidIban, isValidSsn } from './validators.js'
import { isValidNanp } from './nanp.js'

const SSN_RE = /\b\d{3}([- ])\d{2}\1\d{4}(?![\w-])/y
const SSN_CUE_RE = /\b(?:ssn|ss#|ss no\.?|social security(?:\s+(?:number|no\.?|num|#))?|soc\.?\s?sec\.?(?:\s*(?:no\.?|#|number))?)\s*(?:is\s+|was\s+)?[:#=]?\s*["']?(\d{9}|\d{3}[- ]\d{2}[- ]\d{4})(?![\w-])/iy

/**
 * SSN: `NNN-NN-NNNN` and `NNN NN NNNN` anywhere, 9 bare digits only after an SSN cue (`SSN`,
 * `social security number`, `SS#`) or in an SSN field; invalid areas (000, 666, 900–999), group
 * 00, serial 0000 and published numbers (078-05-1120, 219-09-9999, 123-45-6789) are rejected.
 * Confidence 0.98 with a cue, 0.85 dashed, 0.7 spaced.
 */
export function detectSsn(text: string, c: Ctx): PhiHit[] {
  const out: PhiHit[] = []
  if (c.infra) return out
  if (c.declared === 'SSN') {
    const t = text.trim()
    const s = text.indexOf(t)
    if (/^\d{3}[- ]?\d{2}[- ]?\d{4}$/.test(t) && isValidSsn(t)) return [hit('SSN', s, s + t.length, 0.97, 'ssn-field')]
  }
  let seen: Set<number> | undefined
  const kw = keywordHits(text)
  for (let i = 0; i < kw.pos.length; i++) {
    if ((kw.mask[i]! & KW_SSN) === 0) continue
    SSN_CUE_RE.lastIndex = kw.pos[i]!
    const m = SSN_CUE_RE.exec(text)
    if (!m) continue
    const v = m[1]!
    const s = m.index + m[0].length - v.length
    if (!isValidSsn(v)) continue
    if (seen === undefined) seen = new Set()
    seen.add(s)
    out.push(hit('SSN', s, s + v.length, 0.98, 'ssn-cue'))
  }
  const dh = digitHits(text)
  for (let i = 0; i < dh.pos.length; i++) {
    if (dh.kind[i] !== D_SSN) continue
    SSN_RE.lastIndex = dh.pos[i]!
    const m = SSN_RE.exec(text)
    if (!m) continue
    if (seen?.has(m.index) || !boundaryBefore(text, m.index, '-') || !isValidSsn(m[0])) continue
    out.push(hit('SSN', m.index, m.index + m[0].length, m[1] === '-' ? 0.85 : 0.7, 'ssn'))
  }
  return out
}

const EXT = '(?:\\s*(?:x|ext\\.?|extension)\\s*\\d{1,5})?'
/** NANP shapes: `(212) 555-0123`, `212-555-0123`, `212.555.0123`, `+1 212 555 0123`, `1-800-…`. */
const NANP_RE = new RegExp(`(?:(?:\\+|\\b)1[\\s.-]?)?(?:\\(\\d{3}\\)[\\s.-]?|\\b\\d{3}[\\s.-])\\d{3}[\\s.-]\\d{4}${EXT}(?![\\w/]|[.-]\\d)`, 'y')
/** `(212) 555-0123`, `212-555-0123`, `212.555.0123` with one separator style. */
const STRICT_NANP = /^(?:\+?1[-. ])?(?:\(\d{3}\) ?\d{3}-\d{4}|\d{3}-\d{3}-\d{4}|\d{3}\.\d{3}\.\d{4})(?:\s*(?:x|ext\.?|extension)\s*\d{1,5})?$/
/** International numbers written with `+`: `+44 20 7946 0958`, `+49-30-901820`. */
const INTL_RE = /\+\d{1,3}(?:[\s.-]?\(?\d{1,5}\)?){1,6}(?![\w]|[.-]\d)/g
/** A phone cue, then the digits that follow it (any grouping). */
const PHONE_CUE_RE = /\b(?:phone|ph|tel|telephone|mobile|cell|cellphone|pager|fax|facsimile|call(?:\s+me)?(?:\s+(?:at|on))?|text\s+me(?:\s+at)?|reach(?:\s+me)?\s+at|answering\s+at|messages?\s+to|contact(?:\s+(?:number|no\.?|#))?)\b[^\S\n]*(?:#|no\.?|number)?[^\S\n]*[:=]?[^\S\n]*\n?[^\S\n]*(\+?\(?\d[\d \t().-]{4,18}\d)(?![\w]|[.-]\d)|\bF:[^\S\n]*(\+?\(?\d[\d \t().-]{4,18}\d)(?![\w]|[.-]\d)/iy
/** Labels written after a number (`07700 063 966-Fax`, `416 60 039 office`). */
const SUFFIX_WORD_RE = /\b(?:fax|office|home|mobile|cell|work|facsimile)\b/iy

/** `[\d \t().+-]`: a digit or what groups the digits of a phone number. */
function isPhoneChar(c: number): boolean {
  return (c >= 48 && c <= 57) || c === 32 || c === 9 || c === 40 || c === 41 || c === 46 || c === 43 || c === 45
}

/** The span of the phone-like number (7–15 digits) that ends just before a label at `k`. */
function suffixedNumber(text: string, k: number): [number, number] | undefined {
  let e = k
  let gap = 0
  while (e > 0 && (text[e - 1] === ' ' || text[e - 1] === '\t' || text[e - 1] === '-') && gap < 3) {
    e--
    gap++
  }
  if (gap === 0 || e === 0 || !isDigitCode(text.charCodeAt(e - 1))) return undefined
  let s = e
  while (s > 0 && e - s < 22 && isPhoneChar(text.charCodeAt(s - 1))) s--
  while (s < e && !(isDigitCode(text.charCodeAt(s)) || text[s] === '+' || text[s] === '(')) s++
  if (!boundaryBefore(text, s)) return undefined
  const n = digitCount(text.slice(s, e))
  return n >= 7 && n <= 15 ? [s, e] : undefined
}
const FAX_BEFORE = /(?:\b[Ff]ax|FAX|[Ff]acsimile|FACSIMILE|\bF:)[^\d\n]{0,14}$/
const FAX_AFTER = /^[^\S\n]*(?:\(\s*(?:fax|facsimile)\s*\)|-[^\S\n]?(?:fax|facsimile)\b(?![^\S\n]*[:#]))/i

function phoneType(text: string, start: number, end: number, c: Ctx): 'PHONE' | 'FAX' {
  if (c.declared === 'FAX') return 'FAX'
  // each cue before starts with `F` or `f`, each label after with `(` or `-`: look for those first
  const from = Math.max(0, start - 24)
  if (hasCode(text, from, start, 70, 102) && FAX_BEFORE.test(text.slice(from, start))) return 'FAX'
  if (hasCode(text, end, end + 12, 40, 45) && FAX_AFTER.test(text.slice(end, end + 12))) return 'FAX'
  return 'PHONE'
}

/** Whether `text[from, to)` holds the character `a` or `b`. */
function hasCode(text: string, from: number, to: number, a: number, b: number): boolean {
  const e = Math.min(to, text.length)
  for (let i = from; i < e; i++) {
    const c = text.charCodeAt(i)
    if (c === a || c === b) return true
  }
  return false
}

/** The digits of `v`, in order. */
function digitsOf(v: string): string {
  let d = ''
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i)
    if (c >= 48 && c <= 57) d += v[i]
  }
  return d
}

/**
 * libphonenumber-js validity of a number, parsed with default region US (`region: undefined`
 * parses a `+` number with no default region, as the library's international search does).
 * Ten-digit NANP numbers (eleven with a leading 1 or `+1`, no extension, area code 2–9) are
 * decided by `isValidNanp` on the library's metadata compiled once; every other number is parsed
 * by the library.
 */
export function isValidPhone(v: string, region: 'US' | undefined = 'US'): { possible: boolean; valid: boolean } {
  const plus = v.trimStart().charCodeAt(0) === 43
  let d = digitsOf(v)
  if (d.length === 11 && d[0] === '1') d = d.slice(1)
  else if (plus) d = '' // `+` and ten digits: a calling code other than 1
  if (d.length === 10 && d.charCodeAt(0) >= 50 && v.indexOf('x') < 0 && v.indexOf('X') < 0) return { possible: true, valid: isValidNanp(d) }
  const p = plus && region === undefined ? parsePhoneNumberFromString(v) : parsePhoneNumberFromString(v, 'US')
  return { possible: p?.isPossible() ?? false, valid: p?.isValid() ?? false }
}

function digitCount(s: string): number {
  let n = 0
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) n++
  return n
}

/**
 * PHONE and FAX: NANP-shaped numbers and `+` international numbers validated with
 * libphonenumber-js (US default region), any grouping of 7–15 digits after a phone cue (`Phone:`,
 * `tel`, `call me at`, `fax`), and a whole phone/fax field. FAX when a fax cue (`fax`,
 * `facsimile`, `F:`) is within 24 characters before (or `(fax)` right after) or the field says fax.
 * Confidence 0.95 valid with a cue, 0.9 valid, 0.7 a possible but unassigned NANP number (555),
 * 0.6 a cue-only number.
 */
export function detectPhones(text: string, c: Ctx): PhiHit[] {
  const out: PhiHit[] = []
  if (c.infra) return out
  const taken = new Set<number>()
  const add = (start: number, end: number, conf: number, det: string): void => {
    if (taken.has(start)) return
    taken.add(start)
    out.push(hit(phoneType(text, start, end, c), start, end, conf, det))
  }
  if (c.declared === 'PHONE' || c.declared === 'FAX') {
    const t = text.trim()
    const s = text.indexOf(t)
    const n = digitCount(t)
    if (n >= 7 && n <= 15 && /^[+()\d\s.x-]+$/.test(t)) add(s, s + t.length, 0.95, 'phone-field')
    return out
  }
  const kw = keywordHits(text)
  for (let i = 0; i < kw.pos.length; i++) {
    if ((kw.mask[i]! & KW_PHONE) === 0) continue
    PHONE_CUE_RE.lastIndex = kw.pos[i]!
    const m = PHONE_CUE_RE.exec(text)
    if (m) {
      const v = (m[1] ?? m[2])!.replace(/[\s.(-]+$/, '')
      const s = m.index + m[0].length - (m[1] ?? m[2])!.length
      const n = digitCount(v)
      if (n < 7 || n > 15) continue
      if (/^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|^\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}$/.test(v)) continue // a date
      add(s, s + v.length, isValidPhone(v).valid ? 0.95 : 0.6, 'phone-cue')
    }
  }
  const dh = digitHits(text)
  for (let i = 0; i < dh.pos.length; i++) {
    if (dh.kind[i] !== D_NANP) continue
    NANP_RE.lastIndex = dh.pos[i]!
    const m = NANP_RE.exec(text)
    if (!m) continue
    if (taken.has(m.index) || !boundaryBefore(text, m.index, '+/.-')) continue
    const p = isValidPhone(m[0])
    if (!p.possible) continue
    if (m[0].includes('.') && infraBefore(text, m.index)) continue
    if (p.valid) add(m.index, m.index + m[0].length, 0.9, 'phone')
    else if (!infraBefore(text, m.index)) {
      // a well-formed NANP shape with an unassigned area code or exchange (555, 1xx): still a phone
      const assigned = /^\(?\+?1?[\s.-]?\(?[2-9]\d\d\)?[\s.-]?[2-9]\d\d/.test(m[0])
      if (assigned || STRICT_NANP.test(m[0])) add(m.index, m.index + m[0].length, assigned ? 0.7 : 0.5, 'phone')
    }
  }
  for (let i = 0; i < kw.pos.length; i++) {
    if ((kw.mask[i]! & KW_SUFFIX) === 0) continue
    SUFFIX_WORD_RE.lastIndex = kw.pos[i]!
    const m = SUFFIX_WORD_RE.exec(text)
    if (!m) continue
    const sp = suffixedNumber(text, m.index)
    if (!sp || taken.has(sp[0])) continue
    const v = text.slice(sp[0], sp[1])
    add(sp[0], sp[1], isValidPhone(v).valid ? 0.9 : 0.6, 'phone-suffix')
  }
  if (text.indexOf('+') >= 0) {
    INTL_RE.lastIndex = 0
    for (let m = INTL_RE.exec(text); m; m = INTL_RE.exec(text)) {
      if (taken.has(m.index) || !boundaryBefore(text, m.index, '+')) continue
      const v = m[0].replace(/[\s.(-]+$/, '')
      // no country calling code begins with 0: `+0000`, `+0530` (time-zone offsets) never parse
      if (v.charCodeAt(1) === 48) continue
      const p = isValidPhone(v, undefined)
      if (p.valid) add(m.index, m.index + v.length, 0.9, 'phone-intl')
      else if (p.possible && digitCount(v) >= 9) add(m.index, m.index + v.length, 0.6, 'phone-intl')
    }
  }
  return out
}

const CARD_RE = /\b(?:\d{4}([ -])\d{4}\1\d{4}\1\d{1,7}|\d{4}([ -])\d{6}\2\d{4,5}|\d{12,19})(?![\w-]|\.\d)/y
const IBAN_RE = /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b/y

/**
 * The IBAN-shaped spans of `text`, `[start, end)` pairs: what a global scan with IBAN_RE finds,
 * tried only where the cue-word scan saw an IBAN head (`KW_IBAN`).
 */
export function ibanSpans(text: string): number[] {
  return matchesAtCues(text, KW_IBAN, IBAN_RE)
}

/**
 * ACCOUNT numbers that validate on their own: payment card numbers (scheme prefix, length and
 * Luhn; 0.95 grouped, 0.9 bare unless an infrastructure name such as `trace_id=` precedes) and
 * IBANs (mod-97; 0.97).
 */
export function detectCards(text: string, c: Ctx): PhiHit[] {
  const out: PhiHit[] = []
  if (c.infra) return out
  const dh = digitHits(text)
  for (let i = 0; i < dh.pos.length; i++) {
    if (dh.kind[i] !== D_CARD) continue
    // every scheme's prefix starts with 2–6, or is 1800 (JCB): not an epoch-milliseconds timestamp
    const at = dh.pos[i]!
    const f = text.charCodeAt(at)
    if (f < 50 ? !(f === 49 && text.startsWith('1800', at)) : f > 54) continue
    CARD_RE.lastIndex = at
    const m = CARD_RE.exec(text)
    if (!m) continue
    if (!boundaryBefore(text, m.index, '.:-') || !isValidCard(m[0])) continue
    const bare = m[1] === undefined && m[2] === undefined
    if (bare && c.declared !== 'ACCOUNT' && infraBefore(text, m.index)) continue
    out.push(hit('ACCOUNT', m.index, m.index + m[0].length, bare ? 0.9 : 0.95, 'card'))
  }
  const ib = ibanSpans(text)
  for (let i = 0; i < ib.length; i += 2) {
    if (isValidIban(text.slice(ib[i], ib[i + 1]))) out.push(hit('ACCOUNT', ib[i]!, ib[i + 1]!, 0.97, 'iban'))
  }
  return out
}
