import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { formatIpv6, parseProcNet, type ProcNetStats } from './procnet.js'
import { addressBytes, formatProcNet, kernelHex } from './test-support.js'

const here = path.dirname(fileURLToPath(import.meta.url))
const fixture = (name: string): Buffer => fs.readFileSync(path.join(here, 'testdata', name))
const stats = (): ProcNetStats => ({ lines: 0, skipped: 0, malformed: 0 })

describe('parseProcNet on tables captured from a real host', () => {
  // captured while a Node process listened on 127.0.0.1:18080 and [::]:18443, bound UDP
  // 0.0.0.0:15353, had connected a UDP socket to [::1]:15354, and held three TCP connections
  // after 300 short ones (whose client ends were in TIME_WAIT)
  it('tcp: listeners and established connections, the TIME_WAIT lines skipped', () => {
    const s = stats()
    const socks = parseProcNet(fixture('proc-net-tcp.txt'), 'tcp', 4, s, true)
    expect(s).toEqual({ lines: 618, skipped: 603, malformed: 0 })
    expect(socks.filter((x) => x.kind === 'listen').map((x) => `${x.localIp}:${x.localPort}`)).toEqual([
      '127.0.0.1:25672',
      '127.0.0.1:18080',
      '127.0.0.1:1883',
      '127.0.0.1:3306',
      '0.0.0.0:2024',
      '127.0.0.1:4222',
      '127.0.0.1:4369',
      '127.0.0.1:5432',
      '127.0.0.1:5672',
      '127.0.0.1:6379',
    ])
    const listen = socks.find((x) => x.localPort === 18080 && x.kind === 'listen')!
    expect(listen).toEqual({ protocol: 'tcp', kind: 'listen', state: 0x0a, localIp: '127.0.0.1', localPort: 18080, remoteIp: '0.0.0.0', remotePort: 0, inode: 20191, uid: 0 })
    const conns = socks.filter((x) => x.kind === 'connection')
    expect(conns).toHaveLength(5)
    expect(conns.find((x) => x.inode === 21819)).toMatchObject({ localIp: '127.0.0.1', localPort: 40404, remoteIp: '127.0.0.1', remotePort: 18080, state: 1 })
    expect(conns.find((x) => x.inode === 21820)).toMatchObject({ localIp: '127.0.0.1', localPort: 18080, remoteIp: '127.0.0.1', remotePort: 40404 })
    expect(conns.find((x) => x.inode === 6970)).toMatchObject({ localPort: 49042, remotePort: 4369, uid: 106 })
  })

  it('tcp6: IPv6 loopback, the dual-stack listener, and IPv4-mapped connections as IPv4', () => {
    const s = stats()
    const socks = parseProcNet(fixture('proc-net-tcp6.txt'), 'tcp', 6, s, true)
    expect(s.skipped).toBe(2)
    expect(socks.map((x) => [x.kind, `${x.localIp}:${x.localPort}`, `${x.remoteIp}:${x.remotePort}`, x.inode])).toEqual([
      ['listen', '::1:4369', ':::0', 5874],
      ['listen', '::1:6379', ':::0', 5052],
      ['listen', ':::18443', ':::0', 20192],
      ['connection', '::1:36580', '::1:18443', 21823],
      ['connection', '127.0.0.1:18443', '127.0.0.1:45486', 21822],
      ['connection', '::1:18443', '::1:36580', 21824],
    ])
  })

  it('udp and udp6: a bound socket is a listener, a connected one a connection; wide slot numbers', () => {
    expect(parseProcNet(fixture('proc-net-udp.txt'), 'udp', 4, undefined, true)).toEqual([
      { protocol: 'udp', kind: 'listen', state: 7, localIp: '0.0.0.0', localPort: 15353, remoteIp: '0.0.0.0', remotePort: 0, inode: 20193, uid: 0 },
    ])
    expect(parseProcNet(fixture('proc-net-udp6.txt'), 'udp', 6, undefined, true)).toEqual([
      { protocol: 'udp', kind: 'connection', state: 1, localIp: '::1', localPort: 52933, remoteIp: '::1', remotePort: 15354, inode: 20194, uid: 0 },
    ])
  })
})

