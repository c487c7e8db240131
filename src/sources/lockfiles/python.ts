import type { DependencyScope, Diagnostic } from '../../model/index.js'
import { parseJsonLocated } from '../located/index.js'
import { asRecord, asString, ComponentCollector, echo, invalid, normalizePypiName } from './common.js'
import { scopesFromRoots, shortestChains } from './graph.js'
import type { DepGraph } from './graph.js'
import { readTomlLock, readTomlManifest } from './toml.js'
import type { FormatParser, ParserInput } from './types.js'

/** Name of a PEP 508 requirement string (`Django[argon2]>=3.2; python_version>"3"`), normalised. */
export function requirementName(req: string): string | undefined {
  const m = /^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)/.exec(req)
  return m ? normalizePypiName(m[1]!) : undefined
}

/**
 * Pipfile.lock: `default` (prod) and `develop` (dev) sections; direct dependencies from the
 * sibling Pipfile when it can be read.
 */
export const parsePipfileLock: FormatParser = (input: ParserInput) => {
  const { file, text } = input
  const parsed = parseJsonLocated(text, { file })
  const diagnostics: Diagnostic[] = parsed.diagnostics.map((d) => ({ ...d, code: 'PW_ERR_LOCKFILE_INVALID' }))
  const collector = new ComponentCollector('PyPI', file, 'Pipfile.lock')
  const doc = asRecord(parsed.documents[0])
  if (!doc) return { components: [], diagnostics }
  const pipfile = readTomlManifest(input.readSibling?.('Pipfile'))
  const declared = pipfile ? new Set([...Object.keys(asRecord(pipfile['packages']) ?? {}), ...Object.keys(asRecord(pipfile['dev-packages']) ?? {})].map(normalizePypiName)) : undefined
  for (const [section, scope] of [['default', 'prod'], ['develop', 'dev']] as const) {
    const deps = asRecord(doc[section])
    if (!deps) continue
    for (const [rawName, value] of Object.entries(deps)) {
      const e = asRecord(value)
      const line = parsed.lines.keyLine(deps, rawName)
      const v = asString(e?.['version'])
      if (!v || !/^===?/.test(v)) {
        diagnostics.push(invalid(file, `Package "${echo(rawName)}" has no pinned version (editable, VCS or path install); it is not judged`, line, 'warning'))
        continue
      }
      const name = normalizePypiName(rawName)
      collector.add({ name, version: v.replace(/^===?/, ''), line, scope, direct: declared ? declared.has(name) : undefined })
    }
  }
  return { components: collector.components(), diagnostics: [...diagnostics, ...collector.diagnostics] }
}

/** Direct dependencies a pyproject.toml declares: main (prod) and every other group (dev). */
function pyprojectRoots(pyproject: Record<string, unknown> | undefined): { prod: Set<string>; dev: Set<string>; optional: Set<string> } | undefined {
  if (!pyproject) return undefined
  const prod = new Set<string>()
  const dev = new Set<string>()
  const optional = new Set<string>()
  const project = asRecord(pyproject['project'])
  for (const r of Array.isArray(project?.['dependencies']) ? (project['dependencies'] as unknown[]) : []) {
    const n = typeof r === 'string' ? requirementName(r) : undefined
    if (n) prod.add(n)
  }
  for (const list of Object.values(asRecord(project?.['optional-dependencies']) ?? {})) {
    for (const r of Array.isArray(list) ? list : []) {
      const n = typeof r === 'string' ? requirementName(r) : undefined
      if (n) optional.add(n)
    }
  }
  for (const list of Object.values(asRecord(pyproject['dependency-groups']) ?? {})) {
    for (const r of Array.isArray(list) ? list : []) {
      const n = typeof r === 'string' ? requirementName(r) : undefined
      if (n) dev.add(n)
    }
  }
  const poetry = asRecord(asRecord(pyproject['tool'])?.['poetry'])
  for (const n of Object.keys(asRecord(poetry?.['dependencies']) ?? {})) if (n !== 'python') prod.add(normalizePypiName(n))
  for (const n of Object.keys(asRecord(poetry?.['dev-dependencies']) ?? {})) dev.add(normalizePypiName(n))
  for (const group of Object.values(asRecord(poetry?.['group']) ?? {})) {
    for (const n of Object.keys(asRecord(asRecord(group)?.['dependencies']) ?? {})) dev.add(normalizePypiName(n))
  }
  const uvDev = asRecord(asRecord(pyproject['tool'])?.['uv'])?.['dev-dependencies']
  for (const r of Array.isArray(uvDev) ? uvDev : []) {
    const n = typeof r === 'string' ? requirementName(r) : undefined
    if (n) dev.add(n)
  }
  return { prod, dev, optional }
}

/**
 * poetry.lock: `[[package]]` tables; the graph from `[package.dependencies]` (one version per
 * name), direct dependencies and groups from the sibling pyproject.toml, else from the old
 * `category` field.
 */
