import { z } from 'zod'
import type { Diagnostic } from '../../model/index.js'
import type { LineMap, LocatedDocuments } from '../located/index.js'
import type { DocumentContext, SourceDocument, SourceResource } from '../types.js'
import { formatAddress, formatKey, formatModules, parseAddress, resourceOf, type TfAddress } from './address.js'
import { TfConfig } from './config.js'
import { CONVERTERS } from './converters/index.js'
import { tfReader } from './reader.js'
import type { TfConverted, TfMerge, TfOwnResource, TfPlanContext, TfResource } from './types.js'

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v)

/** Does a parsed document look like `terraform show -json` output of a plan or a state? */
export function looksLikeTerraformPlan(doc: unknown): boolean {
  if (!isObj(doc)) return false
  return typeof doc['format_version'] === 'string' && ('planned_values' in doc || 'resource_changes' in doc || 'values' in doc)
}

const resourceSchema = z.looseObject({
  address: z.string().min(1),
  mode: z.string().optional(),
  type: z.string().min(1),
  name: z.string().min(1),
  index: z.union([z.string(), z.number()]).optional(),
  values: z.record(z.string(), z.unknown()).nullable().optional(),
})
const moduleSchema = z.looseObject({ address: z.string().optional(), resources: z.array(z.unknown()).optional(), child_modules: z.array(z.unknown()).optional() })
const rootSchema = z.looseObject({ root_module: moduleSchema.optional() })
const changeSchema = z.looseObject({
  address: z.string(),
  mode: z.string().optional(),
  type: z.string(),
  name: z.string(),
  index: z.union([z.string(), z.number()]).optional(),
  change: z.looseObject({ actions: z.array(z.string()).optional(), after: z.unknown().optional(), after_unknown: z.unknown().optional() }),
})

/** How deep child modules may nest before the walk stops (the JSON reader caps depth too). */
const MAX_MODULE_DEPTH = 32

interface RawResource {
  raw: Obj
  addr: TfAddress
  address: string
  values: Obj
  line?: number
}

/**
 * Reads a Terraform plan (JSON from `terraform show -json plan.out`, or of a state with
 * `terraform show -json`) for the AWS provider: each managed resource is converted to the
 * CloudFormation resource(s) it corresponds to, and split resources (`aws_s3_bucket_versioning`,
 * `aws_security_group_rule`, …) are merged into the resource they configure, so every check
 * judges Terraform exactly as it judges CloudFormation. References between resources come from
 * the plan's `configuration` (module-qualified, through `for_each`, variables and outputs);
 * values known only after apply stay unknown (an intrinsic), never false or absent.
 */
