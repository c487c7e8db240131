import ipaddr from 'ipaddr.js'
import type { Inventory, Resource } from '../model/index.js'
import { podLabelsOf } from '../inventory/index.js'
import type { Peer, WorkloadIdentity } from './types.js'
import { peerKey } from './types.js'

/**
 * One entry of an address book: an address (or ENI) that belongs to a workload. Address books
 * come from AWS snapshots (network interfaces), Kubernetes snapshots (pod IPs), the agent's
 * host addresses, or a user's file (`--addresses FILE`).
 */
export interface AddressEntry {
  /** IPv4 / IPv6 address, or a CIDR. */
  ip?: string
  /** Elastic network interface id (VPC Flow Logs `interface-id`). */
  eni?: string
  /**
   * Identity id (`k8s:clinic/intake-api`), a name the inventory knows (`intake-api`), or
   * `fqdn:<name>` for an endpoint known by name (an AWS interface endpoint, a service prefix list).
   */
  workload: string
}

/** A Kubernetes endpoint as Cilium Hubble describes it. */
export interface K8sEndpoint {
  namespace?: string
  podName?: string
  /** Cilium labels: `k8s:app=frontend`, `reserved:world`, … */
  labels: string[]
  /** Owning workloads (Hubble ≥ 1.15): `[{ name: 'frontend', kind: 'Deployment' }]`. */
  workloads?: { name: string; kind?: string }[]
  ip?: string
}

/** Labels a workload's pods carry that never identify it (they change with every rollout or are Cilium's own). */
const VOLATILE_LABEL = /^(pod-template-hash|controller-revision-hash|pod-template-generation|statefulset\.kubernetes\.io\/pod-name|batch\.kubernetes\.io\/|job-name|controller-uid|io\.kubernetes\.pod\.namespace|io\.cilium\.)/

/** Cilium reserved identities and the entity they name. */
const RESERVED_ENTITY: Record<string, string> = {
  host: 'host',
  'remote-node': 'remote-node',
  'kube-apiserver': 'kube-apiserver',
  health: 'health',
  ingress: 'ingress',
  init: 'init',
  unmanaged: 'unmanaged',
}

/** Kind of an inventory workload's identity. */
function identityKindOf(r: Resource): WorkloadIdentity['kind'] | undefined {
  if (r.type.startsWith('K8s::')) return podLabelsOf(r.type, r.props) ? 'k8s-workload' : undefined
  switch (r.type) {
    case 'AWS::Lambda::Function':
      return 'function'
    case 'AWS::EC2::Instance':
      return 'vm'
    case 'AWS::RDS::DBInstance':
    case 'AWS::RDS::DBCluster':
    case 'AWS::ElastiCache::CacheCluster':
    case 'AWS::ElastiCache::ReplicationGroup':
    case 'AWS::ElasticLoadBalancingV2::LoadBalancer':
    case 'AWS::EC2::VPCEndpoint':
    case 'AWS::EC2::NatGateway':
      return 'aws-service'
    default:
      return undefined
  }
}

/** The stable identity id of an inventory workload. */
export function identityIdOf(r: Resource): string | undefined {
  const kind = identityKindOf(r)
  if (!kind) return undefined
  if (kind === 'k8s-workload') return `k8s:${r.namespace ?? 'default'}/${r.name}`
  if (kind === 'function') return `aws:lambda:${r.name}`
  if (kind === 'vm') return `aws:ec2:${r.name}`
  return `aws:${r.kind.split(':').slice(1).join(':')}:${r.name}`
}

function stringsOf(v: unknown): string[] {
  if (typeof v === 'string') return [v]
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string')
  return []
}

/** Security group ids or names a workload is placed in (logical ids when the template only refers to them). */
function securityGroupsOf(r: Resource): string[] {
  const vpc = r.props['VpcConfig'] as Record<string, unknown> | undefined
  const raw = [...(vpc ? (Array.isArray(vpc['SecurityGroupIds']) ? vpc['SecurityGroupIds'] : []) : []), ...(Array.isArray(r.props['SecurityGroupIds']) ? r.props['SecurityGroupIds'] : []), ...(Array.isArray(r.props['VpcSecurityGroupIds']) ? r.props['VpcSecurityGroupIds'] : [])]
  const out: string[] = []
  for (const x of raw) {
    if (typeof x === 'string') out.push(x)
    else if (x && typeof x === 'object') {
      const ref = (x as Record<string, unknown>)['Ref'] ?? (x as Record<string, unknown>)['Fn::GetAtt']
      const s = stringsOf(ref)[0]
      if (s) out.push(s)
    }
  }
  return [...new Set(out)].sort()
}

