/**
 * AWS security groups for Lambda functions, EC2 instances and AWS services (identities with
 * `securityGroups`, or of kind function / vm / aws-service), written twice: a CloudFormation
 * template (`security-groups.cfn.yaml`) and Terraform (`security-groups.tf`).
 *
 * One new group per workload. A peer that gets a group here is referenced by it (`!Ref` /
 * `aws_security_group.x.id`); a peer with existing groups by their ids; other peers by address
 * (CIDR, `set.hosts`). References between generated groups are separate
 * `AWS::EC2::SecurityGroupIngress`/`Egress` resources so that two groups that allow each other
 * do not form a CloudFormation dependency cycle; address rules stay inline.
 *
 * Security groups only allow: there is no deny and no log, so alert mode cannot be expressed
 * (VPC flow logs are the alert path) and FQDNs cannot be matched (use a managed prefix list or
 * a VPC endpoint). Every rule has a Description naming its reason.
 */
import type { ExportResult, ExportedFile, FlowProtocol, PolicyRule, PolicySet, WorkloadIdentity, WorkloadPolicy } from '../types.js'
import {
  type Cidr,
  Notes,
  asciiText,
  cidrSortKey,
  cidrsOf,
  cmp,
  commentLine,
  describeRule,
  describeWithheld,
  hostAddressesOf,
  nameAddressesOf,
  identityOf,
  inactiveNote,
  isActive,
  isLinkLocal,
  resolversUsed,
  isLoopback,
  isPortNumber,
  oneLine,
  portProblem,
  provenance,
  ruleSortKey,
  shortHash,
  sortBy,
  sortFiles,
  toCidr,
} from './shared.js'
import { type YamlValue, Tagged, commented, renderYaml } from './yaml.js'

export const CFN_PATH = 'security-groups.cfn.yaml'
export const TF_PATH = 'security-groups.tf'

const SG_ID = /^sg-[0-9a-f]{8,17}$/
/** Characters EC2 accepts in a group or rule description. */
const DESCRIPTION_CHARS = /[^A-Za-z0-9 ._\-:/()#,@[\]+=&;{}!$*]/g

export function sgDescription(s: string): string {
  const text = asciiText(oneLine(s, 1000).replace(/→/g, ' to '))
    .replace(/\|/g, ' ')
    .replace(DESCRIPTION_CHARS, '_')
    .replace(/\s+/g, ' ')
    .trim()
  return text.length > 255 ? `${text.slice(0, 252)}...` : text
}

const AWS_KINDS = new Set<WorkloadIdentity['kind']>(['function', 'vm', 'aws-service'])

export function isSecurityGroupWorkload(identity: WorkloadIdentity): boolean {
  return AWS_KINDS.has(identity.kind) || (identity.securityGroups ?? []).length > 0
}

interface Group {
  id: string
  wp: WorkloadPolicy
  logical: string
  tf: string
  name: string
}

type SgPeer = { kind: 'group'; group: Group } | { kind: 'sg'; id: string } | { kind: 'cidr'; cidr: Cidr }

interface SgRule {
  direction: 'ingress' | 'egress'
  group: Group
  protocol: string
  from?: number
  to?: number
  peer: SgPeer
  description: string
}

function pascal(s: string): string {
  return s
    .split(/[^A-Za-z0-9]+/)
    .filter((p) => p.length > 0)
    .map((p) => p[0]!.toUpperCase() + p.slice(1))
    .join('')
}

function snake(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '')
}

function peerSlug(p: SgPeer): string {
  switch (p.kind) {
    case 'group':
      return p.group.tf
    case 'sg':
      return p.id
    case 'cidr':
      return p.cidr.text
  }
}

function portSlug(r: SgRule): string {
  if (r.from === undefined) return 'all'
  if (r.from === -1) return 'anytype'
  return r.from === r.to ? String(r.from) : `${r.from}_${r.to}`
}

