import { describe, expect, it } from 'vitest'
import { parseAddress } from './address.js'
import { expressionAt, TfConfig } from './config.js'

const refs = (...r: string[]): { references: string[] } => ({ references: r })

/** A configuration in the shape `terraform show -json` writes, with a module called twice by for_each. */
const configuration = {
  provider_config: { aws: { name: 'aws', expressions: { region: { constant_value: 'us-east-1' } } }, 'aws.west': { name: 'aws', alias: 'west', expressions: { region: { constant_value: 'us-west-2' } } } },
  root_module: {
    resources: [
      { address: 'aws_kms_key.phi', mode: 'managed', type: 'aws_kms_key', name: 'phi', expressions: {} },
      { address: 'aws_s3_bucket.logs', mode: 'managed', type: 'aws_s3_bucket', name: 'logs', expressions: { bucket: refs('each.key') }, for_each_expression: refs('local.buckets') },
      {
        address: 'aws_s3_bucket_versioning.logs',
        mode: 'managed',
        type: 'aws_s3_bucket_versioning',
        name: 'logs',
        expressions: { bucket: refs('each.value.id', 'each.value') },
        for_each_expression: refs('aws_s3_bucket.logs'),
      },
      { address: 'aws_subnet.private', mode: 'managed', type: 'aws_subnet', name: 'private', expressions: {}, count_expression: { constant_value: 2 } },
      { address: 'aws_instance.app', mode: 'managed', type: 'aws_instance', name: 'app', expressions: { subnet_id: refs('aws_subnet.private', 'count.index') }, count_expression: { constant_value: 2 } },
      { address: 'aws_lb.main', mode: 'managed', type: 'aws_lb', name: 'main', expressions: { subnets: refs('aws_subnet.private') } },
      { address: 'aws_cloudwatch_log_metric_filter.f', mode: 'managed', type: 'aws_cloudwatch_log_metric_filter', name: 'f', expressions: { log_group_name: refs('module.audit["eu"].log_group', 'module.audit["eu"]', 'module.audit') } },
      { address: 'data.aws_iam_policy_document.p', mode: 'data', type: 'aws_iam_policy_document', name: 'p', expressions: {} },
    ],
    module_calls: {
      audit: {
        source: './modules/audit',
        for_each_expression: refs('local.regions'),
        expressions: { key_arn: refs('aws_kms_key.phi.arn', 'aws_kms_key.phi'), bucket: refs('each.value') },
        module: {
          resources: [
            { address: 'aws_cloudwatch_log_group.trail', mode: 'managed', type: 'aws_cloudwatch_log_group', name: 'trail', expressions: { kms_key_id: refs('var.key_arn') } },
            { address: 'aws_cloudtrail.main', mode: 'managed', type: 'aws_cloudtrail', name: 'main', expressions: { cloud_watch_logs_group_arn: refs('aws_cloudwatch_log_group.trail.arn', 'aws_cloudwatch_log_group.trail') } },
          ],
          outputs: { log_group: { expression: refs('aws_cloudwatch_log_group.trail.name', 'aws_cloudwatch_log_group.trail') } },
        },
      },
    },
  },
}

const planned = [
  'aws_kms_key.phi',
  'aws_s3_bucket.logs["access"]',
  'aws_s3_bucket.logs["exports"]',
  'aws_s3_bucket_versioning.logs["access"]',
  'aws_s3_bucket_versioning.logs["exports"]',
  'aws_subnet.private[0]',
  'aws_subnet.private[1]',
  'aws_instance.app[0]',
  'aws_instance.app[1]',
  'aws_lb.main',
  'aws_cloudwatch_log_metric_filter.f',
  'module.audit["eu"].aws_cloudwatch_log_group.trail',
  'module.audit["us"].aws_cloudwatch_log_group.trail',
  'module.audit["eu"].aws_cloudtrail.main',
].map((a) => parseAddress(a)!)

const config = new TfConfig(configuration, planned)
const addresses = (t: { address: string }[]): string[] => t.map((x) => x.address)

