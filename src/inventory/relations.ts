import type { Edge, EdgeKind, Resource } from '../model/index.js'
import { actionAccess, statementsOf, type PolicyStatement } from './aws/policy.js'
import { referencedResources, resourcesNamed, type RefIndex } from './refs.js'
import { K8S_DATA_TYPES, K8S_WORKLOAD_TYPES } from './k8s/relations.js'

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v)
const list = (v: unknown): unknown[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v])

/** Collects edges, one per (from, to, kind), keeping the first evidence. */
export class EdgeSet {
  readonly edges: Edge[] = []
  // from → to → kinds, keyed by the resource objects: no string keys to build per edge
  private readonly seen = new Map<Resource, Map<Resource, EdgeKind[]>>()

  add(from: Resource, to: Resource, kind: EdgeKind, evidence: string, line?: number): void {
    if (from === to || from.id === to.id) return
    let byTo = this.seen.get(from)
    if (!byTo) this.seen.set(from, (byTo = new Map()))
    const kinds = byTo.get(to)
    if (kinds?.includes(kind)) return
    if (kinds) kinds.push(kind)
    else byTo.set(to, [kind])
    const e: Edge = { from: from.id, to: to.id, kind, source: 'declared', evidence }
    const l = line ?? from.location.line
    e.location = l !== undefined ? { file: from.location.file, line: l } : { file: from.location.file }
    this.edges.push(e)
  }
}

type Relate = (r: Resource, ctx: RelateContext) => void

/** What relation builders may use. */
export interface RelateContext {
  idx: RefIndex
  edges: EdgeSet
  refs: (value: unknown, from: Resource) => Resource[]
}

const WORKLOAD_TYPES = new Set(['AWS::Lambda::Function', 'AWS::StepFunctions::StateMachine', 'AWS::EC2::Instance', 'AWS::ECS::TaskDefinition'])
const DATA_TYPES = new Set([
  'AWS::S3::Bucket',
  'AWS::DynamoDB::Table',
  'AWS::SQS::Queue',
  'AWS::SNS::Topic',
  'AWS::Kinesis::Stream',
  'AWS::RDS::DBInstance',
  'AWS::RDS::DBCluster',
  'AWS::SecretsManager::Secret',
  'AWS::Logs::LogGroup',
  'AWS::EFS::FileSystem',
  'AWS::KinesisFirehose::DeliveryStream',
  'AWS::Events::EventBus',
  'AWS::OpenSearchService::Domain',
  'AWS::Elasticsearch::Domain',
  'AWS::ElastiCache::ReplicationGroup',
  'AWS::Redshift::Cluster',
  'AWS::SSM::Parameter',
  'AWS::KMS::Key',
  // copies of a volume or a database (account snapshots): they hold what the original held
  'AWS::EC2::Snapshot',
  'AWS::RDS::DBSnapshot',
  'AWS::RDS::DBClusterSnapshot',
])

/** Is a resource type a workload (runs code)? Lambda functions, EC2 instances, Kubernetes workloads, Compose services… */
export function isWorkloadType(type: string): boolean {
  return WORKLOAD_TYPES.has(type) || K8S_WORKLOAD_TYPES.has(type) || type === 'Docker::Compose::Service'
}

/** Is a resource type a data store or channel that may hold PHI? */
export function isDataType(type: string): boolean {
  return DATA_TYPES.has(type) || K8S_DATA_TYPES.has(type) || type === 'Docker::Compose::Volume'
}

/** Type a plain name in an attachment property refers to (`Roles: [clinic-api-role]`). */
const NAME_TYPES: Record<string, string> = { Roles: 'AWS::IAM::Role', RoleName: 'AWS::IAM::Role', Users: 'AWS::IAM::User', Bucket: 'AWS::S3::Bucket', SecretId: 'AWS::SecretsManager::Secret', FunctionName: 'AWS::Lambda::Function' }