function ruleKey(r: SgRule): string {
  const port = (n: number | undefined): string => (n === undefined ? '' : String(n + 1).padStart(5, '0'))
  return [r.group.id, r.direction, r.protocol, port(r.from), port(r.to), r.peer.kind, r.peer.kind === 'cidr' ? cidrSortKey(r.peer.cidr) : peerSlug(r.peer)].join('|')
}

const IP_PROTOCOL: Partial<Record<FlowProtocol, string>> = { tcp: 'tcp', udp: 'udp', sctp: '132', icmp: 'icmp', icmpv6: 'icmpv6' }

/** Protocol and port fields for a rule, or why it cannot be written. */
function protocolFields(r: { port: number; endPort?: number; protocol: FlowProtocol }): { protocol: string; from?: number; to?: number } | string {
  const protocol = IP_PROTOCOL[r.protocol]
  if (!protocol) return `protocol ${r.protocol} cannot be expressed by a security group rule`
  if (r.protocol === 'icmp' || r.protocol === 'icmpv6') return { protocol, from: -1, to: -1 }
  const problem = portProblem(r)
  if (problem) return problem
  return { protocol, from: r.port, to: r.endPort ?? r.port }
}

function familyFits(protocol: string, peer: SgPeer): boolean {
  if (peer.kind !== 'cidr') return true
  if (protocol === 'icmp') return peer.cidr.family === 4
  if (protocol === 'icmpv6') return peer.cidr.family === 6
  return true
}

const MODE_RANK: Record<WorkloadPolicy['mode'], number> = { off: 0, learn: 1, alert: 2, enforce: 3 }

/**
 * Security groups apply to a host's network interface, not to a process: the processes the agent
 * saw on a host are folded into one policy for the host (`host:<name>`, the identity of the
 * host's unowned connections when there is one), their rules labelled with the process, traffic
 * between processes of the same host dropped (it never leaves the host), and peers that are
 * processes on another host become that host. The host's mode is its strictest member's among
 * the active ones; it holds PHI when any member does.
 */
