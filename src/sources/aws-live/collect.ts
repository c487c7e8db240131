import { GetBucketLocationCommand, GetBucketPolicyCommand, ListBucketsCommand } from '@aws-sdk/client-s3'
import { GetPolicyCommand } from '@aws-sdk/client-lambda'
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs'
import { GetTopicAttributesCommand } from '@aws-sdk/client-sns'
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts'
import { fromIni, fromNodeProviderChain } from '@aws-sdk/credential-providers'
import { PhiwallError } from '../../model/index.js'
import { SNAPSHOT_SCHEMA_VERSION, snapshotSchema, type Snapshot, type SnapshotResource } from '../aws-snapshot/index.js'
import { accountAlias, credentialReport, passwordPolicy, rootUser, s3AccountPublicAccessBlock, type AccountResource } from './account.js'
import { AwsClients, type CredentialProvider } from './clients.js'
import { CloudControlReader, type CloudControlResource } from './cloud-control.js'
import { errorCode, ErrorLog, isCredentialsError, safeMessage } from './errors.js'
import { Limiter, mapLimit } from './limit.js'
import { maskSecrets } from './mask.js'
import { lambdaPermissions, policyDocument, type PolicyResource } from './policies.js'
import { regionSettings, type TrailStatusCache } from './region-settings.js'
import { arnOfResource, RESOURCE_TYPES, type TypeSpec } from './resource-types.js'
import { addInstanceRuntime, vpnConnections } from './runtime.js'
import { acmCertificates, ebsSnapshots, internetGateways, rdsSnapshots, ssmDocuments } from './sharing.js'

/** Options of {@link collectAwsSnapshot}. */
export interface CollectAwsOptions {
  /** Profile of ~/.aws/config and ~/.aws/credentials (default: the standard credential chain). */
  profile?: string
  /** Regions to read (default: the region of the profile or environment). */
  regions?: string[]
  /** Account alias to record (default: the IAM account alias). */
  accountAlias?: string
  /** Progress lines (the CLI writes them to stderr). */
  onProgress?: (message: string) => void
  /** Cloud Control calls in flight per region, and direct SDK calls in flight per region (default 4). */
  concurrency?: number
  /** Longest wait for the IAM credential report (default 120 s). */
  credentialReportTimeoutMs?: number
  /** Resource types to read (default: {@link RESOURCE_TYPES}). */
  types?: readonly TypeSpec[]
  /** Credentials (default: `fromIni({ profile })` with a profile, else the Node.js provider chain). */
  credentials?: CredentialProvider
  /** Waits between polls and retries; tests pass a fake. */
  sleep?: (ms: number) => Promise<void>
  /** Clock, for the collection time and the credential report deadline. */
  now?: () => Date
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/

/** Partition of a region: IAM, STS and S3 Control answer per partition. */
function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn'
  if (region.startsWith('us-gov-')) return 'aws-us-gov'
  if (region.startsWith('us-iso-')) return 'aws-iso'
  if (region.startsWith('us-isob-')) return 'aws-iso-b'
  return 'aws'
}

/**
 * Reads a live AWS account, read-only, into a PhiWall snapshot: resources in CloudFormation
 * property shape through the Cloud Control API, plus what Cloud Control cannot give (resource
 * policies, account settings, the IAM credential report, per-region security services, EBS and
 * RDS snapshots and SSM documents with their sharing, ACM certificates with their expiry) through
 * direct read-only SDK calls. Failed calls are collected in `errors`, never fatal; only an
 * account that cannot be reached at all (no credentials, STS refusing) throws.
 *
 * @example
 * const snap = await collectAwsSnapshot({ profile: 'clinic-prod', regions: ['us-east-1'] })
 * writeSnapshot('clinic-prod.json', snap)
 */
