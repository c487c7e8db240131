import { normalizePackageName } from '../versions/index.js'

/**
 * The name a package is indexed and looked up under: the matcher's own normalisation (PEP 503
 * for PyPI, lower case for Packagist, unchanged elsewhere), so both sides agree.
 *
 * @example
 * normalizePackageName('PyPI', 'Zope.Interface__x') // 'zope-interface-x'
 */
export { normalizePackageName }

/**
 * The comparable part of an OS release: the first dotted number (`12`, `22.04` of `22.04:LTS`,
 * `3.19` of `v3.19`), else the release lowercased (`bookworm`, `edge`).
 */
export function releaseKey(release: string): string {
  const m = /\d+(?:\.\d+)*/.exec(release)
  return m ? m[0] : release.toLowerCase()
}

/**
 * Whether an advisory for release `stored` (a {@link releaseKey}, or none = every release) applies to
 * a system of release `wanted`: equal, or `wanted` is a point release of it (`12.5` of `12`).
 * Without `wanted`, every release applies.
 */
export function releaseApplies(stored: string | null, wanted: string | undefined): boolean {
  if (stored === null || wanted === undefined) return true
  const w = releaseKey(wanted)
  return w === stored || w.startsWith(`${stored}.`)
}

/** The key of {@link lookupAdvisories} results: base ecosystem, NUL, normalised name. */
export function packageKey(ecosystem: string, name: string): string {
  return `${ecosystem}\u0000${normalizePackageName(ecosystem, name)}`
}
