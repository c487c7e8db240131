import type { DependencyScope, Diagnostic } from '../../model/index.js'
import { parseJsonLocated } from '../located/index.js'
import { asRecord, asString, ComponentCollector, invalid } from './common.js'
import { shortestChains } from './graph.js'
import { jsonKeyLines } from './json-lines.js'
import type { DepGraph } from './graph.js'
import type { FormatParser, ParserInput } from './types.js'

/** A package of the lockfile, keyed by its install path (`node_modules/a/node_modules/b`). */
interface NpmNode {
  name: string
  version: string
  line: number | undefined
  /** Dependency names this package declares (any kind that gets installed). */
  deps: string[]
  scope: DependencyScope
  /** SPDX expression of the `license` field (lockfile v2/v3). */
  license?: string | undefined
  /** A `link: true` entry: the install path it points to. */
  linkTo?: string
  /** A workspace folder (part of the project, not a component). */
  workspace: boolean
}

const NM = 'node_modules/'

/** Package name from an install path: the part after the last `node_modules/`. */
export function nameFromInstallPath(key: string): string {
  const i = key.lastIndexOf(NM)
  return i === -1 ? key : key.slice(i + NM.length)
}

/** Parent install path of a nested package (`a/node_modules/b` → `a`), or '' at the top. */
function parentPath(key: string): string {
  const i = key.lastIndexOf(`/${NM}`)
  if (i !== -1) return key.slice(0, i)
  return ''
}

function depNames(entry: Record<string, unknown>, kinds: readonly string[]): string[] {
  const out: string[] = []
  for (const k of kinds) {
    const deps = asRecord(entry[k])
    if (deps) for (const name of Object.keys(deps)) out.push(name)
  }
  return out
}

function flagScope(e: Record<string, unknown>): DependencyScope {
  if (e['dev'] === true || e['devOptional'] === true) return 'dev'
  if (e['peer'] === true) return 'peer'
  if (e['optional'] === true) return 'optional'
  return 'prod'
}

/** Node's resolution of `require(name)` from the package installed at `from`. */
function resolve(nodes: Map<string, NpmNode>, from: string, name: string): string | undefined {
  let base = from
  for (let guard = 0; guard < 1000; guard++) {
    const key = base === '' ? `${NM}${name}` : `${base}/${NM}${name}`
    const hit = nodes.get(key)
    if (hit) return hit.linkTo !== undefined && nodes.has(hit.linkTo) ? hit.linkTo : key
    if (base === '') return undefined
    base = base.includes(NM) ? parentPath(base) : ''
  }
  return undefined
}

const ROOT_KINDS = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'] as const
const CHILD_KINDS = ['dependencies', 'optionalDependencies', 'peerDependencies'] as const

/** Lockfile v2/v3 `packages`. */
function readPackages(packages: Record<string, unknown>, lines: Map<string, number>, file: string, diagnostics: Diagnostic[]): { nodes: Map<string, NpmNode>; rootDeps: Map<string, string[]> } {
  const nodes = new Map<string, NpmNode>()
  const rootDeps = new Map<string, string[]>()
  for (const [key, value] of Object.entries(packages)) {
    const e = asRecord(value)
    const line = lines.get(`$\npackages\n${key}`)
    if (!e) {
      diagnostics.push(invalid(file, `Entry "${key.slice(0, 120)}" of "packages" is not an object`, line))
      continue
    }
    const isInstalled = key.startsWith(NM) || key.includes(`/${NM}`)
    if (key === '' || !isInstalled) {
      rootDeps.set(key, depNames(e, ROOT_KINDS))
      if (key !== '') nodes.set(key, { name: asString(e['name']) ?? key, version: asString(e['version']) ?? '', line, deps: depNames(e, CHILD_KINDS), scope: 'prod', workspace: true })
      continue
    }
    const node: NpmNode = { name: asString(e['name']) ?? nameFromInstallPath(key), version: asString(e['version']) ?? '', line, deps: depNames(e, CHILD_KINDS), scope: flagScope(e), workspace: false, license: asString(e['license']) }
    if (e['link'] === true) {
      node.linkTo = asString(e['resolved']) ?? ''
    } else if (!node.version) {
      diagnostics.push(invalid(file, `Package "${key.slice(0, 120)}" has no version`, line, 'warning'))
    }
    nodes.set(key, node)
  }
  return { nodes, rootDeps }
}

