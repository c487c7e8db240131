/**
 * The topology page's data work, free of the DOM: filtering by environment, the colour and
 * label of each node kind, and a node's incoming and outgoing edges for the details panel.
 */
import type { Topology, TopologyEdge, TopologyNode, TopologyNodeKind } from './api'

/** Colour and legend label per node kind (colour is never the only cue: the label says the kind too). */
export const KIND_STYLE: Record<TopologyNodeKind, { color: string; label: string; shape: string }> = {
  internet: { color: '#b42318', label: 'Internet', shape: 'star' },
  environment: { color: '#667085', label: 'Environment', shape: 'round-rectangle' },
  application: { color: '#7a5af8', label: 'Application', shape: 'round-rectangle' },
  workload: { color: '#1570ef', label: 'Workload', shape: 'ellipse' },
  function: { color: '#0e9384', label: 'Function', shape: 'ellipse' },
  vm: { color: '#475467', label: 'Virtual machine', shape: 'rectangle' },
  container: { color: '#2e90fa', label: 'Container', shape: 'ellipse' },
  image: { color: '#98a2b3', label: 'Image', shape: 'rectangle' },
  service: { color: '#6172f3', label: 'Service', shape: 'hexagon' },
  ingress: { color: '#dd2590', label: 'Ingress', shape: 'vee' },
  api: { color: '#c11574', label: 'API', shape: 'vee' },
  'load-balancer': { color: '#e04f16', label: 'Load balancer', shape: 'diamond' },
  'data-store': { color: '#ca8504', label: 'Data store', shape: 'barrel' },
}

/** Structural node kinds hidden by default (they group rather than talk). */
export const STRUCTURAL_KINDS: readonly TopologyNodeKind[] = ['environment', 'application', 'container', 'image']

/** Environments present in a topology, sorted (prod first). */
export function environmentsOf(t: Topology): string[] {
  const order = ['prod', 'staging', 'dev', 'test', 'unknown']
  const set = new Set(t.nodes.filter((n) => n.kind !== 'internet').map((n) => n.environment))
  return [...set].sort((a, b) => (order.indexOf(a) === -1 ? 99 : order.indexOf(a)) - (order.indexOf(b) === -1 ? 99 : order.indexOf(b)) || a.localeCompare(b))
}

/**
 * The part of a topology to draw: nodes of `environment` (all when empty) plus the internet node,
 * structural nodes only when asked, and the edges whose both ends remain.
 */
export function filterTopology(t: Topology, environment: string, showStructure = false): Topology {
  const nodes = t.nodes.filter((n) => {
    if (!showStructure && STRUCTURAL_KINDS.includes(n.kind)) return false
    if (n.kind === 'internet') return true
    return !environment || n.environment === environment
  })
  const ids = new Set(nodes.map((n) => n.id))
  const edges = t.edges.filter((e) => ids.has(e.from) && ids.has(e.to))
  // an internet node with nothing left to reach is noise
  const touched = new Set(edges.flatMap((e) => [e.from, e.to]))
  return { nodes: nodes.filter((n) => n.kind !== 'internet' || touched.has(n.id)), edges }
}

/** Edges into and out of a node. */
export function edgesOf(t: Topology, id: string): { incoming: TopologyEdge[]; outgoing: TopologyEdge[] } {
  return { incoming: t.edges.filter((e) => e.to === id), outgoing: t.edges.filter((e) => e.from === id) }
}

/** `tcp/5432 via clinic/api-svc` — the port and path of an edge, or '' when it has neither. */
export function edgeDetail(e: TopologyEdge): string {
  const parts: string[] = []
  if (typeof e.port === 'number') parts.push(`${e.protocol ?? 'tcp'}/${e.port}`)
  if (e.via) parts.push(`via ${e.via}`)
  return parts.join(' ')
}

/** A node's display name (namespace/name for Kubernetes). */
export function nodeName(n: TopologyNode): string {
  return n.namespace && !n.name.startsWith(`${n.namespace}/`) ? `${n.namespace}/${n.name}` : n.name
}

/** Nodes in reading order for keyboard navigation and the list view: PHI and exposed first, then by name. */
export function orderedNodes(nodes: readonly TopologyNode[]): TopologyNode[] {
  const rank = (n: TopologyNode): number => (n.kind === 'internet' ? 0 : n.holdsPhi === 'yes' ? 1 : n.internetExposed ? 2 : 3)
  return [...nodes].sort((a, b) => rank(a) - rank(b) || nodeName(a).localeCompare(nodeName(b)))
}

/** Display names by node id, with the kind added where two nodes share a name (a Service and its Deployment). */
export function displayNames(nodes: readonly TopologyNode[]): Map<string, string> {
  const count = new Map<string, number>()
  for (const n of nodes) count.set(nodeName(n), (count.get(nodeName(n)) ?? 0) + 1)
  return new Map(nodes.map((n) => [n.id, (count.get(nodeName(n)) ?? 0) > 1 ? `${nodeName(n)} (${KIND_STYLE[n.kind]?.label ?? n.kind})` : nodeName(n)]))
}
