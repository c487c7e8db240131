import { splitEcosystem, type OsvAffected, type OsvRange } from '../osv.js'
import { schemeFor } from './ecosystems.js'
import { goScheme } from './go.js'
import { pypiEqual } from './pep440.js'
import type { VersionScheme } from './scheme.js'
import { npmScheme } from './semver.js'

type Kind = 'introduced' | 'fixed' | 'last_affected' | 'limit'

/** One range event with its kind; `version` is `"0"` for "from the start", `"*"` for an open limit. */
interface Event {
  kind: Kind
  version: string
}

/**
 * The scheme a range is evaluated with: `ECOSYSTEM` ranges use the ecosystem's scheme; `SEMVER`
 * ranges use SemVer 2.0 (node-semver loose for npm; otherwise SemVer with an optional `v`, so Go's
 * `v1.2.3` meets OSV's `1.2.3`).
 */
function rangeScheme(ecosystem: string, range: OsvRange): VersionScheme {
  if (range.type === 'SEMVER') return splitEcosystem(ecosystem).ecosystem === 'npm' ? npmScheme : goScheme
  return schemeFor(ecosystem)
}

function eventsOf(range: OsvRange): Event[] {
  const out: Event[] = []
  for (const e of range.events) {
    const r = e as Record<string, unknown>
    for (const kind of ['introduced', 'fixed', 'last_affected', 'limit'] as const) {
      const v = r[kind]
      if (typeof v === 'string') out.push({ kind, version: v })
    }
  }
  return out
}

const TIE: Record<Kind, number> = { introduced: 0, last_affected: 1, fixed: 2, limit: 3 }

/**
 * Prepares a range's events for evaluation. An `introduced` version the scheme cannot parse counts as
 * `"0"` and unparseable `fixed`/`last_affected`/`limit` events are skipped — both err towards
 * reporting a package rather than missing it. Events are sorted by version (`"0"` first); at equal
 * versions `introduced` comes first, so `introduced: X, fixed: X` affects nothing and
 * `introduced: X, last_affected: X` affects exactly X.
 */
function preparedEvents(scheme: VersionScheme, range: OsvRange): Event[] {
  const events: Event[] = []
  for (const e of eventsOf(range)) {
    if (e.kind === 'introduced') {
      events.push(e.version === '0' || !scheme.valid(e.version) ? { kind: 'introduced', version: '0' } : e)
    } else if (e.kind === 'limit' && e.version === '*') events.push(e)
    else if (scheme.valid(e.version)) events.push(e)
  }
  const cmp = (a: Event, b: Event): number => {
    const za = a.kind === 'introduced' && a.version === '0'
    const zb = b.kind === 'introduced' && b.version === '0'
    if (za || zb) return za === zb ? 0 : za ? -1 : 1
    return scheme.compare(a.version, b.version) || TIE[a.kind] - TIE[b.kind]
  }
  return events.sort(cmp)
}

/** The OSV evaluation of one SEMVER/ECOSYSTEM range (https://ossf.github.io/osv-schema/#evaluation). */
function inRange(scheme: VersionScheme, version: string, range: OsvRange): boolean {
  const events = preparedEvents(scheme, range)
  const limits = events.filter((e) => e.kind === 'limit')
  if (limits.length > 0 && !limits.some((l) => l.version === '*' || scheme.compare(version, l.version) < 0)) {
    return false
  }
  let affected = false
  for (const e of events) {
    if (e.kind === 'introduced') {
      if (e.version === '0' || scheme.compare(version, e.version) >= 0) affected = true
    } else if (e.kind === 'fixed') {
      if (scheme.compare(version, e.version) >= 0) affected = false
    } else if (e.kind === 'last_affected') {
      if (scheme.compare(version, e.version) > 0) affected = false
    }
  }
  return affected
}

