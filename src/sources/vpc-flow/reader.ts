import type { EdgeAggregator, Flow, FlowEvidence, FlowProtocol, FlowReadContext, IdentityResolver, IngestStats, Peer } from '../../flows/index.js'
import { emptyStats, noteMalformed, normalizeIp } from '../../flows/index.js'
import { ByteInterner, IntMap, NO_VALUE, PairMap, bytesEqual, isDash, isIPv4Bytes, sameBytes } from './bytes.js'
import { ADDRESS_FIELDS, DEFAULT_FORMAT, NUMERIC_FIELDS, compileFormat, isHeaderTokens, type VpcFormat } from './fields.js'

/**
 * The VPC Flow Logs reader. One instance reads one file: it keeps what it learns there (listening
 * ports, which address an ENI owns) and its caches for that file only.
 *
 * The hot path works on the bytes: lines are found with `indexOf(10)`, fields are located by
 * offsets into the buffer (four bytes at a time, `splitWords`), numbers are parsed from bytes,
 * IPv4 addresses are parsed into 32-bit keys and ENI ids interned by their bytes (a string is
 * created once per distinct address, not per line), and each side's resolution is cached per
 * (address, ENI). Per line nothing is allocated but what the aggregator does itself; a `Flow`
 * object is built only when the caller asked for one (`ctx.onFlow`), and evidence only when the
 * aggregator keeps a sample. Flows are handed to the aggregator in runs of `BATCH` (`flush`).
 *
 * Memory is bounded by distinct edges (the aggregator) plus the caches, which are bounded by
 * distinct addresses and ENIs and cleared when they exceed `MAX_ADDRESSES` / `MAX_ENIS`.
 */

/** A record with more fields than this is malformed (AWS formats have at most ~45). */
const MAX_FIELDS = 64
/** A line longer than this is malformed and not kept in memory while it is read. */
export const MAX_LINE_BYTES = 1 << 20
/** Cache bounds: beyond them, the caches start afresh (memory stays bounded on any input). */
const MAX_ADDRESSES = 1 << 18
const MAX_ENIS = 1 << 16
/** Slots per ENI of the own-address learner (Misra–Gries heavy hitters). */
const MG_SLOTS = 4

/** `splitWords` reads bytes out of 32-bit words in little-endian order. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1

const TCP = 6
const FLAG_SYN = 0x02
const FLAG_ACK = 0x10
const SYN_ACK = FLAG_SYN | FLAG_ACK

/** IANA protocol number → name. */
const PROTOCOL_NAMES: FlowProtocol[] = Array.from({ length: 256 }, (_, p): FlowProtocol => (p === 6 ? 'tcp' : p === 17 ? 'udp' : p === 1 ? 'icmp' : p === 58 ? 'icmpv6' : p === 132 ? 'sctp' : 'other'))
/** Protocols whose records carry meaningful ports (TCP, UDP, SCTP). */
const HAS_PORTS = new Uint8Array(256)
HAS_PORTS[6] = HAS_PORTS[17] = HAS_PORTS[132] = 1

/** Flows handed to the aggregator at a time. */
const BATCH = 256

/** Records of one ENI waiting for its own address to be known (see `record`). */
const PENDING_PER_ENI = 16
const SIDE_UNKNOWN = 0
const SIDE_SRC = 1
const SIDE_DST = 2

/** Malformed reasons, per slot of `NUMERIC_FIELDS` / `ADDRESS_FIELDS`. */
const NUMERIC_REASONS = ['field srcport is not a port number', 'field dstport is not a port number', 'field protocol is not a protocol number', 'field packets is not a number', 'field bytes is not a number', 'field start is not a Unix time', 'field end is not a Unix time', 'field tcp-flags is not a number']
const ADDRESS_REASONS = ADDRESS_FIELDS.map((name) => `field ${name} is not an IP address`)

/** What `numberAt` returns for a field that is not a number (`NO_VALUE` is `-`). */
const INVALID = -2

/**
 * A non-negative decimal integer from bytes (at most 15 digits, exact in a double), `NO_VALUE`
 * for `-`, `INVALID` otherwise. All digits but the last are accumulated in 32-bit integer
 * arithmetic when there are at most 10 (< 10^9: ports, flags, Unix seconds, most counters).
 */
function numberAt(buf: Buffer, s: number, e: number): number {
  const len = e - s
  if (len <= 10) {
    let v = 0
    const last = e - 1
    for (let i = s; i < last; i++) {
      const d = buf[i]! - 48
      if (d >>> 0 > 9) return INVALID
      v = v * 10 + d
    }
    const d = buf[last]! - 48
    if (d >>> 0 <= 9) return v * 10 + d
    return len === 1 && d === -3 ? NO_VALUE : INVALID
  }
  if (len > 15) return INVALID
  let v = 0
  for (let i = s; i < e; i++) {
    const d = buf[i]! - 48
    if (d >>> 0 > 9) return INVALID
    v = v * 10 + d
  }
  return v
}

/** `flow-direction` values. */
const DIR_NONE = 0
const DIR_EGRESS = 1
const DIR_INGRESS = 2

/** `action` values. */
const ACT_UNKNOWN = 0
const ACT_ACCEPT = 1
const ACT_REJECT = 2

/** What resolving one address (with or without the ENI) gave. */
interface Resolution {
  peer: Peer
  key: string
  resolved: boolean
  /** Obviously the remote side: a public address or an external name. */
  remote: boolean
  /** A workload identity. */
  named: boolean
}

