import cvssCalculator from 'ae-cvss-calculator'

/**
 * CVSS vectors scored with `ae-cvss-calculator` (v2.0, v3.0, v3.1, v4.0). The library is lenient —
 * it scores `CVSS:3.1/AV:N` as 0 and keeps the last of two `AV` metrics — so a vector is first
 * checked here against the metric tables of its specification (every base metric present, every
 * value allowed, no metric twice, nothing unknown); the arithmetic is the library's.
 */

/** CVSS specification version of a vector. */
export type CvssVersion = '2.0' | '3.0' | '3.1' | '4.0'

/** Qualitative rating of a CVSS score. */
export type CvssSeverity = 'none' | 'low' | 'medium' | 'high' | 'critical'

/** A scored CVSS vector. */
export interface CvssScore {
  version: CvssVersion
  /** The vector as given (trimmed; a v2 vector without surrounding parentheses). */
  vector: string
  /**
   * Base score: base metrics only (CVSS-B for v4.0), whatever temporal, threat or environmental
   * metrics the vector also carries — the number NVD and GHSA publish and `--fail-on` compares.
   */
  baseScore: number
  /** Score with every metric the vector carries (v2/v3 temporal and environmental, v4 CVSS-BT/BTE); equals `baseScore` for a base-only vector. */
  overallScore: number
  /** Rating of `baseScore`: v3/v4 table of the specification; v2 (which has none) NVD's low / medium / high. */
  severity: CvssSeverity
}

interface MetricTable {
  /** Metric → allowed values. */
  metrics: Readonly<Record<string, readonly string[]>>
  /** Metrics a vector must carry. */
  required: readonly string[]
}

const V2: MetricTable = {
  metrics: {
    AV: ['L', 'A', 'N'], AC: ['H', 'M', 'L'], Au: ['M', 'S', 'N'], C: ['N', 'P', 'C'], I: ['N', 'P', 'C'], A: ['N', 'P', 'C'],
    E: ['U', 'POC', 'F', 'H', 'ND'], RL: ['OF', 'TF', 'W', 'U', 'ND'], RC: ['UC', 'UR', 'C', 'ND'],
    CDP: ['N', 'L', 'LM', 'MH', 'H', 'ND'], TD: ['N', 'L', 'M', 'H', 'ND'],
    CR: ['L', 'M', 'H', 'ND'], IR: ['L', 'M', 'H', 'ND'], AR: ['L', 'M', 'H', 'ND'],
  },
  required: ['AV', 'AC', 'Au', 'C', 'I', 'A'],
}

const CIA3 = ['X', 'N', 'L', 'H']
const V3: MetricTable = {
  metrics: {
    AV: ['N', 'A', 'L', 'P'], AC: ['L', 'H'], PR: ['N', 'L', 'H'], UI: ['N', 'R'], S: ['U', 'C'],
    C: ['H', 'L', 'N'], I: ['H', 'L', 'N'], A: ['H', 'L', 'N'],
    E: ['X', 'U', 'P', 'F', 'H'], RL: ['X', 'O', 'T', 'W', 'U'], RC: ['X', 'U', 'R', 'C'],
    CR: ['X', 'L', 'M', 'H'], IR: ['X', 'L', 'M', 'H'], AR: ['X', 'L', 'M', 'H'],
    MAV: ['X', 'N', 'A', 'L', 'P'], MAC: ['X', 'L', 'H'], MPR: ['X', 'N', 'L', 'H'], MUI: ['X', 'N', 'R'], MS: ['X', 'U', 'C'],
    MC: CIA3, MI: CIA3, MA: CIA3,
  },
  required: ['AV', 'AC', 'PR', 'UI', 'S', 'C', 'I', 'A'],
}

const CIA4 = ['X', 'H', 'L', 'N']
const V4: MetricTable = {
  metrics: {
    AV: ['N', 'A', 'L', 'P'], AC: ['L', 'H'], AT: ['N', 'P'], PR: ['N', 'L', 'H'], UI: ['N', 'P', 'A'],
    VC: ['H', 'L', 'N'], VI: ['H', 'L', 'N'], VA: ['H', 'L', 'N'], SC: ['H', 'L', 'N'], SI: ['H', 'L', 'N'], SA: ['H', 'L', 'N'],
    E: ['X', 'A', 'P', 'U'],
    CR: ['X', 'H', 'M', 'L'], IR: ['X', 'H', 'M', 'L'], AR: ['X', 'H', 'M', 'L'],
    MAV: ['X', 'N', 'A', 'L', 'P'], MAC: ['X', 'L', 'H'], MAT: ['X', 'N', 'P'], MPR: ['X', 'N', 'L', 'H'], MUI: ['X', 'N', 'P', 'A'],
    MVC: CIA4, MVI: CIA4, MVA: CIA4, MSC: CIA4, MSI: ['X', 'S', 'H', 'L', 'N'], MSA: ['X', 'S', 'H', 'L', 'N'],
    S: ['X', 'N', 'P'], AU: ['X', 'N', 'Y'], R: ['X', 'A', 'U', 'I'], V: ['X', 'D', 'C'], RE: ['X', 'L', 'M', 'H'],
    U: ['X', 'Clear', 'Green', 'Amber', 'Red'],
  },
  required: ['AV', 'AC', 'AT', 'PR', 'UI', 'VC', 'VI', 'VA', 'SC', 'SI', 'SA'],
}

