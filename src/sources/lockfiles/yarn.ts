import type { DependencyScope, Diagnostic } from '../../model/index.js'
import { parseYamlLocated } from '../located/index.js'
import { asRecord, asString, ComponentCollector, echo, invalid, splitLines } from './common.js'
import { scopesFromRoots, shortestChains } from './graph.js'
import type { DepGraph } from './graph.js'
import type { FormatParser, ParserInput } from './types.js'

/** One resolved package of a yarn.lock, whichever generation wrote it. */
interface YarnEntry {
  /** Descriptors (`name@range`) this entry satisfies. */
  descriptors: string[]
  name: string
  version: string
  line: number
  /** `name` → range. */
  deps: [string, string][]
  /** Part of the project (a workspace), not a component. */
  workspace: boolean
  /** Not an npm package (patch, link, git …): not a component, but still part of the graph. */
  skip: boolean
}

/** Splits `name@range` at the `@` after the (possibly scoped) name. */
export function splitDescriptor(descriptor: string): [string, string] {
  const at = descriptor.indexOf('@', descriptor.startsWith('@') ? 1 : 0)
  return at <= 0 ? [descriptor, ''] : [descriptor.slice(0, at), descriptor.slice(at + 1)]
}

/** Reads one classic-lockfile token: a double-quoted string (JSON escapes) or a bare word. */
function unquote(token: string): string {
  const t = token.trim()
  if (t.startsWith('"') && t.endsWith('"') && t.length >= 2) {
    try {
      const v: unknown = JSON.parse(t)
      return typeof v === 'string' ? v : t.slice(1, -1)
    } catch {
      return t.slice(1, -1)
    }
  }
  return t
}

/** Splits `key value` of a classic-lockfile line; the key may be quoted. */
function splitKeyValue(rest: string): [string, string] {
  if (rest.startsWith('"')) {
    let i = 1
    while (i < rest.length && rest[i] !== '"') i += rest[i] === '\\' ? 2 : 1
    return [unquote(rest.slice(0, i + 1)), rest.slice(i + 1).trim()]
  }
  const sp = rest.search(/\s/)
  return sp === -1 ? [rest, ''] : [rest.slice(0, sp), rest.slice(sp + 1).trim()]
}

/** Splits a header `"a@^1", a@~1.2:` into descriptors. */
function splitHeader(header: string): string[] {
  const out: string[] = []
  let cur = ''
  let inQuote = false
  for (let i = 0; i < header.length; i++) {
    const ch = header[i]!
    if (ch === '\\' && inQuote) {
      cur += ch + (header[i + 1] ?? '')
      i++
    } else if (ch === '"') {
      inQuote = !inQuote
      cur += ch
    } else if (ch === ',' && !inQuote) {
      out.push(unquote(cur))
      cur = ''
    } else cur += ch
  }
  if (cur.trim()) out.push(unquote(cur))
  return out.filter((d) => d.length > 0)
}

/** Real package name of a descriptor, following `alias@npm:real@range`. */
function realName(descriptor: string): string {
  const [name, range] = splitDescriptor(descriptor)
  if (range.startsWith('npm:')) {
    const inner = range.slice(4)
    if (/^(@[^/@]+\/)?[^@]+@/.test(inner)) return splitDescriptor(inner)[0]
  }
  return name
}

/** yarn.lock v1 ("classic"): its own indentation-based format. */
function readClassic(file: string, text: string, diagnostics: Diagnostic[]): YarnEntry[] {
  const entries: YarnEntry[] = []
  let cur: YarnEntry | undefined
  let section: string | undefined
  const lines = splitLines(text)
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!
    if (raw.trim() === '' || raw.trimStart().startsWith('#')) continue
    const indent = raw.length - raw.trimStart().length
    const body = raw.trim()
    if (indent === 0) {
      if (!body.endsWith(':')) {
        diagnostics.push(invalid(file, 'Expected a package header ending with ":"', i + 1))
        cur = undefined
        continue
      }
      const descriptors = splitHeader(body.slice(0, -1))
      cur = { descriptors, name: realName(descriptors[0] ?? ''), version: '', line: i + 1, deps: [], workspace: false, skip: false }
      section = undefined
      entries.push(cur)
      continue
    }
    if (!cur) continue
    if (indent <= 2) {
      section = undefined
      if (body.endsWith(':') && !body.includes(' ')) {
        section = body.slice(0, -1)
        continue
      }
      const [key, value] = splitKeyValue(body)
      if (key === 'version') cur.version = unquote(value)
      continue
    }
    if (section === 'dependencies' || section === 'optionalDependencies') {
      const [key, value] = splitKeyValue(body)
      if (key && value) cur.deps.push([key, unquote(value)])
    }
  }
  for (const e of entries) {
    if (!e.version) {
      diagnostics.push(invalid(file, `Package "${echo(e.descriptors[0] ?? '')}" has no version`, e.line))
      e.skip = true
    }
  }
  return entries
}