/** The original a snapshot copies (by reference, ARN or plain name) writes into it. */
const copyOf = (key: string, type: string, what: string): Relate => (r, ctx) => {
  const sources = new Set(ctx.refs(r.props[key], r))
  const v = r.props[key]
  if (typeof v === 'string' && !v.startsWith('arn:')) for (const t of resourcesNamed(v, type, ctx.idx, r.stack)) sources.add(t)
  for (const t of sources) if (t.type === type) ctx.edges.add(t, r, 'writes', what, r.propLines[key])
}

const attachTo = (key: string | string[]): Relate => (r, ctx) => {
  for (const k of list(key) as string[]) {
    const targets = new Set(ctx.refs(r.props[k], r))
    const nameType = NAME_TYPES[k]
    if (nameType) for (const v of list(r.props[k])) if (typeof v === 'string' && !v.startsWith('arn:')) for (const t of resourcesNamed(v, nameType, ctx.idx, r.stack)) targets.add(t)
    for (const t of targets) ctx.edges.add(r, t, 'attached', `${r.type.split('::').pop()} ${k}`, r.propLines[k])
  }
}

function integrationEdges(api: Resource, body: unknown, ctx: RelateContext): void {
  if (!isObj(body) || !isObj(body['paths'])) return
  for (const [path, ops] of Object.entries(body['paths'])) {
    if (!isObj(ops)) continue
    for (const [method, op] of Object.entries(ops)) {
      if (!isObj(op)) continue
      const integ = op['x-amazon-apigateway-integration']
      if (!isObj(integ)) continue
      const verb = method === 'x-amazon-apigateway-any-method' ? 'ANY' : method.toUpperCase()
      for (const t of ctx.refs(integ['uri'], api)) ctx.edges.add(api, t, 'invokes', `route ${verb} ${path}`)
    }
  }
  const defs = { ...(isObj(body['securityDefinitions']) ? body['securityDefinitions'] : {}), ...(isObj(body['components']) && isObj(body['components']['securitySchemes']) ? body['components']['securitySchemes'] : {}) }
  for (const [name, def] of Object.entries(defs)) {
    const auth = isObj(def) ? def['x-amazon-apigateway-authorizer'] : undefined
    if (isObj(auth)) for (const t of ctx.refs(auth['authorizerUri'], api)) ctx.edges.add(api, t, 'invokes', `authorizer ${name}`)
  }
}

