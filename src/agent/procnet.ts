/**
 * `/proc/net/{tcp,tcp6,udp,udp6}` parsing. The kernel prints every socket of the network
 * namespace, including thousands of TIME_WAIT entries on a busy host, so the parser works on the
 * raw bytes: it finds each line's state column at its fixed offset and decodes the addresses,
 * ports and inode only of the sockets the agent reports (LISTEN, ESTABLISHED, SYN_SENT,
 * SYN_RECV; bound and connected UDP sockets).
 *
 * Line layout (net/ipv4/tcp_ipv4.c `get_tcp4_sock`, net/ipv6/tcp_ipv6.c `get_tcp6_sock`,
 * net/ipv4/udp.c `udp4_format_sock`):
 *   `%4d: %08X:%04X %08X:%04X %02X %08X:%08X %02X:%08lX %08X %5u %8d %lu …`
 * The slot number is right-aligned but grows past its width on large tables, so offsets count
 * from the colon after it. An IPv4 address is one 32-bit word and an IPv6 address four, each
 * printed with `%08X` in host byte order (reversed bytes on little-endian machines).
 */
import os from 'node:os'

export type SocketProtocol = 'tcp' | 'udp'
export type AddressFamily = 4 | 6

/** One socket the agent cares about. Addresses are canonical text; IPv4-mapped IPv6 is IPv4. */
export interface ProcNetSocket {
  protocol: SocketProtocol
  /** `listen`: TCP LISTEN, or a UDP socket bound with no remote address. */
  kind: 'listen' | 'connection'
  /** The kernel state number (TCP states; UDP uses 7 unconnected, 1 connected). */
  state: number
  localIp: string
  localPort: number
  remoteIp: string
  remotePort: number
  /** Socket inode (`socket:[inode]` in `/proc/<pid>/fd`); 0 for request and orphaned sockets. */
  inode: number
  /** The socket owner's uid as the table prints it. */
  uid: number
}

/** Counters a caller may pass to see what the parser skipped. */
export interface ProcNetStats {
  /** Lines read (the header excluded). */
  lines: number
  /** Lines in a state the agent does not report (TIME_WAIT, CLOSE_WAIT, FIN_WAIT…). */
  skipped: number
  /** Lines that do not have the kernel's layout. */
  malformed: number
}

/** TCP states (include/net/tcp_states.h). */
export const TCP_STATE = {
  ESTABLISHED: 0x01,
  SYN_SENT: 0x02,
  SYN_RECV: 0x03,
  FIN_WAIT1: 0x04,
  FIN_WAIT2: 0x05,
  TIME_WAIT: 0x06,
  CLOSE: 0x07,
  CLOSE_WAIT: 0x08,
  LAST_ACK: 0x09,
  LISTEN: 0x0a,
  CLOSING: 0x0b,
  NEW_SYN_RECV: 0x0c,
} as const

const HEX = new Int8Array(256).fill(-1)
for (let i = 0; i < 10; i++) HEX[0x30 + i] = i
for (let i = 0; i < 6; i++) {
  HEX[0x41 + i] = 10 + i
  HEX[0x61 + i] = 10 + i
}

const SPACE = 0x20
const COLON = 0x3a
const NL = 0x0a

/** Reports for a TCP state byte pair: 1 listen, 2 connection, 0 skip. */
function tcpKind(state: number): 0 | 1 | 2 {
  if (state === TCP_STATE.LISTEN) return 1
  if (state === TCP_STATE.ESTABLISHED || state === TCP_STATE.SYN_SENT || state === TCP_STATE.SYN_RECV) return 2
  return 0
}

/** UDP: 7 (TCP_CLOSE) is an unconnected socket, 1 a connected one; the remote address decides. */
function udpRelevant(state: number): boolean {
  return state === TCP_STATE.CLOSE || state === TCP_STATE.ESTABLISHED
}

