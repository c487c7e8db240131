/** -1, 0 or 1 from any number (NaN counts as 0). */
export function sign(n: number): -1 | 0 | 1 {
  return n < 0 ? -1 : n > 0 ? 1 : 0
}

/** Plain code-unit string order, as C's strcmp on ASCII. */
export function strcmp(a: string, b: string): -1 | 0 | 1 {
  return a < b ? -1 : a > b ? 1 : 0
}

/** Compares two digit strings as unbounded non-negative integers (no precision loss). */
export function compareDigits(a: string, b: string): -1 | 0 | 1 {
  const x = a.replace(/^0+/, '')
  const y = b.replace(/^0+/, '')
  if (x.length !== y.length) return x.length < y.length ? -1 : 1
  return strcmp(x, y)
}

/**
 * A total order on arbitrary strings used as the last-resort fallback for strings a scheme cannot
 * parse: runs of digits compare numerically, everything else by code unit, and the raw strings break
 * ties so that only identical strings are equal.
 */
export function naturalCompare(a: string, b: string): -1 | 0 | 1 {
  const ta = a.match(/\d+|\D+/g) ?? []
  const tb = b.match(/\d+|\D+/g) ?? []
  const n = Math.min(ta.length, tb.length)
  for (let i = 0; i < n; i++) {
    const x = ta[i] as string
    const y = tb[i] as string
    const dx = /^\d/.test(x)
    const dy = /^\d/.test(y)
    const c = dx && dy ? compareDigits(x, y) : dx !== dy ? (dx ? 1 : -1) : strcmp(x, y)
    if (c !== 0) return c
  }
  if (ta.length !== tb.length) return ta.length < tb.length ? -1 : 1
  return strcmp(a, b)
}

/**
 * Memoises a one-argument function of a string. The cache is bounded: it is emptied when it reaches
 * `max` entries (version strings repeat heavily within one scan, so this keeps the hit rate high).
 */
export function memo<T>(fn: (s: string) => T, max = 50_000): (s: string) => T {
  const cache = new Map<string, T>()
  return (s) => {
    const hit = cache.get(s)
    if (hit !== undefined || cache.has(s)) return hit as T
    if (cache.size >= max) cache.clear()
    const value = fn(s)
    cache.set(s, value)
    return value
  }
}
