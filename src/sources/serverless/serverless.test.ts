import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { parseYamlLocated } from '../located/index.js'
import { readServerless } from './index.js'

function read(text: string, opts = {}) {
  const located = parseYamlLocated(text, { file: 'serverless.yml', tags: 'cloudformation', schema: 'core' })
  expect(located.diagnostics).toEqual([])
  const doc = readServerless(located.documents[0] as Record<string, unknown>, located, 'serverless.yml', opts)
  return { doc, get: (id: string) => doc.resources.find((r) => r.sourceId === id) }
}

const SERVICE = `
service: clinic-api
provider:
  name: aws
  runtime: nodejs20.x
  stage: \${opt:stage, 'dev'}
  region: eu-west-1
  environment:
    TABLE: \${self:service}-\${sls:stage}-patients
    API_KEY: \${ssm:/clinic/\${sls:stage}/api-key}
    FROM_ENV: \${env:HOME, 'fallback'}
  iam:
    role:
      statements:
        - Effect: Allow
          Action: [dynamodb:GetItem, dynamodb:PutItem]
          Resource: !GetAtt PatientsTable.Arn
  logs:
    restApi: true
  tracing:
    apiGateway: true
    lambda: true
custom:
  sizes: { prod: 1024, dev: 256 }
functions:
  get-patient:
    handler: src/get.handler
    memorySize: \${self:custom.sizes.\${sls:stage}}
    events:
      - http:
          path: patients/{id}
          method: get
          authorizer: aws_iam
  create_patient:
    handler: src/create.handler
    events:
      - http: POST patients
      - sqs: { arn: !GetAtt IntakeQueue.Arn, batchSize: 5 }
  webhook:
    handler: src/hook.handler
    url: true
    events:
      - httpApi: 'POST /hooks/sms'
      - schedule: rate(5 minutes)
      - s3: { bucket: clinic-uploads, event: 's3:ObjectCreated:*' }
resources:
  Resources:
    PatientsTable:
      Type: AWS::DynamoDB::Table
      Properties:
        TableName: \${self:provider.environment.TABLE}
        BillingMode: PAY_PER_REQUEST
        KeySchema: [ { AttributeName: id, KeyType: HASH } ]
        AttributeDefinitions: [ { AttributeName: id, AttributeType: S } ]
    IntakeQueue:
      Type: AWS::SQS::Queue
    ApiGatewayRestApi:
      Properties:
        Description: merged into the generated API
`

