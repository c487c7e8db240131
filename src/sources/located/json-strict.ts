import { LineMap } from './line-map.js'

/** An open object or array while {@link linesOfStrictJson} walks the text. */
interface Open {
  container: Record<string, unknown> | unknown[]
  /** The line-map entry being built: the container's line, then `key, line` pairs. */
  entry: (string | number)[]
  /** Members (objects) or elements (arrays) seen in the text so far. */
  count: number
}

/**
 * Reads strict JSON the fast way: `JSON.parse` builds the values, then one pass over the text
 * records the same lines `parseJsonLocated`'s token-by-token reader records (each container's
 * line; each member's key line, each element's line). Returns undefined, and leaves the text to
 * that reader and its diagnostics, when `JSON.parse` refuses the text, when an object repeats a
 * key (its first value is not in the result) or when nesting is deeper than `maxDepth`.
 */
export function parseStrictJson(text: string, maxDepth: number): { root: unknown; lines: LineMap } | undefined {
  let root: unknown
  try {
    root = JSON.parse(text)
  } catch {
    return undefined
  }
  const lines = new LineMap()
  return linesOfStrictJson(text, root, lines, maxDepth) ? { root, lines } : undefined
}

const QUOTE = 34
const BACKSLASH = 92
const COMMA = 44
const COLON = 58
const OPEN_BRACE = 123
const CLOSE_BRACE = 125
const OPEN_BRACKET = 91
const CLOSE_BRACKET = 93
const LF = 10
const CR = 13

/** Walk `text` (which `JSON.parse` accepted as `root`) and record its lines in `lines`; false when a key repeats or nesting is too deep. */
function linesOfStrictJson(text: string, root: unknown, lines: LineMap, maxDepth: number): boolean {
  let pos = 0
  let line = 1
  const stack: Open[] = []

  /** Skip JSON whitespace, counting line breaks as jsonc-parser does (`\n`, `\r\n`, a lone `\r`). */
  const skipSpace = (): void => {
    for (;;) {
      const c = text.charCodeAt(pos)
      if (c === 32 || c === 9) pos++
      else if (c === LF) {
        pos++
        line++
      } else if (c === CR) {
        pos++
        if (text.charCodeAt(pos) === LF) pos++
        line++
      } else return
    }
  }
  /** Position after the string starting at `pos` (a quote); strings hold no line breaks in strict JSON. */
  const stringEnd = (): number => {
    let i = pos + 1
    for (;;) {
      const q = text.indexOf('"', i)
      let b = q - 1
      while (text.charCodeAt(b) === BACKSLASH) b--
      // an even number of backslashes before the quote: it closes the string
      if ((q - 1 - b) % 2 === 0) return q + 1
      i = q + 1
    }
  }

  for (;;) {
    // a value starts here: in an array, at the top, or after a key and its colon
    skipSpace()
    const top = stack[stack.length - 1]
    let key: string | undefined
    let keyLine = line
    if (top && !Array.isArray(top.container)) {
      const end = stringEnd()
      const raw = text.slice(pos + 1, end - 1)
      key = raw.includes('\\') ? (JSON.parse(text.slice(pos, end)) as string) : raw
      keyLine = line
      pos = end
      skipSpace()
      if (text.charCodeAt(pos) !== COLON) return false
      pos++
      skipSpace()
    }
    const valueLine = line
    const value = !top ? root : Array.isArray(top.container) ? top.container[top.count] : top.container[key!]
    if (top) {
      if (key === undefined) top.entry.push(top.count, valueLine)
      else top.entry.push(key, keyLine)
      top.count++
    }
    const c = text.charCodeAt(pos)
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (stack.length >= maxDepth || value === null || typeof value !== 'object') return false
      pos++
      stack.push({ container: value as Open['container'], entry: [valueLine], count: 0 })
      skipSpace()
      // an empty container closes at once; otherwise its first member or element is read next
      if (text.charCodeAt(pos) !== (c === OPEN_BRACE ? CLOSE_BRACE : CLOSE_BRACKET)) continue
    } else if (c === QUOTE) {
      pos = stringEnd()
    } else {
      // a number, true, false or null: up to the next delimiter
      while (pos < text.length) {
        const d = text.charCodeAt(pos)
        if (d === COMMA || d === CLOSE_BRACE || d === CLOSE_BRACKET || d === 32 || d === 9 || d === LF || d === CR) break
        pos++
      }
    }
    // after a value: close what ends here, then go on with the next member or element
    for (;;) {
      skipSpace()
      const open = stack[stack.length - 1]
      if (!open) return pos === text.length
      const d = text.charCodeAt(pos)
      if (d === COMMA) {
        pos++
        break
      }
      if (d !== CLOSE_BRACE && d !== CLOSE_BRACKET) return false
      pos++
      // fewer own keys than members written: a key was repeated
      if (!Array.isArray(open.container) && Object.keys(open.container).length !== open.count) return false
      lines.setEntry(open.container, open.entry)
      stack.pop()
    }
  }
}
