import { isIntrinsic } from '../../cloudformation/index.js'
import { compact, nested, nonBlank, nonEmpty } from '../reader.js'
import type { TfConverted, TfConverter, TfOwnResource, TfReader } from '../types.js'
import { generated, mergeInto, own } from './common.js'

type Direction = 'ingress' | 'egress'
type Rule = Record<string, unknown>

/** `all` is how some configurations write "every protocol"; EC2 and CloudFormation say `-1`. */
function protocol(v: unknown): unknown {
  return v === 'all' ? '-1' : v
}

/** Elements of a list attribute; an unknown list as one unknown element. */
function each(v: unknown): unknown[] {
  if (Array.isArray(v)) return v.filter((x) => x !== '' && x !== undefined)
  if (v !== null && typeof v === 'object' && isIntrinsic(v)) return [v]
  return typeof v === 'string' && v ? [v] : []
}

const PEER = {
  ingress: { sg: 'SourceSecurityGroupId', prefix: 'SourcePrefixListId' },
  egress: { sg: 'DestinationSecurityGroupId', prefix: 'DestinationPrefixListId' },
} as const

/**
 * A Terraform rule (one block may list several CIDRs, groups and prefix lists) as CloudFormation
 * rules, one per peer, as EC2 itself records them.
 */
function expand(
  direction: Direction,
  base: Rule,
  peers: { cidrs: unknown; cidrs6: unknown; prefixes: unknown; groups: unknown; self: unknown },
  selfRef: unknown,
): Rule[] {
  const out: Rule[] = []
  for (const c of each(peers.cidrs)) out.push(compact({ ...base, CidrIp: c }))
  for (const c of each(peers.cidrs6)) out.push(compact({ ...base, CidrIpv6: c }))
  for (const p of each(peers.prefixes)) out.push(compact({ ...base, [PEER[direction].prefix]: p }))
  for (const g of each(peers.groups)) out.push(compact({ ...base, [PEER[direction].sg]: g }))
  if (peers.self === true) out.push(compact({ ...base, [PEER[direction].sg]: selfRef }))
  else if (peers.self !== undefined && peers.self !== false && typeof peers.self === 'object') out.push(compact({ ...base, [PEER[direction].sg]: peers.self }))
  return out
}

function ruleBase(b: TfReader, protocolAttr: string): Rule {
  const proto = protocol(b.get(protocolAttr))
  const all = proto === '-1'
  return compact({ IpProtocol: proto, FromPort: all ? undefined : b.get('from_port'), ToPort: all ? undefined : b.get('to_port'), Description: nonBlank(b.get('description')) })
}

/** Inline `ingress` / `egress` blocks of a group. */
function inlineRules(r: TfReader, direction: Direction): Rule[] {
  const self = { Ref: r.res.address }
  return r
    .blocks(direction)
    .flatMap((b) => expand(direction, ruleBase(b, 'protocol'), { cidrs: b.get('cidr_blocks'), cidrs6: b.get('ipv6_cidr_blocks'), prefixes: b.get('prefix_list_ids'), groups: b.refList('security_groups'), self: b.get('self') }, self))
}

/**
 * A security group. Terraform removes the allow-all egress rule EC2 gives a new group unless an
 * egress rule is written, so a group without egress rules gets an empty `SecurityGroupEgress`:
 * no rules, where a template that leaves the property out keeps AWS's allow-all rule.
 */
function securityGroup(r: TfReader, isDefault: boolean): TfConverted[] {
  const egress = inlineRules(r, 'egress')
  return [
    own(
      r,
      'AWS::EC2::SecurityGroup',
      {
        GroupName: isDefault ? 'default' : r.get('name'),
        GroupDescription: isDefault ? 'default VPC security group' : r.get('description') ?? 'Managed by Terraform',
        VpcId: nonBlank(r.ref('vpc_id')),
        SecurityGroupIngress: nonEmpty(inlineRules(r, 'ingress')),
        SecurityGroupEgress: egress,
        Tags: r.tags(),
      },
      { lines: { SecurityGroupIngress: 'ingress', SecurityGroupEgress: 'egress', GroupDescription: 'description' } },
    ),
  ]
}

