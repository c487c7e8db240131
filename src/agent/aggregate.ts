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
  record: Omit<AgentRecord, 'host' | 'hostAddresses'>
}

function processKey(p: RecordProcess | undefined): string {
  return p ? `${p.pid}/${p.exeSha256}/${p.uid}` : '-'
}

/** The aggregation key of a sighting (ephemeral ports left out). */
export function sightingKey(s: Sighting): string {
  const proc = processKey(s.process)
  if (s.kind === 'listen') return `L|${s.source}|${s.protocol}|${proc}|${s.local.ip}|${s.local.port}`
  if (s.direction === 'inbound') return `I|${s.source}|${s.protocol}|${proc}|${s.local.ip}|${s.local.port}|${s.remote?.ip ?? ''}`
  return `O|${s.source}|${s.protocol}|${proc}|${s.local.ip}|${s.remote?.ip ?? ''}|${s.remote?.port ?? 0}`
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
    const key = sightingKey(s)
    const e = this.entries.get(key)
    if (e) {
      const r = e.record
      if (s.at < r.firstSeen) r.firstSeen = s.at
      if (s.at > r.lastSeen) r.lastSeen = s.at
      r.count++
      return
    }
    if (this.entries.size >= this.maxKeys) {
      this.dropped++
      return
    }
    const record: Entry['record'] = {
      schema: 'phiwall.agent/v1',
      kind: s.kind,
      protocol: s.protocol,
      local: { ip: s.local.ip, port: s.kind === 'connection' && s.direction === 'outbound' ? 0 : s.local.port },
      source: s.source,
      firstSeen: s.at,
      lastSeen: s.at,
      count: 1,
    }
    if (s.kind === 'connection') {
      record.direction = s.direction ?? 'outbound'
      if (s.remote) record.remote = { ip: s.remote.ip, port: s.direction === 'inbound' ? 0 : s.remote.port }
    }
    if (s.process) record.process = { ...s.process }
    this.entries.set(key, { record })
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
