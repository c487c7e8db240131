import { identitiesFromInventory, withObservedEdges } from '../../flows/index.js'
import type { Inventory } from '../../model/index.js'
import type { Store } from '../../store/index.js'
import type { Topology, TopologyEdge } from '../../topology/index.js'
import { latestInventory } from '../posture/index.js'
import type { ServerContext } from '../types.js'
import { loadBaseline } from './state.js'

/**
 * The baseline's observed calls between inventory workloads, as topology edges between their
 * resource ids (`source: 'observed'`), one per (from, to, port). Edges never seen working (only
 * dropped), denied edges and peers with no inventory resource (processes, internet) are left out.
 */
export async function observedEdgesOf(store: Store, inventory: Inventory): Promise<TopologyEdge[]> {
  const resourceOf = new Map<string, string>()
  for (const i of identitiesFromInventory(inventory)) if (i.resourceId) resourceOf.set(i.id, i.resourceId)
  if (!resourceOf.size) return []
  const ids = JSON.stringify([...resourceOf.keys()])
  const rows = await store.query<{ from_key: string; to_key: string; port: number; protocol: string; count: number; sources: string[] }>(
    `SELECT from_key, to_key, port, protocol, count, sources FROM flow_edges
     WHERE count > 0 AND dropped < count AND state <> 'denied'
       AND from_key IN (SELECT jsonb_array_elements_text($1::jsonb)) AND to_key IN (SELECT jsonb_array_elements_text($1::jsonb))
     ORDER BY key`,
    [ids],
  )
  const out = new Map<string, TopologyEdge>()
  for (const r of rows) {
    const from = resourceOf.get(r.from_key)!
    const to = resourceOf.get(r.to_key)!
    if (from === to) continue
    const k = `${from}|${to}|${r.port}`
    const prev = out.get(k)
    if (prev) continue
    out.set(k, { from, to, kind: 'calls', source: 'observed', port: Number(r.port), protocol: r.protocol, evidence: `observed ${Number(r.count)}× (${r.sources.join(', ')})` })
  }
  return [...out.values()]
}

/** Edges observed in flows between inventory workloads (for the topology page), as topology edges between resource ids. */
export async function observedTopologyEdges(ctx: ServerContext): Promise<TopologyEdge[]> {
  return observedEdgesOf(ctx.store, await latestInventory(ctx))
}

/**
 * The topology with the calls observed in flows drawn in, as `phiwall topology --baseline` draws
 * them (`withObservedEdges`: declared calls seen working become observed, new calls are added, with
 * process, private-address and internet nodes where no inventory resource matches). With
 * `scoped` (an app-team caller, whose topology holds only its own resources) only observed calls
 * touching one of those nodes are added.
 */
export async function withObservedTopology<T extends Topology>(ctx: ServerContext, topology: T, scoped: boolean): Promise<T> {
  const { baseline } = await loadBaseline(ctx.store, ctx.clock())
  if (!baseline.edges.length) return topology
  const merged = withObservedEdges(topology, baseline)
  if (!scoped) return { ...topology, nodes: merged.nodes, edges: merged.edges }
  const own = new Set(topology.nodes.map((n) => n.id))
  const edges = merged.edges.filter((e) => own.has(e.from) || own.has(e.to))
  const used = new Set(edges.flatMap((e) => [e.from, e.to]))
  return { ...topology, nodes: merged.nodes.filter((n) => own.has(n.id) || used.has(n.id)), edges }
}