const RELATIONS: Record<string, Relate> = {
  'AWS::Lambda::Function': (r, ctx) => {
    for (const t of ctx.refs(r.props['Role'], r)) ctx.edges.add(t, r, 'attached', 'execution role', r.propLines['Role'])
    const vpc = r.props['VpcConfig']
    if (isObj(vpc)) {
      for (const t of ctx.refs(vpc['SubnetIds'], r)) ctx.edges.add(r, t, 'placed-in', 'VpcConfig.SubnetIds', r.propLines['VpcConfig'])
      for (const t of ctx.refs(vpc['SecurityGroupIds'], r)) ctx.edges.add(r, t, 'placed-in', 'VpcConfig.SecurityGroupIds', r.propLines['VpcConfig'])
    }
    const env = isObj(r.props['Environment']) ? r.props['Environment']['Variables'] : undefined
    if (isObj(env)) {
      for (const [name, value] of Object.entries(env)) {
        const targets = new Set(ctx.refs(value, r))
        // a plain name in a variable named after a store (TABLE_NAME=patients)
        if (typeof value === 'string' && targets.size === 0) {
          const guess = /TABLE/i.test(name) ? 'AWS::DynamoDB::Table' : /BUCKET/i.test(name) ? 'AWS::S3::Bucket' : /QUEUE/i.test(name) ? 'AWS::SQS::Queue' : /TOPIC/i.test(name) ? 'AWS::SNS::Topic' : /SECRET/i.test(name) ? 'AWS::SecretsManager::Secret' : undefined
          if (guess) for (const t of resourcesNamed(value, guess, ctx.idx, r.stack)) targets.add(t)
        }
        for (const t of targets) ctx.edges.add(r, t, 'uses', `environment variable ${name}`, r.propLines[`Environment.Variables.${name}`] ?? r.propLines['Environment'])
      }
    }
    const dlq = isObj(r.props['DeadLetterConfig']) ? r.props['DeadLetterConfig']['TargetArn'] : undefined
    for (const t of ctx.refs(dlq, r)) ctx.edges.add(r, t, 'writes', 'dead-letter queue', r.propLines['DeadLetterConfig'])
    for (const t of ctx.refs(r.props['KmsKeyArn'], r)) ctx.edges.add(r, t, 'uses', 'environment encryption key', r.propLines['KmsKeyArn'])
  },
  'AWS::StepFunctions::StateMachine': (r, ctx) => {
    for (const t of ctx.refs(r.props['RoleArn'], r)) ctx.edges.add(t, r, 'attached', 'execution role')
    for (const key of ['Definition', 'DefinitionString', 'DefinitionSubstitutions']) {
      for (const t of ctx.refs(r.props[key], r)) if (t.type !== 'AWS::IAM::Role') ctx.edges.add(r, t, t.type === 'AWS::Lambda::Function' ? 'invokes' : 'uses', `state machine ${key}`)
    }
  },
  'AWS::Lambda::EventSourceMapping': (r, ctx) => {
    const fns = ctx.refs(r.props['FunctionName'], r)
    for (const src of ctx.refs(r.props['EventSourceArn'], r)) for (const f of fns) ctx.edges.add(src, f, 'triggers', `event source mapping ${r.sourceId}`, r.location.line)
    for (const f of fns) ctx.edges.add(r, f, 'attached', 'event source mapping')
  },
  'AWS::S3::Bucket': (r, ctx) => {
    const nc = r.props['NotificationConfiguration']
    if (isObj(nc)) {
      for (const c of list(nc['LambdaConfigurations'])) if (isObj(c)) for (const t of ctx.refs(c['Function'], r)) ctx.edges.add(r, t, 'triggers', `S3 ${String(c['Event'] ?? 'event')}`)
      for (const c of list(nc['QueueConfigurations'])) if (isObj(c)) for (const t of ctx.refs(c['Queue'], r)) ctx.edges.add(r, t, 'writes', `S3 ${String(c['Event'] ?? 'event')} notification`)
      for (const c of list(nc['TopicConfigurations'])) if (isObj(c)) for (const t of ctx.refs(c['Topic'], r)) ctx.edges.add(r, t, 'writes', `S3 ${String(c['Event'] ?? 'event')} notification`)
    }
    const logging = r.props['LoggingConfiguration']
    if (isObj(logging)) {
      const dest = logging['DestinationBucketName']
      const targets = new Set(ctx.refs(dest, r))
      if (typeof dest === 'string') for (const t of resourcesNamed(dest, 'AWS::S3::Bucket', ctx.idx, r.stack)) targets.add(t)
      for (const t of targets) ctx.edges.add(r, t, 'writes', 'server access logs', r.propLines['LoggingConfiguration'])
    }
  },
  'AWS::SNS::Topic': (r, ctx) => {
    for (const s of list(r.props['Subscription'])) if (isObj(s)) for (const t of ctx.refs(s['Endpoint'], r)) ctx.edges.add(r, t, s['Protocol'] === 'lambda' ? 'triggers' : 'writes', `SNS subscription (${String(s['Protocol'] ?? '')})`)
    for (const t of ctx.refs(r.props['KmsMasterKeyId'], r)) ctx.edges.add(r, t, 'uses', 'encryption key')
  },
  'AWS::SNS::Subscription': (r, ctx) => {
    const targets = ctx.refs(r.props['Endpoint'], r)
    for (const topic of ctx.refs(r.props['TopicArn'], r)) for (const t of targets) ctx.edges.add(topic, t, r.props['Protocol'] === 'lambda' ? 'triggers' : 'writes', `SNS subscription ${r.sourceId}`)
  },
  'AWS::Events::Rule': (r, ctx) => {
    for (const tg of list(r.props['Targets'])) if (isObj(tg)) for (const t of ctx.refs(tg['Arn'], r)) ctx.edges.add(r, t, 'triggers', r.props['ScheduleExpression'] ? `schedule ${String(r.props['ScheduleExpression'])}` : 'EventBridge rule')
  },
  'AWS::Scheduler::Schedule': (r, ctx) => {
    const tg = r.props['Target']
    if (isObj(tg)) for (const t of ctx.refs(tg['Arn'], r)) ctx.edges.add(r, t, 'triggers', `schedule ${String(r.props['ScheduleExpression'] ?? '')}`)
  },
  'AWS::Logs::SubscriptionFilter': (r, ctx) => {
    const groups = new Set(ctx.refs(r.props['LogGroupName'], r))
    if (typeof r.props['LogGroupName'] === 'string') for (const g of resourcesNamed(r.props['LogGroupName'], 'AWS::Logs::LogGroup', ctx.idx, r.stack)) groups.add(g)
    for (const g of groups) for (const t of ctx.refs(r.props['DestinationArn'], r)) ctx.edges.add(g, t, 'triggers', 'log subscription filter')
  },
  'AWS::ApiGateway::RestApi': (r, ctx) => integrationEdges(r, r.props['Body'], ctx),
  'AWS::ApiGatewayV2::Api': (r, ctx) => integrationEdges(r, r.props['Body'], ctx),
  'AWS::ApiGateway::Method': (r, ctx) => {
    const apis = ctx.refs(r.props['RestApiId'], r)
    for (const a of apis) ctx.edges.add(r, a, 'attached', 'method of API')
    const integ = r.props['Integration']
    if (isObj(integ)) for (const a of apis) for (const t of ctx.refs(integ['Uri'], r)) ctx.edges.add(a, t, 'invokes', `route ${String(r.props['HttpMethod'] ?? '')} ${r.sourceId}`, r.location.line)
  },
  'AWS::ApiGatewayV2::Integration': (r, ctx) => {
    for (const a of ctx.refs(r.props['ApiId'], r)) {
      ctx.edges.add(r, a, 'attached', 'integration of API')
      for (const t of ctx.refs(r.props['IntegrationUri'], r)) ctx.edges.add(a, t, 'invokes', `integration ${r.sourceId}`, r.location.line)
    }
  },
  'AWS::ApiGatewayV2::Route': attachTo('ApiId'),
  'AWS::ApiGatewayV2::Stage': attachTo('ApiId'),
  'AWS::ApiGatewayV2::Authorizer': attachTo('ApiId'),
  'AWS::ApiGateway::Stage': attachTo(['RestApiId', 'DeploymentId']),
  'AWS::ApiGateway::Deployment': attachTo('RestApiId'),
  'AWS::ApiGateway::Authorizer': (r, ctx) => {
    attachTo('RestApiId')(r, ctx)
    for (const a of ctx.refs(r.props['RestApiId'], r)) for (const t of ctx.refs(r.props['AuthorizerUri'], r)) ctx.edges.add(a, t, 'invokes', `authorizer ${r.sourceId}`)
  },
  'AWS::ApiGateway::Resource': attachTo('RestApiId'),
  'AWS::ApiGateway::UsagePlan': (r, ctx) => {
    for (const s of list(r.props['ApiStages'])) if (isObj(s)) for (const t of ctx.refs([s['ApiId'], s['Stage']], r)) ctx.edges.add(r, t, 'attached', 'usage plan stage')
  },
  'AWS::Lambda::Permission': (r, ctx) => {
    const fns = ctx.refs(r.props['FunctionName'], r)
    for (const f of fns) ctx.edges.add(r, f, 'attached', 'resource-based policy statement', r.location.line)
    const principal = String(r.props['Principal'] ?? '')
    for (const src of ctx.refs(r.props['SourceArn'], r)) {
      if (src.type === 'AWS::Lambda::Function') continue
      for (const f of fns) ctx.edges.add(src, f, principal.startsWith('apigateway') ? 'invokes' : 'triggers', `lambda permission for ${principal}`)
    }
  },
  'AWS::Lambda::Url': (r, ctx) => {
    for (const f of ctx.refs(r.props['TargetFunctionArn'], r)) ctx.edges.add(r, f, 'invokes', 'function URL')
  },
  'AWS::Lambda::EventInvokeConfig': (r, ctx) => {
    const fns = ctx.refs(r.props['FunctionName'], r)
    for (const f of fns) ctx.edges.add(r, f, 'attached', 'asynchronous invocation configuration')
    const dc = r.props['DestinationConfig']
    if (isObj(dc)) for (const k of ['OnSuccess', 'OnFailure']) if (isObj(dc[k])) for (const t of ctx.refs((dc[k] as Obj)['Destination'], r)) for (const f of fns) ctx.edges.add(f, t, 'writes', `${k} destination`)
  },
  'AWS::Lambda::Alias': attachTo('FunctionName'),
  'AWS::Lambda::Version': attachTo('FunctionName'),
  'AWS::S3::BucketPolicy': attachTo('Bucket'),
  'AWS::SQS::QueuePolicy': attachTo('Queues'),
  'AWS::SNS::TopicPolicy': attachTo('Topics'),
  'AWS::IAM::Policy': attachTo(['Roles', 'Users', 'Groups']),
  'AWS::IAM::ManagedPolicy': attachTo(['Roles', 'Users', 'Groups']),
  'AWS::IAM::RolePolicy': attachTo('RoleName'),
  'AWS::IAM::InstanceProfile': attachTo('Roles'),
  'AWS::IAM::Role': (r, ctx) => {
    for (const t of ctx.refs(r.props['ManagedPolicyArns'], r)) ctx.edges.add(t, r, 'attached', 'managed policy')
  },
  'AWS::IAM::User': (r, ctx) => {
    for (const t of ctx.refs(r.props['ManagedPolicyArns'], r)) ctx.edges.add(t, r, 'attached', 'managed policy')
  },
  'AWS::EC2::SecurityGroupIngress': attachTo('GroupId'),
  'AWS::EC2::SecurityGroupEgress': attachTo('GroupId'),
  'AWS::EC2::SecurityGroup': attachTo('VpcId'),
  'AWS::EC2::Subnet': attachTo('VpcId'),
  'AWS::WAFv2::WebACLAssociation': attachTo(['ResourceArn', 'WebACLArn']),
  'AWS::WAFRegional::WebACLAssociation': attachTo(['ResourceArn', 'WebACLId']),
  'AWS::SecretsManager::RotationSchedule': attachTo('SecretId'),
  'AWS::SecretsManager::SecretTargetAttachment': attachTo(['SecretId', 'TargetId']),
  'AWS::EC2::Instance': (r, ctx) => {
    for (const k of ['SecurityGroupIds', 'SecurityGroups', 'SubnetId']) for (const t of ctx.refs(r.props[k], r)) ctx.edges.add(r, t, 'placed-in', k, r.propLines[k])
    for (const ni of list(r.props['NetworkInterfaces'])) if (isObj(ni)) for (const t of ctx.refs([ni['GroupSet'], ni['SubnetId']], r)) ctx.edges.add(r, t, 'placed-in', 'NetworkInterfaces')
    for (const t of ctx.refs(r.props['IamInstanceProfile'], r)) ctx.edges.add(t, r, 'attached', 'instance profile')
    for (const t of ctx.refs(r.props['LaunchTemplate'], r)) ctx.edges.add(t, r, 'attached', 'launch template')
  },
  // a snapshot is a copy: the volume or database writes into it, and PHI flows with the edge
  'AWS::EC2::Snapshot': copyOf('VolumeId', 'AWS::EC2::Volume', 'EBS snapshot'),
  'AWS::RDS::DBSnapshot': copyOf('DBInstanceIdentifier', 'AWS::RDS::DBInstance', 'manual DB snapshot'),
  'AWS::RDS::DBClusterSnapshot': copyOf('DBClusterIdentifier', 'AWS::RDS::DBCluster', 'manual cluster snapshot'),
  'AWS::EC2::VolumeAttachment': (r, ctx) => {
    for (const v of ctx.refs(r.props['VolumeId'], r)) for (const i of ctx.refs(r.props['InstanceId'], r)) ctx.edges.add(v, i, 'attached', 'volume attachment')
  },
  'AWS::RDS::DBInstance': (r, ctx) => {
    for (const t of ctx.refs(r.props['MonitoringRoleArn'], r)) ctx.edges.add(t, r, 'attached', 'enhanced monitoring role')
    for (const t of ctx.refs([r.props['VPCSecurityGroups'], r.props['DBSecurityGroups']], r)) ctx.edges.add(r, t, 'placed-in', 'VPCSecurityGroups')
    for (const t of ctx.refs(r.props['DBClusterIdentifier'], r)) ctx.edges.add(r, t, 'attached', 'cluster member')
    for (const t of ctx.refs(r.props['KmsKeyId'], r)) ctx.edges.add(r, t, 'uses', 'storage encryption key')
  },
  'AWS::RDS::DBCluster': (r, ctx) => {
    for (const t of ctx.refs(r.props['MonitoringRoleArn'], r)) ctx.edges.add(t, r, 'attached', 'enhanced monitoring role')
    for (const a of list(r.props['AssociatedRoles'])) if (isObj(a)) for (const t of ctx.refs(a['RoleArn'], r)) ctx.edges.add(t, r, 'attached', 'associated role')
    for (const t of ctx.refs(r.props['VpcSecurityGroupIds'], r)) ctx.edges.add(r, t, 'placed-in', 'VpcSecurityGroupIds')
    for (const t of ctx.refs(r.props['KmsKeyId'], r)) ctx.edges.add(r, t, 'uses', 'storage encryption key')
  },
  'AWS::ElasticLoadBalancingV2::LoadBalancer': (r, ctx) => {
    for (const t of ctx.refs([r.props['SecurityGroups'], r.props['Subnets']], r)) ctx.edges.add(r, t, 'placed-in', 'load balancer network')
  },
  'AWS::ElasticLoadBalancingV2::Listener': (r, ctx) => {
    const lbs = ctx.refs(r.props['LoadBalancerArn'], r)
    for (const lb of lbs) ctx.edges.add(r, lb, 'attached', 'listener')
    for (const a of list(r.props['DefaultActions'])) if (isObj(a)) for (const t of ctx.refs(a['TargetGroupArn'], r)) for (const lb of lbs) ctx.edges.add(lb, t, 'network', `listener port ${String(r.props['Port'] ?? '')}`)
  },
  'AWS::ElasticLoadBalancingV2::TargetGroup': (r, ctx) => {
    for (const tg of list(r.props['Targets'])) if (isObj(tg)) for (const t of ctx.refs(tg['Id'], r)) ctx.edges.add(r, t, 'network', 'target group member')
  },
  'AWS::CloudTrail::Trail': (r, ctx) => {
    const buckets = new Set(ctx.refs(r.props['S3BucketName'], r))
    if (typeof r.props['S3BucketName'] === 'string') for (const b of resourcesNamed(r.props['S3BucketName'], 'AWS::S3::Bucket', ctx.idx, r.stack)) buckets.add(b)
    for (const b of buckets) ctx.edges.add(r, b, 'writes', 'trail log files')
    for (const t of ctx.refs(r.props['CloudWatchLogsLogGroupArn'], r)) ctx.edges.add(r, t, 'writes', 'trail to CloudWatch Logs')
    for (const t of ctx.refs(r.props['KMSKeyId'], r)) ctx.edges.add(r, t, 'uses', 'trail encryption key')
    for (const t of ctx.refs(r.props['CloudWatchLogsRoleArn'], r)) ctx.edges.add(t, r, 'attached', 'CloudWatch Logs delivery role')
  },
  'AWS::EC2::FlowLog': (r, ctx) => {
    for (const t of ctx.refs(r.props['ResourceId'], r)) ctx.edges.add(r, t, 'attached', 'flow log')
  },
  'AWS::Logs::LogGroup': (r, ctx) => {
    for (const t of ctx.refs(r.props['KmsKeyId'], r)) ctx.edges.add(r, t, 'uses', 'log encryption key')
  },
  'AWS::SQS::Queue': (r, ctx) => {
    const rp = r.props['RedrivePolicy']
    if (isObj(rp)) for (const t of ctx.refs(rp['deadLetterTargetArn'], r)) ctx.edges.add(r, t, 'writes', 'dead-letter queue')
    for (const t of ctx.refs(r.props['KmsMasterKeyId'], r)) ctx.edges.add(r, t, 'uses', 'encryption key')
  },
  'AWS::DynamoDB::Table': (r, ctx) => {
    const sse = r.props['SSESpecification']
    if (isObj(sse)) for (const t of ctx.refs(sse['KMSMasterKeyId'], r)) ctx.edges.add(r, t, 'uses', 'encryption key')
  },
  'AWS::KMS::Alias': attachTo('TargetKeyId'),
  'AWS::EC2::SubnetRouteTableAssociation': attachTo(['SubnetId', 'RouteTableId']),
  'AWS::EC2::Route': attachTo('RouteTableId'),
  'AWS::EC2::VPCGatewayAttachment': attachTo(['VpcId', 'InternetGatewayId']),
}