/** `versions` list membership: exact, PEP 440 equality for PyPI, SemVer equality (`v` optional) for Go. */
function listed(ecosystem: string, version: string, versions: readonly string[]): boolean {
  const base = splitEcosystem(ecosystem).ecosystem
  if (versions.includes(version)) return true
  if (base === 'PyPI') return versions.some((v) => pypiEqual(v, version))
  if (base === 'Go' && goScheme.valid(version)) {
    return versions.some((v) => goScheme.valid(v) && goScheme.compare(v, version) === 0)
  }
  return false
}

/**
 * Whether `version` of a package is affected by one OSV `affected` entry: it is listed in `versions`,
 * or it falls in a `SEMVER`/`ECOSYSTEM` range (`introduced` inclusive, `"0"` = from the start;
 * `fixed` exclusive; `last_affected` inclusive; below some `limit` when limits are given, `"*"` =
 * none). `GIT` ranges are ignored. An installed version the scheme cannot parse is still placed by
 * the scheme's fallback order (so a range from `"0"` includes it). Never throws on version strings;
 * throws for an unknown ecosystem.
 */
export function isAffected(ecosystem: string, version: string, affected: OsvAffected): boolean {
  if (affected.versions && listed(ecosystem, version, affected.versions)) return true
  for (const range of affected.ranges ?? []) {
    if (range.type === 'GIT') continue
    if (inRange(rangeScheme(ecosystem, range), version, range)) return true
  }
  return false
}

/** The `fixed` versions of an entry's SEMVER/ECOSYSTEM ranges (not GIT commits), deduplicated, in record order. */
export function fixedVersions(affected: OsvAffected): string[] {
  const out: string[] = []
  for (const range of affected.ranges ?? []) {
    if (range.type === 'GIT') continue
    for (const e of eventsOf(range)) if (e.kind === 'fixed' && !out.includes(e.version)) out.push(e.version)
  }
  return out
}

/** One affected interval of a range, for display: `[introduced, fixed)` or `[introduced, lastAffected]`. */
export interface AffectedInterval {
  /** `"0"` means from the first version. */
  introduced: string
  fixed?: string
  lastAffected?: string
}

/**
 * The affected intervals of an entry's SEMVER/ECOSYSTEM ranges, for reports: each `introduced` paired
 * with the next `fixed`/`last_affected` in version order; an interval without an end is open.
 * Events are prepared as for {@link isAffected}.
 */
export function affectedRanges(ecosystem: string, affected: OsvAffected): AffectedInterval[] {
  const out: AffectedInterval[] = []
  for (const range of affected.ranges ?? []) {
    if (range.type === 'GIT') continue
    let open: AffectedInterval | undefined
    for (const e of preparedEvents(rangeScheme(ecosystem, range), range)) {
      if (e.kind === 'introduced') {
        if (open === undefined) {
          open = { introduced: e.version }
          out.push(open)
        }
      } else if (open !== undefined && (e.kind === 'fixed' || e.kind === 'last_affected')) {
        if (e.kind === 'fixed') open.fixed = e.version
        else open.lastAffected = e.version
        open = undefined
      }
    }
  }
  return out
}

/**
 * The smallest upgrade that clears every given entry: the least `fixed` version (over all entries)
 * strictly greater than `version` that none of the entries affects. Undefined when there is none —
 * e.g. only `last_affected` bounds, or every fix is itself affected by another entry. For Go, a `v`
 * is added when the installed version has one (`v1.2.3`, as `go get` wants it).
 */
export function smallestFix(ecosystem: string, version: string, affected: readonly OsvAffected[]): string | undefined {
  const scheme = schemeFor(ecosystem)
  const candidates = [...new Set(affected.flatMap((a) => fixedVersions(a)))]
    .filter((c) => scheme.valid(c) && scheme.compare(c, version) > 0)
    .sort((a, b) => scheme.compare(a, b))
  const fix = candidates.find((c) => !affected.some((a) => isAffected(ecosystem, c, a)))
  if (fix !== undefined && splitEcosystem(ecosystem).ecosystem === 'Go' && version.startsWith('v') && !fix.startsWith('v')) {
    return `v${fix}`
  }
  return fix
}
