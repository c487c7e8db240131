import { describe, expect, it } from 'vitest'
import { lineOfProperty } from '../located/index.js'
import { parseTemplateText, readCloudFormation } from './index.js'

function sam(text: string) {
  const located = parseTemplateText(`Transform: AWS::Serverless-2016-10-31\n${text}`, 'sam.yaml')
  const doc = readCloudFormation(located.documents[0] as Record<string, unknown>, located, 'sam.yaml')
  return { doc, get: (id: string) => doc.resources.find((r) => r.sourceId === id), types: () => doc.resources.map((r) => `${r.sourceId}:${r.type}`).sort() }
}

describe('SAM expansion', () => {
  it('turns a function with Api, SQS, S3 and Schedule events into the resources SAM generates', () => {
    const { doc, get, types } = sam(`
Globals:
  Function:
    Runtime: python3.12
    Tracing: Active
    Environment: { Variables: { STAGE: prod } }
Resources:
  Uploads: { Type: AWS::S3::Bucket }
  Jobs: { Type: AWS::SQS::Queue }
  Handler:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      CodeUri: s3://artifacts/handler.zip
      Environment: { Variables: { TABLE: patients } }
      Policies:
        - DynamoDBReadPolicy: { TableName: patients }
        - AWSLambdaBasicExecutionRole
        - Statement: [ { Effect: Allow, Action: s3:GetObject, Resource: '*' } ]
      Events:
        Get: { Type: Api, Properties: { Path: '/patients/{id}', Method: get } }
        Work: { Type: SQS, Properties: { Queue: !GetAtt Jobs.Arn, BatchSize: 5 } }
        Upload: { Type: S3, Properties: { Bucket: !Ref Uploads, Events: s3:ObjectCreated:* } }
        Nightly: { Type: Schedule, Properties: { Schedule: rate(1 day) } }
`)
    expect(doc.diagnostics.filter((d) => d.level === 'error')).toEqual([])
    expect(types()).toEqual(
      expect.arrayContaining([
        'Handler:AWS::Lambda::Function',
        'HandlerRole:AWS::IAM::Role',
        'ServerlessRestApi:AWS::ApiGateway::RestApi',
        'ServerlessRestApiProdStage:AWS::ApiGateway::Stage',
        'HandlerGetPermissionProd:AWS::Lambda::Permission',
        'HandlerWork:AWS::Lambda::EventSourceMapping',
        'HandlerUploadPermission:AWS::Lambda::Permission',
        'HandlerNightly:AWS::Events::Rule',
        'HandlerNightlyPermission:AWS::Lambda::Permission',
      ]),
    )
    const fn = get('Handler')!
    expect(fn.properties['TracingConfig']).toEqual({ Mode: 'Active' })
    expect(fn.properties['Environment']).toEqual({ Variables: { STAGE: 'prod', TABLE: 'patients' } })
    expect(fn.properties['Code']).toEqual({ S3Bucket: 'artifacts', S3Key: 'handler.zip' })
    expect(fn.properties['Runtime']).toBe('python3.12')
    const role = get('HandlerRole')!.properties
    expect(JSON.stringify(role['ManagedPolicyArns'])).toContain('AWSLambdaSQSQueueExecutionRole')
    expect(JSON.stringify(role['ManagedPolicyArns'])).toContain('AWSXrayWriteOnlyAccess')
    const statements = (role['Policies'] as { PolicyDocument: { Statement: { Action: string[]; Resource: unknown[] }[] } }[]).flatMap((p) => p.PolicyDocument.Statement)
    expect(statements[0]!.Action).toContain('dynamodb:Query')
    expect(statements[0]!.Resource[0]).toEqual({ 'Fn::Sub': 'arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/patients' })
    const body = get('ServerlessRestApi')!.properties['Body'] as { paths: Record<string, Record<string, unknown>> }
    expect(Object.keys(body.paths)).toEqual(['/patients/{id}'])
    const bucket = get('Uploads')!.properties
    expect(JSON.stringify(bucket['NotificationConfiguration'])).toContain('s3:ObjectCreated:*')
    // the route points at its event's line
    expect(lineOfProperty(get('ServerlessRestApi')!.properties, 'Body.paths./patients/{id}.get')).toBe(22)
  })

  it('applies API auth: default authorizer, NONE overrides, AWS_IAM, API keys and resource policies', () => {
    const { get } = sam(`
Resources:
  Pool: { Type: AWS::Cognito::UserPool }
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: v1
      Auth:
        DefaultAuthorizer: Cognito
        Authorizers: { Cognito: { UserPoolArn: !GetAtt Pool.Arn } }
        ApiKeyRequired: true
        UsagePlan: { CreateUsagePlan: PER_API }
        ResourcePolicy: { IpRangeWhitelist: [10.0.0.0/8] }
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      InlineCode: x
      Events:
        A: { Type: Api, Properties: { RestApiId: !Ref Api, Path: /a, Method: get } }
        Health: { Type: Api, Properties: { RestApiId: !Ref Api, Path: /health, Method: get, Auth: { Authorizer: NONE, ApiKeyRequired: false } } }
`)
    const api = get('Api')!.properties
    const body = api['Body'] as { paths: Record<string, Record<string, { security?: unknown }>>; securityDefinitions: Record<string, unknown> }
    expect(body.paths['/a']!['get']!.security).toEqual([{ Cognito: [] }, { api_key: [] }])
    expect(body.paths['/health']!['get']!.security).toEqual([])
    expect(Object.keys(body.securityDefinitions).sort()).toEqual(['Cognito', 'api_key'])
    expect(api['Policy']).toBeDefined()
    expect(get('ApiUsagePlan')?.type).toBe('AWS::ApiGateway::UsagePlan')
    expect(get('Apiv1Stage')?.type).toBe('AWS::ApiGateway::Stage')
  })

  it('expands HttpApi events, function URLs, aliases, SimpleTable and connectors', () => {
    const { doc, get } = sam(`
Resources:
  Table:
    Type: AWS::Serverless::SimpleTable
    Properties: { PrimaryKey: { Name: pk, Type: String }, SSESpecification: { SSEEnabled: true } }
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      InlineCode: x
      AutoPublishAlias: live
      FunctionUrlConfig: { AuthType: NONE }
      Events:
        Http: { Type: HttpApi, Properties: { Path: /x, Method: post } }
  Conn:
    Type: AWS::Serverless::Connector
    Properties:
      Source: { Id: Fn }
      Destination: { Id: Table }
      Permissions: [Read, Write]
`)
    expect(doc.diagnostics.filter((d) => d.level === 'error')).toEqual([])
    expect(get('Table')!.type).toBe('AWS::DynamoDB::Table')
    expect(get('Table')!.properties['BillingMode']).toBe('PAY_PER_REQUEST')
    expect(get('ServerlessHttpApi')!.type).toBe('AWS::ApiGatewayV2::Api')
    expect(get('ServerlessHttpApiApiGatewayDefaultStage')!.properties['StageName']).toBe('$default')
    expect(get('FnUrl')!.properties['AuthType']).toBe('NONE')
    expect(get('FnUrlPublicPermissions')!.properties['Principal']).toBe('*')
    expect(get('FnAliaslive')!.type).toBe('AWS::Lambda::Alias')
    const conn = get('ConnPolicy')!.properties as { PolicyDocument: { Statement: { Action: string[] }[] }; Roles: unknown[] }
    expect(conn.Roles).toEqual([{ Ref: 'FnRole' }])
    expect(conn.PolicyDocument.Statement.flatMap((s) => s.Action)).toContain('dynamodb:PutItem')
  })

  it('reports events it cannot expand, and references SAM generates are not undefined', () => {
    const { doc } = sam(`
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      InlineCode: x
      AutoPublishAlias: live
      Events:
        Bad: { Type: S3, Properties: { Bucket: some-existing-bucket, Events: s3:ObjectCreated:* } }
  Alarm:
    Type: AWS::CloudWatch::Alarm
    Properties:
      Dimensions: [ { Name: Resource, Value: !Ref Fn.Alias }, { Name: Role, Value: !GetAtt FnRole.Arn } ]
`)
    const codes = doc.diagnostics.map((d) => d.code)
    expect(codes).toContain('PW_ERR_SAM_INVALID')
    expect(codes).not.toContain('PW_ERR_UNRESOLVED_REFERENCE')
  })
})
