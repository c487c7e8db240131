/**
 * nftables rulesets for Linux hosts and VMs: one `<host>.nft` per host with process
 * identities, replacing only `table inet phiwall` (idempotent under `nft -f`).
 *
 * - `input` (hook input) and `output` (hook output) chains with policy drop (enforce) or
 *   accept (alert); invalid conntrack state dropped, established/related accepted, loopback
 *   accepted.
 * - Named infrastructure allowances: DNS (UDP and TCP 53) to `cluster.hostResolvers` only,
 *   IPv6 neighbour discovery, DHCP/DHCPv6 client; health-check ingress from
 *   `cluster.healthCheckCidrs` on the ports the policy's health-check rules name.
 * - Egress per process, matched by `meta skuid` and/or `socket cgroupv2` (option `match`),
 *   to the peer's addresses (`set.hosts` for processes on other hosts, the CIDR, the addresses
 *   DNS returned for an FQDN); ingress by source address and the workload's listening port
 *   (the input hook cannot tell which process will accept).
 * - Each chain ends by logging (`limit rate 10/second`) and dropping (enforce) or accepting
 *   (alert) what nothing above allowed.
 *
 * Limits: matching is by uid/cgroup, never by the binary (exeSha256 is recorded in comments);
 * cgroup paths must exist when the ruleset is loaded; names become addresses that go stale.
 */
import type { ExportResult, ExportedFile, FlowProtocol, PolicyRule, PolicySet, WorkloadIdentity, WorkloadPolicy } from '../types.js'
import {
  type Cidr,
  Notes,
  asciiText,
  cidrOrAddress,
  cidrsOf,
  cmp,
  commentLine,
  describeRule,
  describeWithheld,
  nameAddressesOf,
  hostAddressesOf,
  identityOf,
  inactiveNote,
  isActive,
  isLoopback,
  resolversUsed,
  isPortNumber,
  oneLine,
  portProblem,
  provenance,
  ruleSortKey,
  safeSegment,
  shortHash,
  sortBy,
  sortFiles,
  toCidr,
  uniquePaths,
  uniqueSorted,
} from './shared.js'

export type NftMatch = 'uid' | 'cgroup' | 'both'

export interface NftablesOptions {
  /**
   * How a process is recognised on egress: by socket owner uid (`meta skuid`), by cgroup v2
   * path (`socket cgroupv2`), or both. Default: uid when the identity has one (the ruleset then
   * loads whatever services are running), else its cgroup. `cgroup`/`both` are tighter but nft
   * resolves cgroup paths when the file is loaded, so the services must be running then. When
   * the requested one is missing, the other is used and a note says so.
   */
  match?: NftMatch
}

export const LOG_RATE = 'limit rate 10/second burst 20 packets'

