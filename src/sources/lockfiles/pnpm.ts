import type { DependencyScope, Diagnostic } from '../../model/index.js'
import yaml from 'js-yaml'
import { asRecord, asString, ComponentCollector, echo, invalid, splitLines } from './common.js'
import { scopesFromRoots, shortestChains } from './graph.js'
import type { DepGraph } from './graph.js'
import type { FormatParser, ParserInput } from './types.js'

/** Name and version of a pnpm package key, in any lockfile generation's shape. */
export function parsePnpmKey(rawKey: string): { name: string; version: string } | undefined {
  let key = rawKey.startsWith('/') ? rawKey.slice(1) : rawKey
  // v6/v9: name@version(peer@x)(…)
  const paren = key.indexOf('(')
  if (paren !== -1) key = key.slice(0, paren)
  const at = key.indexOf('@', key.startsWith('@') ? 1 : 0)
  const scoped = key.startsWith('@')
  if (at > 0 && !key.slice(0, at).includes('/', scoped ? key.indexOf('/') + 1 : 0)) {
    return { name: key.slice(0, at), version: key.slice(at + 1) }
  }
  // v5: name/version_peer@x  or  @scope/name/version
  const parts = key.split('/')
  const nameParts = scoped ? 2 : 1
  if (parts.length < nameParts + 1) return undefined
  const name = parts.slice(parts.length - 1 - nameParts, parts.length - 1).join('/')
  const version = parts[parts.length - 1]!.split('_')[0]!
  if (!name || !version) return undefined
  return { name, version }
}

/**
 * Lines of the keys of the top-level `packages:` and `snapshots:` maps, found by scanning the
 * text (pnpm writes them at two spaces, one per line): much faster than a located YAML parse on
 * large lockfiles.
 */
function sectionKeyLines(text: string): { packages: Map<string, number>; snapshots: Map<string, number> } {
  const packages = new Map<string, number>()
  const snapshots = new Map<string, number>()
  let current: Map<string, number> | undefined
  const lines = splitLines(text)
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!
    if (l.length === 0 || l.startsWith('#')) continue
    if (l[0] !== ' ') {
      current = l.startsWith('packages:') ? packages : l.startsWith('snapshots:') ? snapshots : undefined
      continue
    }
    if (!current || l[2] === ' ' || !l.startsWith('  ')) continue
    const m = /^ {2}('(?:[^']|'')*'|"(?:[^"\\]|\\.)*"|[^\s'"][^:]*(?::(?! |$)[^:]*)*):(?: |$)/.exec(l)
    if (!m) continue
    const raw = m[1]!
    const key = raw.startsWith("'") ? raw.slice(1, -1).replace(/''/g, "'") : raw.startsWith('"') ? raw.slice(1, -1) : raw
    if (!current.has(key)) current.set(key, i + 1)
  }
  return { packages, snapshots }
}

/** Reads the YAML, or a diagnostic naming the line where it breaks. */
function loadYaml(file: string, text: string, diagnostics: Diagnostic[]): unknown {
  try {
    return yaml.load(text, { schema: yaml.CORE_SCHEMA, json: true })
  } catch (err) {
    const e = err as { reason?: string; mark?: { line?: number } }
    const line = typeof e.mark?.line === 'number' ? e.mark.line + 1 : undefined
    diagnostics.push(invalid(file, `YAML syntax error: ${echo(e.reason ?? 'cannot be read')}`, line))
    return undefined
  }
}

/** Canonical node id of a key: no leading slash. */
function idOf(key: string): string {
  return key.startsWith('/') ? key.slice(1) : key
}

