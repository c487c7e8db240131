import { DescribeInstancesCommand, DescribeVpnConnectionsCommand } from '@aws-sdk/client-ec2'
import { DescribeInstanceInformationCommand, ListResourceComplianceSummariesCommand } from '@aws-sdk/client-ssm'
import type { AccountResource } from './account.js'
import type { AwsClients } from './clients.js'
import type { ErrorLog } from './errors.js'
import { allPages } from './limit.js'
import { defined, iso, tagList } from './sharing.js'

/**
 * State at the time of collection that the AWS Config HIPAA pack judges and Cloud Control does not
 * return: whether an instance is stopped and since when, whether Systems Manager manages it and
 * what its patch and association compliance is, and whether both tunnels of a VPN are up. A call
 * that fails is logged and its part left out — the checks then say they cannot tell — never
 * written as "not managed" or "down". Recorded on the resources as `PhiWallState`, `PhiWallSsm` and
 * `PhiWallTunnels` (docs/snapshot-format.md).
 */

/** `PhiWallState` of an instance: its state and, when EC2 says, when it entered it. */
export interface InstanceState {
  Name: string
  /** ISO 8601; from the state transition reason (`User initiated (2025-01-02 10:11:12 GMT)`). */
  Since?: string
}

/** `PhiWallSsm` of an instance. */
export interface InstanceSsm {
  /** Registered with Systems Manager (listed by DescribeInstanceInformation). */
  Managed: boolean
  PingStatus?: string
  LastPingDateTime?: string
  AgentVersion?: string
  /**
   * Compliance by type (`Patch`, `Association`): status, overall severity, non-compliant items, when
   * it was last run. `{}` when Systems Manager reports none; absent when it could not be asked.
   */
  Compliance?: Record<string, { Status?: string; OverallSeverity?: string; NonCompliantCount?: number; ExecutionTime?: string }>
}

/** When an instance entered its state, from the reason EC2 gives (`User initiated (2025-01-02 10:11:12 GMT)`). */
export function transitionTime(reason: string | undefined): string | undefined {
  const m = /\((\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) GMT\)/.exec(reason ?? '')
  return m ? iso(`${m[1]}T${m[2]}Z`) : undefined
}

/**
 * Adds `PhiWallState` and `PhiWallSsm` to the region's `AWS::EC2::Instance` resources (their
 * `properties` objects are changed in place). `PhiWallSsm` is written only when
 * DescribeInstanceInformation answered: then an instance it does not list is `Managed: false`.
 */
