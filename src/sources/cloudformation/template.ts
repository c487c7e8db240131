import { z } from 'zod'
import type { Diagnostic } from '../../model/index.js'
import type { LineMap } from '../located/index.js'
import { evaluateConditions, referencedNames, resolveValue, type ResolveContext } from './intrinsics.js'
import knownTypes from './resource-types.json' with { type: 'json' }

const KNOWN_TYPES = new Set<string>(knownTypes.types)

/** A resource as declared in a template (after intrinsic resolution). */
export interface CfnResource {
  logicalId: string
  type: string
  properties: Record<string, unknown>
  /** Line of the logical id. */
  line: number | undefined
  condition?: string
  /** Condition value: false means the resource is not created and is skipped. */
  conditionValue?: boolean | undefined
  dependsOn: string[]
  metadata?: Record<string, unknown>
  deletionPolicy?: string
  /** Logical id of the SAM / Serverless declaration that produced this resource. */
  generatedFrom?: string
}

/** A parsed, validated and resolved CloudFormation template. */
export interface CfnTemplate {
  file: string
  /** The document as read (with intrinsics resolved in place). */
  doc: Record<string, unknown>
  lines: LineMap
  transforms: string[]
  parameters: Record<string, { Type?: string; Default?: unknown; [k: string]: unknown }>
  mappings: Record<string, unknown>
  globals: Record<string, unknown>
  resources: CfnResource[]
  ctx: ResolveContext
  diagnostics: Diagnostic[]
}

/** Values known at scan time for pseudo parameters and parameters. */
export interface TemplateOptions {
  /** `--param Name=Value` overrides. */
  parameters?: Record<string, string>
  region?: string
  accountId?: string
  stackName?: string
}

const parameterSchema = z.looseObject({ Type: z.string(), Default: z.unknown().optional() })
const resourceSchema = z.looseObject({
  Type: z.string().min(1),
  Properties: z.record(z.string(), z.unknown()).optional(),
  DependsOn: z.union([z.string(), z.array(z.string())]).optional(),
  Condition: z.string().optional(),
  Metadata: z.record(z.string(), z.unknown()).optional(),
  DeletionPolicy: z.unknown().optional(),
  UpdateReplacePolicy: z.unknown().optional(),
})
const templateSchema = z.looseObject({
  AWSTemplateFormatVersion: z.union([z.string(), z.date()]).optional(),
  Transform: z.union([z.string(), z.array(z.unknown()), z.record(z.string(), z.unknown())]).optional(),
  Parameters: z.record(z.string(), z.unknown()).optional(),
  Mappings: z.record(z.string(), z.unknown()).optional(),
  Conditions: z.record(z.string(), z.unknown()).optional(),
  Globals: z.record(z.string(), z.unknown()).optional(),
  Resources: z.record(z.string(), z.unknown()),
  Outputs: z.unknown().optional(),
})

const plainObject = (v: unknown): boolean => v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date)

/** Accepts only templates `templateSchema` accepts (checked by a property test). */
export function quickTemplateValid(doc: Record<string, unknown>): boolean {
  if (!plainObject(doc['Resources'])) return false
  for (const k of ['Parameters', 'Mappings', 'Conditions', 'Globals']) if (doc[k] !== undefined && !plainObject(doc[k])) return false
  const v = doc['AWSTemplateFormatVersion']
  if (v !== undefined && typeof v !== 'string' && !(v instanceof Date)) return false
  const t = doc['Transform']
  return t === undefined || typeof t === 'string' || Array.isArray(t) || plainObject(t)
}

/** Accepts only resources `resourceSchema` accepts (checked by a property test). */
export function quickResourceValid(raw: unknown): boolean {
  if (!plainObject(raw)) return false
  const r = raw as Record<string, unknown>
  if (typeof r['Type'] !== 'string' || r['Type'].length === 0) return false
  if (r['Properties'] !== undefined && !plainObject(r['Properties'])) return false
  if (r['Metadata'] !== undefined && !plainObject(r['Metadata'])) return false
  if (r['Condition'] !== undefined && typeof r['Condition'] !== 'string') return false
  const d = r['DependsOn']
  return d === undefined || typeof d === 'string' || (Array.isArray(d) && d.every((x) => typeof x === 'string'))
}

/** The zod schemas of a template and a resource, for the fast-path test. */
export const TEMPLATE_SCHEMAS = { template: templateSchema, resource: resourceSchema }

