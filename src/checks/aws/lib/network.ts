import type { Resource } from '../../../model/index.js'
import type { CheckContext } from '../../types.js'
import { isObj, list, num, str } from './values.js'

/** One security group rule, from the group's inline rules or a separate ingress / egress resource. */
export interface SgRule {
  direction: 'ingress' | 'egress'
  protocol: string
  fromPort: number | undefined
  toPort: number | undefined
  cidr?: string
  cidrV6?: string
  /** Another group or prefix list as the peer. */
  peer?: unknown
  /** Where the rule is written. */
  source: Resource
  path: string
}

/** Every rule of a security group. */
export function securityGroupRules(sg: Resource, ctx: CheckContext): SgRule[] {
  const rules: SgRule[] = []
  const add = (direction: 'ingress' | 'egress', r: Record<string, unknown>, source: Resource, path: string): void => {
    const rule: SgRule = {
      direction,
      protocol: String(r['IpProtocol'] ?? '-1'),
      fromPort: num(r['FromPort']),
      toPort: num(r['ToPort']),
      source,
      path,
    }
    const cidr = str(r['CidrIp'])
    const cidr6 = str(r['CidrIpv6'])
    if (cidr) rule.cidr = cidr
    if (cidr6) rule.cidrV6 = cidr6
    const peer = r['SourceSecurityGroupId'] ?? r['SourceSecurityGroupName'] ?? r['DestinationSecurityGroupId'] ?? r['SourcePrefixListId'] ?? r['DestinationPrefixListId']
    if (peer !== undefined) rule.peer = peer
    rules.push(rule)
  }
  list(sg.props['SecurityGroupIngress']).forEach((r, i) => isObj(r) && add('ingress', r, sg, `SecurityGroupIngress.${i}`))
  list(sg.props['SecurityGroupEgress']).forEach((r, i) => isObj(r) && add('egress', r, sg, `SecurityGroupEgress.${i}`))
  for (const x of ctx.view.related(sg, { direction: 'in', kinds: ['attached'], types: ['AWS::EC2::SecurityGroupIngress', 'AWS::EC2::SecurityGroupEgress'] })) {
    add(x.type === 'AWS::EC2::SecurityGroupIngress' ? 'ingress' : 'egress', x.props, x, '')
  }
  return rules
}

/**
 * Is a CIDR a /0 block, i.e. every address? EC2 canonicalizes rule CIDRs (`10.0.0.1/0` becomes
 * `0.0.0.0/0`), so the prefix length decides, not the address written before it.
 */
export function cidrCoversAll(cidr: string | undefined): boolean {
  return cidr !== undefined && /^\s*[0-9a-fA-F.:]+\/0+\s*$/.test(cidr)
}

/** Is the rule open to the whole internet (a /0 block: 0.0.0.0/0 or ::/0, however written)? */
export function openToWorld(rule: SgRule): boolean {
  return cidrCoversAll(rule.cidr) || cidrCoversAll(rule.cidrV6)
}

/** Does the rule admit a TCP port (all protocols and missing ports mean every port)? */
export function rulePermitsPort(rule: SgRule, port: number): boolean {
  const proto = rule.protocol.toLowerCase()
  if (proto === '-1' || proto === 'all') return true
  if (proto !== 'tcp' && proto !== '6' && proto !== 'udp' && proto !== '17') return false
  const from = rule.fromPort ?? 0
  const to = rule.toPort ?? 65535
  if (from === -1 || to === -1) return true
  return port >= from && port <= to
}

/** Ports of remote administration and of databases, which must never face the internet. */
export const ADMIN_PORTS: Record<number, string> = {
  20: 'FTP data',
  21: 'FTP',
  22: 'SSH',
  23: 'Telnet',
  3389: 'RDP',
  5985: 'WinRM',
  5986: 'WinRM over TLS',
  5900: 'VNC',
  2375: 'Docker API',
  2376: 'Docker API over TLS',
  6443: 'Kubernetes API',
}