export async function addInstanceRuntime(instances: { identifier: string; properties: Record<string, unknown> }[], clients: AwsClients, region: string, errors: ErrorLog): Promise<void> {
  if (!instances.length) return
  const ec2 = clients.ec2(region)
  const ssm = clients.ssm(region)
  const states = new Map<string, InstanceState>()
  const managed = new Map<string, InstanceSsm>()
  let ssmAnswered = false
  let complianceAnswered = false
  const compliance = new Map<string, NonNullable<InstanceSsm['Compliance']>>()
  await Promise.all([
    (async () => {
      try {
        const reservations = await allPages((t) => ec2.send(new DescribeInstancesCommand({ MaxResults: 1000, ...(t ? { NextToken: t } : {}) })), (p) => p.Reservations, (p) => p.NextToken)
        for (const i of reservations.flatMap((r) => r.Instances ?? [])) {
          if (!i.InstanceId || !i.State?.Name) continue
          const since = i.State.Name === 'running' ? iso(i.LaunchTime) : transitionTime(i.StateTransitionReason)
          states.set(i.InstanceId, { Name: i.State.Name, ...(since ? { Since: since } : {}) })
        }
      } catch (err) {
        errors.add({ service: 'ec2', region, operation: 'DescribeInstances' }, err)
      }
    })(),
    (async () => {
      try {
        const infos = await allPages((t) => ssm.send(new DescribeInstanceInformationCommand({ MaxResults: 50, ...(t ? { NextToken: t } : {}) })), (p) => p.InstanceInformationList, (p) => p.NextToken)
        for (const i of infos) {
          if (!i.InstanceId) continue
          const info: InstanceSsm = { Managed: true }
          if (i.PingStatus) info.PingStatus = i.PingStatus
          const ping = iso(i.LastPingDateTime)
          if (ping) info.LastPingDateTime = ping
          if (i.AgentVersion) info.AgentVersion = i.AgentVersion
          managed.set(i.InstanceId, info)
        }
        ssmAnswered = true
      } catch (err) {
        errors.add({ service: 'ssm', region, operation: 'DescribeInstanceInformation' }, err)
      }
    })(),
    (async () => {
      try {
        const items = await allPages(
          (t) => ssm.send(new ListResourceComplianceSummariesCommand({ Filters: [{ Key: 'ComplianceType', Values: ['Patch', 'Association'], Type: 'EQUAL' }], MaxResults: 50, ...(t ? { NextToken: t } : {}) })),
          (p) => p.ResourceComplianceSummaryItems,
          (p) => p.NextToken,
        )
        for (const c of items) {
          if (!c.ResourceId || !c.ComplianceType) continue
          const entry: NonNullable<InstanceSsm['Compliance']>[string] = {}
          if (c.Status) entry.Status = c.Status
          if (c.OverallSeverity) entry.OverallSeverity = c.OverallSeverity
          if (c.NonCompliantSummary?.NonCompliantCount !== undefined) entry.NonCompliantCount = c.NonCompliantSummary.NonCompliantCount
          const at = iso(c.ExecutionSummary?.ExecutionTime)
          if (at) entry.ExecutionTime = at
          const byType = compliance.get(c.ResourceId) ?? {}
          byType[c.ComplianceType] = entry
          compliance.set(c.ResourceId, byType)
        }
        complianceAnswered = true
      } catch (err) {
        errors.add({ service: 'ssm', region, operation: 'ListResourceComplianceSummaries' }, err)
      }
    })(),
  ])
  for (const inst of instances) {
    const id = typeof inst.properties['InstanceId'] === 'string' ? inst.properties['InstanceId'] : inst.identifier
    const state = states.get(id)
    if (state) inst.properties['PhiWallState'] = state
    if (!ssmAnswered) continue
    const info: InstanceSsm = managed.get(id) ?? { Managed: false }
    // `{}`: Systems Manager answered and reports nothing for the instance; absent: it could not be asked
    if (complianceAnswered && info.Managed) info.Compliance = compliance.get(id) ?? {}
    inst.properties['PhiWallSsm'] = info
  }
}

/**
 * `AWS::EC2::VPNConnection`: site-to-site VPNs (to a hospital's or a partner lab's network) with
 * each tunnel's status from the connection's telemetry (`PhiWallTunnels`). Deleted connections are
 * left out.
 */
export async function vpnConnections(clients: AwsClients, region: string, partition: string, account: string, errors: ErrorLog): Promise<AccountResource[]> {
  try {
    const out = await clients.ec2(region).send(new DescribeVpnConnectionsCommand({}))
    const list: AccountResource[] = []
    for (const v of out.VpnConnections ?? []) {
      if (!v.VpnConnectionId || v.State === 'deleted' || v.State === 'deleting') continue
      const props = defined({
        Type: v.Type ?? 'ipsec.1',
        CustomerGatewayId: v.CustomerGatewayId,
        State: v.State,
        VpnGatewayId: v.VpnGatewayId || undefined,
        TransitGatewayId: v.TransitGatewayId || undefined,
        Tags: tagList(v.Tags),
        PhiWallTunnels: (v.VgwTelemetry ?? []).map((t) => defined({ Status: t.Status ?? 'UNKNOWN', OutsideIpAddress: t.OutsideIpAddress || undefined, LastStatusChange: iso(t.LastStatusChange) })),
      })
      list.push({ type: 'AWS::EC2::VPNConnection', identifier: v.VpnConnectionId, arn: `arn:${partition}:ec2:${region}:${account}:vpn-connection/${v.VpnConnectionId}`, properties: props })
    }
    return list
  } catch (err) {
    errors.add({ service: 'ec2', region, operation: 'DescribeVpnConnections' }, err)
    return []
  }
}