/** Node id a dependency reference points to, or undefined for links and local folders. */
function refId(name: string, ref: string, v5: boolean): string | undefined {
  if (/^(link|file|workspace):/.test(ref)) return undefined
  if (ref.startsWith('/')) return ref.slice(1)
  if (/^(@[^/]+\/)?[^@/(][^@(]*@/.test(ref) && !/^\d/.test(ref)) return ref
  return v5 ? `${name}/${ref}` : `${name}@${ref}`
}

function versionOf(value: unknown): string | undefined {
  if (typeof value === 'string' || typeof value === 'number') return String(value)
  return asString(asRecord(value)?.['version'])
}

/**
 * pnpm-lock.yaml, lockfile v5.x (`/name/1.2.3`), v6 (`/name@1.2.3`) and v9 (`name@1.2.3` with
 * `snapshots`). `importers` (or the top-level maps of a single project) give direct
 * dependencies; `dev` flags, where written, give the scope, else reachability from importers.
 */
export const parsePnpmLock: FormatParser = (input: ParserInput) => {
  const { file, text } = input
  const diagnostics: Diagnostic[] = []
  const collector = new ComponentCollector('npm', file, 'pnpm-lock.yaml')
  const loaded = loadYaml(file, text, diagnostics)
  const doc = asRecord(loaded)
  if (!doc) {
    if (diagnostics.length === 0) diagnostics.push(invalid(file, 'pnpm-lock.yaml is not a mapping', 1))
    return { components: [], diagnostics }
  }
  const keyLines = sectionKeyLines(text)
  const lockfileVersion = String(doc['lockfileVersion'] ?? '')
  const v5 = /^5/.test(lockfileVersion)
  const packages = asRecord(doc['packages']) ?? {}
  const snapshots = asRecord(doc['snapshots'])
  const graph: DepGraph = { labels: new Map(), edges: new Map() }
  const flags = new Map<string, DependencyScope>()
  const lineOf = new Map<string, number | undefined>()
  const packageIdOf = new Map<string, string>()
  const addNode = (key: string, entry: Record<string, unknown>, line: number | undefined): void => {
    const parsedKey = parsePnpmKey(key)
    if (!parsedKey) {
      diagnostics.push(invalid(file, `Package key "${key.slice(0, 120)}" is not name and version`, line, 'warning'))
      return
    }
    const id = idOf(key)
    graph.labels.set(id, `${parsedKey.name}@${parsedKey.version}`)
    const edges: string[] = []
    for (const kind of ['dependencies', 'optionalDependencies']) {
      for (const [n, ref] of Object.entries(asRecord(entry[kind]) ?? {})) {
        const to = refId(n, String(ref), v5)
        if (to !== undefined) edges.push(to)
      }
    }
    graph.edges.set(id, edges)
    lineOf.set(id, line)
    packageIdOf.set(id, `${parsedKey.name}@${parsedKey.version}`)
    if (entry['dev'] === true) flags.set(id, 'dev')
    else if (entry['optional'] === true) flags.set(id, 'optional')
    else if (entry['dev'] === false) flags.set(id, 'prod')
  }
  if (snapshots) {
    for (const [key, value] of Object.entries(snapshots)) {
      const p = parsePnpmKey(key)
      const pkgKey = p ? `${p.name}@${p.version}` : key
      const line = keyLines.packages.get(pkgKey) ?? keyLines.snapshots.get(key)
      addNode(key, asRecord(value) ?? {}, line)
    }
  } else {
    for (const [key, value] of Object.entries(packages)) {
      const e = asRecord(value)
      const line = keyLines.packages.get(key)
      if (!e) {
        diagnostics.push(invalid(file, `Package "${key.slice(0, 120)}" is not a mapping`, line))
        continue
      }
      addNode(key, e, line)
    }
  }
  // importers: workspaces (v5.3+), or the single project's top-level maps
  const importers = asRecord(doc['importers']) ?? { '.': doc }
  const roots = { prod: [] as string[], dev: [] as string[], optional: [] as string[] }
  for (const imp of Object.values(importers)) {
    const i = asRecord(imp)
    if (!i) continue
    for (const [kind, bucket] of [['dependencies', roots.prod], ['devDependencies', roots.dev], ['optionalDependencies', roots.optional]] as const) {
      for (const [n, spec] of Object.entries(asRecord(i[kind]) ?? {})) {
        const ver = versionOf(spec)
        const to = ver === undefined ? undefined : refId(n, ver, v5)
        if (to !== undefined && graph.labels.has(to)) bucket.push(to)
      }
    }
  }
  const allRoots = [...roots.prod, ...roots.dev, ...roots.optional]
  const rootSet = new Set(allRoots)
  const chains = shortestChains(graph, allRoots)
  const reach = scopesFromRoots(graph, roots)
  for (const id of graph.labels.keys()) {
    const [name, version] = splitLabel(packageIdOf.get(id)!)
    collector.add({ name, version, line: lineOf.get(id), direct: rootSet.has(id), scope: flags.get(id) ?? reach.get(id), paths: chains.get(id) })
  }
  return { components: collector.components(), diagnostics: [...diagnostics, ...collector.diagnostics] }
}

function splitLabel(label: string): [string, string] {
  const at = label.indexOf('@', label.startsWith('@') ? 1 : 0)
  return [label.slice(0, at), label.slice(at + 1)]
}