export function readTerraformPlan(doc: Record<string, unknown>, located: LocatedDocuments, file: string): SourceDocument {
  const diagnostics: Diagnostic[] = [...located.diagnostics]
  const lines = located.lines
  const invalid = (message: string, line?: number, path?: string): void => {
    diagnostics.push({ code: 'PW_ERR_TERRAFORM_PLAN_INVALID', level: 'error', message, file, ...(line !== undefined ? { line } : {}), ...(path ? { path } : {}) })
  }
  if (typeof doc['format_version'] !== 'string') invalid(`Terraform plan ${file} has no format_version; it is read as far as it goes.`)

  // ---- resources: planned values (plan) or values (state); resource_changes when neither is there
  const rawResources: RawResource[] = []
  const dataValues = new Map<string, Obj>()
  const section = (name: 'planned_values' | 'values' | 'prior_state'): Obj | undefined => {
    const v = name === 'prior_state' ? (isObj(doc['prior_state']) ? doc['prior_state']['values'] : undefined) : doc[name]
    if (v === undefined) return undefined
    const parsed = rootSchema.safeParse(v)
    if (!parsed.success) {
      invalid(`Terraform plan ${file} has an invalid ${name} section: ${parsed.error.issues[0]!.message}.`, lines.lineOf(doc, name), name)
      return undefined
    }
    return isObj(v) && isObj(v['root_module']) ? v['root_module'] : undefined
  }
  const walk = (mod: Obj, depth: number, onResource: (r: RawResource) => void): void => {
    if (depth > MAX_MODULE_DEPTH) return
    for (const raw of Array.isArray(mod['resources']) ? mod['resources'] : []) {
      const r = resourceSchema.safeParse(raw)
      const line = lines.lineOf(raw)
      if (!r.success) {
        const issue = r.error.issues[0]!
        invalid(`Terraform plan ${file} has an invalid resource${line ? ` at line ${line}` : ''}: ${issue.path.join('.') || 'resource'} ${issue.message.charAt(0).toLowerCase()}${issue.message.slice(1)}.`, line)
        continue
      }
      const addr = parseAddress(r.data.address)
      if (!addr || addr.type !== r.data.type || addr.name !== r.data.name) {
        invalid(`Terraform plan ${file} has a resource whose address ${JSON.stringify(r.data.address.slice(0, 120))} does not match its type and name.`, line)
        continue
      }
      if ((r.data.mode === 'data') !== (addr.mode === 'data')) addr.mode = r.data.mode === 'data' ? 'data' : 'managed'
      const values = isObj(raw) && isObj(raw['values']) ? raw['values'] : {}
      onResource({ raw: raw as Obj, addr, address: formatAddress(addr), values, ...(line !== undefined ? { line } : {}) })
    }
    for (const child of Array.isArray(mod['child_modules']) ? mod['child_modules'] : []) if (isObj(child)) walk(child, depth + 1, onResource)
  }
  const planned = section('planned_values')
  // a state (`terraform show -json` of terraform.tfstate) has values and nothing planned
  const isState = !planned && doc['planned_values'] === undefined && doc['resource_changes'] === undefined
  const root = planned ?? section('values')
  const changes = new Map<string, { unknown: unknown; after: unknown; actions: string[]; raw: unknown; addr: TfAddress }>()
  if (doc['resource_changes'] !== undefined && !Array.isArray(doc['resource_changes'])) invalid(`Terraform plan ${file} has resource_changes that is not a list.`, lines.lineOf(doc, 'resource_changes'), 'resource_changes')
  for (const rc of Array.isArray(doc['resource_changes']) ? doc['resource_changes'] : []) {
    const c = changeSchema.safeParse(rc)
    if (!c.success) {
      const line = lines.lineOf(rc)
      invalid(`Terraform plan ${file} has an invalid resource change${line ? ` at line ${line}` : ''}: ${c.error.issues[0]!.path.join('.') || 'change'} ${c.error.issues[0]!.message.charAt(0).toLowerCase()}${c.error.issues[0]!.message.slice(1)}.`, line)
      continue
    }
    const addr = parseAddress(c.data.address)
    if (!addr) continue
    changes.set(formatAddress(addr), { unknown: c.data.change.after_unknown, after: c.data.change.after, actions: c.data.change.actions ?? [], raw: rc, addr })
  }
  if (root) {
    walk(root, 0, (r) => (r.addr.mode === 'data' ? dataValues.set(r.address, r.values) : rawResources.push(r)))
  } else {
    // a plan without planned values: what each change leaves behind (nothing for a delete)
    for (const [address, c] of changes) {
      if (!isObj(c.after)) continue
      const line = lines.lineOf(c.raw)
      if (c.addr.mode === 'data') dataValues.set(address, c.after)
      else rawResources.push({ raw: c.raw as Obj, addr: c.addr, address, values: c.after, ...(line !== undefined ? { line } : {}) })
    }
  }
  const prior = section('prior_state')
  if (prior) walk(prior, 0, (r) => r.addr.mode === 'data' && !dataValues.has(r.address) && dataValues.set(r.address, r.values))

  // ---- configuration and references
  const config = new TfConfig(doc['configuration'], [...rawResources.map((r) => r.addr), ...[...dataValues.keys()].map((a) => parseAddress(a)!).filter(Boolean)])
  const region = config.regions.get('aws') ?? arnRegion(rawResources)
  const ids = new Map<string, string[]>()
  for (const r of rawResources) {
    const id = r.values['id']
    if (typeof id === 'string' && id) ids.set(id, [...(ids.get(id) ?? []), r.address])
  }
  const plan: TfPlanContext = { config, dataValues, ids, ...(region ? { region } : {}) }
  const tfResources: TfResource[] = rawResources.map((r) => {
    const cfg = config.resource(r.addr)
    const change = changes.get(r.address)
    return {
      address: r.address,
      addr: r.addr,
      type: r.addr.type,
      name: r.addr.name,
      values: r.values,
      unknown: change ? (isObj(change.unknown) ? change.unknown : {}) : undefined,
      absentIsUnknown: !isState,
      ...(cfg ? { config: cfg } : {}),
      ctx: { modules: r.addr.modules, ...(r.addr.key !== undefined ? { key: r.addr.key } : {}), ...(cfg?.forEach ? { forEach: cfg.forEach } : {}) },
      modulePrefix: formatModules(r.addr.modules),
      ...(r.line !== undefined ? { line: r.line } : {}),
    }
  })
  const rawByAddress = new Map(rawResources.map((r) => [r.address, r]))

  // ---- conversion
  const resources: SourceResource[] = []
  const producedBy = new Map<SourceResource, TfResource>()
  const inline = new Map<SourceResource, string>()
  const coalesced = new Map<string, SourceResource>()
  const merges: { item: TfMerge; from: TfResource }[] = []
  const unsupported = new Map<string, number>()
  const addOwn = (item: TfOwnResource, tf: TfResource): void => {
    const values = rawByAddress.get(tf.address)?.values
    if (item.coalesce) {
      const existing = coalesced.get(item.coalesce)
      if (existing) {
        for (const [k, v] of Object.entries(item.properties)) {
          if (v === undefined) continue
          existing.properties[k] = v
          if (tf.line !== undefined) existing.propLines[k] = tf.line
        }
        return
      }
    }
    const s: SourceResource = {
      sourceId: item.sourceId,
      type: item.type,
      properties: item.properties,
      propLines: propLines(item, values, lines, tf.line),
      dependsOn: item.sourceId === tf.address ? dependsOn(tf, config) : [],
      origin: 'terraform',
      ...(tf.line !== undefined ? { line: tf.line } : {}),
      ...(item.generatedFrom ? { generatedFrom: item.generatedFrom } : {}),
    }
    const arn = values?.['arn']
    if (item.sourceId === tf.address && typeof arn === 'string' && arn.startsWith('arn:')) s.arn = arn
    resources.push(s)
    producedBy.set(s, tf)
    if (item.inlineOf) inline.set(s, item.inlineOf)
    if (item.coalesce) coalesced.set(item.coalesce, s)
  }
  for (const tf of tfResources) {
    const convert = Object.hasOwn(CONVERTERS, tf.type) ? CONVERTERS[tf.type] : undefined
    if (!convert) {
      if (tf.type.startsWith('aws_')) unsupported.set(tf.type, (unsupported.get(tf.type) ?? 0) + 1)
      continue
    }
    let out: TfConverted[]
    try {
      out = convert(tfReader(tf, plan))
    } catch (err) {
      invalid(`Terraform resource ${tf.address} in ${file} could not be converted (${err instanceof Error ? err.name : 'error'}); it is not judged.`, tf.line)
      continue
    }
    for (const item of out) {
      if ('mergeInto' in item) merges.push({ item, from: tf })
      else addOwn(item, tf)
    }
  }

  // ---- merges of split resources into the resource they configure
  const tfByAddress = new Map(tfResources.map((t) => [t.address, t]))
  for (const { item, from } of merges) {
    const targets = item.mergeInto.all ? matching(resources, item) : [findTarget(resources, producedBy, tfByAddress, item, from)].filter((t): t is SourceResource => !!t)
    if (!targets.length && !item.mergeInto.all) {
      if (intrinsicAddress(item.mergeInto.target) === from.address) {
        // the resource configured is named by a value known only after apply, and the plan has no
        // configuration to follow: any resource of the type in the module may be the one, so a
        // setting they do not state themselves is unknown for each of them (not absent)
        const candidates = resources.filter((r) => r.type === item.mergeInto.type && producedBy.get(r)?.modulePrefix === from.modulePrefix && r.sourceId === producedBy.get(r)?.address)
        for (const c of candidates) {
          for (const k of Object.keys(item.properties)) {
            if (item.append?.includes(k) || k in c.properties) continue
            c.properties[k] = { 'Fn::GetAtt': [from.address, k] }
            if (from.line !== undefined) c.propLines[k] = from.line
          }
        }
        diagnostics.push({
          code: 'PW_ERR_TERRAFORM_PLAN_INVALID',
          level: 'warning',
          message: `Terraform resource ${from.address} in ${file} configures a ${item.mergeInto.type} named only after apply, and the plan has no configuration saying which; the setting is unknown for the ${candidates.length} that do not state it.`,
          file,
          ...(from.line !== undefined ? { line: from.line } : {}),
        })
        continue
      }
      if (item.orElse?.length) for (const o of item.orElse) addOwn(o, from)
      else {
        diagnostics.push({
          code: 'PW_ERR_TERRAFORM_PLAN_INVALID',
          level: 'warning',
          message: `Terraform resource ${from.address} in ${file} configures a ${item.mergeInto.type} that is not in the plan; its settings are not judged.`,
          file,
          ...(from.line !== undefined ? { line: from.line } : {}),
        })
      }
      continue
    }
    for (const target of targets) {
      for (const [k, v] of Object.entries(item.properties)) {
        if (v === undefined) continue
        if (item.append?.includes(k) && Array.isArray(v)) {
          // the same rule, group or policy named twice (membership from both sides) is one
          const cur = Array.isArray(target.properties[k]) ? (target.properties[k] as unknown[]) : []
          const seen = new Set(cur.map((x) => JSON.stringify(x)))
          target.properties[k] = [...cur, ...v.filter((x) => !seen.has(JSON.stringify(x)))]
        } else {
          target.properties[k] = v
        }
        if (from.line !== undefined) target.propLines[k] = from.line
      }
    }
  }

  // ---- an `arn` is the resource's own unless a resource configuring it repeats it (`aws_sns_topic_policy.arn`)
  const byArn = new Map<string, SourceResource[]>()
  for (const r of resources) if (r.arn) byArn.set(r.arn, [...(byArn.get(r.arn) ?? []), r])
  for (const group of byArn.values()) {
    if (group.length < 2) continue
    const typeOf = (r: SourceResource): string => producedBy.get(r)?.type ?? ''
    for (const r of group) if (group.some((o) => o !== r && typeOf(r).startsWith(`${typeOf(o)}_`))) delete r.arn
  }

  // ---- a policy restated on its parent (state files) gives way to the dedicated resource
  const final = resources.filter((r) => {
    const parent = inline.get(r)
    if (!parent) return true
    const parentRes = resources.find((x) => x.sourceId === parent)
    const ids = parentRes ? identities(parentRes, producedBy) : new Set<string>()
    ids.add(parent)
    return !resources.some((o) => o !== r && o.type === r.type && !inline.has(o) && mentions(o.properties, ids))
  })

  if (unsupported.size) {
    diagnostics.push({
      code: 'PW_ERR_TERRAFORM_PLAN_INVALID',
      level: 'warning',
      message: `Terraform plan ${file} has AWS resource types PhiWall does not judge yet: ${[...unsupported.entries()].map(([t, n]) => `${t} (${n})`).slice(0, 12).join(', ')}${unsupported.size > 12 ? ', …' : ''}.`,
      file,
    })
  }
  return { file, origin: 'terraform', resources: final, diagnostics, context: documentContext(doc, region) }
}

