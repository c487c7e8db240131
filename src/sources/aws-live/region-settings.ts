import { DescribeTrailsCommand, GetTrailStatusCommand } from '@aws-sdk/client-cloudtrail'
import { DescribeConfigurationRecordersCommand, DescribeConfigurationRecorderStatusCommand } from '@aws-sdk/client-config-service'
import { DescribeLimitsCommand } from '@aws-sdk/client-dynamodb'
import { GetEbsDefaultKmsKeyIdCommand, GetEbsEncryptionByDefaultCommand, GetSnapshotBlockPublicAccessStateCommand } from '@aws-sdk/client-ec2'
import { GetDetectorCommand, ListDetectorsCommand } from '@aws-sdk/client-guardduty'
import { DescribeHubCommand } from '@aws-sdk/client-securityhub'
import type { AwsClients } from './clients.js'
import { errorCode, type ErrorLog } from './errors.js'

/** Trail status by trail ARN, shared across regions: a multi-region trail is asked about once. */
export type TrailStatusCache = Map<string, Promise<boolean | undefined>>

/**
 * `PhiWall::AWS::RegionSettings` of one region: EBS encryption by default and its key, GuardDuty,
 * Security Hub, the AWS Config recorder, whether a CloudTrail trail logs the region, block public
 * access for EBS snapshots, and the account's DynamoDB provisioned-throughput limits. A
 * setting whose call failed is left out (the checks then cannot tell) and the failure logged.
 */
export async function regionSettings(clients: AwsClients, region: string, errors: ErrorLog, trailStatus: TrailStatusCache): Promise<{ type: string; identifier: string; properties: Record<string, unknown> }> {
  const props: Record<string, unknown> = { Region: region }
  const log = (service: string, operation: string) => (err: unknown) => {
    errors.add({ service, region, operation }, err)
    return undefined
  }
  await Promise.all([
    clients
      .ec2(region)
      .send(new GetEbsEncryptionByDefaultCommand({}))
      .then((o) => {
        if (o.EbsEncryptionByDefault !== undefined) props['EbsEncryptionByDefault'] = o.EbsEncryptionByDefault
      }, log('ec2', 'GetEbsEncryptionByDefault')),
    clients
      .ec2(region)
      .send(new GetEbsDefaultKmsKeyIdCommand({}))
      .then((o) => {
        if (o.KmsKeyId) props['EbsDefaultKmsKeyId'] = o.KmsKeyId
      }, log('ec2', 'GetEbsDefaultKmsKeyId')),
    clients
      .ec2(region)
      .send(new GetSnapshotBlockPublicAccessStateCommand({}))
      .then((o) => {
        if (o.State) props['EbsSnapshotBlockPublicAccess'] = o.State
      }, log('ec2', 'GetSnapshotBlockPublicAccessState')),
    guardDutyEnabled(clients, region).then((v) => {
      props['GuardDutyEnabled'] = v
    }, log('guardduty', 'ListDetectors/GetDetector')),
    clients
      .securityHub(region)
      .send(new DescribeHubCommand({}))
      .then(
        () => {
          props['SecurityHubEnabled'] = true
        },
        (err: unknown) => {
          // "Account … is not subscribed to AWS Security Hub": the hub is off, not unreadable
          if (/InvalidAccessException|ResourceNotFoundException/.test(errorCode(err))) props['SecurityHubEnabled'] = false
          else log('securityhub', 'DescribeHub')(err)
        },
      ),
    configRecorder(clients, region).then((v) => Object.assign(props, v), log('config', 'DescribeConfigurationRecorders/DescribeConfigurationRecorderStatus')),
    clients
      .dynamodb(region)
      .send(new DescribeLimitsCommand({}))
      .then((o) => {
        if (o.AccountMaxReadCapacityUnits !== undefined) props['DynamoDbAccountMaxReadCapacityUnits'] = o.AccountMaxReadCapacityUnits
        if (o.AccountMaxWriteCapacityUnits !== undefined) props['DynamoDbAccountMaxWriteCapacityUnits'] = o.AccountMaxWriteCapacityUnits
      }, log('dynamodb', 'DescribeLimits')),
    cloudTrailLogging(clients, region, errors, trailStatus).then((v) => {
      if (v !== undefined) props['CloudTrailLogging'] = v
    }),
  ])
  return { type: 'PhiWall::AWS::RegionSettings', identifier: region, properties: props }
}

async function guardDutyEnabled(clients: AwsClients, region: string): Promise<boolean> {
  const gd = clients.guardDuty(region)
  const ids: string[] = []
  let token: string | undefined
  do {
    const page = await gd.send(new ListDetectorsCommand({ ...(token ? { NextToken: token } : {}) }))
    ids.push(...(page.DetectorIds ?? []))
    token = page.NextToken
  } while (token)
  for (const id of ids) {
    const d = await gd.send(new GetDetectorCommand({ DetectorId: id }))
    if (d.Status === 'ENABLED') return true
  }
  return false
}

/** Recording state of the customer's configuration recorder(s); service-linked recorders do not record for the account as a whole. */
async function configRecorder(clients: AwsClients, region: string): Promise<Record<string, boolean>> {
  const cfg = clients.configService(region)
  const [recorders, statuses] = await Promise.all([cfg.send(new DescribeConfigurationRecordersCommand({})), cfg.send(new DescribeConfigurationRecorderStatusCommand({}))])
  const own = (recorders.ConfigurationRecorders ?? []).filter((r) => !r.servicePrincipal)
  const ownNames = new Set(own.map((r) => r.name))
  const recording = (statuses.ConfigurationRecordersStatus ?? []).some((s) => s.recording === true && ownNames.has(s.name))
  const allSupported = own.some((r) => r.recordingGroup?.allSupported === true || r.recordingGroup?.recordingStrategy?.useOnly === 'ALL_SUPPORTED_RESOURCE_TYPES')
  return { ConfigRecorderRecording: recording, ConfigRecorderAllSupported: allSupported }
}

/**
 * Is a trail logging this region on? A trail covers the region when it is multi-region or homed
 * here. Undefined when trails could be seen but none was confirmed logging because a status
 * call failed.
 */
async function cloudTrailLogging(clients: AwsClients, region: string, errors: ErrorLog, cache: TrailStatusCache): Promise<boolean | undefined> {
  const ct = clients.cloudTrail(region)
  let trails
  try {
    trails = (await ct.send(new DescribeTrailsCommand({ includeShadowTrails: true }))).trailList ?? []
  } catch (err) {
    errors.add({ service: 'cloudtrail', region, operation: 'DescribeTrails' }, err)
    return undefined
  }
  const covering = trails.filter((t) => t.TrailARN && (t.IsMultiRegionTrail === true || t.HomeRegion === region))
  let unknown = false
  for (const t of covering) {
    const arn = t.TrailARN!
    let status = cache.get(arn)
    if (!status) {
      status = ct.send(new GetTrailStatusCommand({ Name: arn })).then(
        (o) => o.IsLogging === true,
        (err: unknown) => {
          errors.add({ service: 'cloudtrail', region, operation: 'GetTrailStatus' }, err)
          return undefined
        },
      )
      cache.set(arn, status)
    }
    const logging = await status
    if (logging === true) return true
    if (logging === undefined) unknown = true
  }
  return unknown ? undefined : false
}