/** `%02X` at `at`, or -1. */
function hexByte(buf: Uint8Array, at: number): number {
  const hi = HEX[buf[at]!]!
  const lo = HEX[buf[at + 1]!]!
  return hi < 0 || lo < 0 ? -1 : (hi << 4) | lo
}

/** Four hex digits (a port), or -1. */
function hexPort(buf: Uint8Array, at: number): number {
  const a = hexByte(buf, at)
  const b = hexByte(buf, at + 2)
  return a < 0 || b < 0 ? -1 : (a << 8) | b
}

/**
 * Decode `words` 32-bit words printed with `%08X` at `at` into network-order bytes in `out`.
 * `littleEndian`: the words were stored little-endian, so each word's printed digits are its
 * bytes reversed. Returns false on a non-hex digit.
 */
function decodeWords(buf: Uint8Array, at: number, words: number, out: Uint8Array, littleEndian: boolean): boolean {
  for (let w = 0; w < words; w++) {
    for (let b = 0; b < 4; b++) {
      const v = hexByte(buf, at + w * 8 + b * 2)
      if (v < 0) return false
      out[w * 4 + (littleEndian ? 3 - b : b)] = v
    }
  }
  return true
}

/**
 * Canonical text of a 16-byte IPv6 address (RFC 5952: lower case, no leading zeros, the first
 * longest run of two or more zero groups as `::`). An IPv4-mapped address (`::ffff:a.b.c.d`) is
 * written as the IPv4 address.
 */
export function formatIpv6(bytes: Uint8Array): string {
  let mapped = bytes[10] === 0xff && bytes[11] === 0xff
  for (let i = 0; mapped && i < 10; i++) if (bytes[i] !== 0) mapped = false
  if (mapped) return `${bytes[12]}.${bytes[13]}.${bytes[14]}.${bytes[15]}`
  const groups: number[] = []
  for (let i = 0; i < 16; i += 2) groups.push((bytes[i]! << 8) | bytes[i + 1]!)
  let bestStart = -1
  let bestLen = 1
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++
      continue
    }
    let j = i
    while (j < 8 && groups[j] === 0) j++
    if (j - i > bestLen) {
      bestStart = i
      bestLen = j - i
    }
    i = j
  }
  if (bestStart < 0) return groups.map((g) => g.toString(16)).join(':')
  const head = groups.slice(0, bestStart).map((g) => g.toString(16)).join(':')
  const tail = groups.slice(bestStart + bestLen).map((g) => g.toString(16)).join(':')
  return `${head}::${tail}`
}

const HOST_LITTLE_ENDIAN = os.endianness() === 'LE'

/** Skip spaces from `at`; returns the first non-space offset (or `end`). */
function skipSpaces(buf: Uint8Array, at: number, end: number): number {
  while (at < end && buf[at] === SPACE) at++
  return at
}

/** Skip one space-separated token from `at`; returns the offset after it. */
function skipToken(buf: Uint8Array, at: number, end: number): number {
  while (at < end && buf[at] !== SPACE) at++
  return at
}

/** Decimal number at `at` up to a space or `end`; -1 if empty or not digits. */
function decimal(buf: Uint8Array, at: number, end: number): number {
  let v = 0
  let n = 0
  while (at < end && buf[at] !== SPACE) {
    const d = buf[at]! - 0x30
    if (d < 0 || d > 9 || n > 15) return -1
    v = v * 10 + d
    at++
    n++
  }
  return n === 0 ? -1 : v
}

/**
 * Parse one `/proc/net` socket table. `family` 4 for `tcp`/`udp`, 6 for `tcp6`/`udp6`. Only the
 * sockets the agent reports are returned; the state is read before anything else is decoded.
 * Never throws: lines without the kernel's layout are counted in `stats.malformed`.
 * `littleEndian` defaults to this machine's byte order (the table was printed by this kernel).
 */