describe('parseProcNet on crafted tables', () => {
  it('IPv6 global, IPv4-mapped, link-local, SYN states; CLOSE_WAIT, FIN_WAIT and TIME_WAIT skipped', () => {
    const s = stats()
    const socks = parseProcNet(fixture('proc-net-tcp6-crafted.txt'), 'tcp', 6, s, true)
    expect(s).toEqual({ lines: 48, skipped: 42, malformed: 0 })
    expect(socks.map((x) => [x.state, `${x.localIp}|${x.localPort}`, `${x.remoteIp}|${x.remotePort}`, x.uid, x.inode])).toEqual([
      [0x0a, '2001:db8::10|443', '::|0', 0, 41001],
      [0x01, '2001:db8::10|443', '2001:db8:0:1::99|51000', 33, 41002],
      [0x01, '10.0.0.5|5432', '10.0.0.9|41000', 112, 41003],
      [0x02, '10.0.0.5|47000', '10.0.0.20|443', 1000, 41004],
      [0x03, 'fe80::1:2ff:fe03:405|22', 'fe80::aa:1|60000', 0, 0],
      // slot 10234 is wider than the kernel's %4d
      [0x01, '::1|9000', '::1|40999', 1000, 41006],
    ])
  })

  it('a table of 400 TIME_WAIT lines: only the four reported sockets are decoded', () => {
    const s = stats()
    const socks = parseProcNet(fixture('proc-net-tcp-timewait.txt'), 'tcp', 4, s, true)
    expect(s).toEqual({ lines: 405, skipped: 401, malformed: 0 })
    expect(socks.map((x) => `${x.localIp}:${x.localPort}>${x.remoteIp}:${x.remotePort}/${x.state}`)).toEqual([
      '0.0.0.0:22>0.0.0.0:0/10',
      '10.0.0.5:22>203.0.113.7:55555/1',
      '10.0.0.5:39000>93.184.216.34:443/1',
      '10.0.0.5:22>198.51.100.4:40001/3',
    ])
  })

  it('udp: port-0 sockets are not bound and not reported', () => {
    const s = stats()
    const socks = parseProcNet(fixture('proc-net-udp-crafted.txt'), 'udp', 4, s, true)
    expect(socks.map((x) => [x.kind, `${x.localIp}:${x.localPort}`, `${x.remoteIp}:${x.remotePort}`])).toEqual([
      ['listen', '127.0.0.53:53', '0.0.0.0:0'],
      ['connection', '10.0.0.5:41234', '10.0.0.2:53'],
    ])
    expect(s.skipped).toBe(1)
  })

  it('big-endian kernels print words in network order', () => {
    const text = formatProcNet([{ localIp: '192.168.1.20', localPort: 8080, remoteIp: '0.0.0.0', remotePort: 0, state: 0x0a, uid: 0, inode: 7 }], 'tcp', 4, false)
    expect(text).toContain('C0A80114:1F90')
    expect(parseProcNet(Buffer.from(text), 'tcp', 4, undefined, false)[0]).toMatchObject({ localIp: '192.168.1.20', localPort: 8080 })
    // the same bytes read as little-endian are a different address: the byte order matters
    expect(parseProcNet(Buffer.from(text), 'tcp', 4, undefined, true)[0]).toMatchObject({ localIp: '20.1.168.192' })
  })

  it('counts lines without the kernel layout as malformed and goes on', () => {
    const good = formatProcNet([{ localIp: '10.1.2.3', localPort: 80, remoteIp: '0.0.0.0', remotePort: 0, state: 0x0a, uid: 0, inode: 99 }], 'tcp', 4)
    const lines = good.split('\n')
    const text = [lines[0], '   1: 0100007F:0050', 'garbage', '   2: 0100007G:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 5', lines[1], '   3: 0100007F:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000'].join('\n')
    const s = stats()
    const socks = parseProcNet(Buffer.from(text), 'tcp', 4, s)
    expect(socks.map((x) => x.inode)).toEqual([99])
    expect(s.malformed).toBe(4)
  })
})

describe('formatIpv6', () => {
  it('writes RFC 5952 text and IPv4-mapped addresses as IPv4', () => {
    const f = (ip: string): string => formatIpv6(addressBytes(ip, 6))
    expect(f('::')).toBe('::')
    expect(f('::1')).toBe('::1')
    expect(f('2001:db8:0:0:1:0:0:1')).toBe('2001:db8::1:0:0:1')
    expect(f('2001:db8:0:1:1:1:1:1')).toBe('2001:db8:0:1:1:1:1:1')
    expect(f('fe80:0:0:0:0:0:0:0')).toBe('fe80::')
    expect(f('::ffff:10.0.0.5')).toBe('10.0.0.5')
    // IPv4-compatible (deprecated) stays IPv6
    expect(formatIpv6(Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 10, 0, 0, 5]))).toBe('::a00:5')
  })

  it('kernelHex reverses each word on little-endian', () => {
    expect(kernelHex(addressBytes('::1', 6))).toBe('00000000000000000000000001000000')
    expect(kernelHex(addressBytes('127.0.0.1', 4))).toBe('0100007F')
  })
})