/** Resource types a template may declare: the CloudFormation specification, custom and registry types. */
export function isKnownResourceType(type: string): boolean {
  if (KNOWN_TYPES.has(type)) return true
  if (type.startsWith('Custom::') && type.length > 8) return true
  // third-party registry types and modules live in their own namespaces: Org::Service::Resource(::MODULE)
  const parts = type.split('::')
  if (parts[0] === 'AWS' || parts[0] === 'Alexa') return false
  return (parts.length === 3 || (parts.length === 4 && parts[3] === 'MODULE')) && parts.every((p) => /^[A-Za-z0-9]+$/.test(p))
}

/**
 * Validates the template structure, evaluates Conditions and resolves intrinsics in Resources and
 * Globals. Problems become diagnostics; invalid resources are skipped, the rest are kept.
 */
export function readTemplate(doc: Record<string, unknown>, lines: LineMap, file: string, options: TemplateOptions = {}): CfnTemplate {
  const diagnostics: Diagnostic[] = []
  const at = (path: (string | number)[]) => lines.lineOfPath(doc, path)
  const push = (code: Diagnostic['code'], message: string, path: (string | number)[]) => {
    const line = at(path)
    diagnostics.push({
      code,
      level: 'error',
      message: `${message} in ${file}${line !== undefined ? ` at line ${line}` : ''}.`,
      file,
      ...(line !== undefined ? { line } : {}),
      path: path.join('.'),
    })
  }

  for (const name of ['Parameters', 'Mappings', 'Conditions', 'Globals', 'Outputs', 'Metadata']) {
    if (name in doc && doc[name] === null) {
      const line = at([name])
      diagnostics.push({
        code: 'PW_ERR_TEMPLATE_INVALID',
        level: 'warning',
        message: `Template section ${name} is empty in ${file}${line !== undefined ? ` at line ${line}` : ''}; it is ignored.`,
        file,
        ...(line !== undefined ? { line } : {}),
        path: name,
      })
      delete doc[name]
    }
  }
  // the zod schema is the definition of a valid template; the cheap structural test below accepts
  // only what it accepts, so zod (and its copies) runs only to explain a template that fails
  const top = quickTemplateValid(doc) ? { success: true as const } : templateSchema.safeParse(doc)
  if (!top.success) {
    for (const issue of top.error.issues.slice(0, 10)) {
      const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))
      push('PW_ERR_TEMPLATE_INVALID', `Template section ${path.join('.') || '(root)'} is invalid: ${issue.message}`, path)
    }
  }
  const section = (name: string): Record<string, unknown> => {
    const v = doc[name]
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {}
  }
  const transformsRaw = doc['Transform']
  const transforms = (Array.isArray(transformsRaw) ? transformsRaw : transformsRaw !== undefined ? [transformsRaw] : []).filter(
    (t): t is string => typeof t === 'string',
  )

  // Parameters
  const parameters: CfnTemplate['parameters'] = {}
  const params = new Map<string, unknown>()
  const paramNames = new Set<string>()
  for (const [name, raw] of Object.entries(section('Parameters'))) {
    const p = parameterSchema.safeParse(raw)
    paramNames.add(name)
    if (!p.success) {
      push('PW_ERR_TEMPLATE_INVALID', `Parameter ${name} needs a Type`, ['Parameters', name])
      continue
    }
    parameters[name] = p.data
    const override = options.parameters?.[name]
    const allowed = Array.isArray(p.data['AllowedValues']) ? (p.data['AllowedValues'] as unknown[]).map(String) : undefined
    // the value is not repeated: the parameter may be NoEcho
    if (override !== undefined && allowed && !allowed.includes(override)) push('PW_ERR_TEMPLATE_INVALID', `Parameter ${name}: the --param value is not one of its AllowedValues (${allowed.slice(0, 10).join(', ')}); CloudFormation would reject it`, ['Parameters', name])
    const value = override ?? p.data.Default
    if (value !== undefined && value !== null) {
      const isList = /^(List<|CommaDelimitedList)/.test(p.data.Type)
      params.set(name, isList && typeof value === 'string' ? value.split(',').map((s) => s.trim()) : value)
    }
  }

  const pseudo = new Map<string, unknown>([
    ['AWS::Partition', 'aws'],
    ['AWS::URLSuffix', 'amazonaws.com'],
  ])
  if (options.region) pseudo.set('AWS::Region', options.region)
  if (options.accountId) pseudo.set('AWS::AccountId', options.accountId)
  if (options.stackName) pseudo.set('AWS::StackName', options.stackName)

  const resourcesRaw = section('Resources')
  const ctx: ResolveContext = {
    file,
    lines,
    params,
    paramNames,
    pseudo,
    mappings: section('Mappings'),
    conditions: new Map(),
    resources: new Set(Object.keys(resourcesRaw)),
    diagnostics,
    reported: new Set(),
  }
  const samIds = Object.entries(resourcesRaw)
    .filter(([, v]) => v !== null && typeof v === 'object' && String((v as Record<string, unknown>)['Type'] ?? '').startsWith('AWS::Serverless::'))
    .map(([k]) => k)
  if (samIds.length > 0 || transforms.includes('AWS::Serverless-2016-10-31')) {
    // SAM generates resources and referable properties (`MyApi.Stage`, `MyFunction.Alias`,
    // `MyFunctionRole`, `ServerlessRestApi`) that exist only after the transform
    ctx.generatedName = (name: string) =>
      /^Serverless(RestApi|HttpApi|DeploymentApplication|UsagePlan|ApiKey)/.test(name) || samIds.some((id) => name.startsWith(id))
  }
  evaluateConditions(section('Conditions'), ctx)

  expandForEach(resourcesRaw, ctx)
  for (const k of Object.keys(resourcesRaw)) ctx.resources.add(k)

  const globals = section('Globals')
  resolveValue(globals, ctx, 'Globals')

  const resources: CfnResource[] = []
  for (const [logicalId, raw] of Object.entries(resourcesRaw)) {
    if (logicalId.startsWith('Fn::ForEach')) continue
    const r = quickResourceValid(raw) ? { success: true as const } : resourceSchema.safeParse(raw)
    if (!r.success) {
      const issue = r.error.issues[0]!
      const path = ['Resources', logicalId, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))]
      push('PW_ERR_TEMPLATE_INVALID', `Resource ${logicalId} is invalid (${issue.path.join('.') || 'resource'}: ${issue.message})`, path)
      continue
    }
    // zod returns copies; keep the parsed document's own objects, whose lines are recorded
    const decl = raw as z.infer<typeof resourceSchema>
    if (!isKnownResourceType(decl.Type)) {
      push(
        'PW_ERR_UNKNOWN_RESOURCE_TYPE',
        `Resource ${logicalId} has unknown type ${decl.Type.length > 80 ? decl.Type.slice(0, 80) + '…' : decl.Type}`,
        ['Resources', logicalId, 'Type'],
      )
      continue
    }
    const properties = (decl.Properties ?? {}) as Record<string, unknown>
    if (!decl.Properties) lines.setContainer(properties, at(['Resources', logicalId]) ?? 1)
    resolveValue(properties, ctx, `Resources.${logicalId}.Properties`)
    const res: CfnResource = {
      logicalId,
      type: decl.Type,
      properties,
      line: lines.lineOf(resourcesRaw, logicalId),
      dependsOn: decl.DependsOn === undefined ? [] : Array.isArray(decl.DependsOn) ? decl.DependsOn : [decl.DependsOn],
    }
    if (decl.Condition !== undefined) {
      res.condition = decl.Condition
      res.conditionValue = ctx.conditions.get(decl.Condition)
      if (!ctx.conditions.has(decl.Condition)) {
        push('PW_ERR_UNRESOLVED_REFERENCE', `Resource ${logicalId} names undefined condition "${decl.Condition}"`, ['Resources', logicalId, 'Condition'])
      }
    }
    if (decl.Metadata) res.metadata = decl.Metadata
    if (typeof decl.DeletionPolicy === 'string') res.deletionPolicy = decl.DeletionPolicy
    resources.push(res)
  }
  return {
    file,
    doc,
    lines,
    transforms,
    parameters,
    mappings: ctx.mappings,
    globals,
    resources,
    ctx,
    diagnostics,
  }
}