/** Database and cache ports. */
export const DATABASE_PORTS: Record<number, string> = {
  1433: 'SQL Server',
  1521: 'Oracle',
  3306: 'MySQL / Aurora MySQL',
  5432: 'PostgreSQL / Aurora PostgreSQL',
  5439: 'Redshift',
  6379: 'Redis',
  9200: 'OpenSearch',
  9300: 'OpenSearch transport',
  11211: 'Memcached',
  27017: 'MongoDB / DocumentDB',
  7000: 'Cassandra',
  9042: 'Cassandra',
  50000: 'DB2',
}

/** Tri-state answer for network questions that depend on what the scan saw. */
export type NetTri = 'yes' | 'no' | 'unknown'

/**
 * Egress rules of a security group as AWS applies them: a group declared in a template without
 * an inline `SecurityGroupEgress` keeps the default rule allowing all traffic to 0.0.0.0/0 (AWS
 * removes it only when the property lists rules; standalone egress resources add to it). Live
 * snapshots list the actual rules, default included.
 */
export function effectiveEgressRules(sg: Resource, ctx: CheckContext): SgRule[] {
  const rules = securityGroupRules(sg, ctx).filter((r) => r.direction === 'egress')
  const inline = sg.props['SecurityGroupEgress']
  if (sg.origin !== 'aws-snapshot' && (inline === undefined || inline === null)) {
    rules.unshift({ direction: 'egress', protocol: '-1', fromPort: undefined, toPort: undefined, cidr: '0.0.0.0/0', source: sg, path: '' })
  }
  return rules
}

/** Does a rule cover every port of every protocol (or all TCP and UDP ports)? */
export function ruleAllPorts(rule: SgRule): boolean {
  const proto = rule.protocol.toLowerCase()
  if (proto === '-1' || proto === 'all') return true
  if (proto !== 'tcp' && proto !== '6' && proto !== 'udp' && proto !== '17') return false
  const from = rule.fromPort ?? 0
  const to = rule.toPort ?? 65535
  return (from <= 0 && to >= 65535) || from === -1 || to === -1
}

/** Resources of a type named by a property value: references, or plain ids / names (live). */
function named(value: unknown, from: Resource, ctx: CheckContext, type: string): Resource[] {
  const out = new Set(ctx.view.refs(value, from).filter((x) => x.type === type))
  for (const s of list(value)) {
    if (typeof s !== 'string') continue
    // a logical id, or a name CloudFormation generates, names a resource in its own template only
    for (const x of ctx.view.ofType(type)) if (x.arn === s || ((x.sourceId === s || x.name === s) && (x.stack === from.stack || (x.name === s && !ctx.view.hasGeneratedName(x))))) out.add(x)
  }
  return [...out]
}

/** Route tables associated with a subnet (through `AWS::EC2::SubnetRouteTableAssociation`). */
export function routeTablesOfSubnet(subnet: Resource, ctx: CheckContext): Resource[] {
  const out = new Set<Resource>()
  for (const a of ctx.view.ofType('AWS::EC2::SubnetRouteTableAssociation')) {
    if (!named(a.props['SubnetId'], a, ctx, 'AWS::EC2::Subnet').includes(subnet)) continue
    for (const rt of named(a.props['RouteTableId'], a, ctx, 'AWS::EC2::RouteTable')) out.add(rt)
  }
  return [...out]
}

/** Subnets a route table is associated with. */
export function subnetsOfRouteTable(rt: Resource, ctx: CheckContext): Resource[] {
  const out = new Set<Resource>()
  for (const a of ctx.view.ofType('AWS::EC2::SubnetRouteTableAssociation')) {
    if (!named(a.props['RouteTableId'], a, ctx, 'AWS::EC2::RouteTable').includes(rt)) continue
    for (const s of named(a.props['SubnetId'], a, ctx, 'AWS::EC2::Subnet')) out.add(s)
  }
  return [...out]
}

/** A route that sends all IPv4 or IPv6 traffic to an internet gateway. */
export interface IgwRoute {
  route: Resource
  destination: string
  /** `unknown` when the gateway is a value PhiWall cannot resolve. */
  toIgw: NetTri
}

