/**
 * Is a peer on the internet? The test behind "no internet egress for workloads that hold PHI":
 * a public CIDR bucket is; a private, link-local or loopback one is not. A name is on the
 * internet unless the flows say otherwise: it sits under a top-level domain reserved for private
 * use (`.internal`, ICANN 2024; `.local`, RFC 6762; `.home.arpa`, RFC 8375; `.localhost`,
 * RFC 6761), or every address known for it — from DNS observations and the address book — is
 * private (an interface VPC endpoint such as `secretsmanager.us-east-1.amazonaws.com` answering
 * 10.30.1.150, an internal load balancer). A name with no known address stays on the internet:
 * least privilege does not assume the best.
 */
import ipaddr from 'ipaddr.js'
import type { Baseline, Peer } from './types.js'

const PRIVATE_SUFFIXES = ['.internal', '.local', '.home.arpa', '.localhost']

const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', 'fc00::/7', 'fe80::/10', '::1/128'].map((c) => ipaddr.parseCIDR(c))

/** Is this address, or every address of this CIDR, private, carrier-grade NAT, link-local or loopback? */
export function isPrivateAddress(text: string): boolean {
  let addr: ipaddr.IPv4 | ipaddr.IPv6
  let bits: number
  try {
    if (text.includes('/')) [addr, bits] = ipaddr.parseCIDR(text)
    else {
      addr = ipaddr.parse(text)
      bits = addr.kind() === 'ipv4' ? 32 : 128
    }
  } catch {
    return false
  }
  if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress()) {
    addr = (addr as ipaddr.IPv6).toIPv4Address()
    bits = Math.max(0, bits - 96)
  }
  return PRIVATE_RANGES.some(([net, size]) => net.kind() === addr.kind() && size <= bits && addr.match(net, size))
}

/**
 * What is known of a name's addresses: the address book's entries (`fqdn:NAME`: an interface
 * endpoint, an internal load balancer, a service's published range; declared, so they hold) and the
 * answers DNS gave while the flows were learned (they go stale), each sorted, no address in both.
 */
export function nameAddresses(b: Pick<Baseline, 'dns' | 'addresses'>, fqdn: string): { book: string[]; dns: string[] } {
  const name = fqdn.toLowerCase().replace(/\.$/, '')
  const book = new Set<string>()
  for (const a of b.addresses ?? []) {
    if (a.ip && a.workload.startsWith('fqdn:') && a.workload.slice(5).toLowerCase().replace(/\.$/, '') === name) book.add(a.ip)
  }
  const dns = Object.prototype.hasOwnProperty.call(b.dns ?? {}, name) ? (b.dns[name] ?? []).filter((ip) => !book.has(ip)) : []
  return { book: [...book].sort(), dns: [...new Set(dns)].sort() }
}

/** The addresses known for a name: DNS answers and address-book entries (`fqdn:NAME`). */
export function addressesOfName(b: Pick<Baseline, 'dns' | 'addresses'>, fqdn: string): string[] {
  const { book, dns } = nameAddresses(b, fqdn)
  return [...book, ...dns].sort()
}

/** Is `p` on the internet, given what the flows know of names (see the module comment)? */
export function isInternetPeer(p: Peer, names: Pick<Baseline, 'dns' | 'addresses'>): boolean {
  if (p.kind === 'identity') return false
  if (p.kind === 'cidr') return p.scope === 'public'
  const name = p.fqdn.toLowerCase().replace(/\.$/, '')
  if (PRIVATE_SUFFIXES.some((s) => name.endsWith(s) || name === s.slice(1))) return false
  const known = addressesOfName(names, name)
  return known.length === 0 || !known.every(isPrivateAddress)
}
