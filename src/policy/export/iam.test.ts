import { describe, expect, it } from 'vitest'
import type { ExportResult, ObservedApiCall, WorkloadIdentity } from '../types.js'
import { type IamPolicyDocument, MANAGED_POLICY_LIMIT, exportIam } from './iam.js'
import { CLINIC_IDS, clinic, emptySet, k8s, reordered, withWorkload } from './testdata/fixtures.js'

const notesOf = (r: ExportResult, id: string): string => r.notes.filter((n) => n.workload === id).map((n) => n.message).join('\n')
const fn = (name: string, extra: Partial<WorkloadIdentity> = {}): WorkloadIdentity => ({ id: `aws:lambda:${name}`, kind: 'function', name, resourceId: `arn:aws:lambda:eu-west-1:210987654321:function:${name}`, ...extra })
const call = (service: string, action: string, resources: string[]): ObservedApiCall => ({ service, action, resources, count: 1, lastSeen: 1 })

describe('IAM exporter on the clinic policy', () => {
  const result = exportIam(clinic())
  const doc = JSON.parse(result.files[0]!.content) as IamPolicyDocument

  it('writes one policy document per function with observed calls', () => {
    expect(result.format).toBe('iam')
    expect(result.files.map((f) => [f.path, f.workloads])).toEqual([['claims-export.iam.json', [CLINIC_IDS.claimsExport]]])
    expect(doc.Version).toBe('2012-10-17')
    expect(result.files[0]!.content.endsWith('}\n')).toBe(true)
  })

  it('groups actions per service by identical resource sets, sorted, resources exactly as observed', () => {
    expect(doc.Statement).toEqual([
      { Sid: 'Dynamodb', Effect: 'Allow', Action: ['dynamodb:PutItem', 'dynamodb:UpdateItem'], Resource: ['arn:aws:dynamodb:us-east-1:123456789012:table/claims-export-runs'] },
      { Sid: 'Dynamodb2', Effect: 'Allow', Action: ['dynamodb:Query'], Resource: ['arn:aws:dynamodb:us-east-1:123456789012:table/claims', 'arn:aws:dynamodb:us-east-1:123456789012:table/claims/index/by-patient'] },
      { Sid: 'Kms', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: ['arn:aws:kms:us-east-1:123456789012:key/2f6c1a9e-3b7d-4c8e-9f0a-1b2c3d4e5f60'] },
      { Sid: 'S3', Effect: 'Allow', Action: ['s3:PutObject'], Resource: ['arn:aws:s3:::clinic-claims-batches/outbound/*'] },
      { Sid: 'Sts', Effect: 'Allow', Action: ['sts:GetCallerIdentity'], Resource: ['*'] },
      {
        Sid: 'PhiwallInfraLambdaLogs',
        Effect: 'Allow',
        Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: ['arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/claims-export', 'arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/claims-export:*'],
      },
    ])
  })

  it('uses * only where the observed resource is *', () => {
    for (const s of doc.Statement) if (s.Resource.includes('*')) expect(s.Action).toEqual(['sts:GetCallerIdentity'])
    for (const s of doc.Statement) expect(s.Action.some((a) => a.includes('*'))).toBe(false)
  })

  it('notes functions without observed calls, the VPC execution role and the observation window', () => {
    expect(notesOf(result, CLINIC_IDS.faxIngest)).toBe('no API calls observed; keep the current role and collect CloudTrail')
    expect(notesOf(result, CLINIC_IDS.claimsExport)).toMatch(/AWSLambdaVPCAccessExecutionRole/)
    expect(notesOf(result, CLINIC_IDS.claimsExport)).toMatch(/least privilege from 8 observed call record\(s\)/)
  })

  it('is deterministic whatever order the calls were observed in', () => {
    expect(exportIam(reordered(clinic()))).toEqual(result)
  })
})