/** Stage and region of the whole plan: the `environment` / `stage` variable, the provider's region. */
function documentContext(doc: Obj, region: string | undefined): DocumentContext {
  const ctx: DocumentContext = {}
  if (region) ctx.region = region
  const vars = doc['variables']
  if (isObj(vars)) {
    for (const name of ['environment', 'env', 'stage']) {
      const v = vars[name]
      const value = isObj(v) ? v['value'] : undefined
      if (typeof value === 'string' && value.length <= 64) {
        ctx.stage = value
        break
      }
    }
  }
  return ctx
}

/** The region most of the resources' ARNs name (a state has no provider configuration). */
function arnRegion(resources: RawResource[]): string | undefined {
  const count = new Map<string, number>()
  for (const r of resources) {
    const arn = r.values['arn']
    const region = typeof arn === 'string' ? arn.split(':')[3] : undefined
    if (region && /^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) count.set(region, (count.get(region) ?? 0) + 1)
  }
  return [...count.entries()].sort((a, b) => b[1] - a[1])[0]?.[0]
}

/** Declared dependencies (`depends_on`) of a resource, as addresses of the plan. */
function dependsOn(tf: TfResource, config: TfConfig): string[] {
  if (!tf.config?.dependsOn.length) return []
  return config
    .resolve(tf.config.dependsOn, { modules: tf.addr.modules })
    .filter((t) => t.mode === 'managed' && t.inPlan)
    .map((t) => t.address)
}

