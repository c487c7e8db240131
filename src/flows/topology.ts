import type { Topology, TopologyEdge, TopologyNode } from '../topology/index.js'
import type { Baseline, Peer, WorkloadIdentity } from './types.js'

/**
 * Adds what flows observed to a topology drawn from the infrastructure code: each baseline edge
 * becomes a `calls` edge with `source: 'observed'` (and its port) between the nodes of its
 * identities' resources; identities with no resource (processes, hosts, platform workloads) become
 * nodes of their own, internet peers go to the `internet` node. A declared call the flows also saw
 * is marked observed rather than drawn twice.
 */
export function withObservedEdges(topology: Topology, baseline: Baseline): Topology {
  const nodes = new Map(topology.nodes.map((n) => [n.id, n]))
  const edges: TopologyEdge[] = topology.edges.map((e) => ({ ...e }))
  const nodeOf = (p: Peer): string | undefined => {
    if (p.kind !== 'identity') {
      if (p.kind === 'cidr' && p.scope !== 'public') return ensure(`cidr:${p.cidr}`, { kind: 'vm', name: p.cidr })
      if (!nodes.has('internet')) nodes.set('internet', { id: 'internet', kind: 'internet', name: 'internet', environment: 'unknown', holdsPhi: 'unknown', internetExposed: false })
      return 'internet'
    }
    const i: WorkloadIdentity | undefined = baseline.identities[p.id]
    if (i?.resourceId && nodes.has(i.resourceId)) return i.resourceId
    return ensure(p.id, { kind: i?.kind === 'function' ? 'function' : i?.kind === 'k8s-workload' || i?.kind === 'process' ? 'workload' : 'vm', name: i?.name ?? p.id, ...(i?.namespace ? { namespace: i.namespace } : {}), environment: i?.environment ?? 'unknown', holdsPhi: i?.holdsPhi ?? 'unknown' })
  }
  function ensure(id: string, n: Partial<TopologyNode> & Pick<TopologyNode, 'kind' | 'name'>): string {
    if (!nodes.has(id)) nodes.set(id, { environment: 'unknown', holdsPhi: 'unknown', internetExposed: false, ...n, id })
    return id
  }
  const existing = new Map(edges.filter((e) => e.kind === 'calls').map((e) => [`${e.from}|${e.to}|${e.port ?? ''}`, e]))
  for (const e of baseline.edges) {
    if (e.count === 0 || e.dropped === e.count || e.state === 'denied') continue // never seen working: not drawn as a working call
    const from = nodeOf(e.from)
    const to = nodeOf(e.to)
    if (!from || !to || from === to) continue
    const same = existing.get(`${from}|${to}|${e.port}`)
    if (same) {
      same.source = 'observed'
      continue
    }
    const ne: TopologyEdge = { from, to, kind: 'calls', source: 'observed', port: e.port, protocol: e.protocol, evidence: `observed ${e.count}× (${e.sources.join(', ')})` }
    existing.set(`${from}|${to}|${e.port}`, ne)
    edges.push(ne)
  }
  return { nodes: [...nodes.values()], edges }
}
