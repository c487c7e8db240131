/**
 * Helpers every exporter shares: deterministic ordering, notes, address and CIDR handling,
 * port ranges, Kubernetes name/label syntax and safe file names.
 */
import { createHash } from 'node:crypto'
import { isIP } from 'node:net'
import { addressesOfName, nameAddresses, peerKey } from '../../flows/index.js'
import type { EnforcementMode, ExportedFile, FlowProtocol, Peer, PolicyRule, PolicySet, WorkloadIdentity, WorkloadPolicy } from '../types.js'

export type Note = { workload: string; message: string }

/** Code-point comparison: locale-independent, so output sorts the same on every machine. */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

export function sortBy<T>(items: Iterable<T>, key: (t: T) => string): T[] {
  return [...items].sort((x, y) => cmp(key(x), key(y)))
}

export function uniqueSorted(items: Iterable<string>): string[] {
  return [...new Set(items)].sort(cmp)
}

/** Collects notes; `list()` is sorted and free of duplicates. */
export class Notes {
  private readonly seen = new Map<string, Note>()

  add(workload: string, message: string): void {
    this.seen.set(`${workload}\u0000${message}`, { workload, message })
  }

  list(): Note[] {
    return [...this.seen.values()].sort((a, b) => cmp(a.workload, b.workload) || cmp(a.message, b.message))
  }
}

export function sortFiles(files: ExportedFile[]): ExportedFile[] {
  const paths = new Set<string>()
  for (const f of files) {
    if (paths.has(f.path)) throw new Error(`exporter bug: two files share the path ${f.path}`)
    paths.add(f.path)
  }
  return sortBy(files, (f) => f.path).map((f) => ({ ...f, workloads: uniqueSorted(f.workloads) }))
}

/** Workloads in a stable order (by identity id). */
export function sortedWorkloads(set: PolicySet): WorkloadPolicy[] {
  return sortBy(set.workloads, (w) => w.identity.id)
}

/** Modes that produce an enforcer file; the others get a note instead. */
export function isActive(mode: EnforcementMode): mode is 'alert' | 'enforce' {
  return mode === 'alert' || mode === 'enforce'
}

export function inactiveNote(mode: EnforcementMode): string {
  return `mode is '${mode}': no enforcement exported (only 'alert' and 'enforce' produce rules)`
}

// ---------------------------------------------------------------------------------------------
// Addresses and CIDRs

export interface Cidr {
  family: 4 | 6
  /** Network address with host bits cleared. */
  network: bigint
  prefix: number
  /** Canonical text: `10.0.0.0/8`, `2001:db8::/64`. */
  text: string
}

function parseIPv4(s: string): bigint | undefined {
  if (isIP(s) !== 4) return undefined
  return s.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n)
}

function parseIPv6(s: string): bigint | undefined {
  if (isIP(s) !== 6 || s.includes('%')) return undefined
  let text = s
  // embedded IPv4 tail (::ffff:10.0.0.1)
  const v4 = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(text)
  if (v4) {
    const tail = parseIPv4(v4[2]!)
    if (tail === undefined) return undefined
    text = `${v4[1]}${((tail >> 16n) & 0xffffn).toString(16)}:${(tail & 0xffffn).toString(16)}`
  }
  const halves = text.split('::')
  const head = halves[0] ? halves[0].split(':') : []
  const tail = halves.length > 1 && halves[1] ? halves[1].split(':') : []
  const missing = 8 - head.length - tail.length
  const groups = halves.length > 1 ? [...head, ...Array<string>(missing).fill('0'), ...tail] : head
  if (groups.length !== 8) return undefined
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n)
}

function formatIPv4(n: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => ((n >> shift) & 0xffn).toString()).join('.')
}

