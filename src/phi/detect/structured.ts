import type { DetectContext, PhiHit, PhiType } from '../types.js'
import { detectCued } from './cues.js'
import { detectAges, detectCodes } from './codes.js'
import { type Ctx, hit, looksInfraValue, readCtx } from './context.js'
import { detectDates } from './dates.js'
import { detectCards, detectPhones, detectSsn } from './numbers.js'
import { detectEmails, detectIps, detectUrls } from './web.js'

/** Types a field name can declare for its whole value (when no detector found it inside). */
const WHOLE_VALUE: ReadonlySet<PhiType> = new Set(['MRN', 'HEALTH_PLAN', 'ACCOUNT', 'LICENSE', 'VEHICLE', 'DEVICE', 'OTHER_ID', 'BIOMETRIC'])

/** A value declared by its field (`mrn`, `member_id`, `vin`, …): the whole trimmed value. */
function fieldValue(text: string, c: Ctx): PhiHit[] {
  if (!c.declared || !WHOLE_VALUE.has(c.declared)) return []
  const t = text.trim()
  if (t.length < 3 || t.length > 64 || !/\d/.test(t) || /\s{2}|\n/.test(t) || looksInfraValue(t)) return []
  const s = text.indexOf(t)
  return [hit(c.declared, s, s + t.length, 0.95, 'field')]
}

/**
 * Sorts hits by start (longest first) and drops a hit that lies entirely inside another hit of
 * the same type or inside an at-least-as-confident hit of another type (a date inside a URL, a
 * card number both cued and validated): the same rule as the lead's `detectAll`.
 */
export function resolveOverlaps(hits: PhiHit[]): PhiHit[] {
  if (hits.length < 2) return hits
  sortHits(hits)
  const out: PhiHit[] = []
  // the hits still open at the current start (reused between calls; cleared before returning)
  const active = ACTIVE
  let na = 0
  for (let i = 0; i < hits.length; i++) {
    const h = hits[i]!
    let k = 0
    let covered = false
    for (let j = 0; j < na; j++) {
      const o = active[j]!
      if (o.end <= h.start) continue
      active[k++] = o
      if (!covered && o.start <= h.start && h.end <= o.end && (o.type === h.type || o.confidence >= h.confidence)) covered = true
    }
    na = k
    if (covered) continue
    out.push(h)
    active[na++] = h
  }
  active.length = 0
  return out
}

const ACTIVE: PhiHit[] = []
function byStart(a: PhiHit, b: PhiHit): number {
  return a.start - b.start || b.end - a.end || b.confidence - a.confidence
}
/** `byStart(a, b) < 0`, written out. */
function before(a: PhiHit, b: PhiHit): boolean {
  return a.start < b.start || (a.start === b.start && (a.end > b.end || (a.end === b.end && a.confidence > b.confidence)))
}
/**
 * Sorts hits in `byStart` order, stably. A text's hits are a few sorted runs (one per detector),
 * mostly short: up to 64 an insertion sort with the comparison written out, which costs a third
 * of `Array.prototype.sort` calling a comparator; longer lists go to `sort`.
 */
export function sortHits(hits: PhiHit[]): void {
  const n = hits.length
  if (n > 64) {
    hits.sort(byStart)
    return
  }
  for (let i = 1; i < n; i++) {
    const h = hits[i]!
    let j = i - 1
    while (j >= 0 && before(h, hits[j]!)) {
      hits[j + 1] = hits[j]!
      j--
    }
    hits[j + 1] = h
  }
}

/** Appends `src` to `dst` (no spread: no argument-list copies). */
function append(dst: PhiHit[], src: PhiHit[]): void {
  for (let i = 0; i < src.length; i++) dst.push(src[i]!)
}

const HAS_DIGIT = /\d/

/**
 * Every structured identifier in a text: DATE, AGE_OVER_89, PHONE, FAX, EMAIL, URL, IP, SSN, MRN,
 * HEALTH_PLAN, ACCOUNT, LICENSE, VEHICLE, DEVICE, BIOMETRIC and OTHER_ID (all but NAME, GEO and
 * PHOTO). `ctx.field` is a cue both ways: `mrn`, `ssn`, `phone`, `vin`, … declare the value;
 * `trace_id`, `request_id`, `span_id`, `arn`, `account_id`, `commit`, `sha`, `build`, `version`, …
 * suppress every numeric identifier type; `timestamp`, `time`, `ts`, `created_at`, `updated_at`
 * suppress DATE. Text without a digit is only searched for e-mail addresses and URLs.
 *
 * Confidence scale: 0.97–0.99 a checksum-validated value with its cue (NPI, DEA, MBI, VIN, IMEI),
 * or a value in a field that declares its type; 0.9–0.95 a checksum alone (card, IBAN, DEA, VIN,
 * UDI) or a strong cue; 0.8–0.9 a strict format (dashed SSN, valid phone, MBI layout, full date);
 * 0.6–0.75 a plausible format (spaced SSN, cue-only phone, month-day without year); 0.4–0.5
 * private-network IPs and internal URLs.
 */
export function detectStructured(text: string, ctx?: DetectContext): PhiHit[] {
  if (text.length === 0) return []
  const c = readCtx(ctx)
  const hits: PhiHit[] = detectEmails(text, c)
  append(hits, detectUrls(text, c))
  if (HAS_DIGIT.test(text)) {
    append(hits, detectDates(text, c))
    append(hits, detectAges(text, c))
    append(hits, detectSsn(text, c))
    append(hits, detectPhones(text, c))
    append(hits, detectCards(text, c))
    append(hits, detectIps(text, c))
    append(hits, detectCodes(text, c))
    append(hits, detectCued(text, c))
    if (hits.length === 0) append(hits, fieldValue(text, c))
  }
  return resolveOverlaps(hits)
}
