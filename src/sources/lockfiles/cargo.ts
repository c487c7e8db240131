import type { Diagnostic } from '../../model/index.js'
import { asString, ComponentCollector, invalid } from './common.js'
import { shortestChains } from './graph.js'
import type { DepGraph } from './graph.js'
import { readTomlLock } from './toml.js'
import type { FormatParser, ParserInput } from './types.js'

/**
 * Cargo.lock: `[[package]]` tables. Packages without a `source` are the workspace's own crates:
 * not components, and their dependencies are the direct ones. `dependencies` entries are
 * `name`, `name version` or `name version (source)`.
 */
export const parseCargoLock: FormatParser = (input: ParserInput) => {
  const { file, text } = input
  const diagnostics: Diagnostic[] = []
  const { packages } = readTomlLock(file, text, diagnostics)
  const collector = new ComponentCollector('crates.io', file, 'Cargo.lock')
  const byName = new Map<string, string[]>()
  const nodes: { id: string; name: string; version: string; line: number | undefined; local: boolean; deps: string[] }[] = []
  for (const { table, line } of packages) {
    const name = asString(table['name'])
    const version = asString(table['version'])
    if (!name || !version) {
      diagnostics.push(invalid(file, 'Package without a name or version', line))
      continue
    }
    const deps = Array.isArray(table['dependencies']) ? (table['dependencies'] as unknown[]).filter((d): d is string => typeof d === 'string') : []
    const id = `${name}@${version}`
    nodes.push({ id, name, version, line, local: table['source'] === undefined, deps })
    byName.set(name, [...(byName.get(name) ?? []), id])
  }
  const ref = (dep: string): string | undefined => {
    const [name, version] = dep.split(' ')
    const ids = byName.get(name ?? '')
    if (!ids) return undefined
    return version ? ids.find((i) => i === `${name}@${version}`) : ids[0]
  }
  const graph: DepGraph = { labels: new Map(), edges: new Map() }
  const roots: string[] = []
  for (const n of nodes) {
    const edges = n.deps.map(ref).filter((x): x is string => x !== undefined)
    if (n.local) roots.push(...edges)
    else {
      graph.labels.set(n.id, `${n.name}@${n.version}`)
      graph.edges.set(n.id, edges)
    }
  }
  const realRoots = roots.filter((r) => graph.labels.has(r))
  const rootSet = new Set(realRoots)
  const hasLocal = nodes.some((n) => n.local)
  const chains = shortestChains(graph, realRoots)
  for (const n of nodes) {
    if (n.local) continue
    collector.add({ name: n.name, version: n.version, line: n.line, direct: hasLocal ? rootSet.has(n.id) : undefined, paths: chains.get(n.id) })
  }
  return { components: collector.components(), diagnostics: [...diagnostics, ...collector.diagnostics] }
}
