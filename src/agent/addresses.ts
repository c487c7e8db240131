/**
 * The host's addresses: the ones reported on every record (so another host's connection to this
 * one can be joined to the process listening here) and the full local set (to tell which end of
 * a conntrack event is this host).
 */
import net from 'node:net'
import type { NetworkInterfaceInfo } from 'node:os'

export type InterfaceTable = NodeJS.Dict<NetworkInterfaceInfo[]>

/** Canonical text of an address; IPv4-mapped IPv6 becomes IPv4. Undefined if `text` is not an address. */
export function canonicalIp(text: string): string | undefined {
  const v = net.isIP(text)
  if (v === 4) return text
  if (v !== 6) return undefined
  let host: string
  try {
    host = new URL(`http://[${text}]/`).hostname.slice(1, -1)
  } catch {
    // a zone index (`fe80::1%eth0`) is not valid in a URL; keep the text as printed
    return text.toLowerCase()
  }
  const m = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(host)
  if (m) {
    const hi = parseInt(m[1]!, 16)
    const lo = parseInt(m[2]!, 16)
    return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`
  }
  return host
}

/** 127.0.0.0/8 or ::1. */
export function isLoopbackIp(ip: string): boolean {
  return ip === '::1' || /^127\./.test(ip)
}

/** 169.254.0.0/16 or fe80::/10. */
export function isLinkLocalIp(ip: string): boolean {
  return /^169\.254\./.test(ip) || /^fe[89ab][0-9a-f]:/i.test(ip)
}

/**
 * The addresses reported as `hostAddresses`: every address of a non-loopback interface except
 * link-local ones (they do not identify a host beyond its link). When that leaves nothing — a
 * network namespace with only `lo`, or `lo` plus a veth with only a link-local address, or
 * service addresses bound to `lo` — every address found that is not loopback (127.0.0.0/8, ::1)
 * is reported instead, link-local and `lo`-bound ones included: they are the only way to join
 * this host's listeners to another host's connections. Sorted, without duplicates.
 */
export function hostAddresses(interfaces: InterfaceTable): string[] {
  const all: { ip: string; internal: boolean }[] = []
  for (const list of Object.values(interfaces)) {
    for (const a of list ?? []) {
      const ip = canonicalIp(a.address.split('%')[0]!)
      if (ip) all.push({ ip, internal: a.internal })
    }
  }
  const primary = all.filter((a) => !a.internal && !isLoopbackIp(a.ip) && !isLinkLocalIp(a.ip)).map((a) => a.ip)
  const chosen = primary.length ? primary : all.filter((a) => !isLoopbackIp(a.ip)).map((a) => a.ip)
  return [...new Set(chosen)].sort()
}

/** Every address of this host, loopback included (for deciding which end of a connection is local). */
export function localAddressSet(interfaces: InterfaceTable): Set<string> {
  const set = new Set<string>(['127.0.0.1', '::1'])
  for (const list of Object.values(interfaces)) {
    for (const a of list ?? []) {
      const ip = canonicalIp(a.address.split('%')[0]!)
      if (ip) set.add(ip)
    }
  }
  return set
}

/** Whether `ip` is an address of this host: in `local`, or anywhere in 127.0.0.0/8. */
export function isLocalIp(ip: string, local: Set<string>): boolean {
  return local.has(ip) || ip.startsWith('127.')
}
