import type { Edge, Environment, Inventory, PhiState, Resource } from '../model/index.js'
import { isComposeOverride, isDataType, isWorkloadType } from '../inventory/index.js'
import { composeBuild, composePorts } from '../sources/index.js'

const isLoopbackAddress = (ip: string): boolean => /^(127\.|\[?::1\]?$|localhost$)/.test(ip)

/** What a topology node stands for. */
export type TopologyNodeKind =
  | 'internet'
  | 'environment'
  | 'application'
  | 'workload'
  | 'function'
  | 'vm'
  | 'container'
  | 'image'
  | 'service'
  | 'ingress'
  | 'api'
  | 'load-balancer'
  | 'data-store'

/** A node of the topology. Resource nodes carry the inventory resource id as their id. */
export interface TopologyNode {
  id: string
  kind: TopologyNodeKind
  name: string
  namespace?: string
  environment: Environment
  holdsPhi: PhiState
  internetExposed: boolean
  /** The inventory kind (`k8s:apps:deployment`, `aws:lambda:function`) of resource nodes. */
  resourceKind?: string
  /** Why the node is internet exposed. */
  exposure?: string[]
  location?: { file: string; line?: number }
}

/** How two nodes relate. */
export type TopologyEdgeKind = 'contains' | 'runs' | 'calls' | 'routes' | 'exposes' | 'invokes' | 'triggers' | 'reads' | 'writes' | 'uses'

/** An edge of the topology. */
export interface TopologyEdge {
  from: string
  to: string
  kind: TopologyEdgeKind
  source: 'declared' | 'observed'
  port?: number
  protocol?: string
  /** The Kubernetes Service or Ingress a call passes through. */
  via?: string
  evidence?: string
}

/** The topology: environment → application → workload → container → image, and who talks to whom. */
export interface Topology {
  nodes: TopologyNode[]
  edges: TopologyEdge[]
}

/** Inventory types whose resources are topology nodes, and as what (workloads and data stores are decided by type). */
const NODE_TYPES: Record<string, TopologyNodeKind> = {
  'K8s::Core::Service': 'service',
  'K8s::Networking::Ingress': 'ingress',
  'AWS::ApiGateway::RestApi': 'api',
  'AWS::ApiGatewayV2::Api': 'api',
  'AWS::ElasticLoadBalancingV2::LoadBalancer': 'load-balancer',
  'AWS::ElasticLoadBalancing::LoadBalancer': 'load-balancer',
  'AWS::Lambda::Function': 'function',
  'AWS::EC2::Instance': 'vm',
  'AWS::AutoScaling::AutoScalingGroup': 'vm',
}

const INTERNAL_LB_ANNOTATIONS: Record<string, RegExp> = {
  'service.beta.kubernetes.io/aws-load-balancer-internal': /^(true|0\.0\.0\.0\/0)$/i,
  'service.beta.kubernetes.io/aws-load-balancer-scheme': /^internal$/i,
  'networking.gke.io/load-balancer-type': /^internal$/i,
  'cloud.google.com/load-balancer-type': /^internal$/i,
  'service.beta.kubernetes.io/azure-load-balancer-internal': /^true$/i,
  'service.beta.kubernetes.io/oci-load-balancer-internal': /^true$/i,
}

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v)
const list = (v: unknown): unknown[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v])

/** What kind of node a resource is, if it is one. */
function nodeKindOf(r: Resource): TopologyNodeKind | undefined {
  const direct = NODE_TYPES[r.type]
  if (direct) return direct
  if (isWorkloadType(r.type)) return r.type === 'K8s::Core::PodTemplate' ? undefined : 'workload'
  if (isDataType(r.type) && !r.type.startsWith('AWS::KMS') && !r.type.startsWith('AWS::SSM') && !r.type.startsWith('AWS::SecretsManager')) return 'data-store'
  return undefined
}

