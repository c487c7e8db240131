import { describe, expect, it } from 'vitest'
import { cidrBucket, IdentityResolver, peerKey, type BaselineEdge, type ResolverOptions } from '../../flows/index.js'
import { looksLikeVpcFlowLog, MAX_LINE_BYTES, readVpcFlowLog } from './index.js'
import { chunks, fixture, read, summary } from './test-support.js'

/** The key of an address nobody could name (whatever bucket the resolver gives it). */
const c = (ip: string): string => peerKey(cidrBucket(ip))
/** Edges sorted by key, as the aggregator returns them. */
const sorted = <T extends { key: string }>(xs: T[]): T[] => [...xs].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
const keys = (edges: BaselineEdge[]): string[] => edges.map((e) => e.key)

const AWS_ENI = 'eni-1235b8ca123456789'
const INTAKE_ENI = 'eni-0a1b2c3d4e5f60001'
/** The NAT gateway example: the instance's ENI (and its address) is `intake`, the gateway's ENI `nat-gw`. */
const NAT_BOOK: ResolverOptions = {
  addresses: [
    { eni: 'eni-1111aaaa2222bbbb3', ip: '10.0.1.5', workload: 'intake' },
    { eni: 'eni-0f00ba11c0ffee001', workload: 'nat-gw' },
  ],
}

describe('default format (version 2), the AWS documentation examples', () => {
  it('reads ACCEPT and REJECT records into edges with the server port, and skips NODATA / SKIPDATA', async () => {
    const r = await read(fixture('default-v2.log'), { file: 'default-v2.log' })
    expect(r.stats).toEqual({ file: 'default-v2.log', format: 'vpc', lines: 5, flows: 2, skipped: 2, malformed: 0, malformedSamples: [], unresolved: 2 })
    expect(r.edges.map(summary)).toEqual(
      sorted([
        { key: `${c('172.31.16.139')}|${c('172.31.16.21')}|22/tcp`, count: 1, bytes: 4249, packets: 20, dropped: 0, firstSeen: 1418530010000, lastSeen: 1418530070000 },
        { key: `${c('172.31.9.69')}|${c('172.31.9.12')}|3389/tcp`, count: 1, bytes: 4249, packets: 20, dropped: 1, firstSeen: 1418530010000, lastSeen: 1418530070000 },
      ]),
    )
    expect(r.edges.find((e) => e.port === 22)!.samples).toEqual([{ source: 'vpc', file: 'default-v2.log', line: 2, addresses: '172.31.16.139:20641 → 172.31.16.21:22', observer: AWS_ENI }])
    expect(r.headers).toBe(1)
  })

  it('gives each flow its verdict and protocol, and a Flow only when onFlow is set', async () => {
    const r = await read(fixture('default-v2.log'), { onFlow: true })
    expect(r.flows.map((f) => [f.protocol, f.port, f.verdict, f.bytes, f.packets, f.firstSeen, f.lastSeen])).toEqual([
      ['tcp', 22, 'forwarded', 4249, 20, 1418530010000, 1418530070000],
      ['tcp', 3389, 'dropped', 4249, 20, 1418530010000, 1418530070000],
    ])
    const silent = await read(fixture('default-v2.log'))
    expect(silent.flows).toEqual([])
    expect(silent.edges.map(summary)).toEqual(r.edges.map(summary))
  })

  it('reads header-less records (CloudWatch Logs exports) as the default format', async () => {
    const r = await read(fixture('cloudwatch-export.log'))
    expect(r.stats).toMatchObject({ lines: 6, flows: 5, skipped: 1, malformed: 0 })
    expect(r.headers).toBe(0)
    expect(keys(r.edges)).toEqual([`${c('10.0.1.17')}|${c('10.0.2.9')}|5432/tcp`, `${c('10.0.3.50')}|${c('10.0.1.17')}|443/tcp`, `${c('198.51.100.7')}|${c('10.0.1.17')}|22/tcp`].sort())
  })

  it('maps IANA protocol numbers, and gives protocols without ports port 0', async () => {
    const header = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status'
    const rec = (proto: number | '-', sp: number, dp: number) => `2 123456789010 ${AWS_ENI} 10.0.0.1 10.0.0.2 ${sp} ${dp} ${proto} 1 100 1700000000 1700000060 ACCEPT OK`
    const r = await read([header, rec(6, 40000, 443), rec(17, 40001, 53), rec(1, 0, 0), rec(58, 8, 0), rec(132, 40002, 3868), rec(47, 0, 0), rec('-', 5, 6)].join('\n'))
    expect(r.edges.map((e) => [`${e.port}/${e.protocol}`, e.count]).sort()).toEqual(
      [
        ['0/icmp', 1],
        ['0/icmpv6', 1],
        ['0/other', 2], // GRE (47) and a record without a protocol
        ['3868/sctp', 1],
        ['443/tcp', 1],
        ['53/udp', 1],
      ].sort(),
    )
  })
})

