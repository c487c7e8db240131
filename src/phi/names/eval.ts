import type { Detector, PhiType } from '../types.js'
import { isStateOrCountry } from './geo.js'

/** A labelled span of a corpus, in the corpus's own type names (`PERSON`, `STREET_ADDRESS`). */
export interface GoldSpan {
  type: string
  start: number
  end: number
}

/** One labelled text. */
export interface EvalSample {
  text: string
  spans: readonly GoldSpan[]
}

/**
 * Maps a corpus span to the PhiType it is evidence of; `'ignore'` for spans that are neither required
 * nor wrong to flag (a country: GEO on it is neither a hit nor a false positive); `undefined` for spans
 * of no HIPAA identifier (an organisation: a NAME on it is a false positive).
 */
export type GoldMapping = (span: GoldSpan, text: string) => PhiType | 'ignore' | undefined

/** Scores for one PhiType. */
export interface TypeScore {
  type: PhiType
  /** Gold spans of this type (after merging adjacent pieces). */
  gold: number
  /** Gold spans overlapped by a prediction of this type. */
  goldFound: number
  /** Predictions of this type, not counting those that only touch `'ignore'` spans. */
  predicted: number
  /** Predictions that overlap a gold span of this type. */
  predictedCorrect: number
  precision: number
  recall: number
  /** F-beta with beta 2: recall weighs four times as much as precision. */
  f2: number
}

/** A miss or a false alarm, by position only (never the value). */
export interface EvalError {
  sample: number
  kind: 'fn' | 'fp'
  type: PhiType
  start: number
  end: number
}

/** The result of {@link evaluateSpans}. */
export interface EvalResult {
  perType: Partial<Record<PhiType, TypeScore>>
  /** Micro-average over the evaluated types. */
  overall: TypeScore & { type: PhiType }
  errors: EvalError[]
}

/** Options of {@link evaluateSpans}. */
export interface EvalOptions {
  /** The PhiTypes to score (default: every type that occurs in gold or predictions). */
  types?: readonly PhiType[]
  /**
   * Minimum intersection-over-union (characters) for a match; 0 (default) = any overlap. presidio-research's
   * span evaluator uses an IoU threshold (0.5 or 0.75); 0 is the leak-oriented rule: a gold span is found
   * when any part of it is flagged.
   */
  minIou?: number
}

interface Span {
  type: PhiType | 'ignore'
  start: number
  end: number
}

function overlap(a: { start: number; end: number }, b: { start: number; end: number }): number {
  return Math.max(0, Math.min(a.end, b.end) - Math.max(a.start, b.start))
}

function matches(a: { start: number; end: number }, b: { start: number; end: number }, minIou: number): boolean {
  const inter = overlap(a, b)
  if (inter === 0) return false
  if (minIou <= 0) return true
  const union = Math.max(a.end, b.end) - Math.min(a.start, b.start)
  return inter / union >= minIou
}

/**
 * Merges gold spans of one mapped type separated only by spaces, commas or line breaks — as
 * presidio-research merges adjacent tokens of one entity type into one span (`Puruntie 82` `28245`
 * labelled as two STREET_ADDRESS spans are one address).
 */
export function mergeAdjacent(text: string, spans: readonly Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start)
  const out: Span[] = []
  for (const s of sorted) {
    const last = out[out.length - 1]
    if (last && last.type === s.type && s.start >= last.end && /^[\s,]*$/.test(text.slice(last.end, s.start))) {
      last.end = Math.max(last.end, s.end)
      continue
    }
    if (last && last.type === s.type && s.start < last.end) {
      last.end = Math.max(last.end, s.end)
      continue
    }
    out.push({ ...s })
  }
  return out
}

function score(type: PhiType, gold: number, goldFound: number, predicted: number, predictedCorrect: number): TypeScore {
  const precision = predicted === 0 ? 1 : predictedCorrect / predicted
  const recall = gold === 0 ? 1 : goldFound / gold
  const f2 = precision + recall === 0 ? 0 : (5 * precision * recall) / (4 * precision + recall)
  return { type, gold, goldFound, predicted, predictedCorrect, precision, recall, f2 }
}

/**
 * Span-level precision, recall and F2 of a detector on a labelled corpus, per PhiType.
 *
 * Matching rule: gold spans are mapped to PhiTypes with `mapping` and adjacent pieces of one type merged.
 * A gold span is found when a predicted span of the same PhiType overlaps it (IoU ≥ `minIou`, default
 * any overlap). A prediction is correct when it overlaps a gold span of its type; a prediction that
 * overlaps none but touches an `'ignore'` span is not counted; every other prediction is a false
 * positive. Recall = found / gold, precision = correct / counted predictions, F2 = 5PR / (4P + R).
 */
