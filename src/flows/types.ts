/**
 * The shapes every flow source, the baseline, the policy generator and the exporters share.
 * Policies and baselines speak workload identities, never IP addresses: an address is resolved
 * to an identity at ingest and kept only as evidence (design.md, "Workload identity").
 */

/** What kind of thing an identity names. */
export type IdentityKind =
  | 'k8s-workload' // pods of a Deployment / StatefulSet / DaemonSet / Job / CronJob / bare Pod, by their labels
  | 'function' // an AWS Lambda function
  | 'vm' // an EC2 instance or other VM, as a whole (VPC flow logs cannot see processes)
  | 'process' // a process on a host: binary SHA-256 + path (+ container, user)
  | 'aws-service' // an AWS-managed endpoint (RDS instance, load balancer, VPC endpoint, NAT gateway)
  | 'k8s-entity' // a Cilium reserved entity: kube-apiserver, host, remote-node, health, world

/**
 * What a workload *is*. `id` is stable across restarts, rescheduling and IP changes, so that
 * baselines learned on Monday still apply on Friday:
 * - `k8s:<namespace>/<workload name>` (the owning Deployment etc., from the inventory or the
 *   pod labels `app.kubernetes.io/name` / `app` / `k8s-app`),
 * - `aws:lambda:<function name>`, `aws:ec2:<instance id or inventory name>`,
 * - `host:<host>:proc:<exe sha256 first 16 hex>:<exe path>[:uid=<uid>]`,
 * - `entity:<name>` for Cilium reserved entities.
 */
export interface WorkloadIdentity {
  id: string
  kind: IdentityKind
  /** Short human name: workload, function, binary basename. */
  name: string
  namespace?: string
  /** Pod labels that select this workload (Kubernetes); exporters build selectors from them. */
  labels?: Record<string, string>
  /** The inventory resource this identity resolved to, when it did. */
  resourceId?: string
  environment?: 'prod' | 'staging' | 'dev' | 'test' | 'unknown'
  holdsPhi?: 'yes' | 'no' | 'unknown'
  /** Process identities: what the agent saw. */
  process?: {
    host: string
    exePath: string
    exeSha256: string
    uid?: number
    user?: string
    /** cgroup v2 path (`/system.slice/api.service`) or v1 name=systemd path; exporters match on it. */
    cgroup?: string
    containerId?: string
  }
  /** Security groups of an AWS identity (VPC flow log peers), for the aws-sg exporter. */
  securityGroups?: string[]
}

/**
 * One end of a flow or an edge. Exactly one of identity / fqdn / cidr is the peer:
 * - `identity`: a known workload,
 * - `fqdn`: an external name learned from DNS observations (Hubble DNS, agent resolv data),
 * - `cidr`: an address nobody could name, bucketed (`/24` for IPv4, `/64` for IPv6 outside
 *   private ranges; the exact /32 stays only in evidence).
 */
export type Peer =
  | { kind: 'identity'; id: string }
  | { kind: 'fqdn'; fqdn: string }
  | { kind: 'cidr'; cidr: string; /** private (RFC 1918 / ULA), public internet, or link-local / loopback. */ scope: 'private' | 'public' | 'local' }

export type FlowProtocol = 'tcp' | 'udp' | 'icmp' | 'icmpv6' | 'sctp' | 'other'

/** Where flows come from; `cloudtrail` gives AWS API calls, not network edges. */
export type FlowSourceKind = 'vpc' | 'hubble' | 'agent' | 'cloudtrail'

/** Where an observation came from: enough to find it again, never a payload. */
export interface FlowEvidence {
  source: FlowSourceKind
  file?: string
  line?: number
  /** The raw addresses as observed (`10.0.1.17:43122 → 10.0.2.9:5432`), kept only as evidence. */
  addresses?: string
  /** ENI, node, interface or host that reported it. */
  observer?: string
}

/**
 * One observed conversation, the shape every source yields. `port` is the server's port (the
 * destination of the connection, never an ephemeral client port); reply packets are folded
 * into the connection they answer, so `from` is always the side that opened it.
 */
export interface Flow {
  from: Peer
  to: Peer
  port: number
  protocol: FlowProtocol
  /** Seen leaving `from` (egress) or arriving at `to` (ingress); both views make one edge. */
  direction: 'egress' | 'ingress'
  bytes: number
  packets: number
  verdict: 'forwarded' | 'dropped' | 'unknown'
  /** Epoch milliseconds. */
  firstSeen: number
  lastSeen: number
  evidence: FlowEvidence
}

/** An edge of the baseline's review lifecycle (Araali's link states). */
export type EdgeState = 'observed' | 'allowed' | 'snoozed' | 'denied'

/** One (from, to, port, protocol) edge learned from flows, declared by IaC, or both. */
export interface BaselineEdge {
  /** `from|to|port/protocol` with peers written by `peerKey`. */
  key: string
  from: Peer
  to: Peer
  port: number
  protocol: FlowProtocol
  /** Number of flow records aggregated. */
  count: number
  bytes: number
  packets: number
  firstSeen: number
  lastSeen: number
  sources: FlowSourceKind[]
  /** Observed in flows, declared in IaC (an inventory edge), or both. */
  origin: 'observed' | 'declared' | 'both'
  /** Why a declared edge exists (inventory edge evidence). */
  declaredBy?: string
  state: EdgeState
  review?: { by: string; at: string; reason?: string; until?: string }
  /** Flows the sources reported as dropped by an existing enforcer. */
  dropped: number
  /** A few evidence samples (first seen), bounded. */
  samples: FlowEvidence[]
}