/** A parsed record waiting for the local side of its ENI to be known. */
interface Pending {
  line: number
  src: number
  dst: number
  psrc: number
  pdst: number
  sport: number
  dport: number
  port: number
  protocol: FlowProtocol
  bytes: number
  packets: number
  /** Epoch milliseconds. */
  firstSeen: number
  lastSeen: number
  action: number
  swap: boolean
  /** Resolutions: plain and with the ENI, per side. */
  sRes: number
  dRes: number
  se: number
  de: number
}

/** What a read saw beyond `IngestStats`. */
export interface VpcReadDetails {
  stats: IngestStats
  /** Reply records (server → client) folded into the connection they answer. */
  repliesFolded: number
  /** Records whose server port was a guess: both ports ephemeral and not learned, the lower one taken. */
  serverPortGuesses: number
  /** Distinct ports learned as listening ports from SYN-ACK records. */
  listeningPortsLearned: number
  /** Header lines read (a header may reappear in concatenated files). */
  headers: number
}

export class VpcFlowReader {
  private readonly stats: IngestStats
  private readonly resolver: IdentityResolver
  private readonly aggregator: EdgeAggregator
  private readonly onFlow: ((flow: Flow) => void) | undefined
  private readonly file: string

  private format: VpcFormat | null = null
  private lineNo = 0
  private headers = 0
  private repliesFolded = 0
  private portGuesses = 0
  private learnedCount = 0
  /** Ports seen answering with SYN-ACK in this file: a server listens there. */
  private readonly listening = new Uint8Array(65536)

  /** The last start / end seconds and their epoch ms, kept as tagged values (see `record`). */
  private readonly times: unknown[] = [null, null]
  private timesStart = -1
  private timesEnd = -1
  /** Parsed numeric fields and interned addresses of the current record. */
  private readonly nums = new Float64Array(NUMERIC_FIELDS.length)
  private readonly ids = new Int32Array(ADDRESS_FIELDS.length)
  /** Field offsets of the current line. */
  private readonly ts = new Int32Array(MAX_FIELDS + 1)
  private readonly te = new Int32Array(MAX_FIELDS + 1)

  /** The chunk being read, as 32-bit words from its first aligned byte (`wordsFirst`). */
  private words: Uint32Array | null = null
  private wordsOf: Buffer | null = null
  private wordsFirst = 0

  /** A line split across chunks is assembled here. */
  private carry = Buffer.allocUnsafe(4096)
  private carryLen = 0
  private overlong = false

  /** Address ids: IPv4 by value, others by their bytes (→ `otherIds`); per id its text, validity and plain (no ENI) resolution. */
  private readonly v4 = new IntMap(4096)
  private readonly addrs = new ByteInterner(256)
  private otherIds: number[] = []
  private addrText: string[] = []
  private addrValid: boolean[] = []
  private addrV6: boolean[] = []
  private addrPlain: number[] = []
  /** ENI ids by their bytes → id; per id its text. */
  private readonly enis = new ByteInterner(1024)
  private eniText: string[] = []
  private lastEni = -1
  /** (address id, ENI id) → resolution index. */
  private readonly pairs = new PairMap(4096)
  private res: Resolution[] = []
  /** Own-address learner per ENI: MG_SLOTS (address id, count) pairs. */
  private mgAddr = new Int32Array(1024 * MG_SLOTS).fill(-1)
  private mgCount = new Int32Array(1024 * MG_SLOTS)
  /** Per ENI id: records waiting for the ENI's own address. */
  private pending: (Pending[] | undefined)[] = []
  private pendingCount = 0

  /** Flows queued for the aggregator (struct of arrays; the epoch-ms arrays keep tagged numbers). */
  private bN = 0
  private readonly bFrom = new Int32Array(BATCH)
  private readonly bTo = new Int32Array(BATCH)
  private readonly bPort = new Int32Array(BATCH)
  private readonly bProtocol: FlowProtocol[] = new Array<FlowProtocol>(BATCH).fill('other')
  private readonly bBytes = new Float64Array(BATCH)
  private readonly bPackets = new Float64Array(BATCH)
  private readonly bFirst: number[] = new Array<number>(BATCH).fill(0.5)
  private readonly bLast: number[] = new Array<number>(BATCH).fill(0.5)
  private readonly bDropped = new Uint8Array(BATCH)
  private readonly bLine = new Int32Array(BATCH)
  private readonly bSrc = new Int32Array(BATCH)
  private readonly bDst = new Int32Array(BATCH)
  private readonly bPsrc = new Int32Array(BATCH)
  private readonly bPdst = new Int32Array(BATCH)
  private readonly bSport = new Int32Array(BATCH)
  private readonly bDport = new Int32Array(BATCH)
  private readonly bEni = new Int32Array(BATCH)

  /** The current record, for its evidence (built lazily, synchronously inside `observe`). */
  private cLine = 0
  private cSrc = 0
  private cDst = 0
  private cPsrc = -1
  private cPdst = -1
  private cSport = 0
  private cDport = 0
  private cEni = -1
  private readonly evidence = (): FlowEvidence => this.makeEvidence()

  constructor(ctx: FlowReadContext) {
    this.stats = emptyStats(ctx.file, 'vpc')
    this.resolver = ctx.resolver
    this.aggregator = ctx.aggregator
    this.onFlow = ctx.onFlow
    this.file = ctx.file
  }

