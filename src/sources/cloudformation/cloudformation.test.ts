import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { parseTemplateText, readCloudFormation } from './index.js'
import { referencedNames } from './intrinsics.js'

function read(text: string, opts = {}) {
  const located = parseTemplateText(text, 't.yaml')
  expect(located.diagnostics.filter((d) => d.level === 'error')).toEqual([])
  return readCloudFormation(located.documents[0] as Record<string, unknown>, located, 't.yaml', opts)
}
const res = (doc: ReturnType<typeof read>, id: string) => doc.resources.find((r) => r.sourceId === id)!

describe('diagnostics never carry a value an intrinsic computed', () => {
  it('Fn::FindInMap keys from a parameter (NoEcho or not) are named by their Ref, literal keys as written', () => {
    const doc = read(`Parameters:
  DbPassword: {Type: String, NoEcho: true, Default: Zz9SuperSecretDefault}
  Stage: {Type: String, Default: prod}
Mappings:
  Retention: {prod: {days: 3653}}
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Environment:
        Variables:
          TOKEN: !FindInMap [!Ref DbPassword, a, b]
          DAYS: !FindInMap [Retention, !Ref Stage, !Join ['', [Zz9, Other]]]
          LITERAL: !FindInMap [Retention, staging, days]
`)
    const messages = doc.diagnostics.map((d) => d.message)
    expect(messages.join('\n')).not.toMatch(/Zz9/)
    expect(messages).toContainEqual(expect.stringMatching(/^Fn::FindInMap of undefined mapping \(the value of Ref DbPassword\)/))
    expect(messages).toContainEqual(expect.stringMatching(/^Fn::FindInMap key \(the value of Ref Stage\)\/\(the value of Fn::Join\) is not in mapping "Retention"/))
    expect(messages).toContainEqual(expect.stringMatching(/^Fn::FindInMap key "staging"\/"days" is not in mapping "Retention"/))
  })
})

