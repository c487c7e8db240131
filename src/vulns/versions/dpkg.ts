import { compareDigits, sign } from './util.js'
import type { VersionScheme } from './scheme.js'

/**
 * Debian and Ubuntu: dpkg's order, as Debian Policy §5.6.12 defines it. `[epoch:]upstream[-revision]`;
 * epochs compare as numbers, then upstream and revision each by alternating non-digit and digit parts:
 * non-digit parts character by character where `~` sorts before everything (even the end of the
 * part), then letters, then the end, then other characters; digit parts numerically. A missing
 * revision equals `0`. Any string has a place in the order; `valid` applies dpkg's parse rules.
 */
export const dpkgScheme: VersionScheme = {
  valid: (v) => parseDpkg(v).valid,
  compare(a, b) {
    const x = parseDpkg(a)
    const y = parseDpkg(b)
    return compareDigits(x.epoch, y.epoch) || verrevcmp(x.upstream, y.upstream) || verrevcmp(x.revision, y.revision)
  },
}

interface DpkgVersion {
  epoch: string
  upstream: string
  revision: string
  valid: boolean
}

/** dpkg's `parseversion`: trims blanks, splits at the first `:` and the last `-`. */
export function parseDpkg(input: string): DpkgVersion {
  const s = input.trim()
  const colon = s.indexOf(':')
  let epoch = '0'
  let rest = s
  let valid = s !== '' && !/\s/.test(s)
  if (colon !== -1) {
    epoch = s.slice(0, colon)
    rest = s.slice(colon + 1)
    // dpkg reads the epoch with strtol and rejects values above INT_MAX.
    if (!/^\d+$/.test(epoch) || Number(epoch) > 2147483647) valid = false
    if (!/^\d+$/.test(epoch)) epoch = '0'
  }
  const hyphen = rest.lastIndexOf('-')
  const upstream = hyphen === -1 ? rest : rest.slice(0, hyphen)
  const revision = hyphen === -1 ? '' : rest.slice(hyphen + 1)
  if (upstream === '' || !/^\d/.test(upstream) || !/^[A-Za-z0-9.+~:-]*$/.test(upstream)) valid = false
  if (!/^[A-Za-z0-9.+~]*$/.test(revision)) valid = false
  return { epoch, upstream, revision, valid }
}

const isDigit = (c: string): boolean => c >= '0' && c <= '9'
const isAlpha = (c: string): boolean => (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')

/** Weight of one character of a non-digit part; '' is the end of the part. */
function order(c: string): number {
  if (c === '' || isDigit(c)) return 0
  if (isAlpha(c)) return c.charCodeAt(0)
  if (c === '~') return -1
  return c.charCodeAt(0) + 256
}

/** dpkg's `verrevcmp`. */
export function verrevcmp(a: string, b: string): -1 | 0 | 1 {
  let i = 0
  let j = 0
  while (i < a.length || j < b.length) {
    while ((i < a.length && !isDigit(a.charAt(i))) || (j < b.length && !isDigit(b.charAt(j)))) {
      const ac = order(a.charAt(i))
      const bc = order(b.charAt(j))
      if (ac !== bc) return sign(ac - bc)
      i++
      j++
    }
    const si = i
    const sj = j
    while (isDigit(a.charAt(i))) i++
    while (isDigit(b.charAt(j))) j++
    const c = compareDigits(a.slice(si, i) || '0', b.slice(sj, j) || '0')
    if (c !== 0) return c
  }
  return 0
}