  /** Feed one chunk of the file. */
  push(chunk: Buffer): void {
    const len = chunk.length
    let pos = 0
    if (this.carryLen > 0 || this.overlong) {
      const nl = chunk.indexOf(10)
      if (nl < 0) {
        this.append(chunk, 0, len)
        return
      }
      this.append(chunk, 0, nl)
      this.flushCarry()
      pos = nl + 1
    }
    // the chunk as 32-bit words (little-endian hosts), for `splitWords`
    const first = (4 - (chunk.byteOffset & 3)) & 3 // index of the chunk's first 4-byte-aligned byte
    this.words = LITTLE_ENDIAN && len - first >= 4 ? new Uint32Array(chunk.buffer, chunk.byteOffset + first, (len - first) >> 2) : null
    this.wordsOf = chunk
    this.wordsFirst = first
    for (;;) {
      const nl = chunk.indexOf(10, pos)
      if (nl < 0) break
      this.line(chunk, pos, nl)
      pos = nl + 1
    }
    this.words = null
    this.wordsOf = null
    if (pos < len) this.append(chunk, pos, len)
  }

  /** The end of the file: read a last line without a newline. */
  finish(): VpcReadDetails {
    if (this.carryLen > 0 || this.overlong) this.flushCarry()
    this.releaseAll()
    this.flush()
    this.stats.lines = this.lineNo
    return { stats: this.stats, repliesFolded: this.repliesFolded, serverPortGuesses: this.portGuesses, listeningPortsLearned: this.learnedCount, headers: this.headers }
  }

  private append(chunk: Buffer, s: number, e: number): void {
    if (this.overlong) return
    const need = this.carryLen + (e - s)
    if (need > MAX_LINE_BYTES) {
      this.overlong = true
      this.carryLen = 0
      return
    }
    if (need >= this.carry.length) {
      const bigger = Buffer.allocUnsafe(Math.min(MAX_LINE_BYTES + 1, Math.max(need + 1, this.carry.length * 2)))
      this.carry.copy(bigger, 0, 0, this.carryLen)
      this.carry = bigger
    }
    chunk.copy(this.carry, this.carryLen, s, e)
    this.carryLen = need
  }

  private flushCarry(): void {
    if (this.overlong) {
      this.overlong = false
      this.carryLen = 0
      noteMalformed(this.stats, ++this.lineNo, 'line longer than 1 MiB')
      return
    }
    const n = this.carryLen
    this.carryLen = 0
    this.carry[n] = 10 // the sentinel `line` relies on (the carry always has a byte to spare)
    this.line(this.carry, 0, n)
  }

  /** One line: `buf[s..e)` without its `\n`. */
  private line(buf: Buffer, s: number, e: number): void {
    const lineNo = ++this.lineNo
    if (lineNo === 1 && e - s >= 3 && buf[s] === 0xef && buf[s + 1] === 0xbb && buf[s + 2] === 0xbf) s += 3
    if (e > s && buf[e - 1] === 13) e-- // CRLF
    // fields: runs of bytes > 0x20, separated by spaces (or tabs, …)
    const words = buf === this.wordsOf ? this.words : null
    let n = words !== null ? this.splitWords(buf, words, s, e) : -1
    if (n < 0) n = this.splitBytes(buf, s, e)
    if (n === 0) return // blank line
    const ts = this.ts
    const te = this.te
    const b0 = buf[ts[0]!]!
    if (b0 >= 97 && b0 <= 122 && n <= MAX_FIELDS && this.nameShaped(buf, n) && this.header(buf, n)) return
    let f = this.format
    if (f === null) {
      if (n === 14 && b0 === 50 && te[0]! - ts[0]! === 1) f = DEFAULT_FORMAT
      else {
        noteMalformed(this.stats, lineNo, 'no header line before this record, and it is not a default-format (version 2) record')
        return
      }
    }
    if (n !== f.n) {
      noteMalformed(this.stats, lineNo, n > MAX_FIELDS ? `more than ${MAX_FIELDS} fields` : `${n} fields where the header names ${f.n}`)
      return
    }
    this.record(buf, f, lineNo)
  }

  /**
   * Split a line into fields a byte at a time: any run of bytes ≤ 0x20 separates. `buf[e]` is
   * always such a byte (the `\n`, a `\r`, or the sentinel after an assembled line), so the field
   * loop needs no bounds check. Returns the number of fields (MAX_FIELDS + 1 when there are more).
   */
  private splitBytes(buf: Buffer, s: number, e: number): number {
    const ts = this.ts
    const te = this.te
    let n = 0
    let i = s
    fields: for (;;) {
      while (buf[i]! <= 32) if (++i >= e) break fields
      if (n === MAX_FIELDS) return n + 1
      ts[n] = i
      while (buf[i]! > 32) i++
      te[n++] = i
    }
    return n
  }

  /**
   * The fast split of a well-formed line (fields separated by exactly one byte ≤ 0x20, none
   * leading or trailing), four bytes at a time: in each 32-bit word w, `~(((w & 0x7f7f7f7f) +
   * 0x5f5f5f5f) | w) & 0x80808080` sets the high bit of exactly the bytes ≤ 0x20 (the low seven
   * bits plus 0x5f reach 0x80 from 0x21 up, without a carry into the next byte; `| w` excludes
   * bytes ≥ 0x80). Far fewer branches than a byte loop, and far fewer mispredicted.
   * Returns -1 when the line is not so simple (then `splitBytes` reads it).
   */
  private splitWords(buf: Buffer, words: Uint32Array, s: number, e: number): number {
    const ts = this.ts
    const te = this.te
    const first = this.wordsFirst
    let n = 0
    let start = s
    let i = s
    // bytes up to the first aligned one
    for (; i < e && ((i - first) & 3) !== 0; i++) {
      if (buf[i]! <= 32) {
        if (i === start || n === MAX_FIELDS) return -1
        ts[n] = start
        te[n++] = i
        start = i + 1
      }
    }
    for (; i + 4 <= e; i += 4) {
      const w = words[(i - first) >> 2]!
      let flags = ~(((w & 0x7f7f7f7f) + 0x5f5f5f5f) | w) & 0x80808080
      while (flags !== 0) {
        const j = i + ((31 - Math.clz32(flags & -flags)) >> 3)
        flags &= flags - 1
        if (j === start || n === MAX_FIELDS) return -1
        ts[n] = start
        te[n++] = j
        start = j + 1
      }
    }
    for (; i < e; i++) {
      if (buf[i]! <= 32) {
        if (i === start || n === MAX_FIELDS) return -1
        ts[n] = start
        te[n++] = i
        start = i + 1
      }
    }
    if (start >= e || n === MAX_FIELDS) return -1
    ts[n] = start
    te[n++] = e
    return n
  }