describe('IAM exporter edge cases', () => {
  it('writes nothing for an empty policy', () => {
    expect(exportIam(emptySet())).toEqual({ format: 'iam', files: [], notes: [] })
  })

  it('merges the resources of repeated calls, and collapses to * when a call was observed on *', () => {
    const set = withWorkload(emptySet(), fn('merge'))
    set.apiCalls['aws:lambda:merge'] = [call('sqs', 'SendMessage', ['arn:aws:sqs:eu-west-1:210987654321:b']), call('sqs', 'SendMessage', ['arn:aws:sqs:eu-west-1:210987654321:a']), call('sqs', 'ListQueues', ['*']), call('sqs', 'ListQueues', ['arn:aws:sqs:eu-west-1:210987654321:a'])]
    const d = JSON.parse(exportIam(set).files[0]!.content) as IamPolicyDocument
    expect(d.Statement.filter((s) => s.Sid.startsWith('Sqs'))).toEqual([
      { Sid: 'Sqs', Effect: 'Allow', Action: ['sqs:ListQueues'], Resource: ['*'] },
      { Sid: 'Sqs2', Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: ['arn:aws:sqs:eu-west-1:210987654321:a', 'arn:aws:sqs:eu-west-1:210987654321:b'] },
    ])
  })

  it('grants nothing for invalid actions, non-ARN resources or calls without resources, and says so', () => {
    const set = withWorkload(emptySet(), fn('bad'))
    set.apiCalls['aws:lambda:bad'] = [call('s3', 'Get*', ['arn:aws:s3:::b/*']), call('S3!', 'GetObject', ['arn:aws:s3:::b/*']), call('s3', 'GetObject', ['bucket/key']), call('dynamodb', 'GetItem', [])]
    const r = exportIam(set)
    expect(r.files).toEqual([])
    const notes = notesOf(r, 'aws:lambda:bad')
    expect(notes).toMatch(/"s3:Get\*" is not a valid IAM action/)
    expect(notes).toMatch(/"S3!:GetObject" is not a valid IAM action/)
    expect(notes).toMatch(/s3:GetObject: resource "bucket\/key" is not an ARN/)
    expect(notes).toMatch(/dynamodb:GetItem: observed without a usable resource/)
    expect(notes).toMatch(/no usable API calls observed; keep the current role/)
  })

  it('leaves out the logs statement and says so when the function ARN is unknown', () => {
    const set = withWorkload(emptySet(), fn('anon', { resourceId: undefined }))
    set.apiCalls['aws:lambda:anon'] = [call('s3', 'GetObject', ['arn:aws:s3:::b/*'])]
    const r = exportIam(set)
    const d = JSON.parse(r.files[0]!.content) as IamPolicyDocument
    expect(d.Statement.map((s) => s.Sid)).toEqual(['S3'])
    expect(notesOf(r, 'aws:lambda:anon')).toMatch(/keep AWSLambdaBasicExecutionRole attached/)
  })

  it('takes the function ARN CloudTrail showed when the inventory gives none', () => {
    const set = withWorkload(emptySet(), fn('clinic-intake-process-prod', { resourceId: 'aws:lambda:function:template.yaml#ProcessIntake' }))
    set.apiCalls['aws:lambda:clinic-intake-process-prod'] = [{ ...call('s3', 'GetObject', ['arn:aws:s3:::b/*']), functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:clinic-intake-process-prod' }]
    const r = exportIam(set)
    const d = JSON.parse(r.files[0]!.content) as IamPolicyDocument
    expect(d.Statement.at(-1)).toEqual({
      Sid: 'PhiwallInfraLambdaLogs',
      Effect: 'Allow',
      Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: ['arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/clinic-intake-process-prod', 'arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/clinic-intake-process-prod:*'],
    })
    expect(notesOf(r, 'aws:lambda:clinic-intake-process-prod')).not.toMatch(/keep AWSLambdaBasicExecutionRole/)
  })

  it('scopes the logs statement by partition, region and account, without the alias qualifier', () => {
    const set = withWorkload(emptySet(), fn('gov', { resourceId: 'arn:aws-us-gov:lambda:us-gov-west-1:111122223333:function:gov:live' }))
    set.apiCalls['aws:lambda:gov'] = [call('s3', 'GetObject', ['arn:aws-us-gov:s3:::b/*'])]
    const d = JSON.parse(exportIam(set).files[0]!.content) as IamPolicyDocument
    expect(d.Statement.at(-1)?.Resource).toEqual(['arn:aws-us-gov:logs:us-gov-west-1:111122223333:log-group:/aws/lambda/gov', 'arn:aws-us-gov:logs:us-gov-west-1:111122223333:log-group:/aws/lambda/gov:*'])
  })

  it('notes alert mode, learn mode, oversize policies and API calls of non-functions', () => {
    const set = withWorkload(withWorkload(withWorkload(emptySet(), fn('alerting'), { mode: 'alert' }), fn('learning'), { mode: 'learn' }), k8s('api'))
    set.apiCalls['aws:lambda:alerting'] = Array.from({ length: 120 }, (_, i) => call('dynamodb', 'GetItem', [`arn:aws:dynamodb:eu-west-1:210987654321:table/t-${String(i).padStart(3, '0')}-${'x'.repeat(40)}`]))
    set.apiCalls['aws:lambda:learning'] = [call('s3', 'GetObject', ['arn:aws:s3:::b/*'])]
    set.apiCalls['k8s:clinic/api'] = [call('s3', 'GetObject', ['arn:aws:s3:::b/*'])]
    const r = exportIam(set)
    expect(r.files.map((f) => f.path)).toEqual(['alerting.iam.json'])
    expect(notesOf(r, 'aws:lambda:alerting')).toMatch(/IAM has no audit mode; attaching this policy enforces it/)
    expect(notesOf(r, 'aws:lambda:alerting')).toMatch(new RegExp(`more than a managed policy may hold \\(${MANAGED_POLICY_LIMIT}\\)`))
    expect(notesOf(r, 'aws:lambda:learning')).toMatch(/mode is 'learn'/)
    expect(notesOf(r, 'k8s:clinic/api')).toMatch(/covers Lambda functions only/)
  })
})
