import type { FlowProtocol, Peer } from '../flows/index.js'
import { peerKey } from '../flows/index.js'
import { sortRules } from './rules.js'
import type { InfrastructureAllowance, PolicyRule, PolicySet, WorkloadPolicy } from './types.js'

/**
 * Pre-canned building blocks a user can apply on day one, before any learning: a database or
 * cache reachable on its port from the workloads that declare or were seen to use it (else from
 * its namespace), DNS, the AWS API endpoints of a region, an observability agent.
 */
export type PrecannedBlock = 'postgresql' | 'mysql' | 'redis' | 'mongodb' | 'dns' | 'aws-endpoints' | 'observability'

export interface PrecannedApplication {
  block: PrecannedBlock
  /** The workload identity the block is about (`k8s:clinic/patients-db`), or the AWS region for aws-endpoints. */
  target: string
}

interface ServerBlock {
  kind: 'server'
  port: number
  protocol: FlowProtocol
  title: string
}

const SERVERS: Record<'postgresql' | 'mysql' | 'redis' | 'mongodb', ServerBlock> = {
  postgresql: { kind: 'server', port: 5432, protocol: 'tcp', title: 'PostgreSQL' },
  mysql: { kind: 'server', port: 3306, protocol: 'tcp', title: 'MySQL' },
  redis: { kind: 'server', port: 6379, protocol: 'tcp', title: 'Redis' },
  mongodb: { kind: 'server', port: 27017, protocol: 'tcp', title: 'MongoDB' },
}

/** AWS API services a serverless healthcare app typically calls, reached over HTTPS. */
const AWS_SERVICES = ['sts', 's3', 'dynamodb', 'kms', 'secretsmanager', 'ssm', 'logs', 'sqs', 'sns', 'lambda', 'monitoring', 'xray']

/** The blocks and what they allow, for `phiwall policy precanned`. */
export const PRECANNED_BLOCKS: Record<PrecannedBlock, string> = {
  postgresql: 'TARGET accepts TCP 5432 from its clients (declared or observed, else its namespace); clients may reach it',
  mysql: 'TARGET accepts TCP 3306 from its clients; clients may reach it',
  redis: 'TARGET accepts TCP 6379 from its clients; clients may reach it',
  mongodb: 'TARGET accepts TCP 27017 from its clients; clients may reach it',
  dns: 'every workload may query the cluster resolver (UDP and TCP 53); TARGET is ignored',
  'aws-endpoints': `every function and EC2 instance may reach the AWS API endpoints of region TARGET over HTTPS (${AWS_SERVICES.join(', ')})`,
  observability: 'every workload may send telemetry to TARGET (OTLP 4317/4318) and TARGET may be scraped by the metrics scraper',
}

function add(list: PolicyRule[], r: PolicyRule): void {
  if (list.some((x) => peerKey(x.peer) === peerKey(r.peer) && x.port === r.port && x.protocol === r.protocol && (x.endPort ?? x.port) === (r.endPort ?? r.port))) return
  list.push(r)
}

