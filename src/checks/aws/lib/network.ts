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

/** Is the rule open to the whole internet (0.0.0.0/0 or ::/0)? */
export function openToWorld(rule: SgRule): boolean {
  return rule.cidr === '0.0.0.0/0' || rule.cidrV6 === '::/0' || rule.cidrV6 === '::0/0'
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
