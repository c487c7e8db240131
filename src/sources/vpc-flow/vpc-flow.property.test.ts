// Property tests: the byte-level reader against a straightforward reference written here with
// string splitting and plain Maps, on random files (random custom formats with a header, header-less
// default-format records, a header reappearing, random chunk boundaries); and random garbage.
import { isIP } from 'node:net'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { IdentityResolver, type FlowProtocol, type ResolverOptions } from '../../flows/index.js'
import { DEFAULT_FIELDS, KNOWN_FIELDS } from './index.js'
import { read, summary } from './test-support.js'

/** The reader's documented bounds, restated. */
const MG_SLOTS = 4
const PENDING_PER_ENI = 16

interface RefEdge {
  key: string
  count: number
  bytes: number
  packets: number
  dropped: number
  firstSeen: number
  lastSeen: number
}

interface RefResult {
  edges: RefEdge[]
  flows: number
  skipped: number
  malformed: number
  unresolved: number
  headers: number
  lines: number
}

const PROTOCOLS: Record<number, FlowProtocol> = { 1: 'icmp', 6: 'tcp', 17: 'udp', 58: 'icmpv6', 132: 'sctp' }

function isHeader(tokens: string[]): boolean {
  return tokens.every((t) => /^[a-z][a-z0-9_-]*$/.test(t)) && new Set(tokens).size === tokens.length && tokens.some((t) => KNOWN_FIELDS.has(t))
}

