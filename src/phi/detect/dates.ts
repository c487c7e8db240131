import type { PhiHit } from '../types.js'
import { type Ctx, hit, isWordCode, timeKeyBefore, versionBefore } from './context.js'
import { D_DATE, digitHits } from './digits.js'
import { KW_DOB, KW_MONTH, keywordHits } from './keywords.js'

const MON = '(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)'
const ORD = '(?:st|nd|rd|th)?'
const TIME = '(?:[T ]\\d{1,2}:\\d{2}(?::\\d{2}(?:[.,]\\d{1,9})?)?(?:\\s?(?:[AaPp]\\.?[Mm]\\.?))?(?:Z|[+-]\\d{2}:?\\d{2}|\\s?(?:UTC|GMT|[ECMP][SD]T))?)?'

/**
 * Digit-led dates, one scan: 1–3 ISO `1961-03-14` (also `/` and `.`), 4–7 numeric `03/14/1961`,
 * `14.03.1961`, `3-14-61`, 8–9 `03/1961`. What follows a match is checked in code (a time of day
 * may follow an ISO date; a letter, `/` or another `.N` / `-N` may not).
 */
export const NUM_DATE_RE = /\b\d(?:(\d\d\d)([-/.])(\d\d?)\2(\d\d?)|(\d?)([-/.])(\d\d?)\6(\d{4}|\d\d)|(\d?)\/((?:19|20)\d\d))/y
/** Month names; the day and year around them are read by the sticky patterns below. */
const MONTH_RE = new RegExp(`\\b${MON}\\b\\.?`, 'iy')
const DAY_BEFORE_RE = /(?:^|[^\w.\/-])(\d{1,2})(?:st|nd|rd|th)?(?:[- \/]|\s+of\s+)$/i
const YEAR_AFTER_DMY_RE = /(?:[- \/]|,\s*)(?:\d{4}|'?\d{2})(?![\w])/y
const DAY_YEAR_AFTER_RE = /\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s*(?:\d{4}|'\d{2}))?(?![\w]|[,.:]\d)/iy
const YEAR_AFTER_RE = /,?\s+(?:19|20)\d{2}(?![\w])/y
const TIME_RE = new RegExp(TIME.slice(0, -1), 'y')

/** Eight-digit `YYYYMMDD` dates (HL7 PID-7): only in a date field or after a birth cue. */
const COMPACT_RE = /(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?:\d{4,6})?(?!\d)/g
const COMPACT_CUE_RE = /\b(?:dob|d\.o\.b\.?|birth ?date|date of birth|born|deceased|died|admitted|discharged|dos)\W{0,4}((?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]))(?!\d)/iy

function isWordCh(ch: string): boolean {
  return isWordCode(ch.charCodeAt(0))
}

function validDay(a: number, b: number): boolean {
  return (a >= 1 && a <= 12 && b >= 1 && b <= 31) || (b >= 1 && b <= 12 && a >= 1 && a <= 31)
}

/** True when `text` at the match is a machine event time rather than a date of an individual. */
function isEventTime(text: string, start: number, hasTime: boolean, c: Ctx): boolean {
  if (c.timeField) return true
  if (timeKeyBefore(text, start)) return true
  if (!hasTime || c.careTime) return false
  if (c.kind === 'log') return true
  // a line that starts with a date-time (optionally in brackets) is a log line's event time
  let i = start - 1
  while (i >= 0 && (text[i] === '[' || text[i] === ' ' || text[i] === '\t')) i--
  return i < 0 || text[i] === '\n'
}

/**
 * DATE: dates more specific than a year, in numeric, ISO and month-name forms (`03/14/1961`,
 * `3/14/61`, `1961-03-14`, `14.03.1961`, `14-Mar-1961`, `March 14, 1961`, `Mar 14th 1961`,
 * `March 1961`, `03/1961`; `YYYYMMDD` only in a date field or after a birth cue). Never a bare year
 * or a version (`1.2.3`, `v2.10.1`). **Event-time rule:** a date followed by a time of day is a
 * machine event timestamp, not a date of an individual, and is not reported when the text is a log
 * (`kind: 'log'`), when it starts its line, or when the field is named like a timestamp
 * (`timestamp`, `@timestamp`, `time`, `ts`, `created_at`, `updated_at`, …) — in such a field no date
 * is reported. Elsewhere (a clinical note, a FHIR `effectiveDateTime`) the whole date-time is a DATE.
 */
export function detectDates(text: string, c: Ctx): PhiHit[] {
  const out: PhiHit[] = []
  if (c.timeField) return out
  const timeEnd = (e: number): number => {
    // a time of day starts with `T` or a space
    const t = text.charCodeAt(e)
    if (t !== 84 && t !== 32) return e
    TIME_RE.lastIndex = e
    return TIME_RE.test(text) ? TIME_RE.lastIndex : e
  }
  const dh = digitHits(text)
  for (let i = 0; i < dh.pos.length; i++) {
    if (dh.kind[i] !== D_DATE) continue
    const start = dh.pos[i]!
    // the character before the (sticky) match is known before matching: no word, `.`, `/` or `-`
    const p = text.charCodeAt(start - 1)
    if (start > 0 && (isWordCode(p) || p === 46 || p === 47 || p === 45)) continue
    // a log's event time (a date, then a time of day) is dropped whatever the date: where the date
    // pattern matches, it ends where the digit scan's date did (dates.test.ts), so look there first
    if (c.kind === 'log' && !c.careTime && timeEnd(dh.end[i]!) > dh.end[i]!) continue
    NUM_DATE_RE.lastIndex = start
    const m = NUM_DATE_RE.exec(text)
    if (!m) continue
    let end = start + m[0].length
    const n0 = text[end]
    const n1 = text[end + 1]
    const digitNext = n1 !== undefined && n1 >= '0' && n1 <= '9'
    let conf: number
    if (m[1] !== undefined) {
      const mo = Number(m[3])
      const d = Number(m[4])
      const y = Number(text.slice(start, start + 4))
      if (y < 1900 || y > 2099 || mo < 1 || mo > 12 || d < 1 || d > 31) continue
      if (n0 !== undefined && (((n0 === 'T' || n0 === 't') ? !digitNext : isWordCh(n0) || n0 === '/') || ((n0 === '.' || n0 === '-') && digitNext))) continue
      if (m[2] === '.' && versionBefore(text, start, 12)) continue
      conf = 0.95
    } else if (m[6] !== undefined) {
      if (n0 !== undefined && (isWordCh(n0) || n0 === '/' || ((n0 === '.' || n0 === '-') && digitNext))) continue
      const a = Number(text.slice(start, start + 1 + m[5]!.length))
      const b = Number(m[7])
      if (!validDay(a, b)) continue
      const core = m[0]
      if (versionBefore(text, start, 12)) continue
      if (m[6] === '.' && core.length < 8) continue // 1.2.30 is a version, 14.03.61 is not
      conf = core.length >= 8 ? 0.9 : m[6] === '/' ? 0.8 : 0.6
    } else {
      if (n0 !== undefined && (isWordCh(n0) || n0 === '/' || ((n0 === '.' || n0 === '-') && digitNext))) continue
      const mo = Number(text.slice(start, start + 1 + m[9]!.length))
      if (mo < 1 || mo > 12) continue
      conf = 0.7
    }
    const e2 = timeEnd(end)
    if (isEventTime(text, start, e2 > end, c)) continue
    end = e2
    out.push(hit('DATE', start, end, conf, 'date'))
  }
  const kw = keywordHits(text)
  let skip = 0
  for (let i = 0; i < kw.pos.length; i++) {
    if ((kw.mask[i]! & KW_MONTH) === 0 || kw.pos[i]! < skip) continue
    MONTH_RE.lastIndex = kw.pos[i]!
    const m = MONTH_RE.exec(text)
    if (!m) continue
    let start = m.index
    const mEnd = start + m[0].length
    let end = -1
    let conf = 0.9
    const from = Math.max(0, start - 12)
    // a day before the month ends with `-`, ` `, `/` or a space (`14 of March`): else no regex
    const q = text.charCodeAt(start - 1)
    const db = q === 45 || q === 32 || q === 47 || (q >= 9 && q <= 13) || q > 127 ? DAY_BEFORE_RE.exec(text.slice(from, start)) : null
    if (db) {
      YEAR_AFTER_DMY_RE.lastIndex = mEnd
      if (YEAR_AFTER_DMY_RE.test(text) && Number(db[1]) >= 1 && Number(db[1]) <= 31) {
        start = from + db.index + db[0].indexOf(db[1]!)
        end = YEAR_AFTER_DMY_RE.lastIndex
      }
    }
    if (end < 0) {
      DAY_YEAR_AFTER_RE.lastIndex = mEnd
      YEAR_AFTER_RE.lastIndex = mEnd
      if (YEAR_AFTER_RE.test(text)) {
        end = YEAR_AFTER_RE.lastIndex
        conf = 0.7
      } else if (DAY_YEAR_AFTER_RE.test(text)) {
        end = DAY_YEAR_AFTER_RE.lastIndex
        const tail = text.slice(mEnd, end)
        conf = /\d{4}|'\d{2}/.test(tail) ? 0.95 : 0.75
        if (!/\d{4}|'\d{2}/.test(tail) && m[0][0] === 'm' && /^may/.test(m[0])) end = -1 // "may 5": the verb
      }
    }
    if (end < 0) continue
    const e2 = timeEnd(end)
    if (isEventTime(text, start, e2 > end, c)) continue
    out.push(hit('DATE', start, e2, conf, 'date'))
    skip = e2
  }
  if (c.declared === 'DATE') {
    COMPACT_RE.lastIndex = 0
    for (let m = COMPACT_RE.exec(text); m; m = COMPACT_RE.exec(text)) {
      if (m.index === 0 || !isWordCode(text.charCodeAt(m.index - 1))) out.push(hit('DATE', m.index, m.index + m[0].length, 0.9, 'date-compact'))
    }
  } else {
    for (let i = 0; i < kw.pos.length; i++) {
      if ((kw.mask[i]! & KW_DOB) === 0) continue
      COMPACT_CUE_RE.lastIndex = kw.pos[i]!
      const m = COMPACT_CUE_RE.exec(text)
      if (!m) continue
      const s = m.index + m[0].length - m[1]!.length
      out.push(hit('DATE', s, s + m[1]!.length, 0.9, 'date-compact'))
    }
  }
  return out
}