describe('TfConfig.resolve', () => {
  it('reads provider regions and resource blocks by module path', () => {
    expect(config.regions.get('aws')).toBe('us-east-1')
    expect(config.regions.get('aws.west')).toBe('us-west-2')
    expect(config.resource(parseAddress('module.audit["us"].aws_cloudtrail.main')!)?.expressions).toHaveProperty('cloud_watch_logs_group_arn')
  })

  it('qualifies references inside a module with the module instance', () => {
    const t = config.resolve(['aws_cloudwatch_log_group.trail.arn', 'aws_cloudwatch_log_group.trail'], { modules: [{ name: 'audit', key: 'eu' }] })
    expect(t).toEqual([{ address: 'module.audit["eu"].aws_cloudwatch_log_group.trail', mode: 'managed', type: 'aws_cloudwatch_log_group', attr: 'arn', inPlan: true }])
  })

  it('follows var.* through the module call to the caller', () => {
    const t = config.resolve(['var.key_arn'], { modules: [{ name: 'audit', key: 'us' }] })
    expect(t).toEqual([{ address: 'aws_kms_key.phi', mode: 'managed', type: 'aws_kms_key', attr: 'arn', inPlan: true }])
  })

  it('follows module outputs into the module instance named', () => {
    const t = config.resolve(['module.audit["eu"].log_group', 'module.audit["eu"]', 'module.audit'], { modules: [] })
    expect(addresses(t)).toEqual(['module.audit["eu"].aws_cloudwatch_log_group.trail'])
    expect(t[0]!.attr).toBe('name')
  })

  it('resolves each.value of a for_each over another resource to the instance with the same key', () => {
    const t = config.resolve(['each.value.id', 'each.value'], { modules: [], key: 'exports', forEach: { references: ['aws_s3_bucket.logs'] } })
    expect(t).toEqual([{ address: 'aws_s3_bucket.logs["exports"]', mode: 'managed', type: 'aws_s3_bucket', attr: 'id', inPlan: true }])
  })

  it('indexes by count.index / each.key where the expression does', () => {
    expect(addresses(config.resolve(['aws_subnet.private', 'count.index'], { modules: [], key: 1 }))).toEqual(['aws_subnet.private[1]'])
  })

  it('reads a reference to a whole counted resource (a splat) as every instance', () => {
    expect(addresses(config.resolve(['aws_subnet.private'], { modules: [] }))).toEqual(['aws_subnet.private[0]', 'aws_subnet.private[1]'])
  })

  it('skips the shorter entries that repeat a longer reference', () => {
    const t = config.resolve(['aws_s3_bucket.logs["access"].arn', 'aws_s3_bucket.logs["access"]', 'aws_s3_bucket.logs'], { modules: [] })
    expect(t).toEqual([{ address: 'aws_s3_bucket.logs["access"]', mode: 'managed', type: 'aws_s3_bucket', attr: 'arn', inPlan: true }])
  })

  it('names data sources and resources outside the plan without claiming they are in it', () => {
    expect(config.resolve(['data.aws_iam_policy_document.p.json', 'data.aws_iam_policy_document.p'], { modules: [] })).toEqual([
      { address: 'data.aws_iam_policy_document.p', mode: 'data', type: 'aws_iam_policy_document', attr: 'json', inPlan: false },
    ])
    expect(config.resolve(['aws_sqs_queue.gone.arn', 'aws_sqs_queue.gone'], { modules: [] })[0]!.inPlan).toBe(false)
  })

  it('cannot resolve locals, paths or variables of the root module', () => {
    expect(config.resolve(['local.tags', 'var.environment', 'path.module', 'terraform.workspace', 'each.key'], { modules: [] })).toEqual([])
  })
})

describe('expressionAt', () => {
  const expressions = {
    vpc_config: [{ subnet_ids: refs('aws_subnet.a.id', 'aws_subnet.a') }],
    ingress: [{ security_groups: refs('aws_security_group.x.id', 'aws_security_group.x') }, { cidr_blocks: { constant_value: ['10.0.0.0/8'] } }],
    tags: { constant_value: { Name: 'x' } },
  }

  it('finds the expression of a nested attribute and the path inside it', () => {
    expect(expressionAt(expressions, ['vpc_config', 0, 'subnet_ids', 1])).toEqual({ found: true, expression: refs('aws_subnet.a.id', 'aws_subnet.a'), inside: [1] })
    expect(expressionAt(expressions, ['tags', 'Name'])).toEqual({ found: true, expression: { constant_value: { Name: 'x' } }, inside: ['Name'] })
  })

  it('reports attributes the configuration does not set', () => {
    expect(expressionAt(expressions, ['kms_key_arn']).found).toBe(false)
    expect(expressionAt(expressions, ['vpc_config', 0, 'ipv6_allowed_for_dual_stack']).found).toBe(false)
  })

  it('combines the blocks of a set, whose order the plan does not keep', () => {
    expect(expressionAt(expressions, ['ingress', 1, 'security_groups', 0])).toEqual({ found: true, expression: refs('aws_security_group.x.id', 'aws_security_group.x'), inside: [0] })
  })
})