export async function collectAwsSnapshot(options: CollectAwsOptions = {}): Promise<Snapshot> {
  const progress = options.onProgress ?? (() => undefined)
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)))
  const now = options.now ?? (() => new Date())
  const concurrency = options.concurrency ?? 4
  const credentials = options.credentials ?? (options.profile ? fromIni({ profile: options.profile }) : fromNodeProviderChain())
  const clients = new AwsClients({ credentials, ...(options.profile ? { profile: options.profile } : {}) })
  try {
    const regions = await resolveRegions(options, clients)
    const home = regions[0]!
    const errors = new ErrorLog()

    let identity
    try {
      identity = await clients.sts(home).send(new GetCallerIdentityCommand({}))
    } catch (err) {
      if (isCredentialsError(err)) {
        throw new PhiwallError('PW_ERR_AWS_CREDENTIALS', `No usable AWS credentials${options.profile ? ` for profile ${options.profile}` : ''}: ${safeMessage(err)}`, { cause: err })
      }
      throw new PhiwallError('PW_ERR_AWS_API', `The account could not be read: sts:GetCallerIdentity failed in ${home} (${errorCode(err)}): ${safeMessage(err)}`, { cause: err })
    }
    const account = identity.Account ?? ''
    if (!/^\d{12}$/.test(account)) throw new PhiwallError('PW_ERR_AWS_API', 'The account could not be read: sts:GetCallerIdentity returned no account id.')
    const partition = /^arn:([^:]+):/.exec(identity.Arn ?? '')?.[1] ?? partitionOf(home)
    const alias = options.accountAlias ?? (await accountAlias(clients.iam(home), errors))
    progress(`Reading account ${account}${alias ? ` (${alias})` : ''} in ${regions.join(', ')}; read-only calls.`)

    const types = options.types ?? RESOURCE_TYPES
    const readers = new Map<string, CloudControlReader>()
    const readerFor = (region: string): CloudControlReader => {
      let r = readers.get(region)
      if (!r) {
        r = new CloudControlReader(region, clients.cloudControl(region), new Limiter(concurrency), { errors, sleep })
        readers.set(region, r)
      }
      return r
    }
    const ids = { partition, account }
    const resources: SnapshotResource[] = []
    const add = (region: string, r: CloudControlResource | PolicyResource | AccountResource, spec?: TypeSpec): void => {
      const props = r.properties
      maskSecrets(r.type, props)
      const arn = 'arn' in r && r.arn ? r.arn : spec ? arnOfResource(spec, props, { ...ids, region, identifier: r.identifier }) : undefined
      resources.push({ type: r.type, identifier: r.identifier, region, ...(arn ? { arn } : {}), properties: props })
    }
    const specOf = new Map(types.map((s) => [s.type, s]))
    const onType = (region: string) => (type: string, count: number) => {
      if (count > 0) progress(`${region}: ${type} ${count}`)
    }

    const tasks: Promise<void>[] = []

    // a failure nobody foresaw costs the part it happened in, not the snapshot
    const guard = (region: string, part: string, task: Promise<void>): Promise<void> =>
      task.catch((err: unknown) => errors.add({ service: 'phiwall', region, operation: part }, err))

    // IAM: global, read once through the first region
    const globalSpecs = types.filter((s) => s.scope === 'global')
    tasks.push(
      guard(
        'global',
        'read IAM resources',
        readerFor(home)
          .readTypes(globalSpecs, onType('global'))
          .then((found) => {
            for (const r of found) add('global', r, specOf.get(r.type))
          }),
      ),
    )

    // S3: one account-wide list, each bucket read in its home region
    if (types.some((s) => s.scope === 's3')) {
      tasks.push(
        guard(
          'global',
          'read S3 buckets',
          readBuckets(clients, readerFor, home, errors, concurrency).then((found) => {
            for (const { region, resource } of found) add(region, resource, specOf.get(resource.type))
            onType('global')('AWS::S3::Bucket', found.filter((f) => f.resource.type === 'AWS::S3::Bucket').length)
          }),
        ),
      )
    }

    // account settings and the credential report
    tasks.push(
      guard(
        'global',
        'read account settings',
        Promise.all([
          passwordPolicy(clients.iam(home), account, errors),
          rootUser(clients.iam(home), account, partition, errors),
          s3AccountPublicAccessBlock(clients.s3Control(home), account, errors),
        ]).then((found) => {
          for (const r of found) if (r) add('global', r)
        }),
      ),
    )
    const report = credentialReport(clients.iam(home), errors, { timeoutMs: options.credentialReportTimeoutMs ?? 120_000, sleep, now: () => now().getTime() }).catch((err: unknown) => {
      errors.add({ service: 'phiwall', region: 'global', operation: 'read credential report' }, err)
      return undefined
    })

    // each region: Cloud Control types, resource policies, security services
    const trailStatus: TrailStatusCache = new Map()
    const regionalSpecs = types.filter((s) => s.scope === 'regional')
    for (const region of regions) {
      tasks.push(
        guard(
          region,
          'read region',
          (async () => {
            const found = await readerFor(region).readTypes(regionalSpecs, onType(region))
            for (const r of found) add(region, r, specOf.get(r.type))
            for (const p of await resourcePolicies(clients, region, found, errors, concurrency)) add(region, p)
            // instances' state and Systems Manager status, written onto the resources just added (runtime.ts)
            await addInstanceRuntime(found.filter((r) => r.type === 'AWS::EC2::Instance'), clients, region, errors)
            // snapshots and documents with their sharing, certificates with their expiry, internet gateways (sharing.ts)
            const direct = await Promise.all([ebsSnapshots(clients, region, partition, errors, concurrency), rdsSnapshots(clients, region, errors, concurrency), ssmDocuments(clients, region, partition, account, errors, concurrency), acmCertificates(clients, region, errors), internetGateways(clients, region, partition, account, errors), vpnConnections(clients, region, partition, account, errors)])
            const counts = new Map<string, number>()
            for (const r of direct.flat()) {
              add(region, r)
              counts.set(r.type, (counts.get(r.type) ?? 0) + 1)
            }
            for (const [type, n] of counts) onType(region)(type, n)
            const settings = await regionSettings(clients, region, errors, trailStatus)
            // the throughput check adds up the region's tables: it must know whether it saw them all
            if (settings.properties['DynamoDbAccountMaxReadCapacityUnits'] !== undefined && regionalSpecs.some((t) => t.type === 'AWS::DynamoDB::Table')) settings.properties['DynamoDbTablesRead'] = !errors.failed({ service: 'cloudcontrol', region, resourceType: 'AWS::DynamoDB::Table' })
            // settings of which no call succeeded say nothing; the errors say why
            if (Object.keys(settings.properties).length > 1) add(region, settings)
            progress(`${region}: done`)
          })(),
        ),
      )
    }
    await Promise.all(tasks)

    // credential report rows onto IAM users (matched by user name; key ids are not in the report)
    const creds = await report
    if (creds) {
      for (const u of resources.filter((r) => r.type === 'AWS::IAM::User')) {
        const name = typeof u.properties['UserName'] === 'string' ? u.properties['UserName'] : u.identifier
        const row = creds.get(name)
        if (row) u.properties['PhiWallCredentials'] = row
      }
    }

    resources.sort((a, b) => a.region.localeCompare(b.region) || a.type.localeCompare(b.type) || a.identifier.localeCompare(b.identifier))
    const snapshot: Snapshot = {
      kind: 'phiwall-aws-snapshot',
      schemaVersion: SNAPSHOT_SCHEMA_VERSION,
      collectedAt: now().toISOString(),
      account,
      partition,
      ...(alias ? { accountAlias: alias } : {}),
      regions,
      resources,
      errors: errors.list().sort((a, b) => a.region.localeCompare(b.region) || a.service.localeCompare(b.service) || a.operation.localeCompare(b.operation) || (a.resourceType ?? '').localeCompare(b.resourceType ?? '')),
    }
    // what is written must be what `phiwall scan` accepts
    return snapshotSchema.parse(snapshot)
  } finally {
    clients.destroy()
  }
}

