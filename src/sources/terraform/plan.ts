import { z } from 'zod'
import type { Diagnostic } from '../../model/index.js'
import type { LineMap, LocatedDocuments } from '../located/index.js'
import type { SourceDocument, SourceResource } from '../types.js'
import { CONVERTERS } from './converters/index.js'
import { tfReader } from './reader.js'
import type { TfConverted, TfResource } from './types.js'

/** Does a parsed document look like `terraform show -json` output of a plan? */
export function looksLikeTerraformPlan(doc: unknown): boolean {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return false
  const d = doc as Record<string, unknown>
  return typeof d['format_version'] === 'string' && ('planned_values' in d || 'resource_changes' in d || 'values' in d)
}

const resourceSchema = z.looseObject({
  address: z.string(),
  mode: z.string().optional(),
  type: z.string(),
  name: z.string(),
  values: z.record(z.string(), z.unknown()).nullable().optional(),
})
const moduleSchema: z.ZodType<{ address?: string; resources?: unknown[]; child_modules?: unknown[] }> = z.lazy(() =>
  z.looseObject({ address: z.string().optional(), resources: z.array(z.unknown()).optional(), child_modules: z.array(moduleSchema).optional() }),
)
const planSchema = z.looseObject({
  format_version: z.string(),
  terraform_version: z.string().optional(),
  planned_values: z.looseObject({ root_module: moduleSchema.optional() }).optional(),
  values: z.looseObject({ root_module: moduleSchema.optional() }).optional(),
  resource_changes: z.array(z.unknown()).optional(),
  configuration: z.unknown().optional(),
})

/**
 * Reads a Terraform plan (JSON from `terraform show -json plan.out`, or of a state with
 * `terraform show -json`) for the AWS provider: each managed resource is converted to the
 * CloudFormation resource(s) it corresponds to, and split resources (`aws_s3_bucket_versioning`,
 * `aws_security_group_rule`, …) are merged into the resource they configure, so every check
 * judges Terraform exactly as it judges CloudFormation.
 */
export function readTerraformPlan(doc: Record<string, unknown>, located: LocatedDocuments, file: string): SourceDocument {
  const diagnostics: Diagnostic[] = [...located.diagnostics]
  const lines = located.lines
  const parsed = planSchema.safeParse(doc)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    diagnostics.push({
      code: 'PW_ERR_TERRAFORM_PLAN_INVALID',
      level: 'error',
      message: `Terraform plan ${file} is invalid at ${issue.path.join('.') || '(root)'}: ${issue.message}.`,
      file,
    })
    return { file, origin: 'terraform', resources: [], diagnostics, context: {} }
  }
  const root = (parsed.data.planned_values?.root_module ?? parsed.data.values?.root_module) as Record<string, unknown> | undefined
  const unknownByAddress = new Map<string, Record<string, unknown>>()
  for (const rc of parsed.data.resource_changes ?? []) {
    if (!rc || typeof rc !== 'object') continue
    const c = rc as Record<string, unknown>
    const change = c['change'] as Record<string, unknown> | undefined
    if (typeof c['address'] === 'string' && change && typeof change['after_unknown'] === 'object' && change['after_unknown']) {
      unknownByAddress.set(c['address'], change['after_unknown'] as Record<string, unknown>)
    }
  }
  const references = collectReferences(parsed.data.configuration)
  const tfResources: TfResource[] = []
  const walk = (mod: Record<string, unknown> | undefined, prefix: string): void => {
    if (!mod) return
    for (const raw of (mod['resources'] as unknown[]) ?? []) {
      const r = resourceSchema.safeParse(raw)
      if (!r.success) {
        const line = lines.lineOf(raw)
        diagnostics.push({
          code: 'PW_ERR_TERRAFORM_PLAN_INVALID',
          level: 'error',
          message: `Terraform plan ${file} has an invalid resource${line ? ` at line ${line}` : ''}: ${r.error.issues[0]!.message}.`,
          file,
          ...(line ? { line } : {}),
        })
        continue
      }
      if (r.data.mode && r.data.mode !== 'managed') continue
      const configAddress = r.data.address.replace(/\[[^\]]*\]$/, '')
      const line = lines.lineOf(raw)
      tfResources.push({
        address: r.data.address,
        type: r.data.type,
        name: r.data.name,
        values: (r.data.values ?? {}) as Record<string, unknown>,
        unknown: unknownByAddress.get(r.data.address) ?? {},
        references: references.get(configAddress) ?? {},
        modulePrefix: prefix,
        ...(line !== undefined ? { line } : {}),
      })
    }
    for (const child of (mod['child_modules'] as unknown[]) ?? []) {
      const c = child as Record<string, unknown>
      walk(c, typeof c['address'] === 'string' ? `${c['address']}.` : prefix)
    }
  }
  walk(root, '')

  const resources: SourceResource[] = []
  const merges: { item: Extract<TfConverted, { mergeInto: unknown }>; from: TfResource }[] = []
  const unsupported = new Map<string, number>()
  for (const tf of tfResources) {
    const convert = CONVERTERS[tf.type]
    if (!convert) {
      if (tf.type.startsWith('aws_')) unsupported.set(tf.type, (unsupported.get(tf.type) ?? 0) + 1)
      continue
    }
    let out: TfConverted[]
    try {
      out = convert(tfReader(tf))
    } catch (err) {
      diagnostics.push({
        code: 'PW_ERR_TERRAFORM_PLAN_INVALID',
        level: 'error',
        message: `Terraform resource ${tf.address} in ${file} could not be converted (${err instanceof Error ? err.message : 'error'}).`,
        file,
        ...(tf.line !== undefined ? { line: tf.line } : {}),
      })
      continue
    }
    for (const item of out) {
      if ('mergeInto' in item) {
        merges.push({ item, from: tf })
        continue
      }
      const s: SourceResource = {
        sourceId: item.sourceId,
        type: item.type,
        properties: item.properties,
        propLines: {},
        dependsOn: [],
        ...(tf.line !== undefined ? { line: tf.line } : {}),
        ...(item.generatedFrom ? { generatedFrom: item.generatedFrom } : {}),
      }
      resources.push(s)
    }
  }
  applyMerges(resources, merges, diagnostics, file)
  if (unsupported.size) {
    diagnostics.push({
      code: 'PW_ERR_TERRAFORM_PLAN_INVALID',
      level: 'warning',
      message: `Terraform plan ${file} has AWS resource types PhiWall does not judge yet: ${[...unsupported.entries()].map(([t, n]) => `${t} (${n})`).slice(0, 12).join(', ')}${unsupported.size > 12 ? ', …' : ''}.`,
      file,
    })
  }
  return { file, origin: 'terraform', resources, diagnostics, context: {} }
}

