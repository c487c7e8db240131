import type { Inventory } from '../model/index.js'
import { buildTopology } from '../topology/index.js'
import { addressesFromInventory, identitiesFromInventory, identityIdOf, type AddressEntry } from './resolve.js'
import type { FlowProtocol, WorkloadIdentity } from './types.js'

/** A connection the infrastructure code declares: a workload calls another through a Service, a route, an environment value. */
export interface DeclaredFlow {
  from: string
  to: string
  /** The port the callee listens on (the pod's target port, not the Service port). */
  port: number
  protocol: FlowProtocol
  evidence: string
}

/** What flows need from an inventory: identities and the declared connections between them. */
export interface FlowInventory {
  identities: WorkloadIdentity[]
  /** Addresses and ENIs the inventory knows (instances, network interfaces). */
  addresses: AddressEntry[]
  declared: DeclaredFlow[]
  /** Workloads an Ingress routes to: they need ingress from the ingress controller on these ports. */
  ingressRouted: { to: string; port: number; evidence: string }[]
}

function protocolOf(p: string | undefined): FlowProtocol {
  const x = (p ?? 'tcp').toLowerCase()
  return x === 'udp' || x === 'sctp' ? x : 'tcp'
}

/**
 * Identities and declared connections of an inventory. Calls come from the topology, where a
 * call through a Kubernetes Service is already drawn to the pods it selects with their target
 * port; only calls with a port become declared flows (a rule needs a port).
 */
export function flowInventoryOf(inv: Inventory): FlowInventory {
  const identities = identitiesFromInventory(inv)
  const idOf = new Map<string, string>()
  for (const r of inv.resources) {
    const id = identityIdOf(r)
    if (id) idOf.set(r.id, id)
  }
  const topo = buildTopology(inv)
  const kindOf = new Map(topo.nodes.map((n) => [n.id, n.kind]))
  const declared = new Map<string, DeclaredFlow>()
  const ingressRouted = new Map<string, { to: string; port: number; evidence: string }>()
  for (const e of topo.edges) {
    if (e.port === undefined) continue
    if (e.kind === 'calls') {
      const from = idOf.get(e.from)
      const to = idOf.get(e.to)
      if (!from || !to || from === to) continue
      const f: DeclaredFlow = { from, to, port: e.port, protocol: protocolOf(e.protocol), evidence: e.via ? `${e.evidence ?? 'declared'} (via Service ${e.via})` : e.evidence ?? 'declared' }
      declared.set(`${from}|${to}|${f.port}/${f.protocol}`, f)
    } else if (e.kind === 'routes' && kindOf.get(e.from) === 'ingress') {
      // Ingress → Service: the Service routes on to workloads
      for (const b of topo.edges) {
        if (b.kind !== 'routes' || b.from !== e.to || b.port === undefined) continue
        const to = idOf.get(b.to)
        if (to) ingressRouted.set(`${to}|${b.port}`, { to, port: b.port, evidence: `Ingress ${e.from.split('#').pop()} → ${b.evidence ?? 'Service'}` })
      }
    }
  }
  return { identities, addresses: addressesFromInventory(inv), declared: [...declared.values()].sort((a, b) => (`${a.from}|${a.to}|${a.port}` < `${b.from}|${b.to}|${b.port}` ? -1 : 1)), ingressRouted: [...ingressRouted.values()] }
}
