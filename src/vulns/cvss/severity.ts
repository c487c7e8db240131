import type { OsvAffected, OsvRecord, OsvSeverity } from '../osv.js'
import { scoreVector } from './cvss.js'
import type { CvssScore, CvssVersion } from './cvss.js'

/** Severity of a finding: from CVSS when the advisory has a valid vector, else from its own rating. */
export type FindingSeverity = 'critical' | 'high' | 'medium' | 'low' | 'unknown'

/** How severe one advisory is, for one affected package. */
export interface AdvisorySeverity {
  /** Base score of the primary vector. */
  score?: number
  /** The primary vector. */
  vector?: string
  version?: CvssVersion
  severity: FindingSeverity
  /** `cvss`: from the primary vector; `advisory`: the database's own rating word; `none`: neither. */
  source: 'cvss' | 'advisory' | 'none'
  /** Every valid vector of the record and of the affected entry, affected entry's first, primary first. */
  all: CvssScore[]
  /** Listed in CISA's Known Exploited Vulnerabilities catalog, where the data says so. */
  kev?: boolean
  /** EPSS probability (0–1), where the data carries it. */
  epss?: number
}

/** Order of preference among CVSS versions for the primary score (lower wins). */
const VERSION_RANK: Readonly<Record<CvssVersion, number>> = { '3.1': 0, '3.0': 1, '4.0': 2, '2.0': 3 }

/**
 * Rating words of the databases OSV aggregates → severity: GHSA `database_specific.severity`
 * (CRITICAL / HIGH / MODERATE / LOW), Ubuntu priorities (`severity[].type` `Ubuntu`: critical, high,
 * medium, low, negligible, untriaged), Debian urgency (high, medium, low, unimportant, not yet
 * assigned), Red Hat (Critical / Important / Moderate / Low).
 */
const RATING_WORDS: Readonly<Record<string, FindingSeverity>> = {
  critical: 'critical',
  high: 'high',
  important: 'high',
  moderate: 'medium',
  medium: 'medium',
  low: 'low',
  negligible: 'low',
  unimportant: 'low',
  untriaged: 'unknown',
  'not yet assigned': 'unknown',
  unknown: 'unknown',
}

/** Maps a database's rating word (any case; Debian `low**` style suffixes tolerated) to a severity. */
export function ratingSeverity(word: string): FindingSeverity | undefined {
  const key = word.trim().toLowerCase().replace(/\*+$/, '').trim()
  return Object.hasOwn(RATING_WORDS, key) ? RATING_WORDS[key] : undefined
}

function isCvssType(type: string): boolean {
  return /^CVSS_V(2|3|4)$/i.test(type)
}

/** Scores every CVSS entry; invalid vectors are left out. */
function scoreAll(entries: readonly OsvSeverity[] | null | undefined): CvssScore[] {
  const out: CvssScore[] = []
  for (const entry of entries ?? []) {
    if (!isCvssType(entry.type)) continue
    const scored = scoreVector(entry.score)
    if (scored) out.push(scored)
  }
  return out
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined
}

/** The advisory's own rating: GHSA/OSV `database_specific.severity`, Ubuntu severity entries, Debian urgency. */
function advisoryRating(record: OsvRecord, affected: OsvAffected | undefined): FindingSeverity | undefined {
  const words: unknown[] = [
    affected?.database_specific?.['severity'],
    affected?.ecosystem_specific?.['severity'],
    affected?.ecosystem_specific?.['urgency'],
    affected?.database_specific?.['urgency'],
    ...(affected?.severity ?? []).filter((s) => !isCvssType(s.type)).map((s) => s.score),
    record.database_specific?.['severity'],
    record.database_specific?.['urgency'],
    ...(record.severity ?? []).filter((s) => !isCvssType(s.type)).map((s) => s.score),
  ]
  let unknownSeen = false
  for (const word of words) {
    if (typeof word !== 'string') continue
    const mapped = ratingSeverity(word)
    if (mapped === 'unknown') unknownSeen = true
    else if (mapped) return mapped
  }
  return unknownSeen ? 'unknown' : undefined
}