/** Workload identities of an inventory: Kubernetes workloads, functions, VMs and AWS data services. */
export function identitiesFromInventory(inv: Inventory): WorkloadIdentity[] {
  const out: WorkloadIdentity[] = []
  for (const r of inv.resources) {
    const id = identityIdOf(r)
    const kind = identityKindOf(r)
    if (!id || !kind) continue
    const identity: WorkloadIdentity = { id, kind, name: r.name, resourceId: r.id, environment: r.environment, holdsPhi: r.holdsPhi }
    if (r.namespace !== undefined && kind === 'k8s-workload') identity.namespace = r.namespace
    if (kind === 'k8s-workload') {
      const labels = Object.fromEntries(Object.entries(podLabelsOf(r.type, r.props) ?? {}).filter(([k]) => !VOLATILE_LABEL.test(k)))
      identity.labels = labels
    }
    const sgs = securityGroupsOf(r)
    if (sgs.length) identity.securityGroups = sgs
    out.push(identity)
  }
  return out
}

/** `AWS Lambda VPC ENI-<function>-<uuid>`: the description AWS gives a function's network interface. */
const LAMBDA_ENI = /^AWS Lambda VPC ENI-(.+)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/**
 * Addresses the inventory itself knows: EC2 instances' private and public addresses, and network
 * interfaces (a Lambda function's ENIs by their description, an instance's by its attachment).
 */
export function addressesFromInventory(inv: Inventory): AddressEntry[] {
  const out: AddressEntry[] = []
  const byName = new Map<string, string>()
  for (const r of inv.resources) {
    const id = identityIdOf(r)
    if (id) byName.set(r.physicalId ?? r.name, id)
  }
  const ips = (p: Record<string, unknown>): string[] => {
    const list: string[] = []
    for (const k of ['PrivateIpAddress', 'PrimaryPrivateIpAddress', 'PrivateIp', 'PublicIp']) if (typeof p[k] === 'string') list.push(p[k] as string)
    for (const x of Array.isArray(p['PrivateIpAddresses']) ? p['PrivateIpAddresses'] : []) if (x && typeof x === 'object' && typeof (x as Record<string, unknown>)['PrivateIpAddress'] === 'string') list.push((x as Record<string, string>)['PrivateIpAddress']!)
    for (const x of Array.isArray(p['SecondaryPrivateIpAddresses']) ? p['SecondaryPrivateIpAddresses'] : []) if (typeof x === 'string') list.push(x)
    return list.filter((x) => normalizeIp(x) !== undefined)
  }
  for (const r of inv.resources) {
    if (r.type === 'AWS::EC2::Instance') {
      const id = identityIdOf(r)!
      for (const ip of ips(r.props)) out.push({ ip, workload: id })
    } else if (r.type === 'AWS::EC2::NetworkInterface') {
      const eni = typeof r.props['Id'] === 'string' ? (r.props['Id'] as string) : r.physicalId
      const desc = typeof r.props['Description'] === 'string' ? (r.props['Description'] as string) : ''
      const fn = LAMBDA_ENI.exec(desc)?.[1]
      const attached = (r.props['Attachment'] as Record<string, unknown> | undefined)?.['InstanceId']
      const workload = fn ? (byName.get(fn) ?? `aws:lambda:${fn}`) : typeof attached === 'string' ? byName.get(attached) : undefined
      if (!workload) continue
      if (eni?.startsWith('eni-')) out.push({ eni, workload })
      for (const ip of ips(r.props)) out.push({ ip, workload })
    }
  }
  return out
}

/**
 * The bucket an unnamed address falls into: an internet address `/24` (IPv4) or `/64` (IPv6),
 * so a service's rotating addresses make one edge; a private or local address stays exact
 * (`/32`, `/128`) — inside a VPC a /24 could hold the database, and least privilege does not
 * widen what nobody could name. Unnamed private addresses are counted as unresolved, so the
 * user adds them to the address book.
 */