describe('reply folding: one edge per connection, from the client to the server port', () => {
  it('folds the reply record of a connection into it (port heuristic: ephemeral vs < 1024)', async () => {
    const header = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status'
    const r = await read([header, `2 1 ${AWS_ENI} 10.0.1.17 10.0.2.9 43122 443 6 10 840 1700000000 1700000060 ACCEPT OK`, `2 1 ${AWS_ENI} 10.0.2.9 10.0.1.17 443 43122 6 12 9000 1700000000 1700000060 ACCEPT OK`].join('\n'))
    expect(r.edges.map(summary)).toEqual([{ key: `${c('10.0.1.17')}|${c('10.0.2.9')}|443/tcp`, count: 2, bytes: 9840, packets: 22, dropped: 0, firstSeen: 1700000000000, lastSeen: 1700000060000 }])
    expect(r.repliesFolded).toBe(1)
    expect(r.serverPortGuesses).toBe(0)
  })

  it('uses tcp-flags first (SYN: src opened it; SYN-ACK: src is the server), and learns listening ports from SYN-ACKs', async () => {
    // a gRPC server on 50051 answering a client whose ephemeral port (33000) is lower than the server port
    const header = 'srcaddr dstaddr srcport dstport protocol bytes packets start end tcp-flags'
    const lines = [
      header,
      '10.0.1.17 10.0.2.9 33000 50051 6 100 1 1700000000 1700000060 2', // SYN
      '10.0.2.9 10.0.1.17 50051 33000 6 900 2 1700000000 1700000060 18', // SYN-ACK: 50051 listens
      '10.0.1.17 10.0.2.9 33001 50051 6 100 1 1700000060 1700000120 0', // later intervals: no flags
      '10.0.2.9 10.0.1.17 50051 33001 6 900 2 1700000060 1700000120 1', // FIN only
    ]
    const r = await read(lines.join('\n'))
    expect(r.edges.map(summary)).toEqual([{ key: `${c('10.0.1.17')}|${c('10.0.2.9')}|50051/tcp`, count: 4, bytes: 2000, packets: 6, dropped: 0, firstSeen: 1700000000000, lastSeen: 1700000120000 }])
    expect(r.listeningPortsLearned).toBe(1)
    expect(r.serverPortGuesses).toBe(0)
    // without the SYN-ACK, the lower of two ephemeral ports is taken as the server's, and the guess counted
    const guessed = await read([header, lines[3], lines[4]].join('\n'))
    expect(keys(guessed.edges)).toEqual([`${c('10.0.2.9')}|${c('10.0.1.17')}|33001/tcp`])
    expect(guessed.serverPortGuesses).toBe(2)
  })

  it('does not learn listening ports from SYNs (a scan must not turn client ports into server ports)', async () => {
    const header = 'srcaddr dstaddr srcport dstport protocol tcp-flags action'
    const r = await read([header, '198.51.100.7 10.0.1.17 61000 45000 6 2 REJECT', '10.0.1.17 10.0.2.9 45000 5432 6 0 ACCEPT'].join('\n'))
    expect(r.listeningPortsLearned).toBe(0)
    expect(keys(r.edges)).toEqual([`${c('10.0.1.17')}|${c('10.0.2.9')}|5432/tcp`, `${c('198.51.100.7')}|${c('10.0.1.17')}|45000/tcp`].sort())
  })
})