/** yarn.lock v2+ ("berry"): YAML with `__metadata` and `resolution: "name@npm:1.2.3"`. */
function readBerry(file: string, text: string, diagnostics: Diagnostic[]): YarnEntry[] {
  const parsed = parseYamlLocated(text, { file, schema: 'core' })
  diagnostics.push(...parsed.diagnostics.map((d) => ({ ...d, code: 'PW_ERR_LOCKFILE_INVALID' })))
  const doc = asRecord(parsed.documents[0])
  if (!doc) return []
  const entries: YarnEntry[] = []
  for (const [key, value] of Object.entries(doc)) {
    if (key === '__metadata') continue
    const e = asRecord(value)
    const line = parsed.lines.keyLine(doc, key) ?? 1
    if (!e) {
      diagnostics.push(invalid(file, `Entry "${echo(key)}" is not a mapping`, line))
      continue
    }
    const resolution = asString(e['resolution']) ?? ''
    const [resName, resRef] = splitDescriptor(resolution)
    const version = e['version'] === undefined || e['version'] === null ? '' : String(e['version'])
    const deps: [string, string][] = []
    for (const k of ['dependencies', 'optionalDependencies', 'peerDependencies']) {
      const d = asRecord(e[k])
      if (d) for (const [n, r] of Object.entries(d)) deps.push([n, String(r)])
    }
    const workspace = resRef.startsWith('workspace:')
    entries.push({ descriptors: splitHeader(key), name: resName, version, line, deps, workspace, skip: !resRef.startsWith('npm:') })
  }
  return entries
}

/** Dependency names of the project's package.json by kind, when it can be read. */
function manifestRoots(text: string | undefined): { prod: [string, string][]; dev: [string, string][]; optional: [string, string][] } | undefined {
  if (text === undefined) return undefined
  try {
    const pkg = asRecord(JSON.parse(text))
    if (!pkg) return undefined
    const pairs = (k: string): [string, string][] => Object.entries(asRecord(pkg[k]) ?? {}).map(([n, r]) => [n, String(r)])
    return { prod: [...pairs('dependencies'), ...pairs('peerDependencies')], dev: pairs('devDependencies'), optional: pairs('optionalDependencies') }
  } catch {
    return undefined
  }
}

/**
 * yarn.lock, classic (v1) or berry (v2+): the graph links each dependency range to the entry
 * whose header lists that descriptor; direct dependencies come from the sibling package.json
 * (or from berry's workspace entries).
 */
export const parseYarnLock: FormatParser = (input: ParserInput) => {
  const { file, text } = input
  const diagnostics: Diagnostic[] = []
  const berry = /^__metadata:/m.test(text)
  const entries = berry ? readBerry(file, text, diagnostics) : readClassic(file, text, diagnostics)
  const byDescriptor = new Map<string, number>()
  entries.forEach((e, i) => {
    for (const d of e.descriptors) byDescriptor.set(d, i)
  })
  const find = (name: string, range: string): number | undefined => byDescriptor.get(`${name}@${range}`) ?? byDescriptor.get(`${name}@npm:${range}`)
  const graph: DepGraph = { labels: new Map(), edges: new Map() }
  entries.forEach((e, i) => {
    graph.labels.set(String(i), `${e.name}@${e.version}`)
    const edges: string[] = []
    for (const [n, r] of e.deps) {
      const j = find(n, r)
      if (j !== undefined) edges.push(String(j))
    }
    graph.edges.set(String(i), edges)
  })
  const resolveAll = (pairs: [string, string][]): string[] => pairs.map(([n, r]) => find(n, r)).filter((j): j is number => j !== undefined).map(String)
  const manifest = manifestRoots(input.readSibling?.('package.json'))
  let prodRoots: string[] = []
  let devRoots: string[] = []
  let optRoots: string[] = []
  let directKnown = true
  if (manifest) {
    prodRoots = resolveAll(manifest.prod)
    devRoots = resolveAll(manifest.dev)
    optRoots = resolveAll(manifest.optional)
  }
  const workspaceRoots = entries.flatMap((e, i) => (e.workspace ? (graph.edges.get(String(i)) ?? []) : []))
  if (!manifest && workspaceRoots.length === 0) {
    directKnown = false
    const required = new Set<string>()
    for (const list of graph.edges.values()) for (const j of list) required.add(j)
    prodRoots = entries.map((_, i) => String(i)).filter((i) => !required.has(i))
  }
  const allRoots = [...prodRoots, ...devRoots, ...optRoots, ...workspaceRoots].filter((r) => !entries[Number(r)]!.workspace)
  const rootSet = new Set(allRoots)
  const chains = shortestChains(graph, allRoots)
  const scopes: Map<string, DependencyScope> | undefined = manifest ? scopesFromRoots(graph, { prod: prodRoots, dev: devRoots, optional: optRoots }) : undefined
  const collector = new ComponentCollector('npm', file, 'yarn.lock')
  entries.forEach((e, i) => {
    if (e.skip || e.workspace) return
    const id = String(i)
    collector.add({ name: e.name, version: e.version, line: e.line, direct: directKnown ? rootSet.has(id) : undefined, scope: scopes?.get(id), paths: chains.get(id) })
  })
  return { components: collector.components(), diagnostics: [...diagnostics, ...collector.diagnostics] }
}
