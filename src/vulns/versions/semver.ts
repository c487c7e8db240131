import semver from 'semver'
import { memo, naturalCompare, sign } from './util.js'
import type { VersionScheme } from './scheme.js'

/**
 * npm: node-semver in loose mode (accepts `v1.2.3`, `=1.2.3`, surrounding spaces, as the registry
 * did for old packages). Build metadata does not take part in the order.
 */
export const npmScheme: VersionScheme = semverScheme(true)

/** crates.io: Cargo's SemVer 2.0 (strict), build metadata ignored for order. */
export const cratesScheme: VersionScheme = semverScheme(false)

function semverScheme(loose: boolean): VersionScheme {
  // node-semver accepts a leading `v` even in strict mode; Cargo does not.
  const parse = memo((v: string): semver.SemVer | null => (loose || /^\d/.test(v) ? semver.parse(v, { loose }) : null))
  return {
    valid: (v) => parse(v) !== null,
    compare(a, b) {
      const pa = parse(a)
      const pb = parse(b)
      // Strings that are not SemVer sort before every valid version, among themselves naturally.
      if (pa === null || pb === null) return pa === pb ? naturalCompare(a, b) : pa === null ? -1 : 1
      return sign(pa.compare(pb))
    },
  }
}