describe('ENI → workload resolution', () => {
  it('finds the ENI side of default-format records from the address its records share', async () => {
    const r = await read(fixture('cloudwatch-export.log'), { resolver: { addresses: [{ eni: INTAKE_ENI, workload: 'intake' }] }, onFlow: true })
    expect(r.edges.map(summary)).toEqual(
      sorted([
        { key: `addr:intake|${c('10.0.2.9')}|5432/tcp`, count: 2, bytes: 9840, packets: 22, dropped: 0, firstSeen: 1700000000000, lastSeen: 1700000060000 },
        { key: `${c('10.0.3.50')}|addr:intake|443/tcp`, count: 2, bytes: 3600, packets: 10, dropped: 0, firstSeen: 1700000010000, lastSeen: 1700000070000 },
        { key: `${c('198.51.100.7')}|addr:intake|22/tcp`, count: 1, bytes: 40, packets: 1, dropped: 1, firstSeen: 1700000020000, lastSeen: 1700000080000 },
      ]),
    )
    expect(r.edges.find((e) => e.port === 5432)!.samples.map((s) => [s.line, s.observer])).toEqual([
      [1, INTAKE_ENI],
      [2, INTAKE_ENI],
    ])
    // the client's ENI saw the request leave and the reply arrive; the server's ENI saw the request arrive
    expect(r.flows.map((f) => [f.evidence.line, f.direction])).toEqual([
      [1, 'egress'],
      [2, 'egress'],
      [3, 'ingress'],
      [4, 'ingress'],
      [5, 'ingress'],
    ])
    expect(r.stats.unresolved).toBe(5)
  })

  it('never guesses: a lone default-format record between two unnamed private addresses stays unnamed', async () => {
    const r = await read(fixture('default-v2.log'), { resolver: { addresses: [{ eni: AWS_ENI, workload: 'bastion' }] } })
    expect(keys(r.edges)).toEqual([`${c('172.31.16.139')}|${c('172.31.16.21')}|22/tcp`, `${c('172.31.9.69')}|${c('172.31.9.12')}|3389/tcp`].sort())
  })

  it('keeps at most 16 undecided records per ENI: the oldest beyond is attributed by address alone', async () => {
    const header = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status'
    const rec = (src: string, dst: string, sp: number) => `2 1 ${INTAKE_ENI} ${src} ${dst} ${sp} 443 6 1 60 1700000000 1700000060 ACCEPT OK`
    // 17 records between the same two unnamed addresses: a tie each time (both seen as often)
    const tied = Array.from({ length: 17 }, (_, i) => rec('10.1.0.1', '10.2.0.1', 40000 + i))
    // then 10.1.0.1 with another address: it is the one this ENI's records carry most, so it is intake
    const r = await read([header, ...tied, rec('10.1.0.1', '10.3.0.1', 41000)].join('\n'), { resolver: { addresses: [{ eni: INTAKE_ENI, workload: 'intake' }] } })
    expect(r.edges.map((e) => [e.key, e.count])).toEqual(
      [
        [`${c('10.1.0.1')}|${c('10.2.0.1')}|443/tcp`, 1],
        [`addr:intake|${c('10.2.0.1')}|443/tcp`, 16],
        [`addr:intake|${c('10.3.0.1')}|443/tcp`, 1],
      ].sort((a, b) => (a[0]! < b[0]! ? -1 : 1)),
    )
    expect(r.stats.flows).toBe(18)
  })

  it('puts the ENI on the private side when the other is public, then on its own address, and not at all where an address already names its workload', async () => {
    const header = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status'
    const rec = (src: string, dst: string, sp: number, dp: number) => `2 1 ${AWS_ENI} ${src} ${dst} ${sp} ${dp} 6 1 60 1700000000 1700000060 ACCEPT OK`
    const lines = [
      header,
      rec('203.0.113.9', '172.31.16.21', 51000, 443), // public source: the ENI (portal, 172.31.16.21) is the destination
      rec('172.31.16.21', '172.31.16.139', 443, 40000), // bastion is named, but 172.31.16.21 is the address this ENI's records carry
      rec('172.31.16.22', '172.31.16.140', 443, 40001), // 172.31.16.22 is portal's own (address book): the other side is not
    ]
    const r = await read(lines.join('\n'), {
      resolver: { addresses: [{ eni: AWS_ENI, workload: 'portal' }, { ip: '172.31.16.139', workload: 'bastion' }, { ip: '172.31.16.22', workload: 'portal' }] },
    })
    expect(keys(r.edges)).toEqual([`${c('203.0.113.9')}|addr:portal|443/tcp`, 'addr:bastion|addr:portal|443/tcp', `${c('172.31.16.140')}|addr:portal|443/tcp`].sort())
  })

  it('uses flow-direction: egress names the source, ingress the destination', async () => {
    const header = 'interface-id srcaddr dstaddr srcport dstport protocol flow-direction'
    const r = await read([header, `${INTAKE_ENI} 10.0.1.17 10.0.2.9 43122 5432 6 egress`, `${INTAKE_ENI} 10.0.3.50 10.0.1.17 51000 443 6 ingress`].join('\n'), {
      resolver: { addresses: [{ eni: INTAKE_ENI, workload: 'intake' }] },
      onFlow: true,
    })
    expect(keys(r.edges)).toEqual([`addr:intake|${c('10.0.2.9')}|5432/tcp`, `${c('10.0.3.50')}|addr:intake|443/tcp`].sort())
    expect(r.flows.map((f) => f.direction)).toEqual(['egress', 'ingress'])
  })
})