/** The reference: the documented semantics, line by line, with strings. */
function reference(text: string, opts: ResolverOptions): RefResult {
  const resolver = new IdentityResolver(opts)
  const lines = text.split('\n')
  if (lines[lines.length - 1] === '') lines.pop()
  const out: RefResult = { edges: [], flows: 0, skipped: 0, malformed: 0, unresolved: 0, headers: 0, lines: lines.length }
  const edges = new Map<string, RefEdge>()
  const listening = new Set<number>()
  const seen = new Map<string, Map<string, number>>() // per ENI: address → count (Misra–Gries)
  type Side = 'src' | 'dst' | 'none'
  interface Rec {
    src: string
    dst: string
    port: number
    protocol: FlowProtocol
    swap: boolean
    bytes: number
    packets: number
    start: number
    end: number
    dropped: boolean
  }
  const pending = new Map<string, Rec[]>()
  let format: string[] | null = null

  const see = (eni: string, addr: string): void => {
    const m = seen.get(eni) ?? new Map<string, number>()
    seen.set(eni, m)
    if (m.has(addr)) m.set(addr, m.get(addr)! + 1)
    else if (m.size < MG_SLOTS) m.set(addr, 1)
    else for (const [a, n] of m) n === 1 ? m.delete(a) : m.set(a, n - 1)
  }
  const count = (eni: string, addr: string): number => seen.get(eni)?.get(addr) ?? 0
  const plain = (ip: string) => {
    const r = resolver.address(ip)
    return { ...r, remote: r.peer.kind === 'fqdn' || (r.peer.kind === 'cidr' && r.peer.scope === 'public'), named: r.peer.kind === 'identity' }
  }
  const sideOf = (eni: string, src: string, dst: string): Side => {
    const s = plain(src)
    const d = plain(dst)
    if (s.remote !== d.remote) return s.remote ? 'dst' : 'src'
    if (count(eni, src) !== count(eni, dst)) return count(eni, src) > count(eni, dst) ? 'src' : 'dst'
    if (s.named !== d.named) return s.named ? 'dst' : 'src'
    return 'none'
  }
  const emit = (r: Rec, sKey: { key: string; resolved: boolean }, dKey: { key: string; resolved: boolean }): void => {
    const from = r.swap ? dKey : sKey
    const to = r.swap ? sKey : dKey
    out.flows++
    if (!from.resolved || !to.resolved) out.unresolved++
    const key = `${from.key}|${to.key}|${r.port}/${r.protocol}`
    const e = edges.get(key)
    const first = r.start * 1000
    const last = r.end * 1000
    if (!e) edges.set(key, { key, count: 1, bytes: r.bytes, packets: r.packets, dropped: r.dropped ? 1 : 0, firstSeen: first, lastSeen: last })
    else {
      e.count++
      e.bytes += r.bytes
      e.packets += r.packets
      e.dropped += r.dropped ? 1 : 0
      e.firstSeen = Math.min(e.firstSeen, first)
      e.lastSeen = Math.max(e.lastSeen, last)
    }
  }
  const emitSide = (eni: string, r: Rec, side: Side): void => emit(r, side === 'src' ? resolver.address(r.src, eni) : resolver.address(r.src), side === 'dst' ? resolver.address(r.dst, eni) : resolver.address(r.dst))
  const release = (eni: string): void => {
    const q = pending.get(eni)
    if (!q) return
    const keep: Rec[] = []
    for (const r of q) {
      const side = sideOf(eni, r.src, r.dst)
      if (side === 'none') keep.push(r)
      else emitSide(eni, r, side)
    }
    if (keep.length) pending.set(eni, keep)
    else pending.delete(eni)
  }

  for (const line of lines) {
    const tokens = line.split(/[\x00-\x20]+/).filter((t) => t !== '')
    if (tokens.length === 0) continue
    if (/^[a-z]/.test(tokens[0]!) && tokens.length <= 64 && isHeader(tokens)) {
      format = tokens
      out.headers++
      continue
    }
    const fmt = format ?? (tokens.length === 14 && tokens[0] === '2' ? [...DEFAULT_FIELDS] : null)
    if (!fmt || tokens.length !== fmt.length) {
      out.malformed++
      continue
    }
    const v = new Map(fmt.map((name, i) => [name, tokens[i]!]))
    const status = v.get('log-status')
    if (status === 'NODATA' || status === 'SKIPDATA') {
      out.skipped++
      continue
    }
    const srcaddr = v.get('srcaddr')
    const dstaddr = v.get('dstaddr')
    if (srcaddr === undefined || dstaddr === undefined) {
      out.malformed++
      continue
    }
    if (srcaddr === '-' || dstaddr === '-') {
      out.skipped++
      continue
    }
    const addr = (name: string): string | undefined => (v.get(name) === undefined || v.get(name) === '-' ? undefined : v.get(name))
    const num = (name: string): number => (v.get(name) === undefined || v.get(name) === '-' ? -1 : /^\d{1,15}$/.test(v.get(name)!) ? Number(v.get(name)) : NaN)
    const psrc = addr('pkt-srcaddr')
    const pdst = addr('pkt-dstaddr')
    const sport = num('srcport')
    const dport = num('dstport')
    const proto = num('protocol')
    const [packets, bytes, start, end, flags] = [num('packets'), num('bytes'), num('start'), num('end'), num('tcp-flags')]
    const action = v.get('action') ?? '-'
    if (
      [srcaddr, dstaddr, psrc ?? '1.1.1.1', pdst ?? '1.1.1.1'].some((a) => isIP(a) === 0) ||
      [sport, dport, proto, packets, bytes, start, end, flags].some(Number.isNaN) ||
      sport > 65535 ||
      dport > 65535 ||
      proto > 255 ||
      !['ACCEPT', 'REJECT', '-'].includes(action)
    ) {
      out.malformed++
      continue
    }
    // who opened the connection
    const protocol: FlowProtocol = proto < 0 ? 'other' : (PROTOCOLS[proto] ?? 'other')
    const sp = Math.max(sport, 0)
    const dp = Math.max(dport, 0)
    let swap = false
    let port = 0
    if (proto === 6 || proto === 17 || proto === 132) {
      if (proto === 6 && flags > 0 && (flags & 0x12) === 0x12) {
        swap = true
        listening.add(sp)
      } else if (!(proto === 6 && flags > 0 && (flags & 0x12) === 0x02)) {
        const srvS = sp < 1024 || listening.has(sp)
        const srvD = dp < 1024 || listening.has(dp)
        swap = srvS !== srvD ? srvS : sp < dp
      }
      port = swap ? sp : dp
    }
    const rec: Rec = { src: psrc ?? srcaddr, dst: pdst ?? dstaddr, port, protocol, swap, bytes: Math.max(bytes, 0), packets: Math.max(packets, 0), start: Math.max(start, 0), end: end < 0 ? Math.max(start, 0) : end, dropped: action === 'REJECT' }
    // which side the ENI names
    const eni = addr('interface-id')
    if (eni === undefined) {
      emit(rec, resolver.address(rec.src), resolver.address(rec.dst))
      continue
    }
    const sOk = psrc === undefined || psrc === srcaddr
    const dOk = pdst === undefined || pdst === dstaddr
    const dir = v.get('flow-direction')
    if (dir === 'egress' || dir === 'ingress') {
      const local = dir === 'egress' ? 'src' : 'dst'
      const ok = local === 'src' ? sOk : dOk
      if (ok) {
        see(eni, local === 'src' ? srcaddr : dstaddr)
        release(eni)
      }
      emitSide(eni, rec, ok ? local : 'none')
      continue
    }
    const sMatters = sOk && dOk && resolver.address(rec.src, eni).key !== resolver.address(rec.src).key
    const dMatters = sOk && dOk && resolver.address(rec.dst, eni).key !== resolver.address(rec.dst).key
    if (!(sMatters && dMatters)) {
      emit(rec, resolver.address(rec.src), resolver.address(rec.dst))
      continue
    }
    see(eni, srcaddr)
    see(eni, dstaddr)
    const side = sideOf(eni, rec.src, rec.dst)
    if (side === 'none') {
      const q = pending.get(eni) ?? []
      pending.set(eni, q)
      q.push(rec)
      if (q.length > PENDING_PER_ENI) emitSide(eni, q.shift()!, 'none')
      release(eni)
    } else {
      release(eni)
      emitSide(eni, rec, side)
    }
  }
  for (const [eni, q] of pending) for (const r of q) emitSide(eni, r, 'none')
  out.edges = [...edges.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  return out
}

// ---------------------------------------------------------------------------------------------
// generators

const ENIS = ['eni-0a00000000000000a', 'eni-0a00000000000000b', 'eni-0a00000000000000c']
const ADDRESSES = ['10.0.1.5', '10.0.1.6', '10.0.2.9', '172.16.0.4', '192.168.7.7', '203.0.113.5', '198.51.100.7', '52.20.100.10', '2001:db8::1', 'fd00::5', '::ffff:10.0.9.9']
const OPTIONAL = ['version', 'account-id', 'interface-id', 'srcport', 'dstport', 'protocol', 'packets', 'bytes', 'start', 'end', 'action', 'log-status', 'vpc-id', 'tcp-flags', 'type', 'pkt-srcaddr', 'pkt-dstaddr', 'flow-direction', 'traffic-path', 'x-future-field']

const formatArb = fc.tuple(fc.shuffledSubarray(OPTIONAL), fc.nat(), fc.nat()).map(([fields, i, j]) => {
  const f = [...fields]
  f.splice(i % (f.length + 1), 0, 'srcaddr')
  f.splice(j % (f.length + 1), 0, 'dstaddr')
  return f
})

const dashOr = <T>(arb: fc.Arbitrary<T>, weight = 1): fc.Arbitrary<T | '-'> => fc.oneof({ weight: 8, arbitrary: arb }, { weight, arbitrary: fc.constant('-' as const) })
const portArb = dashOr(fc.oneof(fc.constantFrom(22, 53, 443, 5432, 8080, 50051, 33000, 33001), fc.integer({ min: 1024, max: 65535 }), fc.integer({ min: 0, max: 1023 })))

const recordArb = fc.record({
  eni: dashOr(fc.constantFrom(...ENIS)),
  src: fc.constantFrom(...ADDRESSES),
  dst: fc.constantFrom(...ADDRESSES),
  psrc: fc.oneof(fc.constant('same'), fc.constant('-'), fc.constantFrom(...ADDRESSES)),
  pdst: fc.oneof(fc.constant('same'), fc.constant('-'), fc.constantFrom(...ADDRESSES)),
  sport: portArb,
  dport: portArb,
  protocol: dashOr(fc.constantFrom(6, 6, 6, 17, 1, 58, 132, 47)),
  packets: dashOr(fc.integer({ min: 0, max: 1_000_000 })),
  bytes: dashOr(fc.integer({ min: 0, max: 1_000_000_000 })),
  start: fc.integer({ min: 1_700_000_000, max: 1_700_100_000 }),
  duration: dashOr(fc.integer({ min: 0, max: 600 })),
  action: fc.constantFrom('ACCEPT', 'ACCEPT', 'REJECT', '-'),
  status: fc.constantFrom('OK', 'OK', 'OK', 'OK', 'OK', 'NODATA', 'SKIPDATA'),
  flags: dashOr(fc.constantFrom(0, 1, 2, 3, 4, 18, 19)),
  dir: fc.constantFrom('ingress', 'egress', '-', '-'),
})
type RecordValues = typeof recordArb extends fc.Arbitrary<infer T> ? T : never

function render(format: readonly string[], r: RecordValues): string {
  const value: Record<string, string> = {
    version: '5',
    'account-id': '123456789012',
    'interface-id': r.eni,
    srcaddr: r.status === 'OK' ? r.src : '-',
    dstaddr: r.status === 'OK' ? r.dst : '-',
    'pkt-srcaddr': r.psrc === 'same' ? r.src : r.psrc,
    'pkt-dstaddr': r.pdst === 'same' ? r.dst : r.pdst,
    srcport: String(r.sport),
    dstport: String(r.dport),
    protocol: String(r.protocol),
    packets: String(r.packets),
    bytes: String(r.bytes),
    start: String(r.start),
    end: r.duration === '-' ? '-' : String(r.start + r.duration),
    action: r.action,
    'log-status': r.status,
    'vpc-id': 'vpc-0a1b2c3d4e5f60789',
    'tcp-flags': String(r.flags),
    type: 'IPv4',
    'flow-direction': r.dir,
    'traffic-path': '1',
    'x-future-field': 'x',
  }
  return format.map((f) => value[f] ?? '-').join(' ')
}

const resolverArb = fc.record({
  enis: fc.subarray(ENIS),
  ips: fc.subarray(ADDRESSES.slice(0, 8), { maxLength: 3 }),
  dns: fc.boolean(),
})
function resolverOptions(o: { enis: string[]; ips: string[]; dns: boolean }): ResolverOptions {
  return {
    addresses: [...o.enis.map((eni, i) => ({ eni, workload: `w${i}` })), ...o.ips.map((ip, i) => ({ ip, workload: i % 2 ? 'w0' : `named-${i}` }))],
    ...(o.dns ? { dns: { 'api.example.com': ['52.20.100.10'] } } : {}),
  }
}

const fileArb = fc.record({
  segments: fc.array(fc.tuple(formatArb, fc.array(recordArb, { maxLength: 40, size: 'max' })), { minLength: 1, maxLength: 3 }),
  headerless: fc.array(recordArb, { maxLength: 20, size: 'max' }),
  cuts: fc.array(fc.nat({ max: 20_000 }), { maxLength: 12 }),
  resolver: resolverArb,
  crlf: fc.boolean(),
})

describe('the reader agrees with the reference', () => {
  it('on random files: same edges (count, bytes, packets, dropped, time span) and the same stats, whatever the chunk boundaries', async () => {
    const seen = { flows: 0, skipped: 0, malformed: 0, named: 0, folded: 0, guesses: 0, learned: 0, headerless: 0 }
    await fc.assert(
      fc.asyncProperty(fileArb, async (file) => {
        const parts: string[] = file.headerless.map((r) => render(DEFAULT_FIELDS, { ...r, protocol: r.protocol === '-' ? 6 : r.protocol }).replace(/^5 /, '2 '))
        for (const [format, records] of file.segments) {
          parts.push(format.join(' '))
          for (const r of records) parts.push(render(format, r))
        }
        const eol = file.crlf ? '\r\n' : '\n'
        const text = parts.join(eol) + eol
        const opts = resolverOptions(file.resolver)
        const expected = reference(text, opts)
        const got = await read(text, { resolver: opts, chunk: file.cuts })
        expect(got.edges.map(summary)).toEqual(expected.edges)
        // with onFlow (flows one by one instead of queued for the aggregator): the same edges, a Flow per flow
        const each = await read(text, { resolver: opts, chunk: file.cuts, onFlow: true })
        expect(each.edges).toEqual(got.edges)
        expect(each.flows).toHaveLength(got.stats.flows)
        seen.flows += got.stats.flows
        seen.skipped += got.stats.skipped
        seen.malformed += got.stats.malformed
        seen.named += got.edges.filter((e) => /(^|\|)addr:w\d/.test(e.key)).length
        seen.folded += got.repliesFolded
        seen.guesses += got.serverPortGuesses
        seen.learned += got.listeningPortsLearned
        seen.headerless += file.headerless.length
        expect({ flows: got.stats.flows, skipped: got.stats.skipped, malformed: got.stats.malformed, unresolved: got.stats.unresolved, headers: got.headers, lines: got.stats.lines }).toEqual({
          flows: expected.flows,
          skipped: expected.skipped,
          malformed: expected.malformed,
          unresolved: expected.unresolved,
          headers: expected.headers,
          lines: expected.lines,
        })
      }),
      { numRuns: 300 },
    )
    // the generated files exercise what they are meant to: ENI names, folding, learning, skipping
    for (const [what, n] of Object.entries(seen)) expect(n, what).toBeGreaterThan(what === 'malformed' ? -1 : what === 'learned' ? 10 : 50)
  })

  it('past the cache bounds (more than 2^18 distinct addresses): still the reference’s edges', async () => {
    const lines = ['interface-id srcaddr dstaddr srcport dstport protocol bytes flow-direction']
    for (let i = 0; i < 270_000; i++) lines.push(`${ENIS[i % 3]} 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255} 10.200.0.${i % 7} 40000 443 6 ${i} ${i % 2 ? 'egress' : 'ingress'}`)
    const text = lines.join('\n')
    const opts = { addresses: [{ eni: ENIS[0]!, workload: 'intake' }] }
    const got = await read(text, { resolver: opts })
    const expected = reference(text, opts)
    expect(got.stats.flows).toBe(270_000)
    expect(got.edges.map(summary)).toEqual(expected.edges)
  }, 60_000)
})

describe('addresses', () => {
  const STRICT_V4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/
  it('accepts exactly the strict dotted-quad IPv4 addresses among strings of digits and dots', async () => {
    const candidate = fc.oneof(
      fc.array(fc.constantFrom('0', '1', '2', '5', '9', '.'), { maxLength: 18 }).map((c) => c.join('')),
      // four octets, one of them (or none) with a leading zero
      fc.tuple(fc.array(fc.nat({ max: 300 }), { minLength: 4, maxLength: 4 }), fc.nat({ max: 4 })).map(([octets, z]) => octets.map((o, i) => (i === z ? `0${o}` : String(o))).join('.')),
    )
    await fc.assert(
      fc.asyncProperty(fc.array(candidate.filter((x) => x !== '' && x !== '-'), { minLength: 1, maxLength: 20 }), async (xs) => {
        const r = await read(['srcaddr dstaddr', ...xs.map((x) => `${x} 10.0.0.1`)].join('\n'))
        expect(r.stats.flows).toBe(xs.filter((x) => STRICT_V4.test(x)).length)
        expect(r.stats.malformed).toBe(xs.filter((x) => !STRICT_V4.test(x)).length)
      }),
      { numRuns: 300 },
    )
  })
})

describe('garbage', () => {
  const garbageLine = fc.oneof(
    fc.string({ unit: 'binary-ascii', maxLength: 80 }),
    fc.array(fc.constantFrom('-', '2', '6', 'eni-1', '10.0.0.1', '::1', 'ACCEPT', 'REJECT', 'OK', 'NODATA', 'srcaddr', 'dstaddr', 'version', 'egress', '99999999999999999', '1.2.3', ' ', '\t', '\r'), { maxLength: 30 }).map((t) => t.join(' ')),
    recordArb.map((r) => render(DEFAULT_FIELDS, r).replace(/^5 /, '2 ')),
  )
  it('never throws, and every line is a header, a flow, skipped, malformed or blank', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(garbageLine, { maxLength: 60 }), fc.array(fc.nat({ max: 5000 }), { maxLength: 8 }), resolverArb, async (lines, cuts, resolver) => {
        const text = lines.join('\n')
        const r = await read(text, { chunk: cuts, resolver: resolverOptions(resolver) })
        const all = text.split('\n')
        if (all[all.length - 1] === '') all.pop() // a final newline ends the last line, it starts none
        const physical = all.length
        const blank = all.filter((l) => l.split(/[\x00-\x20]+/).every((t) => t === '')).length
        expect(r.stats.lines).toBe(physical)
        expect(r.headers + r.stats.flows + r.stats.skipped + r.stats.malformed + blank).toBe(physical)
        expect(r.stats.malformedSamples.length).toBe(Math.min(20, r.stats.malformed))
        for (const s of r.stats.malformedSamples) expect(s.line).toBeGreaterThanOrEqual(1)
      }),
      { numRuns: 500 },
    )
  })
})
