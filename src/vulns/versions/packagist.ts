import { compareDigits, memo, naturalCompare, sign } from './util.js'
import type { VersionScheme } from './scheme.js'

/**
 * Packagist: Composer's order — `VersionParser::normalize` (optional `v`, padded to four numbers,
 * stability suffix `-dev` / `alpha`/`a` / `beta`/`b` / `RC` / `patch`/`pl`/`p`, build metadata dropped,
 * `1.x-dev` branches), then PHP's `version_compare`: dev < alpha < beta < RC < release < patch.
 * Strings Composer rejects, and `dev-<branch>` names (which Composer never orders), sort before
 * every valid version.
 */
export const packagistScheme: VersionScheme = {
  valid: (v) => normalized(v) !== null,
  compare(a, b) {
    const na = normalized(a)
    const nb = normalized(b)
    if (na === null || nb === null) return na === nb ? naturalCompare(a, b) : na === null ? -1 : 1
    return phpVersionCompare(na, nb)
  },
}

const MODIFIER = '[._-]?(?:(stable|beta|b|RC|alpha|a|patch|pl|p)((?:[.-]?\\d+)*+)?)?([.-]?dev)?'
  // JS has no possessive quantifiers; the plain forms match the same strings here.
  .replace('*+', '*')
const CLASSICAL = new RegExp(`^v?(\\d{1,5})(\\.\\d+)?(\\.\\d+)?(\\.\\d+)?${MODIFIER}$`, 'i')
const DATE = new RegExp(`^v?(\\d{4}(?:[.:-]?\\d{2}){1,6}(?:[.:-]?\\d{1,3}){0,2})${MODIFIER}$`, 'i')
const BRANCH = /^v?(\d+)(\.(?:\d+|[xX*]))?(\.(?:\d+|[xX*]))?(\.(?:\d+|[xX*]))?$/

function expandStability(s: string): string {
  const l = s.toLowerCase()
  if (l === 'a' || l === 'alpha') return 'alpha'
  if (l === 'b' || l === 'beta') return 'beta'
  if (l === 'p' || l === 'pl' || l === 'patch') return 'patch'
  if (l === 'rc') return 'RC'
  return s
}

const normalized = memo((v: string) => normalizeComposer(v))

/** Composer's `VersionParser::normalize` for concrete versions; null when Composer would throw or for `dev-*`. */
export function normalizeComposer(input: string): string | null {
  let v = input.trim()
  const alias = /^([^,\s]+) +as +([^,\s]+)$/.exec(v)
  if (alias) v = alias[1] as string
  v = v.replace(/@(?:stable|RC|beta|alpha|dev)$/i, '')
  if (/^dev-/i.test(v) || ['master', 'trunk', 'default'].includes(v)) return null
  const build = /^([^,\s+]+)\+\S+$/.exec(v)
  if (build) v = build[1] as string

  let m = CLASSICAL.exec(v)
  let version: string | undefined
  let index = 0
  if (m) {
    version = `${m[1]}${m[2] || '.0'}${m[3] || '.0'}${m[4] || '.0'}`
    index = 5
  } else {
    m = DATE.exec(v)
    if (m) {
      version = (m[1] as string).replace(/\D/g, '.')
      index = 2
    }
  }
  if (m && version !== undefined) {
    const stability = m[index]
    if (stability) {
      if (stability.toLowerCase() === 'stable') return version
      version += `-${expandStability(stability)}${(m[index + 1] ?? '').replace(/^[.-]+/, '')}`
    }
    if (m[index + 2]) version += '-dev'
    return version
  }
  const dev = /^(.*?)[.-]?dev$/i.exec(v)
  if (dev) {
    const b = BRANCH.exec(dev[1] as string)
    if (b) {
      let out = ''
      for (let i = 1; i < 5; i++) out += b[i] !== undefined ? (b[i] as string).replace(/[*X]/g, 'x') : '.x'
      return `${out.replace(/x/g, '9999999')}-dev`
    }
  }
  return null
}

const isDigit = (c: string): boolean => c >= '0' && c <= '9'
const isAlnum = (c: string): boolean => /^[0-9A-Za-z]$/.test(c)

/** PHP's `php_canonicalize_version`. */
function canonicalize(version: string): string {
  let out = version.charAt(0)
  let lp = version.charAt(0)
  for (let i = 1; i < version.length; i++) {
    const c = version.charAt(i)
    const last = out.charAt(out.length - 1)
    const isdig = (x: string): boolean => isDigit(x)
    const isndig = (x: string): boolean => !isDigit(x) && x !== '.'
    if (c === '-' || c === '_' || c === '+') {
      if (last !== '.') out += '.'
    } else if ((isndig(lp) && isdig(c)) || (isdig(lp) && isndig(c))) {
      if (last !== '.') out += '.'
      out += c
    } else if (!isAlnum(c)) {
      if (last !== '.') out += '.'
    } else out += c
    lp = c
  }
  return out
}

const SPECIAL_FORMS: [string, number][] = [
  ['dev', 0], ['alpha', 1], ['a', 1], ['beta', 2], ['b', 2], ['RC', 3], ['rc', 3], ['#', 4], ['pl', 5], ['p', 5],
]

function specialOrder(form: string): number {
  for (const [name, order] of SPECIAL_FORMS) if (form.startsWith(name)) return order
  return -1
}

/** PHP's `version_compare($a, $b)`. */
export function phpVersionCompare(a: string, b: string): -1 | 0 | 1 {
  if (a === '' || b === '') return a === b ? 0 : a === '' ? -1 : 1
  const pa = (a.startsWith('#') ? a : canonicalize(a)).split('.')
  const pb = (b.startsWith('#') ? b : canonicalize(b)).split('.')
  const n = Math.min(pa.length, pb.length)
  for (let i = 0; i < n; i++) {
    const x = pa[i] as string
    const y = pb[i] as string
    let c: -1 | 0 | 1
    if (isDigit(x.charAt(0)) && isDigit(y.charAt(0))) c = compareDigits(leadingDigits(x), leadingDigits(y))
    else if (!isDigit(x.charAt(0)) && !isDigit(y.charAt(0))) c = sign(specialOrder(x) - specialOrder(y))
    else if (isDigit(x.charAt(0))) c = sign(specialOrder('#N#') - specialOrder(y))
    else c = sign(specialOrder(x) - specialOrder('#N#'))
    if (c !== 0) return c
  }
  if (pa.length > n) {
    const rest = pa.slice(n)
    return isDigit((rest[0] as string).charAt(0)) ? 1 : phpVersionCompare(rest.join('.'), '#N#')
  }
  if (pb.length > n) {
    const rest = pb.slice(n)
    return isDigit((rest[0] as string).charAt(0)) ? -1 : phpVersionCompare('#N#', rest.join('.'))
  }
  return 0
}

function leadingDigits(s: string): string {
  return /^\d+/.exec(s)?.[0] ?? '0'
}
