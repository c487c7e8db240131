import type { Resource } from '../../../model/index.js'
import { fail, manual, pass } from '../../define-check.js'
import type { CheckContext, CheckResult } from '../../types.js'
import { at, bool, describe, isObj, isUnknown, list, num, str } from './values.js'

/** Human label of a resource type for messages ("RDS DB instance"), falling back to the kind. */
export function label(r: Resource): string {
  return LABELS[r.type] ?? r.kind
}

const LABELS: Record<string, string> = {
  'AWS::DynamoDB::Table': 'DynamoDB table',
  'AWS::DynamoDB::GlobalTable': 'DynamoDB global table',
  'AWS::RDS::DBInstance': 'RDS DB instance',
  'AWS::RDS::DBCluster': 'RDS DB cluster',
  'AWS::RDS::DBSnapshot': 'RDS DB snapshot',
  'AWS::RDS::DBClusterSnapshot': 'RDS DB cluster snapshot',
  'AWS::EC2::Volume': 'EBS volume',
  'AWS::EC2::Snapshot': 'EBS snapshot',
  'AWS::SSM::Document': 'SSM document',
  'AWS::CertificateManager::Certificate': 'ACM certificate',
  'AWS::EC2::Instance': 'EC2 instance',
  'AWS::EC2::LaunchTemplate': 'EC2 launch template',
  'AWS::EC2::SecurityGroup': 'Security group',
  'AWS::EC2::Subnet': 'Subnet',
  'AWS::EC2::VPC': 'VPC',
  'AWS::EC2::RouteTable': 'Route table',
  'AWS::EFS::FileSystem': 'EFS file system',
  'AWS::Backup::BackupPlan': 'Backup plan',
  'AWS::Backup::BackupVault': 'Backup vault',
  'AWS::Backup::BackupSelection': 'Backup selection',
  'AWS::SQS::Queue': 'SQS queue',
  'AWS::SNS::Topic': 'SNS topic',
  'AWS::Kinesis::Stream': 'Kinesis stream',
  'AWS::CloudTrail::Trail': 'CloudTrail trail',
  'AWS::Logs::LogGroup': 'Log group',
  'AWS::CloudWatch::Alarm': 'CloudWatch alarm',
  'AWS::WAFv2::WebACL': 'WAF web ACL',
  'AWS::AutoScaling::LaunchConfiguration': 'Launch configuration',
  'AWS::AutoScaling::AutoScalingGroup': 'Auto Scaling group',
  'AWS::ElasticLoadBalancing::LoadBalancer': 'Classic load balancer',
  'AWS::ElasticLoadBalancingV2::LoadBalancer': 'Load balancer',
  'AWS::OpenSearchService::Domain': 'OpenSearch domain',
  'AWS::Elasticsearch::Domain': 'Elasticsearch domain',
  'AWS::Redshift::Cluster': 'Redshift cluster',
  'AWS::ElastiCache::ReplicationGroup': 'ElastiCache replication group',
  'AWS::ElastiCache::CacheCluster': 'ElastiCache cluster',
  'AWS::SageMaker::NotebookInstance': 'SageMaker notebook instance',
  'AWS::SageMaker::EndpointConfig': 'SageMaker endpoint configuration',
  'AWS::EMR::Cluster': 'EMR cluster',
  'AWS::DMS::ReplicationInstance': 'DMS replication instance',
  'AWS::CodeBuild::Project': 'CodeBuild project',
  'AWS::ECS::TaskDefinition': 'ECS task definition',
  'AWS::ElasticBeanstalk::Environment': 'Elastic Beanstalk environment',
  'AWS::GuardDuty::Detector': 'GuardDuty detector',
  'PhiWall::AWS::RegionSettings': 'Region',
}

/** "<Label> <name>": the subject of a message. */
export function subject(r: Resource): string {
  return `${label(r)} ${r.name}`
}