/** Regions from the option, else the one the profile or environment names. */
async function resolveRegions(options: CollectAwsOptions, clients: AwsClients): Promise<string[]> {
  let regions = [...new Set((options.regions ?? []).map((r) => r.trim()).filter(Boolean))]
  if (regions.length === 0) {
    const region = await clients.defaultRegion()
    if (!region) throw new PhiwallError('PW_ERR_USAGE', `No AWS region is configured${options.profile ? ` for profile ${options.profile}` : ''}; pass --regions us-east-1[,…] or set AWS_REGION.`)
    regions = [region]
  }
  const bad = regions.filter((r) => !REGION.test(r))
  if (bad.length) throw new PhiwallError('PW_ERR_USAGE', `Not an AWS region: ${bad.join(', ')} (expected names like us-east-1).`)
  return regions
}

/**
 * Buckets of the account. Cloud Control lists every bucket from any region but reads a bucket
 * only in its home region, so each bucket's region is taken from ListBuckets (BucketRegion),
 * else GetBucketLocation, and the bucket read there. Each bucket's policy comes with it.
 */
async function readBuckets(
  clients: AwsClients,
  readerFor: (region: string) => CloudControlReader,
  home: string,
  errors: ErrorLog,
  concurrency: number,
): Promise<{ region: string; resource: CloudControlResource | PolicyResource }[]> {
  const listed = await readerFor(home).list('AWS::S3::Bucket')
  if (!listed || listed.length === 0) return []
  const regionOf = new Map<string, string>()
  const s3 = clients.s3(home)
  try {
    let token: string | undefined
    do {
      const page = await s3.send(new ListBucketsCommand({ MaxBuckets: 1000, ...(token ? { ContinuationToken: token } : {}) }))
      for (const b of page.Buckets ?? []) if (b.Name && b.BucketRegion) regionOf.set(b.Name, b.BucketRegion)
      token = page.ContinuationToken
    } while (token)
  } catch (err) {
    errors.add({ service: 's3', region: home, operation: 'ListBuckets' }, err)
  }
  const out: { region: string; resource: CloudControlResource | PolicyResource }[] = []
  await mapLimit(listed, concurrency, async ({ identifier: bucket }) => {
    let region = regionOf.get(bucket)
    if (!region) {
      try {
        const loc = (await s3.send(new GetBucketLocationCommand({ Bucket: bucket }))).LocationConstraint as string | undefined
        region = !loc ? 'us-east-1' : loc === 'EU' ? 'eu-west-1' : loc
      } catch (err) {
        errors.add({ service: 's3', region: home, operation: 'GetBucketLocation' }, err)
        region = home
      }
    }
    const props = await readerFor(region).get('AWS::S3::Bucket', bucket)
    if (!props) return
    out.push({ region, resource: { type: 'AWS::S3::Bucket', identifier: bucket, properties: props } })
    try {
      const pol = await clients.s3(region).send(new GetBucketPolicyCommand({ Bucket: bucket }))
      if (pol.Policy) out.push({ region, resource: { type: 'AWS::S3::BucketPolicy', identifier: bucket, properties: { Bucket: bucket, PolicyDocument: policyDocument(pol.Policy) } } })
    } catch (err) {
      if (errorCode(err) !== 'NoSuchBucketPolicy') errors.add({ service: 's3', region, operation: 'GetBucketPolicy' }, err)
    }
  })
  return out
}

