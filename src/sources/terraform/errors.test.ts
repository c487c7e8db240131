import { describe, expect, it } from 'vitest'
import { parseJsonLocated } from '../located/index.js'
import { isIntrinsic } from '../cloudformation/index.js'
import { readTerraformPlan } from './plan.js'
import { readTerraformPlanText } from './recover.js'
import { fixtureText, readFixture, resourceLine } from './testdata/load.js'

const text = fixtureText('clinic-plan.json')
const full = readFixture('clinic-plan.json', text)

/** Reads a plan object built in the test, with lines as if it were written pretty-printed. */
function readObject(doc: unknown, file = 'plan.json'): ReturnType<typeof readTerraformPlan> {
  const t = JSON.stringify(doc, null, 2)
  const located = parseJsonLocated(t, { file })
  return readTerraformPlan(located.documents[0] as Record<string, unknown>, located, file)
}

const errors = (d: { diagnostics: { code: string; level: string }[] }): { code: string; level: string }[] => d.diagnostics.filter((x) => x.level === 'error')

describe('a truncated plan', () => {
  // cut inside the Lambda function's planned values, as a CI log limit would
  const cutAt = text.indexOf('"address": "aws_lambda_function.intake"') + 400
  const cut = readTerraformPlanText(text.slice(0, cutAt), 'plan.json')!

  it('is read up to the fault, with an error naming the line', () => {
    expect(cut).toBeDefined()
    const d = cut.diagnostics.find((x) => x.code === 'PW_ERR_TERRAFORM_PLAN_INVALID' && x.level === 'error')!
    expect(d.message).toMatch(/cut off or malformed at line \d+/)
    expect(d.line).toBe(text.slice(0, cutAt).split('\n').length)
    expect(cut.diagnostics.some((x) => x.code === 'PW_ERR_JSON_SYNTAX')).toBe(true)
  })

  it('judges the resources written completely before the fault, and not the one it cuts through', () => {
    const ids = cut.resources.map((r) => r.sourceId)
    expect(ids).toContain('aws_kms_key.phi')
    expect(ids).toContain('aws_s3_bucket.phi')
    expect(ids).toContain('aws_iam_role.intake')
    expect(ids).not.toContain('aws_lambda_function.intake')
    expect(ids).not.toContain('aws_dynamodb_table.patients')
    expect(ids.every((id) => full.resources.some((r) => r.sourceId === id) || id.includes('#'))).toBe(true)
  })

  it('keeps what it cannot tell unknown: the configuration and the unknown markers are gone with the tail', () => {
    // the bucket the split resources configure is named only after apply; with no configuration
    // left to say which, their settings are unknown for the bucket, not absent
    const bucket = cut.resources.find((r) => r.sourceId === 'aws_s3_bucket.phi')!
    const sse = bucket.properties['BucketEncryption'] as { ServerSideEncryptionConfiguration: { ServerSideEncryptionByDefault: { SSEAlgorithm: unknown } }[] }
    expect(isIntrinsic(sse.ServerSideEncryptionConfiguration[0]!.ServerSideEncryptionByDefault.SSEAlgorithm)).toBe(true)
    expect(isIntrinsic((bucket.properties['VersioningConfiguration'] as { Status: unknown }).Status)).toBe(true)
    expect(isIntrinsic(bucket.properties['AccessControl'])).toBe(true)
    // the split bucket resources cannot be placed; a bucket without a value of its own for a setting gets an unknown one
    expect(cut.diagnostics.some((x) => x.level === 'warning' && x.message.includes('aws_s3_bucket_public_access_block.phi') && x.message.includes('named only after apply'))).toBe(true)
    expect(isIntrinsic(bucket.properties['PublicAccessBlockConfiguration'])).toBe(true)
    // attributes left out of planned values are unknown, not unset
    const key = cut.resources.find((r) => r.sourceId === 'aws_kms_alias.phi')!
    expect(isIntrinsic(key.properties['TargetKeyId'])).toBe(true)
  })

  it('does not trust a resource change the cut opens but does not close', () => {
    // cut right after `"change": {` of a security group rule: what it would say is unknown is lost
    const at = text.indexOf('"change": {', text.indexOf('"address": "aws_security_group_rule.db_admin"', text.indexOf('"resource_changes"'))) + '"change": {'.length
    const d = readTerraformPlanText(text.slice(0, at), 'plan.json')!
    // its group is named only after apply: the rule is not mistaken for one on a group outside the plan
    expect(d.resources.some((r) => r.sourceId === 'aws_security_group_rule.db_admin')).toBe(false)
    expect(d.diagnostics.some((x) => x.message.includes('aws_security_group_rule.db_admin') && x.message.includes('named only after apply'))).toBe(true)
  })

  it('is not a plan when the cut leaves nothing that looks like one', () => {
    expect(readTerraformPlanText(text.slice(0, 10), 'plan.json')).toBeUndefined()
    expect(readTerraformPlanText('{"resources": [', 'x.json')).toBeUndefined()
    expect(readTerraformPlanText('', 'x.json')).toBeUndefined()
  })

  it('reads a complete plan text as readTerraformPlan does', () => {
    const d = readTerraformPlanText(text, 'clinic-plan.json')!
    expect(d.resources.map((r) => r.sourceId)).toEqual(full.resources.map((r) => r.sourceId))
    expect(d.diagnostics).toEqual([])
  })
})

