import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ALL_CHECKS, evaluateChecks } from '../../checks/index.js'
import { buildInventory } from '../../inventory/index.js'
import { PhiwallError, type Finding } from '../../model/index.js'
import { readSnapshot, snapshotSchema, type Snapshot, type SnapshotResource } from '../aws-snapshot/index.js'
import { parseJsonLocated } from '../located/index.js'
import { collectAwsSnapshot, type CollectAwsOptions } from './collect.js'
import { loadRecordings, replay, type CallLog, type RecordedCall } from './testdata/replay.js'

const DIR = fileURLToPath(new URL('./testdata/clinic-prod', import.meta.url))
const NOW = new Date('2025-01-21T10:20:00Z')

let calls: CallLog[]
let peakInFlight: (service: string, command: string, region: string) => number
let restore: () => void

async function mock(edit?: (r: Record<string, RecordedCall[]>) => void): Promise<void> {
  restore?.()
  const recordings = loadRecordings(DIR)
  edit?.(recordings)
  ;({ calls, peakInFlight, restore } = await replay(recordings))
}

const collect = (extra: Partial<CollectAwsOptions> = {}): Promise<Snapshot> =>
  collectAwsSnapshot({ regions: ['us-east-1', 'us-west-2'], sleep: async () => undefined, now: () => NOW, ...extra })

const find = (s: Snapshot, type: string, identifier: string): SnapshotResource | undefined => s.resources.find((r) => r.type === type && r.identifier === identifier)

beforeEach(async () => {
  await mock()
})
afterEach(() => restore())