/**
 * Resource policies Cloud Control does not return as resources: Lambda function policies
 * (one `AWS::Lambda::Permission` per statement), SQS queue and SNS topic policies.
 */
async function resourcePolicies(clients: AwsClients, region: string, found: CloudControlResource[], errors: ErrorLog, concurrency: number): Promise<PolicyResource[]> {
  const out: PolicyResource[] = []
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined)
  await mapLimit(found, concurrency, async (r) => {
    if (r.type === 'AWS::Lambda::Function') {
      const name = str(r.properties['FunctionName']) ?? r.identifier
      const arn = str(r.properties['Arn'])
      if (!arn) return
      try {
        const pol = await clients.lambda(region).send(new GetPolicyCommand({ FunctionName: name }))
        if (pol.Policy) out.push(...lambdaPermissions({ name, arn }, pol.Policy))
      } catch (err) {
        // a function without a resource policy answers ResourceNotFoundException
        if (errorCode(err) !== 'ResourceNotFoundException') errors.add({ service: 'lambda', region, operation: 'GetPolicy' }, err)
      }
    } else if (r.type === 'AWS::SQS::Queue') {
      const url = str(r.properties['QueueUrl']) ?? r.identifier
      try {
        const attrs = await clients.sqs(region).send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['Policy'] }))
        const policy = attrs.Attributes?.['Policy']
        if (policy) out.push({ type: 'AWS::SQS::QueuePolicy', identifier: str(r.properties['QueueName']) ?? url.split('/').pop()!, properties: { Queues: [url], PolicyDocument: policyDocument(policy) } })
      } catch (err) {
        errors.add({ service: 'sqs', region, operation: 'GetQueueAttributes' }, err)
      }
    } else if (r.type === 'AWS::SNS::Topic') {
      const arn = str(r.properties['TopicArn']) ?? r.identifier
      try {
        const attrs = await clients.sns(region).send(new GetTopicAttributesCommand({ TopicArn: arn }))
        const policy = attrs.Attributes?.['Policy']
        if (policy) out.push({ type: 'AWS::SNS::TopicPolicy', identifier: arn.split(':').pop()!, properties: { Topics: [arn], PolicyDocument: policyDocument(policy) } })
      } catch (err) {
        errors.add({ service: 'sns', region, operation: 'GetTopicAttributes' }, err)
      }
    }
  })
  return out
}
