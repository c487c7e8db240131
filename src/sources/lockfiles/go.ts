import type { Diagnostic } from '../../model/index.js'
import { ComponentCollector, echo, invalid, splitLines } from './common.js'
import type { FormatParser, ParserInput } from './types.js'

/** Strips a `//` comment, returning the code and the comment. */
function splitComment(line: string): [string, string] {
  const i = line.indexOf('//')
  return i === -1 ? [line.trim(), ''] : [line.slice(0, i).trim(), line.slice(i + 2).trim()]
}

/** Unquotes a Go module path written as a (back)quoted string. */
function unquotePath(p: string): string {
  return /^["`].*["`]$/.test(p) ? p.slice(1, -1) : p
}

const VERSION = /^v\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]*)?$/

interface Require {
  path: string
  version: string
  line: number
  indirect: boolean
}

interface Replace {
  fromPath: string
  fromVersion?: string | undefined
  toPath: string
  toVersion?: string | undefined
}

/**
 * go.mod: `require` lines and blocks (`// indirect` marks transitive modules), `replace`
 * directives applied (a module replaced by a local directory is not a component). The main
 * module itself is not a component. go.mod records no graph, so no chains.
 */
export const parseGoMod: FormatParser = (input: ParserInput) => {
  const { file, text } = input
  const diagnostics: Diagnostic[] = []
  const requires: Require[] = []
  const replaces: Replace[] = []
  let block: string | undefined
  const lines = splitLines(text)
  for (let i = 0; i < lines.length; i++) {
    const [code, comment] = splitComment(lines[i]!)
    if (!code) continue
    let directive: string | undefined
    let args: string
    if (block) {
      if (code === ')') {
        block = undefined
        continue
      }
      directive = block
      args = code
    } else {
      const m = /^(\w+)\s*(.*)$/.exec(code)
      if (!m) {
        diagnostics.push(invalid(file, `Unexpected text "${echo(code)}"`, i + 1))
        continue
      }
      directive = m[1]!
      args = m[2]!.trim()
      if (args === '(') {
        block = directive
        continue
      }
    }
    if (directive === 'require') {
      const [p, v, extra] = args.split(/\s+/)
      if (!p || !v || extra !== undefined || !VERSION.test(v)) {
        diagnostics.push(invalid(file, `require "${echo(args)}" is not a module path and version`, i + 1))
        continue
      }
      requires.push({ path: unquotePath(p), version: v, line: i + 1, indirect: /(^|;\s*)indirect(;|$)/.test(comment) })
    } else if (directive === 'replace') {
      const m = /^(\S+)(?:\s+(\S+))?\s*=>\s*(\S+)(?:\s+(\S+))?$/.exec(args)
      if (!m) {
        diagnostics.push(invalid(file, `replace "${echo(args)}" is not "old [version] => new [version]"`, i + 1))
        continue
      }
      replaces.push({ fromPath: unquotePath(m[1]!), fromVersion: m[2], toPath: unquotePath(m[3]!), toVersion: m[4] })
    } else if (!['module', 'go', 'toolchain', 'exclude', 'retract', 'godebug', 'tool', 'ignore'].includes(directive)) {
      diagnostics.push(invalid(file, `Unknown directive "${echo(directive)}"`, i + 1, 'warning'))
    }
  }
  if (block) diagnostics.push(invalid(file, `${block} block is not closed`, lines.length))
  const collector = new ComponentCollector('Go', file, 'go.mod')
  for (const r of requires) {
    const rep = replaces.find((x) => x.fromPath === r.path && (x.fromVersion === undefined || x.fromVersion === r.version))
    let path = r.path
    let version = r.version
    if (rep) {
      if (rep.toVersion === undefined) continue // local directory
      path = rep.toPath
      version = rep.toVersion
    }
    collector.add({ name: path, version, line: r.line, direct: !r.indirect, scope: 'prod' })
  }
  return { components: collector.components(), diagnostics: [...diagnostics, ...collector.diagnostics] }
}

/**
 * go.sum, read only when there is no go.mod beside it: every `module version hash` line except
 * the `/go.mod` hash lines. Whether a module is direct is unknown.
 */
export const parseGoSum: FormatParser = (input: ParserInput) => {
  const { file, text } = input
  const diagnostics: Diagnostic[] = []
  const collector = new ComponentCollector('Go', file, 'go.sum')
  if (input.readSibling?.('go.mod') !== undefined) return { components: [], diagnostics }
  const lines = splitLines(text)
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!.trim()
    if (!l) continue
    const parts = l.split(/\s+/)
    if (parts.length !== 3 || !parts[2]!.startsWith('h1:')) {
      diagnostics.push(invalid(file, 'Line is not "module version h1:hash"', i + 1))
      continue
    }
    const version = parts[1]!
    if (version.endsWith('/go.mod')) continue
    if (!VERSION.test(version)) {
      diagnostics.push(invalid(file, `Version "${echo(version)}" is not a Go module version`, i + 1))
      continue
    }
    collector.add({ name: parts[0]!, version, line: i + 1 })
  }
  return { components: collector.components(), diagnostics: [...diagnostics, ...collector.diagnostics] }
}