  /** Are all fields shaped like field names (a header candidate)? Cheap: stops at the first byte that is not. */
  private nameShaped(buf: Buffer, n: number): boolean {
    for (let k = 0; k < n; k++) {
      const s = this.ts[k]!
      const e = this.te[k]!
      const c = buf[s]!
      if (c < 97 || c > 122) return false
      for (let i = s + 1; i < e; i++) {
        const b = buf[i]!
        if (!((b >= 97 && b <= 122) || (b >= 48 && b <= 57) || b === 45 || b === 95)) return false
      }
    }
    return true
  }

  /** A header line (the first, or one that reappears in concatenated files): it sets the format. */
  private header(buf: Buffer, n: number): boolean {
    const names: string[] = []
    for (let k = 0; k < n; k++) names.push(buf.toString('latin1', this.ts[k]!, this.te[k]!))
    if (!isHeaderTokens(names)) return false
    this.format = compileFormat(names)
    this.headers++
    return true
  }

  /** One record in format `f` (field count already checked). */
  private record(buf: Buffer, f: VpcFormat, lineNo: number): void {
    const ts = this.ts
    const te = this.te
    const stats = this.stats
    // NODATA / SKIPDATA carry no traffic
    if (f.status >= 0) {
      const s = ts[f.status]!
      const e = te[f.status]!
      const c = buf[s]
      if ((c === 78 && e - s === 6 && bytesEqual(buf, s, e, 'NODATA')) || (c === 83 && e - s === 8 && bytesEqual(buf, s, e, 'SKIPDATA'))) {
        stats.skipped++
        return
      }
    }
    if (f.src < 0 || f.dst < 0) {
      noteMalformed(stats, lineNo, 'the header names no srcaddr or no dstaddr field')
      return
    }
    if (this.addrText.length > MAX_ADDRESSES - 4 || this.enis.size > MAX_ENIS - 1) this.resetCaches()

    // addresses: interface level, and packet level when the format has it
    if (isDash(buf, ts[f.src]!, te[f.src]!) || isDash(buf, ts[f.dst]!, te[f.dst]!)) {
      stats.skipped++ // no IP addresses: nothing to learn from
      return
    }
    const bad = this.addresses(buf, f.addrCols)
    if (bad >= 0) return noteMalformed(stats, lineNo, ADDRESS_REASONS[bad]!)
    const ids = this.ids
    const src = ids[0]!
    const dst = ids[1]!
    const psrc = ids[2]!
    const pdst = ids[3]!

    // numbers
    const wrong = this.numbers(buf, f.numCols)
    if (wrong >= 0) return noteMalformed(stats, lineNo, NUMERIC_REASONS[wrong]!)
    const nums = this.nums
    const sport = nums[0]!
    const dport = nums[1]!
    const proto = nums[2]!
    const packets = nums[3]! < 0 ? 0 : nums[3]!
    const bytes = nums[4]! < 0 ? 0 : nums[4]!
    const start = nums[5]! < 0 ? 0 : nums[5]!
    const end = nums[6]! < 0 ? start : nums[6]!
    // epoch ms, boxed once per distinct second: records of an aggregation interval share them, and
    // a boxed number passed on allocates nothing (Unix ms do not fit V8's small integers)
    const times = this.times
    if (start !== this.timesStart) {
      this.timesStart = start
      times[0] = start * 1000
    }
    if (end !== this.timesEnd) {
      this.timesEnd = end
      times[1] = end * 1000
    }
    const firstSeen = times[0] as number
    const lastSeen = times[1] as number
    const flags = nums[7]!
    let action = ACT_UNKNOWN
    if (f.action >= 0) {
      const s = ts[f.action]!
      const e = te[f.action]!
      const c = buf[s]
      // ACCEPT / REJECT, spelled out: this runs for every record
      if (e - s === 6 && c === 65 && buf[s + 1] === 67 && buf[s + 2] === 67 && buf[s + 3] === 69 && buf[s + 4] === 80 && buf[s + 5] === 84) action = ACT_ACCEPT
      else if (e - s === 6 && c === 82 && buf[s + 1] === 69 && buf[s + 2] === 74 && buf[s + 3] === 69 && buf[s + 4] === 67 && buf[s + 5] === 84) action = ACT_REJECT
      else if (!isDash(buf, s, e)) return noteMalformed(stats, lineNo, 'field action is not ACCEPT or REJECT')
    }
    let dir = DIR_NONE
    if (f.dir >= 0) {
      const s = ts[f.dir]!
      const e = te[f.dir]!
      const c = buf[s]
      // egress / ingress, spelled out
      if (e - s === 6 && c === 101 && buf[s + 1] === 103 && buf[s + 2] === 114 && buf[s + 3] === 101 && buf[s + 4] === 115 && buf[s + 5] === 115) dir = DIR_EGRESS
      else if (e - s === 7 && c === 105 && buf[s + 1] === 110 && buf[s + 2] === 103 && buf[s + 3] === 114 && buf[s + 4] === 101 && buf[s + 5] === 115 && buf[s + 6] === 115) dir = DIR_INGRESS
    }
    let eni = -1
    if (f.iface >= 0 && !isDash(buf, ts[f.iface]!, te[f.iface]!)) eni = this.eni(buf, ts[f.iface]!, te[f.iface]!)

