/**
 * @module vulns/versions
 * Exact version ordering per OSV ecosystem (SemVer for npm and crates.io, PEP 440 for PyPI, Go module
 * versions, Maven, RubyGems, Composer, dpkg, apk, rpm) and the OSV range evaluation built on it.
 */
export { compareVersions, isValidVersion, normalizePackageName, isSupportedEcosystem, supportedEcosystems } from './ecosystems.js'
export { isAffected, fixedVersions, affectedRanges, smallestFix } from './affected.js'
export type { AffectedInterval } from './affected.js'