/** Lockfile v1 nested `dependencies`, flattened to install paths. */
function readV1(deps: Record<string, unknown>, lines: Map<string, number>, file: string, diagnostics: Diagnostic[]): Map<string, NpmNode> {
  const nodes = new Map<string, NpmNode>()
  const stack: { prefix: string; linePath: string; deps: Record<string, unknown>; depth: number }[] = [{ prefix: '', linePath: '$\ndependencies', deps, depth: 0 }]
  while (stack.length > 0) {
    const { prefix, linePath, deps: level, depth } = stack.pop()!
    for (const [name, value] of Object.entries(level)) {
      const e = asRecord(value)
      const line = lines.get(`${linePath}\n${name}`)
      if (!e) {
        diagnostics.push(invalid(file, `Dependency "${name.slice(0, 120)}" is not an object`, line))
        continue
      }
      const key = `${prefix}${NM}${name}`
      let version = asString(e['version']) ?? ''
      // aliases: "npm:real-name@1.2.3"
      let realName = name
      const alias = /^npm:((?:@[^/]+\/)?[^@]+)@(.+)$/.exec(version)
      if (alias) {
        realName = alias[1]!
        version = alias[2]!
      }
      // a local folder (`file:../lib`) is the project's own code, not a published package
      if (/^(file|link):/.test(version)) continue
      const requires = asRecord(e['requires'])
      nodes.set(key, { name: realName, version, line, deps: requires ? Object.keys(requires) : [], scope: flagScope(e), workspace: false })
      const nested = asRecord(e['dependencies'])
      if (nested && depth < 200) stack.push({ prefix: `${key}/`, linePath: `${linePath}\n${name}\ndependencies`, deps: nested, depth: depth + 1 })
    }
  }
  return nodes
}

/** Names the project's package.json declares, by kind. */
function manifestDeps(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined
  try {
    const pkg = asRecord(JSON.parse(text))
    return pkg ? depNames(pkg, ROOT_KINDS) : undefined
  } catch {
    return undefined
  }
}

/**
 * package-lock.json (v1, v2, v3) and npm-shrinkwrap.json. The graph follows Node's module
 * resolution over install paths; `link: true` entries lead to workspace folders, whose own
 * dependencies are direct like the root's.
 */
export function parseNpmLock(foundBy: string): FormatParser {
  return (input: ParserInput) => {
    const { file, text } = input
    const diagnostics: Diagnostic[] = []
    const collector = new ComponentCollector('npm', file, foundBy)
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch {
      // the located parser says where it breaks
      const located = parseJsonLocated(text, { file, maxDepth: 400 })
      diagnostics.push(...located.diagnostics.map((d) => ({ ...d, code: 'PW_ERR_LOCKFILE_INVALID' })))
      if (diagnostics.length === 0) diagnostics.push(invalid(file, 'package-lock is not valid JSON'))
      return { components: [], diagnostics }
    }
    const doc = asRecord(value)
    if (!doc) {
      diagnostics.push(invalid(file, 'package-lock is not a JSON object', 1))
      return { components: [], diagnostics }
    }
    const lines = jsonKeyLines(text, (p) => (p.length === 2 && (p[1] === 'packages' || p[1] === 'dependencies')) || (p.length % 2 === 0 && p[1] === 'dependencies' && p[p.length - 1] === 'dependencies'))
    const packages = asRecord(doc['packages'])
    let nodes: Map<string, NpmNode>
    let rootDeps: Map<string, string[]>
    let directKnown = true
    if (packages) {
      ;({ nodes, rootDeps } = readPackages(packages, lines, file, diagnostics))
    } else {
      const deps = asRecord(doc['dependencies'])
      if (!deps) {
        if (doc['dependencies'] !== undefined || doc['lockfileVersion'] === undefined) diagnostics.push(invalid(file, 'package-lock has neither "packages" nor "dependencies"', 1))
        return { components: [], diagnostics }
      }
      nodes = readV1(deps, lines, file, diagnostics)
      const declared = manifestDeps(input.readSibling?.('package.json'))
      if (declared) rootDeps = new Map([['', declared]])
      else {
        // v1 does not record the root's dependencies: top-level packages nothing requires are roots
        directKnown = false
        const required = new Set<string>()
        for (const n of nodes.values()) for (const d of n.deps) required.add(d)
        rootDeps = new Map([['', Object.keys(deps).filter((n) => !required.has(n))]])
      }
    }
    const graph: DepGraph = { labels: new Map(), edges: new Map() }
    for (const [key, n] of nodes) {
      if (n.workspace || n.linkTo !== undefined) continue
      graph.labels.set(key, `${n.name}@${n.version}`)
      const edges: string[] = []
      for (const d of n.deps) {
        const to = resolve(nodes, key, d)
        if (to !== undefined) edges.push(to)
      }
      graph.edges.set(key, edges)
    }
    const roots: string[] = []
    for (const [from, names] of rootDeps) {
      for (const d of names) {
        const to = resolve(nodes, from, d)
        if (to !== undefined && graph.labels.has(to)) roots.push(to)
      }
    }
    const rootSet = new Set(roots)
    const chains = shortestChains(graph, roots)
    for (const [key, n] of nodes) {
      if (!graph.labels.has(key)) continue
      collector.add({
        name: n.name,
        version: n.version,
        line: n.line,
        direct: directKnown ? rootSet.has(key) : undefined,
        scope: n.scope,
        paths: chains.get(key),
        license: n.license,
      })
    }
    return { components: collector.components(), diagnostics: [...diagnostics, ...collector.diagnostics] }
  }
}