describe('custom v5 format through a NAT gateway', () => {
  it('uses the packet-level address as the peer and never names the NAT gateway for traffic it relays', async () => {
    const r = await read(fixture('custom-v5-nat.log'), { resolver: NAT_BOOK, file: 'nat.log' })
    expect(r.stats).toMatchObject({ lines: 7, flows: 6, skipped: 0, malformed: 0, unresolved: 6 })
    expect(r.edges.map(summary)).toEqual([
      { key: `addr:intake|${c('203.0.113.5')}|443/tcp`, count: 4, bytes: 98400, packets: 96, dropped: 0, firstSeen: 1700000000000, lastSeen: 1700000060000 },
      { key: `addr:nat-gw|${c('203.0.113.5')}|443/tcp`, count: 2, bytes: 49200, packets: 48, dropped: 0, firstSeen: 1700000000000, lastSeen: 1700000060000 },
    ])
    // both the interface and the packet addresses are kept as evidence
    expect(r.edges[0]!.samples[2]).toEqual({ source: 'vpc', file: 'nat.log', line: 4, addresses: '10.0.1.5:40112 → 10.0.0.220:443 (packet 10.0.1.5 → 203.0.113.5)', observer: 'eni-0f00ba11c0ffee001' })
    expect(r.listeningPortsLearned).toBe(1)
    expect(r.repliesFolded).toBe(3)
  })

  it('sniffs the custom header', () => {
    expect(looksLikeVpcFlowLog(fixture('custom-v5-nat.log').toString('utf8', 0, 300))).toBe(true)
  })
})