/** Types whose references are attachments handled above, or noise for topology. */
const NO_GENERIC = new Set(['AWS::CloudFormation::Stack', 'AWS::CloudWatch::Alarm', 'AWS::CloudWatch::Dashboard', 'AWS::ApiGateway::Account', 'AWS::CDK::Metadata'])

/** Build every declared edge: per-type relations, then IAM-derived data access of workloads. */
export function buildEdges(resources: Resource[], idx: RefIndex): EdgeSet {
  const edges = new EdgeSet()
  const refs = (value: unknown, from: Resource): Resource[] => [...referencedResources(value, from, idx)]
  const ctx: RelateContext = { idx, edges, refs }
  for (const r of resources) {
    // Kubernetes and Docker objects are related by their own rules (inventory/k8s, inventory/compose)
    if (r.provider !== 'aws') continue
    const relate = RELATIONS[r.type]
    if (relate) relate(r, ctx)
    else if (!NO_GENERIC.has(r.type) && !r.type.startsWith('PhiWall::')) {
      for (const t of refs(r.props, r)) {
        // a role named by another resource (a backup selection, a delivery stream) is used by it
        if (t.type === 'AWS::IAM::Role') edges.add(t, r, 'attached', `role of ${r.type.split('::').pop()} ${r.sourceId}`)
        else edges.add(r, t, 'uses', `${r.type.split('::').pop()} references ${t.sourceId}`)
      }
    }
  }
  // data access of workloads, from the statements of their execution roles
  const attachedPolicies = policiesByRole(edges.edges, idx)
  for (const r of resources) {
    if (r.provider !== 'aws' || !isWorkloadType(r.type)) continue
    for (const { statement, via } of workloadStatements(r, idx, attachedPolicies)) {
      if (statement.effect !== 'Allow') continue
      const targets = refs(statement.resources, r)
      if (!targets.length) continue
      const access = new Set<string>()
      for (const a of statement.actions) access.add(actionAccess(a))
      for (const t of targets) {
        if (t.id === r.id) continue
        const acts = statement.actions.slice(0, 3).join(', ') + (statement.actions.length > 3 ? ', …' : '')
        if (access.has('read') || access.has('both')) edges.add(r, t, 'reads', `IAM ${acts} (${via})`)
        if (access.has('write') || access.has('both')) edges.add(r, t, 'writes', `IAM ${acts} (${via})`)
        if (access.has('invoke')) edges.add(r, t, 'invokes', `IAM ${acts} (${via})`)
      }
    }
  }
  return edges
}