/** RFC 5952 text: lower case, longest run of two or more zero groups compressed. */
function formatIPv6(n: bigint): string {
  const groups = [112n, 96n, 80n, 64n, 48n, 32n, 16n, 0n].map((shift) => Number((n >> shift) & 0xffffn))
  let bestStart = -1
  let bestLen = 0
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++
      continue
    }
    let j = i
    while (j < 8 && groups[j] === 0) j++
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i
      bestLen = j - i
    }
    i = j
  }
  const hex = groups.map((g) => g.toString(16))
  if (bestStart < 0) return hex.join(':')
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`
}

/** Parses `a.b.c.d[/n]` or an IPv6 address `[/n]`; clears host bits; undefined when invalid. */
export function parseCidr(s: string): Cidr | undefined {
  const m = /^([^/]+)(?:\/(\d{1,3}))?$/.exec(s.trim())
  if (!m) return undefined
  const addr = m[1]!
  const family = isIP(addr)
  if (family !== 4 && family !== 6) return undefined
  const bits = family === 4 ? 32 : 128
  const prefix = m[2] === undefined ? bits : Number(m[2])
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > bits) return undefined
  const value = family === 4 ? parseIPv4(addr) : parseIPv6(addr)
  if (value === undefined) return undefined
  const hostBits = BigInt(bits - prefix)
  const network = (value >> hostBits) << hostBits
  const text = `${family === 4 ? formatIPv4(network) : formatIPv6(network)}/${prefix}`
  return { family, network, prefix, text }
}

/** A single address as a host CIDR (`/32`, `/128`), or a CIDR canonicalised; undefined when invalid. */
export function toCidr(addressOrCidr: string): Cidr | undefined {
  return parseCidr(addressOrCidr)
}

/** The address part of a host CIDR, the CIDR otherwise (nftables and SGs accept both). */
export function cidrOrAddress(c: Cidr): string {
  const bits = c.family === 4 ? 32 : 128
  return c.prefix === bits ? c.text.slice(0, c.text.indexOf('/')) : c.text
}

export function isLoopback(c: Cidr): boolean {
  const lo4 = parseCidr('127.0.0.0/8')!
  if (c.family === 4) return c.prefix >= 8 && (c.network >> 24n) === (lo4.network >> 24n)
  return c.prefix === 128 && c.network === 1n
}

export function isLinkLocal(c: Cidr): boolean {
  if (c.family === 4) return c.prefix >= 16 && (c.network >> 16n) === 0xa9fen
  return c.prefix >= 10 && (c.network >> 118n) === 0x3fan
}

/** Whether CIDR `outer` contains CIDR `inner` (same family, at least as wide). */
export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  if (outer.family !== inner.family || outer.prefix > inner.prefix) return false
  const shift = BigInt((outer.family === 4 ? 32 : 128) - outer.prefix)
  return inner.network >> shift === outer.network >> shift
}

/**
 * The host resolvers a workload was seen using: those inside the peer of one of its DNS rules
 * (`infrastructure: 'dns'`, port 53). Exporters allow DNS to these only, and to every configured
 * resolver when none was seen (with a note), so that a Lambda function in one network is not
 * given the resolver of another.
 */
export function resolversUsed(resolvers: readonly Cidr[], rules: Iterable<PolicyRule>): Cidr[] {
  const ranges: Cidr[] = []
  for (const r of rules) {
    if (r.infrastructure !== 'dns' || r.port !== 53 || r.peer.kind !== 'cidr') continue
    const c = toCidr(r.peer.cidr)
    if (c) ranges.push(c)
  }
  return resolvers.filter((res) => ranges.some((g) => cidrContains(g, res)))
}

/** Parses and sorts addresses; invalid ones are returned separately so the caller can note them. */
export function cidrsOf(addresses: Iterable<string>): { cidrs: Cidr[]; invalid: string[] } {
  const byText = new Map<string, Cidr>()
  const invalid: string[] = []
  for (const a of addresses) {
    const c = toCidr(a)
    if (c) byText.set(c.text, c)
    else invalid.push(a)
  }
  return { cidrs: sortCidrs(byText.values()), invalid: uniqueSorted(invalid) }
}

/** A string that sorts CIDRs as `sortCidrs` does. */
export function cidrSortKey(c: Cidr): string {
  return `${c.family}:${c.network.toString(16).padStart(32, '0')}/${String(c.prefix).padStart(3, '0')}`
}

/** IPv4 before IPv6, then numerically, then by prefix. */
export function sortCidrs(cidrs: Iterable<Cidr>): Cidr[] {
  return [...cidrs].sort((a, b) => a.family - b.family || (a.network < b.network ? -1 : a.network > b.network ? 1 : a.prefix - b.prefix))
}

// ---------------------------------------------------------------------------------------------
// Ports

/** A validated destination port or inclusive range. */
export interface PortRange {
  port: number
  endPort?: number
  protocol: FlowProtocol
}

export function isPortNumber(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 65535
}

/** Checks a rule's port fields; returns a reason when they cannot be exported. */
export function portProblem(rule: { port: number; endPort?: number; protocol: FlowProtocol }): string | undefined {
  if (rule.protocol === 'icmp' || rule.protocol === 'icmpv6') return undefined
  if (!isPortNumber(rule.port)) return `port ${String(rule.port)} is not a port number (1-65535)`
  if (rule.endPort !== undefined) {
    if (!isPortNumber(rule.endPort)) return `endPort ${String(rule.endPort)} is not a port number (1-65535)`
    if (rule.endPort < rule.port) return `endPort ${rule.endPort} is below port ${rule.port}`
  }
  return undefined
}

export function portRange(rule: { port: number; endPort?: number; protocol: FlowProtocol }): PortRange {
  return rule.endPort !== undefined && rule.endPort !== rule.port ? { port: rule.port, endPort: rule.endPort, protocol: rule.protocol } : { port: rule.port, protocol: rule.protocol }
}

export function portText(p: { port: number; endPort?: number; protocol: FlowProtocol }): string {
  if (p.protocol === 'icmp' || p.protocol === 'icmpv6') return p.protocol
  return `${p.port}${p.endPort !== undefined && p.endPort !== p.port ? `-${p.endPort}` : ''}/${p.protocol}`
}

export function portKey(p: PortRange): string {
  return `${p.protocol}:${String(p.port).padStart(5, '0')}:${String(p.endPort ?? p.port).padStart(5, '0')}`
}

export function sortPorts<T extends PortRange>(ports: Iterable<T>): T[] {
  const byKey = new Map<string, T>()
  for (const p of ports) byKey.set(portKey(p), p)
  return sortBy(byKey.values(), portKey)
}

// ---------------------------------------------------------------------------------------------
// Describing rules for comments and notes

export function describePeer(peer: Peer): string {
  return peerKey(peer)
}

/** `observed: observed 42× (k8s:clinic/frontend|k8s:clinic/intake-api|8080/tcp)`, `phiwall infra: dns: …`, `exception: …; approved by …` */
export function describeRule(rule: PolicyRule): string {
  const parts = [`${rule.infrastructure ? `phiwall infra: ${rule.infrastructure}${rule.origin === 'infrastructure' ? '' : ` (${rule.origin})`}` : rule.origin}: ${rule.reason}`]
  if (rule.origin === 'exception' && rule.approvedBy) parts.push(`approved by ${rule.approvedBy}`)
  return parts.join('; ')
}

/** A stable order for a workload's rules, independent of the order they were listed in. */
export function ruleSortKey(r: PolicyRule): string {
  return [peerKey(r.peer), String(r.port).padStart(5, '0'), String(r.endPort ?? r.port).padStart(5, '0'), r.protocol, r.origin, r.infrastructure ?? '', r.reason].join('|')
}

export function describeWithheld(w: WorkloadPolicy['withheld'][number]): string {
  return `${describePeer(w.peer)} ${portText(w)}: ${w.reason}`
}

const ASCII: Record<string, string> = { '×': 'x', '→': '->', '←': '<-', '↔': '<->', '‘': "'", '’': "'", '“': '"', '”': '"', '…': '...', '–': '-', '—': '-' }

/** Common typographic characters as ASCII (nft comments and EC2 descriptions take ASCII only). */
export function asciiText(s: string): string {
  return s.replace(/[×→←↔‘’“”…–—]/g, (c) => ASCII[c] ?? c)
}

/** Text for a `#` comment line: line breaks and control characters become spaces; indentation is kept. */
export function commentLine(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').trimEnd()
}

