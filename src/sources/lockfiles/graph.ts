import type { DependencyScope } from '../../model/index.js'
import { MAX_PATHS } from './common.js'

/** A dependency graph as a lockfile records it: node ids, their `name@version` labels and edges. */
export interface DepGraph {
  /** Node id → `name@version`. */
  labels: Map<string, string>
  /** Node id → node ids it depends on. */
  edges: Map<string, string[]>
}

interface State {
  node: string
  parent: State | undefined
}

function onPath(state: State, node: string): boolean {
  for (let s: State | undefined = state; s; s = s.parent) if (s.node === node) return true
  return false
}

function labelsOf(graph: DepGraph, state: State): string[] {
  const out: string[] = []
  for (let s: State | undefined = state; s; s = s.parent) out.push(graph.labels.get(s.node) ?? s.node)
  return out.reverse()
}

/**
 * The shortest few dependency chains from a root (a direct dependency) to every reachable node,
 * as `name@version` steps. Breadth-first from all roots at once, each node expanded at most
 * `max` times, so the work is linear in the edges (no path enumeration).
 */
export function shortestChains(graph: DepGraph, roots: readonly string[], max = MAX_PATHS): Map<string, string[][]> {
  const found = new Map<string, State[]>()
  const queue: State[] = []
  for (const root of new Set(roots)) {
    if (!graph.labels.has(root)) continue
    const s: State = { node: root, parent: undefined }
    found.set(root, [s])
    queue.push(s)
  }
  for (let head = 0; head < queue.length; head++) {
    const s = queue[head]!
    const children = graph.edges.get(s.node)
    if (!children) continue
    for (const child of children) {
      if (!graph.labels.has(child)) continue
      const list = found.get(child)
      if (list && list.length >= max) continue
      if (onPath(s, child)) continue
      const next: State = { node: child, parent: s }
      if (list) list.push(next)
      else found.set(child, [next])
      queue.push(next)
    }
  }
  const out = new Map<string, string[][]>()
  for (const [node, states] of found) out.set(node, states.map((s) => labelsOf(graph, s)))
  return out
}

/** Nodes reachable from the roots (roots included). */
export function reachable(graph: DepGraph, roots: Iterable<string>): Set<string> {
  const seen = new Set<string>()
  const stack: string[] = []
  for (const r of roots) if (!seen.has(r)) (seen.add(r), stack.push(r))
  while (stack.length > 0) {
    const n = stack.pop()!
    for (const c of graph.edges.get(n) ?? []) if (!seen.has(c)) (seen.add(c), stack.push(c))
  }
  return seen
}

/**
 * Scope of each node from which roots reach it: `prod` when a production root does, else
 * `dev` when a development root does, else `optional` when an optional root does.
 */
export function scopesFromRoots(graph: DepGraph, roots: { prod: Iterable<string>; dev?: Iterable<string>; optional?: Iterable<string> }): Map<string, DependencyScope> {
  const out = new Map<string, DependencyScope>()
  for (const n of reachable(graph, roots.optional ?? [])) out.set(n, 'optional')
  for (const n of reachable(graph, roots.dev ?? [])) out.set(n, 'dev')
  for (const n of reachable(graph, roots.prod)) out.set(n, 'prod')
  return out
}