/**
 * Reports cycles among resources (Ref, GetAtt, Sub and DependsOn), which CloudFormation
 * rejects. Run after SAM expansion, since SAM moves event references into new resources.
 * Tarjan's algorithm finds each strongly connected component once.
 */
export function detectCycles(list: CfnResource[], file: string, diagnostics: Diagnostic[]): void {
  const resources = new Map(list.map((r) => [r.logicalId, r]))
  const names = [...resources.keys()]
  const deps = new Map<string, string[]>()
  for (const [name, r] of resources) {
    const out = new Set<string>()
    referencedNames(r.properties, out)
    for (const d of r.dependsOn) out.add(d)
    deps.set(
      name,
      [...out].filter((d) => resources.has(d)),
    )
  }
  let index = 0
  const idx = new Map<string, number>()
  const low = new Map<string, number>()
  const onStack = new Set<string>()
  const stack: string[] = []
  const strong = (v: string): void => {
    // iterative Tarjan to survive templates with long dependency chains
    const work: { v: string; i: number }[] = [{ v, i: 0 }]
    idx.set(v, index)
    low.set(v, index++)
    stack.push(v)
    onStack.add(v)
    while (work.length) {
      const top = work[work.length - 1]!
      const ds = deps.get(top.v) ?? []
      if (top.i < ds.length) {
        const w = ds[top.i++]!
        if (!idx.has(w)) {
          idx.set(w, index)
          low.set(w, index++)
          stack.push(w)
          onStack.add(w)
          work.push({ v: w, i: 0 })
        } else if (onStack.has(w)) {
          low.set(top.v, Math.min(low.get(top.v)!, idx.get(w)!))
        }
        continue
      }
      work.pop()
      if (work.length) {
        const parent = work[work.length - 1]!.v
        low.set(parent, Math.min(low.get(parent)!, low.get(top.v)!))
      }
      if (low.get(top.v) === idx.get(top.v)) {
        const comp: string[] = []
        let w: string
        do {
          w = stack.pop()!
          onStack.delete(w)
          comp.push(w)
        } while (w !== top.v)
        const selfLoop = comp.length === 1 && (deps.get(comp[0]!) ?? []).includes(comp[0]!)
        if (comp.length > 1 || selfLoop) {
          comp.reverse()
          const line = resources.get(comp[0]!)?.line
          diagnostics.push({
            code: 'PW_ERR_CIRCULAR_DEPENDENCY',
            level: 'error',
            message: `Circular dependency between resources ${[...comp, comp[0]].join(' → ')} in ${file}${line ? ` at line ${line}` : ''}.`,
            file,
            ...(line ? { line } : {}),
            path: `Resources.${comp[0]}`,
          })
        }
      }
    }
  }
  for (const n of names) if (!idx.has(n)) strong(n)
}

