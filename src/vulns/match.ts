import type { Component } from '../model/index.js'
import { mergeAliases, preferredId } from './aliases/index.js'
import { advisorySeverity } from './cvss/index.js'
import type { OsvAffected, OsvRecord } from './osv.js'
import { splitEcosystem } from './osv.js'
import { releaseApplies, releaseKey } from './db/names.js'
import { fixedVersions, isAffected, normalizePackageName, smallestFix } from './versions/index.js'
import { applyVex, type VexStatement } from './vex/index.js'

/** A package an advisory may name: what the database is asked for. */
export interface AdvisoryQuery {
  ecosystem: string
  release?: string
  name: string
}

/** Looks advisories up by package: the database (`lookupAdvisories`) or a test double. */
export type AdvisoryLookup = (packages: AdvisoryQuery[]) => Promise<Map<string, OsvRecord[]>>

/** Severity of a vulnerability after scoring. */
export type VulnSeverity = 'critical' | 'high' | 'medium' | 'low' | 'unknown'

/** One vulnerability (all its aliases merged) in one component. */
export interface VulnMatch {
  component: Component
  /** Display id: the CVE where one is known, else GHSA, else the ecosystem's own id. */
  id: string
  /** Every id and alias of the merged records, sorted, display id included. */
  ids: string[]
  /** OSV ids of the database records that matched (one per source: GHSA, PYSEC, GO, RUSTSEC …). */
  records: string[]
  summary?: string
  severity: VulnSeverity
  /** Where the severity came from: a CVSS vector, the advisory's own rating, or nothing. */
  severitySource: 'cvss' | 'advisory' | 'none'
  cvss?: { version: string; score: number; vector: string }
  /** Every `fixed` version the matching ranges name. */
  fixedVersions: string[]
  /** The smallest version above the installed one that clears every merged record, when one exists. */
  fix?: string
  kev?: boolean
  epss?: number
  published?: string
  modified?: string
  /** Advisory and fix URLs (at most 5). */
  references: string[]
  /** The VEX statement that applies, if any; `not_affected` and `fixed` suppress the finding. */
  vex?: VexStatement
}

/** The package name and version an ecosystem's advisories are written against. */
export function advisoryKey(c: Component): { name: string; version: string } {
  // Debian, Ubuntu and Alpine advisories name the source package and its version
  if (c.ecosystem === 'Debian' || c.ecosystem === 'Ubuntu' || c.ecosystem === 'Alpine') {
    return { name: c.sourceName ?? c.name, version: c.sourceVersion ?? c.version }
  }
  return { name: c.name, version: c.version }
}

/** Key of the lookup map: `${ecosystem}\u0000${normalised name}`. */
export function lookupKey(ecosystem: string, name: string): string {
  return `${ecosystem}\u0000${normalizePackageName(ecosystem, name)}`
}

/** Whether an `affected[].package` names this component: ecosystem, release and name. */
function namesComponent(a: OsvAffected, c: Component, name: string): boolean {
  if (!a.package) return false
  const { ecosystem, release } = splitEcosystem(a.package.ecosystem)
  if (ecosystem !== c.ecosystem) return false
  // `Ubuntu:22.04:LTS` names release 22.04, Alpine `v3.19` release v3.19; Debian `12` covers 12.5
  if (release && !releaseApplies(releaseKey(release), c.release)) return false
  return normalizePackageName(ecosystem, a.package.name) === normalizePackageName(ecosystem, name)
}

/** Options of {@link matchComponents}. */
export interface MatchOptions {
  /** VEX statements to honour. */
  vex?: VexStatement[]
}

/**
 * Matches components against advisories: each component's records are fetched in one lookup,
 * each `affected` entry naming the component is evaluated with the ecosystem's own version
 * order, records that are the same vulnerability under several ids are merged into one match,
 * scored from their CVSS vectors, and given the smallest upgrade that clears them all.
 */
export async function matchComponents(components: Component[], lookup: AdvisoryLookup, options: MatchOptions = {}): Promise<VulnMatch[]> {
  const queries = new Map<string, AdvisoryQuery>()
  for (const c of components) {
    const { name } = advisoryKey(c)
    const q: AdvisoryQuery = { ecosystem: c.ecosystem, name, ...(c.release ? { release: c.release } : {}) }
    queries.set(`${lookupKey(c.ecosystem, name)}\u0000${c.release ?? ''}`, q)
  }
  const found = await lookup([...queries.values()])
  const out: VulnMatch[] = []
  for (const c of components) {
    const { name, version } = advisoryKey(c)
    const records = found.get(lookupKey(c.ecosystem, name)) ?? []
    const hits: { record: OsvRecord; affected: OsvAffected[] }[] = []
    for (const record of records) {
      if (record.withdrawn) continue
      const entries = (record.affected ?? []).filter((a) => namesComponent(a, c, name))
      if (entries.some((a) => safeIsAffected(c.ecosystem, version, a))) hits.push({ record, affected: entries })
    }
    if (!hits.length) continue
    for (const group of mergeAliases(hits.map((h) => ({ ...h, id: h.record.id, aliases: [...(h.record.aliases ?? []), ...(h.record.upstream ?? [])] })))) {
      out.push(toMatch(c, version, group, options.vex ?? []))
    }
  }
  return out.sort((a, b) => a.component.purl.localeCompare(b.component.purl) || a.id.localeCompare(b.id))
}

