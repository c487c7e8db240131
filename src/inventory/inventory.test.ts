import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { collect } from '../sources/index.js'
import { buildInventory, environmentFromName, phiFromTags } from './index.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

async function clinic() {
  const c = await collect([path.join(root, 'examples/clinic-intake')])
  const inv = buildInventory(c.documents)
  const by = (sourceId: string) => inv.resources.find((r) => r.sourceId === sourceId)!
  const edge = (from: string, kind: string, to: string) => inv.edges.find((e) => e.from === by(from).id && e.to === by(to).id && e.kind === kind)
  return { inv, by, edge }
}

describe('inventory of the clinic intake example', () => {
  it('gives stable ids, kinds, names, environments, owners and source locations', async () => {
    const { inv, by } = await clinic()
    const fn = by('SubmitIntakeForm')
    expect(fn.id).toBe('aws:lambda:function:examples/clinic-intake/template.yaml#SubmitIntakeForm')
    expect(fn.kind).toBe('aws:lambda:function')
    expect(fn.name).toBe('clinic-intake-submit-prod')
    expect(fn.environment).toBe('prod')
    expect(fn.owner).toBe('intake-platform')
    const declared = fs.readFileSync(path.join(root, 'examples/clinic-intake/template.yaml'), 'utf8').split('\n').indexOf('  SubmitIntakeForm:') + 1
    expect(fn.location).toEqual({ file: 'examples/clinic-intake/template.yaml', line: declared })
    const sls = by('smsWebhook')
    expect(sls.sourceId).toBe('smsWebhook')
    expect(sls.origin).toBe('serverless')
    expect(sls.owner).toBe('patient-messaging')
    expect(sls.environment).toBe('prod')
    // ids are unique
    expect(new Set(inv.resources.map((r) => r.id)).size).toBe(inv.resources.length)
  })

  it('declares edges: API route → function, queue → function, function → stores from IAM and environment', async () => {
    const { edge } = await clinic()
    expect(edge('IntakeApi', 'invokes', 'SubmitIntakeForm')?.evidence).toBe('route POST /forms')
    expect(edge('IntakeQueue', 'triggers', 'ProcessIntake')).toBeDefined()
    expect(edge('SubmitIntakeForm', 'writes', 'PatientsTable')?.evidence).toMatch(/^IAM dynamodb:/)
    expect(edge('SubmitIntakeForm', 'writes', 'IntakeQueue')).toBeDefined()
    expect(edge('ExportForPartners', 'writes', 'PartnerExportBucket')).toBeDefined()
    expect(edge('ExportForPartners', 'reads', 'PartnerExportBucket')).toBeUndefined()
    expect(edge('ExportForPartnersNightly', 'triggers', 'ExportForPartners')).toBeDefined()
    expect(edge('HttpApi', 'invokes', 'smsWebhook')).toBeDefined()
    expect(edge('smsWebhook', 'uses', 'RemindersTable')?.evidence).toBe('environment variable REMINDERS_TABLE')
    expect(edge('AuditTrail', 'writes', 'AuditLogsBucket')).toBeDefined()
  })

  it('classifies PHI from tags and along edges, with evidence', async () => {
    const { by } = await clinic()
    expect(by('PatientsTable').holdsPhi).toBe('yes')
    expect(by('PatientsTable').evidence.phi[0]).toEqual({ source: 'tag', detail: 'tag data-classification=phi' })
    const submit = by('SubmitIntakeForm')
    expect(submit.holdsPhi).toBe('yes')
    expect(submit.evidence.phi[0]!.source).toBe('edge')
    expect(by('IntakeApi').holdsPhi).toBe('yes') // it invokes a function that handles PHI
    expect(by('PartnerExportBucket').holdsPhi).toBe('yes') // written by a PHI workload
    expect(by('PhiKey').holdsPhi).toBe('unknown') // keys do not hold data
  })
})

