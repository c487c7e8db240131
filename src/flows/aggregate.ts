import type { BaselineEdge, Flow, FlowEvidence, FlowProtocol, FlowSourceKind, Peer } from './types.js'
import { peerKey } from './types.js'

/** At most this many evidence samples are kept per edge: memory grows with edges, never with lines. */
export const MAX_SAMPLES = 3

/**
 * Aggregates observations into edges between identities, one per (from, to, port, protocol).
 * Memory is bounded by the number of distinct edges: an observation only updates counters, and
 * its evidence is built (lazily, through a callback) only while the edge has fewer than
 * `MAX_SAMPLES` samples.
 */
const PROTOCOL_INDEX: Record<FlowProtocol, number> = { tcp: 0, udp: 1, icmp: 2, icmpv6: 3, sctp: 4, other: 5 }

export class EdgeAggregator {
  private readonly map = new Map<string, BaselineEdge>()
  /**
   * The hot path's index: from key → to key → port·8 + protocol → edge. Looking up two short
   * strings the caller already holds and a number costs less than building and hashing the
   * edge's full key string on every line (a third of the VPC reader's time).
   */
  private readonly index = new Map<string, Map<string, Map<number, BaselineEdge>>>()

  /** Number of distinct edges. */
  get size(): number {
    return this.map.size
  }

  /**
   * Add one observation. `fromKey`/`toKey` are `peerKey(from)`/`peerKey(to)`, passed in so
   * hot sources can cache them per address instead of rebuilding strings per line.
   */
  observe(
    from: Peer,
    fromKey: string,
    to: Peer,
    toKey: string,
    port: number,
    protocol: FlowProtocol,
    bytes: number,
    packets: number,
    firstSeen: number,
    lastSeen: number,
    dropped: boolean,
    source: FlowSourceKind,
    evidence: () => FlowEvidence,
  ): void {
    let byTo = this.index.get(fromKey)
    if (byTo === undefined) this.index.set(fromKey, (byTo = new Map()))
    let byPort = byTo.get(toKey)
    if (byPort === undefined) byTo.set(toKey, (byPort = new Map()))
    const slot = port * 8 + PROTOCOL_INDEX[protocol]
    const e = byPort.get(slot)
    if (e === undefined) {
      const key = `${fromKey}|${toKey}|${port}/${protocol}`
      const edge: BaselineEdge = {
        key,
        from,
        to,
        port,
        protocol,
        count: 1,
        bytes,
        packets,
        firstSeen,
        lastSeen,
        sources: [source],
        origin: 'observed',
        state: 'observed',
        dropped: dropped ? 1 : 0,
        samples: [evidence()],
      }
      byPort.set(slot, edge)
      this.map.set(key, edge)
      return
    }
    e.count++
    e.bytes += bytes
    e.packets += packets
    if (firstSeen < e.firstSeen) e.firstSeen = firstSeen
    if (lastSeen > e.lastSeen) e.lastSeen = lastSeen
    if (dropped) e.dropped++
    if (e.sources[0] !== source && !e.sources.includes(source)) e.sources.push(source)
    if (e.samples.length < MAX_SAMPLES) e.samples.push(evidence())
  }

  /** Add a `Flow` as any source yields it. */
  add(f: Flow): void {
    this.observe(f.from, peerKey(f.from), f.to, peerKey(f.to), f.port, f.protocol, f.bytes, f.packets, f.firstSeen, f.lastSeen, f.verdict === 'dropped', f.evidence.source, () => f.evidence)
  }

  /** Merge edges learned elsewhere (another file, another batch). */
  merge(edges: Iterable<BaselineEdge>): void {
    for (const x of edges) {
      const e = this.map.get(x.key)
      if (!e) {
        const copy = { ...x, sources: [...x.sources], samples: x.samples.slice(0, MAX_SAMPLES) }
        this.map.set(x.key, copy)
        const fromKey = peerKey(x.from)
        const toKey = peerKey(x.to)
        let byTo = this.index.get(fromKey)
        if (byTo === undefined) this.index.set(fromKey, (byTo = new Map()))
        let byPort = byTo.get(toKey)
        if (byPort === undefined) byTo.set(toKey, (byPort = new Map()))
        byPort.set(x.port * 8 + PROTOCOL_INDEX[x.protocol], copy)
        continue
      }
      e.count += x.count
      e.bytes += x.bytes
      e.packets += x.packets
      e.dropped += x.dropped
      e.firstSeen = Math.min(e.firstSeen, x.firstSeen)
      e.lastSeen = Math.max(e.lastSeen, x.lastSeen)
      for (const s of x.sources) if (!e.sources.includes(s)) e.sources.push(s)
      for (const s of x.samples) if (e.samples.length < MAX_SAMPLES) e.samples.push(s)
    }
  }

  /** The edges, sorted by key (deterministic output). */
  edges(): BaselineEdge[] {
    return [...this.map.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  }
}