/** Why a resource is reachable from the internet, from its own declaration; empty when it is not. */
export function exposureOf(r: Resource): string[] {
  const out: string[] = []
  const p = r.props
  if (r.type === 'K8s::Core::Service') {
    const spec = isObj(p['spec']) ? p['spec'] : {}
    const annotations = isObj(p['metadata']) && isObj((p['metadata'] as Obj)['annotations']) ? ((p['metadata'] as Obj)['annotations'] as Obj) : {}
    const internal = Object.entries(INTERNAL_LB_ANNOTATIONS).some(([k, re]) => typeof annotations[k] === 'string' && re.test(annotations[k] as string))
    if (spec['type'] === 'LoadBalancer' && !internal) {
      const ranges = list(spec['loadBalancerSourceRanges']).map(String)
      if (ranges.length === 0 || ranges.some((c) => /\/0$/.test(c))) out.push('Service type LoadBalancer open to any source')
      else out.push(`Service type LoadBalancer limited to ${ranges.join(', ')}`)
    }
    if (spec['type'] === 'NodePort') out.push('Service type NodePort (a port on every node)')
    if (list(spec['externalIPs']).length) out.push('Service externalIPs')
  } else if (r.type === 'K8s::Networking::Ingress') {
    out.push('Ingress')
  } else if (r.type === 'Docker::Compose::Service') {
    // a published port without a host address binds every interface of the host
    for (const port of composePorts(p)) if (port.published !== undefined && !port.hostIp) out.push(`port ${port.published}:${port.target} published on all host interfaces`)
    for (const port of composePorts(p)) if (port.published !== undefined && port.hostIp && !isLoopbackAddress(port.hostIp) && /^(0\.0\.0\.0|::|\[::\])$/.test(port.hostIp)) out.push(`port ${port.published}:${port.target} published on ${port.hostIp}`)
    if (p['network_mode'] === 'host') out.push('network_mode host')
  } else if (r.type === 'AWS::ElasticLoadBalancingV2::LoadBalancer' || r.type === 'AWS::ElasticLoadBalancing::LoadBalancer') {
    if (p['Scheme'] !== 'internal') out.push('internet-facing load balancer')
  } else if (r.type === 'AWS::ApiGateway::RestApi') {
    const types = isObj(p['EndpointConfiguration']) ? list(p['EndpointConfiguration']['Types']) : []
    if (!types.includes('PRIVATE')) out.push('public API Gateway endpoint')
  } else if (r.type === 'AWS::ApiGatewayV2::Api') {
    out.push('public API Gateway endpoint')
  } else if (r.type === 'AWS::EC2::Instance') {
    const nis = list(p['NetworkInterfaces'])
    if (nis.some((ni) => isObj(ni) && (ni['AssociatePublicIpAddress'] === true || ni['AssociatePublicIpAddress'] === 'true'))) out.push('public IP address')
  }
  return out
}

/**
 * The topology of an inventory: every workload (Kubernetes workloads, Compose services, Lambda
 * functions, VMs), data store, Service, Ingress, API and load balancer as a node, grouped as
 * environment → application → workload → container → image (`contains`, `runs`), with who calls
 * whom: a workload that names a Service calls the workloads that Service selects (`calls`, with
 * the Service as `via` and the port the callee listens on), Services and Ingresses route to what
 * they select (`routes`), and the internet reaches what is exposed (`exposes`). AWS relations
 * (API → function, queue → function, function → table) keep their inventory kinds.
 */