describe('classification helpers', () => {
  it('reads PHI declarations from tags', () => {
    expect(phiFromTags({ 'data-classification': 'phi' })?.state).toBe('yes')
    expect(phiFromTags({ DataClassification: 'Restricted-PHI' })?.state).toBe('yes')
    expect(phiFromTags({ hipaa: 'true' })?.state).toBe('yes')
    expect(phiFromTags({ 'contains-phi': 'no' })?.state).toBe('no')
    expect(phiFromTags({ classification: 'public' })?.state).toBe('no')
    expect(phiFromTags({ classification: 'confidential' })).toBeUndefined()
    expect(phiFromTags({ team: 'phi-team' })).toBeUndefined()
  })
  it('reads environments from names', () => {
    expect(environmentFromName('clinic-prod-intake')).toBe('prod')
    expect(environmentFromName('patients_dev')).toBe('dev')
    expect(environmentFromName('intakeStagingQueue')).toBe('staging')
    expect(environmentFromName('product-catalog')).toBeUndefined()
    expect(environmentFromName('dev-to-prod-sync')).toBeUndefined()
  })
})

describe('live snapshot references', () => {
  it('links resources that refer to each other by EC2 ids', async () => {
    const { readSnapshot, parseJsonLocated } = await import('../sources/index.js')
    const snap = {
      kind: 'phiwall-aws-snapshot', schemaVersion: 1, collectedAt: '2026-11-20T00:00:00Z', account: '123456789012', regions: ['us-east-1'], errors: [],
      resources: [
        { type: 'AWS::EC2::SecurityGroup', identifier: 'sg-0123456789abcdef0', region: 'us-east-1', properties: { GroupName: 'fn', GroupDescription: 'x', VpcId: 'vpc-0123456789abcdef0' } },
        { type: 'AWS::Lambda::Function', identifier: 'intake', region: 'us-east-1', arn: 'arn:aws:lambda:us-east-1:123456789012:function:intake', properties: { FunctionName: 'intake', VpcConfig: { SecurityGroupIds: ['sg-0123456789abcdef0'], SubnetIds: ['subnet-0123456789abcdef0'] } } },
        { type: 'AWS::Logs::LogGroup', identifier: '/aws/lambda/intake', region: 'us-east-1', properties: { LogGroupName: '/aws/lambda/intake' } },
        { type: 'AWS::Logs::SubscriptionFilter', identifier: 'f', region: 'us-east-1', properties: { LogGroupName: '/aws/lambda/intake', DestinationArn: 'arn:aws:lambda:us-east-1:123456789012:function:intake' } },
      ],
    }
    const text = JSON.stringify(snap)
    const doc = readSnapshot(snap, parseJsonLocated(text, { file: 's.json' }), 's.json')
    const inv = buildInventory([doc])
    const kinds = inv.edges.map((e) => `${e.from.split('#')[1]} ${e.kind} ${e.to.split('#')[1]}`)
    expect(kinds).toContain('intake placed-in sg-0123456789abcdef0')
    expect(kinds).toContain('/aws/lambda/intake triggers intake')
  })
})