export function cidrBucket(ip: string): Extract<Peer, { kind: 'cidr' }> {
  let addr: ipaddr.IPv4 | ipaddr.IPv6
  try {
    addr = ipaddr.parse(ip)
  } catch {
    return { kind: 'cidr', cidr: ip, scope: 'public' }
  }
  if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress()) addr = (addr as ipaddr.IPv6).toIPv4Address()
  const range = addr.range()
  const scope: 'private' | 'public' | 'local' = range === 'private' || range === 'uniqueLocal' || range === 'carrierGradeNat' ? 'private' : range === 'loopback' || range === 'linkLocal' || range === 'unspecified' ? 'local' : 'public'
  if (scope !== 'public') return { kind: 'cidr', cidr: `${addr.toString()}/${addr.kind() === 'ipv4' ? 32 : 128}`, scope }
  if (addr.kind() === 'ipv4') {
    const o = (addr as ipaddr.IPv4).octets
    return { kind: 'cidr', cidr: `${o[0]}.${o[1]}.${o[2]}.0/24`, scope }
  }
  const parts = (addr as ipaddr.IPv6).parts.slice(0, 4)
  const net = ipaddr.IPv6.parse(`${parts.map((p) => p.toString(16)).join(':')}::`)
  return { kind: 'cidr', cidr: `${net.toString()}/64`, scope }
}

/** A normalised textual address (IPv4-mapped IPv6 becomes IPv4), or undefined when it is not an address. */
export function normalizeIp(ip: string): string | undefined {
  try {
    const a = ipaddr.parse(ip)
    if (a.kind() === 'ipv6' && (a as ipaddr.IPv6).isIPv4MappedAddress()) return (a as ipaddr.IPv6).toIPv4Address().toString()
    return a.toString()
  } catch {
    return undefined
  }
}

/** Options of the resolver. */
export interface ResolverOptions {
  inventory?: Inventory
  identities?: WorkloadIdentity[]
  addresses?: AddressEntry[]
  dns?: Record<string, string[]>
}

/**
 * Resolves what sources observe (addresses, ENIs, Kubernetes endpoints, processes) to peers:
 * a known identity where possible, else an FQDN learned from DNS, else a CIDR bucket. Results
 * are cached per address, so hot sources pay one map lookup per line.
 */
export class IdentityResolver {
  private readonly known = new Map<string, WorkloadIdentity>()
  private readonly byName = new Map<string, WorkloadIdentity[]>()
  /** Address-book names that match several workloads, with those workloads' ids. */
  readonly ambiguousNames = new Map<string, string[]>()
  private readonly byIp = new Map<string, string>()
  private readonly byEni = new Map<string, string>()
  private readonly cidrs: { range: [ipaddr.IPv4 | ipaddr.IPv6, number]; peer: Peer }[] = []
  private readonly byIpPeer = new Map<string, Peer>()
  /** host address + port + protocol → identity of the process listening there (agent joins). */
  private readonly listeners = new Map<string, string>()
  private readonly ipToName = new Map<string, string>()
  private readonly names = new Map<string, Set<string>>()
  private readonly cache = new Map<string, { peer: Peer; key: string; resolved: boolean }>()
  private readonly k8sWorkloads: WorkloadIdentity[] = []
  private readonly hostAddrs = new Map<string, Set<string>>()
  /** Addresses that resolved to nothing better than a CIDR bucket. */
  unresolved = 0

  /** Inventory VMs by each name a host could have (normalised, see `hostNameKey`). */
  private readonly vmNames = new Map<string, Set<string>>()

  constructor(opts: ResolverOptions = {}) {
    const ids = [...(opts.inventory ? identitiesFromInventory(opts.inventory) : []), ...(opts.identities ?? [])]
    for (const i of ids) this.register(i)
    for (const [name, ips] of Object.entries(opts.dns ?? {})) this.learnDns(name, ips)
    for (const a of [...(opts.inventory ? addressesFromInventory(opts.inventory) : []), ...(opts.addresses ?? [])]) this.addAddress(a)
  }

  /** Add or update an identity. */
  register(identity: WorkloadIdentity): void {
    const prev = this.known.get(identity.id)
    if (prev) {
      Object.assign(prev, { ...identity, ...prev, labels: prev.labels ?? identity.labels })
      return
    }
    this.known.set(identity.id, identity)
    for (const n of new Set([identity.name, identity.id])) {
      const list = this.byName.get(n) ?? []
      list.push(identity)
      this.byName.set(n, list)
    }
    if (identity.kind === 'k8s-workload') this.k8sWorkloads.push(identity)
    // an inventory VM, by the names an agent host could have (see `hostInstance`)
    if (identity.kind === 'vm' && identity.resourceId) {
      const source = identity.resourceId.slice(identity.resourceId.lastIndexOf('#') + 1)
      for (const n of [identity.name, source]) {
        // a Terraform address (`aws_instance.hl7_engine`) names the instance by its last part
        const key = hostNameKey(/^aws_[a-z0-9_]+\.[A-Za-z0-9_-]+$/.test(n) ? n.slice(n.indexOf('.') + 1) : n)
        if (!key) continue
        const set = this.vmNames.get(key) ?? new Set<string>()
        set.add(identity.id)
        this.vmNames.set(key, set)
      }
    }
  }