export function buildTopology(inventory: Inventory): Topology {
  const nodes = new Map<string, TopologyNode>()
  const edges: TopologyEdge[] = []
  const edgeKeys = new Set<string>()
  const addEdge = (e: TopologyEdge): void => {
    const key = `${e.from}\u0000${e.to}\u0000${e.kind}\u0000${e.port ?? ''}\u0000${e.via ?? ''}`
    if (edgeKeys.has(key) || e.from === e.to) return
    edgeKeys.add(key)
    edges.push(e)
  }
  const byId = new Map(inventory.resources.map((r) => [r.id, r]))
  const isNode = (id: string): boolean => nodes.has(id)
  // a Compose override file patches services of its base file: one node per service
  const canonical = composeCanonical(inventory.resources)
  const canon = (id: string): string => canonical.get(id) ?? id
  const mergedExposure = new Map<string, string[]>()
  for (const [from, to] of canonical) {
    const extra = exposureOf(byId.get(from)!)
    if (extra.length) (mergedExposure.get(to) ?? mergedExposure.set(to, []).get(to)!).push(...extra)
  }

  // resource nodes
  for (const r of inventory.resources) {
    if (canonical.has(r.id)) continue
    const kind = nodeKindOf(r)
    if (!kind) continue
    const exposure = [...new Set([...exposureOf(r), ...(mergedExposure.get(r.id) ?? [])])]
    nodes.set(r.id, {
      id: r.id,
      kind,
      name: r.name,
      ...(r.namespace ? { namespace: r.namespace } : {}),
      environment: r.environment,
      holdsPhi: r.holdsPhi,
      internetExposed: exposure.length > 0 && !exposure.every((x) => x.includes('limited to')),
      resourceKind: r.kind,
      ...(exposure.length ? { exposure } : {}),
      location: r.location,
    })
  }

  // relations between resource nodes
  const outOf = new Map<string, Edge[]>()
  for (const e of inventory.edges) (outOf.get(canon(e.from)) ?? outOf.set(canon(e.from), []).get(canon(e.from))!).push(e)
  for (const raw of inventory.edges) {
    const e = canonical.size ? { ...raw, from: canon(raw.from), to: canon(raw.to) } : raw
    if (!isNode(e.from) || !isNode(e.to)) continue
    const from = nodes.get(e.from)!
    const to = nodes.get(e.to)!
    const base = { source: e.source, ...(e.port !== undefined ? { port: e.port } : {}), ...(e.protocol ? { protocol: e.protocol } : {}), evidence: e.evidence }
    if (e.kind === 'network') {
      if ((from.kind === 'service' || from.kind === 'ingress') && (to.kind === 'workload' || to.kind === 'service' || to.kind === 'data-store')) {
        addEdge({ from: e.from, to: e.to, kind: 'routes', ...base })
      } else if (to.kind === 'service') {
        // a call through a Service reaches the workloads it selects: draw the call to them
        const behind = (outOf.get(e.to) ?? []).filter((x) => x.kind === 'network' && nodes.get(x.to)?.kind === 'workload')
        if (behind.length === 0) addEdge({ from: e.from, to: e.to, kind: 'calls', ...base })
        for (const b of behind) addEdge({ from: e.from, to: b.to, kind: 'calls', source: e.source, ...(b.port !== undefined ? { port: b.port } : {}), ...(b.protocol ? { protocol: b.protocol } : {}), via: to.name, evidence: e.evidence })
      } else addEdge({ from: e.from, to: e.to, kind: 'calls', ...base })
    } else if (e.kind === 'invokes' || e.kind === 'triggers' || e.kind === 'reads' || e.kind === 'writes') {
      addEdge({ from: e.from, to: e.to, kind: e.kind, ...base })
    } else if (e.kind === 'uses' && (to.kind === 'data-store' || to.kind === 'workload') && from.kind !== 'service') {
      // `uses` to a data-store workload duplicates the call through its Service; keep it only for plain stores
      if (to.kind === 'data-store') addEdge({ from: e.from, to: e.to, kind: 'uses', ...base })
    }
  }

  // an Elastic IP associated with an instance gives it a public address
  for (const e of inventory.edges) {
    const from = byId.get(e.from)
    const n = nodes.get(canon(e.to))
    if (!from || !n || n.kind !== 'vm' || (from.type !== 'AWS::EC2::EIP' && from.type !== 'AWS::EC2::EIPAssociation')) continue
    if (!n.internetExposed) n.internetExposed = true
    ;(n.exposure ??= []).push(`Elastic IP ${from.name}`)
  }

  // internet exposure: the internet reaches exposed entry points; what they route to is exposed too
  const exposed = [...nodes.values()].filter((n) => n.internetExposed)
  if (exposed.length) {
    nodes.set('internet', { id: 'internet', kind: 'internet', name: 'internet', environment: 'unknown', holdsPhi: 'unknown', internetExposed: true })
    for (const n of exposed) addEdge({ from: 'internet', to: n.id, kind: 'exposes', source: 'declared', evidence: (n.exposure ?? []).join('; ') })
    const queue = [...exposed]
    for (let i = 0; i < queue.length; i++) {
      const n = queue[i]!
      for (const e of edges) {
        if (e.from !== n.id || (e.kind !== 'routes' && e.kind !== 'invokes')) continue
        const t = nodes.get(e.to)
        if (t && !t.internetExposed) {
          t.internetExposed = true
          ;(t.exposure ??= []).push(`reached from ${n.kind} ${n.name}`)
          queue.push(t)
        }
      }
    }
  }

  // Services and Ingresses carry what they route to: PHI, and the application they belong to
  const routedTo = new Map<string, string[]>()
  for (const e of edges) if (e.kind === 'routes') (routedTo.get(e.from) ?? routedTo.set(e.from, []).get(e.from)!).push(e.to)
  const appOfFront = new Map<string, Resource>()
  for (let pass = 0; pass < 2; pass++) {
    for (const [from, tos] of routedTo) {
      const n = nodes.get(from)!
      for (const to of tos) {
        const t = nodes.get(to)
        if (!t) continue
        if (t.holdsPhi === 'yes' && n.holdsPhi !== 'yes') n.holdsPhi = 'yes'
        const tr = appOfFront.get(to) ?? byId.get(to)
        if (tr && !appOfFront.has(from) && (t.kind === 'workload' || appOfFront.has(to))) appOfFront.set(from, tr)
      }
    }
  }

  // hierarchy: environment → application → workload → container → image
  for (const n of [...nodes.values()]) {
    if (n.kind === 'internet') continue
    const r = byId.get(n.id)
    if (!r) continue
    const envId = `environment:${n.environment}`
    if (!nodes.has(envId)) nodes.set(envId, { id: envId, kind: 'environment', name: n.environment, environment: n.environment, holdsPhi: 'unknown', internetExposed: false })
    const app = applicationOf(appOfFront.get(n.id) ?? r)
    const appId = `application:${n.environment}/${app}`
    if (!nodes.has(appId)) {
      nodes.set(appId, { id: appId, kind: 'application', name: app, environment: n.environment, holdsPhi: 'unknown', internetExposed: false })
      addEdge({ from: envId, to: appId, kind: 'contains', source: 'declared' })
    }
    addEdge({ from: appId, to: n.id, kind: 'contains', source: 'declared' })
    if (n.kind === 'workload' || n.kind === 'function' || n.kind === 'vm') {
      for (const c of containersOf(r)) {
        const cid = `container:${r.id}/${c.name}`
        nodes.set(cid, { id: cid, kind: 'container', name: c.name, ...(n.namespace ? { namespace: n.namespace } : {}), environment: n.environment, holdsPhi: n.holdsPhi, internetExposed: n.internetExposed })
        addEdge({ from: n.id, to: cid, kind: 'contains', source: 'declared' })
        if (c.image) {
          const iid = `image:${c.image}`
          if (!nodes.has(iid)) nodes.set(iid, { id: iid, kind: 'image', name: c.image, environment: 'unknown', holdsPhi: 'unknown', internetExposed: false })
          addEdge({ from: cid, to: iid, kind: 'runs', source: 'declared' })
        }
      }
    }
  }
  // PHI state of application and environment nodes: yes when any member holds PHI
  for (const e of edges) {
    if (e.kind !== 'contains') continue
    const child = nodes.get(e.to)
    const parent = nodes.get(e.from)
    if (child?.holdsPhi === 'yes' && parent && (parent.kind === 'application' || parent.kind === 'environment')) parent.holdsPhi = 'yes'
  }
  for (const e of edges) {
    if (e.kind !== 'contains') continue
    const child = nodes.get(e.to)
    const parent = nodes.get(e.from)
    if (child?.kind === 'application' && child.holdsPhi === 'yes' && parent) parent.holdsPhi = 'yes'
  }
  const order: Record<TopologyNodeKind, number> = { internet: 0, environment: 1, application: 2, ingress: 3, 'load-balancer': 3, api: 3, service: 4, workload: 5, function: 5, vm: 5, 'data-store': 6, container: 7, image: 8 }
  const sorted = [...nodes.values()].sort((a, b) => order[a.kind] - order[b.kind] || a.id.localeCompare(b.id))
  return { nodes: sorted, edges }
}