/** Enforcement per workload, as Otterize and Cilium's audit mode do. */
export type EnforcementMode = 'off' | 'learn' | 'alert' | 'enforce'

export interface WorkloadSettings {
  mode: EnforcementMode
  /** Learning window in days of observed time (default 7). */
  learningDays?: number
  /** Explicit internet-egress exceptions for PHI workloads: who allowed what and why. */
  exceptions?: EgressException[]
  /** First and last time the workload was seen in flows (epoch ms): the learning window runs from `firstSeen`. */
  firstSeen?: number
  lastSeen?: number
  /** Who set the mode, and when. */
  changedBy?: string
  changedAt?: string
}

export interface EgressException {
  to: Peer
  port?: number
  protocol?: FlowProtocol
  by: string
  reason: string
  at: string
  expires?: string
}

/** The learned baseline: `phiwall flows ingest --out baseline.json`. */
export interface Baseline {
  schema: 'phiwall.baseline/v1'
  generatedAt: string
  /** Observed time span of the flows that built it (epoch ms). */
  observed: { from: number; to: number }
  /** Default learning window in days. */
  learningDays: number
  /** New edges count only after this grace period (ms) without review. */
  graceMs: number
  identities: Record<string, WorkloadIdentity>
  edges: BaselineEdge[]
  workloads: Record<string, WorkloadSettings>
  /** DNS observations: name → addresses (for FQDN rules and resolving external peers). */
  dns: Record<string, string[]>
  /** AWS API calls observed per workload id (CloudTrail): the IAM exporter's input. */
  apiCalls?: Record<string, ObservedApiCall[]>
  /** Hosts the agent runs on and their addresses (for enforcers that match addresses, such as nftables). */
  hosts?: Record<string, string[]>
  /**
   * The address book the flows were resolved with: address-book files and the addresses the
   * inventory knows (an ENI or address → a workload id or name). Resolution data, like `hosts`,
   * never an edge: kept so that replaying flows later (`policy simulate`) resolves them the same way.
   */
  addresses?: { ip?: string; eni?: string; workload: string }[]
  /** What ingest saw, per source file. */
  ingest: IngestStats[]
}

export interface IngestStats {
  file: string
  format: FlowSourceKind
  lines: number
  flows: number
  /**
   * Records read but not counted as flows, on purpose: NODATA / SKIPDATA, a second view of a
   * connection already counted (Hubble observation points, an inbound record the client's own
   * agent reports), listen records, non-IP, events of no workload (CloudTrail). Folded replies
   * whose request was not seen count as flows.
   */
  skipped: number
  malformed: number
  /** First malformed lines (at most 20): line number and why, never the line's content. */
  malformedSamples: { line: number; reason: string }[]
  unresolved: number
}

/** Write a peer as a stable key. */
export function peerKey(p: Peer): string {
  switch (p.kind) {
    case 'identity':
      return p.id
    case 'fqdn':
      return `fqdn:${p.fqdn}`
    case 'cidr':
      return `cidr:${p.cidr}`
  }
}

/** The key of an edge: `from|to|port/protocol`. */
export function edgeKey(from: Peer, to: Peer, port: number, protocol: FlowProtocol): string {
  return `${peerKey(from)}|${peerKey(to)}|${port}/${protocol}`
}

/**
 * One line of the agent's NDJSON (`phiwall agent --out FILE.ndjson`), and one element of the
 * batches it posts to a server. A `connection` is a socket seen open (procfs) or a conntrack
 * event; a `listen` says which process serves a port on this host, so that another host's
 * outbound connection to it resolves to that process's identity.
 */
export interface AgentRecord {
  schema: 'phiwall.agent/v1'
  kind: 'connection' | 'listen'
  host: string
  /** The host's own addresses (all interfaces but loopback), so peers can be joined across hosts. */
  hostAddresses: string[]
  protocol: 'tcp' | 'udp'
  /** For connections: this host opened it (outbound) or accepted it (inbound). */
  direction?: 'outbound' | 'inbound'
  local: { ip: string; port: number }
  remote?: { ip: string; port: number }
  /** The process that owns the socket; absent when the socket could not be mapped (another user's, short-lived). */
  process?: {
    pid: number
    exePath: string
    exeSha256: string
    uid: number
    user?: string
    cgroup?: string
    containerId?: string
  }
  /** `procfs` poll or `conntrack` event. */
  source: 'procfs' | 'conntrack'
  /** Epoch ms of first and last sighting in this batch window, and how many sightings. */
  firstSeen: number
  lastSeen: number
  count: number
}

/** What the agent posts to a server: an idempotent batch (a retried batch id is not counted twice). */
export interface AgentBatch {
  schema: 'phiwall.agent-batch/v1'
  batchId: string
  host: string
  sentAt: string
  records: AgentRecord[]
}

/** One AWS API call a workload made, aggregated: `dynamodb:PutItem` on a table ARN. */
export interface ObservedApiCall {
  /** IAM service prefix: `dynamodb`, `s3`, `kms`. */
  service: string
  /** API action as IAM names it: `PutItem`. */
  action: string
  /** Resource ARNs the call touched (`*` when the service does not scope by resource). */
  resources: string[]
  count: number
  lastSeen: number
  /**
   * The calling Lambda function's ARN as the source shows it (CloudTrail: the execution-role
   * session's region, account and function name), so exporters can scope what CloudTrail does not
   * show (the function's own log group) even when the inventory has no ARN.
   */
  functionArn?: string
}