/**
 * The IAM statements a workload's execution role grants: inline policies, customer managed
 * policies attached by ARN, and `AWS::IAM::Policy` / `ManagedPolicy` resources naming the role.
 */
export function workloadStatements(workload: Resource, idx: RefIndex, attached: Map<string, Resource[]>): GrantedStatement[] {
  const roles = workloadRoles(workload, idx)
  const out: GrantedStatement[] = []
  for (const role of roles) out.push(...roleStatements(role, idx, attached))
  return out
}

/**
 * The IAM roles a workload runs as: a function's `Role`, a state machine's `RoleArn`, an ECS task's
 * `TaskRoleArn`, and the role of an EC2 instance's instance profile (`IamInstanceProfile`, by
 * reference or by name, and the profile's `Roles`).
 */
export function workloadRoles(workload: Resource, idx: RefIndex): Resource[] {
  const p = workload.props
  const isRole = (x: Resource): boolean => x.type === 'AWS::IAM::Role'
  if (workload.type === 'AWS::Lambda::Function') return [...referencedResources(p['Role'], workload, idx)].filter(isRole)
  if (workload.type === 'AWS::StepFunctions::StateMachine') return [...referencedResources(p['RoleArn'], workload, idx)].filter(isRole)
  if (workload.type === 'AWS::ECS::TaskDefinition') return [...referencedResources(p['TaskRoleArn'], workload, idx)].filter(isRole)
  if (workload.type !== 'AWS::EC2::Instance' || p['IamInstanceProfile'] === undefined) return []
  const profiles = new Set([...referencedResources(p['IamInstanceProfile'], workload, idx)].filter((x) => x.type === 'AWS::IAM::InstanceProfile'))
  if (typeof p['IamInstanceProfile'] === 'string') for (const x of resourcesNamed(p['IamInstanceProfile'], 'AWS::IAM::InstanceProfile', idx, workload.stack)) profiles.add(x)
  const roles = new Set<Resource>()
  for (const profile of profiles) {
    for (const r of referencedResources(profile.props['Roles'], profile, idx)) if (isRole(r)) roles.add(r)
    for (const v of list(profile.props['Roles'])) if (typeof v === 'string') for (const r of resourcesNamed(v, 'AWS::IAM::Role', idx, profile.stack)) roles.add(r)
  }
  return [...roles]
}

