import { isEnforceable } from './baseline.js'
import { isInternetPeer } from './internet.js'
import type { Baseline, Flow, FlowEvidence, FlowProtocol, Peer, WorkloadIdentity } from './types.js'
import { edgeKey, peerKey } from './types.js'

/** What kind of deviation from the baseline a flow is. */
export type DeviationType =
  | 'new-edge' // two workloads that never talked
  | 'new-port' // known pair, new port or protocol
  | 'new-external-destination' // a workload reaches an FQDN / public CIDR it never reached
  | 'unknown-binary' // a process identity (binary hash) the baseline and inventory do not know
  | 'phi-internet-egress' // a PHI workload reaches the internet without a recorded exception
  | 'denied-edge' // an edge a reviewer denied is in use again

export interface Deviation {
  type: DeviationType
  severity: 'critical' | 'high' | 'medium' | 'low'
  /** The workload the alert is about (the side that opened the connection, or the callee for inbound from outside). */
  workload: string
  from: Peer
  to: Peer
  port: number
  protocol: FlowProtocol
  key: string
  message: string
  /** Mode of the workload: `alert` reports, `enforce` means the enforcer dropped it (or should have). */
  mode: string
  count: number
  firstSeen: number
  lastSeen: number
  evidence: FlowEvidence[]
  /** What to change: allow the edge (with the command) or keep it denied. */
  suggestion: string
}

const SEVERITY: Record<DeviationType, Deviation['severity']> = {
  'phi-internet-egress': 'critical',
  'unknown-binary': 'high',
  'denied-edge': 'high',
  'new-external-destination': 'high',
  'new-edge': 'medium',
  'new-port': 'medium',
}

function describe(p: Peer, identity: (id: string) => WorkloadIdentity | undefined): string {
  if (p.kind === 'identity') {
    const name = identity(p.id)?.name
    return name ? `${name} (${p.id})` : p.id
  }
  return p.kind === 'fqdn' ? p.fqdn : p.cidr
}


function exceptionCovers(b: Baseline, workload: string, to: Peer, port: number, protocol: FlowProtocol, now: number): boolean {
  for (const x of b.workloads[workload]?.exceptions ?? []) {
    if (x.expires && Date.parse(x.expires) < now) continue
    if (peerKey(x.to) !== peerKey(to)) continue
    if (x.port !== undefined && x.port !== port) continue
    if (x.protocol !== undefined && x.protocol !== protocol) continue
    return true
  }
  return false
}

export interface DeviationOptions {
  /** Identity ids known from the inventory or from CI fingerprints: processes outside it are unknown binaries. */
  knownIdentities?: Set<string>
  /** Identities the flows resolved to (the resolver's), to name and classify peers the baseline lacks. */
  identities?: Record<string, WorkloadIdentity>
  /** A live lookup of identities learned while the flows are read (a stream's new processes). */
  lookup?: (id: string) => WorkloadIdentity | undefined
}

/**
 * Detects deviations from a baseline, one flow at a time, grouped: the same deviation (type and
 * edge) seen again only raises its count and last-seen time, so an alert storm stays one alert.
 */
export class DeviationDetector {
  private readonly edges = new Map<string, Baseline['edges'][number]>()
  private readonly pairs = new Set<string>()
  private readonly external = new Set<string>()
  private readonly found = new Map<string, Deviation>()

  constructor(
    private readonly baseline: Baseline,
    private readonly opts: DeviationOptions = {},
  ) {
    for (const e of baseline.edges) {
      this.edges.set(e.key, e)
      this.pairs.add(`${peerKey(e.from)}|${peerKey(e.to)}`)
      if (isInternetPeer(e.to, baseline) && e.state !== 'denied') this.external.add(`${peerKey(e.from)}|${peerKey(e.to)}`)
    }
  }

  private identity(id: string): WorkloadIdentity | undefined {
    return this.baseline.identities[id] ?? this.opts.identities?.[id] ?? this.opts.lookup?.(id)
  }

