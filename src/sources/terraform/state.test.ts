import { describe, expect, it } from 'vitest'
import type { SourceResource } from '../types.js'
import { CONVERTERS } from './converters/index.js'
import { cfnShapeProblems } from './testdata/cfn-shape.js'
import { fixtureText, readFixture } from './testdata/load.js'

const text = fixtureText('telehealth-state.json')
const doc = readFixture('telehealth-state.json', text)
const res = (sourceId: string): SourceResource => {
  const r = doc.resources.find((x) => x.sourceId === sourceId)
  if (!r) throw new Error(`no resource ${sourceId}`)
  return r
}
const props = (sourceId: string): Record<string, unknown> => res(sourceId).properties
const A = '111122223333'

describe('readTerraformPlan: telehealth state (`terraform show -json` of a state)', () => {
  it('reads values.root_module and its child modules without problems', () => {
    expect(doc.diagnostics).toEqual([])
    expect(res('module.network.aws_flow_log.private').properties).toMatchObject({ ResourceType: 'Subnet', TrafficType: 'ALL', LogDestinationType: 'cloud-watch-logs' })
    // no provider configuration in a state: the Region the ARNs name
    expect(doc.context.region).toBe('us-east-1')
  })

  it('reads the settings a v4 state keeps on the bucket, and merges split resources found by bucket name', () => {
    expect(props('aws_s3_bucket.recordings')).toMatchObject({
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: `arn:aws:kms:us-east-1:${A}:key/1234abcd-12ab-34cd-56ef-1234567890ab` }, BucketKeyEnabled: true }] },
      LoggingConfiguration: { DestinationBucketName: 'telehealth-access-logs-prod', LogFilePrefix: 'recordings/' },
      ObjectLockEnabled: true,
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 0, Years: 6 } } },
      LifecycleConfiguration: { Rules: [{ Id: 'archive-raw', Status: 'Enabled', Prefix: 'raw/', NoncurrentVersionExpiration: { NoncurrentDays: 2555 }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 }, Transitions: [{ StorageClass: 'GLACIER', TransitionInDays: 90 }] }] },
      ReplicationConfiguration: { Role: `arn:aws:iam::${A}:role/telehealth-replication`, Rules: [{ Id: 'dr', Status: 'Enabled', Priority: 1, Destination: { Bucket: 'arn:aws:s3:::telehealth-recordings-dr', StorageClass: 'STANDARD_IA' } }] },
    })
    // one notification configuration per event, as CloudFormation has them
    expect((props('aws_s3_bucket.recordings')['NotificationConfiguration'] as { LambdaConfigurations: { Event: string }[] }).LambdaConfigurations.map((c) => c.Event)).toEqual(['s3:ObjectCreated:Put', 's3:ObjectCreated:CompleteMultipartUpload'])
    expect(props('aws_s3_bucket.site')).toMatchObject({ AccessControl: 'PublicRead', WebsiteConfiguration: { IndexDocument: 'index.html', ErrorDocument: 'error.html' }, OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] } })
  })

  it('drops a policy a state repeats on its parent when a policy resource governs the parent', () => {
    const ids = doc.resources.map((r) => r.sourceId)
    expect(ids).not.toContain('aws_s3_bucket.recordings#policy')
    expect(ids).not.toContain('aws_sns_topic.events#policy')
    expect(ids).not.toContain('aws_secretsmanager_secret.api_key#policy')
    // the queue has no queue policy resource: its policy attribute is the one
    expect(res('aws_sqs_queue.jobs#policy').properties['PolicyDocument']).toMatchObject({ Statement: [{ Principal: '*', Action: 'sqs:SendMessage' }] })
  })

  it('merges inline, attached and group policies into their principals, found by name', () => {
    expect(props('aws_iam_role.admin')['Policies']).toEqual([{ PolicyName: 'everything', PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }])
    expect(props('aws_iam_role.transcode')['ManagedPolicyArns']).toEqual(['arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole', `arn:aws:iam::${A}:policy/telehealth-readonly-phi`])
    expect(props('aws_iam_user.auditor')).toMatchObject({
      Policies: [{ PolicyName: 'cloudtrail' }],
      ManagedPolicyArns: ['arn:aws:iam::aws:policy/SecurityAudit', 'arn:aws:iam::aws:policy/ReadOnlyAccess'],
      // membership stated from the user's side and the group's: one membership
      Groups: ['clinicians'],
      // the console password exists, its value is not PhiWall's to know
      LoginProfile: { Password: { 'Fn::GetAtt': ['aws_iam_user_login_profile.auditor', 'password'] }, PasswordResetRequired: true },
    })
    expect(props('aws_iam_group.clinicians')).toMatchObject({ Policies: [{ PolicyName: 'recordings' }], ManagedPolicyArns: [`arn:aws:iam::${A}:policy/telehealth-readonly-phi`, 'arn:aws:iam::aws:policy/ReadOnlyAccess'] })
    expect(props('aws_elasticsearch_domain.legacy')['AccessPolicies']).toMatchObject({ Statement: [{ Action: 'es:ESHttpGet', Condition: { IpAddress: { 'aws:SourceIp': ['203.0.113.0/24'] } } }] })
    expect(props('aws_iam_access_key.auditor')).toEqual({ UserName: 'compliance-auditor', Status: 'Active' })
  })

  it('keeps what configures a resource outside the state as a resource of its own', () => {
    expect(res('aws_iam_role_policy.external')).toMatchObject({ type: 'AWS::IAM::Policy', properties: { PolicyName: 'deploy', Roles: ['legacy-ci'] } })
    expect(res('aws_security_group_rule.shared')).toMatchObject({ type: 'AWS::EC2::SecurityGroupIngress', properties: { GroupId: 'sg-0999999999999999a', IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '10.0.0.0/8' } })
  })

  it('names resources by the generated ids a state holds, and merges rules into groups found by id', () => {
    expect(props('aws_subnet.public_a')['VpcId']).toEqual({ Ref: 'aws_vpc.main' })
    expect(props('aws_api_gateway_method.visit_get')).toMatchObject({ RestApiId: { Ref: 'aws_api_gateway_rest_api.visits' }, ResourceId: { Ref: 'aws_api_gateway_resource.visit' } })
    const app = props('aws_security_group.app')
    expect(app['SecurityGroupIngress']).toContainEqual({ IpProtocol: 'tcp', FromPort: 0, ToPort: 65535, Description: 'App cluster', SourceSecurityGroupId: { Ref: 'aws_security_group.app' } })
    expect(app['SecurityGroupIngress']).toContainEqual({ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, Description: 'SSH over IPv6', CidrIpv6: '::/0' })
    expect(app['SecurityGroupEgress']).toContainEqual({ IpProtocol: 'udp', FromPort: 53, ToPort: 53, Description: 'DNS', CidrIp: '10.40.0.2/32' })
    expect(props('aws_security_group.db')['SecurityGroupEgress']).toEqual([{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, DestinationPrefixListId: 'pl-63a5400a' }])
    expect(props('aws_default_security_group.default')).toMatchObject({ GroupName: 'default', SecurityGroupEgress: [] })
    expect(props('aws_default_security_group.default')).not.toHaveProperty('SecurityGroupIngress')
  })

  it('records each resource\'s own ARN, not one a resource configuring it repeats', () => {
    expect(res('aws_lambda_function.transcode').arn).toBe(`arn:aws:lambda:us-east-1:${A}:function:telehealth-transcode`)
    expect(res('aws_sns_topic.events').arn).toBe(`arn:aws:sns:us-east-1:${A}:telehealth-events`)
    expect(res('aws_sns_topic_policy.events').arn).toBeUndefined()
  })

  it('gathers the regional settings of several resources into one resource', () => {
    const regions = doc.resources.filter((r) => r.type === 'PhiWall::AWS::RegionSettings')
    expect(regions).toHaveLength(1)
    expect(regions[0]!.properties).toEqual({
      Region: 'us-east-1',
      GuardDutyEnabled: true,
      SecurityHubEnabled: true,
      EbsEncryptionByDefault: false,
      EbsDefaultKmsKeyId: `arn:aws:kms:us-east-1:${A}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
      ConfigRecorderAllSupported: false,
      ConfigRecorderRecording: true,
    })
  })

  it('never copies passwords or tokens; a secret whose presence matters is masked', () => {
    const all = JSON.stringify(doc.resources)
    for (const secret of ['Summer2019!', 's3ss10n-t0ken-0123456789abcdef', 'tok_live_0123456789abcdef', 'K3rb3r0s-Admin-Pass']) expect(all).not.toContain(secret)
    expect(props('aws_elasticache_replication_group.sessions')['AuthToken']).toMatch(/^\*{4}\(30 chars, fp [0-9a-f]{8}\)$/)
    expect(props('aws_ssm_parameter.api_token')['Value']).toMatch(/^\*{4}\(/)
    // plain values stay: the checks judge them (and mask them in findings)
    expect(props('aws_ssm_parameter.db_url')['Value']).toBe('mysql://telehealth-legacy.abcdefghijkl.us-east-1.rds.amazonaws.com:3306/legacy')
  })

  it('reads nested service shapes: container definitions, WAF statements, API stages', () => {
    const task = props('aws_ecs_task_definition.api')
    expect(task['ContainerDefinitions']).toMatchObject([
      {
        Name: 'api',
        ReadonlyRootFilesystem: true,
        Privileged: false,
        Secrets: [{ Name: 'DB_PASSWORD', ValueFrom: `arn:aws:secretsmanager:us-east-1:${A}:secret:telehealth/db-AbCdEf` }],
        LogConfiguration: { LogDriver: 'awslogs', Options: { 'awslogs-group': '/ecs/telehealth-api', 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'api' } },
        LinuxParameters: { Capabilities: { Drop: ['ALL'] }, InitProcessEnabled: true },
        DockerLabels: { 'com.example.team': 'telehealth' },
      },
    ])
    const acl = props('aws_wafv2_web_acl.app')
    expect(acl['DefaultAction']).toEqual({ Allow: {} })
    expect((acl['Rules'] as unknown[])[0]).toMatchObject({ Name: 'known-bad-inputs', OverrideAction: { None: {} }, Statement: { ManagedRuleGroupStatement: { Name: 'AWSManagedRulesKnownBadInputsRuleSet', VendorName: 'AWS' } } })
    expect((acl['Rules'] as unknown[])[2]).toMatchObject({ Statement: { AndStatement: { Statements: [{ NotStatement: { Statement: { GeoMatchStatement: { CountryCodes: ['US', 'CA'] } } } }, { SqliMatchStatement: { FieldToMatch: { Body: { OversizeHandling: 'MATCH' } } } }] } } })
    expect(props('aws_api_gateway_stage.v1')['MethodSettings']).toEqual([{ ResourcePath: '/visits~1{id}', HttpMethod: 'GET', MetricsEnabled: false, LoggingLevel: 'ERROR', DataTraceEnabled: true, CachingEnabled: true, CacheTtlInSeconds: 300, CacheDataEncrypted: false }])
    expect(props('aws_apigatewayv2_stage.default')['Tags']).toEqual({ Environment: 'prod', Application: 'telehealth', DataClass: 'PHI' })
  })

  it('gives resources that conform to the CloudFormation resource specification', () => {
    const problems = doc.resources.filter((r) => !r.type.startsWith('PhiWall::')).flatMap((r) => cfnShapeProblems(r.type, r.properties).map((p) => `${r.sourceId}: ${p}`))
    expect(problems).toEqual([])
  }, 120_000)

  it('exercises every converter across the fixtures (so the specification tests cover each)', () => {
    const types = new Set<string>()
    for (const name of ['clinic-plan.json', 'telehealth-state.json', 'clinic-vm-plan.json']) {
      const d = JSON.parse(fixtureText(name)) as Record<string, unknown>
      const walk = (m: unknown): void => {
        if (!m || typeof m !== 'object') return
        for (const r of ((m as Record<string, unknown>)['resources'] as { type: string; mode: string }[] | undefined) ?? []) if (r.mode === 'managed') types.add(r.type)
        for (const c of ((m as Record<string, unknown>)['child_modules'] as unknown[] | undefined) ?? []) walk(c)
      }
      walk(((d['planned_values'] ?? d['values']) as Record<string, unknown>)['root_module'])
    }
    // aliases (aws_alb for aws_lb) share a converter
    const seen = new Set([...types].map((t) => CONVERTERS[t]))
    const missing = Object.keys(CONVERTERS).filter((t) => !seen.has(CONVERTERS[t]))
    expect(missing).toEqual([])
  })
})
