/** Lines recorded for one container (object or array) of a parsed document. */
interface ContainerLines {
  /** Line where the container starts. */
  line: number
  /** Line of each key (objects) or item (arrays). */
  children: Map<string | number, number>
}

/**
 * Remembers where each object and array of a parsed document was written, without
 * wrapping the values: plain JS values flow through the pipeline and the map answers
 * "which line is `Properties.BucketEncryption` of this resource on?".
 */
export class LineMap {
  private readonly byContainer = new WeakMap<object, ContainerLines>()

  /** Record the start line of a container. */
  setContainer(container: object, line: number): void {
    this.byContainer.set(container, { line, children: new Map() })
  }

  /** Record the line of a key or array index of a container. */
  setChild(container: object, key: string | number, line: number): void {
    let c = this.byContainer.get(container)
    if (!c) {
      c = { line, children: new Map() }
      this.byContainer.set(container, c)
    }
    c.children.set(key, line)
  }

  /** Line of a key of a container, else the container's own line. */
  lineOf(container: unknown, key?: string | number): number | undefined {
    if (container === null || typeof container !== 'object') return undefined
    const c = this.byContainer.get(container)
    if (!c) return undefined
    if (key === undefined) return c.line
    return c.children.get(key) ?? c.line
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

  /** Give `to` the lines recorded for `from` (used when a value is rebuilt, e.g. by intrinsic resolution). */
  copy(from: object, to: object): void {
    const c = this.byContainer.get(from)
    if (c && from !== to) this.byContainer.set(to, { line: c.line, children: new Map(c.children) })
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
