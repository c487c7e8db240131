import { splitEcosystem } from '../osv.js'
import { apkScheme } from './apk.js'
import { dpkgScheme } from './dpkg.js'
import { goScheme } from './go.js'
import { mavenScheme } from './maven.js'
import { packagistScheme } from './packagist.js'
import { pypiScheme } from './pep440.js'
import { rpmScheme } from './rpm.js'
import { rubygemsScheme } from './rubygems.js'
import type { VersionScheme } from './scheme.js'
import { cratesScheme, npmScheme } from './semver.js'

/** Base OSV ecosystem name → its version scheme. */
const SCHEMES: ReadonlyMap<string, VersionScheme> = new Map([
  ['npm', npmScheme],
  ['crates.io', cratesScheme],
  ['PyPI', pypiScheme],
  ['Go', goScheme],
  ['Maven', mavenScheme],
  ['RubyGems', rubygemsScheme],
  ['Packagist', packagistScheme],
  ['Debian', dpkgScheme],
  ['Ubuntu', dpkgScheme],
  ['Alpine', apkScheme],
  ['Wolfi', apkScheme],
  ['Chainguard', apkScheme],
  ['Red Hat', rpmScheme],
  ['Rocky Linux', rpmScheme],
  ['AlmaLinux', rpmScheme],
  ['openSUSE', rpmScheme],
  ['SUSE', rpmScheme],
  ['Mageia', rpmScheme],
  ['openEuler', rpmScheme],
])

/** The base OSV ecosystems that have a version scheme, e.g. `npm`, `Debian`, `Red Hat`. */
export const supportedEcosystems: readonly string[] = [...SCHEMES.keys()]

/**
 * The version scheme of an OSV ecosystem; a release suffix (`Debian:12`, `Alpine:v3.19`,
 * `Ubuntu:22.04:LTS`) uses the base scheme. Throws an Error naming an unknown ecosystem.
 */
export function schemeFor(ecosystem: string): VersionScheme {
  const scheme = SCHEMES.get(splitEcosystem(ecosystem).ecosystem)
  if (scheme === undefined) throw new Error(`no version ordering for ecosystem "${ecosystem}"`)
  return scheme
}

/** Whether `ecosystem` (with or without a release suffix) has a version scheme. */
export function isSupportedEcosystem(ecosystem: string): boolean {
  return SCHEMES.has(splitEcosystem(ecosystem).ecosystem)
}

/**
 * Compares two versions of an OSV ecosystem: -1, 0 or 1. Exact per scheme (see each scheme's
 * documentation); never throws on version strings — those a scheme cannot parse get a stable
 * fallback place (before every valid version for npm, crates.io, Go, RubyGems, Packagist; the legacy
 * setuptools order for PyPI; Maven, dpkg, apk and rpm order any string). Throws for an unknown ecosystem.
 */
export function compareVersions(ecosystem: string, a: string, b: string): -1 | 0 | 1 {
  return schemeFor(ecosystem).compare(a, b)
}

/** Whether `v` is a well-formed version in the ecosystem's scheme. Throws for an unknown ecosystem. */
export function isValidVersion(ecosystem: string, v: string): boolean {
  return schemeFor(ecosystem).valid(v)
}

/**
 * The package name as the vulnerability database keys it: PyPI names are PEP 503-normalised
 * (`Django_REST.framework` → `django-rest-framework`), Packagist names lower-cased (Composer names
 * are case-insensitive); every other ecosystem is case-sensitive and kept as is.
 */
export function normalizePackageName(ecosystem: string, name: string): string {
  const base = splitEcosystem(ecosystem).ecosystem
  if (base === 'PyPI') return name.trim().toLowerCase().replace(/[-_.]+/g, '-')
  if (base === 'Packagist') return name.trim().toLowerCase()
  return name
}
