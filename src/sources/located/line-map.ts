/** Containers with more children than this get a Map for lookups; smaller ones are scanned. */
const INDEX_THRESHOLD = 24

/**
 * Remembers where each object and array of a parsed document was written, without
 * wrapping the values: plain JS values flow through the pipeline and the map answers
 * "which line is `Properties.BucketEncryption` of this resource on?". Each container has one
 * entry — its own line, then `key, line` pairs in the order read. A large template or a directory
 * of manifests has hundreds of thousands of containers, and reading them must stay cheap (fewer
 * objects is less garbage-collection work): entries recorded in one step (as the readers do when
 * a node closes) are packed back to back in one array, so a container costs a map slot and its
 * numbers, not an array of its own; only entries that grow later (`setContainer`, `setChild`) are
 * arrays.
 */
export class LineMap {
  /** container → its entry: an offset into `packed`, or an array `[line, key1, line1, …]` */
  private readonly byContainer = new Map<object, number | (string | number)[]>()
  /** Entries recorded in one step, back to back: at an entry's offset its length n, then its n slots. */
  private readonly packed: (string | number)[] = []
  /** Key → line indexes of large containers, built on first lookup. */
  private indexes?: Map<object, Map<string | number, number>>

  /** Record the start line of a container. */
  setContainer(container: object, line: number): void {
    this.byContainer.set(container, [line])
  }

  /**
   * Record a container in one step: `entry` is `[line, key1, line1, key2, line2, …]` (its first
   * `length` slots); it is copied, so the caller may reuse the array.
   */
  setEntry(container: object, entry: readonly (string | number)[], length = entry.length): void {
    const packed = this.packed
    const at = packed.length
    packed.push(length)
    for (let i = 0; i < length; i++) packed.push(entry[i]!)
    this.byContainer.set(container, at)
  }

  /** Record the line of a key or array index of a container. */
  setChild(container: object, key: string | number, line: number): void {
    const c = this.byContainer.get(container)
    if (c === undefined) this.byContainer.set(container, [line, key, line])
    else if (typeof c === 'number') this.byContainer.set(container, [...this.packed.slice(c + 1, c + 1 + (this.packed[c] as number)), key, line])
    else c.push(key, line)
    this.indexes?.get(container)?.set(key, line)
  }

  private index(container: object, slots: readonly (string | number)[], start: number, length: number): Map<string | number, number> | undefined {
    let idx = this.indexes?.get(container)
    if (idx) return idx
    if (length <= INDEX_THRESHOLD * 2 + 1) return undefined
    idx = new Map()
    for (let i = start + 1; i < start + length; i += 2) idx.set(slots[i]!, slots[i + 1] as number)
    ;(this.indexes ??= new Map()).set(container, idx)
    return idx
  }

  /** Line of a key of a container, else the container's own line. */
  lineOf(container: unknown, key?: string | number): number | undefined {
    if (container === null || typeof container !== 'object') return undefined
    const c = this.byContainer.get(container)
    if (c === undefined) return undefined
    // where the entry lies: packed at an offset (after its length), or an array of its own
    const slots = typeof c === 'number' ? this.packed : c
    const start = typeof c === 'number' ? c + 1 : 0
    const length = typeof c === 'number' ? (this.packed[c] as number) : c.length
    const own = slots[start] as number
    if (key === undefined || length === 1) return own
    return this.find(container, slots, start, length, key) ?? own
  }

  /** Line of a key only if it was recorded (no fallback to the container's line). */
  keyLine(container: object, key: string | number): number | undefined {
    const c = this.byContainer.get(container)
    if (c === undefined) return undefined
    const slots = typeof c === 'number' ? this.packed : c
    const start = typeof c === 'number' ? c + 1 : 0
    const length = typeof c === 'number' ? (this.packed[c] as number) : c.length
    if (length === 1) return undefined
    return this.find(container, slots, start, length, key)
  }

  private find(container: object, slots: readonly (string | number)[], start: number, length: number, key: string | number): number | undefined {
    const idx = this.index(container, slots, start, length)
    if (idx) return idx.get(key)
    // the last occurrence wins, as the last duplicate key's value does
    for (let i = start + length - 2; i > start; i -= 2) if (slots[i] === key) return slots[i + 1] as number
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
    if (c === undefined) return undefined
    if (typeof c !== 'number') return c.length > 1 ? c.slice(1) : undefined
    const length = this.packed[c] as number
    return length > 1 ? this.packed.slice(c + 2, c + 1 + length) : undefined
  }

  /** Has the container a recorded position? */
  has(container: object): boolean {
    return this.byContainer.has(container)
  }
}

/**
 * Converts character offsets to 1-based line numbers. Offsets mostly arrive in increasing
 * order while a document is read, so the last answer is tried first before a binary search.
 * The line starts are found on the first lookup: the readers create an index with every parse,
 * and most parses never ask it.
 */
export class LineIndex {
  private text: string | undefined
  private readonly starts: number[] = [0]
  private last = 0

  constructor(text: string) {
    this.text = text
  }

  /** Record where each line starts, once. */
  private lineStarts(): number[] {
    const text = this.text
    if (text !== undefined) {
      this.text = undefined
      let i = text.indexOf('\n')
      while (i !== -1) {
        this.starts.push(i + 1)
        i = text.indexOf('\n', i + 1)
      }
    }
    return this.starts
  }

  /** 1-based line of a 0-based character offset. */
  line(offset: number): number {
    const s = this.lineStarts()
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
  const { segments, indexes } = pathSegments(path)
  let node: unknown = props
  let best: number | undefined
  for (let i = 0; i < segments.length; i++) {
    if (node === null || typeof node !== 'object') break
    const seg = segments[i]!
    const key: string | number = Array.isArray(node) && indexes[i] !== undefined ? indexes[i]! : seg
    // only lines recorded for the key itself count: an absent property points at its resource
    const l = lines.keyLine(node, key)
    if (l !== undefined) best = l
    node = (node as Record<string | number, unknown>)[key]
  }
  return best
}

/**
 * A property path split at its dots, with the number each all-digit segment stands for as an
 * array index. Findings ask for the same few hundred paths of every resource: split once each.
 */
function pathSegments(path: string): { segments: string[]; indexes: (number | undefined)[] } {
  let split = PATH_SEGMENTS.get(path)
  if (!split) {
    const segments = path.split('.')
    split = { segments, indexes: segments.map((seg) => (/^\d+$/.test(seg) ? Number(seg) : undefined)) }
    if (PATH_SEGMENTS.size < 10_000) PATH_SEGMENTS.set(path, split)
  }
  return split
}
const PATH_SEGMENTS = new Map<string, { segments: string[]; indexes: (number | undefined)[] }>()

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