function safeIsAffected(ecosystem: string, version: string, a: OsvAffected): boolean {
  try {
    return isAffected(ecosystem, version, a)
  } catch {
    return false
  }
}

const SEVERITY_RANK: Record<VulnSeverity, number> = { critical: 4, high: 3, medium: 2, low: 1, unknown: 0 }

function toMatch(c: Component, version: string, group: { record: OsvRecord; affected: OsvAffected[] }[], vex: VexStatement[]): VulnMatch {
  const ids = [...new Set(group.flatMap((h) => [h.record.id, ...(h.record.aliases ?? [])]))].sort()
  const id = preferredId(ids) ?? group[0]!.record.id
  // the highest-scored record speaks for the group; a CVSS score beats an advisory's word
  let best: ReturnType<typeof advisorySeverity> | undefined
  let bestRecord = group[0]!.record
  for (const h of group) {
    for (const a of h.affected.length ? h.affected : [undefined]) {
      const s = advisorySeverity(h.record, a)
      if (!best || rankOf(s) > rankOf(best)) {
        best = s
        bestRecord = h.record
      }
    }
  }
  const affected = group.flatMap((h) => h.affected)
  const fixed = [...new Set(affected.flatMap((a) => fixedVersions(a)))]
  let fix: string | undefined
  try {
    fix = smallestFix(c.ecosystem, version, affected)
  } catch {
    fix = undefined
  }
  const summaryRecord = group.find((h) => h.record.id === id)?.record ?? group.find((h) => h.record.summary)?.record ?? bestRecord
  const refs = [...new Set(group.flatMap((h) => (h.record.references ?? []).filter((r) => r.type === 'ADVISORY' || r.type === 'FIX' || r.type === 'WEB').map((r) => r.url)))].slice(0, 5)
  const published = group.map((h) => h.record.published).filter((p): p is string => !!p).sort()[0]
  const modified = group.map((h) => h.record.modified).sort().at(-1)
  const statement = applyVex({ ids, purl: c.purl }, vex)
  const sev = best!
  return {
    component: c,
    id,
    ids,
    records: group.map((h) => h.record.id).sort(),
    ...(summaryOf(group.map((h) => h.record), summaryRecord) ? { summary: summaryOf(group.map((h) => h.record), summaryRecord)! } : {}),
    severity: sev.severity,
    severitySource: sev.source,
    ...(sev.score !== undefined && sev.vector && sev.version ? { cvss: { version: sev.version, score: sev.score, vector: sev.vector } } : {}),
    fixedVersions: fixed,
    ...(fix ? { fix } : {}),
    ...(group.some((h) => advisorySeverity(h.record).kev) ? { kev: true } : {}),
    ...(sev.epss !== undefined ? { epss: sev.epss } : {}),
    ...(published ? { published } : {}),
    ...(modified ? { modified } : {}),
    references: refs,
    ...(statement ? { vex: statement } : {}),
  }
}

function rankOf(s: ReturnType<typeof advisorySeverity>): number {
  // order: a CVSS score first (higher wins), then the advisory's rating
  return (s.source === 'cvss' ? 100 : 0) + (s.score ?? 0) * 10 + SEVERITY_RANK[s.severity]
}

/**
 * The one-line summary of a merged vulnerability: the display record's `summary`, else any
 * record's, else the first sentence of `details` (PyPA and some GHSA records have no summary).
 */
function summaryOf(records: OsvRecord[], preferred: OsvRecord): string | undefined {
  const withSummary = preferred.summary ?? records.find((r) => r.summary)?.summary
  if (withSummary) return withSummary.trim()
  const details = preferred.details ?? records.find((r) => r.details)?.details
  if (!details) return undefined
  const text = details.replace(/\s+/g, ' ').trim()
  const end = text.search(/[.!?](\s|$)/)
  const first = end === -1 ? text : text.slice(0, end + 1)
  return first.length > 160 ? `${first.slice(0, 157)}…` : first
}