describe('file structure', () => {
  it('re-reads a header that reappears mid-file (concatenated files)', async () => {
    const r = await read(fixture('concatenated.log'), { resolver: { addresses: [{ eni: INTAKE_ENI, workload: 'intake' }] } })
    expect(r.headers).toBe(2)
    expect(r.stats).toMatchObject({ lines: 8, flows: 5, skipped: 0, malformed: 0 })
    expect(r.edges.map(summary)).toEqual(
      sorted([
        { key: `addr:intake|${c('10.0.2.9')}|5432/tcp`, count: 4, bytes: 17340, packets: 35, dropped: 0, firstSeen: 1700000000000, lastSeen: 1700000360000 },
        { key: `${c('10.0.4.4')}|addr:intake|8443/tcp`, count: 1, bytes: 100, packets: 1, dropped: 1, firstSeen: 1700000300000, lastSeen: 1700000360000 },
      ]),
    )
  })

  it('reads the same edges and stats whatever the chunk boundaries (1-byte, 7-byte, whole), with CRLF line ends', async () => {
    for (const name of ['default-v2.log', 'cloudwatch-export.log', 'custom-v5-nat.log', 'concatenated.log', 'malformed.log']) {
      const lf = fixture(name)
      const crlf = Buffer.from(lf.toString('latin1').replace(/\n/g, '\r\n'), 'latin1')
      const whole = await read(lf, { resolver: NAT_BOOK })
      expect(whole.stats.flows + whole.stats.skipped + whole.stats.malformed, name).toBeGreaterThan(0)
      for (const [input, chunk] of [
        [lf, 1],
        [lf, 7],
        [crlf, 1],
        [crlf, 7],
        [crlf, 0],
      ] as const) {
        const r = await read(input, { resolver: NAT_BOOK, chunk })
        expect(r.edges, `${name} in chunks of ${chunk}`).toEqual(whole.edges)
        expect(r.stats, `${name} in chunks of ${chunk}`).toEqual(whole.stats)
      }
    }
  })

  it('reads fields separated by runs of spaces or tabs, with leading and trailing blanks, as single-spaced ones', async () => {
    const tidy = fixture('custom-v5-nat.log').toString('latin1')
    const messy = tidy
      .split('\n')
      .map((line, i) => (line === '' ? line : `${i % 2 ? '\t ' : ''}${line.replace(/ /g, (_, at: number) => (at % 3 ? ' ' : ' \t  '))}${i % 3 ? '  ' : ''}`))
      .join('\n')
    expect(messy).not.toBe(tidy)
    const a = await read(tidy, { resolver: NAT_BOOK })
    const b = await read(messy, { resolver: NAT_BOOK })
    expect(b.edges.map(summary)).toEqual(a.edges.map(summary))
    expect(b.stats).toEqual(a.stats)
  })

  it('reads a last line without a newline, skips blank lines and a UTF-8 byte order mark', async () => {
    const text = `\uFEFFversion account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n\n   \n2 1 ${AWS_ENI} 10.0.0.1 10.0.0.2 40000 443 6 1 60 1700000000 1700000060 ACCEPT OK`
    const r = await read(text)
    expect(r.stats).toMatchObject({ lines: 4, flows: 1, malformed: 0 })
    expect(r.edges[0]!.samples[0]!.line).toBe(4)
  })

  it('is the FlowReader: readVpcFlowLog returns the ingest stats and aggregates into the context', async () => {
    const { EdgeAggregator } = await import('../../flows/index.js')
    const aggregator = new EdgeAggregator()
    const stats = await readVpcFlowLog(chunks(fixture('default-v2.log'), 16), { resolver: new IdentityResolver(), aggregator, file: 'x.log' })
    expect(stats).toMatchObject({ file: 'x.log', format: 'vpc', flows: 2, skipped: 2 })
    expect(aggregator.size).toBe(2)
  })
})