export function withHostGroups(set: PolicySet, notes: Notes, members = new Map<string, string[]>()): PolicySet {
  const hostOf = (id: string): string | undefined => {
    const i = identityOf(set, id)
    return i?.kind === 'process' ? i.process?.host : i?.kind === 'vm' && i.id === `host:${i.name}` ? i.name : undefined
  }
  if (!set.workloads.some((w) => w.identity.kind === 'process' && w.identity.process?.host)) return set
  const identities: Record<string, WorkloadIdentity> = { ...set.identities }
  const rewrite = (peer: PolicyRule['peer']): PolicyRule['peer'] => {
    if (peer.kind !== 'identity') return peer
    const host = hostOf(peer.id)
    return host !== undefined ? { kind: 'identity', id: `host:${host}` } : peer
  }
  const byHost = new Map<string, WorkloadPolicy>()
  const out: WorkloadPolicy[] = []
  const hostPolicy = (host: string): WorkloadPolicy => {
    const id = `host:${host}`
    let p = byHost.get(host)
    if (!p) {
      const own = set.workloads.find((w) => w.identity.id === id)
      const identity: WorkloadIdentity = own?.identity ?? identities[id] ?? { id, kind: 'vm', name: host }
      identities[id] = identity
      const local = (r: PolicyRule): boolean => r.peer.kind === 'identity' && r.peer.id === id
      p = own
        ? { ...own, ingress: own.ingress.map((r) => ({ ...r, peer: rewrite(r.peer) })).filter((r) => !local(r)), egress: own.egress.map((r) => ({ ...r, peer: rewrite(r.peer) })).filter((r) => !local(r)), withheld: [...own.withheld] }
        : { identity, mode: 'off', holdsPhi: 'no', ingress: [], egress: [], withheld: [] }
      byHost.set(host, p)
      out.push(p)
    }
    return p
  }
  for (const wp of set.workloads) {
    const host = wp.identity.kind === 'process' ? wp.identity.process?.host : undefined
    if (host === undefined) {
      if (wp.identity.kind === 'vm' && wp.identity.id.startsWith('host:') && hostOf(wp.identity.id) !== undefined) {
        hostPolicy(wp.identity.name)
        const list = members.get(wp.identity.id) ?? []
        list.push(wp.identity.id)
        members.set(wp.identity.id, list)
        continue
      }
      out.push({ ...wp, ingress: wp.ingress.map((r) => ({ ...r, peer: rewrite(r.peer) })), egress: wp.egress.map((r) => ({ ...r, peer: rewrite(r.peer) })) })
      continue
    }
    const hp = hostPolicy(host)
    if (!isActive(wp.mode)) {
      notes.add(wp.identity.id, `${inactiveNote(wp.mode)}; but a security group cannot exempt one process: once host ${host}'s group is attached, only what it allows the host's other processes passes for this one too`)
      continue
    }
    notes.add(wp.identity.id, `a process: its rules are in the security group of its host (host:${host}), which every process there shares`)
    const list = members.get(`host:${host}`) ?? []
    list.push(wp.identity.id)
    members.set(`host:${host}`, list)
    if (MODE_RANK[wp.mode] > MODE_RANK[hp.mode]) hp.mode = wp.mode
    if (wp.holdsPhi === 'yes' || (wp.holdsPhi === 'unknown' && hp.holdsPhi === 'no')) hp.holdsPhi = wp.holdsPhi
    const label = `${wp.identity.name} (${wp.identity.id})`
    for (const direction of ['ingress', 'egress'] as const) {
      for (const r of wp[direction]) {
        const peer = rewrite(r.peer)
        // between processes of the same host: never on the network
        if (peer.kind === 'identity' && peer.id === `host:${host}`) continue
        hp[direction].push({ ...r, peer, reason: `${label}: ${r.reason}` })
      }
    }
    for (const w of wp.withheld) hp.withheld.push({ ...w, reason: `${label}: ${w.reason}` })
  }
  return { ...set, identities, workloads: out }
}

