import { describe, expect, it } from 'vitest'
import { Aggregator, type RecordProcess, type Sighting } from './aggregate.js'

const api: RecordProcess = { pid: 812, exePath: '/usr/bin/api', exeSha256: 'a'.repeat(64), uid: 33, user: 'www-data', cgroup: '/system.slice/api.service' }
const out = (localPort: number, at: number, remoteIp = '10.0.2.9'): Sighting => ({
  kind: 'connection',
  protocol: 'tcp',
  direction: 'outbound',
  local: { ip: '10.0.1.17', port: localPort },
  remote: { ip: remoteIp, port: 5432 },
  process: api,
  source: 'procfs',
  at,
})

describe('Aggregator', () => {
  it('outbound connections fold by process and remote address, the ephemeral local port reported as 0', () => {
    const a = new Aggregator()
    a.add(out(43122, 1000))
    a.add(out(43123, 3000))
    a.add(out(43124, 2000))
    a.add(out(43125, 2500, '10.0.2.10'))
    const records = a.drain('db-client-1', ['10.0.1.17'])
    expect(records).toEqual([
      {
        schema: 'phiwall.agent/v1',
        kind: 'connection',
        host: 'db-client-1',
        hostAddresses: ['10.0.1.17'],
        protocol: 'tcp',
        direction: 'outbound',
        local: { ip: '10.0.1.17', port: 0 },
        remote: { ip: '10.0.2.9', port: 5432 },
        process: api,
        source: 'procfs',
        firstSeen: 1000,
        lastSeen: 3000,
        count: 3,
      },
      expect.objectContaining({ remote: { ip: '10.0.2.10', port: 5432 }, count: 1 }),
    ])
    expect(a.drain('db-client-1', [])).toEqual([])
  })

  it('inbound connections fold by process, local port and remote address, the remote port reported as 0', () => {
    const a = new Aggregator()
    const inbound = (remotePort: number, remoteIp: string): Sighting => ({
      kind: 'connection',
      protocol: 'tcp',
      direction: 'inbound',
      local: { ip: '10.0.2.9', port: 5432 },
      remote: { ip: remoteIp, port: remotePort },
      source: 'procfs',
      at: 5,
    })
    a.add(inbound(40000, '10.0.1.17'))
    a.add(inbound(40001, '10.0.1.17'))
    a.add(inbound(40002, '10.0.1.18'))
    const r = a.drain('db', [])
    expect(r.map((x) => [x.local.port, x.remote, x.count, 'process' in x])).toEqual([
      [5432, { ip: '10.0.1.17', port: 0 }, 2, false],
      [5432, { ip: '10.0.1.18', port: 0 }, 1, false],
    ])
  })

  it('listeners, sources and processes stay apart', () => {
    const a = new Aggregator()
    const listen: Sighting = { kind: 'listen', protocol: 'tcp', local: { ip: '0.0.0.0', port: 443 }, process: api, source: 'procfs', at: 1 }
    a.add(listen)
    a.add({ ...listen, at: 2 })
    a.add({ ...listen, process: { ...api, pid: 813 } })
    a.add({ ...out(1, 1), source: 'conntrack' })
    a.add(out(1, 1))
    a.add({ ...listen, protocol: 'udp' })
    const r = a.drain('h', [])
    expect(r.map((x) => `${x.kind}/${x.protocol}/${x.source}/${x.process?.pid ?? '-'}/${x.count}`)).toEqual([
      'listen/tcp/procfs/812/2',
      'listen/tcp/procfs/813/1',
      'connection/tcp/conntrack/812/1',
      'connection/tcp/procfs/812/1',
      'listen/udp/procfs/812/1',
    ])
    expect(r[0]).not.toHaveProperty('direction')
    expect(r[0]).not.toHaveProperty('remote')
  })

  it('bounds the window and counts what it drops', () => {
    const a = new Aggregator(3)
    for (let i = 0; i < 5; i++) a.add(out(1, 1, `10.9.0.${i}`))
    a.add(out(2, 2, '10.9.0.0'))
    expect(a.size).toBe(3)
    expect(a.dropped).toBe(2)
    expect(a.drain('h', []).map((r) => r.count)).toEqual([2, 1, 1])
  })
})