describe('invalid resources and sections', () => {
  const plan = JSON.parse(text) as Record<string, any>

  it('reports a resource with no type, with its line, and reads the rest', () => {
    const copy = structuredClone(plan)
    const resources = copy['planned_values']['root_module']['resources'] as Record<string, unknown>[]
    const topic = resources.find((r) => r['address'] === 'aws_sns_topic.alerts')!
    delete topic['type']
    const t = JSON.stringify(copy, null, 2)
    const located = parseJsonLocated(t, { file: 'plan.json' })
    const d = readTerraformPlan(located.documents[0] as Record<string, unknown>, located, 'plan.json')
    const err = errors(d)
    expect(err).toHaveLength(1)
    expect(d.diagnostics[0]).toMatchObject({ code: 'PW_ERR_TERRAFORM_PLAN_INVALID', level: 'error', file: 'plan.json', line: resourceLine(t, 'aws_sns_topic.alerts') })
    expect(d.diagnostics[0]!.message).toContain('type')
    expect(d.resources.map((r) => r.sourceId)).toEqual(full.resources.map((r) => r.sourceId).filter((id) => id !== 'aws_sns_topic.alerts'))
    // what referred to the topic still does, as a reference to a resource the inventory does not have
    expect(d.resources.find((r) => r.sourceId === 'aws_cloudwatch_metric_alarm.unauthorized')!.properties['AlarmActions']).toEqual([{ 'Fn::GetAtt': ['aws_sns_topic.alerts', 'Arn'] }])
  })

  it('reports an address that does not match its type and name', () => {
    const copy = structuredClone(plan)
    copy['planned_values']['root_module']['resources'][0]['address'] = 'aws_kms_key.other'
    const d = readObject(copy)
    expect(errors(d)).toHaveLength(1)
    expect(d.diagnostics[0]!.message).toContain('does not match its type and name')
    expect(d.resources).toHaveLength(full.resources.length - 1)
  })

  it('falls back to resource_changes when planned_values is not an object', () => {
    const copy = structuredClone(plan)
    copy['planned_values'] = 'broken'
    const d = readObject(copy)
    expect(errors(d).map((x) => x.code)).toEqual(['PW_ERR_TERRAFORM_PLAN_INVALID'])
    expect(d.resources.map((r) => r.sourceId).sort()).toEqual(full.resources.map((r) => r.sourceId).sort())
  })

  it('reads a plan that has only resource_changes, skipping deleted resources', () => {
    const copy = structuredClone(plan)
    delete copy['planned_values']
    const gone = copy['resource_changes'].find((c: any) => c.address === 'aws_sns_topic.alerts')
    gone.change.actions = ['delete']
    gone.change.after = null
    const d = readObject(copy)
    expect(d.diagnostics).toEqual([])
    expect(d.resources.some((r) => r.sourceId === 'aws_sns_topic.alerts')).toBe(false)
    expect(d.resources.find((r) => r.sourceId === 'aws_s3_bucket.phi')!.properties['VersioningConfiguration']).toEqual({ Status: 'Enabled' })
  })

  it('reports invalid resource changes and a plan without a format version, and goes on', () => {
    const copy = structuredClone(plan)
    copy['resource_changes'].push({ address: 7 }, 'nonsense')
    delete copy['format_version']
    const d = readObject(copy)
    expect(errors(d)).toHaveLength(3)
    expect(d.resources).toHaveLength(full.resources.length)
  })

  it('warns about AWS types it does not judge and about settings for resources outside the plan', () => {
    const d = readObject({
      format_version: '1.2',
      planned_values: {
        root_module: {
          resources: [
            { address: 'aws_route53_zone.main', mode: 'managed', type: 'aws_route53_zone', name: 'main', values: { name: 'example-health.org' } },
            { address: 'aws_s3_bucket_versioning.shared', mode: 'managed', type: 'aws_s3_bucket_versioning', name: 'shared', values: { bucket: 'shared-artifacts', versioning_configuration: [{ status: 'Enabled' }] } },
            { address: 'random_password.db', mode: 'managed', type: 'random_password', name: 'db', values: { length: 32 } },
          ],
        },
      },
      resource_changes: [],
    })
    expect(d.resources).toEqual([])
    expect(d.diagnostics.map((x) => x.level)).toEqual(['warning', 'warning'])
    expect(d.diagnostics[0]!.message).toContain('aws_s3_bucket_versioning.shared')
    expect(d.diagnostics[1]!.message).toContain('aws_route53_zone (1)')
    expect(d.diagnostics[1]!.message).not.toContain('random_password')
  })

  it('keeps keys such as __proto__ as plain data', () => {
    const t = `{"format_version": "1.2", "planned_values": {"root_module": {"resources": [{"address": "aws_lambda_function.f", "mode": "managed", "type": "aws_lambda_function", "name": "f",
      "values": {"function_name": "f", "environment": [{"variables": {"__proto__": {"polluted": "yes"}, "constructor": "x"}}], "container_definitions": "[]"}}]}}}`
    const located = parseJsonLocated(t, { file: 'plan.json' })
    const d = readTerraformPlan(located.documents[0] as Record<string, unknown>, located, 'plan.json')
    const vars = (d.resources[0]!.properties['Environment'] as { Variables: Record<string, unknown> }).Variables
    expect(Object.getPrototypeOf(vars)).toBe(Object.prototype)
    expect(Object.getOwnPropertyNames(vars).sort()).toEqual(['__proto__', 'constructor'])
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
  })
})