export function exportAwsSecurityGroups(input: PolicySet): ExportResult {
  const notes = new Notes()
  const members = new Map<string, string[]>()
  const set = withHostGroups(input, notes, members)
  const groups: Group[] = []
  const logicalUsed = new Set<string>()
  const tfUsed = new Set<string>()
  for (const wp of sortBy(set.workloads, (w) => w.identity.id)) {
    const identity = wp.identity
    if (!isSecurityGroupWorkload(identity)) {
      notes.add(identity.id, `not an AWS workload (kind ${identity.kind}, no security groups): no security group exported`)
      continue
    }
    if (!isActive(wp.mode)) {
      notes.add(identity.id, inactiveNote(wp.mode))
      continue
    }
    let logical = `Sg${pascal(identity.name) || 'Workload'}`
    if (logicalUsed.has(logical)) logical = `${logical}${shortHash(identity.id)}`
    let tf = snake(identity.name) || 'workload'
    if (!/^[a-z_]/.test(tf)) tf = `sg_${tf}`
    if (tfUsed.has(tf)) tf = `${tf}_${shortHash(identity.id)}`
    logicalUsed.add(logical)
    tfUsed.add(tf)
    groups.push({ id: identity.id, wp, logical, tf, name: sgDescription(`phiwall-${identity.name}`).replace(/ /g, '-') })
    if (wp.mode === 'alert') {
      notes.add(identity.id, "mode 'alert': security groups have no deny or log, so alert mode cannot be expressed; applying this group enforces it (VPC flow logs are the alert path)")
    }
  }
  const byId = new Map(groups.map((g) => [g.id, g]))

  const resolvers = cidrsOf(set.cluster.hostResolvers ?? [])
  const dnsCidrs = resolvers.cidrs.filter((c) => !isLoopback(c) && !isLinkLocal(c))
  const healthCidrs = cidrsOf(set.cluster.healthCheckCidrs ?? []).cidrs

  const resolvePeer = (rule: PolicyRule): SgPeer[] | string => {
    const peer = rule.peer
    switch (peer.kind) {
      case 'fqdn': {
        // the address book's entries for the name (an interface endpoint, a published range) hold;
        // DNS answers go stale, and a group cannot follow them
        const { cidrs } = cidrsOf(nameAddressesOf(set, peer.fqdn).book)
        if (cidrs.length > 0) return cidrs.map((cidr) => ({ kind: 'cidr', cidr }))
        return `security groups cannot match names (${peer.fqdn}) and the address book has no address for it; use a managed prefix list for the service's published ranges, or a VPC endpoint (PrivateLink) if the service offers one, and add its addresses to the address book (fqdn:${peer.fqdn})`
      }
      case 'cidr': {
        const c = toCidr(peer.cidr)
        return c ? [{ kind: 'cidr', cidr: c }] : `peer cidr ${JSON.stringify(peer.cidr)} is not a valid CIDR`
      }
      case 'identity': {
        const generated = byId.get(peer.id)
        if (generated) return [{ kind: 'group', group: generated }]
        const identity = identityOf(set, peer.id)
        if (!identity) return `peer ${peer.id} is not in the policy's identities`
        const sgs = (identity.securityGroups ?? []).filter((s) => SG_ID.test(s))
        if (sgs.length > 0) return [...new Set(sgs)].sort(cmp).map((id) => ({ kind: 'sg', id }))
        const known = hostAddressesOf(set, identity)
        if (known) {
          const { cidrs } = cidrsOf(known.addresses)
          if (cidrs.length > 0) return cidrs.map((cidr) => ({ kind: 'cidr', cidr }))
        }
        return `peer ${peer.id} (${identity.kind}) has neither a security group nor known addresses`
      }
    }
  }

  const rules = new Map<string, SgRule>()
  const addRule = (r: SgRule): void => {
    const key = ruleKey(r)
    const description = sgDescription(r.description)
    const existing = rules.get(key)
    if (existing) {
      if (!existing.description.includes(description)) existing.description = sgDescription(`${existing.description}; ${description}`)
      return
    }
    rules.set(key, { ...r, description })
  }

  for (const group of groups) {
    const { wp, id } = group
    // AWS services resolve nothing in the VPC on the workload's behalf: no DNS allowance for them
    if (wp.identity.kind !== 'aws-service') {
      // the resolvers this workload was seen using; every configured one when none was seen
      const used = resolversUsed(dnsCidrs, wp.egress)
      if (used.length === 0 && dnsCidrs.length > 1) notes.add(id, `no DNS query to a host resolver was observed: DNS is allowed to every configured host resolver (${dnsCidrs.map((c) => c.text).join(', ')})`)
      for (const cidr of used.length ? used : dnsCidrs) {
        for (const protocol of ['udp', 'tcp']) addRule({ direction: 'egress', group, protocol, from: 53, to: 53, peer: { kind: 'cidr', cidr }, description: `phiwall infra: dns (${protocol.toUpperCase()} 53 to the host resolver)` })
      }
    }
    for (const direction of ['ingress', 'egress'] as const) {
      for (const r of sortBy(wp[direction], ruleSortKey)) {
        const what = `${direction} rule ${describeRule(r)}`
        const fields = protocolFields(r)
        if (typeof fields === 'string') {
          notes.add(id, `${what}: ${fields}; not exported`)
          continue
        }
        const infra = r.infrastructure
        let peers: SgPeer[] | string
        let extraPorts: number[] = []
        if (infra === 'dns' && direction === 'egress' && r.port === 53 && r.peer.kind === 'cidr' && resolvers.cidrs.some((c) => c.text === toCidr((r.peer as { cidr: string }).cidr)?.text)) {
          continue // the host-resolver allowance (or AmazonProvidedDNS, which security groups do not filter) covers it
        } else if (infra === 'health-check' && direction === 'ingress' && healthCidrs.length > 0) {
          // the load-balancer ranges, and the rule's own peer when it has one
          const own = resolvePeer(r)
          peers = [...healthCidrs.map((cidr): SgPeer => ({ kind: 'cidr', cidr })), ...(typeof own === 'string' ? [] : own)]
        } else if (infra === 'kube-apiserver' && direction === 'egress') {
          const api = cidrsOf(set.cluster.apiServer.addresses ?? []).cidrs
          peers = api.length > 0 ? api.map((cidr) => ({ kind: 'cidr', cidr })) : 'the kube-apiserver addresses are unknown (cluster.apiServer.addresses)'
          if (isPortNumber(set.cluster.apiServer.port) && set.cluster.apiServer.port !== r.port) extraPorts = [set.cluster.apiServer.port]
        } else peers = resolvePeer(r)
        if (typeof peers === 'string') {
          notes.add(id, `${what}: ${peers}; not exported`)
          continue
        }
        let written = 0
        for (const peer of peers) {
          if (!familyFits(fields.protocol, peer)) continue
          addRule({ direction, group, ...fields, peer, description: describeRule(r) })
          for (const port of extraPorts) addRule({ direction, group, protocol: 'tcp', from: port, to: port, peer, description: describeRule(r) })
          written++
        }
        if (written === 0) notes.add(id, `${what}: protocol ${r.protocol} does not apply to the peer's address family; not exported`)
      }
    }
  }
  if (groups.length > 0 && dnsCidrs.length === 0) {
    notes.add('aws-sg', 'no DNS rule added: the host resolvers are AmazonProvidedDNS / link-local (security groups do not filter them) or unknown')
  }

  const sorted = sortBy(rules.values(), ruleKey)
  if (groups.length === 0) return { format: 'aws-sg', files: [], notes: notes.list() }
  // the real workloads each file covers: a host's group covers the processes folded into it
  const workloads = [...new Set(groups.flatMap((g) => members.get(g.id) ?? [g.id]))].sort(cmp)
  const files: ExportedFile[] = [
    { path: CFN_PATH, content: cloudFormation(set, groups, sorted), workloads },
    { path: TF_PATH, content: terraform(set, groups, sorted), workloads },
  ]
  return { format: 'aws-sg', files: sortFiles(files), notes: notes.list() }
}

