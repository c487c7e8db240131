import type { EnforcementMode, FlowProtocol, ObservedApiCall, Peer, WorkloadIdentity } from '../flows/index.js'

/**
 * Why a rule exists. `observed` / `declared` / `both` come from the baseline; `infrastructure`
 * is an explicit allowance real clusters need (DNS, kube-apiserver, metrics scraping, health
 * checks), named as such; `precanned` is a building-block policy a user applied; `exception` an
 * internet-egress exception for a PHI workload recorded with who and why.
 */
export type RuleOrigin = 'observed' | 'declared' | 'both' | 'infrastructure' | 'precanned' | 'exception'

/** Named infrastructure allowances, so none is ever silently broad. */
export type InfrastructureAllowance = 'dns' | 'kube-apiserver' | 'metrics-scrape' | 'health-check' | 'ingress-controller' | 'aws-endpoint' | 'observability-agent'

/** One allow rule: traffic between the workload and `peer` on `port`/`protocol`. */
export interface PolicyRule {
  peer: Peer
  /** The destination port: for egress the peer's port, for ingress the workload's own (pod target) port. */
  port: number
  /** Last port of a range (inclusive), for pre-canned rules such as ephemeral ranges; absent for one port. */
  endPort?: number
  protocol: FlowProtocol
  origin: RuleOrigin
  infrastructure?: InfrastructureAllowance
  /** Human-readable reason: the baseline edge key, the IaC evidence, the exception's reason. */
  reason: string
  /** Observation counts behind an observed rule. */
  count?: number
  lastSeen?: number
  /** For `exception`: who allowed it and when. */
  approvedBy?: string
}

/** The allow-list of one workload: what may reach it and what it may reach. Everything else is denied. */
export interface WorkloadPolicy {
  identity: WorkloadIdentity
  mode: EnforcementMode
  holdsPhi: 'yes' | 'no' | 'unknown'
  ingress: PolicyRule[]
  egress: PolicyRule[]
  /** Edges deliberately left out (PHI internet egress without exception, denied edges), with why. */
  withheld: { peer: Peer; port: number; protocol: FlowProtocol; reason: string }[]
}

/** A versioned identity-based policy set (design.md "Policy"). */
export interface PolicySet {
  schema: 'phiwall.policy/v1'
  version: number
  generatedAt: string
  /** The baseline digest (sha256 of its canonical JSON) the policy was generated from. */
  baselineDigest: string
  /** Cluster facts exporters need: resolver address, API server, ingress controller, scrapers. */
  cluster: ClusterContext
  workloads: WorkloadPolicy[]
  identities: Record<string, WorkloadIdentity>
  /** FQDN → addresses learned from DNS, for exporters that cannot match names (nftables, SGs). */
  dns: Record<string, string[]>
  /** Host name → its addresses (agent `hostAddresses`), so process peers on other hosts become addresses for nftables. */
  hosts: Record<string, string[]>
  /** The baseline's address book (ENI or address → workload), so `policy simulate` resolves flows without the baseline. */
  addresses?: { ip?: string; eni?: string; workload: string }[]
  /**
   * AWS API calls observed per workload id (from sources that record them, such as CloudTrail):
   * the IAM exporter turns them into least-privilege statements.
   */
  apiCalls: Record<string, ObservedApiCall[]>
}

/** What exporters need to know about the platform to add explicit infrastructure allowances. */
export interface ClusterContext {
  /** Cluster DNS: namespace + pod labels of the resolver, and its Service address where known. */
  dns: { namespace: string; labels: Record<string, string>; addresses: string[] }
  /** kube-apiserver addresses (NetworkPolicy needs CIDRs; Cilium uses the `kube-apiserver` entity). */
  apiServer: { addresses: string[]; port: number }
  /** Metrics scraper (Prometheus): namespace + labels; ports scraped per workload come from annotations. */
  metrics?: { namespace: string; labels: Record<string, string> }
  /** Ingress controller: namespace + labels. */
  ingressController?: { namespace: string; labels: Record<string, string> }
  /** Load-balancer health-check source ranges (AWS NLB/ALB: the VPC CIDR; GCP: 35.191.0.0/16, 130.211.0.0/22). */
  healthCheckCidrs: string[]
  /** The host resolver for VMs / Linux hosts (`/etc/resolv.conf` nameservers). */
  hostResolvers: string[]
}

/** The enforcers PhiWall exports to. */
export type ExportFormat = 'networkpolicy' | 'cilium' | 'nftables' | 'aws-sg' | 'iam'

/** One exported file. */
export interface ExportedFile {
  /** Relative path in the output directory (`clinic/intake-api.networkpolicy.yaml`). */
  path: string
  content: string
  /** Workload ids it covers. */
  workloads: string[]
}

/** What an exporter returns: files plus notes on what it could not express (never silently dropped). */
export interface ExportResult {
  format: ExportFormat
  files: ExportedFile[]
  /** Rules an enforcer cannot express (e.g. FQDN in a NetworkPolicy), each with the workload and why. */
  notes: { workload: string; message: string }[]
}

export type { EnforcementMode, FlowProtocol, ObservedApiCall, Peer, WorkloadIdentity }