/** A rule resource merged into its group, or kept as an ingress / egress resource when the group is not in the plan. */
function ruleResource(r: TfReader, direction: Direction, groupAttr: string, rules: Rule[]): TfConverted[] {
  const key = direction === 'ingress' ? 'SecurityGroupIngress' : 'SecurityGroupEgress'
  const type = direction === 'ingress' ? 'AWS::EC2::SecurityGroupIngress' : 'AWS::EC2::SecurityGroupEgress'
  const group = r.ref(groupAttr)
  const orElse: TfOwnResource[] = rules.map((rule, i) => (i === 0 ? own(r, type, { GroupId: group, ...rule }) : generated(r, String(i), type, { GroupId: group, ...rule })))
  return [mergeInto('AWS::EC2::SecurityGroup', group, { [key]: rules }, { append: [key], orElse })]
}

const ICMP_PROTOCOLS: Record<string, number> = { tcp: 6, udp: 17, icmp: 1, icmpv6: 58, all: -1, '-1': -1 }

/** A network ACL rule in CloudFormation shape. */
function aclEntry(b: TfReader, egress: boolean, aclId: unknown, ruleNumberAttr: string, actionAttr: string): Record<string, unknown> {
  const p = b.get('protocol')
  const proto = typeof p === 'string' ? (ICMP_PROTOCOLS[p.toLowerCase()] ?? (/^-?\d+$/.test(p) ? Number(p) : p)) : p
  const from = b.get('from_port')
  const to = b.get('to_port')
  return compact({
    NetworkAclId: aclId,
    RuleNumber: b.get(ruleNumberAttr),
    RuleAction: typeof b.get(actionAttr) === 'string' ? String(b.get(actionAttr)).toLowerCase() : b.get(actionAttr),
    Egress: egress,
    Protocol: proto,
    CidrBlock: nonBlank(b.get('cidr_block')),
    Ipv6CidrBlock: nonBlank(b.get('ipv6_cidr_block')),
    PortRange: proto === -1 || (from === undefined && to === undefined) ? undefined : nested({ From: from, To: to }),
    // Terraform reports icmp type / code 0 for every rule; they mean something only for ICMP
    Icmp: proto === 1 || proto === 58 ? nested({ Type: b.get('icmp_type'), Code: b.get('icmp_code') }) : undefined,
  })
}

function networkAcl(r: TfReader, vpcAttr: string): TfConverted[] {
  const self = { Ref: r.res.address }
  const out: TfConverted[] = [own(r, 'AWS::EC2::NetworkAcl', { VpcId: r.ref(vpcAttr), Tags: r.tags() })]
  ;(['ingress', 'egress'] as const).forEach((dir) => r.blocks(dir).forEach((b, i) => out.push(generated(r, `${dir}${i}`, 'AWS::EC2::NetworkAclEntry', aclEntry(b, dir === 'egress', self, 'rule_no', 'action')))))
  return out
}

const ROUTE_TARGETS: [string, string][] = [
  ['gateway_id', 'GatewayId'],
  ['nat_gateway_id', 'NatGatewayId'],
  ['instance_id', 'InstanceId'],
  ['network_interface_id', 'NetworkInterfaceId'],
  ['transit_gateway_id', 'TransitGatewayId'],
  ['vpc_peering_connection_id', 'VpcPeeringConnectionId'],
  ['vpc_endpoint_id', 'VpcEndpointId'],
  ['egress_only_gateway_id', 'EgressOnlyInternetGatewayId'],
  ['carrier_gateway_id', 'CarrierGatewayId'],
  ['local_gateway_id', 'LocalGatewayId'],
  ['core_network_arn', 'CoreNetworkArn'],
]

/** A route (`aws_route`, or a `route` block of a table, whose destinations are named without `destination_`). */
function route(b: TfReader, tableId: unknown, inline: boolean): Record<string, unknown> {
  const props: Record<string, unknown> = {
    RouteTableId: tableId,
    DestinationCidrBlock: nonBlank(b.get(inline ? 'cidr_block' : 'destination_cidr_block')),
    DestinationIpv6CidrBlock: nonBlank(b.get(inline ? 'ipv6_cidr_block' : 'destination_ipv6_cidr_block')),
    DestinationPrefixListId: nonBlank(b.ref('destination_prefix_list_id')),
  }
  for (const [tf, cfn] of ROUTE_TARGETS) if (!(inline && tf === 'instance_id')) props[cfn] = nonBlank(b.ref(tf))
  return compact(props)
}

