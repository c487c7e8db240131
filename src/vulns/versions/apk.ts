import { sign } from './util.js'
import type { VersionScheme } from './scheme.js'

/**
 * Alpine: apk-tools' version order (src/version.c, Gentoo-style
 * `{digit}{.digit}…{letter}{_suffix{#}}…{-r#}`). Numbers compare numerically (a part after `.` with
 * leading zeros compares as a negative number, so `1.01` < `1.1`), then one letter, then suffixes
 * `_alpha` < `_beta` < `_pre` < `_rc` < (none) < `_cvs` < `_svn` < `_git` < `_hg` < `_p`, then `-rN`.
 * Invalid versions are compared by the same token walk up to the first invalid token, as apk does.
 */
export const apkScheme: VersionScheme = {
  valid: apkValid,
  compare: apkCompare,
}

const enum T {
  Invalid = -1,
  DigitOrZero = 0,
  Digit = 1,
  Letter = 2,
  Suffix = 3,
  SuffixNo = 4,
  RevisionNo = 5,
  End = 6,
}

const PRE_SUFFIXES = ['alpha', 'beta', 'pre', 'rc']
const POST_SUFFIXES = ['cvs', 'svn', 'git', 'hg', 'p']

interface Cursor {
  s: string
  i: number
  type: T
}

const isDigit = (c: string): boolean => c >= '0' && c <= '9'
const isLower = (c: string): boolean => c >= 'a' && c <= 'z'

function nextToken(cur: Cursor): void {
  let n: T = T.Invalid
  const c = cur.s.charAt(cur.i)
  if (cur.i >= cur.s.length) n = T.End
  else if ((cur.type === T.Digit || cur.type === T.DigitOrZero) && isLower(c)) n = T.Letter
  else if (cur.type === T.Letter && isDigit(c)) n = T.Digit
  else if (cur.type === T.Suffix && isDigit(c)) n = T.SuffixNo
  else {
    if (c === '.') n = T.DigitOrZero
    else if (c === '_') n = T.Suffix
    else if (c === '-') {
      if (cur.s.charAt(cur.i + 1) === 'r') {
        n = T.RevisionNo
        cur.i++
      } else n = T.Invalid
    }
    cur.i++
  }
  if (n < cur.type) {
    if (
      !(
        (n === T.DigitOrZero && cur.type === T.Digit) ||
        (n === T.Suffix && cur.type === T.SuffixNo) ||
        (n === T.Digit && cur.type === T.Letter)
      )
    )
      n = T.Invalid
  }
  cur.type = n
}

function getToken(cur: Cursor): number {
  const { s } = cur
  let v = 0
  let i = cur.i
  let nt: T = T.Invalid
  if (cur.i >= s.length) {
    cur.type = T.End
    return 0
  }
  if (cur.type === T.DigitOrZero && s.charAt(i) === '0') {
    // Leading zeros after a dot get a special treatment: `.01` counts as -1, below any `.1`.
    while (i < s.length && s.charAt(i) === '0') i++
    nt = T.Digit
    v = -(i - cur.i)
  } else if (cur.type === T.DigitOrZero || cur.type === T.Digit || cur.type === T.SuffixNo || cur.type === T.RevisionNo) {
    while (i < s.length && isDigit(s.charAt(i))) {
      v = v * 10 + (s.charCodeAt(i) - 48)
      i++
    }
  } else if (cur.type === T.Letter) {
    v = s.charCodeAt(i)
    i++
  } else if (cur.type === T.Suffix) {
    const rest = s.slice(i)
    const pre = PRE_SUFFIXES.findIndex((p) => rest.startsWith(p))
    const post = pre === -1 ? POST_SUFFIXES.findIndex((p) => rest.startsWith(p)) : -1
    if (pre === -1 && post === -1) {
      cur.type = T.Invalid
      return -1
    }
    v = pre !== -1 ? pre - PRE_SUFFIXES.length : post
    i += (pre !== -1 ? (PRE_SUFFIXES[pre] as string) : (POST_SUFFIXES[post] as string)).length
  } else {
    cur.type = T.Invalid
    return -1
  }
  cur.i = i
  if (cur.i >= s.length) cur.type = T.End
  else if (nt !== T.Invalid) cur.type = nt
  else nextToken(cur)
  return v
}

/** `apk_version_validate`. */
export function apkValid(v: string): boolean {
  const cur: Cursor = { s: v, i: 0, type: T.Digit }
  if (v === '') return false
  while (cur.type !== T.End && cur.type !== T.Invalid) getToken(cur)
  return cur.type === T.End
}

/** `apk_version_compare`. */
export function apkCompare(a: string, b: string): -1 | 0 | 1 {
  const ca: Cursor = { s: a, i: 0, type: T.Digit }
  const cb: Cursor = { s: b, i: 0, type: T.Digit }
  let av = 0
  let bv = 0
  while (ca.type === cb.type && ca.type !== T.End && ca.type !== T.Invalid && av === bv) {
    av = getToken(ca)
    bv = getToken(cb)
  }
  if (av !== bv) return sign(av - bv)
  if (ca.type === cb.type) return 0
  if (ca.type === T.Suffix && getToken({ ...ca }) < 0) return -1
  if (cb.type === T.Suffix && getToken({ ...cb }) < 0) return 1
  if (ca.type > cb.type) return -1
  if (cb.type > ca.type) return 1
  return 0
}
