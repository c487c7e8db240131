import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseConntrackLine } from './conntrack.js'
import { containerIdFromCgroup, parseCgroup, parsePasswd, parseStatCpu, parseStatStartTime, parseStatusUid, socketInode } from './procfiles.js'
import { parseProcNet, TCP_STATE, type ProcNetStats } from './procnet.js'
import { formatProcNet, type TableRow } from './test-support.js'

/** The canonical text of an address, computed by the WHATWG URL parser (an oracle independent of the agent's formatter). */
function oracle(ip: string): string {
  if (!ip.includes(':')) return ip
  const host = new URL(`http://[${ip}]/`).hostname.slice(1, -1)
  const m = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(host)
  if (!m) return host
  const hi = parseInt(m[1]!, 16)
  const lo = parseInt(m[2]!, 16)
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`
}

const port = fc.integer({ min: 0, max: 65535 })
const row = (ip: fc.Arbitrary<string>, wildcard: string): fc.Arbitrary<TableRow> =>
  fc.record({
    localIp: ip,
    localPort: port,
    remoteIp: fc.oneof(ip, fc.constant(wildcard)),
    remotePort: port,
    state: fc.integer({ min: 1, max: 12 }),
    uid: fc.integer({ min: 0, max: 2 ** 31 }),
    inode: fc.integer({ min: 0, max: 2 ** 32 }),
  })

describe('parsers never throw', () => {
  it('parseProcNet on arbitrary bytes and text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 600 }), fc.string({ maxLength: 600 }).map((s) => Buffer.from(s))), fc.constantFrom('tcp' as const, 'udp' as const), fc.constantFrom(4 as const, 6 as const), (buf, proto, fam) => {
        const s: ProcNetStats = { lines: 0, skipped: 0, malformed: 0 }
        const out = parseProcNet(buf, proto, fam, s)
        expect(out.length).toBeLessThanOrEqual(s.lines)
      }),
      { numRuns: 2000 },
    )
  })

  it('parseProcNet on real tables with bytes overwritten', () => {
    const table = Buffer.from(
      formatProcNet(
        [
          { localIp: '10.0.0.1', localPort: 22, remoteIp: '0.0.0.0', remotePort: 0, state: 10, uid: 0, inode: 5 },
          { localIp: '10.0.0.1', localPort: 22, remoteIp: '10.0.0.2', remotePort: 50000, state: 1, uid: 0, inode: 6 },
          { localIp: '10.0.0.1', localPort: 22, remoteIp: '10.0.0.3', remotePort: 50001, state: 6, uid: 0, inode: 0 },
        ],
        'tcp',
        4,
      ),
    )
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(table.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 12 }), (edits) => {
        const b = Buffer.from(table)
        for (const [at, v] of edits) b[at] = v
        const s: ProcNetStats = { lines: 0, skipped: 0, malformed: 0 }
        const out = parseProcNet(b, 'tcp', 4, s)
        expect(out.length + s.skipped + s.malformed).toBeLessThanOrEqual(s.lines)
        for (const x of out) {
          expect(x.localPort).toBeGreaterThanOrEqual(0)
          expect(x.localPort).toBeLessThanOrEqual(65535)
        }
      }),
      { numRuns: 3000 },
    )
  })

  it('the text parsers on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (s) => {
        parseConntrackLine(s)
        parseCgroup(s)
        containerIdFromCgroup(s)
        parseStatusUid(s)
        parseStatStartTime(s)
        parseStatCpu(s)
        parsePasswd(s)
        socketInode(s)
      }),
      { numRuns: 3000 },
    )
  })

  it('parseConntrackLine on lines built from conntrack tokens', () => {
    const token = fc.oneof(
      fc.constantFrom('[NEW]', '[UPDATE]', '[DESTROY]', '[UNREPLIED]', '[ASSURED]', 'tcp', 'udp', 'icmp', '6', '17', '120', 'SYN_SENT', 'ipv4', 'ipv6', '2'),
      fc.tuple(fc.constantFrom('src', 'dst', 'sport', 'dport', 'zone', 'mark'), fc.oneof(fc.ipV4(), fc.ipV6(), fc.nat(70000).map(String), fc.string({ maxLength: 5 }))).map(([k, v]) => `${k}=${v}`),
      fc.string({ maxLength: 6 }),
    )
    fc.assert(
      fc.property(fc.array(token, { maxLength: 16 }), (tokens) => {
        const r = parseConntrackLine(tokens.join(' '))
        if (r.type === 'event') {
          expect(['tcp', 'udp']).toContain(r.event.protocol)
          expect(r.event.sport).toBeLessThanOrEqual(65535)
          expect(r.event.dport).toBeLessThanOrEqual(65535)
        }
      }),
      { numRuns: 3000 },
    )
  })
})

describe('parseProcNet round-trips generated socket tables', () => {
  // IPv6 tables: any IPv6 text form, and IPv4-mapped addresses (IPv4 on a dual-stack socket)
  const v6 = fc.oneof(fc.ipV6(), fc.ipV4().map((a) => `::ffff:${a}`))
  const cases = [
    ['tcp', 4, fc.ipV4()],
    ['tcp', 6, v6],
    ['udp', 4, fc.ipV4()],
    ['udp', 6, v6],
  ] as const
  for (const [proto, fam, ip] of cases) {
    it(`${proto}${fam === 6 ? '6' : ''}`, () => {
      fc.assert(
        fc.property(fc.array(row(ip, fam === 4 ? '0.0.0.0' : '::'), { maxLength: 40 }), fc.boolean(), (rows, littleEndian) => {
          const text = formatProcNet(rows, proto, fam, littleEndian)
          const s: ProcNetStats = { lines: 0, skipped: 0, malformed: 0 }
          const got = parseProcNet(Buffer.from(text), proto, fam, s, littleEndian)
          const expected = rows
            .filter((r) =>
              proto === 'tcp'
                ? [TCP_STATE.LISTEN, TCP_STATE.ESTABLISHED, TCP_STATE.SYN_SENT, TCP_STATE.SYN_RECV].includes(r.state as 1)
                : (r.state === TCP_STATE.CLOSE || r.state === TCP_STATE.ESTABLISHED) && r.localPort !== 0,
            )
            .map((r) => {
              const remoteIp = oracle(r.remoteIp)
              const listen = proto === 'tcp' ? r.state === TCP_STATE.LISTEN : r.remotePort === 0 && (remoteIp === '0.0.0.0' || remoteIp === '::')
              return { protocol: proto, kind: listen ? 'listen' : 'connection', state: r.state, localIp: oracle(r.localIp), localPort: r.localPort, remoteIp, remotePort: r.remotePort, inode: r.inode, uid: r.uid }
            })
          expect(got).toEqual(expected)
          expect(s.malformed).toBe(0)
          expect(s.lines).toBe(rows.length)
        }),
        { numRuns: 500 },
      )
    })
  }
})