export function evaluateSpans(samples: readonly EvalSample[], detector: Detector, mapping: GoldMapping, options: EvalOptions = {}): EvalResult {
  const minIou = options.minIou ?? 0
  const counts = new Map<PhiType, { gold: number; goldFound: number; predicted: number; predictedCorrect: number }>()
  const wanted = options.types ? new Set(options.types) : undefined
  const count = (t: PhiType) => {
    let c = counts.get(t)
    if (!c) {
      c = { gold: 0, goldFound: 0, predicted: 0, predictedCorrect: 0 }
      counts.set(t, c)
    }
    return c
  }
  const errors: EvalError[] = []
  samples.forEach((sample, index) => {
    const mapped: Span[] = []
    for (const g of sample.spans) {
      const t = mapping(g, sample.text)
      if (t === undefined) continue
      if (t !== 'ignore' && wanted && !wanted.has(t)) continue
      mapped.push({ type: t, start: g.start, end: g.end })
    }
    const gold = mergeAdjacent(sample.text, mapped)
    const predicted = detector(sample.text).filter((p) => !wanted || wanted.has(p.type))
    for (const g of gold) {
      if (g.type === 'ignore') continue
      const c = count(g.type)
      c.gold++
      if (predicted.some((p) => p.type === g.type && matches(p, g, minIou))) c.goldFound++
      else errors.push({ sample: index, kind: 'fn', type: g.type, start: g.start, end: g.end })
    }
    for (const p of predicted) {
      const c = count(p.type)
      if (gold.some((g) => g.type === p.type && matches(p, g, minIou))) {
        c.predicted++
        c.predictedCorrect++
      } else if (gold.some((g) => g.type === 'ignore' && overlap(p, g) > 0)) {
        continue
      } else {
        c.predicted++
        errors.push({ sample: index, kind: 'fp', type: p.type, start: p.start, end: p.end })
      }
    }
  })
  const perType: Partial<Record<PhiType, TypeScore>> = {}
  let g = 0
  let gf = 0
  let pr = 0
  let pc = 0
  for (const [type, c] of counts) {
    perType[type] = score(type, c.gold, c.goldFound, c.predicted, c.predictedCorrect)
    g += c.gold
    gf += c.goldFound
    pr += c.predicted
    pc += c.predictedCorrect
  }
  const types = [...counts.keys()]
  return { perType, overall: score(types.length === 1 ? (types[0] as PhiType) : 'OTHER_ID', g, gf, pr, pc), errors }
}

/** Presidio entity types that are HIPAA identifiers, and how. */
const PRESIDIO_DIRECT: Readonly<Record<string, PhiType>> = {
  PERSON: 'NAME',
  STREET_ADDRESS: 'GEO',
  ZIP_CODE: 'GEO',
  LOCATION: 'GEO',
  PHONE_NUMBER: 'PHONE',
  EMAIL_ADDRESS: 'EMAIL',
  US_SSN: 'SSN',
  IP_ADDRESS: 'IP',
  DOMAIN_NAME: 'URL',
  URL: 'URL',
  US_DRIVER_LICENSE: 'LICENSE',
  CREDIT_CARD: 'ACCOUNT',
  IBAN_CODE: 'ACCOUNT',
  US_BANK_NUMBER: 'ACCOUNT',
  MEDICAL_LICENSE: 'LICENSE',
  US_PASSPORT: 'OTHER_ID',
}

/**
 * The presidio-research mapping. PERSON → NAME; STREET_ADDRESS, ZIP_CODE, LOCATION → GEO; GPE → GEO when
 * it is a place below state level (a city, town, district), `'ignore'` when it is a country, a US state
 * or a Canadian province (or the generator's `nan` placeholder); DATE_TIME → DATE except a bare year
 * (`'ignore'`: Safe Harbor keeps years); AGE → AGE_OVER_89 above 89, else `'ignore'`. ORGANIZATION, TITLE
 * (`Mr.`) and NRP (nationality, religion, political group) are no HIPAA identifier: not mapped, so a
 * NAME or GEO predicted on them is a false positive.
 */
export const presidioMapping: GoldMapping = (span, text) => {
  const direct = PRESIDIO_DIRECT[span.type]
  if (direct) return direct
  const value = text.slice(span.start, span.end).trim()
  switch (span.type) {
    case 'GPE':
      return value.length === 0 || /^nan$/i.test(value) || isStateOrCountry(value) ? 'ignore' : 'GEO'
    case 'DATE_TIME':
      return /^\d{4}s?$/.test(value) ? 'ignore' : 'DATE'
    case 'AGE': {
      const n = Number.parseInt(value, 10)
      return Number.isFinite(n) && n > 89 ? 'AGE_OVER_89' : 'ignore'
    }
    default:
      return undefined
  }
}

/** Reads presidio-research's `synth_dataset_v2.json` records into {@link EvalSample}s. */
export function presidioSamples(records: ReadonlyArray<{ full_text: string; spans: ReadonlyArray<{ entity_type: string; start_position: number; end_position: number }> }>): EvalSample[] {
  return records.map((r) => ({ text: r.full_text, spans: r.spans.map((s) => ({ type: s.entity_type, start: s.start_position, end: s.end_position })) }))
}