/** KEV flag: a boolean (or a present object such as `{dateAdded: …}`) under `cisa_kev`, `kev` or `known_exploited`. */
function readKev(bags: ReadonlyArray<Record<string, unknown> | undefined>): boolean | undefined {
  for (const bag of bags) {
    if (!bag) continue
    for (const key of ['cisa_kev', 'kev', 'known_exploited']) {
      const value = bag[key]
      if (typeof value === 'boolean') return value
      if (asRecord(value)) return true
    }
  }
  return undefined
}

/** EPSS probability: a number in [0, 1], or an object `{ score | epss | probability }`, under `epss`. */
function readEpss(bags: ReadonlyArray<Record<string, unknown> | undefined>): number | undefined {
  for (const bag of bags) {
    const raw = bag?.['epss']
    const inner = asRecord(raw)
    const value = inner ? (inner['score'] ?? inner['epss'] ?? inner['probability']) : raw
    const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value
    if (typeof n === 'number' && Number.isFinite(n) && n >= 0 && n <= 1) return n
  }
  return undefined
}

/**
 * How severe an advisory is, for one affected package.
 *
 * Every CVSS vector in `affected.severity` and `record.severity` is scored (invalid ones are left
 * out). The primary vector is chosen by version — CVSS v3.1, then v3.0, then v4.0, then v2 (v3 is
 * what most records carry and what NVD, GHSA and other scanners' gates compare, so scores stay
 * comparable across the database) — then the affected entry's vector before the record's (OSV lets
 * it be package-specific), then the higher base score. A primary base score of 0 rates `low`: the
 * record still says the version is affected.
 *
 * Without a valid vector the advisory's own rating word is mapped ({@link ratingSeverity}): the
 * affected entry's `database_specific.severity` / `ecosystem_specific.urgency` first, then
 * non-CVSS severity entries (Ubuntu), then the record's `database_specific.severity` (GHSA) or
 * `urgency` (Debian). Nothing usable: `unknown`, source `none`.
 *
 * KEV and EPSS are read from `database_specific` of the affected entry, then of the record
 * (`cisa_kev` / `kev` / `known_exploited`; `epss`), and omitted when absent.
 */
export function advisorySeverity(record: OsvRecord, affected?: OsvAffected): AdvisorySeverity {
  const fromAffected = scoreAll(affected?.severity)
  const fromRecord = scoreAll(record.severity)
  const candidates = [...fromAffected.map((s) => ({ s, level: 0 })), ...fromRecord.map((s) => ({ s, level: 1 }))]
  const ranked = [...candidates].sort(
    (a, b) => VERSION_RANK[a.s.version] - VERSION_RANK[b.s.version] || a.level - b.level || b.s.baseScore - a.s.baseScore,
  )
  const primary = ranked[0]?.s
  const all = primary ? [primary, ...candidates.map((c) => c.s).filter((s) => s !== primary)] : []

  const bags = [asRecord(affected?.database_specific), asRecord(affected?.ecosystem_specific), asRecord(record.database_specific)]
  const kev = readKev(bags)
  const epss = readEpss(bags)
  const flags = { ...(kev === undefined ? {} : { kev }), ...(epss === undefined ? {} : { epss }) }

  if (primary) {
    const severity: FindingSeverity = primary.severity === 'none' ? 'low' : primary.severity
    return { score: primary.baseScore, vector: primary.vector, version: primary.version, severity, source: 'cvss', all, ...flags }
  }
  const rating = advisoryRating(record, affected)
  if (rating && rating !== 'unknown') return { severity: rating, source: 'advisory', all, ...flags }
  return { severity: 'unknown', source: 'none', all, ...flags }
}