/** An nft quoted string: printable ASCII without quotes or backslashes, at most 120 characters. */
export function nftComment(s: string): string {
  const ascii = asciiText(oneLine(s, 1000))
    .replace(/["\\]/g, "'")
    .replace(/[^\x20-\x7e]/g, '?')
  return `"${ascii.length > 120 ? `${ascii.slice(0, 117)}...` : ascii}"`
}

/** A `#` comment line in the file (any text, one line). */
function fileComment(s: string): string {
  return `# ${commentLine(s)}`
}

interface CgroupPath {
  level: number
  /** Without the leading slash, as nft wants it. */
  path: string
}

/**
 * The cgroup v2 path of a process, from `/system.slice/x.service` or a `/proc/PID/cgroup` line
 * `0::/system.slice/x.service`; undefined for v1 (`1:name=systemd:/…`), the root, or characters
 * nft cannot take in a quoted string.
 */
export function cgroupV2Path(cgroup: string | undefined): CgroupPath | undefined {
  if (!cgroup) return undefined
  let path = cgroup.trim()
  const line = /^(\d+):([^:]*):(.*)$/.exec(path)
  if (line) {
    if (line[1] !== '0' || line[2] !== '') return undefined
    path = line[3]!
  }
  if (!path.startsWith('/')) return undefined
  const parts = path.split('/').filter((p) => p.length > 0)
  if (parts.length === 0 || parts.some((p) => p === '.' || p === '..' || !/^[A-Za-z0-9_.@:+=-]+$/.test(p))) return undefined
  return { level: parts.length, path: parts.join('/') }
}

interface ProcessMatch {
  expr: string
  how: string
}

function processMatch(identity: WorkloadIdentity, requested: NftMatch | undefined, notes: Notes): ProcessMatch | undefined {
  const proc = identity.process!
  const uid = proc.uid !== undefined && Number.isInteger(proc.uid) && proc.uid >= 0 && proc.uid <= 0xffffffff ? proc.uid : undefined
  const cg = cgroupV2Path(proc.cgroup)
  if (proc.cgroup && !cg) notes.add(identity.id, `cgroup ${JSON.stringify(proc.cgroup)} is not a usable cgroup v2 path; not matched on`)
  const uidExpr = uid !== undefined ? `meta skuid ${uid}` : undefined
  const cgExpr = cg ? `socket cgroupv2 level ${cg.level} "${cg.path}"` : undefined
  let want: NftMatch = requested ?? (uidExpr ? 'uid' : 'cgroup')
  if (want === 'both' && !(uidExpr && cgExpr)) {
    if (requested) notes.add(identity.id, `match 'both' requested but the process has no ${uidExpr ? 'cgroup v2 path' : 'uid'}; matched on ${uidExpr ? 'uid' : 'cgroup'} only`)
    want = uidExpr ? 'uid' : 'cgroup'
  }
  if (want === 'cgroup' && !cgExpr && uidExpr) {
    notes.add(identity.id, "match 'cgroup' requested but the process has no cgroup v2 path; matched on uid")
    want = 'uid'
  }
  if (want === 'uid' && !uidExpr && cgExpr) {
    if (requested) notes.add(identity.id, "match 'uid' requested but the process has no uid; matched on cgroup")
    want = 'cgroup'
  }
  if (want === 'uid' && uidExpr) {
    if (uid === 0) notes.add(identity.id, 'matched by uid 0 only: every root process on the host gets this access; match on its cgroup instead')
    return { expr: uidExpr, how: `uid ${uid}` }
  }
  if (want === 'cgroup' && cgExpr) return { expr: cgExpr, how: `cgroup /${cg!.path}` }
  if (want === 'both' && uidExpr && cgExpr) return { expr: `${uidExpr} ${cgExpr}`, how: `uid ${uid} and cgroup /${cg!.path}` }
  return undefined
}

/** Destination/source addresses of a peer from this host, or why there are none. */
type PeerAddrs = { local: true; what: string } | { local: false; cidrs: Cidr[]; what: string; /** named-set name stem */ hint: string; stale?: string }

function peerAddresses(set: PolicySet, rule: PolicyRule, host: string): PeerAddrs | string {
  const peer = rule.peer
  switch (peer.kind) {
    case 'identity': {
      const identity = identityOf(set, peer.id)
      if (!identity) return `peer ${peer.id} is not in the policy's identities`
      if ((identity.kind === 'process' && identity.process?.host === host) || (isHostLevel(identity) && identity.name === host)) return { local: true, what: `${peer.id} on this host` }
      const known = hostAddressesOf(set, identity)
      if (!known) {
        return identity.kind === 'k8s-workload' || identity.kind === 'k8s-entity'
          ? `peer ${peer.id} is a Kubernetes ${identity.kind === 'k8s-entity' ? 'entity' : 'workload'}: pod addresses are not stable and none are in the policy's hosts`
          : `peer ${peer.id} (${identity.kind}) has no known addresses in the policy's hosts`
      }
      const { cidrs, invalid } = cidrsOf(known.addresses)
      if (cidrs.length === 0) return `peer ${peer.id} has no valid addresses (${invalid.join(', ')})`
      return { local: false, cidrs, what: `${peer.id} (host ${known.key})`, hint: `host_${known.key}` }
    }
    case 'cidr': {
      const c = toCidr(peer.cidr)
      if (!c) return `peer cidr ${JSON.stringify(peer.cidr)} is not a valid CIDR`
      return { local: false, cidrs: [c], what: `cidr ${c.text}`, hint: `cidr_${c.text}` }
    }
    case 'fqdn': {
      const known = nameAddressesOf(set, peer.fqdn)
      const { cidrs } = cidrsOf([...known.book, ...known.dns])
      if (cidrs.length === 0) return `nftables cannot match names and no addresses are known for ${peer.fqdn} (neither DNS answers nor address-book entries)`
      const from = [known.book.length ? 'the address book' : '', known.dns.length ? 'the addresses DNS returned when the baseline was learned' : ''].filter(Boolean).join(' and ')
      const out: PeerAddrs = { local: false, cidrs, what: `fqdn ${peer.fqdn}`, hint: `fqdn_${peer.fqdn}` }
      return known.dns.length ? { ...out, stale: `${peer.fqdn} as ${from}; DNS answers GO STALE when the name moves (re-export)` } : out
    }
  }
}

const L4: Partial<Record<FlowProtocol, string>> = { tcp: 'tcp', udp: 'udp', sctp: 'sctp' }

/** The protocol/port part of a rule per address family, or why it cannot be written. */
function l4Match(p: { port: number; endPort?: number; protocol: FlowProtocol }, family: 4 | 6): string | undefined {
  if (p.protocol === 'icmp') return family === 4 ? 'meta l4proto icmp' : undefined
  if (p.protocol === 'icmpv6') return family === 6 ? 'meta l4proto ipv6-icmp' : undefined
  const l4 = L4[p.protocol]
  if (!l4) return undefined
  return `${l4} dport ${p.port}${p.endPort !== undefined && p.endPort !== p.port ? `-${p.endPort}` : ''}`
}

/** Named sets, shared by content, with stable names. */
class SetRegistry {
  private readonly byContent = new Map<string, { name: string; family: 4 | 6; elements: string[] }>()
  private readonly names = new Set<string>()

  /** `10.0.0.1` for one address, `@name` (declaring the set) for several. */
  ref(family: 4 | 6, cidrs: Cidr[], hint: string): string {
    const elements = cidrs.map(cidrOrAddress)
    if (elements.length === 1) return elements[0]!
    const content = `${family}|${elements.join(',')}`
    const existing = this.byContent.get(content)
    if (existing) return `@${existing.name}`
    const stem = `${hint.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 40) || 'peer'}_v${family}`
    const base = /^[a-z]/.test(stem) ? stem : `p_${stem}`
    const name = this.names.has(base) ? `${base}_${shortHash(content)}` : base
    this.names.add(name)
    this.byContent.set(content, { name, family, elements })
    return `@${name}`
  }

  declarations(): string[] {
    const out: string[] = []
    for (const s of sortBy(this.byContent.values(), (x) => x.name)) {
      out.push(`\tset ${s.name} {`, `\t\ttype ${s.family === 4 ? 'ipv4_addr' : 'ipv6_addr'}`, '\t\tflags interval', '\t\tauto-merge', `\t\telements = { ${s.elements.join(', ')} }`, '\t}', '')
    }
    return out
  }
}

interface HostPlan {
  host: string
  mode: 'alert' | 'enforce'
  active: WorkloadPolicy[]
  inactive: WorkloadPolicy[]
}

/** The identity of a host's own connections (`host:<name>`, kind vm): ones no process could be found for. */
function isHostLevel(identity: WorkloadIdentity): boolean {
  return identity.kind === 'vm' && identity.id === `host:${identity.name}`
}

/** What matches a workload's egress: its process, or for the host's own connections any process. */
function egressMatch(identity: WorkloadIdentity, requested: NftMatch | undefined, notes: Notes): ProcessMatch | undefined {
  if (isHostLevel(identity)) return { expr: '', how: 'any process on the host (the agent saw these connections without an owning process)' }
  return processMatch(identity, requested, notes)
}

function describeProcess(identity: WorkloadIdentity): string {
  if (isHostLevel(identity)) return `${identity.id}: connections of the host no process was found for (its rules match any process)`
  const p = identity.process!
  const bits = [`${identity.id}: ${p.exePath}`, `sha256 ${p.exeSha256}`]
  if (p.uid !== undefined) bits.push(`uid ${p.uid}${p.user ? ` (${p.user})` : ''}`)
  if (p.cgroup) bits.push(`cgroup ${p.cgroup}`)
  return bits.join(', ')
}

function hostRuleset(set: PolicySet, plan: HostPlan, options: NftablesOptions, notes: Notes): string {
  const sets = new SetRegistry()
  const input: string[] = []
  const output: string[] = []
  const enforce = plan.mode === 'enforce'
  const written = new Map<string[], Set<string>>()
  const rule = (chain: string[], parts: (string | undefined)[], comment: string): void => {
    const body = parts.filter((p) => p && p.length > 0).join(' ')
    const seen = written.get(chain) ?? new Set<string>()
    written.set(chain, seen)
    if (seen.has(body)) return // two policy rules that come out the same
    seen.add(body)
    const quoted = nftComment(comment)
    // nft keeps 128 characters of a comment: the whole reason goes on a file comment above (once)
    const full = `\t\t# ${oneLine(comment, 2000)}`
    if (quoted.endsWith('..."') && !chain.slice(-2).includes(full)) chain.push(full)
    chain.push(`\t\t${body} comment ${quoted}`)
  }
  const addrRules = (chain: string[], dir: 'saddr' | 'daddr', cidrs: Cidr[], hint: string, prefix: string | undefined, l4: (family: 4 | 6) => string | undefined, verdict: string, comment: string): number => {
    let written = 0
    for (const family of [4, 6] as const) {
      const fam = cidrs.filter((c) => c.family === family)
      if (fam.length === 0) continue
      const l4text = l4(family)
      if (l4text === undefined) continue
      rule(chain, [prefix, `${family === 4 ? 'ip' : 'ip6'} ${dir} ${sets.ref(family, fam, hint)}`, l4text, 'counter', verdict], comment)
      written++
    }
    return written
  }

  // --- host-wide infrastructure
  const resolvers = cidrsOf(set.cluster.hostResolvers ?? [])
  if (resolvers.invalid.length > 0) notes.add(`host:${plan.host}`, `host resolvers not valid and left out: ${resolvers.invalid.join(', ')}`)
  const configuredRemote = resolvers.cidrs.filter((c) => !isLoopback(c))
  // the resolvers the host's processes were seen using; every configured one when none was seen
  const usedResolvers = resolversUsed(configuredRemote, plan.active.flatMap((wp) => wp.egress))
  const remoteResolvers = usedResolvers.length ? usedResolvers : configuredRemote
  if (usedResolvers.length === 0 && configuredRemote.length > 1) notes.add(`host:${plan.host}`, `no DNS query to a host resolver was observed: DNS is allowed to every configured host resolver (${configuredRemote.map((c) => c.text).join(', ')})`)
  if (resolvers.cidrs.length === 0) notes.add(`host:${plan.host}`, 'no host resolvers known (cluster.hostResolvers): no DNS allowance, name resolution will fail under enforcement')
  if (resolvers.cidrs.some(isLoopback)) notes.add(`host:${plan.host}`, "a host resolver is on loopback (systemd-resolved's stub or a local cache): the loopback allowance covers it, but its upstream servers must be in cluster.hostResolvers too")
  for (const proto of ['udp', 'tcp'] as const) {
    addrRules(output, 'daddr', remoteResolvers, 'resolvers', undefined, () => `${proto} dport 53`, 'accept', `phiwall infra: dns (${proto.toUpperCase()} 53 to the host resolvers)`)
  }

  // --- per-process rules
  const coveredByDns = (r: PolicyRule): boolean =>
    r.port === 53 && r.endPort === undefined && (r.protocol === 'udp' || r.protocol === 'tcp') && r.peer.kind === 'cidr' && resolvers.cidrs.some((c) => c.text === toCidr((r.peer as { cidr: string }).cidr)?.text)
  const alertTails: { id: string; match?: ProcessMatch; ports: PolicyRule[] }[] = []
  /** Egress matches of enforced processes: an exempting accept on the same match (one uid) would un-enforce them. */
  const enforcedMatches = new Map<string, string>()
  const passThrough: { wp: WorkloadPolicy; match?: ProcessMatch }[] = []
  const healthCidrs = cidrsOf(set.cluster.healthCheckCidrs ?? [])

  for (const wp of plan.active) {
    const id = wp.identity.id
    const match = egressMatch(wp.identity, options.match, notes)
    if (match && wp.mode === 'enforce') enforcedMatches.set(match.expr, id)
    output.push(`\t\t# ${oneLine(`${id} (${wp.mode}${match ? `, matched by ${match.how}` : ', CANNOT be matched'})`)}`)
    input.push(`\t\t# ${oneLine(`${id} (${wp.mode})`)}`)
    if (!match && wp.egress.length > 0) notes.add(id, 'the process has neither a uid nor a usable cgroup v2 path: its egress rules cannot be written and its outbound traffic is dropped under enforcement')
    for (const direction of ['ingress', 'egress'] as const) {
      const chain = direction === 'ingress' ? input : output
      for (const r of sortBy(wp[direction], ruleSortKey)) {
        const what = `${direction} rule ${describeRule(r)}`
        if (!L4[r.protocol] && r.protocol !== 'icmp' && r.protocol !== 'icmpv6') {
          notes.add(id, `${what}: protocol ${r.protocol} cannot be matched; not exported`)
          continue
        }
        const problem = portProblem(r)
        if (problem) {
          notes.add(id, `${what}: ${problem}; not exported`)
          continue
        }
        if (direction === 'egress' && !match) continue
        if (direction === 'egress' && r.infrastructure === 'dns' && coveredByDns(r)) {
          chain.push(`\t\t# ${oneLine(`${describeRule(r)}: covered by the host-wide DNS allowance`)}`)
          continue
        }
        const targets: PeerAddrs[] = []
        let ports: PolicyRule[] = [r]
        if (direction === 'ingress' && r.infrastructure === 'health-check' && healthCidrs.cidrs.length > 0) {
          // the load-balancer ranges, and the rule's own peer below
          targets.push({ local: false, cidrs: healthCidrs.cidrs, what: 'load-balancer health-check ranges', hint: 'healthcheck' })
        }
        if (direction === 'egress' && r.infrastructure === 'kube-apiserver') {
          const api = cidrsOf(set.cluster.apiServer.addresses ?? [])
          if (api.cidrs.length > 0) targets.push({ local: false, cidrs: api.cidrs, what: 'the kube-apiserver (cluster.apiServer.addresses)', hint: 'kube_apiserver' })
          else notes.add(id, `${what}: the kube-apiserver addresses are unknown (cluster.apiServer.addresses); not exported`)
          if (isPortNumber(set.cluster.apiServer.port) && set.cluster.apiServer.port !== r.port) ports = [r, { ...r, port: set.cluster.apiServer.port, endPort: undefined, protocol: 'tcp' }]
        } else {
          const own = peerAddresses(set, r, plan.host)
          if (typeof own !== 'string') targets.push(own)
          else if (targets.length === 0) notes.add(id, `${what}: ${own}; not exported`)
        }
        for (const addrs of targets) {
          if (addrs.local) {
            chain.push(`\t\t# ${oneLine(`${describeRule(r)}: ${addrs.what}, covered by the loopback allowance`)}`)
            continue
          }
          if (addrs.stale) {
            chain.push(`\t\t# ${oneLine(addrs.stale)}`)
            notes.add(id, `${what}: nftables cannot match names; allowed as the addresses DNS returned, which go stale`)
          }
          let count = 0
          for (const p of ports) {
            count += addrRules(chain, direction === 'ingress' ? 'saddr' : 'daddr', addrs.cidrs, addrs.hint, direction === 'egress' ? match!.expr : undefined, (family) => l4Match(p, family), 'accept', describeRule(r))
          }
          if (count === 0) notes.add(id, `${what}: protocol ${r.protocol} does not apply to the addresses of ${addrs.what}; not exported`)
        }
      }
    }
    if (wp.mode === 'alert' && enforce) {
      // the host's own connections cannot be set apart from its processes': no alert tail for them
      if (isHostLevel(wp.identity)) notes.add(id, `mode 'alert' on a host with enforcing workloads: its rules are written, but the host's unattributed traffic cannot be set apart to log and accept it; what they do not allow is dropped`)
      else alertTails.push({ id, match, ports: wp.ingress })
    }
  }

  for (const wp of plan.inactive) {
    if (isHostLevel(wp.identity)) {
      notes.add(wp.identity.id, `${inactiveNote(wp.mode)}; the host's unattributed traffic cannot be set apart from its processes': it falls to the host default`)
      continue
    }
    const match = processMatch(wp.identity, options.match, notes)
    passThrough.push({ wp, match })
  }

  // alert-mode processes on an enforcing host: log and accept what their rules did not allow
  for (const t of alertTails) {
    const shared = t.match ? enforcedMatches.get(t.match.expr) : undefined
    if (shared) notes.add(t.id, `mode 'alert' but matched by ${t.match!.how}, as enforced ${shared} is: accepting its traffic would accept that process's too, so its egress is enforced with it (give them separate uids or match on cgroups)`)
    if (t.match && !shared) {
      rule(output, [t.match.expr, LOG_RATE, 'counter', 'log prefix "phiwall-alert: "'], `phiwall alert mode: log ${t.id}`)
      rule(output, [t.match.expr, 'counter', 'accept'], `phiwall alert mode: ${t.id} is not enforced`)
    }
    for (const p of uniqueListenPorts(t.ports)) {
      rule(input, [p, LOG_RATE, 'counter', 'log prefix "phiwall-alert: "'], `phiwall alert mode: log ${t.id}`)
      rule(input, [p, 'counter', 'accept'], `phiwall alert mode: ${t.id} is not enforced`)
    }
    notes.add(t.id, "mode 'alert' on a host with enforcing workloads: its unlisted traffic is logged with prefix phiwall-alert and accepted (matched by its process on egress, by its listening ports on ingress)")
  }
  // off/learn processes on an enforcing or alerting host: explicitly not enforced
  for (const { wp, match } of passThrough) {
    const id = wp.identity.id
    const shared = match ? enforcedMatches.get(match.expr) : undefined
    if (shared) notes.add(id, `mode '${wp.mode}' but matched by ${match!.how}, as enforced ${shared} is: accepting its traffic would accept that process's too, so its egress is enforced with it (give them separate uids or match on cgroups)`)
    if (match && !shared) rule(output, [match.expr, 'counter', 'accept'], `phiwall mode ${wp.mode}: ${id} is not enforced`)
    for (const p of uniqueListenPorts(wp.ingress)) rule(input, [p, 'counter', 'accept'], `phiwall mode ${wp.mode}: ${id} is not enforced`)
    notes.add(id, `${inactiveNote(wp.mode)}; on host ${plan.host} its traffic is explicitly accepted${match ? '' : ' on its listening ports only (it cannot be matched on egress: its outbound traffic falls to the host default)'}`)
  }

  // --- assemble
  const verdict = enforce ? 'drop' : 'accept'
  const tail = (chain: string[]): void => {
    rule(chain, [LOG_RATE, 'counter', `log prefix "${enforce ? 'phiwall-drop: ' : 'phiwall-alert: '}"`], `phiwall: log what nothing above allowed (rate-limited)`)
    rule(chain, ['counter', verdict], enforce ? 'phiwall: default deny' : 'phiwall: alert mode, not enforced')
  }
  const head = (chain: 'input' | 'output'): string[] => {
    const lines = [`\tchain ${chain} {`, `\t\ttype filter hook ${chain} priority filter; policy ${verdict};`]
    const out: string[] = []
    rule(out, ['ct state invalid', 'counter', 'drop'], 'phiwall: invalid connection state')
    rule(out, ['ct state established,related', 'counter', 'accept'], 'phiwall: replies and related traffic')
    rule(out, [chain === 'input' ? 'iif "lo"' : 'oif "lo"', 'counter', 'accept'], 'phiwall infra: loopback')
    rule(
      out,
      [`icmpv6 type { ${chain === 'input' ? 'nd-router-advert, nd-neighbor-solicit, nd-neighbor-advert' : 'nd-router-solicit, nd-neighbor-solicit, nd-neighbor-advert, mld2-listener-report'} }`, 'counter', 'accept'],
      'phiwall infra: ipv6-neighbor-discovery',
    )
    if (chain === 'output') {
      rule(out, ['udp sport 68 udp dport 67', 'counter', 'accept'], 'phiwall infra: dhcp (client to server)')
      rule(out, ['udp sport 546 udp dport 547', 'counter', 'accept'], 'phiwall infra: dhcpv6 (client to server)')
    }
    return [...lines, ...out]
  }
  tail(input)
  tail(output)

  const withheld = plan.active.flatMap((wp) => wp.withheld.map((w) => `${wp.identity.id}: ${describeWithheld(w)}`)).sort(cmp)
  const header = [
    '#!/usr/sbin/nft -f',
    fileComment(`PhiWall nftables ruleset for host ${plan.host} (mode: ${plan.mode})`),
    fileComment(provenance(set)),
    fileComment(`Load with: nft -f ${safeSegment(plan.host)}.nft (idempotent: it replaces table inet phiwall and touches nothing else)`),
    fileComment(
      enforce
        ? 'ENFORCE: inbound and outbound traffic not listed here is logged (prefix phiwall-drop) and dropped, including management access (SSH, SSM, EC2 metadata, NTP) unless the policy lists it.'
        : 'ALERT: traffic not listed here is logged (prefix phiwall-alert) and accepted.',
    ),
    fileComment('Processes are matched by socket uid and/or cgroup v2 path, not by their binary: any process with the same uid/cgroup gets the same access. cgroup paths must exist when this file is loaded.'),
    fileComment('Other nftables tables with hooks (firewalld, docker, kube-proxy) still see every packet: what this table accepts they can still drop.'),
    '#',
    fileComment('Processes:'),
    ...sortBy(plan.active, (w) => w.identity.id).map((w) => fileComment(`  - ${describeProcess(w.identity)} [${w.mode}]`)),
    ...sortBy(plan.inactive, (w) => w.identity.id).map((w) => fileComment(`  - ${describeProcess(w.identity)} [${w.mode}: not enforced]`)),
  ]
  if (withheld.length > 0) header.push('#', fileComment('Withheld (NOT allowed; review before adding):'), ...withheld.map((w) => fileComment(`  - ${w}`)))

  const body = [
    ...header,
    '',
    'table inet phiwall',
    'delete table inet phiwall',
    '',
    'table inet phiwall {',
    ...sets.declarations(),
    ...head('input'),
    ...input,
    '\t}',
    '',
    ...head('output'),
    ...output,
    '\t}',
    '}',
    '',
  ]
  return body.join('\n')
}

function uniqueListenPorts(rules: PolicyRule[]): string[] {
  const out: string[] = []
  for (const r of rules) {
    if (portProblem(r)) continue
    const l4 = L4[r.protocol]
    if (!l4) continue
    out.push(`${l4} dport ${r.port}${r.endPort !== undefined && r.endPort !== r.port ? `-${r.endPort}` : ''}`)
  }
  return uniqueSorted(out)
}

function hostMode(active: WorkloadPolicy[]): 'alert' | 'enforce' {
  return active.some((w) => w.mode === 'enforce') ? 'enforce' : 'alert'
}

export function exportNftables(set: PolicySet, options: NftablesOptions = {}): ExportResult {
  const notes = new Notes()
  const hosts = new Map<string, WorkloadPolicy[]>()
  for (const wp of sortBy(set.workloads, (w) => w.identity.id)) {
    const identity = wp.identity
    // a host's own connections (no owning process) go into the host's ruleset, matching any process
    const host = identity.kind === 'process' ? identity.process?.host : isHostLevel(identity) ? identity.name : undefined
    if (identity.kind !== 'process' && host === undefined) {
      notes.add(identity.id, `not a host process (kind ${identity.kind}): no nftables ruleset`)
      continue
    }
    if (!host) {
      notes.add(identity.id, 'process identity without a host: no nftables ruleset')
      continue
    }
    const list = hosts.get(host) ?? []
    list.push(wp)
    hosts.set(host, list)
  }
  const built: { host: string; content: string; workloads: string[] }[] = []
  for (const host of [...hosts.keys()].sort(cmp)) {
    const all = hosts.get(host)!
    const active = all.filter((w) => isActive(w.mode))
    const inactive = all.filter((w) => !isActive(w.mode))
    if (active.length === 0) {
      for (const w of inactive) notes.add(w.identity.id, `${inactiveNote(w.mode)}; no ruleset for host ${host}`)
      continue
    }
    const mode = hostMode(active)
    const content = hostRuleset(set, { host, mode, active, inactive }, options, notes)
    built.push({ host, content, workloads: all.map((w) => w.identity.id) })
  }
  const paths = uniquePaths(built.map((b) => ({ key: b.host, path: `${safeSegment(b.host)}.nft` })))
  const files: ExportedFile[] = built.map((b) => ({ path: paths.get(b.host)!, content: b.content, workloads: b.workloads }))
  return { format: 'nftables', files: sortFiles(files), notes: notes.list() }
}