// ---------------------------------------------------------------------------------------------
// CloudFormation

function groupComments(g: Group): string[] {
  const lines = [`${g.id} (mode ${g.wp.mode}, holds PHI: ${g.wp.holdsPhi})`]
  if (g.wp.mode === 'alert') lines.push('ALERT MODE cannot be expressed: security groups have no deny or log; attaching this group ENFORCES it. Use VPC flow logs to alert.')
  if (g.wp.identity.kind === 'function') lines.push('A Lambda function uses security groups only when it is attached to a VPC (VpcConfig).')
  if ((g.wp.identity.securityGroups ?? []).length > 0) lines.push(`Replaces its current groups: ${[...g.wp.identity.securityGroups!].sort(cmp).join(', ')}`)
  if (g.wp.withheld.length > 0) {
    lines.push('Withheld (NOT allowed; review before adding):')
    for (const w of g.wp.withheld.map(describeWithheld).sort(cmp)) lines.push(`  - ${w}`)
  }
  return lines
}

function cfnPorts(r: SgRule): { [k: string]: YamlValue } {
  const out: { [k: string]: YamlValue } = { IpProtocol: r.protocol }
  if (r.from !== undefined) out['FromPort'] = r.from
  if (r.to !== undefined) out['ToPort'] = r.to
  return out
}

