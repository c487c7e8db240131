import { ListCertificatesCommand } from '@aws-sdk/client-acm'
import { DescribeInternetGatewaysCommand, DescribeSnapshotAttributeCommand, DescribeSnapshotsCommand } from '@aws-sdk/client-ec2'
import { DescribeDBClusterSnapshotAttributesCommand, DescribeDBClusterSnapshotsCommand, DescribeDBSnapshotAttributesCommand, DescribeDBSnapshotsCommand } from '@aws-sdk/client-rds'
import { DescribeDocumentPermissionCommand, ListDocumentsCommand } from '@aws-sdk/client-ssm'
import type { AccountResource } from './account.js'
import type { AwsClients } from './clients.js'
import type { ErrorLog } from './errors.js'
import { allPages, mapLimit } from './limit.js'

/**
 * What Cloud Control cannot say and the HIPAA conformance pack judges: who may restore an EBS or RDS
 * snapshot or run an SSM document (shared with `all` is public), and when ACM certificates expire.
 * Each reader lists what the account owns in a region, then asks for the sharing of each item; a
 * failed list or attribute call is logged and the item left out (or its sharing left unknown),
 * never guessed. Sharing is recorded as `PhiWallSharedWith`: the account ids it is shared with, and
 * `all` when it is public (docs/snapshot-format.md).
 */

/** Tags of the EC2/RDS/SSM APIs (`[{ Key, Value }]`) as CloudFormation writes them. */
export function tagList(tags: readonly { Key?: string | undefined; Value?: string | undefined }[] | undefined): { Key: string; Value: string }[] | undefined {
  const out = (tags ?? []).filter((t): t is { Key: string; Value?: string } => typeof t.Key === 'string').map((t) => ({ Key: t.Key, Value: t.Value ?? '' }))
  return out.length ? out : undefined
}

/** Account ids and `all`, lower-cased `all` (the APIs write `all`; Terraform `All`), sorted, deduplicated. */
function sharedWith(values: readonly (string | undefined)[]): string[] {
  return [...new Set(values.filter((v): v is string => typeof v === 'string' && v.length > 0).map((v) => (v.toLowerCase() === 'all' ? 'all' : v)))].sort()
}

/** A timestamp as ISO 8601 text (the SDK gives Dates; a recorded or proxied response may give text). */
export function iso(d: Date | string | undefined): string | undefined {
  const t = d instanceof Date ? d.getTime() : typeof d === 'string' ? Date.parse(d) : Number.NaN
  return Number.isNaN(t) ? undefined : new Date(t).toISOString()
}

/** Drops undefined values, so a snapshot records only what the API said. */
export function defined(props: Record<string, unknown>): Record<string, unknown> {
  for (const k of Object.keys(props)) if (props[k] === undefined) delete props[k]
  return props
}

/**
 * `AWS::EC2::Snapshot`: EBS snapshots the account owns, with who may create volumes from them
 * (`DescribeSnapshotAttribute createVolumePermission`; group `all` is public).
 */