describe('malformed lines', () => {
  it('counts them with their line numbers and a generic reason, and reads the rest', async () => {
    const r = await read(fixture('malformed.log'))
    expect(r.stats.flows).toBe(2)
    expect(r.stats.malformed).toBe(7)
    expect(r.stats.malformedSamples).toEqual([
      { line: 3, reason: '13 fields where the header names 14' },
      { line: 4, reason: 'field dstport is not a port number' },
      { line: 5, reason: 'field dstaddr is not an IP address' },
      { line: 6, reason: 'field srcaddr is not an IP address' },
      { line: 7, reason: 'field dstport is not a port number' },
      { line: 8, reason: 'field protocol is not a protocol number' },
      { line: 9, reason: 'field action is not ACCEPT or REJECT' },
    ])
    expect(r.edges.map(summary)).toEqual([{ key: `${c('10.0.1.17')}|${c('10.0.2.9')}|5432/tcp`, count: 2, bytes: 9840, packets: 22, dropped: 0, firstSeen: 1700000000000, lastSeen: 1700000060000 }])
  })

  it('never puts a line’s content in a reason', async () => {
    const text = fixture('malformed.log').toString('utf8')
    // every value of every record (the header's field names and the action vocabulary may appear)
    const records = text.split('\n').slice(1).join(' ')
    const tokens = new Set(records.split(/\s+/).filter((t) => t.length > 1 && !['ACCEPT', 'REJECT', 'OK'].includes(t)))
    expect(tokens.has('patient-tablet-0042.clinic.example')).toBe(true)
    const r = await read(text)
    for (const s of r.stats.malformedSamples) for (const t of tokens) expect(s.reason.includes(t), `${s.reason} contains ${t}`).toBe(false)
  })

  it('reports records before any header that are not default-format records, and keeps at most 20 samples', async () => {
    const garbage = Array.from({ length: 25 }, (_, i) => `something else ${i}`).join('\n')
    const r = await read(`${garbage}\n2 1 ${AWS_ENI} 10.0.0.1 10.0.0.2 40000 443 6 1 60 1700000000 1700000060 ACCEPT OK\n`)
    expect(r.stats.malformed).toBe(25)
    expect(r.stats.malformedSamples).toHaveLength(20)
    expect(r.stats.malformedSamples[0]).toEqual({ line: 1, reason: 'no header line before this record, and it is not a default-format (version 2) record' })
    expect(r.stats.flows).toBe(1)
  })

  it('counts a line longer than 1 MiB as malformed without keeping it, and reads on', async () => {
    const header = 'srcaddr dstaddr srcport dstport protocol'
    const long = 'x'.repeat(MAX_LINE_BYTES + 10)
    const r = await read(`${header}\n${long}\n10.0.0.1 10.0.0.2 40000 443 6\n`, { chunk: 65536 })
    expect(r.stats.malformedSamples).toEqual([{ line: 2, reason: 'line longer than 1 MiB' }])
    expect(r.stats).toMatchObject({ lines: 3, flows: 1 })
  })

  it('checks every numeric field and the packet-level addresses', async () => {
    const header = 'srcaddr dstaddr srcport dstport protocol packets bytes start end tcp-flags pkt-srcaddr pkt-dstaddr'
    const ok = ['10.0.0.1', '10.0.0.2', '40000', '443', '6', '1', '60', '1700000000', '1700000060', '2', '10.0.0.1', '10.0.0.2']
    const bad = (i: number, v: string): string => ok.map((x, j) => (j === i ? v : x)).join(' ')
    const r = await read([header, bad(2, '70000'), bad(4, '300'), bad(5, '1e3'), bad(6, '-5'), bad(7, 'noon'), bad(8, '17000000601234567'), bad(9, 'SYN'), bad(10, '10.0.0'), bad(11, '::g'), ok.join(' ')].join('\n'))
    expect(r.stats.malformedSamples.map((s) => s.reason)).toEqual([
      'field srcport is not a port number',
      'field protocol is not a protocol number',
      'field packets is not a number',
      'field bytes is not a number',
      'field start is not a Unix time',
      'field end is not a Unix time',
      'field tcp-flags is not a number',
      'field pkt-srcaddr is not an IP address',
      'field pkt-dstaddr is not an IP address',
    ])
    expect(r.stats.flows).toBe(1)
  })
})

