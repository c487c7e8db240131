// Span-level evaluation of PHI detectors (bench/phi/README.md, "Matching rules").
//
// A predicted span is a true positive when it overlaps ([s,e) ∩ [s',e') ≠ ∅) a gold span of the
// same type; a gold span is found when a predicted span of the same type overlaps it. A predicted
// span that matches no gold span but overlaps an *ignored* span (a typed allowed span of the same
// type, or an untyped one: any type) is neither a true nor a false positive; every other
// prediction is a false positive. precision = TP predictions ÷ counted predictions, recall =
// found gold ÷ gold, F2 = 5PR ÷ (4P + R) (recall weighted twice as much as precision).

export const ALL_TYPES = ['NAME', 'GEO', 'DATE', 'AGE_OVER_89', 'PHONE', 'FAX', 'EMAIL', 'SSN', 'MRN', 'HEALTH_PLAN', 'ACCOUNT', 'LICENSE', 'VEHICLE', 'DEVICE', 'URL', 'IP', 'BIOMETRIC', 'PHOTO', 'OTHER_ID']
/** Structured identifiers: every type except NAME and GEO (the issue's ≥ 0.99 / ≥ 0.97 target). */
export const STRUCTURED_TYPES = ALL_TYPES.filter((t) => t !== 'NAME' && t !== 'GEO')

/** Index over spans for "does any span overlap [s, e)?" in O(log n): sorted starts + prefix max of ends. */
export function overlapIndex(spans) {
  const sorted = [...spans].sort((a, b) => a.start - b.start)
  const starts = sorted.map((x) => x.start), maxEnd = []
  let m = -Infinity
  for (const x of sorted) { m = Math.max(m, x.end); maxEnd.push(m) }
  return { starts, maxEnd }
}
/** True when some indexed span [s', e') has s' < e and e' > s. */
export function anyOverlap(idx, s, e) {
  let lo = 0, hi = idx.starts.length - 1, j = -1
  while (lo <= hi) { const mid = (lo + hi) >> 1; if (idx.starts[mid] < e) { j = mid; lo = mid + 1 } else hi = mid - 1 }
  return j >= 0 && idx.maxEnd[j] > s
}

const groupByType = (spans) => { const m = new Map(); for (const x of spans) { const t = x.type ?? '*'; if (!m.has(t)) m.set(t, []); m.get(t).push(x) } return m }
export const emptyCounts = () => ({ gold: 0, found: 0, pred: 0, tp: 0, fp: 0, ignored: 0 })

/**
 * Matches one document's predictions against its gold spans. `ignored`: spans with a `type`
 * (that type only) or without one (any type). Returns counts per type; `sink` ({missed, fps}),
 * when given, receives the gold spans not found and the false-positive predictions.
 */
export function matchSpans(gold, pred, ignored = [], sink = null) {
  const out = {}
  const c = (t) => (out[t] ??= emptyCounts())
  const gByType = groupByType(gold), pByType = groupByType(pred), iByType = groupByType(ignored)
  const gIdx = new Map([...gByType].map(([t, xs]) => [t, overlapIndex(xs)]))
  const pIdx = new Map([...pByType].map(([t, xs]) => [t, overlapIndex(xs)]))
  const iIdx = new Map([...iByType].map(([t, xs]) => [t, overlapIndex(xs)]))
  for (const [t, xs] of gByType) { const p = pIdx.get(t); for (const g of xs) { c(t).gold++; if (p && anyOverlap(p, g.start, g.end)) c(t).found++; else sink?.missed.push(g) } }
  for (const [t, xs] of pByType) {
    const g = gIdx.get(t), it = iIdx.get(t), iany = iIdx.get('*')
    for (const p of xs) {
      if (g && anyOverlap(g, p.start, p.end)) { c(t).pred++; c(t).tp++ }
      else if ((it && anyOverlap(it, p.start, p.end)) || (iany && anyOverlap(iany, p.start, p.end))) c(t).ignored++
      else { c(t).pred++; c(t).fp++; sink?.fps.push(p) }
    }
  }
  return out
}

/** Adds per-type counts `b` into `a` (in place). */
export function addCounts(a, b) {
  for (const [t, x] of Object.entries(b)) { const y = (a[t] ??= emptyCounts()); for (const k of Object.keys(x)) y[k] += x[k] }
  return a
}
/** Sums the counts of the given types. */
export function sumCounts(byType, types = Object.keys(byType)) {
  const s = emptyCounts()
  for (const t of types) if (byType[t]) for (const k of Object.keys(s)) s[k] += byType[t][k]
  return s
}
/** precision (1 when nothing was predicted), recall (1 when nothing was to be found), F2. */
export function prf(c) {
  const precision = c.pred === 0 ? 1 : c.tp / c.pred
  const recall = c.gold === 0 ? 1 : c.found / c.gold
  const f2 = precision + recall === 0 ? 0 : (5 * precision * recall) / (4 * precision + recall)
  return { precision, recall, f2 }
}

// ------------------------------------------------------------------ records (hard negatives)

/**
 * Which records a document's predictions flag. A prediction flags every record it overlaps unless it
 * overlaps an allowed span of the same type inside that record (an infrastructure IP or timestamp);
 * `strict` flags on any prediction. Returns a boolean per record (records of one file, any order).
 */