/** The application a resource belongs to: Kubernetes `app.kubernetes.io/part-of` / Helm release, the Compose project, the stack or service. */
function applicationOf(r: Resource): string {
  const l = r.labels
  const partOf = l['app.kubernetes.io/part-of'] ?? l['app.kubernetes.io/instance'] ?? l['helm.sh/release'] ?? l['com.docker.compose.project']
  if (partOf) return partOf
  if (r.namespace) return r.namespace
  const stack = r.stack.split('/')
  return r.origin === 'compose' || r.origin === 'dockerfile' ? (stack.length > 1 ? stack[stack.length - 2]! : r.stack) : r.stack
}

/** Containers of a workload node: Kubernetes pod containers, a Compose service's one container, a Lambda image. */
function containersOf(r: Resource): { name: string; image?: string }[] {
  if (r.type === 'Docker::Compose::Service') {
    // an image built by `build:` is named after its Dockerfile when the service names no image
    const built = composeBuild(r.props, r.location.file)
    const image = typeof r.props['image'] === 'string' ? (r.props['image'] as string) : built ? `built from ${built.dockerfilePath ?? built.context}` : undefined
    return [{ name: typeof r.props['container_name'] === 'string' ? (r.props['container_name'] as string) : r.name, ...(image ? { image } : {}) }]
  }
  if (r.type === 'AWS::Lambda::Function') {
    const code = isObj(r.props['Code']) ? r.props['Code'] : {}
    return typeof code['ImageUri'] === 'string' ? [{ name: r.name, image: code['ImageUri'] as string }] : []
  }
  if (!r.type.startsWith('K8s::')) return []
  const paths: Record<string, string> = { 'K8s::Core::Pod': 'spec', 'K8s::Batch::CronJob': 'spec.jobTemplate.spec.template.spec' }
  let spec: unknown = r.props
  for (const seg of (paths[r.type] ?? 'spec.template.spec').split('.')) spec = isObj(spec) ? spec[seg] : undefined
  if (!isObj(spec)) return []
  const out: { name: string; image?: string }[] = []
  for (const group of ['initContainers', 'containers']) {
    for (const c of list(spec[group])) {
      if (!isObj(c) || typeof c['name'] !== 'string') continue
      out.push({ name: c['name'], ...(typeof c['image'] === 'string' ? { image: c['image'] } : {}) })
    }
  }
  return out
}

/**
 * Compose services declared again in override files (`compose.override.yaml`,
 * `docker-compose.prod.override.yml`) mapped to the base file's declaration of the same service in
 * the same directory: Compose merges them into one container.
 */
function composeCanonical(resources: readonly Resource[]): Map<string, string> {
  const out = new Map<string, string>()
  const groups = new Map<string, Resource[]>()
  for (const r of resources) {
    if (r.type !== 'Docker::Compose::Service') continue
    const key = `${r.stack.slice(0, r.stack.lastIndexOf('/') + 1)}\u0000${r.sourceId}`
    ;(groups.get(key) ?? groups.set(key, []).get(key)!).push(r)
  }
  for (const rs of groups.values()) {
    if (rs.length < 2) continue
    const base = rs.find((r) => !isComposeOverride(r)) ?? rs[0]!
    for (const r of rs) if (r !== base) out.set(r.id, base.id)
  }
  return out
}