function cfnPeer(r: SgRule): { [k: string]: YamlValue } {
  const ing = r.direction === 'ingress'
  switch (r.peer.kind) {
    case 'group':
      return { [ing ? 'SourceSecurityGroupId' : 'DestinationSecurityGroupId']: new Tagged('!Ref', r.peer.group.logical) }
    case 'sg':
      return { [ing ? 'SourceSecurityGroupId' : 'DestinationSecurityGroupId']: r.peer.id }
    case 'cidr':
      return r.peer.cidr.family === 4 ? { CidrIp: r.peer.cidr.text } : { CidrIpv6: r.peer.cidr.text }
  }
}

/** The inline rule that replaces AWS's default allow-all egress when a group has no other inline egress. */
export const NO_EGRESS_RULE = { IpProtocol: '-1', CidrIp: '127.0.0.1/32', Description: 'phiwall default deny: replaces the default allow-all egress (matches no real traffic)' }

function cloudFormation(set: PolicySet, groups: Group[], rules: SgRule[]): string {
  const resources: { [k: string]: YamlValue } = {}
  const standalone: { [k: string]: YamlValue } = {}
  const standaloneNames = new Set<string>()
  for (const g of groups) {
    const mine = rules.filter((r) => r.group === g)
    const inline = (dir: 'ingress' | 'egress'): YamlValue[] => mine.filter((r) => r.direction === dir && r.peer.kind !== 'group').map((r) => ({ ...cfnPorts(r), ...cfnPeer(r), Description: r.description }))
    const ingress = inline('ingress')
    const egress = inline('egress')
    const hasStandaloneEgress = mine.some((r) => r.direction === 'egress' && r.peer.kind === 'group')
    const properties: { [k: string]: YamlValue } = {
      GroupDescription: sgDescription(`PhiWall allow-list for ${g.id}`),
      VpcId: new Tagged('!Ref', 'VpcId'),
      SecurityGroupIngress: ingress,
      SecurityGroupEgress: egress.length > 0 ? egress : [commented([hasStandaloneEgress ? 'egress to other PhiWall groups is in separate SecurityGroupEgress resources below' : 'no egress allowed'], { ...NO_EGRESS_RULE })],
      Tags: [
        { Key: 'Name', Value: g.name },
        { Key: 'phiwall.io/mode', Value: g.wp.mode },
        { Key: 'phiwall.io/workload', Value: g.id },
      ],
    }
    resources[g.logical] = commented(groupComments(g), { Type: 'AWS::EC2::SecurityGroup', Properties: properties })
    for (const r of mine.filter((x) => x.peer.kind === 'group')) {
      const peer = r.peer as { kind: 'group'; group: Group }
      let name = `${g.logical}${r.direction === 'ingress' ? 'IngressFrom' : 'EgressTo'}${peer.group.logical}${pascal(r.protocol)}${pascal(portSlug(r))}`
      if (standaloneNames.has(name) || resources[name] !== undefined) name = `${name}${shortHash(ruleKey(r))}`
      standaloneNames.add(name)
      standalone[name] = {
        Type: r.direction === 'ingress' ? 'AWS::EC2::SecurityGroupIngress' : 'AWS::EC2::SecurityGroupEgress',
        Properties: { GroupId: new Tagged('!Ref', g.logical), ...cfnPorts(r), ...cfnPeer(r), Description: r.description },
      }
    }
  }
  for (const name of Object.keys(standalone).sort(cmp)) resources[name] = standalone[name]!
  const doc: { [k: string]: YamlValue } = {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `PhiWall security groups, policy v${set.version}`,
    Parameters: { VpcId: { Type: 'AWS::EC2::VPC::Id', Description: 'The VPC the security groups belong to' } },
    Resources: resources,
  }
  const header = [
    'PhiWall security groups (CloudFormation)',
    provenance(set),
    'Security groups only allow: no deny, no log. Alert mode cannot be expressed (use VPC flow logs); FQDN peers cannot be matched (see the export notes).',
    'Rules between two PhiWall groups are separate SecurityGroupIngress/SecurityGroupEgress resources so groups that allow each other do not form a dependency cycle.',
  ]
  return renderYaml(doc, header)
}