    // Who opened the connection, and the server port. VPC flow logs record each direction of a
    // connection as its own record; the reply (server → client) is folded into the connection it
    // answers so that `from` is the client and `port` the server's port:
    //  1. TCP with tcp-flags: SYN without ACK is sent by the client (src opened it); SYN-ACK is the
    //     server's answer (src is the server). A SYN-ACK also teaches that its source port is a
    //     listening port for the rest of the file (a SYN does not: scanners send SYNs anywhere).
    //  2. Otherwise the ports: a port below 1024, or learned as listening, is the server's when
    //     the other is not (an ephemeral client port ≥ 1024). When both are such server ports, the
    //     lower one is the server's. When neither is (both ephemeral), the lower one is taken as
    //     the server's and the guess is counted (`serverPortGuesses`). Equal ports: src is the client.
    // Protocols without ports (ICMP, …) are never folded and their edge port is 0.
    const p = proto < 0 ? 0 : proto
    const protocol = proto < 0 ? 'other' : PROTOCOL_NAMES[p]!
    const sp = sport < 0 ? 0 : sport
    const dp = dport < 0 ? 0 : dport
    let swap = false
    let port = 0
    if (HAS_PORTS[p] === 1) {
      let decided = false
      if (p === TCP && flags > 0) {
        const sa = flags & SYN_ACK
        if (sa === SYN_ACK) {
          swap = decided = true
          if (this.listening[sp] === 0) {
            this.listening[sp] = 1
            this.learnedCount++
          }
        } else if (sa === FLAG_SYN) decided = true
      }
      if (!decided) {
        const srvS = sp < 1024 || this.listening[sp] === 1
        const srvD = dp < 1024 || this.listening[dp] === 1
        if (srvS !== srvD) swap = srvS
        else {
          swap = sp < dp
          if (!srvS) this.portGuesses++
        }
      }
      port = swap ? sp : dp
      if (swap) this.repliesFolded++
    }

    // Identities. The packet-level address, when present, is the real peer (traffic through a NAT
    // gateway or a load balancer shows the intermediary at interface level). The ENI names only
    // the local side of the record, and only when that side was not translated (its packet
    // address is its interface address): a NAT gateway's ENI is not the peer of the traffic it
    // relays. Which side is local:
    //  - flow-direction egress: the source; ingress: the destination;
    //  - without flow-direction (v2–v4 formats), the ENI is used only where it would change the
    //    identity of both sides (else the ENI is unknown, or one side's own address already names
    //    the ENI's workload and is the local side). Then the local side is, in this order: the one
    //    that is not obviously remote (a public address or an external name is never an ENI's
    //    own address); the address this ENI's records carry more often (its own address is in
    //    every record of the ENI: counted per ENI with a bounded heavy-hitter sketch, which
    //    records with flow-direction feed with their local address too); the one
    //    whose address does not name another workload. When all three tie (typically the first
    //    record of an ENI between two unnamed private addresses) the record waits, at most
    //    PENDING_PER_ENI of them per ENI, until later records of the ENI tell its own address; one
    //    still undecided at the end of the file (or pushed out of the queue) is attributed by
    //    address alone — an unnamed bucket is honest, guessing a side would invent an edge.
    const sId = psrc >= 0 ? psrc : src
    const dId = pdst >= 0 ? pdst : dst
    let sRes = this.plain(sId)
    let dRes = this.plain(dId)
    let atSrc = true // observed where the source is (an egress view of the record)
    if (eni >= 0) {
      const sEligible = psrc < 0 || psrc === src
      const dEligible = pdst < 0 || pdst === dst
      if (dir === DIR_EGRESS) {
        if (sEligible) {
          sRes = this.withEni(sId, eni)
          this.learnOwn(eni, src)
        }
      } else if (dir === DIR_INGRESS) {
        atSrc = false
        if (dEligible) {
          dRes = this.withEni(dId, eni)
          this.learnOwn(eni, dst)
        }
      } else if (sEligible && dEligible) {
        const se = this.withEni(sId, eni)
        const de = this.withEni(dId, eni)
        const res = this.res
        const sPlain = res[sRes]!
        const dPlain = res[dRes]!
        const sMatters = res[se]!.key !== sPlain.key
        const dMatters = res[de]!.key !== dPlain.key
        if (sMatters && dMatters) {
          this.mgSee(eni, src)
          this.mgSee(eni, dst)
          const side = this.localSide(eni, src, dst, sPlain, dPlain)
          if (side === SIDE_SRC) sRes = se
          else if (side === SIDE_DST) {
            dRes = de
            atSrc = false
          } else {
            this.hold(eni, { line: lineNo, src, dst, psrc, pdst, sport, dport, port, protocol, bytes, packets, firstSeen, lastSeen, action, swap, sRes, dRes, se, de })
            this.release(eni, false)
            return
          }
          if (this.pending[eni] !== undefined) this.release(eni, false)
        } else if (sMatters) atSrc = false
      }
    }
    this.emit(lineNo, src, dst, psrc, pdst, sport, dport, eni, swap ? dRes : sRes, swap ? sRes : dRes, port, protocol, bytes, packets, firstSeen, lastSeen, action, atSrc !== swap)
  }