describe('virtual machines', () => {
  it('an EC2 instance acts with the role of its instance profile: its data access becomes edges, and PHI follows them', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phiwall-vm-'))
    fs.writeFileSync(
      path.join(dir, 'template.yaml'),
      [
        "AWSTemplateFormatVersion: '2010-09-09'",
        'Resources:',
        '  Archive:',
        '    Type: AWS::S3::Bucket',
        '    Properties:',
        '      Tags: [{ Key: data-classification, Value: phi }]',
        '  EngineRole:',
        '    Type: AWS::IAM::Role',
        '    Properties:',
        '      AssumeRolePolicyDocument: { Version: "2012-10-17", Statement: [{ Effect: Allow, Principal: { Service: ec2.amazonaws.com }, Action: sts:AssumeRole }] }',
        '      Policies:',
        '        - PolicyName: archive',
        '          PolicyDocument: { Version: "2012-10-17", Statement: [{ Effect: Allow, Action: [s3:PutObject], Resource: !Sub "${Archive.Arn}/*" }] }',
        '  EngineProfile:',
        '    Type: AWS::IAM::InstanceProfile',
        '    Properties: { Roles: [!Ref EngineRole] }',
        '  Engine:',
        '    Type: AWS::EC2::Instance',
        '    Properties: { ImageId: ami-0c55b159cbfafe1f0, InstanceType: m6i.large, IamInstanceProfile: !Ref EngineProfile }',
      ].join('\n') + '\n',
    )
    const c = await collect([dir])
    const inv = buildInventory(c.documents)
    const by = (sourceId: string) => inv.resources.find((r) => r.sourceId === sourceId)!
    expect(inv.edges.find((e) => e.from === by('Engine').id && e.to === by('Archive').id)).toMatchObject({ kind: 'writes' })
    expect(by('Engine').holdsPhi).toBe('yes')
    expect(by('Engine').evidence.phi[0]).toMatchObject({ source: 'edge', from: by('Archive').id })
  })

  it('a SAM policy template with a literal name links the function to the store, and PHI follows', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phiwall-sam-literal-'))
    fs.writeFileSync(
      path.join(dir, 'template.yaml'),
      [
        "AWSTemplateFormatVersion: '2010-09-09'",
        'Transform: AWS::Serverless-2016-10-31',
        'Resources:',
        '  Uploads:',
        '    Type: AWS::S3::Bucket',
        '    Properties: { BucketName: clinic-uploads-prod, Tags: [{ Key: data-classification, Value: phi }] }',
        '  Patients:',
        '    Type: AWS::DynamoDB::Table',
        '    Properties: { TableName: clinic-patients, KeySchema: [{ AttributeName: id, KeyType: HASH }], AttributeDefinitions: [{ AttributeName: id, AttributeType: S }], BillingMode: PAY_PER_REQUEST }',
        '  Reader:',
        '    Type: AWS::Serverless::Function',
        '    Properties:',
        '      Runtime: nodejs20.x',
        '      Handler: index.handler',
        '      CodeUri: s3://artifacts/reader.zip',
        '      Policies:',
        '        - S3ReadPolicy: { BucketName: clinic-uploads-prod }',
        '        - DynamoDBCrudPolicy: { TableName: clinic-patients }',
      ].join('\n') + '\n',
    )
    const c = await collect([dir])
    const inv = buildInventory(c.documents)
    const by = (sourceId: string) => inv.resources.find((r) => r.sourceId === sourceId)!
    expect(inv.edges.find((e) => e.from === by('Reader').id && e.to === by('Uploads').id)).toMatchObject({ kind: 'reads' })
    expect(inv.edges.filter((e) => e.from === by('Reader').id && e.to === by('Patients').id).map((e) => e.kind).sort()).toEqual(['reads', 'writes'])
    expect(by('Reader').holdsPhi).toBe('yes')
  })
})

describe('names across files', () => {
  it('an AWS resource declared without a physical name is not named by its logical id in another file; a declared name is', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phiwall-names-'))
    fs.writeFileSync(path.join(dir, 'a.yaml'), "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Records:\n    Type: AWS::S3::Bucket\n  Named:\n    Type: AWS::S3::Bucket\n    Properties: { BucketName: clinic-named }\n")
    fs.writeFileSync(
      path.join(dir, 'b.yaml'),
      [
        "AWSTemplateFormatVersion: '2010-09-09'",
        'Resources:',
        '  Reader:',
        '    Type: AWS::Lambda::Function',
        '    Properties:',
        '      Runtime: nodejs22.x',
        '      Handler: index.handler',
        '      Code: { ZipFile: x }',
        '      Role: arn:aws:iam::111122223333:role/reader',
        '      Environment: { Variables: { RECORDS_BUCKET: Records, NAMED_BUCKET: clinic-named } }',
        '  Policy:',
        '    Type: AWS::S3::BucketPolicy',
        '    Properties:',
        '      Bucket: Records',
        "      PolicyDocument: { Statement: [{ Effect: Deny, Principal: '*', Action: 's3:*', Resource: ['arn:aws:s3:::Records/*'] }] }",
      ].join('\n') + '\n',
    )
    const c = await collect([dir])
    const inv = buildInventory(c.documents)
    const by = (file: string, sourceId: string) => inv.resources.find((r) => r.sourceId === sourceId && r.location.file.endsWith(file))!
    const into = (id: string) => inv.edges.filter((e) => e.to === id).map((e) => `${e.kind} ${e.from.split('#').pop()}`)
    // CloudFormation would name a.yaml's Records `a-Records-1A2B3C`: nothing in b.yaml reaches it
    expect(into(by('a.yaml', 'Records').id)).toEqual([])
    expect(into(by('a.yaml', 'Named').id).length).toBeGreaterThan(0)
    // in its own template a literal logical id is a lost `!Ref` (JSON converted without its intrinsics)
    fs.writeFileSync(path.join(dir, 'a.yaml'), "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Records:\n    Type: AWS::S3::Bucket\n  Policy:\n    Type: AWS::S3::BucketPolicy\n    Properties: { Bucket: Records, PolicyDocument: { Statement: [] } }\n")
    const again = buildInventory((await collect([dir])).documents)
    const own = again.resources.find((r) => r.sourceId === 'Records' && r.location.file.endsWith('a.yaml'))!
    expect(again.edges.filter((e) => e.to === own.id).map((e) => `${e.kind} ${e.from.split('/').pop()}`)).toEqual(['attached a.yaml#Policy'])
    fs.rmSync(dir, { recursive: true })
  })
})