export function flaggedRecords(records, pred, { strict = false } = {}) {
  const order = records.map((r, i) => i).sort((a, b) => records[a].start - records[b].start)
  const starts = order.map((i) => records[i].start)
  const flagged = records.map(() => false)
  for (const p of pred) {
    // last record starting before p.end, walking back while records still reach past p.start
    // (records of one file do not overlap)
    let lo = 0, hi = starts.length - 1, j = -1
    while (lo <= hi) { const mid = (lo + hi) >> 1; if (starts[mid] < p.end) { j = mid; lo = mid + 1 } else hi = mid - 1 }
    for (; j >= 0; j--) {
      const rec = records[order[j]]
      if (rec.end <= p.start) break // records do not overlap: every earlier one ends before p
      const allowed = !strict && (rec.allowed ?? []).some((a) => a.type === p.type && a.start < p.end && a.end > p.start)
      if (!allowed) flagged[order[j]] = true
    }
  }
  return flagged
}

// ------------------------------------------------------------------ presidio-research mapping

/** Country names (and non-places labelled GPE): not geographic subdivisions smaller than a state. */
const COUNTRIES = new Set(['afghanistan', 'albania', 'algeria', 'argentina', 'armenia', 'australia', 'austria', 'belgium', 'bolivia', 'bosnia and herzegovina', 'brazil', 'bulgaria', 'canada', 'chile', 'china', 'colombia', 'croatia', 'cyprus', 'cyprus (greek)', 'czech republic', 'czechia', 'denmark', 'ecuador', 'egypt', 'estonia', 'finland', 'france', 'germany', 'greece', 'greenland', 'hungary', 'iceland', 'india', 'indonesia', 'ireland', 'israel', 'italy', 'japan', 'latvia', 'lithuania', 'luxembourg', 'malta', 'mexico', 'morocco', 'netherlands', 'new zealand', 'nigeria', 'norway', 'peru', 'philippines', 'poland', 'portugal', 'romania', 'russia', 'serbia', 'slovakia', 'slovenia', 'south africa', 'south korea', 'spain', 'sweden', 'switzerland', 'tunisia', 'turkey', 'ukraine', 'united kingdom', 'united states', 'usa', 'uk', 'uruguay', 'venezuela', 'vietnam', 'greenlander', 'nan'])

/** Presidio entity types with no HIPAA identifier: their spans are ignored (not gold, not FP). */
export const PRESIDIO_EXCLUDED = ['ORGANIZATION', 'NRP', 'TITLE']

/**
 * Maps one presidio-research span to `{ type }` (a PhiType) or `{ ignore: reason }`.
 * DATE_TIME: a year alone, a weekday or month name alone, or a time of day alone is no HIPAA
 * identifier (Safe Harbor keeps years) → ignored; anything with a day and month → DATE.
 * AGE: only ages over 89 are identifiers → AGE_OVER_89; others ignored. GPE: countries → ignored.
 */
export function mapPresidio(entityType, value) {
  const v = value.trim()
  switch (entityType) {
    case 'PERSON': return { type: 'NAME' }
    case 'STREET_ADDRESS': case 'ZIP_CODE': return { type: 'GEO' }
    case 'GPE': return COUNTRIES.has(v.toLowerCase()) ? { ignore: 'country' } : { type: 'GEO' }
    case 'PHONE_NUMBER': return { type: 'PHONE' }
    case 'EMAIL_ADDRESS': return { type: 'EMAIL' }
    case 'US_SSN': return { type: 'SSN' }
    case 'IP_ADDRESS': return { type: 'IP' }
    case 'URL': case 'DOMAIN_NAME': return { type: 'URL' }
    case 'CREDIT_CARD': case 'IBAN_CODE': case 'US_BANK_NUMBER': return { type: 'ACCOUNT' }
    case 'US_DRIVER_LICENSE': return { type: 'LICENSE' }
    case 'AGE': return Number(v) > 89 ? { type: 'AGE_OVER_89' } : { ignore: 'age ≤ 89' }
    case 'DATE_TIME':
      if (/^\d{4}$/.test(v)) return { ignore: 'year only' }
      if (/^[A-Za-z]+\.?$/.test(v)) return { ignore: 'weekday or month name only' }
      if (/^\d{1,2}:\d{2}(:\d{2})?\s*([ap]\.?m\.?)?$/i.test(v)) return { ignore: 'time only' }
      return { type: 'DATE' }
    default: return { ignore: PRESIDIO_EXCLUDED.includes(entityType) ? 'no HIPAA identifier' : `unmapped ${entityType}` }
  }
}

/** Presidio offsets count code points (Python); converts them to UTF-16 offsets of `text`. */
export function codePointToUtf16(text) {
  if (!/[\uD800-\uDFFF]/.test(text)) return (i) => i
  const map = []
  let u = 0
  for (const ch of text) { map.push(u); u += ch.length }
  map.push(u)
  return (i) => map[i]
}

/** The presidio-research records as `{ text, gold, ignored, ignoreReasons }`. */
export function loadPresidio(json) {
  const reasons = {}
  const docs = json.map((rec) => {
    const conv = codePointToUtf16(rec.full_text), gold = [], ignored = []
    for (const s of rec.spans) {
      const m = mapPresidio(s.entity_type, s.entity_value), span = { start: conv(s.start_position), end: conv(s.end_position) }
      if (m.type) gold.push({ type: m.type, ...span })
      else { ignored.push(span); const k = `${s.entity_type}: ${m.ignore}`; reasons[k] = (reasons[k] ?? 0) + 1 }
    }
    return { text: rec.full_text, gold, ignored }
  })
  return { docs, ignoreReasons: reasons }
}

// ------------------------------------------------------------------ findings → offsets

/** Offsets of a finding `{line, column, length}` (1-based, UTF-16 columns) in a text with the given line starts. */
export function findingSpan(lineStartsArr, f) {
  const ls = lineStartsArr[f.line - 1]
  if (ls === undefined) return null
  const start = ls + f.column - 1
  return { type: f.type, start, end: start + f.length }
}