  /** A record with flow-direction says which address is the ENI's own: count it, and settle what waited for it. */
  private learnOwn(eni: number, addr: number): void {
    this.mgSee(eni, addr)
    if (this.pendingCount > 0 && this.pending[eni] !== undefined) this.release(eni, false)
  }

  /** The local side of a record whose ENI changes both sides' identity (see `record`), or SIDE_UNKNOWN. */
  private localSide(eni: number, src: number, dst: number, sPlain: Resolution, dPlain: Resolution): number {
    if (sPlain.remote !== dPlain.remote) return sPlain.remote ? SIDE_DST : SIDE_SRC
    const cs = this.mgCountOf(eni, src)
    const cd = this.mgCountOf(eni, dst)
    if (cs !== cd) return cs > cd ? SIDE_SRC : SIDE_DST
    if (sPlain.named !== dPlain.named) return sPlain.named ? SIDE_DST : SIDE_SRC
    return SIDE_UNKNOWN
  }

  /** Queue a record whose local side is not known yet; the oldest is pushed out beyond the bound. */
  private hold(eni: number, r: Pending): void {
    const q = (this.pending[eni] ??= [])
    q.push(r)
    this.pendingCount++
    if (q.length > PENDING_PER_ENI) {
      this.pendingCount--
      this.emitPending(eni, q.shift()!, SIDE_UNKNOWN)
    }
  }

  /** Emit the queued records of an ENI whose side is now known (all of them, by address alone, when `all`). */
  private release(eni: number, all: boolean): void {
    const q = this.pending[eni]
    if (q === undefined) return
    let kept = 0
    for (let k = 0; k < q.length; k++) {
      const r = q[k]!
      const side = all ? SIDE_UNKNOWN : this.localSide(eni, r.src, r.dst, this.res[r.sRes]!, this.res[r.dRes]!)
      if (side === SIDE_UNKNOWN && !all) q[kept++] = r
      else {
        this.pendingCount--
        this.emitPending(eni, r, side)
      }
    }
    q.length = kept
    if (kept === 0) this.pending[eni] = undefined
  }

  private releaseAll(): void {
    if (this.pendingCount === 0) return
    for (let eni = 0; eni < this.pending.length; eni++) this.release(eni, true)
  }

  private emitPending(eni: number, r: Pending, side: number): void {
    const sRes = side === SIDE_SRC ? r.se : r.sRes
    const dRes = side === SIDE_DST ? r.de : r.dRes
    const atSrc = side !== SIDE_DST
    this.emit(r.line, r.src, r.dst, r.psrc, r.pdst, r.sport, r.dport, eni, r.swap ? dRes : sRes, r.swap ? sRes : dRes, r.port, r.protocol, r.bytes, r.packets, r.firstSeen, r.lastSeen, r.action, atSrc !== r.swap)
  }

  /** One flow: into the aggregator, and to `onFlow` when set. */
  private emit(lineNo: number, src: number, dst: number, psrc: number, pdst: number, sport: number, dport: number, eni: number, fromRes: number, toRes: number, port: number, protocol: FlowProtocol, bytes: number, packets: number, firstSeen: number, lastSeen: number, action: number, egress: boolean): void {
    const stats = this.stats
    const from = this.res[fromRes]!
    const to = this.res[toRes]!
    const unresolved = (from.resolved ? 0 : 1) + (to.resolved ? 0 : 1)
    if (unresolved > 0) {
      stats.unresolved++
      this.resolver.unresolved += unresolved
    }
    stats.flows++
    if (this.onFlow === undefined) {
      // queued: the aggregator is fed in runs of BATCH records (see `flush`)
      const k = this.bN
      this.bFrom[k] = fromRes
      this.bTo[k] = toRes
      this.bPort[k] = port
      this.bProtocol[k] = protocol
      this.bBytes[k] = bytes
      this.bPackets[k] = packets
      this.bFirst[k] = firstSeen
      this.bLast[k] = lastSeen
      this.bDropped[k] = action === ACT_REJECT ? 1 : 0
      this.bLine[k] = lineNo
      this.bSrc[k] = src
      this.bDst[k] = dst
      this.bPsrc[k] = psrc
      this.bPdst[k] = pdst
      this.bSport[k] = sport
      this.bDport[k] = dport
      this.bEni[k] = eni
      if ((this.bN = k + 1) === BATCH) this.flush()
      return
    }
    this.cLine = lineNo
    this.cSrc = src
    this.cDst = dst
    this.cPsrc = psrc
    this.cPdst = pdst
    this.cSport = sport
    this.cDport = dport
    this.cEni = eni
    // with onFlow, flows go one by one: the caller sees each as it is aggregated
    this.aggregator.observe(from.peer, from.key, to.peer, to.key, port, protocol, bytes, packets, firstSeen, lastSeen, action === ACT_REJECT, 'vpc', this.evidence)
    this.onFlow({
      from: from.peer,
      to: to.peer,
      port,
      protocol,
      direction: egress ? 'egress' : 'ingress',
      bytes,
      packets,
      verdict: action === ACT_ACCEPT ? 'forwarded' : action === ACT_REJECT ? 'dropped' : 'unknown',
      firstSeen,
      lastSeen,
      evidence: this.makeEvidence(),
    })
  }

