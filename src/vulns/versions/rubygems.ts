import { compareDigits, naturalCompare, strcmp } from './util.js'
import type { VersionScheme } from './scheme.js'

/**
 * RubyGems: `Gem::Version`. A version is `\d+(\.[0-9A-Za-z]+)*(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?`
 * (blank means `0`); `-` is rewritten to `.pre.`; segments are runs of digits or letters; a version
 * with a letter segment is a pre-release and sorts before its release (`1.0.a` < `1.0`); trailing zero
 * segments do not count (`1.0` = `1`); a letter segment sorts before a number.
 * Malformed strings (which `Gem::Version.new` rejects) sort before every valid version.
 */
export const rubygemsScheme: VersionScheme = {
  valid: (v) => GEM_PATTERN.test(v),
  compare(a, b) {
    const va = GEM_PATTERN.test(a)
    const vb = GEM_PATTERN.test(b)
    if (!va || !vb) return va === vb ? naturalCompare(a, b) : va ? 1 : -1
    return compareSegments(canonicalSegments(a), canonicalSegments(b))
  },
}

const GEM_PATTERN = /^\s*([0-9]+(?:\.[0-9a-zA-Z]+)*(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?)?\s*$/

type Segment = string | { n: string }

function segments(version: string): Segment[] {
  const v = version.trim() === '' ? '0' : version.trim().replace(/-/g, '.pre.')
  return (v.match(/[0-9]+|[a-z]+/gi) ?? []).map((s) => (/^\d/.test(s) ? { n: s } : s))
}

const isZero = (s: Segment | undefined): boolean => typeof s === 'object' && /^0+$/.test(s.n)

/** `canonical_segments`: the numeric head and the rest, each without trailing zeros. */
function canonicalSegments(version: string): Segment[] {
  const all = segments(version)
  const firstString = all.findIndex((s) => typeof s === 'string')
  const head = firstString === -1 ? all : all.slice(0, firstString)
  const tail = firstString === -1 ? [] : all.slice(firstString)
  const trim = (xs: Segment[]): Segment[] => {
    const out = [...xs]
    while (out.length > 0 && isZero(out[out.length - 1])) out.pop()
    return out
  }
  return [...trim(head), ...trim(tail)]
}

function compareSegments(l: Segment[], r: Segment[]): -1 | 0 | 1 {
  const n = Math.max(l.length, r.length)
  for (let i = 0; i < n; i++) {
    const a = l[i] ?? { n: '0' }
    const b = r[i] ?? { n: '0' }
    if (typeof a === 'string' && typeof b === 'string') {
      const c = strcmp(a, b)
      if (c !== 0) return c
    } else if (typeof a === 'string') return -1
    else if (typeof b === 'string') return 1
    else {
      const c = compareDigits(a.n, b.n)
      if (c !== 0) return c
    }
  }
  return 0
}
