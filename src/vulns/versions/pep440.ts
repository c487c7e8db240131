import { parse as pep440Parse } from '@renovatebot/pep440'
import { memo, sign, strcmp } from './util.js'
import type { VersionScheme } from './scheme.js'

/**
 * PyPI: PEP 440 via `@renovatebot/pep440`. Strings that are not PEP 440 (old releases such as
 * `0.1-rc1-foo` or `2004d`) use the "LegacyVersion" order of setuptools/packaging < 22: every legacy
 * version sorts before every PEP 440 version, and legacy versions compare by their parts
 * (numbers zero-padded, `pre`/`preview`/`rc` → `c`, `dev` → `@`, `-` → `final-`).
 */
export const pypiScheme: VersionScheme = {
  valid: (v) => pep440Key(v) !== null,
  compare(a, b) {
    const ka = pep440Key(a)
    const kb = pep440Key(b)
    if (ka !== null && kb !== null) return compareKeys(ka, kb)
    if (ka !== kb) return ka !== null ? 1 : -1
    return compareLegacy(legacyKey(a.trim()), legacyKey(b.trim()))
  },
}

/**
 * packaging's sort key of a PEP 440 version: (epoch, release without trailing zeros, pre, post,
 * dev, local). `pre` is -1 for "a dev release without pre/post" (1.0.dev0 < 1.0a0), 1 for none.
 */
interface Pep440Key {
  epoch: number
  release: number[]
  pre: -1 | 1 | [string, number]
  post: [number] | null
  dev: number | null
  local: (number | string)[] | null
}

const pep440Key = memo((v: string): Pep440Key | null => {
  const p = pep440Parse(v.trim())
  if (p === null) return null
  const release = [...p.release]
  while (release.length > 0 && release[release.length - 1] === 0) release.pop()
  // `parse` returns [letter, number] pairs (its typings describe `explain`'s output instead).
  const pre = p.pre as unknown as [string, number] | null
  const post = p.post as unknown as [string, number] | null
  const dev = p.dev as unknown as [string, number] | null
  return {
    epoch: p.epoch,
    release,
    pre: pre ? [pre[0], pre[1]] : !post && dev ? -1 : 1,
    post: post ? [post[1]] : null,
    dev: dev ? dev[1] : null,
    local: localSegments(p.local as unknown),
  }
})

function localSegments(local: unknown): (number | string)[] | null {
  if (Array.isArray(local)) return local as (number | string)[]
  if (typeof local !== 'string' || local === '') return null
  return local.split(/[._-]/).map((x) => (/^\d+$/.test(x) ? Number(x) : x.toLowerCase()))
}

const cmpNum = (a: number, b: number): -1 | 0 | 1 => (a < b ? -1 : a > b ? 1 : 0)

function compareKeys(a: Pep440Key, b: Pep440Key): -1 | 0 | 1 {
  return (
    cmpNum(a.epoch, b.epoch) ||
    compareNumbers(a.release, b.release) ||
    comparePre(a.pre, b.pre) ||
    // no post release sorts first; no dev release sorts last
    cmpNum(a.post ? a.post[0] : -1, b.post ? b.post[0] : -1) ||
    cmpNum(a.dev ?? Infinity, b.dev ?? Infinity) ||
    compareLocal(a.local, b.local)
  )
}

function compareNumbers(a: number[], b: number[]): -1 | 0 | 1 {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = cmpNum(a[i] as number, b[i] as number)
    if (c !== 0) return c
  }
  return cmpNum(a.length, b.length)
}

function comparePre(a: Pep440Key['pre'], b: Pep440Key['pre']): -1 | 0 | 1 {
  if (typeof a === 'number' || typeof b === 'number') {
    const x = typeof a === 'number' ? a : 0
    const y = typeof b === 'number' ? b : 0
    return cmpNum(x, y)
  }
  return strcmp(a[0], b[0]) || cmpNum(a[1], b[1])
}

/** Local segments: none < any; per segment, strings before numbers, then by value; shorter first. */
function compareLocal(a: Pep440Key['local'], b: Pep440Key['local']): -1 | 0 | 1 {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i] as number | string
    const y = b[i] as number | string
    const c =
      typeof x === 'number' && typeof y === 'number'
        ? cmpNum(x, y)
        : typeof x === 'string' && typeof y === 'string'
          ? strcmp(x, y)
          : typeof x === 'string'
            ? -1
            : 1
    if (c !== 0) return c
  }
  return cmpNum(a.length, b.length)
}

/** PEP 440 equality (`1.0 == 1.0.0`, `1.0a1 == 1.0.alpha1`), else case-insensitive string equality. */
export function pypiEqual(a: string, b: string): boolean {
  const ka = pep440Key(a)
  const kb = pep440Key(b)
  if (ka !== null && kb !== null) return compareKeys(ka, kb) === 0
  return a.trim().toLowerCase() === b.trim().toLowerCase()
}

const legacyReplacement: Record<string, string> = { pre: 'c', preview: 'c', '-': 'final-', rc: 'c', dev: '@' }

/** packaging's `_legacy_cmpkey`, without the constant epoch of -1. */
export function legacyKey(version: string): string[] {
  const parts: string[] = []
  // Python's re.split with a capturing group keeps both the separators and the text between them.
  const pieces = version.toLowerCase().split(/(\d+|[a-z]+|\.|-)/)
  const stream: string[] = []
  for (const raw of pieces) {
    const part = legacyReplacement[raw] ?? raw
    if (part === '' || part === '.') continue
    stream.push(/^\d/.test(part) ? part.padStart(8, '0') : `*${part}`)
  }
  stream.push('*final')
  for (const part of stream) {
    if (part.startsWith('*')) {
      if (part < '*final') while (parts.length > 0 && parts[parts.length - 1] === '*final-') parts.pop()
      while (parts.length > 0 && parts[parts.length - 1] === '00000000') parts.pop()
    }
    parts.push(part)
  }
  return parts
}

function compareLegacy(a: string[], b: string[]): -1 | 0 | 1 {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const c = strcmp(a[i] as string, b[i] as string)
    if (c !== 0) return c
  }
  return sign(a.length - b.length)
}