export async function ebsSnapshots(clients: AwsClients, region: string, partition: string, errors: ErrorLog, concurrency: number): Promise<AccountResource[]> {
  const ec2 = clients.ec2(region)
  let listed: AccountResource[]
  try {
    const snapshots = await allPages((t) => ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'], MaxResults: 1000, ...(t ? { NextToken: t } : {}) })), (p) => p.Snapshots, (p) => p.NextToken)
    listed = snapshots.flatMap((s) =>
      s.SnapshotId
        ? [
            {
              type: 'AWS::EC2::Snapshot',
              identifier: s.SnapshotId,
              arn: `arn:${partition}:ec2:${region}::snapshot/${s.SnapshotId}`,
              properties: defined({ SnapshotId: s.SnapshotId, VolumeId: s.VolumeId, VolumeSize: s.VolumeSize, Encrypted: s.Encrypted, KmsKeyId: s.KmsKeyId, State: s.State, StartTime: iso(s.StartTime), OwnerId: s.OwnerId, Tags: tagList(s.Tags) }),
            },
          ]
        : [],
    )
  } catch (err) {
    errors.add({ service: 'ec2', region, operation: 'DescribeSnapshots' }, err)
    return []
  }
  await mapLimit(listed, concurrency, async (r) => {
    try {
      const a = await ec2.send(new DescribeSnapshotAttributeCommand({ SnapshotId: r.identifier, Attribute: 'createVolumePermission' }))
      r.properties['PhiWallSharedWith'] = sharedWith((a.CreateVolumePermissions ?? []).map((p) => p.Group ?? p.UserId))
    } catch (err) {
      errors.add({ service: 'ec2', region, operation: 'DescribeSnapshotAttribute' }, err)
    }
  })
  return listed
}

/**
 * `AWS::RDS::DBSnapshot` and `AWS::RDS::DBClusterSnapshot`: the account's manual snapshots (only
 * manual snapshots can be shared; automated ones copy their database's settings, which the database
 * checks judge), with who may restore them (the `restore` attribute; `all` is public).
 */
export async function rdsSnapshots(clients: AwsClients, region: string, errors: ErrorLog, concurrency: number): Promise<AccountResource[]> {
  const rds = clients.rds(region)
  const out: AccountResource[] = []
  /** One listing; a failure costs that listing only. */
  const listing = async <T>(operation: string, list: () => Promise<T[]>, toResource: (s: T) => AccountResource | undefined): Promise<AccountResource[]> => {
    try {
      return (await list()).flatMap((s) => toResource(s) ?? [])
    } catch (err) {
      errors.add({ service: 'rds', region, operation }, err)
      return []
    }
  }
  const [instances, clusters] = await Promise.all([
    listing(
      'DescribeDBSnapshots',
      () => allPages((m) => rds.send(new DescribeDBSnapshotsCommand({ SnapshotType: 'manual', MaxRecords: 100, ...(m ? { Marker: m } : {}) })), (p) => p.DBSnapshots, (p) => p.Marker),
      (s) =>
        s.DBSnapshotIdentifier
          ? {
              type: 'AWS::RDS::DBSnapshot',
              identifier: s.DBSnapshotIdentifier,
              ...(s.DBSnapshotArn ? { arn: s.DBSnapshotArn } : {}),
              properties: defined({ DBSnapshotIdentifier: s.DBSnapshotIdentifier, DBInstanceIdentifier: s.DBInstanceIdentifier, Engine: s.Engine, SnapshotType: s.SnapshotType, Encrypted: s.Encrypted, KmsKeyId: s.KmsKeyId, SnapshotCreateTime: iso(s.SnapshotCreateTime), Tags: tagList(s.TagList) }),
            }
          : undefined,
    ),
    listing(
      'DescribeDBClusterSnapshots',
      () => allPages((m) => rds.send(new DescribeDBClusterSnapshotsCommand({ SnapshotType: 'manual', MaxRecords: 100, ...(m ? { Marker: m } : {}) })), (p) => p.DBClusterSnapshots, (p) => p.Marker),
      (s) =>
        s.DBClusterSnapshotIdentifier
          ? {
              type: 'AWS::RDS::DBClusterSnapshot',
              identifier: s.DBClusterSnapshotIdentifier,
              ...(s.DBClusterSnapshotArn ? { arn: s.DBClusterSnapshotArn } : {}),
              properties: defined({ DBClusterSnapshotIdentifier: s.DBClusterSnapshotIdentifier, DBClusterIdentifier: s.DBClusterIdentifier, Engine: s.Engine, SnapshotType: s.SnapshotType, StorageEncrypted: s.StorageEncrypted, KmsKeyId: s.KmsKeyId, SnapshotCreateTime: iso(s.SnapshotCreateTime), Tags: tagList(s.TagList) }),
            }
          : undefined,
    ),
  ])
  await mapLimit(instances, concurrency, async (r) => {
    try {
      const a = await rds.send(new DescribeDBSnapshotAttributesCommand({ DBSnapshotIdentifier: r.identifier }))
      const restore = (a.DBSnapshotAttributesResult?.DBSnapshotAttributes ?? []).filter((x) => x.AttributeName === 'restore')
      r.properties['PhiWallSharedWith'] = sharedWith(restore.flatMap((x) => x.AttributeValues ?? []))
    } catch (err) {
      errors.add({ service: 'rds', region, operation: 'DescribeDBSnapshotAttributes' }, err)
    }
  })
  await mapLimit(clusters, concurrency, async (r) => {
    try {
      const a = await rds.send(new DescribeDBClusterSnapshotAttributesCommand({ DBClusterSnapshotIdentifier: r.identifier }))
      const restore = (a.DBClusterSnapshotAttributesResult?.DBClusterSnapshotAttributes ?? []).filter((x) => x.AttributeName === 'restore')
      r.properties['PhiWallSharedWith'] = sharedWith(restore.flatMap((x) => x.AttributeValues ?? []))
    } catch (err) {
      errors.add({ service: 'rds', region, operation: 'DescribeDBClusterSnapshotAttributes' }, err)
    }
  })
  out.push(...instances, ...clusters)
  return out
}

/**
 * `AWS::SSM::Document`: documents the account owns (`Owner: Self`), with the accounts they are
 * shared with (`DescribeDocumentPermission Share`; `all` is public). The content is not read:
 * the sharing is what the conformance pack judges, and a document's content can embed secrets.
 */
export async function ssmDocuments(clients: AwsClients, region: string, partition: string, account: string, errors: ErrorLog, concurrency: number): Promise<AccountResource[]> {
  const ssm = clients.ssm(region)
  let listed: AccountResource[]
  try {
    const documents = await allPages((t) => ssm.send(new ListDocumentsCommand({ Filters: [{ Key: 'Owner', Values: ['Self'] }], MaxResults: 50, ...(t ? { NextToken: t } : {}) })), (p) => p.DocumentIdentifiers, (p) => p.NextToken)
    listed = documents.flatMap((d) =>
      d.Name
        ? [
            {
              type: 'AWS::SSM::Document',
              identifier: d.Name,
              arn: `arn:${partition}:ssm:${region}:${account}:document/${d.Name}`,
              properties: defined({ Name: d.Name, DocumentType: d.DocumentType, DocumentFormat: d.DocumentFormat, TargetType: d.TargetType, Tags: tagList(d.Tags) }),
            },
          ]
        : [],
    )
  } catch (err) {
    errors.add({ service: 'ssm', region, operation: 'ListDocuments' }, err)
    return []
  }
  await mapLimit(listed, concurrency, async (r) => {
    try {
      const ids = await allPages((t) => ssm.send(new DescribeDocumentPermissionCommand({ Name: r.identifier, PermissionType: 'Share', MaxResults: 200, ...(t ? { NextToken: t } : {}) })), (p) => p.AccountIds, (p) => p.NextToken)
      r.properties['PhiWallSharedWith'] = sharedWith(ids)
    } catch (err) {
      errors.add({ service: 'ssm', region, operation: 'DescribeDocumentPermission' }, err)
    }
  })
  return listed
}

/** Every key algorithm ACM knows: ListCertificates lists RSA 2048 certificates only unless asked for the others. */
const KEY_TYPES = ['RSA_1024', 'RSA_2048', 'RSA_3072', 'RSA_4096', 'EC_prime256v1', 'EC_secp384r1', 'EC_secp521r1'] as const

/**
 * `AWS::CertificateManager::Certificate`: the region's ACM certificates with what expiry depends
 * on, as `PhiWallCertificate`: type (ACM-issued, imported, private), status, `NotAfter`, renewal
 * eligibility and whether a load balancer, API or distribution uses it.
 */
export async function acmCertificates(clients: AwsClients, region: string, errors: ErrorLog): Promise<AccountResource[]> {
  const acm = clients.acm(region)
  const out: AccountResource[] = []
  const seen = new Set<string>()
  try {
    // every key algorithm and key pair origin (ACME included); certificates under Amazon's N2 roots
    // are listed only when asked for by root, hence a second listing
    for (const roots of [undefined, ['N2_AMAZON_MANAGED', 'N2_SFG2_AMAZON_MANAGED'] as const]) {
      const certs = await allPages(
        (t) => acm.send(new ListCertificatesCommand({ Includes: { keyTypes: [...KEY_TYPES] }, CertificateKeyPairOrigins: ['AWS_MANAGED', 'CUSTOMER_PROVIDED', 'ACME'], ...(roots ? { RootHierarchyTypes: [...roots] } : {}), MaxItems: 1000, ...(t ? { NextToken: t } : {}) })),
        (p) => p.CertificateSummaryList,
        (p) => p.NextToken,
      )
      for (const c of certs) {
        if (!c.CertificateArn || seen.has(c.CertificateArn)) continue
        seen.add(c.CertificateArn)
        out.push({
          type: 'AWS::CertificateManager::Certificate',
          identifier: c.CertificateArn,
          arn: c.CertificateArn,
          properties: defined({
            DomainName: c.DomainName,
            SubjectAlternativeNames: c.SubjectAlternativeNameSummaries?.length ? [...c.SubjectAlternativeNameSummaries] : undefined,
            KeyAlgorithm: c.KeyAlgorithm,
            PhiWallCertificate: defined({ Type: c.Type, Status: c.Status, NotBefore: iso(c.NotBefore), NotAfter: iso(c.NotAfter), RenewalEligibility: c.RenewalEligibility, InUse: c.InUse }),
          }),
        })
      }
    }
  } catch (err) {
    errors.add({ service: 'acm', region, operation: 'ListCertificates' }, err)
    return []
  }
  return out
}

/**
 * `AWS::EC2::InternetGateway` and, per attachment, `AWS::EC2::VPCGatewayAttachment` (identifier
 * `IGW|<vpc id>`, as Cloud Control names it): which VPCs have an internet gateway, for
 * INTERNET_GATEWAY_AUTHORIZED_VPC_ONLY. One paginated `ec2:DescribeInternetGateways` per region.
 */
export async function internetGateways(clients: AwsClients, region: string, partition: string, account: string, errors: ErrorLog): Promise<AccountResource[]> {
  const out: AccountResource[] = []
  try {
    const gateways = await allPages((t) => clients.ec2(region).send(new DescribeInternetGatewaysCommand({ MaxResults: 1000, ...(t ? { NextToken: t } : {}) })), (p) => p.InternetGateways, (p) => p.NextToken)
    for (const g of gateways) {
      if (!g.InternetGatewayId) continue
      const owner = g.OwnerId ?? account
      out.push({ type: 'AWS::EC2::InternetGateway', identifier: g.InternetGatewayId, arn: `arn:${partition}:ec2:${region}:${owner}:internet-gateway/${g.InternetGatewayId}`, properties: defined({ InternetGatewayId: g.InternetGatewayId, Tags: tagList(g.Tags) }) })
      for (const a of g.Attachments ?? []) {
        // `available` is how an attached internet gateway's attachment reads; detaching ones still route
        if (!a.VpcId || a.State === 'detached') continue
        out.push({ type: 'AWS::EC2::VPCGatewayAttachment', identifier: `IGW|${a.VpcId}`, properties: { InternetGatewayId: g.InternetGatewayId, VpcId: a.VpcId } })
      }
    }
  } catch (err) {
    errors.add({ service: 'ec2', region, operation: 'DescribeInternetGateways' }, err)
    return []
  }
  return out
}