/** A statement and where it comes from. */
export interface GrantedStatement {
  statement: PolicyStatement
  via: string
  policy: Resource
}

/** Policy resources (`AWS::IAM::Policy`, `ManagedPolicy`, `RolePolicy`) attached to each role, from the `attached` edges. */
export function policiesByRole(edges: readonly import('../model/index.js').Edge[], idx: RefIndex): Map<string, Resource[]> {
  const out = new Map<string, Resource[]>()
  for (const e of edges) {
    if (e.kind !== 'attached') continue
    const from = idx.byId.get(e.from)
    const to = idx.byId.get(e.to)
    if (!from || !to || to.type !== 'AWS::IAM::Role') continue
    if (from.type !== 'AWS::IAM::Policy' && from.type !== 'AWS::IAM::ManagedPolicy' && from.type !== 'AWS::IAM::RolePolicy') continue
    const l = out.get(to.id) ?? []
    if (!l.includes(from)) l.push(from)
    out.set(to.id, l)
  }
  return out
}

/** Statements granted to a role by its inline policies and the policies attached to it. */
export function roleStatements(role: Resource, idx: RefIndex, attached: Map<string, Resource[]>): GrantedStatement[] {
  const out: { statement: PolicyStatement; via: string; policy: Resource }[] = []
  for (const p of list(role.props['Policies'])) {
    if (!isObj(p)) continue
    for (const s of statementsOf(p['PolicyDocument'])) out.push({ statement: s, via: `role ${role.name} inline policy ${typeof p['PolicyName'] === 'string' ? p['PolicyName'] : ''}`.trim(), policy: role })
  }
  for (const pol of attached.get(role.id) ?? []) {
    for (const s of statementsOf(pol.props['PolicyDocument'])) out.push({ statement: s, via: `${pol.type === 'AWS::IAM::ManagedPolicy' ? 'managed policy' : 'policy'} ${pol.name}`, policy: pol })
  }
  return out
}
