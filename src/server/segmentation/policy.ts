/**
 * The generated policy of the stored baseline, its digest and approvals, and simulation against
 * the recent flows kept by ingest.
 */
import { createHash } from 'node:crypto'
import { flowInventoryOf, type Baseline, type Flow } from '../../flows/index.js'
import type { Inventory } from '../../model/index.js'
import { PolicySimulator, canonicalJson, generatePolicy, type PolicyRule, type PolicySet, type SimulationResult } from '../../policy/index.js'
import type { Store } from '../../store/index.js'
import { loadBaseline } from './state.js'

/** An approval of a policy digest. */
export interface PolicyApproval {
  digest: string
  by: string
  at: string
  reason: string
}

/** The stored baseline with the inventory's identities (labels, PHI state) refined in, as `policy generate --manifests` does. */
export async function baselineWithInventory(store: Store, inventory: Inventory, now: Date): Promise<Baseline> {
  const { baseline } = await loadBaseline(store, now)
  for (const i of flowInventoryOf(inventory).identities) if (baseline.identities[i.id]) baseline.identities[i.id] = { ...baseline.identities[i.id]!, ...i }
  return baseline
}

/** Generates the current policy: the stored baseline and the inventory's Ingress routes, default cluster context. */
export function policyOf(baseline: Baseline, inventory: Inventory, now: Date): PolicySet {
  return generatePolicy(baseline, { ingressRouted: flowInventoryOf(inventory).ingressRouted, hosts: baseline.hosts ?? {}, apiCalls: baseline.apiCalls ?? {}, now })
}

function ruleForDigest(r: PolicyRule): Omit<PolicyRule, 'reason' | 'count' | 'lastSeen'> {
  const { reason: _reason, count: _count, lastSeen: _lastSeen, ...rest } = r
  return rest
}

/**
 * SHA-256 of the canonical JSON of what the policy enforces: each workload's identity and allow
 * rules (peer, ports, protocol, origin, approver), its withheld edges and the cluster context.
 * Left out: generation time, the baseline digest, modes (set per workload, audited on their own,
 * and `enforce` itself requires an approved digest) and each rule's counts, last-seen time and
 * prose reason — so traffic that only adds counts to known edges does not void an approval,
 * while any new, removed or changed rule does.
 */
export function policyDigest(set: PolicySet): string {
  const core = {
    schema: set.schema,
    cluster: set.cluster,
    workloads: set.workloads.map((w) => ({
      identity: w.identity,
      holdsPhi: w.holdsPhi,
      ingress: w.ingress.map(ruleForDigest),
      egress: w.egress.map(ruleForDigest),
      withheld: w.withheld.map((x) => ({ peer: x.peer, port: x.port, protocol: x.protocol })),
    })),
  }
  return createHash('sha256').update(canonicalJson(core)).digest('hex')
}

/** The approval of a digest, or null. */
export async function approvalOf(store: Store, digest: string): Promise<PolicyApproval | null> {
  const rows = await store.query<{ digest: string; approved_by: string; approved_at: Date | string; reason: string }>('SELECT digest, approved_by, approved_at, reason FROM policy_approvals WHERE digest = $1', [digest])
  const r = rows[0]
  return r ? { digest: r.digest, by: r.approved_by, at: new Date(r.approved_at).toISOString(), reason: r.reason } : null
}

/** The current policy, its digest and approval. */
export async function currentPolicy(store: Store, inventory: Inventory, now: Date): Promise<{ baseline: Baseline; policy: PolicySet; digest: string; approval: PolicyApproval | null }> {
  const baseline = await baselineWithInventory(store, inventory, now)
  const policy = policyOf(baseline, inventory, now)
  const digest = policyDigest(policy)
  return { baseline, policy, digest, approval: await approvalOf(store, digest) }
}

/** At most this many flow observations are replayed by one simulation. */
export const MAX_SIMULATED_FLOWS = 2_000_000

/**
 * Replays the stored recent flows (each stored group as many times as it was seen) against a
 * policy; `truncated` says the replay stopped at {@link MAX_SIMULATED_FLOWS}.
 */
export async function simulateRecent(store: Store, policy: PolicySet): Promise<{ result: SimulationResult; rows: number; truncated: boolean }> {
  const sim = new PolicySimulator(policy)
  const rows = await store.query<{ flow: Flow; count: number }>('SELECT flow, count FROM flow_recent ORDER BY id')
  let budget = MAX_SIMULATED_FLOWS
  let truncated = false
  for (const r of rows) {
    const n = Math.min(Number(r.count), budget)
    for (let i = 0; i < n; i++) sim.observe(r.flow)
    budget -= n
    if (budget <= 0) {
      truncated = true
      break
    }
  }
  return { result: sim.done(), rows: rows.length, truncated }
}