/** Splits `CVSS:3.1/…` or a bare v2 vector into version and metric parts; undefined when malformed. */
function splitVector(input: string): { version: CvssVersion; body: string } | undefined {
  let text = input.trim()
  if (text.startsWith('(') && text.endsWith(')')) text = text.slice(1, -1)
  const prefixed = /^CVSS:(2\.0|3\.0|3\.1|4\.0)\/(.*)$/.exec(text)
  if (prefixed) return { version: prefixed[1] as CvssVersion, body: prefixed[2] ?? '' }
  if (text.startsWith('CVSS:')) return undefined
  return { version: '2.0', body: text }
}

/** True when every metric is known, allowed, present once, and every base metric is there. */
function wellFormed(body: string, table: MetricTable): boolean {
  if (body === '') return false
  const seen = new Set<string>()
  for (const part of body.split('/')) {
    const m = /^([A-Za-z]+):([A-Za-z]+)$/.exec(part)
    if (!m) return false
    const [, name = '', value = ''] = m
    const allowed = Object.hasOwn(table.metrics, name) ? table.metrics[name] : undefined
    if (!allowed || !allowed.includes(value) || seen.has(name)) return false
    seen.add(name)
  }
  return table.required.every((name) => seen.has(name))
}

/** Qualitative rating of a score: CVSS v3.x / v4.0 table; v2 after NVD (0–3.9 low, 4–6.9 medium, 7–10 high). */
export function cvssSeverity(score: number, version: CvssVersion): CvssSeverity {
  if (version === '2.0') return score >= 7 ? 'high' : score >= 4 ? 'medium' : 'low'
  if (score === 0) return 'none'
  if (score < 4) return 'low'
  if (score < 7) return 'medium'
  if (score < 9) return 'high'
  return 'critical'
}

interface LibraryScores {
  base?: number
  baseMetricsOnly?: number
  overall?: number
}

/** Runs the library on a checked vector; undefined when it does not give finite scores. */
function libraryScores(version: CvssVersion, vector: string): { base: number; overall: number } | undefined {
  const instance =
    version === '2.0' ? new cvssCalculator.Cvss2(vector)
    : version === '3.0' ? new cvssCalculator.Cvss3P0(vector)
    : version === '3.1' ? new cvssCalculator.Cvss3P1(vector)
    : new cvssCalculator.Cvss4P0(vector)
  const scores = instance.calculateScores() as LibraryScores
  const base = version === '4.0' ? scores.baseMetricsOnly : scores.base
  const overall = scores.overall ?? base
  if (typeof base !== 'number' || !Number.isFinite(base) || typeof overall !== 'number' || !Number.isFinite(overall)) return undefined
  return { base, overall }
}

/**
 * Scores a CVSS vector (`CVSS:3.1/AV:N/…`, `CVSS:4.0/…`, `CVSS:3.0/…`, or a v2 vector, which has no
 * prefix: `AV:N/AC:L/Au:N/C:P/I:P/A:P`). Undefined for anything that is not a complete, valid
 * vector of one of those versions; never throws.
 */
export function scoreVector(vector: string): CvssScore | undefined {
  if (typeof vector !== 'string' || vector.length > 512) return undefined
  const split = splitVector(vector)
  if (!split) return undefined
  const table = split.version === '2.0' ? V2 : split.version === '4.0' ? V4 : V3
  if (!wellFormed(split.body, table)) return undefined
  const canonical = split.version === '2.0' ? split.body : `CVSS:${split.version}/${split.body}`
  let scores: { base: number; overall: number } | undefined
  try {
    scores = libraryScores(split.version, canonical)
  } catch {
    return undefined
  }
  if (!scores) return undefined
  return {
    version: split.version,
    vector: canonical,
    baseScore: scores.base,
    overallScore: scores.overall,
    severity: cvssSeverity(scores.base, split.version),
  }
}
