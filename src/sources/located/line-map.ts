/** Containers with more children than this get a Map for lookups; smaller ones are scanned. */
const INDEX_THRESHOLD = 24

/**
 * Remembers where each object and array of a parsed document was written, without
 * wrapping the values: plain JS values flow through the pipeline and the map answers
 * "which line is `Properties.BucketEncryption` of this resource on?". Each container has one flat
 * array — its own line, then `key, line` pairs in the order read — and no other object, because
 * a large template or a directory of manifests has hundreds of thousands of containers and
 * reading them must stay cheap (fewer objects is less garbage-collection work).
 */
export class LineMap {
  /** container → [line, key1, line1, key2, line2, …] */
  private readonly byContainer = new Map<object, (string | number)[]>()
  /** Key → line indexes of large containers, built on first lookup. */
  private indexes?: Map<object, Map<string | number, number>>

  /** Record the start line of a container. */
  setContainer(container: object, line: number): void {
    this.byContainer.set(container, [line])
  }

  /**
   * Record a container in one step: `entry` is `[line, key1, line1, key2, line2, …]` and is kept
   * as given (the YAML reader builds it while the node closes).
   */
  setEntry(container: object, entry: (string | number)[]): void {
    this.byContainer.set(container, entry)
  }

  /** Record the line of a key or array index of a container. */
  setChild(container: object, key: string | number, line: number): void {
    const c = this.byContainer.get(container)
    if (!c) this.byContainer.set(container, [line, key, line])
    else c.push(key, line)
    this.indexes?.get(container)?.set(key, line)
  }

  private index(container: object, c: (string | number)[]): Map<string | number, number> | undefined {
    let idx = this.indexes?.get(container)
    if (idx) return idx
    if (c.length <= INDEX_THRESHOLD * 2 + 1) return undefined
    idx = new Map()
    for (let i = 1; i < c.length; i += 2) idx.set(c[i]!, c[i + 1] as number)
    ;(this.indexes ??= new Map()).set(container, idx)
    return idx
  }

  /** Line of a key of a container, else the container's own line. */
  lineOf(container: unknown, key?: string | number): number | undefined {
    if (container === null || typeof container !== 'object') return undefined
    const c = this.byContainer.get(container)
    if (!c) return undefined
    const own = c[0] as number
    if (key === undefined || c.length === 1) return own
    return this.find(container, c, key) ?? own
  }

  /** Line of a key only if it was recorded (no fallback to the container's line). */
  keyLine(container: object, key: string | number): number | undefined {
    const c = this.byContainer.get(container)
    if (!c || c.length === 1) return undefined
    return this.find(container, c, key)
  }

  private find(container: object, c: (string | number)[], key: string | number): number | undefined {
    const idx = this.index(container, c)
    if (idx) return idx.get(key)
    // the last occurrence wins, as the last duplicate key's value does
    for (let i = c.length - 2; i >= 1; i -= 2) if (c[i] === key) return c[i + 1] as number
    return undefined
  }

  /** Line of a nested path, falling back to the deepest ancestor whose line is known. */
  lineOfPath(root: unknown, path: readonly (string | number)[]): number | undefined {
    let node: unknown = root
    let best = this.lineOf(root)
    for (const key of path) {
      if (node === null || typeof node !== 'object') break
      const l = this.lineOf(node, key)
      if (l !== undefined) best = l
      node = (node as Record<string | number, unknown>)[key]
    }
    return best
  }

  /** The recorded `key, line` pairs of a container, in the order read. */
  childPairs(container: object): readonly (string | number)[] | undefined {
    const c = this.byContainer.get(container)
    return c && c.length > 1 ? c.slice(1) : undefined
  }

  /** Has the container a recorded position? */
  has(container: object): boolean {
    return this.byContainer.has(container)
  }
}

/**
 * Converts character offsets to 1-based line numbers. Offsets mostly arrive in increasing
 * order while a document is read, so the last answer is tried first before a binary search.
 */
export class LineIndex {
  private readonly starts: number[] = [0]
  private last = 0

  constructor(text: string) {
    let i = text.indexOf('\n')
    while (i !== -1) {
      this.starts.push(i + 1)
      i = text.indexOf('\n', i + 1)
    }
  }

  /** 1-based line of a 0-based character offset. */
  line(offset: number): number {
    const s = this.starts
    const l = this.last
    if (offset >= s[l]! && (l + 1 >= s.length || offset < s[l + 1]!)) return l + 1
    if (l + 1 < s.length && offset >= s[l + 1]! && (l + 2 >= s.length || offset < s[l + 2]!)) {
      this.last = l + 1
      return l + 2
    }
    let lo = 0
    let hi = s.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (s[mid]! <= offset) lo = mid
      else hi = mid - 1
    }
    this.last = lo
    return lo + 1
  }

  /** 1-based column of a 0-based offset. */
  column(offset: number): number {
    const line = this.line(offset)
    return offset - this.starts[line - 1]! + 1
  }
}

/** Set a key on a plain object without letting `__proto__` change its prototype. */
export function safeSet(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__' || key === 'constructor' || key === 'prototype') {
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true })
  } else {
    obj[key] = value
  }
}

/** The line maps of resource properties, so findings can find the line of a deep property later. */
const PROPERTY_LINES = new WeakMap<object, LineMap>()

/** Remember which line map records the lines of a resource's properties object. */
export function registerPropertyLines(props: object, lines: LineMap): void {
  PROPERTY_LINES.set(props, lines)
}

/**
 * Line of a property path (`BucketEncryption.ServerSideEncryptionConfiguration.0`) of a resource's
 * properties, looked up when a finding needs it rather than flattened for every resource up front.
 */
export function lineOfProperty(props: object, path: string): number | undefined {
  const lines = PROPERTY_LINES.get(props)
  if (!lines) return undefined
  const segments = path.split('.')
  let node: unknown = props
  let best: number | undefined
  for (const seg of segments) {
    if (node === null || typeof node !== 'object') break
    const key: string | number = Array.isArray(node) && /^\d+$/.test(seg) ? Number(seg) : seg
    // only lines recorded for the key itself count: an absent property points at its resource
    const l = lines.keyLine(node, key)
    if (l !== undefined) best = l
    node = (node as Record<string | number, unknown>)[key]
  }
  return best
}

/** Every recorded property line of a resource's properties, flattened to `path → line` (for tools and tests). */
export function propertyLinesOf(props: object): Record<string, number> {
  const lines = PROPERTY_LINES.get(props)
  const out: Record<string, number> = {}
  if (!lines) return out
  const walk = (node: unknown, prefix: string, depth: number): void => {
    if (node === null || typeof node !== 'object' || depth > 16) return
    const keys: (string | number)[] = Array.isArray(node) ? node.map((_, i) => i) : Object.keys(node)
    for (const k of keys) {
      const path = prefix ? `${prefix}.${k}` : String(k)
      const l = lines.keyLine(node as object, k)
      if (l !== undefined) out[path] = l
      walk((node as Record<string | number, unknown>)[k], path, depth + 1)
    }
  }
  walk(props, '', 0)
  return out
}
