import semver from 'semver'
import { memo, naturalCompare, sign } from './util.js'
import type { VersionScheme } from './scheme.js'

/**
 * Go module versions (golang.org/x/mod/semver): SemVer with a `v` prefix — optional here, because
 * OSV's Go records write `1.2.3`. Shorthands `v1` and `v1.2` mean `v1.0.0` and `v1.2.0`. Pseudo-versions
 * (`v0.0.0-20210101000000-abcdef123456`, `v1.2.4-0.2021…`) are ordinary pre-releases and sort by
 * their timestamp; `+incompatible` is build metadata and does not take part in the order.
 */
export const goScheme: VersionScheme = {
  valid: (v) => parseGo(v) !== null,
  compare(a, b) {
    const pa = parseGo(a)
    const pb = parseGo(b)
    if (pa === null || pb === null) return pa === pb ? naturalCompare(a, b) : pa === null ? -1 : 1
    return sign(pa.compare(pb))
  },
}

const shorthand = /^(\d+)(?:\.(\d+))?$/

const parseGo = memo(parseGoUncached)

function parseGoUncached(v: string): semver.SemVer | null {
  const s = v.startsWith('v') ? v.slice(1) : v
  const m = shorthand.exec(s)
  const full = m ? `${m[1]}.${m[2] ?? '0'}.0` : s
  // x/mod/semver forbids leading zeros like SemVer 2.0 does; node-semver (strict) agrees.
  return semver.parse(full, { loose: false })
}
