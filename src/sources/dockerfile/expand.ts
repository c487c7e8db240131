/**
 * Docker's variable substitution and quote removal for one word (the rules of BuildKit's
 * `shell.Lex.ProcessWord`): single quotes are literal, double quotes allow `$` expansion, the
 * escape character escapes the next character. The Dockerfile grammar itself (instructions,
 * continuations, heredocs, JSON form, directives) is dockerfile-ast's job; this only decides the
 * value of a word once the parser has isolated it.
 */

/**
 * The value of a variable where the word is expanded: a string when known statically; `null` when
 * declared without a static value (an ARG without default, a predefined platform ARG); `undefined`
 * when never declared.
 */
export type Lookup = (name: string) => string | null | undefined

/** An expanded word and the variables left as written. */
export interface Expanded {
  value: string
  unresolved: string[]
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/

/** Expand `$VAR`, `${VAR}`, `${VAR:-word}`, `${VAR-word}`, `${VAR:+word}`, `${VAR+word}`, `${VAR:?msg}` and remove quotes. */
export function expandWord(word: string, lookup: Lookup, escape = '\\'): Expanded {
  const unresolved: string[] = []
  const value = expandInto(word, lookup, escape, unresolved, 0)
  return { value, unresolved: [...new Set(unresolved)] }
}

function expandInto(word: string, lookup: Lookup, escape: string, unresolved: string[], depth: number): string {
  let out = ''
  let i = 0
  const n = word.length
  while (i < n) {
    const c = word[i]!
    if (c === "'") {
      const j = word.indexOf("'", i + 1)
      if (j === -1) {
        // unterminated: Docker rejects it; keep the rest literally
        out += word.slice(i + 1)
        break
      }
      out += word.slice(i + 1, j)
      i = j + 1
    } else if (c === '"') {
      i++
      while (i < n && word[i] !== '"') {
        const d = word[i]!
        if (d === escape && i + 1 < n) {
          const next = word[i + 1]!
          out += next === '"' || next === '$' || next === escape ? next : d + next
          i += 2
        } else if (d === '$') {
          const r = dollar(word, i, lookup, escape, unresolved, depth)
          out += r.text
          i = r.end
        } else {
          out += d
          i++
        }
      }
      i++ // closing quote
    } else if (c === escape) {
      if (i + 1 < n) out += word[i + 1]
      i += 2
    } else if (c === '$') {
      const r = dollar(word, i, lookup, escape, unresolved, depth)
      out += r.text
      i = r.end
    } else {
      out += c
      i++
    }
  }
  return out
}

/** A `$` at `start`: the substituted text and where the reference ends. */
function dollar(word: string, start: number, lookup: Lookup, escape: string, unresolved: string[], depth: number): { text: string; end: number } {
  const next = word[start + 1]
  if (next === '{') {
    // find the matching brace, allowing nested ${…} in the modifier's word
    let d = 0
    let j = start + 1
    for (; j < word.length; j++) {
      if (word[j] === '{') d++
      else if (word[j] === '}' && --d === 0) break
    }
    if (j >= word.length) {
      unresolved.push(word.slice(start))
      return { text: word.slice(start), end: word.length }
    }
    const written = word.slice(start, j + 1)
    const inner = word.slice(start + 2, j)
    const m = NAME.exec(inner)
    if (!m) {
      unresolved.push(written)
      return { text: written, end: j + 1 }
    }
    const name = m[0]
    const rest = inner.slice(name.length)
    const v = lookup(name)
    const sub = (w: string): string => (depth > 8 ? w : expandInto(w, lookup, escape, unresolved, depth + 1))
    const keep = (): { text: string; end: number } => {
      unresolved.push(name)
      return { text: written, end: j + 1 }
    }
    if (rest === '') return typeof v === 'string' ? { text: v, end: j + 1 } : keep()
    const op = rest.startsWith(':') ? rest.slice(0, 2) : rest.slice(0, 1)
    const arg = rest.slice(op.length)
    const known = typeof v === 'string'
    switch (op) {
      case ':-':
        return { text: known && v !== '' ? v : sub(arg), end: j + 1 }
      case '-':
        return { text: known ? v : sub(arg), end: j + 1 }
      case ':+':
        return { text: known && v !== '' ? sub(arg) : '', end: j + 1 }
      case '+':
        return { text: known ? sub(arg) : '', end: j + 1 }
      case ':?':
        return known && v !== '' ? { text: v, end: j + 1 } : keep()
      case '?':
        return known ? { text: v, end: j + 1 } : keep()
      default:
        // pattern operators (#, %, /) and others: not evaluated statically
        return keep()
    }
  }
  const m = NAME.exec(word.slice(start + 1))
  if (!m) return { text: '$', end: start + 1 }
  const name = m[0]
  const v = lookup(name)
  if (typeof v === 'string') return { text: v, end: start + 1 + name.length }
  unresolved.push(name)
  return { text: `$${name}`, end: start + 1 + name.length }
}

/** Split an image reference into name, tag and digest (`host:5000/team/app:1.2@sha256:…`). */
export function splitImageReference(ref: string): { name: string; tag?: string; digest?: string } {
  let rest = ref
  let digest: string | undefined
  const at = rest.indexOf('@')
  if (at !== -1) {
    digest = rest.slice(at + 1)
    rest = rest.slice(0, at)
  }
  let tag: string | undefined
  const colon = rest.lastIndexOf(':')
  if (colon !== -1 && colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1)
    rest = rest.slice(0, colon)
  }
  return { name: rest, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) }
}
