/**
 * Sightings within one flush window, folded into records. Ephemeral ports do not identify
 * anything, so they are dropped from the key and reported as 0: outbound connections aggregate
 * by (process, local address, remote address and port, protocol), inbound ones by (process,
 * local address and port, remote address, protocol). Listeners aggregate by their address and
 * port and process. procfs and conntrack sightings stay apart (each record names one source).
 */
import type { AgentRecord } from '../flows/index.js'

export type RecordProcess = NonNullable<AgentRecord['process']>

export interface Sighting {
  kind: 'listen' | 'connection'
  protocol: 'tcp' | 'udp'
  direction?: 'outbound' | 'inbound'
  local: { ip: string; port: number }
  remote?: { ip: string; port: number }
  process?: RecordProcess
  source: 'procfs' | 'conntrack'
  /** Epoch ms. */
  at: number
}

interface Entry {
  record: WindowRecord
}

/** A record of the current window (host fields are added when it is drained). */
export type WindowRecord = Omit<AgentRecord, 'host' | 'hostAddresses'>

const processKeys = new WeakMap<RecordProcess, string>()

function processKey(p: RecordProcess | undefined): string {
  if (!p) return '-'
  let k = processKeys.get(p)
  if (k === undefined) {
    k = `${p.pid}/${p.exeSha256}/${p.uid}`
    processKeys.set(p, k)
  }
  return k
}

/** The aggregation key of a sighting (ephemeral ports left out). */
export function sightingKey(s: Sighting): string {
  if (s.kind === 'listen') return `L|${s.source}|${s.protocol}|${processKey(s.process)}|${s.local.ip}|${s.local.port}`
  return connectionKey(s.source, s.protocol, s.direction ?? 'outbound', s.local.ip, s.local.port, s.remote?.ip ?? '', s.remote?.port ?? 0, s.process)
}

function connectionKey(
  source: Sighting['source'],
  protocol: Sighting['protocol'],
  direction: 'outbound' | 'inbound',
  localIp: string,
  localPort: number,
  remoteIp: string,
  remotePort: number,
  process: RecordProcess | undefined,
): string {
  return direction === 'inbound'
    ? `I|${source}|${protocol}|${processKey(process)}|${localIp}|${localPort}|${remoteIp}`
    : `O|${source}|${protocol}|${processKey(process)}|${localIp}|${remoteIp}|${remotePort}`
}

export class Aggregator {
  /** Sightings not kept because the window already held `maxKeys` records. */
  dropped = 0
  private entries = new Map<string, Entry>()

  constructor(private readonly maxKeys = 100_000) {}

  get size(): number {
    return this.entries.size
  }

  add(s: Sighting): void {
    if (s.kind === 'connection') {
      this.connection(s.source, s.protocol, s.direction ?? 'outbound', s.local.ip, s.local.port, s.remote?.ip ?? '', s.remote?.port ?? 0, s.process, s.at)
      return
    }
    const key = sightingKey(s)
    if (this.seen(key, s.at)) return
    const record: WindowRecord = { schema: 'phiwall.agent/v1', kind: 'listen', protocol: s.protocol, local: { ip: s.local.ip, port: s.local.port }, source: s.source, firstSeen: s.at, lastSeen: s.at, count: 1 }
    if (s.process) record.process = { ...s.process }
    this.entries.set(key, { record })
  }

  /**
   * A connection sighting, without building a Sighting object (the hot path of conntrack events).
   * Returns the record it was counted in (for `again`), or undefined when it was dropped.
   */
  connection(
    source: Sighting['source'],
    protocol: Sighting['protocol'],
    direction: 'outbound' | 'inbound',
    localIp: string,
    localPort: number,
    remoteIp: string,
    remotePort: number,
    process: RecordProcess | undefined,
    at: number,
  ): WindowRecord | undefined {
    const key = connectionKey(source, protocol, direction, localIp, localPort, remoteIp, remotePort, process)
    const known = this.entries.get(key)
    if (known) {
      this.again(known.record, at)
      return known.record
    }
    if (this.entries.size >= this.maxKeys) {
      this.dropped++
      return undefined
    }
    const record: WindowRecord = {
      schema: 'phiwall.agent/v1',
      kind: 'connection',
      protocol,
      direction,
      local: { ip: localIp, port: direction === 'outbound' ? 0 : localPort },
      remote: { ip: remoteIp, port: direction === 'inbound' ? 0 : remotePort },
      source,
      firstSeen: at,
      lastSeen: at,
      count: 1,
    }
    if (process) record.process = { ...process }
    this.entries.set(key, { record })
    return record
  }

  /**
   * One more sighting of a record `connection` returned, in the same window (no key built): the
   * caller knows the sighting has the same key.
   */
  again(record: WindowRecord, at: number): void {
    if (at < record.firstSeen) record.firstSeen = at
    if (at > record.lastSeen) record.lastSeen = at
    record.count++
  }

  /** Count a sighting of a known key; false when the key is new and should be added (or was dropped). */
  private seen(key: string, at: number): boolean {
    const e = this.entries.get(key)
    if (e) {
      const r = e.record
      if (at < r.firstSeen) r.firstSeen = at
      if (at > r.lastSeen) r.lastSeen = at
      r.count++
      return true
    }
    if (this.entries.size >= this.maxKeys) {
      this.dropped++
      return true
    }
    return false
  }

  /** The window's records, and a fresh window. */
  drain(host: string, hostAddresses: string[]): AgentRecord[] {
    const out: AgentRecord[] = []
    for (const { record } of this.entries.values()) {
      out.push({
        schema: record.schema,
        kind: record.kind,
        host,
        hostAddresses: [...hostAddresses],
        protocol: record.protocol,
        ...(record.direction ? { direction: record.direction } : {}),
        local: record.local,
        ...(record.remote ? { remote: record.remote } : {}),
        ...(record.process ? { process: record.process } : {}),
        source: record.source,
        firstSeen: record.firstSeen,
        lastSeen: record.lastSeen,
        count: record.count,
      })
    }
    this.entries = new Map()
    return out
  }
}