/** `configuration` of a plan → address → attribute → referenced addresses (module-qualified). */
function collectReferences(configuration: unknown): Map<string, Record<string, string[]>> {
  const out = new Map<string, Record<string, string[]>>()
  const walkModule = (mod: unknown, prefix: string): void => {
    if (!mod || typeof mod !== 'object') return
    const m = mod as Record<string, unknown>
    for (const r of (m['resources'] as unknown[]) ?? []) {
      if (!r || typeof r !== 'object') continue
      const res = r as Record<string, unknown>
      if (typeof res['address'] !== 'string') continue
      const refs: Record<string, string[]> = {}
      const exprs = (res['expressions'] ?? {}) as Record<string, unknown>
      collectExpressionRefs(exprs, '', refs, prefix)
      out.set(prefix + res['address'], refs)
    }
    const calls = (m['module_calls'] ?? {}) as Record<string, unknown>
    for (const [name, call] of Object.entries(calls)) {
      walkModule((call as Record<string, unknown>)?.['module'], `${prefix}module.${name}.`)
    }
  }
  walkModule((configuration as Record<string, unknown> | undefined)?.['root_module'], '')
  return out
}

function collectExpressionRefs(node: unknown, path: string, out: Record<string, string[]>, prefix: string): void {
  if (!node || typeof node !== 'object') return
  if (Array.isArray(node)) {
    node.forEach((n) => collectExpressionRefs(n, path, out, prefix))
    return
  }
  const o = node as Record<string, unknown>
  if (Array.isArray(o['references'])) {
    const refs = o['references'].filter((x): x is string => typeof x === 'string').map((x) => (/^(var|local|data|each|count|path|module)\./.test(x) ? x : prefix + x))
    if (path) (out[path] ??= []).push(...refs)
    return
  }
  for (const [k, v] of Object.entries(o)) {
    if (k === 'constant_value') continue
    // nested blocks keep the top-level attribute name (`server_side_encryption_configuration`)
    collectExpressionRefs(v, path || k, out, prefix)
  }
}

function applyMerges(
  resources: SourceResource[],
  merges: { item: Extract<TfConverted, { mergeInto: unknown }>; from: TfResource }[],
  diagnostics: Diagnostic[],
  file: string,
): void {
  for (const { item, from } of merges) {
    const target = findTarget(resources, item.mergeInto.type, item.mergeInto.target)
    if (!target) {
      // the configured resource is outside this plan: keep the settings as a resource of their own
      resources.push({
        sourceId: from.address,
        type: item.mergeInto.type,
        properties: item.properties,
        propLines: {},
        dependsOn: [],
        ...(from.line !== undefined ? { line: from.line } : {}),
      })
      continue
    }
    for (const [k, v] of Object.entries(item.properties)) {
      if (v === undefined) continue
      if (item.append?.includes(k) && Array.isArray(v)) {
        const cur = target.properties[k]
        target.properties[k] = [...(Array.isArray(cur) ? cur : []), ...v]
      } else {
        target.properties[k] = v
      }
      if (from.line !== undefined) target.propLines[k] = from.line
    }
  }
  void diagnostics
  void file
}

function findTarget(resources: SourceResource[], type: string, target: unknown): SourceResource | undefined {
  if (target && typeof target === 'object') {
    const t = target as Record<string, unknown>
    const address = typeof t['Ref'] === 'string' ? t['Ref'] : Array.isArray(t['Fn::GetAtt']) ? (t['Fn::GetAtt'] as unknown[])[0] : undefined
    if (typeof address === 'string') return resources.find((r) => r.type === type && (r.sourceId === address || r.sourceId.replace(/\[[^\]]*\]$/, '') === address))
    return undefined
  }
  if (typeof target === 'string') {
    return resources.find((r) => r.type === type && Object.values(r.properties).some((v) => v === target) && PHYSICAL_NAME_KEYS.some((k) => r.properties[k] === target))
  }
  return undefined
}

/** Property names that carry a resource's physical name or id in CloudFormation shape. */
const PHYSICAL_NAME_KEYS = ['BucketName', 'GroupId', 'FunctionName', 'RoleName', 'QueueName', 'TopicName', 'TableName', 'Id', 'Name', 'ApiId', 'RestApiId', 'Arn', 'KeyId']

/** Lines are not meaningful in plans printed on one line; keep the declaration line only. */
export type { LineMap }
