import type { DependencyScope, Diagnostic } from '../../model/index.js'
import { ComponentCollector, echo, invalid, normalizePypiName, splitLines } from './common.js'
import type { FormatParser, ParserInput } from './types.js'

/** One logical line (continuations joined) with the line it starts on. */
interface LogicalLine {
  text: string
  comment: string
  line: number
}

/** Joins `\` continuations and splits off comments (`#` at the start or after whitespace). */
function logicalLines(text: string): LogicalLine[] {
  const out: LogicalLine[] = []
  const lines = splitLines(text)
  for (let i = 0; i < lines.length; i++) {
    const start = i
    let body = lines[i]!
    while (body.endsWith('\\') && i + 1 < lines.length) {
      body = body.slice(0, -1) + ' ' + lines[++i]!
    }
    const hash = body.search(/(^|\s)#/)
    const comment = hash === -1 ? '' : body.slice(hash).trim().replace(/^#\s*/, '')
    out.push({ text: (hash === -1 ? body : body.slice(0, hash)).trim(), comment, line: start + 1 })
  }
  return out
}

const NAME = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(\[[^\]]*\])?\s*(.*)$/

/** The pinned version of a specifier list (`==1.2.3` or `===1.2.3`), or undefined. */
export function pinnedVersion(specifiers: string): string | undefined {
  for (const part of specifiers.split(',')) {
    const m = /^\s*(===?)\s*([^\s,;]+)\s*$/.exec(part)
    if (m && !(m[1] === '==' && m[2]!.includes('*'))) return m[2]!
  }
  return undefined
}

/** Scope a requirements file's name implies (`requirements-dev.txt`, `requirements/test.txt`). */
function scopeFromName(file: string): DependencyScope | undefined {
  const base = file.slice(file.lastIndexOf('/') + 1).replace(/\.(txt|in)$/i, '')
  return /(^|[-_.])(dev|develop|development|test|tests|testing|lint|docs|ci)([-_.]|$)/i.test(base) ? 'dev' : undefined
}

function dirname(file: string): string {
  const i = file.lastIndexOf('/')
  return i === -1 ? '' : file.slice(0, i + 1)
}

function joinPath(dir: string, rel: string): string {
  const parts = (dir + rel).split('/')
  const out: string[] = []
  for (const p of parts) {
    if (p === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop()
    else if (p !== '.' && p !== '') out.push(p)
  }
  return out.join('/')
}

interface Pending {
  name: string
  version: string
  line: number
  file: string
  via: string[]
}

function readFile(file: string, text: string, input: ParserInput, base: string, seen: Set<string>, pending: Pending[], diagnostics: Diagnostic[]): void {
  const lines = logicalLines(text)
  let last: Pending | undefined
  let inVia = false
  for (const l of lines) {
    if (!l.text) {
      // pip-compile annotations after a requirement: "# via django" or "# via" then "#   -r requirements.in"
      if (!last || !l.comment) {
        inVia = false
        continue
      }
      const via = /^via\b\s*(.*)$/.exec(l.comment)
      if (via) {
        inVia = true
        if (via[1]) last.via.push(via[1].trim())
      } else if (inVia) last.via.push(l.comment)
      continue
    }
    inVia = false
    last = undefined
    if (l.text.startsWith('-')) {
      const ref = /^(?:-r|--requirement)(?:\s+|=)(\S+)/.exec(l.text)
      if (ref && input.readSibling) {
        const target = joinPath(dirname(base), ref[1]!)
        const rel = joinPath(dirname(base).replace(dirname(input.file), ''), ref[1]!)
        if (!seen.has(target) && seen.size < 50) {
          seen.add(target)
          const nested = input.readSibling(rel)
          if (nested !== undefined) readFile(target, nested, input, target, seen, pending, diagnostics)
        }
      }
      continue
    }
    if (/^(https?|file|git\+\w+):/i.test(l.text) || l.text.startsWith('.') || l.text.startsWith('/')) {
      diagnostics.push(invalid(file, `Requirement "${echo(l.text)}" has no pinned version and is not judged`, l.line, 'warning'))
      continue
    }
    const m = NAME.exec(l.text)
    if (!m) {
      diagnostics.push(invalid(file, `Line is not a requirement: "${echo(l.text)}"`, l.line, 'warning'))
      continue
    }
    const name = m[1]!
    // drop per-requirement options (--hash=…) and the environment marker
    const rest = m[3]!.replace(/\s--?[a-z-]+(=|\s+)\S+/gi, '').replace(/^--?[a-z-]+(=|\s+)\S+/i, '')
    const spec = rest.split(';')[0]!.trim()
    const version = spec.startsWith('@') ? undefined : pinnedVersion(spec)
    if (version === undefined) {
      diagnostics.push(invalid(file, `Requirement "${echo(name)}" is not pinned with == or ===; it is not judged`, l.line, 'warning'))
      continue
    }
    last = { name: normalizePypiName(name), version, line: l.line, file, via: [] }
    if (l.comment.startsWith('via ')) last.via.push(l.comment.slice(4).trim())
    pending.push(last)
  }
}

/**
 * requirements.txt (and `requirements-dev.txt`, `requirements/*.txt`): pinned `==` / `===`
 * requirements become components; unpinned ones a warning. Follows `-r` through `readSibling`;
 * pip-compile `# via` annotations tell direct (`via -r …`) from transitive.
 */
export const parseRequirements: FormatParser = (input: ParserInput) => {
  const diagnostics: Diagnostic[] = []
  const pending: Pending[] = []
  readFile(input.file, input.text, input, input.file, new Set([input.file]), pending, diagnostics)
  // pip-compile output is judged per file: one annotated file says who is direct, a hand-written one lists direct requirements
  const annotatedFiles = new Set(pending.filter((p) => p.via.length > 0).map((p) => p.file))
  const collectors = new Map<string, ComponentCollector>()
  const out: ComponentCollector[] = []
  const main = new ComponentCollector('PyPI', input.file, 'requirements.txt')
  collectors.set(input.file, main)
  out.push(main)
  for (const p of pending) {
    let c = collectors.get(p.file)
    if (!c) {
      c = new ComponentCollector('PyPI', p.file, 'requirements.txt')
      collectors.set(p.file, c)
      out.push(c)
    }
    const direct = annotatedFiles.has(p.file) ? p.via.some((v) => /(^|,\s*)-[rc]\s/.test(v) || /^-r\b/.test(v)) : true
    c.add({ name: p.name, version: p.version, line: p.line, direct, scope: scopeFromName(p.file) })
  }
  // the same package from a -r file and this one: one component, several locations
  const merged = new Map<string, ReturnType<ComponentCollector['components']>[number]>()
  for (const c of out) {
    for (const comp of c.components()) {
      const prev = merged.get(comp.purl)
      if (prev) {
        prev.locations.push(...comp.locations)
        prev.direct = (prev.direct ?? false) || (comp.direct ?? false)
      } else merged.set(comp.purl, comp)
    }
    diagnostics.push(...c.diagnostics)
  }
  return { components: [...merged.values()], diagnostics }
}