  /** Record that an address (or ENI, or CIDR) belongs to a workload. Unknown workload names become identities of kind `vm`. */
  addAddress(a: AddressEntry): void {
    if (a.workload.startsWith('fqdn:')) {
      const peer: Peer = { kind: 'fqdn', fqdn: a.workload.slice(5).toLowerCase().replace(/\.$/, '') }
      if (a.ip?.includes('/')) {
        try {
          this.cidrs.push({ range: ipaddr.parseCIDR(a.ip), peer })
        } catch {
          /* reported by the address book's reader */
        }
      } else if (a.ip) {
        const n = normalizeIp(a.ip)
        if (n) this.byIpPeer.set(n, peer)
      }
      this.cache.clear()
      return
    }
    // a short name two workloads share (`web` in dev and in prod) names neither: no guess
    const named = this.byName.get(a.workload)
    const distinct = new Set((named ?? []).map((i) => i.id))
    if (distinct.size > 1 && !this.known.has(a.workload)) this.ambiguousNames.set(a.workload, [...distinct].sort())
    const identity = this.known.get(a.workload) ?? (distinct.size === 1 ? named![0] : undefined)
    let id = identity?.id
    if (!id) {
      id = a.workload.includes(':') ? a.workload : `addr:${a.workload}`
      const kind: WorkloadIdentity['kind'] = id.startsWith('aws:lambda:') ? 'function' : id.startsWith('k8s:') ? 'k8s-workload' : 'vm'
      this.register({ id, kind, name: id.startsWith('addr:') ? a.workload : id.split(/[:/]/).pop()! })
    }
    if (a.eni) this.byEni.set(a.eni, id)
    if (a.ip) {
      if (a.ip.includes('/')) {
        try {
          this.cidrs.push({ range: ipaddr.parseCIDR(a.ip), peer: { kind: 'identity', id } })
        } catch {
          /* an invalid CIDR in an address book is reported by the book's reader */
        }
      } else {
        const n = normalizeIp(a.ip)
        if (n) this.byIp.set(n, id)
      }
    }
    this.cache.clear()
  }

  /** A DNS answer: `name` resolved to `ips`. External addresses then resolve to the name. */
  learnDns(name: string, ips: string[]): void {
    const fqdn = name.toLowerCase().replace(/\.$/, '')
    const set = this.names.get(fqdn) ?? new Set<string>()
    for (const ip of ips) {
      const n = normalizeIp(ip)
      if (!n) continue
      set.add(n)
      if (!this.ipToName.has(n)) {
        this.ipToName.set(n, fqdn)
        this.cache.delete(n)
      }
    }
    this.names.set(fqdn, set)
  }

  /** A host an agent runs on, with its own addresses: they resolve to the host's identity (`host:<name>`). */
  addHost(host: string, ips: string[]): void {
    const id = `host:${host}`
    if (!this.known.has(id)) this.register({ id, kind: 'vm', name: host })
    const set = this.hostAddrs.get(host) ?? new Set<string>()
    for (const ip of ips) {
      const n = normalizeIp(ip)
      if (!n) continue
      set.add(n)
      if (!this.byIp.has(n)) {
        this.byIp.set(n, id)
        this.cache.delete(n)
      }
    }
    this.hostAddrs.set(host, set)
  }

  /** Is this address one of a host an agent reported? */
  isAgentHost(ip: string): boolean {
    const n = normalizeIp(ip) ?? ip
    const id = this.byIp.get(n)
    return id !== undefined && id.startsWith('host:') && this.hostAddrs.has(id.slice(5))
  }

  /** Hosts and their addresses (for exporters that need addresses, such as nftables). */
  hosts(): Record<string, string[]> {
    return Object.fromEntries([...this.hostAddrs.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([h, s]) => [h, [...s].sort()]))
  }