export function parseProcNet(
  buf: Uint8Array,
  protocol: SocketProtocol,
  family: AddressFamily,
  stats?: ProcNetStats,
  littleEndian: boolean = HOST_LITTLE_ENDIAN,
): ProcNetSocket[] {
  const out: ProcNetSocket[] = []
  const hexLen = family === 4 ? 8 : 32
  // from the start of the local address: addr ':' port ' ' addr ':' port ' ' state
  const localPortAt = hexLen + 1
  const remoteAt = hexLen + 6
  const remotePortAt = remoteAt + hexLen + 1
  const stateAt = remotePortAt + 5
  const minLen = stateAt + 2
  const local = new Uint8Array(16)
  const remote = new Uint8Array(16)
  const len = buf.length
  let pos = 0
  let first = true
  while (pos < len) {
    let end = buf.indexOf(NL, pos)
    if (end < 0) end = len
    const lineStart = pos
    pos = end + 1
    if (end === lineStart) continue
    // the slot number: spaces, digits, ':'
    let p = skipSpaces(buf, lineStart, end)
    const digitsStart = p
    while (p < end && buf[p]! >= 0x30 && buf[p]! <= 0x39) p++
    if (first) {
      first = false
      // the header line: "  sl  local_address …"
      if (buf[p] === 0x73 /* s */ && buf[p + 1] === 0x6c /* l */ && p === digitsStart) continue
    }
    if (stats) stats.lines++
    if (p === digitsStart || buf[p] !== COLON || buf[p + 1] !== SPACE) {
      if (stats) stats.malformed++
      continue
    }
    const a = p + 2
    if (end - a < minLen || buf[a + hexLen] !== COLON || buf[a + remoteAt - 1] !== SPACE || buf[a + remoteAt + hexLen] !== COLON || buf[a + stateAt - 1] !== SPACE) {
      if (stats) stats.malformed++
      continue
    }
    const state = hexByte(buf, a + stateAt)
    if (state < 0) {
      if (stats) stats.malformed++
      continue
    }
    let kind: 0 | 1 | 2
    if (protocol === 'tcp') kind = tcpKind(state)
    else kind = udpRelevant(state) ? 2 : 0
    if (kind === 0) {
      if (stats) stats.skipped++
      continue
    }
    const localPort = hexPort(buf, a + localPortAt)
    const remotePort = hexPort(buf, a + remotePortAt)
    if (localPort < 0 || remotePort < 0 || !decodeWords(buf, a, hexLen / 8, local, littleEndian) || !decodeWords(buf, a + remoteAt, hexLen / 8, remote, littleEndian)) {
      if (stats) stats.malformed++
      continue
    }
    // after the state: tx:rx, tr:when, retrnsmt, uid, timeout, inode
    let q = a + stateAt + 2
    for (let t = 0; t < 3; t++) q = skipToken(buf, skipSpaces(buf, q, end), end)
    q = skipSpaces(buf, q, end)
    const uid = decimal(buf, q, end)
    q = skipSpaces(buf, skipToken(buf, skipSpaces(buf, skipToken(buf, q, end), end), end), end)
    const inode = decimal(buf, q, end)
    if (uid < 0 || inode < 0) {
      if (stats) stats.malformed++
      continue
    }
    const localIp = family === 4 ? `${local[0]}.${local[1]}.${local[2]}.${local[3]}` : formatIpv6(local)
    const remoteIp = family === 4 ? `${remote[0]}.${remote[1]}.${remote[2]}.${remote[3]}` : formatIpv6(remote)
    if (protocol === 'udp') {
      // a bound, unconnected UDP socket is a listener; port 0 is not bound at all
      if (localPort === 0) {
        if (stats) stats.skipped++
        continue
      }
      const unconnected = remotePort === 0 && (remoteIp === '0.0.0.0' || remoteIp === '::')
      kind = unconnected ? 1 : 2
    }
    out.push({ protocol, kind: kind === 1 ? 'listen' : 'connection', state, localIp, localPort, remoteIp, remotePort, inode, uid })
  }
  return out
}