/**
 * Expands `Fn::ForEach::<name>` loops of the AWS::LanguageExtensions transform when the
 * collection is known statically; otherwise the loop is reported and skipped.
 */
function expandForEach(resources: Record<string, unknown>, ctx: ResolveContext): void {
  for (const key of Object.keys(resources)) {
    if (!key.startsWith('Fn::ForEach::')) continue
    const loop = resources[key]
    delete resources[key]
    if (!Array.isArray(loop) || loop.length !== 3 || typeof loop[0] !== 'string' || !loop[2] || typeof loop[2] !== 'object') {
      ctx.diagnostics.push({
        code: 'PW_ERR_INTRINSIC_INVALID',
        level: 'error',
        message: `${key} takes [Identifier, [Collection], {OutputKey: Template}] in ${ctx.file}.`,
        file: ctx.file,
      })
      continue
    }
    const id = loop[0]
    const collection = resolveValue(structuredClone(loop[1]), ctx, key)
    if (!Array.isArray(collection) || !collection.every((c) => typeof c === 'string')) {
      ctx.diagnostics.push({
        code: 'PW_ERR_INTRINSIC_INVALID',
        level: 'warning',
        message: `${key} loops over a collection unknown at scan time in ${ctx.file}; its resources are not scanned.`,
        file: ctx.file,
      })
      continue
    }
    for (const item of collection) {
      for (const [outKey, tpl] of Object.entries(loop[2] as Record<string, unknown>)) {
        const name = outKey.replaceAll('${' + id + '}', item).replaceAll('&{' + id + '}', item.replace(/[^A-Za-z0-9]/g, ''))
        resources[name] = substituteLoopVar(structuredClone(tpl), id, item)
      }
    }
  }
}

function substituteLoopVar(v: unknown, id: string, item: string): unknown {
  if (typeof v === 'string') return v.replaceAll('${' + id + '}', item)
  if (Array.isArray(v)) return v.map((x) => substituteLoopVar(x, id, item))
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>
    if (Object.keys(o).length === 1 && o['Ref'] === id) return item
    const out: Record<string, unknown> = {}
    for (const [k, x] of Object.entries(o)) out[k.replaceAll('${' + id + '}', item)] = substituteLoopVar(x, id, item)
    return out
  }
  return v
}