describe('intrinsic resolution', () => {
  it('resolves parameters, pseudo parameters, Sub, Join, Select, Split and FindInMap', () => {
    const doc = read(`
Parameters:
  Stage: { Type: String, Default: prod }
  Subnets: { Type: CommaDelimitedList, Default: "subnet-a,subnet-b" }
Mappings:
  Retention: { prod: { days: 2192 }, dev: { days: 30 } }
Resources:
  Logs:
    Type: AWS::Logs::LogGroup
    Properties:
      LogGroupName: !Sub '/clinic/\${Stage}/\${AWS::Region}/\${Suffix}'
      RetentionInDays: !FindInMap [Retention, !Ref Stage, days]
      DataProtectionPolicy:
        Name: !Join ['-', [clinic, !Ref Stage, !Select [1, !Ref Subnets]]]
        Parts: !Split [',', 'a,b,c']
        Partition: !Ref AWS::Partition
`, { region: 'us-east-1' })
    const p = res(doc, 'Logs').properties
    expect(p['LogGroupName']).toEqual({ 'Fn::Sub': '/clinic/prod/us-east-1/${Suffix}' })
    expect(p['RetentionInDays']).toBe(2192)
    expect(p['DataProtectionPolicy']).toEqual({ Name: 'clinic-prod-subnet-b', Parts: ['a', 'b', 'c'], Partition: 'aws' })
    expect(doc.diagnostics.map((d) => d.code)).toEqual(['PW_ERR_UNRESOLVED_REFERENCE'])
  })

  it('evaluates conditions: drops resources whose condition is false, picks Fn::If branches, removes AWS::NoValue', () => {
    const doc = read(`
Parameters:
  Env: { Type: String, Default: prod }
  Other: { Type: String }
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsDev: !Not [!Condition IsProd]
  Unknown: !Equals [!Ref Other, x]
  ProdOrUnknown: !Or [!Condition IsProd, !Condition Unknown]
Resources:
  DevOnly:
    Type: AWS::SQS::Queue
    Condition: IsDev
  Table:
    Type: AWS::DynamoDB::Table
    Properties:
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: !If [IsProd, true, false] }
      DeletionProtectionEnabled: !If [IsDev, false, !Ref AWS::NoValue]
      TableClass: !If [Unknown, STANDARD, STANDARD_INFREQUENT_ACCESS]
      Tags: [ { Key: a, Value: b }, !If [IsDev, { Key: dev, Value: 'true' }, !Ref AWS::NoValue] ]
`)
    expect(doc.resources.map((r) => r.sourceId)).toEqual(['Table'])
    const p = res(doc, 'Table').properties
    expect(p['PointInTimeRecoverySpecification']).toEqual({ PointInTimeRecoveryEnabled: true })
    expect('DeletionProtectionEnabled' in p).toBe(false)
    expect(p['TableClass']).toEqual({ 'Fn::If': ['Unknown', 'STANDARD', 'STANDARD_INFREQUENT_ACCESS'] })
    expect(p['Tags']).toEqual([{ Key: 'a', Value: 'b' }])
  })

  it('keeps references to resources and reports references to undefined names', () => {
    const doc = read(`
Resources:
  Key: { Type: AWS::KMS::Key }
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      KmsMasterKeyId: !GetAtt Key.Arn
      RedrivePolicy: { deadLetterTargetArn: !GetAtt Missing.Arn }
      QueueName: !Ref NotAParameter
`)
    expect(res(doc, 'Queue').properties['KmsMasterKeyId']).toEqual({ 'Fn::GetAtt': ['Key', 'Arn'] })
    const msgs = doc.diagnostics.map((d) => d.message)
    expect(msgs.some((m) => m.includes('"Missing"'))).toBe(true)
    expect(msgs.some((m) => m.includes('"NotAParameter"'))).toBe(true)
    expect(doc.diagnostics.every((d) => d.line && d.line > 0)).toBe(true)
  })

  it('reports a cyclic Ref between resources and a condition that depends on itself', () => {
    const doc = read(`
Conditions:
  A: !Condition B
  B: !Condition A
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {}
      Policies: [ { PolicyName: p, PolicyDocument: { Statement: [ { Effect: Allow, Action: s3:*, Resource: !GetAtt Bucket.Arn } ] } } ]
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      ReplicationConfiguration: { Role: !GetAtt Role.Arn, Rules: [] }
  Self:
    Type: AWS::SNS::Topic
    Properties: { DisplayName: !GetAtt Self.TopicName }
`)
    const cycles = doc.diagnostics.filter((d) => d.code === 'PW_ERR_CIRCULAR_DEPENDENCY').map((d) => d.message)
    expect(cycles.some((m) => m.includes('Role → Bucket → Role'))).toBe(true)
    expect(cycles.some((m) => m.includes('Self → Self'))).toBe(true)
    expect(cycles.some((m) => m.startsWith('Condition'))).toBe(true)
    // the resources are still read
    expect(doc.resources.map((r) => r.sourceId).sort()).toEqual(['Bucket', 'Role', 'Self'])
  })

  it('reports unknown resource types and invalid resources, and keeps the rest', () => {
    const doc = read(`
Resources:
  Typo: { Type: AWS::S3::Buckett }
  NoType: { Properties: {} }
  Custom: { Type: Custom::Seed, Properties: { ServiceToken: arn:aws:lambda:us-east-1:1:function:x } }
  ThirdParty: { Type: MongoDB::Atlas::Cluster }
  Good: { Type: AWS::S3::Bucket }
`)
    expect(doc.resources.map((r) => r.sourceId).sort()).toEqual(['Custom', 'Good', 'ThirdParty'])
    const codes = doc.diagnostics.map((d) => `${d.code}:${d.line}`)
    expect(codes).toContain('PW_ERR_UNKNOWN_RESOURCE_TYPE:3')
    expect(codes.some((c) => c.startsWith('PW_ERR_TEMPLATE_INVALID'))).toBe(true)
  })

  it('reads JSON templates with lines', () => {
    const located = parseTemplateText('{\n "Resources": {\n  "B": {\n   "Type": "AWS::S3::Bucket",\n   "Properties": {\n    "VersioningConfiguration": {"Status": "Enabled"}\n   }\n  }\n }\n}', 't.json')
    const doc = readCloudFormation(located.documents[0] as Record<string, unknown>, located, 't.json')
    expect(doc.resources[0]!.line).toBe(3)
    expect(doc.resources[0]!.propLines['VersioningConfiguration']).toBe(6)
  })

  it('expands Fn::ForEach loops with a known collection', () => {
    const doc = read(`
Transform: AWS::LanguageExtensions
Resources:
  Fn::ForEach::Queues:
    - Name
    - [Intake, Billing]
    - Queue\${Name}:
        Type: AWS::SQS::Queue
        Properties: { QueueName: !Sub 'clinic-\${Name}' }
`)
    expect(doc.resources.map((r) => r.sourceId).sort()).toEqual(['QueueBilling', 'QueueIntake'])
    expect(res(doc, 'QueueIntake').properties['QueueName']).toBe('clinic-Intake')
  })

  it('never throws on random template-shaped documents (property-based)', () => {
    const intrinsic = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.string(),
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        tie('intr'),
        fc.array(tie('value'), { maxLength: 3 }),
        fc.dictionary(fc.constantFrom('A', 'B', 'Properties', 'Type', 'Ref'), tie('value'), { maxKeys: 3 }),
      ),
      intr: fc.oneof(
        fc.record({ Ref: fc.constantFrom('P', 'R', 'AWS::NoValue', 'AWS::Region', 'X') }),
        fc.record({ 'Fn::GetAtt': fc.oneof(fc.constantFrom('R.Arn', 'X.Y'), fc.array(fc.string(), { maxLength: 3 })) }),
        fc.record({ 'Fn::Sub': fc.oneof(fc.constantFrom('${P}-${R}', '${!x}', '${AWS::Region}', '${X.Y}'), fc.tuple(fc.string(), fc.dictionary(fc.string(), tie('value'), { maxKeys: 2 }))) }),
        fc.record({ 'Fn::If': fc.array(tie('value'), { maxLength: 4 }) }),
        fc.record({ 'Fn::Join': fc.array(tie('value'), { maxLength: 3 }) }),
        fc.record({ 'Fn::Select': fc.array(tie('value'), { maxLength: 3 }) }),
        fc.record({ 'Fn::FindInMap': fc.array(tie('value'), { maxLength: 4 }) }),
        fc.record({ 'Fn::Split': fc.array(tie('value'), { maxLength: 3 }) }),
      ),
    }))
    const template = fc.record({
      Parameters: fc.dictionary(fc.constantFrom('P', 'Q'), fc.oneof(fc.record({ Type: fc.constant('String'), Default: intrinsic.value }), intrinsic.value), { maxKeys: 2 }),
      Conditions: fc.dictionary(fc.constantFrom('C', 'D'), intrinsic.value, { maxKeys: 2 }),
      Mappings: fc.dictionary(fc.string(), intrinsic.value, { maxKeys: 2 }),
      Resources: fc.dictionary(fc.constantFrom('R', 'S', 'Fn::ForEach::L'), fc.oneof(intrinsic.value, fc.record({ Type: fc.constantFrom('AWS::S3::Bucket', 'AWS::Serverless::Function', 'AWS::Serverless::Api', 'X'), Properties: intrinsic.value, DependsOn: intrinsic.value, Condition: intrinsic.value })), { maxKeys: 3 }),
      Transform: fc.constantFrom('AWS::Serverless-2016-10-31', undefined),
    })
    fc.assert(
      fc.property(template, (t) => {
        const text = JSON.stringify(t)
        const located = parseTemplateText(text, 'f.json')
        const doc = readCloudFormation(located.documents[0] as Record<string, unknown>, located, 'f.json')
        expect(Array.isArray(doc.resources)).toBe(true)
      }),
      { numRuns: 1500 },
    )
  })
})

