/**
 * Addresses read straight from bytes (`ss` and `conntrack` output), without a string per field:
 * IPv4 is decoded to a 32-bit number and its text interned, IPv6 is decoded to 16 bytes and
 * written canonically (RFC 5952, IPv4-mapped as IPv4: the same text `parseProcNet` and
 * `canonicalIp` give). Anything else (a zone index `%eth0`) goes to `canonicalIp`.
 */
import { canonicalIp } from './addresses.js'
import { formatIpv6 } from './procnet.js'

const DOT = 0x2e
const COLON = 0x3a
const PERCENT = 0x25

/** A dotted-quad IPv4 address in `buf[start, end)` as an unsigned 32-bit number, or -1. Octets have no leading zeros (as `net.isIPv4`). */
export function parseIpv4(buf: Uint8Array, start: number, end: number): number {
  let value = 0
  let octets = 0
  let p = start
  while (octets < 4) {
    const first = p
    let octet = 0
    while (p < end) {
      const d = buf[p]! - 0x30
      if (d < 0 || d > 9) break
      octet = octet * 10 + d
      p++
      if (p - first > 3) return -1
    }
    const digits = p - first
    if (digits === 0 || octet > 255 || (digits > 1 && buf[first] === 0x30)) return -1
    value = value * 256 + octet
    octets++
    if (octets < 4) {
      if (p >= end || buf[p] !== DOT) return -1
      p++
    }
  }
  return p === end ? value : -1
}

export function ipv4Text(n: number): string {
  return `${Math.floor(n / 16777216)}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`
}

function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30
  if (c >= 0x61 && c <= 0x66) return c - 0x57
  if (c >= 0x41 && c <= 0x46) return c - 0x37
  return -1
}

/**
 * An IPv6 address in `buf[start, end)` (hex groups, at most one `::` standing for at least one
 * group, an optional dotted IPv4 tail; no zone index) into 16 network-order bytes. The accepted
 * texts are the ones `net.isIPv6` accepts without a zone. Returns false otherwise.
 */
export function parseIpv6(buf: Uint8Array, start: number, end: number, out: Uint8Array): boolean {
  const groups: number[] = []
  let compressAt = -1
  let p = start
  if (end - start < 2) return false
  if (buf[p] === COLON) {
    if (buf[p + 1] !== COLON) return false
    compressAt = 0
    p += 2
    if (p === end) {
      out.fill(0)
      return true
    }
  }
  for (;;) {
    // a group, or the IPv4 tail
    const first = p
    let v = 0
    while (p < end && p - first < 5) {
      const h = hexDigit(buf[p]!)
      if (h < 0) break
      v = (v << 4) | h
      p++
    }
    if (p < end && buf[p] === DOT) {
      const v4 = parseIpv4(buf, first, end)
      if (v4 < 0 || groups.length > 6) return false
      groups.push(Math.floor(v4 / 65536), v4 & 0xffff)
      p = end
      break
    }
    const digits = p - first
    if (digits === 0 || digits > 4) return false
    groups.push(v)
    if (p === end) break
    if (buf[p] !== COLON || groups.length >= 8) return false
    p++
    if (buf[p] === COLON) {
      if (compressAt >= 0) return false
      compressAt = groups.length
      p++
      if (p === end) break
    } else if (p === end) return false
  }
  if (compressAt < 0 ? groups.length !== 8 : groups.length > 7) return false
  const fill = 8 - groups.length
  let g = 0
  for (let i = 0; i < 8; i++) {
    let v: number
    if (compressAt >= 0 && i >= compressAt && i < compressAt + fill) v = 0
    else v = groups[g++]!
    out[i * 2] = v >> 8
    out[i * 2 + 1] = v & 0xff
  }
  return true
}

const MAX_CACHE = 8192

/**
 * Canonical address text from bytes, with the strings reused: repeated addresses (the usual case
 * on a busy host) cost no allocation, and the same string object keeps its hash for the maps
 * the agent looks it up in.
 */
export class IpText {
  private v4 = new Map<number, string>()
  private v6 = new Map<string, string | null>()
  private readonly bytes = new Uint8Array(16)

  /** Canonical text of the address in `buf[start, end)`, or undefined when it is not an address. */
  text(buf: Uint8Array, start: number, end: number): string | undefined {
    const n = parseIpv4(buf, start, end)
    if (n >= 0) return this.ipv4(n)
    let colon = false
    for (let i = start; i < end; i++) {
      const c = buf[i]!
      if (c === COLON) colon = true
      else if (c === PERCENT || c > 0x7e || c <= 0x20) return this.slow(buf, start, end)
    }
    if (!colon) return undefined
    const raw = Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString('latin1')
    const known = this.v6.get(raw)
    if (known !== undefined) return known ?? undefined
    const text = parseIpv6(buf, start, end, this.bytes) ? formatIpv6(this.bytes) : null
    if (this.v6.size >= MAX_CACHE) this.v6 = new Map()
    this.v6.set(raw, text)
    return text ?? undefined
  }

  /** The text of an IPv4 address given as a number. */
  ipv4(n: number): string {
    let s = this.v4.get(n)
    if (s === undefined) {
      s = ipv4Text(n)
      if (this.v4.size >= MAX_CACHE) this.v4 = new Map()
      this.v4.set(n, s)
    }
    return s
  }

  private slow(buf: Uint8Array, start: number, end: number): string | undefined {
    return canonicalIp(Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString('latin1'))
  }
}

/** Canonical text of an address given as a string, by the `IpText` rules: the same result as `canonicalIp`. */
export function canonicalIpText(text: string, cache: IpText = new IpText()): string | undefined {
  if (/[^\x21-\x7e]/.test(text)) return canonicalIp(text)
  return cache.text(Buffer.from(text, 'latin1'), 0, text.length)
}