  /** A process on `host` listens on `ips`:`port`/`protocol`: connections there resolve to it. */
  addListener(ips: string[], port: number, protocol: string, identityId: string): void {
    for (const ip of ips) {
      const n = normalizeIp(ip)
      if (n) this.listeners.set(`${n}|${port}|${protocol}`, identityId)
    }
  }

  /** The process listening on an address and port, where an agent reported one. */
  listenerAt(ip: string, port: number, protocol: string): string | undefined {
    const n = normalizeIp(ip) ?? ip
    return this.listeners.get(`${n}|${port}|${protocol}`)
  }

  /**
   * An address (optionally with the ENI that reported it) → a peer and its key. `resolved`
   * is false when only a CIDR bucket could be given.
   */
  address(ip: string, eni?: string): { peer: Peer; key: string; resolved: boolean } {
    if (eni) {
      const id = this.byEni.get(eni)
      if (id) return { peer: { kind: 'identity', id }, key: id, resolved: true }
    }
    const hit = this.cache.get(ip)
    if (hit) {
      if (!hit.resolved) this.unresolved++
      return hit
    }
    const r = this.resolveUncached(ip)
    this.cache.set(ip, r)
    if (!r.resolved) this.unresolved++
    return r
  }

  private resolveUncached(ip: string): { peer: Peer; key: string; resolved: boolean } {
    const n = normalizeIp(ip)
    if (n) {
      const id = this.byIp.get(n)
      if (id) return { peer: { kind: 'identity', id }, key: id, resolved: true }
      const named = this.byIpPeer.get(n)
      if (named) return { peer: named, key: peerKey(named), resolved: true }
      if (this.cidrs.length) {
        const a = ipaddr.parse(n)
        for (const c of this.cidrs) if (a.kind() === c.range[0].kind() && a.match(c.range)) return { peer: c.peer, key: peerKey(c.peer), resolved: true }
      }
      const name = this.ipToName.get(n)
      if (name) {
        const peer: Peer = { kind: 'fqdn', fqdn: name }
        return { peer, key: peerKey(peer), resolved: true }
      }
    }
    const peer = cidrBucket(n ?? ip)
    return { peer, key: peerKey(peer), resolved: false }
  }

  /** A Kubernetes endpoint (Hubble) → a peer; learns the identity when the inventory does not know it. */
  k8sEndpoint(ep: K8sEndpoint): { peer: Peer; key: string; resolved: boolean } {
    const labels: Record<string, string> = {}
    let reserved: string | undefined
    for (const l of ep.labels) {
      const colon = l.indexOf(':')
      const src = colon >= 0 ? l.slice(0, colon) : ''
      const kv = colon >= 0 ? l.slice(colon + 1) : l
      if (src === 'reserved') {
        // an endpoint may carry several (`reserved:remote-node` and `reserved:kube-apiserver`): the API server names it best
        const r = kv.split('=')[0]
        if (reserved === undefined || r === 'kube-apiserver') reserved = r
        continue
      }
      if (src !== 'k8s') continue
      const eq = kv.indexOf('=')
      const k = eq >= 0 ? kv.slice(0, eq) : kv
      if (VOLATILE_LABEL.test(k)) continue
      labels[k] = eq >= 0 ? kv.slice(eq + 1) : ''
    }
    if (reserved && reserved !== 'world' && RESERVED_ENTITY[reserved]) {
      const id = `entity:${RESERVED_ENTITY[reserved]}`
      if (!this.known.has(id)) this.register({ id, kind: 'k8s-entity', name: RESERVED_ENTITY[reserved]! })
      return { peer: { kind: 'identity', id }, key: id, resolved: true }
    }
    const ns = ep.namespace
    if (!ns) {
      // world or an endpoint outside the cluster: by address
      if (ep.ip) return this.address(ep.ip)
      return { peer: { kind: 'cidr', cidr: '0.0.0.0/0', scope: 'public' }, key: 'cidr:0.0.0.0/0', resolved: false }
    }
    // 1. the owning workload Hubble names
    const owner = ep.workloads?.[0]?.name
    // 2. the inventory workload whose pod labels these pods carry
    const inventoryMatch = owner
      ? this.known.get(`k8s:${ns}/${owner}`)
      : this.k8sWorkloads.find((w) => w.namespace === ns && w.labels && Object.keys(w.labels).length > 0 && Object.entries(w.labels).every(([k, v]) => labels[k] === v))
    if (inventoryMatch) return { peer: { kind: 'identity', id: inventoryMatch.id }, key: inventoryMatch.id, resolved: true }
    // 3. the application label, else the pod name without its ReplicaSet / pod hashes
    const name = owner ?? labels['app.kubernetes.io/name'] ?? labels['app'] ?? labels['k8s-app'] ?? (ep.podName ? podBaseName(ep.podName) : undefined)
    if (!name) return ep.ip ? this.address(ep.ip) : { peer: { kind: 'cidr', cidr: '0.0.0.0/0', scope: 'public' }, key: 'cidr:0.0.0.0/0', resolved: false }
    const id = `k8s:${ns}/${name}`
    if (!this.known.has(id)) this.register({ id, kind: 'k8s-workload', name, namespace: ns, labels })
    return { peer: { kind: 'identity', id }, key: id, resolved: true }
  }