describe('addresses', () => {
  it('reads IPv6 and IPv4-mapped addresses, brackets IPv6 in evidence, and rejects near-addresses', async () => {
    const header = 'srcaddr dstaddr srcport dstport protocol'
    const r = await read([header, '2001:db8::17 2001:db8:0:1::9 43122 443 6', '::ffff:10.0.0.1 10.0.0.2 40000 443 6', '010.0.0.1 10.0.0.2 40000 443 6', '10.0.0.256 10.0.0.2 40000 443 6', '1.2.3.4.5 10.0.0.2 40000 443 6'].join('\n'))
    expect(r.stats.flows).toBe(2)
    expect(r.stats.malformed).toBe(3)
    expect(keys(r.edges)).toEqual([`${c('10.0.0.1')}|${c('10.0.0.2')}|443/tcp`, `${c('2001:db8::17')}|${c('2001:db8:0:1::9')}|443/tcp`].sort())
    expect(r.edges.find((e) => e.key.includes('2001'))!.samples[0]!.addresses).toBe('[2001:db8::17]:43122 → [2001:db8:0:1::9]:443')
  })

  it('counts flows with an unresolved side, and keeps the resolver’s counter per side as if it were asked every line', async () => {
    const resolver = new IdentityResolver({ addresses: [{ ip: '10.0.0.1', workload: 'intake' }] })
    const header = 'srcaddr dstaddr srcport dstport protocol'
    const r = await read([header, '10.0.0.1 10.0.0.2 40000 443 6', '10.0.0.1 10.0.0.2 40001 443 6', '10.0.0.3 10.0.0.2 40001 443 6'].join('\n'), { resolver })
    expect(r.stats.unresolved).toBe(3)
    expect(resolver.unresolved).toBe(4)
  })
})

describe('looksLikeVpcFlowLog', () => {
  it('recognises headers of known field names and default-format records', () => {
    expect(looksLikeVpcFlowLog(fixture('default-v2.log').toString())).toBe(true)
    expect(looksLikeVpcFlowLog(fixture('cloudwatch-export.log').toString())).toBe(true)
    expect(looksLikeVpcFlowLog(fixture('concatenated.log').toString())).toBe(true)
    expect(looksLikeVpcFlowLog('\uFEFFversion srcaddr dstaddr future-field\n')).toBe(true)
    expect(looksLikeVpcFlowLog('\n2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA')).toBe(true)
    expect(looksLikeVpcFlowLog('2 unknown eni-1235b8ca123456789 2001:db8::1 10.0.0.1 443 40000 6 1 60 1431280876 1431280934 REJECT OK\n')).toBe(true)
  })

  it('is not put off by one truncated first line of a header-less export', () => {
    const good = '2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK'
    expect(looksLikeVpcFlowLog(`2 123456789010 eni-1235b8ca123456789 172.31.16.139\n${good}\n${good}\n`)).toBe(true)
    // mostly not records: not a flow log
    expect(looksLikeVpcFlowLog(`hello\nworld\nfoo bar\n${good}\n`)).toBe(false)
  })

  it('rejects other files', () => {
    expect(looksLikeVpcFlowLog('')).toBe(false)
    expect(looksLikeVpcFlowLog('version,account-id,srcaddr,dstaddr\n')).toBe(false)
    expect(looksLikeVpcFlowLog('{"flow":{"source":{"namespace":"clinic"}}}\n')).toBe(false)
    expect(looksLikeVpcFlowLog('version account-id interface-id\n')).toBe(false)
    expect(looksLikeVpcFlowLog('hello world srcaddr dstaddr\n')).toBe(false)
    expect(looksLikeVpcFlowLog('2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ALLOW OK')).toBe(false)
    expect(looksLikeVpcFlowLog('2 123456789010 eni-1235b8ca123456789 172.31.16.139 not-an-ip 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK')).toBe(false)
    expect(looksLikeVpcFlowLog('3 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK')).toBe(false)
  })
})
