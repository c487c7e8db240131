import { compareDigits, strcmp } from './util.js'
import type { VersionScheme } from './scheme.js'

/**
 * Red Hat, Rocky Linux, AlmaLinux (and the other RPM distributions): `[epoch:]version[-release]`,
 * epochs as numbers (missing = 0), then version and release with rpm's `rpmvercmp`: alphanumeric
 * segments, separators ignored, numbers compare numerically and beat letters, `~` sorts before
 * everything (even the end), `^` after the end but before any further segment.
 */
export const rpmScheme: VersionScheme = {
  valid: (v) => /^(\d+:)?[^\s:-]+(-[^\s:-]+)?$/.test(v.trim()) && /[0-9A-Za-z]/.test(v),
  compare(a, b) {
    const x = parseEvr(a)
    const y = parseEvr(b)
    return compareDigits(x.epoch, y.epoch) || rpmvercmp(x.version, y.version) || rpmvercmp(x.release, y.release)
  },
}

/** Splits `epoch:version-release` (the release after the last `-`). */
export function parseEvr(input: string): { epoch: string; version: string; release: string } {
  const s = input.trim()
  const m = /^(\d+):(.*)$/.exec(s)
  const epoch = m ? (m[1] as string) : '0'
  const vr = m ? (m[2] as string) : s
  const dash = vr.lastIndexOf('-')
  return dash === -1
    ? { epoch, version: vr, release: '' }
    : { epoch, version: vr.slice(0, dash), release: vr.slice(dash + 1) }
}

const isDigit = (c: string): boolean => c >= '0' && c <= '9'
const isAlpha = (c: string): boolean => (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
const isAlnum = (c: string): boolean => isDigit(c) || isAlpha(c)

/** rpm's `rpmvercmp` (lib/rpmvercmp.c, with `~` and `^`). */
export function rpmvercmp(a: string, b: string): -1 | 0 | 1 {
  if (a === b) return 0
  let i = 0
  let j = 0
  const at = (s: string, k: number): string => s.charAt(k)
  while (i < a.length || j < b.length) {
    while (i < a.length && !isAlnum(at(a, i)) && at(a, i) !== '~' && at(a, i) !== '^') i++
    while (j < b.length && !isAlnum(at(b, j)) && at(b, j) !== '~' && at(b, j) !== '^') j++

    if (at(a, i) === '~' || at(b, j) === '~') {
      if (at(a, i) !== '~') return 1
      if (at(b, j) !== '~') return -1
      i++
      j++
      continue
    }
    if (at(a, i) === '^' || at(b, j) === '^') {
      if (i >= a.length) return -1
      if (j >= b.length) return 1
      if (at(a, i) !== '^') return 1
      if (at(b, j) !== '^') return -1
      i++
      j++
      continue
    }
    if (!(i < a.length && j < b.length)) break

    const si = i
    const sj = j
    const isnum = isDigit(at(a, i))
    const run = isnum ? isDigit : isAlpha
    while (i < a.length && run(at(a, i))) i++
    while (j < b.length && run(at(b, j))) j++
    const x = a.slice(si, i)
    const y = b.slice(sj, j)
    // Segments of different types: numeric beats alpha.
    if (y === '') return isnum ? 1 : -1
    const c = isnum ? compareDigits(x, y) : strcmp(x, y)
    if (c !== 0) return c
  }
  if (i >= a.length && j >= b.length) return 0
  return i >= a.length ? -1 : 1
}