// ---------------------------------------------------------------------------------------------
// Terraform

export function hclString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\$\{/g, () => '$${').replace(/%\{/g, '%%{').replace(/\n/g, '\\n')}"`
}

/** A map attribute value, keys aligned as `terraform fmt` does. */
function hclMap(entries: [string, string][]): string {
  const width = Math.max(...entries.map(([k]) => hclString(k).length))
  return `{\n${entries.map(([k, v]) => `    ${hclString(k).padEnd(width)} = ${hclString(v)}`).join('\n')}\n  }`
}

function hclBlock(kind: string, type: string | undefined, name: string, attrs: [string, string][], comments: string[] = []): string[] {
  const width = Math.max(0, ...attrs.filter(([, v]) => !v.includes('\n')).map(([k]) => k.length))
  const lines = comments.map((c) => `# ${commentLine(c)}`)
  lines.push(`${kind}${type ? ` ${hclString(type)}` : ''} ${hclString(name)} {`)
  for (const [k, v] of attrs) lines.push(`  ${v.includes('\n') ? k : k.padEnd(width)} = ${v}`)
  lines.push('}', '')
  return lines
}

function terraform(set: PolicySet, groups: Group[], rules: SgRule[]): string {
  const out: string[] = [
    '# PhiWall security groups (Terraform)',
    `# ${provenance(set)}`,
    '# Security groups only allow: no deny, no log. Alert mode cannot be expressed (use VPC flow logs); FQDN peers cannot be matched (see the export notes).',
    '# Terraform removes the default allow-all egress rule from groups it creates, so a group without egress rules allows no egress.',
    '',
    ...hclBlock('variable', undefined, 'vpc_id', [
      ['description', hclString('The VPC the PhiWall security groups belong to')],
      ['type', 'string'],
    ]),
  ]
  const ruleNames = new Set<string>()
  for (const g of groups) {
    out.push(
      ...hclBlock(
        'resource',
        'aws_security_group',
        g.tf,
        [
          ['name', hclString(g.name)],
          ['description', hclString(sgDescription(`PhiWall allow-list for ${g.id}`))],
          ['vpc_id', 'var.vpc_id'],
          ['tags', hclMap([['Name', g.name], ['phiwall.io/mode', g.wp.mode], ['phiwall.io/workload', g.id]])],
        ],
        groupComments(g),
      ),
    )
    for (const r of rules.filter((x) => x.group === g)) {
      let name = snake(`${g.tf}_${r.direction}_${r.protocol}_${portSlug(r)}_${peerSlug(r.peer)}`)
      if (ruleNames.has(name)) name = `${name}_${shortHash(ruleKey(r))}`
      ruleNames.add(name)
      const attrs: [string, string][] = [
        ['security_group_id', `aws_security_group.${g.tf}.id`],
        ['description', hclString(r.description)],
        ['ip_protocol', hclString(r.protocol)],
      ]
      if (r.from !== undefined) attrs.push(['from_port', String(r.from)])
      if (r.to !== undefined) attrs.push(['to_port', String(r.to)])
      if (r.peer.kind === 'group') attrs.push(['referenced_security_group_id', `aws_security_group.${r.peer.group.tf}.id`])
      else if (r.peer.kind === 'sg') attrs.push(['referenced_security_group_id', hclString(r.peer.id)])
      else attrs.push([r.peer.cidr.family === 4 ? 'cidr_ipv4' : 'cidr_ipv6', hclString(r.peer.cidr.text)])
      out.push(...hclBlock('resource', r.direction === 'ingress' ? 'aws_vpc_security_group_ingress_rule' : 'aws_vpc_security_group_egress_rule', name, attrs))
    }
  }
  return `${out.join('\n').replace(/\n+$/, '')}\n`
}
