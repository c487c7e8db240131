import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { LineIndex, LineMap } from '../located/index.js'
import type { SourceDocument } from '../types.js'
import { CONVERTERS } from './converters/index.js'
import { readTerraformPlan } from './plan.js'
import { readTerraformPlanText } from './recover.js'
import { fixtureText, readFixture } from './testdata/load.js'

const located = { documents: [], lines: new LineMap(), index: new LineIndex(''), diagnostics: [] }
const read = (doc: Record<string, unknown>): SourceDocument => readTerraformPlan(doc, located, 'fuzz.json')

/** What any document read must look like, whatever went in. */
function wellFormed(d: SourceDocument): void {
  expect(d.origin).toBe('terraform')
  for (const r of d.resources) {
    expect(typeof r.sourceId).toBe('string')
    expect(typeof r.type).toBe('string')
    expect(r.properties !== null && typeof r.properties === 'object' && !Array.isArray(r.properties)).toBe(true)
    expect(Array.isArray(r.dependsOn)).toBe(true)
  }
  for (const x of d.diagnostics) {
    expect(x.code).toMatch(/^PW_ERR_/)
    expect(x.file).toBe(d.file)
    // a converter meets odd values with undefined, not an exception
    expect(x.message).not.toContain('could not be converted')
  }
}

// attribute names the converters read, so random values reach their branches
const ATTRS = [
  'id', 'arn', 'name', 'bucket', 'policy', 'role', 'tags', 'tags_all', 'rule', 'status', 'versioning_configuration', 'apply_server_side_encryption_by_default', 'sse_algorithm',
  'kms_master_key_id', 'kms_key_id', 'kms_key_arn', 'ingress', 'egress', 'cidr_blocks', 'security_groups', 'self', 'from_port', 'to_port', 'protocol', 'type', 'security_group_id',
  'environment', 'variables', 'vpc_config', 'subnet_ids', 'security_group_ids', 'function_name', 'statement', 'assume_role_policy', 'inline_policy', 'managed_policy_arns', 'policy_arn',
  'user', 'group', 'users', 'roles', 'groups', 'container_definitions', 'body', 'settings', 'method_path', 'stage_name', 'rest_api_id', 'resource_id', 'http_method', 'default_action',
  'access_logs', 'listener', 'point_in_time_recovery', 'server_side_encryption', 'enabled', 'queue_url', 'target_bucket', 'redrive_policy', 'metadata_options', 'root_block_device',
  'setting', 'content', 'definition', 'event_pattern', 'values', 'internal', 'events', 'lambda_function', 'grant', 'uri', 'permission', 'logging_configuration', 'log_destination',
  'region', 'is_multi_region_trail', 'enable_logging', 'target_id', 'vpc_id', 'subnet_id', 'route', 'cidr_block', 'rule_no', 'action', 'visibility_config', 'block_device_mappings',
]
const attr = fc.constantFrom(...ATTRS)
const leaf = fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.boolean(), fc.constant(null), fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)), fc.constantFrom('arn:aws:s3:::b', 'sg-0123456789abcdef0', '-1', 'Enabled', '*/*', 'tcp', 'true'))
const { value: tfValue } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('value'), { maxLength: 3 }), fc.dictionary(attr, tie('value'), { maxKeys: 5 })),
}))
const { tree: unknownTree } = fc.letrec<{ tree: unknown }>((tie) => ({
  tree: fc.oneof({ depthSize: 'small' }, fc.boolean(), fc.array(tie('tree'), { maxLength: 3 }), fc.dictionary(attr, tie('tree'), { maxKeys: 4 })),
}))
const type = fc.constantFrom(...Object.keys(CONVERTERS), 'aws_route53_zone', 'random_password')
const name = fc.stringMatching(/^[a-z][a-z0-9_]{0,6}$/)
const key = fc.option(fc.oneof(fc.nat(3), fc.constantFrom('a', 'b.c', 'x]"y')), { nil: undefined })
const moduleName = fc.option(fc.constantFrom('audit', 'net'), { nil: undefined })

const resource = fc.record({ type, name, key, module: moduleName, values: fc.dictionary(attr, tfValue, { maxKeys: 8 }), unknown: fc.dictionary(attr, unknownTree, { maxKeys: 4 }) })
const addressOf = (r: { type: string; name: string; key: string | number | undefined; module: string | undefined }): string =>
  `${r.module ? `module.${r.module}.` : ''}${r.type}.${r.name}${r.key === undefined ? '' : `[${JSON.stringify(r.key)}]`}`