/** VPCs, subnets, security groups and their rules, flow logs, routing, gateways, network ACLs and endpoints. */
export const VPC_CONVERTERS: Record<string, TfConverter> = {
  aws_security_group: (r) => securityGroup(r, false),
  aws_default_security_group: (r) => securityGroup(r, true),
  aws_security_group_rule: (r) => {
    const direction: Direction = r.get('type') === 'egress' ? 'egress' : 'ingress'
    const base = ruleBase(r, 'protocol')
    const rules = expand(direction, base, { cidrs: r.get('cidr_blocks'), cidrs6: r.get('ipv6_cidr_blocks'), prefixes: r.get('prefix_list_ids'), groups: nonBlank(r.ref('source_security_group_id')), self: r.get('self') }, r.ref('security_group_id'))
    return ruleResource(r, direction, 'security_group_id', rules)
  },
  aws_vpc_security_group_ingress_rule: (r) => {
    const rules = expand('ingress', ruleBase(r, 'ip_protocol'), { cidrs: r.get('cidr_ipv4'), cidrs6: r.get('cidr_ipv6'), prefixes: r.get('prefix_list_id'), groups: nonBlank(r.ref('referenced_security_group_id')), self: undefined }, undefined)
    return ruleResource(r, 'ingress', 'security_group_id', rules)
  },
  aws_vpc_security_group_egress_rule: (r) => {
    const rules = expand('egress', ruleBase(r, 'ip_protocol'), { cidrs: r.get('cidr_ipv4'), cidrs6: r.get('cidr_ipv6'), prefixes: r.get('prefix_list_id'), groups: nonBlank(r.ref('referenced_security_group_id')), self: undefined }, undefined)
    return ruleResource(r, 'egress', 'security_group_id', rules)
  },
  aws_vpc: (r) => [own(r, 'AWS::EC2::VPC', { CidrBlock: r.get('cidr_block'), EnableDnsSupport: r.get('enable_dns_support'), EnableDnsHostnames: r.get('enable_dns_hostnames'), InstanceTenancy: r.get('instance_tenancy'), Tags: r.tags() })],
  aws_subnet: (r) => [
    own(r, 'AWS::EC2::Subnet', {
      VpcId: r.ref('vpc_id'),
      CidrBlock: r.get('cidr_block'),
      AvailabilityZone: nonBlank(r.get('availability_zone')),
      MapPublicIpOnLaunch: r.get('map_public_ip_on_launch'),
      AssignIpv6AddressOnCreation: r.get('assign_ipv6_address_on_creation'),
      Ipv6CidrBlock: nonBlank(r.get('ipv6_cidr_block')),
      Tags: r.tags(),
    }),
  ],
  aws_flow_log: (r) => {
    const [resourceAttr, resourceType] = (
      [
        ['vpc_id', 'VPC'],
        ['subnet_id', 'Subnet'],
        ['eni_id', 'NetworkInterface'],
        ['transit_gateway_id', 'TransitGateway'],
        ['transit_gateway_attachment_id', 'TransitGatewayAttachment'],
      ] as const
    ).find(([a]) => r.get(a) !== undefined && r.get(a) !== '') ?? ['vpc_id', 'VPC']
    const opts = r.block('destination_options')
    return [
      own(r, 'AWS::EC2::FlowLog', {
        ResourceId: r.ref(resourceAttr),
        ResourceType: resourceType,
        TrafficType: nonBlank(r.get('traffic_type')),
        LogDestinationType: r.getOr('log_destination_type', 'cloud-watch-logs'),
        LogDestination: nonBlank(r.ref('log_destination')),
        LogGroupName: nonBlank(r.ref('log_group_name')),
        DeliverLogsPermissionArn: nonBlank(r.ref('iam_role_arn')),
        MaxAggregationInterval: r.get('max_aggregation_interval'),
        LogFormat: nonBlank(r.get('log_format')),
        DestinationOptions: opts ? nested({ FileFormat: opts.get('file_format'), HiveCompatiblePartitions: opts.get('hive_compatible_partitions'), PerHourPartition: opts.get('per_hour_partition') }) : undefined,
        Tags: r.tags(),
      }),
    ]
  },
  aws_route: (r) => [own(r, 'AWS::EC2::Route', route(r, r.ref('route_table_id'), false))],
  aws_route_table: (r) => {
    const self = { Ref: r.res.address }
    return [own(r, 'AWS::EC2::RouteTable', { VpcId: r.ref('vpc_id'), Tags: r.tags() }), ...r.blocks('route').map((b, i) => generated(r, `route${i}`, 'AWS::EC2::Route', route(b, self, true)))]
  },
  aws_route_table_association: (r) =>
    r.get('subnet_id') !== undefined || r.isUnknown('subnet_id')
      ? [own(r, 'AWS::EC2::SubnetRouteTableAssociation', { SubnetId: r.ref('subnet_id'), RouteTableId: r.ref('route_table_id') })]
      : [own(r, 'AWS::EC2::GatewayRouteTableAssociation', { GatewayId: r.ref('gateway_id'), RouteTableId: r.ref('route_table_id') })],
  aws_internet_gateway: (r) => {
    const out: TfConverted[] = [own(r, 'AWS::EC2::InternetGateway', { Tags: r.tags() })]
    const vpc = nonBlank(r.ref('vpc_id'))
    if (vpc !== undefined) out.push(generated(r, 'attachment', 'AWS::EC2::VPCGatewayAttachment', { VpcId: vpc, InternetGatewayId: { Ref: r.res.address } }))
    return out
  },
  aws_internet_gateway_attachment: (r) => [own(r, 'AWS::EC2::VPCGatewayAttachment', { VpcId: r.ref('vpc_id'), InternetGatewayId: r.ref('internet_gateway_id') })],
  aws_nat_gateway: (r) => [own(r, 'AWS::EC2::NatGateway', { SubnetId: r.ref('subnet_id'), AllocationId: nonBlank(r.ref('allocation_id')), ConnectivityType: r.get('connectivity_type'), Tags: r.tags() })],
  aws_eip: (r) => [own(r, 'AWS::EC2::EIP', { Domain: r.get('domain') ?? (r.get('vpc') === true ? 'vpc' : undefined), InstanceId: nonBlank(r.ref('instance')), Tags: r.tags() }, { lines: { InstanceId: 'instance' } })],
  // an Elastic IP associated separately (the address of `aws_eip`, or one allocated outside the plan)
  aws_eip_association: (r) => [
    own(
      r,
      'AWS::EC2::EIPAssociation',
      {
        AllocationId: nonBlank(r.ref('allocation_id')),
        EIP: nonBlank(r.get('public_ip')),
        InstanceId: nonBlank(r.ref('instance_id')),
        NetworkInterfaceId: nonBlank(r.ref('network_interface_id')),
        PrivateIpAddress: nonBlank(r.get('private_ip_address')),
      },
      { lines: { EIP: 'public_ip' } },
    ),
  ],
  aws_network_acl: (r) => networkAcl(r, 'vpc_id'),
  aws_default_network_acl: (r) => networkAcl(r, 'vpc_id'),
  aws_network_acl_rule: (r) => [own(r, 'AWS::EC2::NetworkAclEntry', aclEntry(r, r.get('egress') === true, r.ref('network_acl_id'), 'rule_number', 'rule_action'))],
  aws_vpc_endpoint: (r) => [
    own(r, 'AWS::EC2::VPCEndpoint', {
      VpcId: r.ref('vpc_id'),
      ServiceName: r.get('service_name'),
      VpcEndpointType: r.get('vpc_endpoint_type'),
      PolicyDocument: r.json('policy'),
      PrivateDnsEnabled: r.get('private_dns_enabled'),
      SubnetIds: nonEmpty(r.refList('subnet_ids')),
      SecurityGroupIds: nonEmpty(r.refList('security_group_ids')),
      RouteTableIds: nonEmpty(r.refList('route_table_ids')),
    }),
  ],
}
