import { compareDigits, memo, strcmp } from './util.js'
import type { VersionScheme } from './scheme.js'

/**
 * Maven: a port of `ComparableVersion` from maven-artifact 3.8.7 (checked against that jar). Items
 * split on `.`, `-` and digit/letter transitions; `-`, a transition and a trailing `.qualifier` open a
 * sub-list; trailing "null" items (0, "", `ga`, `final`, `release`, empty list) are dropped. Qualifiers order
 * alpha < beta < milestone < rc = cr < snapshot < "" = ga = final = release < sp < unknown (lexical), and
 * `a1`/`b1`/`m1` (a letter directly followed by a digit) mean alpha/beta/milestone. Any string parses.
 */
export const mavenScheme: VersionScheme = {
  valid: (v) => v.trim() !== '' && !/\s/.test(v),
  compare: (a, b) => compareList(parseMaven(a), parseMaven(b)),
}

type Item = { kind: 'int'; value: string } | { kind: 'str'; value: string } | { kind: 'list'; items: Item[] }

const QUALIFIERS = ['alpha', 'beta', 'milestone', 'rc', 'snapshot', '', 'sp']
const ALIASES: Record<string, string> = { ga: '', final: '', release: '', cr: 'rc' }
const RELEASE_VERSION_INDEX = String(QUALIFIERS.indexOf(''))

function stringItem(raw: string, followedByDigit: boolean): Item {
  let value = raw
  if (followedByDigit && value.length === 1) {
    if (value === 'a') value = 'alpha'
    else if (value === 'b') value = 'beta'
    else if (value === 'm') value = 'milestone'
  }
  return { kind: 'str', value: ALIASES[value] ?? value }
}

function parseItem(isDigit: boolean, buf: string): Item {
  return isDigit ? { kind: 'int', value: buf.replace(/^0+(?=\d)/, '') } : stringItem(buf, false)
}

function comparableQualifier(q: string): string {
  const i = QUALIFIERS.indexOf(q)
  return i === -1 ? `${QUALIFIERS.length}-${q}` : String(i)
}

function isNull(item: Item): boolean {
  if (item.kind === 'int') return /^0+$/.test(item.value)
  if (item.kind === 'str') return comparableQualifier(item.value) === RELEASE_VERSION_INDEX
  return item.items.length === 0
}

/** Drops trailing null items; a non-null sub-list does not stop the scan, a non-null number or string does. */
function normalize(list: Item[]): void {
  for (let i = list.length - 1; i >= 0; i--) {
    const item = list[i] as Item
    if (isNull(item)) list.splice(i, 1)
    else if (item.kind !== 'list') break
  }
}

function isAsciiDigit(c: string): boolean {
  return c >= '0' && c <= '9'
}

/** Parses a version into Maven's item tree (the root list), as maven-artifact 3.8.7 does. */
const parseMaven = memo(parseMavenUncached)

function parseMavenUncached(version: string): Item[] {
  const v = version.toLowerCase()
  const root: Item[] = []
  let list = root
  const stack: Item[][] = [root]
  const openSublist = (): void => {
    const sub: Item[] = []
    list.push({ kind: 'list', items: sub })
    list = sub
    stack.push(sub)
  }
  let isDigit = false
  let start = 0
  for (let i = 0; i < v.length; i++) {
    const c = v.charAt(i)
    if (c === '.' || c === '-') {
      list.push(i === start ? { kind: 'int', value: '0' } : parseItem(isDigit, v.slice(start, i)))
      start = i + 1
      if (c === '-') openSublist()
    } else if (isAsciiDigit(c)) {
      if (!isDigit && i > start) {
        // 1.0.0.X1 < 1.0.0-X2: a string qualifier after `.` is treated as after `-` (MNG-7644).
        if (list.length > 0) openSublist()
        list.push(stringItem(v.slice(start, i), true))
        start = i
        openSublist()
      }
      isDigit = true
    } else {
      if (isDigit && i > start) {
        list.push(parseItem(true, v.slice(start, i)))
        start = i
        openSublist()
      }
      isDigit = false
    }
  }
  if (v.length > start) {
    // The same for a trailing qualifier.
    if (!isDigit && list.length > 0) openSublist()
    list.push(parseItem(isDigit, v.slice(start)))
  }
  while (stack.length > 0) normalize(stack.pop() as Item[])
  return root
}

/** `item.compareTo(other)`; `other` undefined stands for Java's `null` (a missing item). */
function compareItem(item: Item, other: Item | undefined): -1 | 0 | 1 {
  if (item.kind === 'int') {
    if (other === undefined) return /^0+$/.test(item.value) ? 0 : 1
    return other.kind === 'int' ? compareDigits(item.value, other.value) : 1
  }
  if (item.kind === 'str') {
    if (other === undefined) return strcmp(comparableQualifier(item.value), RELEASE_VERSION_INDEX)
    if (other.kind === 'str') return strcmp(comparableQualifier(item.value), comparableQualifier(other.value))
    return -1
  }
  if (other === undefined) {
    for (const i of item.items) {
      const c = compareItem(i, undefined)
      if (c !== 0) return c
    }
    return 0
  }
  if (other.kind === 'int') return -1
  if (other.kind === 'str') return 1
  return compareList(item.items, other.items)
}

function compareList(left: Item[], right: Item[]): -1 | 0 | 1 {
  const n = Math.max(left.length, right.length)
  for (let i = 0; i < n; i++) {
    const l = left[i]
    const r = right[i]
    const result = l === undefined ? (r === undefined ? 0 : -compareItem(r, undefined)) : compareItem(l, r)
    if (result !== 0) return result as -1 | 1
  }
  return 0
}