/** A plan whose parts hang together (addresses, changes, configuration) with random contents. */
const planDoc = fc
  .record({ resources: fc.array(resource, { maxLength: 12 }), extraRefs: fc.array(fc.string({ maxLength: 20 }), { maxLength: 4 }), withConfig: fc.boolean(), withChanges: fc.boolean(), seed: fc.nat() })
  .chain(({ resources, extraRefs, withConfig, withChanges }) => {
    const addresses = resources.map(addressOf)
    const refString = fc.oneof(
      fc.constantFrom(...(addresses.length ? addresses : ['aws_s3_bucket.x'])).chain((a) => fc.constantFrom(a, `${a.replace(/^module\.[a-z]+\./, '')}.arn`, `${a.replace(/^module\.[a-z]+\./, '').replace(/\[.*\]$/, '')}`)),
      fc.constantFrom('each.value', 'each.value.id', 'each.key', 'count.index', 'var.kms_key_arn', 'module.audit.log_group', 'module.audit', 'data.aws_iam_policy_document.p.json', 'local.x', ...extraRefs),
    )
    const { expr } = fc.letrec<{ expr: unknown }>((tie) => ({
      expr: fc.oneof({ depthSize: 'small' }, fc.record({ references: fc.array(refString, { maxLength: 4 }) }), fc.record({ constant_value: tfValue }), fc.array(fc.dictionary(attr, tie('expr'), { maxKeys: 3 }), { maxLength: 2 })),
    }))
    const cfg = (rs: typeof resources) =>
      fc.tuple(...rs.map(() => fc.dictionary(attr, expr, { maxKeys: 5 }))).map((exprs) =>
        rs.map((r, i) => ({ address: `${r.type}.${r.name}`, mode: 'managed', type: r.type, name: r.name, expressions: exprs[i], ...(r.key !== undefined ? { for_each_expression: { references: [addresses[0] ?? 'local.x'] } } : {}) })),
      )
    return fc.tuple(cfg(resources.filter((r) => !r.module)), cfg(resources.filter((r) => r.module === 'audit')), fc.dictionary(fc.constantFrom('kms_key_arn', 'bucket'), expr, { maxKeys: 2 })).map(([root, audit, callExprs]) => {
      const planned = (m: string | undefined) =>
        resources.filter((r) => r.module === m).map((r) => ({ address: addressOf(r), mode: 'managed', type: r.type, name: r.name, ...(r.key !== undefined ? { index: r.key } : {}), values: r.values }))
      const doc: Record<string, unknown> = {
        format_version: '1.2',
        planned_values: { root_module: { resources: planned(undefined), child_modules: ['audit', 'net'].map((m) => ({ address: `module.${m}`, resources: planned(m) })) } },
      }
      if (withChanges) doc['resource_changes'] = resources.map((r) => ({ address: addressOf(r), mode: 'managed', type: r.type, name: r.name, change: { actions: ['create'], after: r.values, after_unknown: r.unknown } }))
      if (withConfig) {
        doc['configuration'] = {
          provider_config: { aws: { expressions: { region: { constant_value: 'us-east-1' } } } },
          root_module: { resources: root, module_calls: { audit: { source: './audit', expressions: callExprs, module: { resources: audit, outputs: { log_group: { expression: { references: addresses.slice(0, 2) } } } } } } },
        }
      }
      return doc
    })
  })

describe('readTerraformPlan never throws', () => {
  it('on random JSON in any section', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom('format_version', 'planned_values', 'values', 'resource_changes', 'configuration', 'prior_state', 'variables'), fc.jsonValue({ maxDepth: 6 })), (doc) => {
        wellFormed(read(doc as Record<string, unknown>))
      }),
      { numRuns: 400 },
    )
  })

  it('on random plan-shaped documents (addresses, changes, references, modules and for_each that hang together)', () => {
    fc.assert(
      fc.property(planDoc, (doc) => {
        wellFormed(read(doc))
      }),
      { numRuns: 400 },
    )
  })

  it('on every prefix of a real plan, reading only resources the full plan has', () => {
    const text = fixtureText('clinic-plan.json')
    const full = new Set(readFixture('clinic-plan.json', text).resources.map((r) => r.sourceId))
    fc.assert(
      fc.property(fc.integer({ min: 0, max: text.length }), (n) => {
        const d = readTerraformPlanText(text.slice(0, n), 'plan.json')
        if (!d) return
        wellFormed(d)
        for (const r of d.resources) expect(full.has(r.sourceId) || r.sourceId.includes('#')).toBe(true)
        if (n < text.trimEnd().length) expect(d.diagnostics.some((x) => x.level === 'error')).toBe(true)
      }),
      { numRuns: 60 },
    )
  }, 60_000)

  it('on a real plan with a character changed anywhere', () => {
    const text = fixtureText('telehealth-state.json')
    fc.assert(
      fc.property(fc.integer({ min: 0, max: text.length - 1 }), fc.constantFrom('"', '{', '}', ']', ',', 'x', '0', ' '), (i, c) => {
        const d = readTerraformPlanText(text.slice(0, i) + c + text.slice(i + 1), 'state.json')
        if (d) wellFormed(d)
      }),
      { numRuns: 40 },
    )
  }, 60_000)
})