describe('structural fast path', () => {
  it('accepts only what the zod schemas accept (property-based)', async () => {
    const { quickTemplateValid, quickResourceValid, TEMPLATE_SCHEMAS } = await import('./index.js')
    const any = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.array(fc.string(), { maxLength: 2 }), fc.dictionary(fc.string({ maxLength: 3 }), fc.string(), { maxKeys: 2 }), fc.date())
    const resource = fc.record({ Type: any, Properties: any, DependsOn: any, Condition: any, Metadata: any }, { requiredKeys: [] })
    fc.assert(
      fc.property(resource, (r) => {
        if (quickResourceValid(r)) expect(TEMPLATE_SCHEMAS.resource.safeParse(r).success).toBe(true)
      }),
      { numRuns: 3000 },
    )
    const template = fc.record({ Resources: any, Parameters: any, Mappings: any, Conditions: any, Globals: any, AWSTemplateFormatVersion: any, Transform: any }, { requiredKeys: [] })
    fc.assert(
      fc.property(template, (t) => {
        if (quickTemplateValid(t as Record<string, unknown>)) expect(TEMPLATE_SCHEMAS.template.safeParse(t).success).toBe(true)
      }),
      { numRuns: 3000 },
    )
  })
})

describe('referencedNames', () => {
  /** The definition: Ref, the resource of GetAtt, the variables of Sub not bound by its map, anywhere. */
  function reference(v: unknown, out: Set<string> = new Set()): Set<string> {
    if (v === null || typeof v !== 'object') return out
    if (Array.isArray(v)) {
      for (const x of v) reference(x, out)
      return out
    }
    const obj = v as Record<string, unknown>
    const keys = Object.keys(obj)
    if (keys.length === 1 && keys[0] === 'Ref' && typeof obj['Ref'] === 'string') return out.add(obj['Ref'])
    if (keys.length === 1 && keys[0] === 'Fn::GetAtt') {
      const a = obj['Fn::GetAtt']
      const name = typeof a === 'string' ? a.split('.')[0] : Array.isArray(a) ? a[0] : undefined
      if (typeof name === 'string') out.add(name)
      return out
    }
    if (keys.length === 1 && keys[0] === 'Fn::Sub') {
      const a = obj['Fn::Sub']
      const tpl = typeof a === 'string' ? a : Array.isArray(a) ? a[0] : undefined
      const vars = Array.isArray(a) && a[1] && typeof a[1] === 'object' ? (a[1] as Record<string, unknown>) : {}
      if (typeof tpl === 'string') for (const m of tpl.matchAll(/\$\{([^}]*)\}/g)) if (!m[1]!.startsWith('!') && !(m[1]! in vars)) out.add(m[1]!.split('.')[0]!)
      reference(vars, out)
      return out
    }
    for (const x of Object.values(obj)) reference(x, out)
    return out
  }

  it('finds what the definition finds in any value (property-based)', () => {
    const name = fc.constantFrom('Bucket', 'Role', 'Fn', 'AWS::Region', 'Table.Arn')
    const value = fc.letrec((tie) => ({
      v: fc.oneof(
        { depthSize: 'small' },
        fc.constantFrom(null, 1, 'x', true),
        name.map((n) => ({ Ref: n })),
        fc.oneof(name, fc.tuple(name, fc.constantFrom('Arn', 'Name'))).map((a) => ({ 'Fn::GetAtt': a })),
        fc.tuple(fc.constantFrom('${Bucket}', 'arn:${AWS::Partition}:s3:::${Role.Arn}/${!Literal}', 'x-${Fn}-${Var}'), fc.dictionary(fc.constantFrom('Var', 'Bucket'), tie('v'), { maxKeys: 2 })).map(([t, vars]) => ({ 'Fn::Sub': Object.keys(vars).length ? [t, vars] : t })),
        fc.dictionary(fc.constantFrom('Ref', 'Fn::GetAtt', 'Fn::Sub', 'A', 'B'), tie('v'), { maxKeys: 3 }),
        fc.array(tie('v'), { maxLength: 3 }),
      ),
    })).v
    fc.assert(
      fc.property(value, (v) => {
        expect([...referencedNames(v)].sort()).toEqual([...reference(v)].sort())
      }),
      { numRuns: 3_000 },
    )
  })
})