/** `KmsKeyArn` → `kms_key_arn`. */
function snake(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
}

/** Lines of top-level properties: the attribute each comes from, where the plan is pretty-printed. */
function propLines(item: TfOwnResource, values: Obj | undefined, lines: LineMap, fallback: number | undefined): Record<string, number> {
  const out: Record<string, number> = {}
  if (!values) return out
  for (const key of Object.keys(item.properties)) {
    const attr = item.lines?.[key] ?? snake(key)
    const top = attr.split('.')[0]!
    if (!(top in values)) continue
    const l = lines.lineOf(values, top)
    if (l !== undefined && l !== fallback) out[key] = l
  }
  return out
}

/** Names and ids a produced resource is known by: Terraform `id`, `arn`, names, URLs. */
function identities(r: SourceResource, producedBy: Map<SourceResource, TfResource>): Set<string> {
  const out = new Set<string>([r.sourceId])
  const tf = producedBy.get(r)
  if (tf && tf.address === r.sourceId) {
    for (const k of IDENTITY_ATTRS) {
      const v = tf.values[k]
      if (typeof v === 'string' && v) out.add(v)
    }
  }
  for (const k of ['BucketName', 'FunctionName', 'RoleName', 'UserName', 'GroupName', 'QueueName', 'TopicName', 'TableName', 'StageName', 'Name', 'RuleName', 'DomainName']) {
    const v = r.properties[k]
    if (typeof v === 'string' && v) out.add(v)
  }
  return out
}