describe('collectAwsSnapshot on a recorded account', () => {
  it('writes a snapshot the reader accepts, with account, alias and regions', async () => {
    const snap = await collect()
    expect(snapshotSchema.safeParse(snap).success).toBe(true)
    expect(snap).toMatchObject({ kind: 'phiwall-aws-snapshot', schemaVersion: 1, account: '123456789012', partition: 'aws', accountAlias: 'clinic-prod', regions: ['us-east-1', 'us-west-2'], collectedAt: NOW.toISOString() })
    // the recording foresaw every call the collector made
    expect(snap.errors.filter((e) => e.code === 'UnrecordedCall')).toEqual([])
  })

  it('reads resources through Cloud Control in CloudFormation property shape, with ARNs', async () => {
    const snap = await collect()
    const fn = find(snap, 'AWS::Lambda::Function', 'intake-api')!
    expect(fn).toMatchObject({ region: 'us-east-1', arn: 'arn:aws:lambda:us-east-1:123456789012:function:intake-api' })
    expect(fn.properties['VpcConfig']).toEqual({ SubnetIds: ['subnet-0c1d2e3f4a5b6c7d8', 'subnet-0e9f8a7b6c5d4e3f2'], SecurityGroupIds: ['sg-0a1b2c3d4e5f60718'], Ipv6AllowedForDualStack: false })
    expect(find(snap, 'AWS::EC2::SecurityGroup', 'sg-0f1e2d3c4b5a69788')?.arn).toBe('arn:aws:ec2:us-east-1:123456789012:security-group/sg-0f1e2d3c4b5a69788')
    expect(find(snap, 'AWS::IAM::Role', 'legacy-admin')).toMatchObject({ region: 'global', arn: 'arn:aws:iam::123456789012:role/legacy-admin' })
    // a child type listed per parent, with the parent's identifier as ResourceModel
    expect(find(snap, 'AWS::Lambda::Url', 'arn:aws:lambda:us-east-1:123456789012:function:report-export')?.properties['AuthType']).toBe('NONE')
    const urlLists = calls.filter((c) => c.command === 'ListResources' && c.input['TypeName'] === 'AWS::Lambda::Url')
    expect(urlLists.map((c) => JSON.parse(String(c.input['ResourceModel'])).TargetFunctionArn).sort()).toEqual([
      'arn:aws:lambda:us-east-1:123456789012:function:intake-api',
      'arn:aws:lambda:us-east-1:123456789012:function:nightly-backup-check',
      'arn:aws:lambda:us-east-1:123456789012:function:report-export',
    ])
    // the function URL does not take the function's ARN: the inventory indexes resources by ARN
    expect(find(snap, 'AWS::Lambda::Url', 'arn:aws:lambda:us-east-1:123456789012:function:report-export')?.arn).toBeUndefined()
  })

  it('takes secrets from ListResources, whose read handler would need secretsmanager:GetSecretValue', async () => {
    const snap = await collect()
    const arn = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/intake/db-Xq3v9Z'
    expect(find(snap, 'AWS::SecretsManager::Secret', arn)).toMatchObject({ arn, properties: { Name: 'prod/intake/db', KmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/4f8e2a61-9c3b-4d7e-a1f0-2b6c8d9e0a13' } })
    expect(calls.filter((c) => c.command === 'GetResource' && c.input['TypeName'] === 'AWS::SecretsManager::Secret').map((c) => c.input['Identifier'])).toEqual(['arn:aws:secretsmanager:us-east-1:123456789012:secret:legacy/ftp-Ab12Cd'])
    expect(find(snap, 'AWS::SecretsManager::Secret', 'arn:aws:secretsmanager:us-east-1:123456789012:secret:legacy/ftp-Ab12Cd')).toBeUndefined()
  })

  it('reads each bucket in its home region, once for the account', async () => {
    const snap = await collect()
    const buckets = snap.resources.filter((r) => r.type === 'AWS::S3::Bucket').map((r) => [r.identifier, r.region])
    expect(buckets.sort()).toEqual([
      ['clinic-legacy-uploads', 'eu-west-1'],
      ['clinic-prod-exports', 'us-west-2'],
      ['clinic-prod-patient-records', 'us-east-1'],
    ])
    expect(calls.filter((c) => c.command === 'ListResources' && c.input['TypeName'] === 'AWS::S3::Bucket')).toHaveLength(1)
    const gets = calls.filter((c) => c.command === 'GetResource' && c.input['TypeName'] === 'AWS::S3::Bucket').map((c) => [c.input['Identifier'], c.region])
    expect(gets.sort()).toEqual(buckets.sort())
    expect(find(snap, 'AWS::S3::BucketPolicy', 'clinic-prod-exports')).toMatchObject({ region: 'us-west-2', properties: { Bucket: 'clinic-prod-exports', PolicyDocument: { Statement: [{ Sid: 'PublicReadForPartnerPortal', Principal: '*' }] } } })
    expect(find(snap, 'AWS::S3::BucketPolicy', 'clinic-legacy-uploads')).toBeUndefined()
  })

  it('turns Lambda resource policies into one AWS::Lambda::Permission per statement', async () => {
    const snap = await collect()
    const perms = snap.resources.filter((r) => r.type === 'AWS::Lambda::Permission')
    expect(perms.map((p) => p.identifier).sort()).toEqual(['intake-api/apigw-invoke', 'intake-api/partner-invoke', 'report-export/FunctionURLAllowPublicAccess', 'report-export/s3-trigger'])
    expect(find(snap, 'AWS::Lambda::Permission', 'intake-api/partner-invoke')?.properties).toEqual({ FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:intake-api', Action: 'lambda:InvokeFunction', Principal: '*' })
    expect(find(snap, 'AWS::Lambda::Permission', 'intake-api/apigw-invoke')?.properties).toMatchObject({ Principal: 'apigateway.amazonaws.com', SourceArn: 'arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/*/POST/intake' })
    expect(find(snap, 'AWS::Lambda::Permission', 'report-export/FunctionURLAllowPublicAccess')?.properties).toMatchObject({ Principal: '*', Action: 'lambda:InvokeFunctionUrl', FunctionUrlAuthType: 'NONE' })
    expect(find(snap, 'AWS::Lambda::Permission', 'report-export/s3-trigger')?.properties).toMatchObject({ Principal: 's3.amazonaws.com', SourceAccount: '123456789012', SourceArn: 'arn:aws:s3:::clinic-prod-exports' })
    expect(find(snap, 'AWS::SQS::QueuePolicy', 'clinic-prod-intake-queue')?.properties['Queues']).toEqual(['https://sqs.us-east-1.amazonaws.com/123456789012/clinic-prod-intake-queue'])
    expect(find(snap, 'AWS::SNS::TopicPolicy', 'clinic-prod-alerts')?.properties['Topics']).toEqual(['arn:aws:sns:us-east-1:123456789012:clinic-prod-alerts'])
  })

  it('records account settings as PhiWall::AWS::* resources', async () => {
    const snap = await collect()
    expect(find(snap, 'PhiWall::AWS::PasswordPolicy', '123456789012')?.properties).toEqual({ Configured: true, MinimumPasswordLength: 8, RequireSymbols: false, RequireNumbers: true, RequireUppercaseCharacters: true, RequireLowercaseCharacters: true, AllowUsersToChangePassword: true, HardExpiry: false })
    expect(find(snap, 'PhiWall::AWS::RootUser', 'root')?.properties).toEqual({ MfaEnabled: true, HardwareMfaEnabled: false, AccessKeysPresent: false })
    expect(find(snap, 'PhiWall::AWS::S3PublicAccessBlock', '123456789012')?.properties).toEqual({ Configured: false, BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false })
    expect(find(snap, 'PhiWall::AWS::RegionSettings', 'us-east-1')?.properties).toEqual({
      Region: 'us-east-1',
      EbsEncryptionByDefault: true,
      EbsDefaultKmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/4f8e2a61-9c3b-4d7e-a1f0-2b6c8d9e0a13',
      GuardDutyEnabled: true,
      SecurityHubEnabled: true,
      ConfigRecorderRecording: true,
      ConfigRecorderAllSupported: true,
      CloudTrailLogging: true,
      EbsSnapshotBlockPublicAccess: 'unblocked',
      DynamoDbAccountMaxReadCapacityUnits: 80000,
      DynamoDbAccountMaxWriteCapacityUnits: 80000,
      DynamoDbTablesRead: true,
    })
    // GuardDuty denied: left out (unknown), not false; Security Hub not subscribed: false
    expect(find(snap, 'PhiWall::AWS::RegionSettings', 'us-west-2')?.properties).toEqual({
      Region: 'us-west-2',
      EbsEncryptionByDefault: false,
      EbsDefaultKmsKeyId: 'alias/aws/ebs',
      SecurityHubEnabled: false,
      ConfigRecorderRecording: false,
      ConfigRecorderAllSupported: false,
      CloudTrailLogging: true,
      EbsSnapshotBlockPublicAccess: 'block-all-sharing',
      DynamoDbAccountMaxReadCapacityUnits: 80000,
      DynamoDbAccountMaxWriteCapacityUnits: 80000,
      DynamoDbTablesRead: true,
    })
    // the multi-region trail is asked about once for both regions
    expect(calls.filter((c) => c.command === 'GetTrailStatus')).toHaveLength(1)
  })

  it('adds the credential report to IAM users without access key ids', async () => {
    const snap = await collect()
    expect(find(snap, 'AWS::IAM::User', 'dr.alvarez')?.properties['PhiWallCredentials']).toEqual({
      PasswordEnabled: true,
      PasswordLastUsed: '2025-01-20T15:40:03.000Z',
      PasswordLastChanged: '2021-06-14T13:05:41.000Z',
      MfaActive: false,
      AccessKeys: [{ Active: true, LastRotated: '2022-02-01T10:00:00.000Z', LastUsed: '2025-01-19T08:31:00.000Z' }],
    })
    expect(find(snap, 'AWS::IAM::User', 'ci-deploy')?.properties['PhiWallCredentials']).toEqual({
      PasswordEnabled: false,
      PasswordLastUsed: null,
      PasswordLastChanged: null,
      MfaActive: false,
      AccessKeys: [
        { Active: true, LastRotated: '2020-09-30T18:45:00.000Z', LastUsed: '2025-01-21T02:00:00.000Z' },
        { Active: false, LastRotated: '2021-03-01T12:00:00.000Z', LastUsed: null },
      ],
    })
    // polled until COMPLETE
    expect(calls.filter((c) => c.command === 'GenerateCredentialReport')).toHaveLength(3)
    expect(JSON.stringify(snap)).not.toMatch(/\b(AKIA|ASIA)[0-9A-Z]{16}\b/)
  })

  it('masks secret-carrying properties and keeps Lambda environment values for the scan', async () => {
    const snap = await collect()
    const text = JSON.stringify(snap)
    for (const secret of ['npm_Xy7Kq2LmN8pR4sT6vW9zA1bC3dE5fG0hJ2kL', 'squ_4f1c9e0b7a2d6e8f3a5b9c1d7e2f4a6b8c0d9e1f', 'BastionDbPass99', 'IyEvYmluL2Jhc2gK']) expect(text).not.toContain(secret)
    const vars = (find(snap, 'AWS::CodeBuild::Project', 'intake-api-build')?.properties['Environment'] as { EnvironmentVariables: { Name: string; Value: string }[] }).EnvironmentVariables
    expect(vars.find((v) => v.Name === 'NPM_TOKEN')?.Value).toMatch(/^\*\*\*\*\(40 chars, fp [0-9a-f]{8}\)$/)
    expect(vars.find((v) => v.Name === 'SONAR_TOKEN')?.Value).toMatch(/^\*\*\*\*\(/) // no Type: PLAINTEXT is the default
    expect(vars.find((v) => v.Name === 'DB_SECRET')?.Value).toBe('prod/intake/db:password') // a reference, not a secret
    expect((find(snap, 'AWS::EC2::LaunchTemplate', 'lt-0a9b8c7d6e5f40312')?.properties['LaunchTemplateData'] as Record<string, unknown>)['UserData']).toMatch(/^\*\*\*\*\(/)
    // kept on purpose: aws/lambda-env-plaintext-secrets needs the value (docs/collect-aws.md)
    expect((find(snap, 'AWS::Lambda::Function', 'intake-api')?.properties['Environment'] as { Variables: Record<string, string> }).Variables['DB_PASSWORD']).toBe('Sup3rS3cret!2024')
  })

  it('reads snapshots and documents with who they are shared with, and certificates with their expiry', async () => {
    const snap = await collect()
    expect(find(snap, 'AWS::EC2::Snapshot', 'snap-0b7e4c2a9d1f63058')).toMatchObject({
      region: 'us-east-1',
      arn: 'arn:aws:ec2:us-east-1::snapshot/snap-0b7e4c2a9d1f63058',
      properties: { VolumeId: 'vol-0c4a9e1b7d3f26a85', Encrypted: true, PhiWallSharedWith: ['all'], Tags: [{ Key: 'Name', Value: 'hl7-engine-pre-upgrade' }, { Key: 'data-classification', Value: 'phi' }] },
    })
    expect(find(snap, 'AWS::EC2::Snapshot', 'snap-04d2f8a61c9e3b7d0')?.properties['PhiWallSharedWith']).toEqual(['210987654321'])
    expect(find(snap, 'AWS::RDS::DBClusterSnapshot', 'claims-aurora-analytics-export')).toMatchObject({ arn: 'arn:aws:rds:us-east-1:123456789012:cluster-snapshot:claims-aurora-analytics-export', properties: { DBClusterIdentifier: 'claims-aurora', StorageEncrypted: false, PhiWallSharedWith: ['all'] } })
    expect(find(snap, 'AWS::RDS::DBSnapshot', 'intake-db-before-v2-migration')?.properties['PhiWallSharedWith']).toEqual(['210987654321'])
    expect(find(snap, 'AWS::SSM::Document', 'clinic-restore-patient-db')).toMatchObject({ arn: 'arn:aws:ssm:us-east-1:123456789012:document/clinic-restore-patient-db', properties: { DocumentType: 'Automation', PhiWallSharedWith: ['all'] } })
    expect(find(snap, 'AWS::SSM::Document', 'clinic-rotate-app-logs')?.properties['PhiWallSharedWith']).toEqual([])
    const cert = find(snap, 'AWS::CertificateManager::Certificate', 'arn:aws:acm:us-east-1:123456789012:certificate/2b9f6d41-3c7e-4a85-b1d6-e0f4a8c2d657')
    expect(cert?.properties['PhiWallCertificate']).toEqual({ Type: 'IMPORTED', Status: 'ISSUED', NotBefore: '2024-01-29T00:00:00.000Z', NotAfter: '2025-01-29T23:59:59.000Z', RenewalEligibility: 'INELIGIBLE', InUse: true })
    // certificates of every key algorithm and key pair origin, not only RSA 2048 (ListCertificates'
    // default), and a second listing for those under Amazon's N2 roots, which is not by default
    const lists = calls.filter((c) => c.command === 'ListCertificates' && c.region === 'us-east-1')
    expect(lists.map((c) => c.input['Includes'])).toEqual([0, 1].map(() => ({ keyTypes: ['RSA_1024', 'RSA_2048', 'RSA_3072', 'RSA_4096', 'EC_prime256v1', 'EC_secp384r1', 'EC_secp521r1'] })))
    expect(lists.map((c) => c.input['CertificateKeyPairOrigins'])).toEqual([0, 1].map(() => ['AWS_MANAGED', 'CUSTOMER_PROVIDED', 'ACME']))
    expect(lists.map((c) => c.input['RootHierarchyTypes'])).toEqual([undefined, ['N2_AMAZON_MANAGED', 'N2_SFG2_AMAZON_MANAGED']])
    expect(find(snap, 'AWS::CertificateManager::Certificate', 'arn:aws:acm:us-east-1:123456789012:certificate/5e0a7c93-1d4f-4b2e-8c6a-9f3d2b1e7a40')?.properties['PhiWallCertificate']).toEqual({ Type: 'AMAZON_ISSUED', Status: 'PENDING_VALIDATION', RenewalEligibility: 'INELIGIBLE', InUse: false })
    // internet gateways, and an attachment per VPC that has one
    expect(find(snap, 'AWS::EC2::VPCGatewayAttachment', 'IGW|vpc-0123456789abcdef0')?.properties).toEqual({ InternetGatewayId: 'igw-0d3f6a9c2e5b18047', VpcId: 'vpc-0123456789abcdef0' })
    expect(snap.resources.filter((r) => r.type === 'AWS::EC2::VPCGatewayAttachment')).toHaveLength(1)
    expect(find(snap, 'AWS::EC2::InternetGateway', 'igw-07b2e9d4c1a6f3580')?.arn).toBe('arn:aws:ec2:us-east-1:123456789012:internet-gateway/igw-07b2e9d4c1a6f3580')
    // only the account's own snapshots and documents, only manual RDS snapshots (automated ones cannot be shared)
    expect(calls.filter((c) => c.command === 'DescribeSnapshots').map((c) => c.input['OwnerIds'])).toEqual([['self'], ['self']])
    expect(calls.filter((c) => c.command === 'DescribeDBSnapshots').map((c) => c.input['SnapshotType'])).toEqual(['manual', 'manual'])
    expect(calls.filter((c) => c.command === 'ListDocuments').map((c) => c.input['Filters'])).toEqual([[{ Key: 'Owner', Values: ['Self'] }], [{ Key: 'Owner', Values: ['Self'] }]])
  })

  it('records instances\' state and Systems Manager status, and VPN tunnel status', async () => {
    const snap = await collect()
    const hl7 = find(snap, 'AWS::EC2::Instance', 'i-0a7c3e9f1b5d24680')!.properties
    expect(hl7['PhiWallState']).toEqual({ Name: 'running', Since: '2024-11-03T08:15:00.000Z' })
    expect(hl7['PhiWallSsm']).toEqual({
      Managed: true,
      PingStatus: 'Online',
      LastPingDateTime: '2025-01-21T10:15:00.000Z',
      AgentVersion: '3.3.1142.0',
      Compliance: { Patch: { Status: 'NON_COMPLIANT', OverallSeverity: 'CRITICAL', NonCompliantCount: 3, ExecutionTime: '2025-01-19T04:00:00.000Z' }, Association: { Status: 'COMPLIANT', OverallSeverity: 'UNSPECIFIED', NonCompliantCount: 0, ExecutionTime: '2025-01-21T06:00:00.000Z' } },
    })
    // stopped since the time EC2 gives in the transition reason; not registered with Systems Manager
    const legacy = find(snap, 'AWS::EC2::Instance', 'i-05e8b2d7f4a1c6093')!.properties
    expect(legacy['PhiWallState']).toEqual({ Name: 'stopped', Since: '2024-10-02T17:45:12.000Z' })
    expect(legacy['PhiWallSsm']).toEqual({ Managed: false })
    const vpn = find(snap, 'AWS::EC2::VPNConnection', 'vpn-0c4e8a2f6b1d39570')!
    expect(vpn.properties['PhiWallTunnels']).toEqual([
      { Status: 'UP', OutsideIpAddress: '52.0.113.10', LastStatusChange: '2025-01-20T03:00:00.000Z' },
      { Status: 'DOWN', OutsideIpAddress: '52.0.113.11', LastStatusChange: '2024-12-29T22:10:00.000Z' },
    ])
    expect(find(snap, 'AWS::EC2::VPNConnection', 'vpn-0e2a4c6e8a0c13579')).toBeUndefined()
  })

  it('leaves compliance unknown, not empty, when Systems Manager cannot be asked for it', async () => {
    await mock((r) => {
      r['ssm'] = r['ssm']!.map((c) => (c.command === 'ListResourceComplianceSummaries' ? { command: c.command, error: { name: 'AccessDeniedException', message: 'not authorized to perform: ssm:ListResourceComplianceSummaries' } } : c))
    })
    const snap = await collect()
    expect(find(snap, 'AWS::EC2::Instance', 'i-0a7c3e9f1b5d24680')!.properties['PhiWallSsm']).toEqual({ Managed: true, PingStatus: 'Online', LastPingDateTime: '2025-01-21T10:15:00.000Z', AgentVersion: '3.3.1142.0' })
    const inventory = buildInventory([readSnapshot(JSON.parse(JSON.stringify(snap)) as Record<string, unknown>, parseJsonLocated(JSON.stringify(snap, null, 2), { file: 's.json' }), 's.json')])
    const findings = evaluateChecks(inventory, ALL_CHECKS.filter((c) => c.id === 'aws/ec2-patch-compliance' || c.id === 'aws/ec2-association-compliance'), { now: NOW })
    expect(findings.map((f) => `${f.checkId} ${f.status}`).sort()).toEqual(['aws/ec2-association-compliance manual', 'aws/ec2-patch-compliance manual'])
  })

  it('knows when it could not read every DynamoDB table of a region', async () => {
    await mock((r) => {
      r['cloudcontrol'] = [{ command: 'ListResources', region: 'us-west-2', input: { TypeName: 'AWS::DynamoDB::Table' }, error: { name: 'AccessDeniedException', message: 'not authorized to perform: dynamodb:ListTables' } }, ...r['cloudcontrol']!]
    })
    const snap = await collect()
    expect(find(snap, 'PhiWall::AWS::RegionSettings', 'us-west-2')?.properties['DynamoDbTablesRead']).toBe(false)
    expect(find(snap, 'PhiWall::AWS::RegionSettings', 'us-east-1')?.properties['DynamoDbTablesRead']).toBe(true)
  })

  it('does not call an instance unmanaged when Systems Manager cannot be asked', async () => {
    await mock((r) => {
      r['ssm'] = r['ssm']!.map((c) => (c.command === 'DescribeInstanceInformation' ? { command: c.command, error: { name: 'AccessDeniedException', message: 'not authorized to perform: ssm:DescribeInstanceInformation' } } : c))
    })
    const snap = await collect()
    expect(find(snap, 'AWS::EC2::Instance', 'i-05e8b2d7f4a1c6093')!.properties['PhiWallSsm']).toBeUndefined()
    expect(find(snap, 'AWS::EC2::Instance', 'i-05e8b2d7f4a1c6093')!.properties['PhiWallState']).toEqual({ Name: 'stopped', Since: '2024-10-02T17:45:12.000Z' })
  })

  it('follows every page of a listing', async () => {
    await mock((r) => {
      r['ec2'] = r['ec2']!.map((c) =>
        c.command === 'DescribeSnapshots' && c.region === 'us-east-1'
          ? {
              command: c.command,
              region: c.region,
              responses: [
                { output: { Snapshots: [(c.output!['Snapshots'] as unknown[])[0]], NextToken: 'page-2' } },
                { output: { Snapshots: [(c.output!['Snapshots'] as unknown[])[1]] } },
              ],
            }
          : c,
      )
    })
    const snap = await collect()
    expect(snap.resources.filter((x) => x.type === 'AWS::EC2::Snapshot').map((x) => x.identifier).sort()).toEqual(['snap-04d2f8a61c9e3b7d0', 'snap-0b7e4c2a9d1f63058'])
    expect(calls.filter((c) => c.command === 'DescribeSnapshots' && c.region === 'us-east-1').map((c) => c.input['NextToken'])).toEqual([undefined, 'page-2'])
  })

  it('leaves sharing unknown, not empty, when the attribute call fails', async () => {
    await mock((r) => {
      r['ec2'] = r['ec2']!.map((c) => (c.command === 'DescribeSnapshotAttribute' ? { command: c.command, error: { name: 'UnauthorizedOperation', message: 'You are not authorized to perform this operation.' } } : c))
    })
    const snap = await collect()
    expect(find(snap, 'AWS::EC2::Snapshot', 'snap-0b7e4c2a9d1f63058')?.properties['PhiWallSharedWith']).toBeUndefined()
    expect(snap.errors.map((e) => [e.service, e.operation, e.code, e.count])).toContainEqual(['ec2', 'DescribeSnapshotAttribute', 'UnauthorizedOperation', 2])
  })

  it('records calls that failed as errors and goes on', async () => {
    const snap = await collect()
    const errs = snap.errors.map((e) => [e.service, e.region, e.operation, e.resourceType ?? '', e.code])
    expect(errs).toContainEqual(['cloudcontrol', 'us-east-1', 'ListResources', 'AWS::ElastiCache::ReplicationGroup', 'UnsupportedActionException'])
    expect(errs).toContainEqual(['cloudcontrol', 'us-east-1', 'ListResources', 'AWS::SageMaker::NotebookInstance', 'TypeNotFoundException'])
    expect(errs).toContainEqual(['cloudcontrol', 'us-west-2', 'ListResources', 'AWS::SageMaker::NotebookInstance', 'TypeNotFoundException'])
    expect(errs).toContainEqual(['cloudcontrol', 'us-east-1', 'ListResources', 'AWS::Redshift::Cluster', 'AccessDeniedException'])
    expect(errs).toContainEqual(['guardduty', 'us-west-2', 'ListDetectors/GetDetector', '', 'AccessDeniedException'])
    // a secret whose list entry is the bare identifier needs GetResource, whose handler needs GetSecretValue
    expect(errs).toContainEqual(['cloudcontrol', 'us-east-1', 'GetResource', 'AWS::SecretsManager::Secret', 'AccessDeniedException'])
    // a reader beside Cloud Control that is denied costs what it reads, not the region
    expect(errs).toContainEqual(['rds', 'us-west-2', 'DescribeDBClusterSnapshots', '', 'AccessDenied'])
    expect(snap.errors).toHaveLength(7)
    // the throttled GetResource was retried, not reported
    expect(find(snap, 'AWS::DynamoDB::Table', 'clinic-prod-patients')).toBeDefined()
    expect(calls.filter((c) => c.command === 'GetResource' && c.input['TypeName'] === 'AWS::DynamoDB::Table')).toHaveLength(2)
  })

  it('gives findings through the snapshot reader, the inventory and the checks', async () => {
    const snap = await collect()
    const text = JSON.stringify(snap, null, 2)
    const located = parseJsonLocated(text, { file: 'clinic-prod.json' })
    const doc = readSnapshot(located.documents[0] as Record<string, unknown>, located, 'clinic-prod.json')
    expect(doc.diagnostics.filter((d) => d.level === 'error')).toEqual([])
    expect(doc.diagnostics.filter((d) => d.code === 'PW_ERR_AWS_API')).toHaveLength(7)
    expect(doc.diagnostics.map((d) => d.message)).toContain(
      'The collector could not call cloudcontrol:ListResources for AWS::Redshift::Cluster in us-east-1 (AccessDeniedException); AWS::Redshift::Cluster resources it would have read are not judged.',
    )
    const inventory = buildInventory([doc])
    const findings = evaluateChecks(inventory, ALL_CHECKS, { now: NOW })
    const status = (checkId: string, type: string, name: string): Finding['status'][] =>
      findings.filter((f) => f.checkId === checkId && inventory.resources.find((r) => r.id === f.resourceId && r.type === type && r.name === name)).map((f) => f.status)

    expect(status('aws/lambda-function-public-access', 'AWS::Lambda::Function', 'intake-api')).toEqual(['fail'])
    expect(status('aws/lambda-function-public-access', 'AWS::Lambda::Function', 'report-export')).toEqual(['fail'])
    expect(status('aws/lambda-function-public-access', 'AWS::Lambda::Function', 'nightly-backup-check')).toEqual(['pass'])
    expect(status('aws/s3-bucket-default-encryption-kms', 'AWS::S3::Bucket', 'clinic-legacy-uploads')).toEqual(['fail'])
    expect(status('aws/s3-bucket-default-encryption-kms', 'AWS::S3::Bucket', 'clinic-prod-exports')).toEqual(['fail'])
    expect(status('aws/s3-bucket-default-encryption-kms', 'AWS::S3::Bucket', 'clinic-prod-patient-records')).toEqual(['pass'])
    expect(status('aws/s3-bucket-public-read', 'AWS::S3::Bucket', 'clinic-prod-exports')).toContain('fail')
    expect(status('aws/lambda-env-plaintext-secrets', 'AWS::Lambda::Function', 'intake-api')).toEqual(['fail'])
    expect(status('aws/lambda-env-plaintext-secrets', 'AWS::Lambda::Function', 'report-export')).toEqual(['pass'])
    expect(status('aws/dynamodb-table-pitr', 'AWS::DynamoDB::Table', 'clinic-prod-patients')).toEqual(['fail'])
    expect(status('aws/vpc-sg-no-public-admin-ports', 'AWS::EC2::SecurityGroup', 'bastion-ssh')).toEqual(['fail'])
    expect(status('aws/vpc-sg-no-public-admin-ports', 'AWS::EC2::SecurityGroup', 'intake-api-sg')).toEqual(['pass'])
    expect(status('aws/lambda-function-url-auth', 'AWS::Lambda::Url', 'arn:aws:lambda:us-east-1:123456789012:function:report-export')).toEqual(['fail'])
    expect(status('aws/iam-policy-no-admin-access', 'AWS::IAM::Role', 'legacy-admin')).toContain('fail')
    // sharing and expiry, read beside Cloud Control (sharing.ts)
    expect(status('aws/ebs-snapshot-not-public', 'AWS::EC2::Snapshot', 'snap-0b7e4c2a9d1f63058')).toEqual(['fail'])
    expect(status('aws/ebs-snapshot-not-public', 'AWS::EC2::Snapshot', 'snap-04d2f8a61c9e3b7d0')).toEqual(['pass'])
    expect(status('aws/rds-snapshot-not-public', 'AWS::RDS::DBClusterSnapshot', 'claims-aurora-analytics-export')).toEqual(['fail'])
    expect(status('aws/rds-snapshot-not-public', 'AWS::RDS::DBSnapshot', 'intake-db-before-v2-migration')).toEqual(['pass'])
    expect(status('aws/rds-snapshot-encrypted', 'AWS::RDS::DBClusterSnapshot', 'claims-aurora-analytics-export')).toEqual(['fail'])
    expect(status('aws/ssm-document-not-public', 'AWS::SSM::Document', 'clinic-restore-patient-db')).toEqual(['fail'])
    expect(status('aws/ssm-document-not-public', 'AWS::SSM::Document', 'clinic-rotate-app-logs')).toEqual(['pass'])
    expect(status('aws/acm-certificate-expiry', 'AWS::CertificateManager::Certificate', 'portal.partner-lab.example')).toEqual(['fail'])
    expect(status('aws/acm-certificate-expiry', 'AWS::CertificateManager::Certificate', 'intake.clinic-prod.example')).toEqual(['pass'])
    expect(status('aws/igw-authorized-vpc', 'AWS::EC2::VPCGatewayAttachment', 'IGW|vpc-0123456789abcdef0')).toEqual(['manual'])
    // state at collection time (runtime.ts)
    expect(status('aws/ec2-managed-by-ssm', 'AWS::EC2::Instance', 'i-0a7c3e9f1b5d24680')).toEqual(['pass'])
    // stopped: no agent to answer, not judged (AWS Config judges running instances)
    expect(status('aws/ec2-managed-by-ssm', 'AWS::EC2::Instance', 'i-05e8b2d7f4a1c6093')).toEqual([])
    expect(status('aws/ec2-patch-compliance', 'AWS::EC2::Instance', 'i-0a7c3e9f1b5d24680')).toEqual(['fail'])
    expect(status('aws/ec2-association-compliance', 'AWS::EC2::Instance', 'i-0a7c3e9f1b5d24680')).toEqual(['pass'])
    expect(status('aws/ec2-stopped-instance', 'AWS::EC2::Instance', 'i-05e8b2d7f4a1c6093')).toEqual(['fail'])
    expect(status('aws/ec2-stopped-instance', 'AWS::EC2::Instance', 'i-0a7c3e9f1b5d24680')).toEqual(['pass'])
    expect(status('aws/vpn-two-tunnels-up', 'AWS::EC2::VPNConnection', 'vpn-0c4e8a2f6b1d39570')).toEqual(['fail'])
    expect(status('aws/dynamodb-throughput-limit', 'PhiWall::AWS::RegionSettings', 'us-east-1')).toEqual(['pass'])
    const authorized = (ids: string) => evaluateChecks(inventory, ALL_CHECKS.filter((c) => c.id === 'aws/igw-authorized-vpc'), { now: NOW, checkParams: { 'aws/igw-authorized-vpc': { authorizedVpcIds: ids } } }).map((f) => f.status)
    expect(authorized('vpc-0123456789abcdef0')).toEqual(['pass'])
    expect(authorized('vpc-0aaaaaaaaaaaaaaaa')).toEqual(['fail'])
    // live shapes do not trip any check
    expect(findings.filter((f) => f.status === 'error').map((f) => `${f.checkId} ${f.resourceId}`)).toEqual([])
    // no finding carries the plaintext secret it reports
    expect(JSON.stringify(findings)).not.toContain('Sup3rS3cret!2024')
  })
})

describe('collectAwsSnapshot failures', () => {
  const rejectSts = (name: string, message: string) => (r: Record<string, RecordedCall[]>) => {
    r['sts'] = [{ command: 'GetCallerIdentity', error: { name, message } }]
  }

  it('throws PW_ERR_AWS_CREDENTIALS when the credential chain has nothing', async () => {
    await mock(rejectSts('CredentialsProviderError', 'Could not load credentials from any providers'))
    const err = await collect().catch((e: unknown) => e)
    expect(err).toBeInstanceOf(PhiwallError)
    expect((err as PhiwallError).code).toBe('PW_ERR_AWS_CREDENTIALS')
    expect((err as PhiwallError).remediation).toMatch(/credential chain/)
  })

  it('throws PW_ERR_AWS_CREDENTIALS for an expired session', async () => {
    await mock(rejectSts('ExpiredToken', 'The security token included in the request is expired'))
    await expect(collect()).rejects.toMatchObject({ code: 'PW_ERR_AWS_CREDENTIALS' })
  })

  it('throws PW_ERR_AWS_API when STS cannot be reached', async () => {
    await mock(rejectSts('TimeoutError', 'Connection timed out after 5000 ms'))
    await expect(collect()).rejects.toMatchObject({ code: 'PW_ERR_AWS_API' })
  })

  it('rejects names that are not regions', async () => {
    await expect(collect({ regions: ['us-east-1', 'useast2'] })).rejects.toMatchObject({ code: 'PW_ERR_USAGE' })
  })

  it('takes the region from the environment when none is given', async () => {
    const before = process.env['AWS_REGION']
    process.env['AWS_REGION'] = 'us-west-2'
    try {
      const snap = await collectAwsSnapshot({ sleep: async () => undefined, now: () => NOW })
      expect(snap.regions).toEqual(['us-west-2'])
      expect(calls.find((c) => c.command === 'GetCallerIdentity')?.region).toBe('us-west-2')
    } finally {
      if (before === undefined) delete process.env['AWS_REGION']
      else process.env['AWS_REGION'] = before
    }
  })

  it('reports a credential report that never completes, and keeps the users', async () => {
    await mock((r) => {
      r['iam'] = r['iam']!.map((c) => (c.command === 'GenerateCredentialReport' ? { command: c.command, output: { State: 'INPROGRESS' } } : c))
    })
    let t = NOW.getTime()
    const snap = await collect({ now: () => new Date(t), sleep: async (ms) => void (t += ms), credentialReportTimeoutMs: 30_000 })
    expect(snap.errors.find((e) => e.operation === 'GetCredentialReport')).toMatchObject({ service: 'iam', code: 'CredentialReportTimeout' })
    expect(find(snap, 'AWS::IAM::User', 'dr.alvarez')?.properties['PhiWallCredentials']).toBeUndefined()
  })

  it('aggregates a denied GetResource into one error per type and region', async () => {
    await mock((r) => {
      r['cloudcontrol'] = r['cloudcontrol']!.map((c) =>
        c.command === 'GetResource' && (c.input?.['TypeName'] === 'AWS::Lambda::Function')
          ? { ...c, output: undefined, error: { name: 'AccessDeniedException', message: 'User: arn:aws:sts::123456789012:assumed-role/PhiWallAudit/phiwall is not authorized to perform: lambda:GetFunction' } }
          : c,
      )
    })
    const snap = await collect()
    const denied = snap.errors.filter((e) => e.operation === 'GetResource' && e.resourceType === 'AWS::Lambda::Function')
    expect(denied).toEqual([expect.objectContaining({ service: 'cloudcontrol', region: 'us-east-1', resourceType: 'AWS::Lambda::Function', code: 'AccessDeniedException', count: 3 })])
    expect(snap.resources.filter((r) => r.type === 'AWS::Lambda::Function')).toEqual([])
    // the rest of the account is still read
    expect(find(snap, 'AWS::DynamoDB::Table', 'clinic-prod-patients')).toBeDefined()
  })

  it('keeps at most the configured number of Cloud Control calls in flight per region', async () => {
    const names = Array.from({ length: 12 }, (_, i) => `fn-${i}`)
    await mock((r) => {
      r['cloudcontrol'] = [
        { command: 'ListResources', input: { TypeName: 'AWS::Lambda::Function' }, output: { ResourceDescriptions: names.map((n) => ({ Identifier: n, Properties: JSON.stringify({ FunctionName: n }) })) } },
        { command: 'ListResources', input: {}, output: { ResourceDescriptions: [] } },
        ...names.map((n) => ({
          command: 'GetResource',
          input: { TypeName: 'AWS::Lambda::Function', Identifier: n },
          // answers slowly, so calls pile up if nothing bounds them
          delayMs: 5,
          output: { TypeName: 'AWS::Lambda::Function', ResourceDescription: { Identifier: n, Properties: JSON.stringify({ FunctionName: n, Arn: `arn:aws:lambda:us-east-1:123456789012:function:${n}` }) } },
        })),
      ]
      r['lambda'] = [{ command: 'GetPolicy', error: { name: 'ResourceNotFoundException', message: 'The resource you requested does not exist.' } }]
    })
    const snap = await collect({ regions: ['us-east-1'], concurrency: 3 })
    expect(snap.resources.filter((r) => r.type === 'AWS::Lambda::Function')).toHaveLength(12)
    expect(peakInFlight('cloudcontrol', 'GetResource', 'us-east-1')).toBe(3)
  })
})
