import { PackageURL } from 'packageurl-js'
import type { Component, DependencyScope, Diagnostic, Ecosystem } from '../../model/index.js'

/** Longest name or version echoed in a message. */
const MAX_ECHO = 80

/** A value shortened for a message (lockfiles hold no secrets, but keep messages small). */
export function echo(value: string): string {
  const v = value.replace(/[\r\n\t]+/g, ' ')
  return v.length > MAX_ECHO ? `${v.slice(0, MAX_ECHO)}…` : v
}

/** A PW_ERR_LOCKFILE_INVALID diagnostic naming the file and line. */
export function invalid(file: string, message: string, line?: number, level: 'error' | 'warning' = 'error'): Diagnostic {
  const where = line === undefined ? file : `${file} at line ${line}`
  const d: Diagnostic = { code: 'PW_ERR_LOCKFILE_INVALID', level, message: `${message} (${where}).`, file }
  if (line !== undefined) d.line = line
  return d
}

/** PEP 503 normalised PyPI name: lower case, runs of `-`, `_`, `.` as one `-`. */
export function normalizePypiName(name: string): string {
  return name.trim().toLowerCase().replace(/[-_.]+/g, '-')
}

const PURL_TYPES: Record<Ecosystem, string> = {
  npm: 'npm',
  PyPI: 'pypi',
  Go: 'golang',
  Maven: 'maven',
  'crates.io': 'cargo',
  RubyGems: 'gem',
  Packagist: 'composer',
  Debian: 'deb',
  Ubuntu: 'deb',
  Alpine: 'apk',
  'Red Hat': 'rpm',
}

/** Split a name into purl namespace and name for the language ecosystems. */
function purlParts(ecosystem: Ecosystem, name: string): [string | undefined, string] {
  switch (ecosystem) {
    case 'npm':
    case 'Go':
    case 'Packagist': {
      const i = name.lastIndexOf('/')
      return i > 0 ? [name.slice(0, i), name.slice(i + 1)] : [undefined, name]
    }
    case 'Maven': {
      const i = name.indexOf(':')
      return i > 0 ? [name.slice(0, i), name.slice(i + 1)] : [undefined, name]
    }
    default:
      return [undefined, name]
  }
}

/** Package URL of a language package, or undefined when packageurl-js rejects the parts. */
export function purlOf(ecosystem: Ecosystem, name: string, version: string): string | undefined {
  const [namespace, short] = purlParts(ecosystem, name)
  try {
    return new PackageURL(PURL_TYPES[ecosystem], namespace, short, version, undefined, undefined).toString()
  } catch {
    return undefined
  }
}

/** What a parser found for one entry before entries of the same name and version merge. */
export interface RawEntry {
  name: string
  version: string
  line?: number | undefined
  direct?: boolean | undefined
  scope?: DependencyScope | undefined
  paths?: string[][] | undefined
  license?: string | undefined
}

/** Most dependency chains kept per component. */
export const MAX_PATHS = 3

const SCOPE_RANK: Record<DependencyScope, number> = { prod: 0, peer: 1, optional: 2, dev: 3 }

/**
 * Collects entries into components: the same name and version found several times is one
 * component with several locations (and the union of their chains, shortest first).
 */
export class ComponentCollector {
  private readonly byKey = new Map<string, Component>()
  readonly diagnostics: Diagnostic[] = []

  constructor(
    private readonly ecosystem: Ecosystem,
    private readonly file: string,
    private readonly foundBy: string,
  ) {}

  /** Add one entry; an entry whose purl cannot be built becomes a diagnostic. */
  add(entry: RawEntry): void {
    const name = entry.name
    const version = entry.version
    if (!name || !version) return
    const key = `${name}@${version}`
    let c = this.byKey.get(key)
    if (!c) {
      const purl = purlOf(this.ecosystem, name, version)
      if (!purl) {
        this.diagnostics.push(invalid(this.file, `Package name "${echo(name)}" with version "${echo(version)}" is not valid`, entry.line))
        return
      }
      c = { ecosystem: this.ecosystem, name, version, purl, type: 'library', locations: [], foundBy: this.foundBy }
      this.byKey.set(key, c)
    }
    if (!c.locations.some((l) => l.line === entry.line)) c.locations.push(entry.line === undefined ? { file: this.file } : { file: this.file, line: entry.line })
    if (entry.direct !== undefined) c.direct = (c.direct ?? false) || entry.direct
    if (entry.scope !== undefined) c.scope = c.scope === undefined || SCOPE_RANK[entry.scope] < SCOPE_RANK[c.scope] ? entry.scope : c.scope
    if (entry.license !== undefined && c.license === undefined) c.license = entry.license
    if (entry.paths) c.paths = mergePaths(c.paths, entry.paths)
  }

  /** The components, in the order first seen. */
  components(): Component[] {
    return [...this.byKey.values()]
  }
}

/** Union of chains, deduplicated, shortest first, at most {@link MAX_PATHS}. */
export function mergePaths(a: string[][] | undefined, b: string[][]): string[][] {
  const all = [...(a ?? []), ...b]
  const seen = new Set<string>()
  const out: string[][] = []
  const keyed = all.map((p) => ({ p, k: p.join('\u0000') }))
  keyed.sort((x, y) => x.p.length - y.p.length || (x.k < y.k ? -1 : x.k > y.k ? 1 : 0))
  for (const { p } of keyed) {
    const k = p.join('\u0000')
    if (seen.has(k)) continue
    seen.add(k)
    out.push(p)
  }
  return out.slice(0, MAX_PATHS)
}

/** Lines of a text without their terminators (CRLF tolerated). */
export function splitLines(text: string): string[] {
  return text.split(/\r?\n/)
}

/** A plain object, or undefined. */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined
}

/** A string, or undefined. */
export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined
}