describe('snapshots in an account snapshot', () => {
  it('take PHI from the database or volume they copy, along a writes edge', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phiwall-snapinv-'))
    const file = path.join(dir, 'acct.json')
    const res = (type: string, identifier: string, properties: Record<string, unknown>) => ({ type, identifier, region: 'us-east-1', properties })
    fs.writeFileSync(
      file,
      JSON.stringify({
        kind: 'phiwall-aws-snapshot',
        schemaVersion: 1,
        collectedAt: '2026-11-20T10:00:00Z',
        account: '111122223333',
        regions: ['us-east-1'],
        resources: [
          res('AWS::RDS::DBInstance', 'intake-db', { DBInstanceIdentifier: 'intake-db', Engine: 'postgres', Tags: [{ Key: 'data-classification', Value: 'phi' }] }),
          res('AWS::RDS::DBSnapshot', 'intake-db-before-migration', { DBSnapshotIdentifier: 'intake-db-before-migration', DBInstanceIdentifier: 'intake-db', PhiWallSharedWith: [] }),
          res('AWS::RDS::DBInstance', 'wiki-db', { DBInstanceIdentifier: 'wiki-db', Engine: 'mysql', Tags: [{ Key: 'data-classification', Value: 'internal' }] }),
          res('AWS::RDS::DBSnapshot', 'wiki-db-weekly', { DBSnapshotIdentifier: 'wiki-db-weekly', DBInstanceIdentifier: 'wiki-db', PhiWallSharedWith: [] }),
          res('AWS::EC2::Snapshot', 'snap-0b7e4c2a9d1f63058', { SnapshotId: 'snap-0b7e4c2a9d1f63058', VolumeId: 'vol-0c4a9e1b7d3f26a85', Tags: [{ Key: 'data-classification', Value: 'phi' }] }),
        ],
        errors: [],
      }),
    )
    const inv = buildInventory((await collect([file], {})).documents)
    const byName = (n: string) => inv.resources.find((r) => r.name === n)!
    expect(byName('intake-db-before-migration')).toMatchObject({ kind: 'aws:rds:db-snapshot', holdsPhi: 'yes' })
    expect(byName('intake-db-before-migration').evidence.phi[0]).toMatchObject({ source: 'edge', from: byName('intake-db').id })
    expect(inv.edges).toContainEqual(expect.objectContaining({ from: byName('intake-db').id, to: byName('intake-db-before-migration').id, kind: 'writes', evidence: 'manual DB snapshot' }))
    expect(byName('wiki-db-weekly').holdsPhi).not.toBe('yes')
    // an EBS snapshot by its own tags
    expect(byName('snap-0b7e4c2a9d1f63058')).toMatchObject({ kind: 'aws:ec2:snapshot', holdsPhi: 'yes' })
  })
})