/** Apply building blocks to a policy set (a new set; the input is not changed). */
export function applyPrecanned(set: PolicySet, apps: PrecannedApplication[]): PolicySet {
  const workloads: WorkloadPolicy[] = set.workloads.map((w) => ({ ...w, ingress: [...w.ingress], egress: [...w.egress], withheld: [...w.withheld] }))
  const identities = { ...set.identities }
  const byId = new Map(workloads.map((w) => [w.identity.id, w]))
  const ensure = (id: string): WorkloadPolicy | undefined => {
    const existing = byId.get(id)
    if (existing) return existing
    const identity = identities[id]
    if (!identity) return undefined
    const w: WorkloadPolicy = { identity, mode: 'alert', holdsPhi: identity.holdsPhi ?? 'unknown', ingress: [], egress: [], withheld: [] }
    workloads.push(w)
    byId.set(id, w)
    return w
  }
  for (const app of apps) {
    const reason = `pre-canned ${app.block}${app.block === 'dns' ? '' : ` (${app.target})`}`
    if (app.block === 'dns') {
      const dns = Object.values(identities).find((i) => i.kind === 'k8s-workload' && i.namespace === set.cluster.dns.namespace && Object.entries(set.cluster.dns.labels).every(([k, v]) => i.labels?.[k] === v))
      const peer: Peer = { kind: 'identity', id: dns?.id ?? `k8s:${set.cluster.dns.namespace}/kube-dns` }
      for (const w of workloads) for (const protocol of ['udp', 'tcp'] as FlowProtocol[]) add(w.egress, { peer, port: 53, protocol, origin: 'precanned', infrastructure: 'dns', reason })
      continue
    }
    if (app.block === 'aws-endpoints') {
      for (const w of workloads) {
        // functions and the VMs of the inventory (EC2 instances); processes get them by their host's rules
        if (w.identity.kind !== 'function' && !(w.identity.kind === 'vm' && w.identity.resourceId)) continue
        for (const svc of AWS_SERVICES) add(w.egress, { peer: { kind: 'fqdn', fqdn: `${svc}.${app.target}.amazonaws.com` }, port: 443, protocol: 'tcp', origin: 'precanned', infrastructure: 'aws-endpoint' as InfrastructureAllowance, reason })
      }
      continue
    }
    if (app.block === 'observability') {
      const target = ensure(app.target)
      if (!target) throw new Error(`pre-canned observability: workload ${app.target} is not in the baseline`)
      for (const w of workloads) {
        if (w === target) continue
        for (const port of [4317, 4318]) add(w.egress, { peer: { kind: 'identity', id: target.identity.id }, port, protocol: 'tcp', origin: 'precanned', infrastructure: 'observability-agent', reason })
      }
      for (const port of [4317, 4318]) for (const w of workloads) if (w !== target) add(target.ingress, { peer: { kind: 'identity', id: w.identity.id }, port, protocol: 'tcp', origin: 'precanned', infrastructure: 'observability-agent', reason })
      continue
    }
    const block = SERVERS[app.block]
    const server = ensure(app.target)
    if (!server) throw new Error(`pre-canned ${app.block}: workload ${app.target} is not in the baseline`)
    // clients: whoever the policy already lets reach it on any port, else the workloads of its namespace
    let clients = workloads.filter((w) => w !== server && w.egress.some((r) => r.peer.kind === 'identity' && r.peer.id === server.identity.id))
    // the namespace only when nobody was seen using it at all: a client whose edge was withheld
    // (denied, snoozed, pending) was seen, and the block does not hand its neighbours access instead
    const seenUsing = workloads.some((w) => w !== server && w.withheld.some((x) => x.peer.kind === 'identity' && x.peer.id === server.identity.id && x.port === block.port))
    if (clients.length === 0 && !seenUsing) clients = workloads.filter((w) => w !== server && w.identity.namespace !== undefined && w.identity.namespace === server.identity.namespace)
    // a block is a convenience, not a review: it never re-allows what a reviewer denied or snoozed,
    // what the enforcer only ever dropped, or a path between prod and dev/test
    clients = clients.filter((c) => !protectedPath(c, server, block.port) && !protectedPath(server, c, block.port) && !crossesEnvironments(c, server))
    for (const c of clients) {
      add(server.ingress, { peer: { kind: 'identity', id: c.identity.id }, port: block.port, protocol: block.protocol, origin: 'precanned', reason: `${reason}: ${block.title} client` })
      add(c.egress, { peer: { kind: 'identity', id: server.identity.id }, port: block.port, protocol: block.protocol, origin: 'precanned', reason: `${reason}: ${block.title} server` })
    }
  }
  // what a block now allows is no longer withheld
  for (const w of workloads) {
    w.ingress = sortRules(w.ingress)
    w.egress = sortRules(w.egress)
  }
  for (const w of workloads) w.withheld = w.withheld.filter((x) => !w.egress.some((r) => r.origin === 'precanned' && peerKey(r.peer) === peerKey(x.peer) && r.protocol === x.protocol && x.port >= r.port && x.port <= (r.endPort ?? r.port)))
  return { ...set, workloads: workloads.sort((a, b) => (a.identity.id < b.identity.id ? -1 : 1)), identities }
}

/** Reasons generation withholds an edge for that a pre-canned block must respect (generate.ts). */
const PROTECTED_REASON = /^(?:denied by|snoozed by|only ever seen dropped|crosses environments)/

/** Did generation withhold `from` → `to` on this port for a reason a block must not override? */
function protectedPath(from: WorkloadPolicy, to: WorkloadPolicy, port: number): boolean {
  return from.withheld.some((x) => x.peer.kind === 'identity' && x.peer.id === to.identity.id && x.port === port && PROTECTED_REASON.test(x.reason))
}

/** Prod on one side and dev/test on the other (environment isolation, as generation applies it). */
function crossesEnvironments(a: WorkloadPolicy, b: WorkloadPolicy): boolean {
  const x = a.identity.environment
  const y = b.identity.environment
  return !!x && !!y && x !== y && x !== 'unknown' && y !== 'unknown' && (x === 'prod' || y === 'prod')
}

/** Parse `postgresql=k8s:clinic/patients-db` (the CLI form). */
export function parsePrecanned(spec: string): PrecannedApplication {
  const eq = spec.indexOf('=')
  const block = (eq < 0 ? spec : spec.slice(0, eq)) as PrecannedBlock
  if (!(block in PRECANNED_BLOCKS)) throw new Error(`unknown pre-canned block "${block}"; one of ${Object.keys(PRECANNED_BLOCKS).join(', ')}`)
  const target = eq < 0 ? '' : spec.slice(eq + 1)
  if (!target && block !== 'dns') throw new Error(`pre-canned ${block} needs a target: ${block}=<workload id${block === 'aws-endpoints' ? ' or region' : ''}>`)
  return { block, target }
}