export const parsePoetryLock: FormatParser = (input: ParserInput) => {
  const { file, text } = input
  const diagnostics: Diagnostic[] = []
  const { packages } = readTomlLock(file, text, diagnostics)
  const collector = new ComponentCollector('PyPI', file, 'poetry.lock')
  const graph: DepGraph = { labels: new Map(), edges: new Map() }
  const info: { id: string; version: string; line: number | undefined; category?: string | undefined }[] = []
  for (const { table, line } of packages) {
    const rawName = asString(table['name'])
    const version = asString(table['version'])
    if (!rawName || !version) {
      diagnostics.push(invalid(file, 'Package without a name or version', line))
      continue
    }
    const source = asRecord(table['source'])
    const sourceType = asString(source?.['type'])
    // a path dependency is the project's own code; git and url sources are third-party code at a known version
    if (sourceType === 'directory') continue
    const id = normalizePypiName(rawName)
    graph.labels.set(id, `${id}@${version}`)
    graph.edges.set(id, Object.keys(asRecord(table['dependencies']) ?? {}).map(normalizePypiName))
    info.push({ id, version, line, category: asString(table['category']) })
  }
  const roots = pyprojectRoots(readTomlManifest(input.readSibling?.('pyproject.toml')))
  const collectRoots = (s: Set<string> | undefined): string[] => [...(s ?? [])].filter((n) => graph.labels.has(n))
  let allRoots: string[]
  if (roots) allRoots = [...collectRoots(roots.prod), ...collectRoots(roots.dev), ...collectRoots(roots.optional)]
  else {
    const required = new Set<string>()
    for (const l of graph.edges.values()) for (const n of l) required.add(n)
    allRoots = [...graph.labels.keys()].filter((n) => !required.has(n))
  }
  const rootSet = new Set(allRoots)
  const chains = shortestChains(graph, allRoots)
  const scopes = roots ? scopesFromRoots(graph, { prod: collectRoots(roots.prod), dev: collectRoots(roots.dev), optional: collectRoots(roots.optional) }) : undefined
  for (const p of info) {
    const scope: DependencyScope | undefined = p.category === 'dev' ? 'dev' : p.category === 'main' ? 'prod' : scopes?.get(p.id)
    collector.add({ name: p.id, version: p.version, line: p.line, direct: roots ? rootSet.has(p.id) : undefined, scope, paths: chains.get(p.id) })
  }
  return { components: collector.components(), diagnostics: [...diagnostics, ...collector.diagnostics] }
}

/** `{ name = "x", version = "1" }` dependency references of uv.lock. */
function uvRefs(list: unknown): { name: string; version?: string | undefined }[] {
  if (!Array.isArray(list)) return []
  const out: { name: string; version?: string | undefined }[] = []
  for (const d of list) {
    const r = asRecord(d)
    const n = asString(r?.['name'])
    if (n) out.push({ name: normalizePypiName(n), version: asString(r?.['version']) })
  }
  return out
}

/**
 * uv.lock: `[[package]]` tables; packages whose source is `editable` or `virtual` (or a
 * workspace path) are the project, and their dependencies, optional dependencies and dev
 * groups are the direct ones.
 */
export const parseUvLock: FormatParser = (input: ParserInput) => {
  const { file, text } = input
  const diagnostics: Diagnostic[] = []
  const { packages } = readTomlLock(file, text, diagnostics)
  const collector = new ComponentCollector('PyPI', file, 'uv.lock')
  const graph: DepGraph = { labels: new Map(), edges: new Map() }
  const byName = new Map<string, string[]>()
  const nodes: { id: string; name: string; version: string; line: number | undefined; project: boolean; table: Record<string, unknown> }[] = []
  for (const { table, line } of packages) {
    const rawName = asString(table['name'])
    const version = asString(table['version'])
    const source = asRecord(table['source']) ?? {}
    const project = 'editable' in source || 'virtual' in source || 'directory' in source
    if (!rawName || (!version && !project)) {
      diagnostics.push(invalid(file, 'Package without a name or version', line))
      continue
    }
    const name = normalizePypiName(rawName)
    const id = `${name}@${version ?? ''}`
    nodes.push({ id, name, version: version ?? '', line, project, table })
    byName.set(name, [...(byName.get(name) ?? []), id])
  }
  const ref = (r: { name: string; version?: string | undefined }): string | undefined => {
    const ids = byName.get(r.name)
    if (!ids) return undefined
    return r.version ? ids.find((i) => i === `${r.name}@${r.version}`) : ids[0]
  }
  const refs = (list: unknown): string[] => uvRefs(list).map(ref).filter((x): x is string => x !== undefined)
  const roots = { prod: [] as string[], dev: [] as string[], optional: [] as string[] }
  for (const n of nodes) {
    const optional = Object.values(asRecord(n.table['optional-dependencies']) ?? {}).flatMap(refs)
    const devGroups = Object.values(asRecord(n.table['dev-dependencies']) ?? {}).flatMap(refs)
    const deps = refs(n.table['dependencies'])
    if (n.project) {
      roots.prod.push(...deps)
      roots.optional.push(...optional)
      roots.dev.push(...devGroups)
      continue
    }
    graph.labels.set(n.id, `${n.name}@${n.version}`)
    graph.edges.set(n.id, [...deps, ...optional])
  }
  const clean = (l: string[]): string[] => l.filter((i) => graph.labels.has(i))
  roots.prod = clean(roots.prod)
  roots.dev = clean(roots.dev)
  roots.optional = clean(roots.optional)
  const allRoots = [...roots.prod, ...roots.dev, ...roots.optional]
  const rootSet = new Set(allRoots)
  const hasProject = nodes.some((n) => n.project)
  const chains = shortestChains(graph, allRoots)
  const scopes = scopesFromRoots(graph, roots)
  for (const n of nodes) {
    if (n.project) continue
    collector.add({ name: n.name, version: n.version, line: n.line, direct: hasProject ? rootSet.has(n.id) : undefined, scope: hasProject ? scopes.get(n.id) : undefined, paths: chains.get(n.id) })
  }
  return { components: collector.components(), diagnostics: [...diagnostics, ...collector.diagnostics] }
}