/** One line of text: no control characters, bounded length. */
export function oneLine(s: string, max = 400): string {
  const flat = s.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim()
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat
}

// ---------------------------------------------------------------------------------------------
// Identities

export function identityOf(set: PolicySet, id: string): WorkloadIdentity | undefined {
  return Object.prototype.hasOwnProperty.call(set.identities, id) ? set.identities[id] : undefined
}

/**
 * Addresses of a non-Kubernetes identity from `set.hosts`: a process by its host, others by
 * name, id or inventory resource id (first hit).
 */
export function hostAddressesOf(set: PolicySet, identity: WorkloadIdentity): { key: string; addresses: string[] } | undefined {
  const keys = identity.kind === 'process' && identity.process ? [identity.process.host] : [identity.name, identity.id, identity.resourceId]
  for (const key of keys) {
    if (key === undefined || !Object.prototype.hasOwnProperty.call(set.hosts, key)) continue
    const addresses = set.hosts[key] ?? []
    if (addresses.length > 0) return { key, addresses }
  }
  return undefined
}

export function dnsAddressesOf(set: PolicySet, fqdn: string): string[] {
  return addressesOfName({ dns: set.dns, addresses: set.addresses ?? [] }, fqdn)
}

/** What the policy knows of a name's addresses: the address book's (they hold) and DNS answers (they go stale); see flows' `nameAddresses`. */
export function nameAddressesOf(set: PolicySet, fqdn: string): { book: string[]; dns: string[] } {
  return nameAddresses({ dns: set.dns, addresses: set.addresses ?? [] }, fqdn)
}