/** Terraform attributes that name or identify a resource. */
const IDENTITY_ATTRS = ['id', 'arn', 'name', 'bucket', 'url', 'function_name', 'stage_name', 'key_id', 'identifier', 'cluster_identifier', 'replication_group_id', 'domain_name', 'invoke_arn', 'qualified_arn']

/** Does a value mention one of the ids, by reference or by name (outside policy documents)? */
function mentions(v: unknown, ids: Set<string>, depth = 0): boolean {
  if (depth > 8 || v === null || v === undefined) return false
  if (typeof v === 'string') return ids.has(v)
  if (Array.isArray(v)) return v.some((x) => mentions(x, ids, depth + 1))
  if (!isObj(v)) return false
  if (typeof v['Ref'] === 'string') return ids.has(v['Ref'])
  const ga = v['Fn::GetAtt']
  if (Array.isArray(ga) && typeof ga[0] === 'string') return ids.has(ga[0])
  return Object.entries(v).some(([k, x]) => k !== 'PolicyDocument' && mentions(x, ids, depth + 1))
}

/** Address an intrinsic names (`{ Ref: a }`, `{ Fn::GetAtt: [a, …] }`). */
function intrinsicAddress(v: unknown): string | undefined {
  if (!isObj(v)) return undefined
  if (typeof v['Ref'] === 'string') return v['Ref']
  const ga = v['Fn::GetAtt']
  return Array.isArray(ga) && typeof ga[0] === 'string' ? ga[0] : undefined
}

/** Every resource of the merge's type whose properties match. */
function matching(resources: SourceResource[], item: TfMerge): SourceResource[] {
  const want = Object.entries(item.mergeInto.match ?? {}).filter(([, v]) => v !== undefined)
  return resources.filter((r) => r.type === item.mergeInto.type && want.every(([k, v]) => JSON.stringify(r.properties[k]) === JSON.stringify(v)))
}

function findTarget(resources: SourceResource[], producedBy: Map<SourceResource, TfResource>, tfByAddress: Map<string, TfResource>, item: TfMerge, from: TfResource): SourceResource | undefined {
  const { type, target, match } = item.mergeInto
  let candidates = resources.filter((r) => r.type === type)
  if (match) {
    const want = Object.entries(match).filter(([, v]) => v !== undefined)
    candidates = candidates.filter((r) => want.every(([k, v]) => JSON.stringify(r.properties[k]) === JSON.stringify(v) || (typeof v === 'string' && identitiesOfValue(r.properties[k], resources, producedBy).has(v))))
  }
  const address = intrinsicAddress(target)
  if (address) {
    const exact = candidates.find((r) => r.sourceId === address)
    if (exact) return exact
    // a whole `for_each` resource named where one instance is meant: the instance with the same key
    if (from.addr.key !== undefined) {
      const same = candidates.find((r) => r.sourceId === address + formatKey(from.addr.key))
      if (same) return same
    }
    const instances = candidates.filter((r) => resourceOf(r.sourceId) === address)
    if (instances.length === 1) return instances[0]
    // a state names the target by id, which may be the id of a resource of another type too
    const id = tfByAddress.get(address)?.values['id']
    if (typeof id === 'string' && id) return candidates.find((r) => identities(r, producedBy).has(id))
    return undefined
  }
  if (typeof target === 'string' && target) {
    const named = candidates.filter((r) => identities(r, producedBy).has(target))
    if (named.length) return named[0]
    // an ARN given where the name is recorded, or the reverse
    const tail = target.split(/[:/]/).pop()
    const byTail = tail ? candidates.filter((r) => identities(r, producedBy).has(tail)) : []
    return byTail.length === 1 ? byTail[0] : undefined
  }
  return target === undefined && match ? candidates[0] : undefined
}

/** Ids of the resource a property value refers to (a reference in one resource, a name in another). */
function identitiesOfValue(v: unknown, resources: SourceResource[], producedBy: Map<SourceResource, TfResource>): Set<string> {
  const a = intrinsicAddress(v)
  if (!a) return new Set()
  const r = resources.find((x) => x.sourceId === a)
  return r ? identities(r, producedBy) : new Set([a])
}