describe('serverless.yml', () => {
  it('resolves static variables, keeps deploy-time ones and never reads the scanner environment', () => {
    const { doc, get } = read(SERVICE, { stage: 'prod' })
    const fn = get('get-patient')!
    expect(fn.type).toBe('AWS::Lambda::Function')
    expect(fn.properties['MemorySize']).toBe(1024)
    const env = (fn.properties['Environment'] as { Variables: Record<string, unknown> }).Variables
    expect(env['TABLE']).toBe('clinic-api-prod-patients')
    expect(env['API_KEY']).toBe('${ssm:/clinic/prod/api-key}')
    expect(env['FROM_ENV']).toBe('fallback')
    expect(doc.context.stage).toBe('prod')
    const warnings = doc.diagnostics.filter((d) => d.code === 'PW_ERR_SERVERLESS_VARIABLE')
    expect(warnings.some((d) => d.message.includes('ssm'))).toBe(true)
    expect(get('PatientsTable')!.properties['TableName']).toBe('clinic-api-prod-patients')
    // each warning names the line of the value that holds the variable, not its section's
    const lines = SERVICE.split('\n')
    for (const w of warnings) {
      const expr = /Variable (\$\{[^}]*\})/.exec(w.message)![1]!
      expect(lines[w.line! - 1], w.message).toContain(expr.slice(0, 12))
    }
  })

  it('compiles functions, the execution role, REST and HTTP APIs and event sources as the framework does', () => {
    const { doc, get } = read(SERVICE, { stage: 'prod' })
    expect(doc.diagnostics.filter((d) => d.level === 'error')).toEqual([])
    const ids = doc.resources.map((r) => r.sourceId)
    for (const id of ['IamRoleLambdaExecution', 'ServerlessDeploymentBucket', 'ApiGatewayRestApi', 'ApiGatewayStage', 'HttpApi', 'HttpApiStage', 'create_patient', 'webhook', 'GetDashpatientLogGroup', 'S3BucketClinicuploads']) {
      expect(ids, id).toContain(id)
    }
    expect(get('get-patient')!.properties['FunctionName']).toBe('clinic-api-prod-get-patient')
    const methods = doc.resources.filter((r) => r.type === 'AWS::ApiGateway::Method')
    expect(methods.map((m) => `${m.properties['HttpMethod']} ${m.properties['AuthorizationType']}`).sort()).toEqual(['GET AWS_IAM', 'POST NONE'])
    const role = get('IamRoleLambdaExecution')!
    const statements = JSON.stringify(role.properties['Policies'])
    expect(statements).toContain('dynamodb:PutItem')
    expect(statements).toContain('sqs:ReceiveMessage')
    expect(get('ApiGatewayRestApi')!.properties['Description']).toBe('merged into the generated API')
    expect(get('ApiGatewayStage')!.properties['TracingEnabled']).toBe(true)
    expect(get('ApiGatewayStage')!.properties['AccessLogSetting']).toBeDefined()
    expect(get('WebhookLambdaFunctionUrl')!.properties['AuthType']).toBe('NONE')
    expect(doc.resources.find((r) => r.type === 'AWS::ApiGatewayV2::Route')!.properties['RouteKey']).toBe('POST /hooks/sms')
    expect(get('create_patient')!.properties['TracingConfig']).toEqual({ Mode: 'Active' })
    // generated resources name the declaration they come from and carry its line
    expect(get('IamRoleLambdaExecution')!.generatedFrom).toBe('provider.iam.role')
    expect(get('get-patient')!.line).toBe(26)
  })

  it('defaults the stage to provider.stage, then dev', () => {
    expect(read(SERVICE).doc.context.stage).toBe('dev')
    const { doc } = read(`service: s\nprovider: { name: aws, stage: staging }\nfunctions: { f: { handler: h.h } }\n`)
    expect(doc.context.stage).toBe('staging')
  })

  it('skips other providers with a warning, and reports invalid services', () => {
    const google = read(`service: s\nprovider: { name: google }\nfunctions: { f: { handler: h } }\n`).doc
    expect(google.resources).toEqual([])
    expect(google.diagnostics[0]!.level).toBe('warning')
    const located = parseYamlLocated(`service: [not, a, name]\nprovider: { name: aws }\n`, { file: 'serverless.yml' })
    const bad = readServerless(located.documents[0] as Record<string, unknown>, located, 'serverless.yml')
    expect(bad.diagnostics[0]).toMatchObject({ code: 'PW_ERR_SERVERLESS_INVALID', level: 'error', line: 1 })
  })

  it('never throws on random serverless-shaped documents (property-based)', () => {
    const leaf = fc.oneof(fc.string(), fc.constantFrom('${self:service}', '${opt:stage, "x"}', '${sls:stage}', '${ssm:/a/${sls:stage}}', '${file(./x.yml):y}', '${self:${self:a}}', '${'), fc.integer(), fc.boolean(), fc.constant(null))
    const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({ v: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('v'), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 8 }), tie('v'), { maxKeys: 3 })) })).v
    const event = fc.oneof(
      fc.record({ http: fc.oneof(fc.string(), fc.record({ path: leaf, method: leaf, authorizer: value })) }),
      fc.record({ httpApi: value }),
      fc.record({ s3: value }),
      fc.record({ sqs: value }),
      fc.record({ sns: value }),
      fc.record({ schedule: value }),
      fc.record({ stream: value }),
      fc.record({ websocket: value }),
    )
    const doc = fc.record({
      service: fc.oneof(fc.string(), leaf),
      provider: fc.record({ name: fc.constant('aws'), stage: leaf, environment: value, iam: value, vpc: value, tracing: value, logs: value }),
      functions: fc.dictionary(fc.string({ minLength: 1, maxLength: 10 }), fc.record({ handler: leaf, events: fc.array(event, { maxLength: 4 }), url: value, vpc: value, environment: value }), { maxKeys: 3 }),
      resources: fc.oneof(value, fc.record({ Resources: fc.dictionary(fc.string({ maxLength: 6 }), value, { maxKeys: 3 }) })),
      custom: value,
      layers: value,
    })
    fc.assert(
      fc.property(doc, (d) => {
        const located = parseYamlLocated(JSON.stringify(d), { file: 'serverless.yml', tags: 'cloudformation', schema: 'core' })
        const out = readServerless(located.documents[0] as Record<string, unknown>, located, 'serverless.yml')
        expect(Array.isArray(out.resources)).toBe(true)
      }),
      { numRuns: 1000 },
    )
  })

  it('names a whole section written as a variable instead of calling it invalid input', () => {
    const { doc } = read('service: svc\nprovider:\n  name: aws\n  runtime: nodejs20.x\nfunctions: ${file(serverless-resources/functions.yaml)}\n')
    expect(doc.diagnostics.map((d) => `${d.code} L${d.line} ${d.message}`)).toEqual([
      expect.stringMatching(/^PW_ERR_SERVERLESS_INVALID L5 serverless\.yml section functions is invalid in .*: it is the variable \$\{file\(serverless-resources\/functions\.yaml\)\}, which PhiWall does not expand for a whole section/),
    ])
  })
})