  /** Judge one flow; returns the deviations it raised (new or repeated). */
  observe(f: Flow): Deviation[] {
    if (f.verdict === 'dropped') return [] // an enforcer already stopped it; it is counted by simulation, not alerted twice
    const key = edgeKey(f.from, f.to, f.port, f.protocol)
    const out: Deviation[] = []
    const lookup = (id: string) => this.identity(id)
    const fromId = f.from.kind === 'identity' ? f.from.id : undefined
    const toId = f.to.kind === 'identity' ? f.to.id : undefined
    const workload = fromId && isEnforceable(this.identity(fromId)) ? fromId : toId ?? peerKey(f.from)
    const mode = this.baseline.workloads[workload]?.mode ?? 'off'
    const edge = this.edges.get(key)
    const raise = (type: DeviationType, message: string, suggestion: string): void => {
      const dkey = `${type}|${key}`
      const d = this.found.get(dkey)
      if (d) {
        d.count++
        d.firstSeen = Math.min(d.firstSeen, f.firstSeen)
        d.lastSeen = Math.max(d.lastSeen, f.lastSeen)
        if (d.evidence.length < 3) d.evidence.push(f.evidence)
        out.push(d)
        return
      }
      const nd: Deviation = { type, severity: SEVERITY[type], workload, from: f.from, to: f.to, port: f.port, protocol: f.protocol, key, message, mode, count: 1, firstSeen: f.firstSeen, lastSeen: f.lastSeen, evidence: [f.evidence], suggestion }
      this.found.set(dkey, nd)
      out.push(nd)
    }
    const desc = `${describe(f.from, lookup)} → ${describe(f.to, lookup)} ${f.port}/${f.protocol}`
    const allowCmd = `phiwall flows review --baseline BASELINE --allow '${key}' --by YOU --reason WHY`
    // unknown binary: a process identity nobody has seen (its hash changed, or it was never deployed)
    for (const side of [f.from, f.to]) {
      if (side.kind !== 'identity') continue
      const i = this.identity(side.id)
      if (i?.kind !== 'process') continue
      if (this.baseline.identities[side.id] || this.opts.knownIdentities?.has(side.id)) continue
      raise('unknown-binary', `unknown binary ${i.process?.exePath ?? i.name} (sha256 ${i.process?.exeSha256.slice(0, 16) ?? '?'}…, uid ${i.process?.uid ?? '?'}) on ${i.process?.host ?? '?'}: ${desc}`, 'Verify the binary against the CI fingerprints; if it is a legitimate new build, relearn its flows; otherwise isolate the host.')
    }
    if (edge?.state === 'denied') {
      raise('denied-edge', `denied edge in use: ${desc} (denied by ${edge.review?.by ?? '?'}${edge.review?.reason ? `: ${edge.review.reason}` : ''})`, 'Enforce the workload so the enforcer drops it, or review the denial.')
      return out
    }
    const from = fromId ? this.identity(fromId) : undefined
    // a PHI workload reaching the internet without a recorded exception alerts even on an edge the
    // baseline learned or a reviewer allowed: generated policy withholds it, so it must not pass quietly
    if (isInternetPeer(f.to, this.baseline) && fromId && from?.holdsPhi === 'yes' && !exceptionCovers(this.baseline, fromId, f.to, f.port, f.protocol, f.lastSeen)) {
      raise('phi-internet-egress', `PHI workload ${describe(f.from, lookup)} reached the internet: ${describe(f.to, lookup)} ${f.port}/${f.protocol}${edge ? ' (an edge of the baseline, withheld from generated policy without an exception)' : ''}`, `Block it (enforce mode), or if it is required record an exception: phiwall flows exception --baseline BASELINE --workload '${fromId}' --to '${peerKey(f.to)}' --port ${f.port} --by YOU --reason WHY`)
      return out
    }
    if (edge) {
      if (edge.state === 'snoozed' && edge.review?.until && Date.parse(edge.review.until) < f.lastSeen) raise('new-edge', `snoozed edge seen after its snooze ended: ${desc}`, allowCmd)
      return out
    }
    if (isInternetPeer(f.to, this.baseline) && fromId) {
      if (!this.external.has(`${peerKey(f.from)}|${peerKey(f.to)}`)) {
        raise('new-external-destination', `new external destination: ${desc}`, allowCmd)
        return out
      }
    }
    if (this.pairs.has(`${peerKey(f.from)}|${peerKey(f.to)}`)) raise('new-port', `known peers on a new port: ${desc}`, allowCmd)
    else raise('new-edge', `new edge: ${desc}`, allowCmd)
    return out
  }

  /** All deviations so far, most severe first. */
  deviations(): Deviation[] {
    const rank = { critical: 0, high: 1, medium: 2, low: 3 }
    return [...this.found.values()].sort((a, b) => rank[a.severity] - rank[b.severity] || (a.key < b.key ? -1 : 1))
  }
}
