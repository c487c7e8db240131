import { PackageURL } from 'packageurl-js'
import type { VexStatement } from './types.js'

interface ParsedPurl {
  type: string
  namespace: string
  name: string
  version?: string
  qualifiers: Readonly<Record<string, string>>
  subpath?: string
}

/** Qualifier values a purl type implies when absent (purl spec: Maven `type` defaults to `jar`). */
const QUALIFIER_DEFAULTS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  maven: { type: 'jar' },
}

/** Parses and normalises a purl with packageurl-js (type lower case, PyPI names PEP 503, …); undefined when invalid. */
function parsePurl(purl: string): ParsedPurl | undefined {
  try {
    const p = PackageURL.fromString(purl)
    return {
      type: p.type,
      namespace: p.namespace ?? '',
      name: p.name,
      ...(p.version ? { version: p.version } : {}),
      qualifiers: p.qualifiers ?? {},
      ...(p.subpath ? { subpath: p.subpath } : {}),
    }
  } catch {
    return undefined
  }
}

/**
 * Whether a statement's product purl covers a finding's purl:
 * - type, namespace and name equal after packageurl-js normalisation;
 * - a version in the statement's purl must equal the finding's exactly (no version: every version);
 * - every qualifier the statement's purl carries must be on the finding's purl with the same value
 *   (a statement about `arch=armv7` does not cover `arch=x86_64`, nor a purl without `arch`), with
 *   the type's default standing in for an absent qualifier (Maven `type=jar`); qualifiers only the
 *   finding carries do not matter;
 * - a subpath in the statement's purl must equal the finding's.
 * An unparseable purl matches only the identical string.
 */
export function purlCovers(statementPurl: string, findingPurl: string): boolean {
  const s = parsePurl(statementPurl)
  const f = parsePurl(findingPurl)
  if (!s || !f) return statementPurl === findingPurl
  if (s.type !== f.type || s.namespace !== f.namespace || s.name !== f.name) return false
  if (s.version !== undefined && s.version !== f.version) return false
  if (s.subpath !== undefined && s.subpath !== f.subpath) return false
  const defaults = QUALIFIER_DEFAULTS[s.type] ?? {}
  for (const [key, value] of Object.entries(s.qualifiers)) {
    const findingValue = Object.hasOwn(f.qualifiers, key) ? f.qualifiers[key] : Object.hasOwn(defaults, key) ? defaults[key] : undefined
    if (findingValue !== value) return false
  }
  return true
}

function sameId(a: string, b: string): boolean {
  return a.toUpperCase() === b.toUpperCase()
}

/** Comparison of two statements' times: 0 when either has none or it does not parse. */
function compareTime(a: VexStatement, b: VexStatement): number {
  if (a.timestamp === undefined || b.timestamp === undefined) return 0
  const ta = Date.parse(a.timestamp)
  const tb = Date.parse(b.timestamp)
  if (Number.isNaN(ta) || Number.isNaN(tb)) return 0
  return ta - tb
}

/**
 * The VEX statement that decides a finding, or undefined when none applies.
 *
 * A statement applies when one of its ids (vulnerability + aliases) equals one of the finding's ids
 * (id + aliases; compared ignoring case) and one of its products covers the finding's purl
 * ({@link purlCovers}). Of the applicable statements the last wins: a later one replaces the one
 * chosen so far unless its timestamp is strictly earlier (statements without a usable timestamp
 * are ordered by position, in the order given — documents in the order they were passed, then
 * statements in document order).
 *
 * Every status is returned; only `not_affected` and `fixed` mean the finding can be suppressed
 * (see `vexSuppresses`) — `affected` and `under_investigation` are context for the report.
 */
export function applyVex(finding: { ids: readonly string[]; purl: string }, statements: readonly VexStatement[]): VexStatement | undefined {
  let chosen: VexStatement | undefined
  for (const statement of statements) {
    const ids = [statement.vulnerability, ...statement.aliases]
    if (!ids.some((id) => finding.ids.some((f) => sameId(id, f)))) continue
    if (!statement.products.some((p) => purlCovers(p, finding.purl))) continue
    if (!chosen || compareTime(statement, chosen) >= 0) chosen = statement
  }
  return chosen
}