/** Options of {@link judgeBool}. */
export interface BoolJudgement {
  /** Property path (dotted). */
  path: string
  /** The value that is secure. */
  want: boolean
  /** What CloudFormation (or AWS) uses when the property is absent. */
  fallback: boolean
  /** State wording for the secure and insecure outcomes ("has deletion protection on"). */
  good: string
  bad: string
  /** Why the default applies, appended to the failure when the property is absent. */
  defaultNote?: string
}

/**
 * Judge one boolean property against the secure value, using the AWS default when it is absent
 * and `manual` when it is unknown at scan time. The most common shape of a configuration check.
 */
export function judgeBool(r: Resource, j: BoolJudgement): CheckResult {
  const raw = at(r.props, j.path)
  const v = bool(raw, j.fallback)
  if (v === undefined) return manual(`${subject(r)} takes ${j.path} from ${describe(raw)}, unknown at scan time.`, { path: j.path })
  if (v === j.want) return pass(`${subject(r)} ${j.good}.`)
  const absent = raw === undefined || raw === null
  return fail(`${subject(r)} ${j.bad}${absent && j.defaultNote ? ` (${j.defaultNote})` : ''}.`, { path: j.path, evidence: { [j.path]: absent ? `not set (default ${String(j.fallback)})` : describe(raw) } })
}

/** Is a property present with a non-empty, known value? `undefined` when it is unknown. */
export function present(v: unknown): boolean | undefined {
  if (v === undefined || v === null || v === '') return false
  if (isUnknown(v)) return undefined
  return true
}

/** ELBv2-style attribute list (`[{Key, Value}]`) as a map; values stay as written. */
export function keyValueList(v: unknown): Map<string, { value: unknown; index: number }> {
  const out = new Map<string, { value: unknown; index: number }>()
  list(v).forEach((x, i) => {
    if (isObj(x) && typeof x['Key'] === 'string') out.set(x['Key'], { value: x['Value'], index: i })
  })
  return out
}

/** Does a plain-string or referenced value point at `target`? */
export function pointsAt(value: unknown, from: Resource, target: Resource, ctx: CheckContext): boolean {
  if (value === undefined || value === null) return false
  if (ctx.view.refs(value, from).includes(target)) return true
  // a logical id names a resource in its own template only; so does a name generated at deploy time
  const same = from.stack === target.stack
  const names = [...(target.arn ? [target.arn] : []), ...(same || !ctx.view.hasGeneratedName(target) ? [target.name] : []), ...(same ? [target.sourceId] : [])]
  const ids = new Set(names.map((s) => s.toLowerCase()))
  return list(value).some((s) => typeof s === 'string' && ids.has(s.toLowerCase()))
}

/** Resources a value names: references, or plain ids / names of a type (live snapshots). */
export function resolve(value: unknown, from: Resource, ctx: CheckContext, types: string[]): Resource[] {
  const out = new Set(ctx.view.refs(value, from).filter((x) => types.includes(x.type)))
  for (const s of list(value)) {
    if (typeof s !== 'string') continue
    for (const t of types) for (const x of ctx.view.named(s, t, from)) out.add(x)
    for (const t of types) for (const x of ctx.view.ofType(t)) if ((x.sourceId === s && x.stack === from.stack) || x.arn === s) out.add(x)
  }
  return [...out]
}

/** Region settings that apply to a resource: its own region (live), or the single one scanned. */
export function regionSettingsFor(r: Resource, ctx: CheckContext): Resource | undefined {
  const all = ctx.view.ofType('PhiWall::AWS::RegionSettings')
  if (r.region) {
    const own = all.find((s) => (str(s.props['Region']) ?? s.region) === r.region && (!r.account || !s.account || s.account === r.account))
    if (own) return own
  }
  return all.length === 1 ? all[0] : undefined
}

/** A number property with its AWS default; `undefined` when unknown. */
export function numOr(v: unknown, fallback: number): number | undefined {
  if (v === undefined || v === null) return fallback
  return num(v)
}