  /**
   * Feed the queued flows to the aggregator, in order, one `observe` each (nothing changes but
   * when). Running the aggregator in a tight loop rather than once between the parsing of two
   * lines keeps its code and its map hot: measured 1.13 → 1.30 M lines per CPU-second over the
   * whole ingest (bench/flows.mjs input, 1 M lines from memory; 64, 1024, 4096 were no better).
   */
  private flush(): void {
    const n = this.bN
    this.bN = 0
    const res = this.res
    const aggregator = this.aggregator
    for (let k = 0; k < n; k++) {
      const from = res[this.bFrom[k]!]!
      const to = res[this.bTo[k]!]!
      this.cLine = this.bLine[k]!
      this.cSrc = this.bSrc[k]!
      this.cDst = this.bDst[k]!
      this.cPsrc = this.bPsrc[k]!
      this.cPdst = this.bPdst[k]!
      this.cSport = this.bSport[k]!
      this.cDport = this.bDport[k]!
      this.cEni = this.bEni[k]!
      aggregator.observe(from.peer, from.key, to.peer, to.key, this.bPort[k]!, this.bProtocol[k]!, this.bBytes[k]!, this.bPackets[k]!, this.bFirst[k]!, this.bLast[k]!, this.bDropped[k] === 1, 'vpc', this.evidence)
    }
  }

  /** The evidence of the current record: where it is and the raw addresses, as observed. */
  private makeEvidence(): FlowEvidence {
    const at = (id: number, port: number): string => {
      const a = this.addrV6[id] ? `[${this.addrText[id]}]` : this.addrText[id]!
      return port < 0 ? a : `${a}:${port}`
    }
    let addresses = `${at(this.cSrc, this.cSport)} → ${at(this.cDst, this.cDport)}`
    if ((this.cPsrc >= 0 && this.cPsrc !== this.cSrc) || (this.cPdst >= 0 && this.cPdst !== this.cDst)) {
      addresses += ` (packet ${this.addrText[this.cPsrc >= 0 ? this.cPsrc : this.cSrc]} → ${this.addrText[this.cPdst >= 0 ? this.cPdst : this.cDst]})`
    }
    const ev: FlowEvidence = { source: 'vpc', file: this.file, line: this.cLine, addresses }
    if (this.cEni >= 0) ev.observer = this.eniText[this.cEni]!
    return ev
  }

  /**
   * Parse the numeric fields (`NUMERIC_FIELDS` order) into `nums`, in one pass without calls:
   * `NO_VALUE` for `-` or a field the format lacks. Returns the slot of the first invalid field, or -1.
   */
  private numbers(buf: Buffer, cols: Int32Array): number {
    const ts = this.ts
    const te = this.te
    const nums = this.nums
    // unrolled: each field parsed by the small `numberAt`, which the compiler inlines
    const c0 = cols[0]!
    const c1 = cols[1]!
    const c2 = cols[2]!
    const c3 = cols[3]!
    const c4 = cols[4]!
    const c5 = cols[5]!
    const c6 = cols[6]!
    const c7 = cols[7]!
    const v0 = c0 < 0 ? NO_VALUE : numberAt(buf, ts[c0]!, te[c0]!)
    const v1 = c1 < 0 ? NO_VALUE : numberAt(buf, ts[c1]!, te[c1]!)
    const v2 = c2 < 0 ? NO_VALUE : numberAt(buf, ts[c2]!, te[c2]!)
    const v3 = c3 < 0 ? NO_VALUE : numberAt(buf, ts[c3]!, te[c3]!)
    const v4 = c4 < 0 ? NO_VALUE : numberAt(buf, ts[c4]!, te[c4]!)
    const v5 = c5 < 0 ? NO_VALUE : numberAt(buf, ts[c5]!, te[c5]!)
    const v6 = c6 < 0 ? NO_VALUE : numberAt(buf, ts[c6]!, te[c6]!)
    const v7 = c7 < 0 ? NO_VALUE : numberAt(buf, ts[c7]!, te[c7]!)
    nums[0] = v0
    nums[1] = v1
    nums[2] = v2
    nums[3] = v3
    nums[4] = v4
    nums[5] = v5
    nums[6] = v6
    nums[7] = v7
    if (v0 === INVALID || v0 > 65535) return 0
    if (v1 === INVALID || v1 > 65535) return 1
    if (v2 === INVALID || v2 > 255) return 2
    if (v3 === INVALID) return 3
    if (v4 === INVALID) return 4
    if (v5 === INVALID) return 5
    if (v6 === INVALID) return 6
    if (v7 === INVALID) return 7
    return -1
  }

  /**
   * Intern the address fields (`ADDRESS_FIELDS` order) into `ids` (-1: `-` or absent); a packet
   * address equal to its interface address costs a byte comparison. Returns the slot of the first
   * field that is not an IP address, or -1.
   */
  private addresses(buf: Buffer, cols: Int32Array): number {
    const ts = this.ts
    const te = this.te
    const ids = this.ids
    for (let k = 0; k < 4; k++) {
      const col = cols[k]!
      if (col < 0) {
        ids[k] = -1
        continue
      }
      const s = ts[col]!
      const e = te[col]!
      if (k >= 2) {
        if (e - s === 1 && buf[s] === 45) {
          ids[k] = -1
          continue
        }
        const iface = cols[k - 2]!
        if (sameBytes(buf, s, e, ts[iface]!, te[iface]!)) {
          ids[k] = ids[k - 2]!
          continue
        }
      }
      const id = this.address(buf, s, e)
      if (id < 0) return k
      ids[k] = id
    }
    return -1
  }

