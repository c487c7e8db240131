/** Line starts of a text, for turning offsets into 1-based line and column. */
export class LineIndex {
  private readonly starts: number[]
  constructor(text: string) {
    const starts = [0]
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i)
      if (c === 10) starts.push(i + 1)
      else if (c === 13 && text.charCodeAt(i + 1) !== 10) starts.push(i + 1)
    }
    this.starts = starts
  }
  /** 1-based line and column (UTF-16 code units) of an offset; `\n`, `\r\n` and lone `\r` end lines. */
  position(offset: number): { line: number; column: number } {
    let lo = 0
    let hi = this.starts.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (this.starts[mid]! <= offset) lo = mid
      else hi = mid - 1
    }
    return { line: lo + 1, column: offset - this.starts[lo]! + 1 }
  }
}

/** Raw `[start, end)` in the file of a span `[s, e)` of a unit value. */
export function rawSpan(unit: { offset: number; map?: number[] }, s: number, e: number): { start: number; end: number } {
  if (!unit.map) return { start: unit.offset + s, end: unit.offset + e }
  const start = unit.map[s] ?? unit.offset
  const end = unit.map[e] ?? start
  return { start, end: Math.max(end, start) }
}