  /**
   * The inventory VM an agent host is, or undefined: the instance one of the host's addresses
   * belongs to (the address book or the inventory's own addresses), else the one instance whose
   * name, `Name` tag or resource name is the host's name (`hl7-engine` = `aws_instance.hl7_engine`
   * = `hl7-engine.clinic.internal`; an ambiguous name links nothing).
   */
  hostInstance(host: string): WorkloadIdentity | undefined {
    for (const ip of this.hostAddrs.get(host) ?? []) {
      const id = this.byIp.get(ip)
      const identity = id ? this.known.get(id) : undefined
      if (identity?.kind === 'vm' && identity.resourceId) return identity
    }
    const ids = this.vmNames.get(hostNameKey(host))
    if (ids?.size === 1) return this.known.get([...ids][0]!)
    return undefined
  }

  /**
   * Everything known, by id (for the baseline). An agent host linked to an inventory instance
   * (`hostInstance`) lends the instance's PHI status and environment to the host's identity and
   * to every process the agent saw on it that has none of its own: a process on a host that
   * holds PHI handles PHI, and gets the stricter policy.
   */
  identities(): Record<string, WorkloadIdentity> {
    const linked = new Map<string, WorkloadIdentity | undefined>()
    const instanceOf = (host: string): WorkloadIdentity | undefined => {
      if (!linked.has(host)) linked.set(host, this.hostInstance(host))
      return linked.get(host)
    }
    for (const identity of this.known.values()) {
      const host = identity.kind === 'process' ? identity.process?.host : identity.kind === 'vm' && identity.id === `host:${identity.name}` ? identity.name : undefined
      if (host === undefined) continue
      const vm = instanceOf(host)
      if (!vm) continue
      if (identity.holdsPhi === undefined || identity.holdsPhi === 'unknown') identity.holdsPhi = vm.holdsPhi ?? 'unknown'
      if (identity.environment === undefined || identity.environment === 'unknown') identity.environment = vm.environment ?? 'unknown'
      if (identity.kind === 'vm' && identity.resourceId === undefined && vm.resourceId) identity.resourceId = vm.resourceId
    }
    return Object.fromEntries([...this.known.entries()].sort(([a], [b]) => (a < b ? -1 : 1)))
  }

  identity(id: string): WorkloadIdentity | undefined {
    return this.known.get(id)
  }

  /** DNS observations: name → addresses. */
  dns(): Record<string, string[]> {
    return Object.fromEntries([...this.names.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([n, s]) => [n, [...s].sort()]))
  }
}

/** A host or instance name compared case-insensitively, without its domain, `_` read as `-`. */
export function hostNameKey(name: string): string {
  const first = name.trim().toLowerCase().split('.')[0] ?? ''
  return first.replace(/[_\s]+/g, '-')
}

/** `frontend-7d9f8c6b5-x2x9z` → `frontend`; `patients-db-0` → `patients-db`. */
export function podBaseName(pod: string): string {
  // Kubernetes' generated suffixes use its "safe" alphabet: no vowels, no 0, 1, 3
  const rs = /^(.*)-[bcdfghjklmnpqrstvwxz2456789]{6,10}-[bcdfghjklmnpqrstvwxz2456789]{5}$/.exec(pod)
  if (rs) return rs[1]!
  const sts = /^(.*)-\d+$/.exec(pod)
  if (sts) return sts[1]!
  const ds = /^(.*)-[bcdfghjklmnpqrstvwxz2456789]{5}$/.exec(pod)
  if (ds) return ds[1]!
  return pod
}