/** Default routes (0.0.0.0/0, ::/0) of a route table and whether they lead to an internet gateway. */
export function defaultRoutes(rt: Resource, ctx: CheckContext): IgwRoute[] {
  const out: IgwRoute[] = []
  for (const route of ctx.view.ofType('AWS::EC2::Route')) {
    if (!named(route.props['RouteTableId'], route, ctx, 'AWS::EC2::RouteTable').includes(rt)) continue
    const dest = str(route.props['DestinationCidrBlock']) ?? str(route.props['DestinationIpv6CidrBlock'])
    if (dest !== '0.0.0.0/0' && dest !== '::/0') continue
    const gw = route.props['GatewayId']
    let toIgw: NetTri = 'no'
    if (gw !== undefined && gw !== null) {
      const igws = named(gw, route, ctx, 'AWS::EC2::InternetGateway')
      if (igws.length || (typeof gw === 'string' && gw.startsWith('igw-'))) toIgw = 'yes'
      else if (typeof gw !== 'string' && ctx.view.refs(gw, route).length === 0) toIgw = 'unknown'
    }
    out.push({ route, destination: dest, toIgw })
  }
  return out
}

/**
 * Is a subnet public (its route table sends 0.0.0.0/0 or ::/0 to an internet gateway)? Unknown
 * when the scan shows no route table association: the subnet then uses the VPC's main route
 * table, which a template cannot declare.
 */
export function subnetIsPublic(subnet: Resource, ctx: CheckContext): NetTri {
  const tables = routeTablesOfSubnet(subnet, ctx)
  if (!tables.length) return 'unknown'
  let state: NetTri = 'no'
  for (const rt of tables) {
    for (const r of defaultRoutes(rt, ctx)) {
      if (r.toIgw === 'yes') return 'yes'
      if (r.toIgw === 'unknown') state = 'unknown'
    }
  }
  return state
}

/** VPCs named by a value (VpcId). */
export function vpcsNamed(value: unknown, from: Resource, ctx: CheckContext): Resource[] {
  return named(value, from, ctx, 'AWS::EC2::VPC')
}

/** Resources holding or handling PHI that run in a VPC: in any of its subnets ({@link phiResidents}), or placed in the VPC itself. */
export function phiResidentsOfVpc(vpc: Resource, ctx: CheckContext): Resource[] {
  const out = new Set(phiResidents(vpc, ctx))
  for (const s of ctx.view.ofType('AWS::EC2::Subnet')) if (named(s.props['VpcId'], s, ctx, 'AWS::EC2::VPC').includes(vpc)) for (const r of phiResidents(s, ctx)) out.add(r)
  return [...out]
}

/** Subnets named by a value (SubnetId, SubnetIds). */
export function subnetsNamed(value: unknown, from: Resource, ctx: CheckContext): Resource[] {
  return named(value, from, ctx, 'AWS::EC2::Subnet')
}

/**
 * Resources that hold or handle PHI and run in a subnet or security group: workloads placed in
 * it, and RDS databases whose subnet group contains the subnet.
 */
export function phiResidents(net: Resource, ctx: CheckContext): Resource[] {
  const out = new Set(ctx.view.related(net, { direction: 'in', kinds: ['placed-in'] }).filter((r) => r.holdsPhi === 'yes'))
  if (net.type === 'AWS::EC2::Subnet') {
    for (const g of ctx.view.ofType('AWS::RDS::DBSubnetGroup')) {
      if (!named(g.props['SubnetIds'], g, ctx, 'AWS::EC2::Subnet').includes(net)) continue
      for (const t of ['AWS::RDS::DBInstance', 'AWS::RDS::DBCluster']) {
        for (const db of ctx.view.ofType(t)) if (db.holdsPhi === 'yes' && named(db.props['DBSubnetGroupName'], db, ctx, 'AWS::RDS::DBSubnetGroup').includes(g)) out.add(db)
      }
    }
  }
  return [...out]
}
