import ipaddr from 'ipaddr.js'
import type { Flow, FlowEvidence, Peer } from '../flows/index.js'
import { edgeKey, peerKey } from '../flows/index.js'
import type { PolicyRule, PolicySet, WorkloadPolicy } from './types.js'

/** One edge the candidate policy would stop, for one workload and direction. */
export interface SimulatedDrop {
  workload: string
  /** Which side's rules refused it. */
  direction: 'egress' | 'ingress'
  key: string
  from: Peer
  to: Peer
  port: number
  protocol: string
  count: number
  firstSeen: number
  lastSeen: number
  /** `drop` in enforce mode; `alert` in alert mode (logged, not dropped). */
  effect: 'drop' | 'alert'
  evidence: FlowEvidence[]
}

export interface SimulationResult {
  flows: number
  allowed: number
  /** Flows refused by at least one side in enforce mode. */
  dropped: number
  /** Flows refused only by alert-mode workloads. */
  alerted: number
  /** Flows between peers no policy covers. */
  uncovered: number
  byWorkload: { workload: string; mode: string; drops: SimulatedDrop[] }[]
}

function cidrContains(rule: string, peer: Peer): boolean {
  if (peer.kind !== 'cidr') return false
  try {
    const r = ipaddr.parseCIDR(rule)
    const p = ipaddr.parseCIDR(peer.cidr)
    return r[0].kind() === p[0].kind() && p[1] >= r[1] && p[0].match(r)
  } catch {
    return false
  }
}

/** Does a rule's peer admit this flow peer? Same identity / name / bucket, a wider CIDR, or a `*.` name pattern. */
export function peerMatches(rule: Peer, peer: Peer): boolean {
  if (peerKey(rule) === peerKey(peer)) return true
  if (rule.kind === 'cidr') return cidrContains(rule.cidr, peer)
  if (rule.kind === 'fqdn' && rule.fqdn.startsWith('*.') && peer.kind === 'fqdn') return peer.fqdn.endsWith(rule.fqdn.slice(1))
  return false
}

export function ruleAdmits(rule: PolicyRule, peer: Peer, port: number, protocol: string): boolean {
  if (rule.protocol !== protocol) return false
  if (port < rule.port || port > (rule.endPort ?? rule.port)) return false
  return peerMatches(rule.peer, peer)
}

/**
 * Replays recorded flows against a candidate policy and tells, per workload, what would have been
 * dropped (enforce) or alerted (alert) — the safe way to move a workload to enforce.
 */
export class PolicySimulator {
  private readonly byId: Map<string, WorkloadPolicy>
  private readonly drops = new Map<string, SimulatedDrop>()
  private readonly result: Omit<SimulationResult, 'byWorkload'> = { flows: 0, allowed: 0, dropped: 0, alerted: 0, uncovered: 0 }

  /**
   * `asEnforced`: judge every workload as if it were in enforce mode, so that a policy still in
   * alert mode shows what moving it to enforce would drop.
   */
  constructor(
    private readonly policy: PolicySet,
    private readonly options: { asEnforced?: boolean } = {},
  ) {
    this.byId = new Map(policy.workloads.map((w) => [w.identity.id, w]))
  }

  observe(f: Flow): void {
    this.result.flows++
    const src = f.from.kind === 'identity' ? this.byId.get(f.from.id) : undefined
    const dst = f.to.kind === 'identity' ? this.byId.get(f.to.id) : undefined
    if (!src && !dst) {
      this.result.uncovered++
      return
    }
    let enforcedRefusal = false
    let alertRefusal = false
    const refuse = (w: WorkloadPolicy, direction: 'egress' | 'ingress'): void => {
      const effect = w.mode === 'enforce' || this.options.asEnforced ? 'drop' : 'alert'
      if (effect === 'drop') enforcedRefusal = true
      else alertRefusal = true
      const key = `${w.identity.id}|${direction}|${edgeKey(f.from, f.to, f.port, f.protocol)}`
      const d = this.drops.get(key)
      if (d) {
        d.count++
        d.firstSeen = Math.min(d.firstSeen, f.firstSeen)
        d.lastSeen = Math.max(d.lastSeen, f.lastSeen)
        if (d.evidence.length < 3) d.evidence.push(f.evidence)
        return
      }
      this.drops.set(key, { workload: w.identity.id, direction, key: edgeKey(f.from, f.to, f.port, f.protocol), from: f.from, to: f.to, port: f.port, protocol: f.protocol, count: 1, firstSeen: f.firstSeen, lastSeen: f.lastSeen, effect, evidence: [f.evidence] })
    }
    if (src && !src.egress.some((r) => ruleAdmits(r, f.to, f.port, f.protocol))) refuse(src, 'egress')
    if (dst && !dst.ingress.some((r) => ruleAdmits(r, f.from, f.port, f.protocol))) refuse(dst, 'ingress')
    if (enforcedRefusal) this.result.dropped++
    else if (alertRefusal) this.result.alerted++
    else this.result.allowed++
  }

  done(): SimulationResult {
    const byWorkload = new Map<string, SimulatedDrop[]>()
    for (const d of this.drops.values()) (byWorkload.get(d.workload) ?? byWorkload.set(d.workload, []).get(d.workload)!).push(d)
    return {
      ...this.result,
      byWorkload: [...byWorkload.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([workload, drops]) => ({ workload, mode: this.byId.get(workload)?.mode ?? 'off', drops: drops.sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : 1)) })),
    }
  }
}