// ---------------------------------------------------------------------------------------------
// Kubernetes syntax (what the API server would reject; the JSON schemas do not check it)

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/
const LABEL_NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$/
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/

export function isDns1123Label(s: string): boolean {
  return s.length <= 63 && DNS1123_LABEL.test(s)
}

export function isLabelKey(key: string): boolean {
  const slash = key.lastIndexOf('/')
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined
  const name = slash >= 0 ? key.slice(slash + 1) : key
  if (prefix !== undefined && (prefix.length === 0 || prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix))) return false
  return name.length > 0 && name.length <= 63 && LABEL_NAME.test(name)
}

export function isLabelValue(value: string): boolean {
  return value.length <= 63 && LABEL_VALUE.test(value)
}

/** Why a label map cannot be used as a selector, or undefined when it can. */
export function labelProblem(labels: Record<string, string> | undefined): string | undefined {
  const entries = Object.entries(labels ?? {})
  if (entries.length === 0) return 'has no labels (an empty selector would select every pod)'
  for (const [k, v] of entries) {
    if (typeof v !== 'string') return `label ${k} has a non-string value`
    if (!isLabelKey(k)) return `label key ${JSON.stringify(k)} is not a valid Kubernetes label key`
    if (!isLabelValue(v)) return `label ${k}=${JSON.stringify(v)} has an invalid value`
  }
  return undefined
}

/** Labels with keys sorted (YAML output follows insertion order). */
export function sortedLabels(labels: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const k of Object.keys(labels).sort(cmp)) out[k] = labels[k]!
  return out
}

/** A DNS-1123 subdomain object name `phiwall-<name>`, shortened with a hash when needed. */
export function k8sObjectName(name: string): string {
  const base = `phiwall-${name.toLowerCase().replace(/[^a-z0-9.-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '')}`.replace(/-+$/, '')
  if (base.length <= 253 && DNS1123_SUBDOMAIN.test(base)) return base
  const hash = shortHash(name)
  const trimmed = base.replace(/\.+/g, '-').slice(0, 240).replace(/[-.]+$/, '')
  return `${trimmed}-${hash}`
}

export function shortHash(s: string): string {
  return createHash('sha256').update(s).digest('hex').slice(0, 8)
}

/** A file-name segment: letters, digits, `.`, `_`, `-` only, never `.`/`..`. */
export function safeSegment(s: string): string {
  const cleaned = s.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '_')
  return cleaned.length > 0 ? cleaned.slice(0, 200) : `_${shortHash(s)}`
}

/** Assigns each key a path, adding a hash suffix when two sanitised paths would collide. */
export function uniquePaths(entries: { key: string; path: string }[]): Map<string, string> {
  const count = new Map<string, number>()
  for (const e of entries) count.set(e.path, (count.get(e.path) ?? 0) + 1)
  const out = new Map<string, string>()
  for (const e of entries) {
    if ((count.get(e.path) ?? 0) > 1) {
      const dot = e.path.indexOf('.', e.path.lastIndexOf('/') + 1)
      out.set(e.key, dot > 0 ? `${e.path.slice(0, dot)}-${shortHash(e.key)}${e.path.slice(dot)}` : `${e.path}-${shortHash(e.key)}`)
    } else out.set(e.key, e.path)
  }
  return out
}

/** The header every text file starts with: what it is, where it came from (no timestamp, so it diffs well). */
export function provenance(set: PolicySet): string {
  return `PhiWall policy v${set.version} (baseline ${set.baselineDigest}); generated by phiwall, do not edit by hand`
}