  /**
   * The id of an address field, or -1 when it is not an IP address. A dotted-quad IPv4 address is
   * parsed into its 32-bit value, the key of an `IntMap` (no string, no byte comparison); anything
   * else (IPv6) is interned by its bytes and validated once. Measured alternative: a
   * `buf.latin1Slice()` per address and a `Map<string, id>` made the whole ingest ~25 % slower
   * (0.95 vs 1.24 M lines per CPU-second, bench/flows.mjs input, 1 M lines from memory).
   */
  private address(buf: Buffer, s: number, e: number): number {
    let v = 0
    let octet = 0
    let at = s // where the current octet starts
    let dots = 0
    let i = s
    for (; i < e; i++) {
      const d = buf[i]! - 48
      if (d >>> 0 <= 9) {
        octet = octet * 10 + d
        continue
      }
      // a dot ends an octet: 1–3 digits, ≤ 255, no leading zero
      if (d !== -2 || dots === 3 || i === at || i - at > 3 || octet > 255 || (i - at > 1 && buf[at] === 48)) break
      v = (v << 8) | octet
      octet = 0
      at = i + 1
      dots++
    }
    if (i === e && dots === 3 && i !== at && i - at <= 3 && octet <= 255 && !(i - at > 1 && buf[at] === 48)) {
      const key = (v << 8) | octet
      let id = this.v4.get(key)
      if (id < 0) {
        id = this.newAddress(buf.toString('latin1', s, e), true, false)
        this.v4.set(key, id)
      }
      return id
    }
    const k = this.addrs.find(buf, s, e)
    let id: number
    if (k >= 0) id = this.otherIds[k]!
    else {
      this.addrs.add(buf, s, e)
      const text = buf.toString('latin1', s, e)
      const v4 = isIPv4Bytes(buf, s, e)
      const v6 = !v4 && text.includes(':') && normalizeIp(text) !== undefined
      id = this.newAddress(text, v4 || v6, v6)
      this.otherIds.push(id)
    }
    return this.addrValid[id] ? id : -1
  }

  private newAddress(text: string, valid: boolean, v6: boolean): number {
    this.addrText.push(text)
    this.addrValid.push(valid)
    this.addrV6.push(v6)
    this.addrPlain.push(-1)
    return this.addrText.length - 1
  }

  /** The id of an ENI; records of one ENI often come in runs, so the previous one is tried first. */
  private eni(buf: Buffer, s: number, e: number): number {
    const last = this.lastEni
    if (last >= 0 && this.enis.is(last, buf, s, e)) return last
    let id = this.enis.find(buf, s, e)
    if (id < 0) {
      id = this.enis.add(buf, s, e)
      this.eniText.push(buf.toString('latin1', s, e))
      if ((id + 1) * MG_SLOTS > this.mgAddr.length) {
        const addr = new Int32Array(this.mgAddr.length * 2).fill(-1)
        addr.set(this.mgAddr)
        const count = new Int32Array(this.mgCount.length * 2)
        count.set(this.mgCount)
        this.mgAddr = addr
        this.mgCount = count
      }
    }
    this.lastEni = id
    return id
  }

  /** Resolution of an address alone. */
  private plain(id: number): number {
    let r = this.addrPlain[id]!
    if (r < 0) {
      r = this.resolve(this.addrText[id]!, undefined)
      this.addrPlain[id] = r
    }
    return r
  }

  /** Resolution of an address reported by an ENI. */
  private withEni(id: number, eni: number): number {
    let r = this.pairs.get(id, eni)
    if (r < 0) {
      r = this.resolve(this.addrText[id]!, this.eniText[eni]!)
      this.pairs.set(id, eni, r)
    }
    return r
  }

  /**
   * Ask the resolver (once per address and ENI). Its `unresolved` counter is restored: this
   * reader adds one per side per flow that resolved only to a CIDR bucket, which is what the
   * resolver's own per-address cache would have counted had every line called it.
   */
  private resolve(ip: string, eni: string | undefined): number {
    const before = this.resolver.unresolved
    const r = this.resolver.address(ip, eni)
    this.resolver.unresolved = before
    const remote = r.peer.kind === 'fqdn' || (r.peer.kind === 'cidr' && r.peer.scope === 'public')
    this.res.push({ peer: r.peer, key: r.key, resolved: r.resolved, remote, named: r.peer.kind === 'identity' })
    return this.res.length - 1
  }

  /** Count one sighting of an address in an ENI's records (Misra–Gries: bounded, keeps the frequent ones). */
  private mgSee(eni: number, addr: number): void {
    const base = eni * MG_SLOTS
    const ids = this.mgAddr
    const counts = this.mgCount
    let free = -1
    for (let k = base; k < base + MG_SLOTS; k++) {
      if (ids[k] === addr) {
        counts[k] = counts[k]! + 1
        return
      }
      if (free < 0 && ids[k] === -1) free = k
    }
    if (free >= 0) {
      ids[free] = addr
      counts[free] = 1
      return
    }
    for (let k = base; k < base + MG_SLOTS; k++) {
      const c = counts[k]! - 1
      counts[k] = c
      if (c === 0) ids[k] = -1
    }
  }

  private mgCountOf(eni: number, addr: number): number {
    const base = eni * MG_SLOTS
    for (let k = base; k < base + MG_SLOTS; k++) if (this.mgAddr[k] === addr) return this.mgCount[k]!
    return 0
  }

  private resetCaches(): void {
    this.releaseAll()
    this.flush() // queued flows refer to resolutions about to be forgotten
    this.pending = []
    this.v4.clear()
    this.addrs.clear()
    this.otherIds = []
    this.addrText = []
    this.addrValid = []
    this.addrV6 = []
    this.addrPlain = []
    this.enis.clear()
    this.eniText = []
    this.lastEni = -1
    this.pairs.clear()
    this.res = []
    this.mgAddr.fill(-1)
    this.mgCount.fill(0)
  }
}
