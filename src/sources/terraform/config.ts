import { configKey, formatKey, formatModules, parseTraversal, type TfAddress, type TfKey, type TfModuleStep, type TfStep } from './address.js'

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v)

/** A configuration expression: its constant value, or the references it makes. */
export interface TfExpression {
  references?: string[]
  constant_value?: unknown
}

/** A resource block of the configuration. */
export interface ConfigResource {
  /** Attribute → expression; nested block → list (or object) of expression maps. */
  expressions: Obj
  forEach?: TfExpression
  count?: TfExpression
  dependsOn: string[]
  providerKey?: string
}

/** A `module` block and the module it calls. */
export interface ModuleCall {
  expressions: Obj
  forEach?: TfExpression
  count?: TfExpression
  module: ConfigModule
}

/** One module of the configuration. */
export interface ConfigModule {
  resources: Map<string, ConfigResource>
  calls: Map<string, ModuleCall>
  outputs: Map<string, TfExpression>
}

/** Where a reference points: a resource (or data source) instance and the attribute read. */
export interface TfTarget {
  /** Canonical instance address (`module.audit.aws_s3_bucket.logs`, `aws_s3_bucket.b["phi"]`). */
  address: string
  mode: 'managed' | 'data'
  type: string
  /** First attribute read from it (`arn`, `id`, `name`), if any. */
  attr?: string
  /** Is the instance among the plan's resources? */
  inPlan: boolean
}

/** Where a reference is evaluated: module instance, the instance key of `each` / `count`, and `for_each`. */
export interface RefContext {
  modules: TfModuleStep[]
  key?: TfKey
  forEach?: TfExpression
}

/** Is a node of `expressions` an expression (rather than a nested block)? */
export function isExpression(node: unknown): node is TfExpression {
  if (!isObj(node)) return false
  const keys = Object.keys(node)
  return keys.length > 0 && keys.every((k) => k === 'references' || k === 'constant_value')
}

function expression(v: unknown): TfExpression | undefined {
  if (!isObj(v)) return undefined
  const out: TfExpression = {}
  if (Array.isArray(v['references'])) out.references = v['references'].filter((x): x is string => typeof x === 'string')
  if ('constant_value' in v) out.constant_value = v['constant_value']
  return out
}

const MAX_DEPTH = 24

function readModule(m: unknown, depth: number): ConfigModule {
  const mod: ConfigModule = { resources: new Map(), calls: new Map(), outputs: new Map() }
  if (!isObj(m) || depth > MAX_DEPTH) return mod
  for (const r of Array.isArray(m['resources']) ? m['resources'] : []) {
    if (!isObj(r) || typeof r['address'] !== 'string') continue
    const key = typeof r['type'] === 'string' && typeof r['name'] === 'string' ? configKey({ mode: r['mode'] === 'data' ? 'data' : 'managed', type: r['type'], name: r['name'] }) : r['address']
    const cr: ConfigResource = {
      expressions: isObj(r['expressions']) ? r['expressions'] : {},
      dependsOn: Array.isArray(r['depends_on']) ? r['depends_on'].filter((x): x is string => typeof x === 'string') : [],
    }
    const fe = expression(r['for_each_expression'])
    if (fe) cr.forEach = fe
    const ce = expression(r['count_expression'])
    if (ce) cr.count = ce
    if (typeof r['provider_config_key'] === 'string') cr.providerKey = r['provider_config_key']
    mod.resources.set(key, cr)
  }
  if (isObj(m['module_calls'])) {
    for (const [name, c] of Object.entries(m['module_calls'])) {
      if (!isObj(c)) continue
      const call: ModuleCall = { expressions: isObj(c['expressions']) ? c['expressions'] : {}, module: readModule(c['module'], depth + 1) }
      const fe = expression(c['for_each_expression'])
      if (fe) call.forEach = fe
      const ce = expression(c['count_expression'])
      if (ce) call.count = ce
      mod.calls.set(name, call)
    }
  }
  if (isObj(m['outputs'])) {
    for (const [name, o] of Object.entries(m['outputs'])) {
      const e = isObj(o) ? expression(o['expression']) : undefined
      if (e) mod.outputs.set(name, e)
    }
  }
  return mod
}

/**
 * The `configuration` section of a plan, and the resolution of the references its expressions
 * make: `aws_s3_bucket.phi.id` inside `module.audit`, `each.value` of a `for_each` over another
 * resource, `var.x` through the module call's arguments, and `module.m.out` through the module's
 * outputs — down to the resource instances of the plan they name.
 */
export class TfConfig {
  readonly root: ConfigModule | undefined
  /** Region of each provider configuration (`aws`, `aws.west`), where written as a constant. */
  readonly regions = new Map<string, string>()
  /** Resource address without instance key → instance keys in the plan (`undefined` for a single instance). */
  private readonly instances = new Map<string, (TfKey | undefined)[]>()
  /** Module call address (`module.a["x"].module.b`) → its instance keys in the plan. */
  private readonly moduleInstances = new Map<string, (TfKey | undefined)[]>()

  constructor(configuration: unknown, planned: TfAddress[]) {
    this.root = isObj(configuration) && isObj(configuration['root_module']) ? readModule(configuration['root_module'], 0) : undefined
    if (isObj(configuration) && isObj(configuration['provider_config'])) {
      for (const [key, p] of Object.entries(configuration['provider_config'])) {
        const region = isObj(p) && isObj(p['expressions']) ? expression(p['expressions']['region'])?.constant_value : undefined
        if (typeof region === 'string') this.regions.set(key, region)
      }
    }
    for (const a of planned) {
      const base = `${formatModules(a.modules)}${configKey(a)}`
      const keys = this.instances.get(base) ?? []
      if (!keys.includes(a.key)) keys.push(a.key)
      this.instances.set(base, keys)
      for (let i = 0; i < a.modules.length; i++) {
        const call = `${formatModules(a.modules.slice(0, i))}module.${a.modules[i]!.name}`
        const mk = this.moduleInstances.get(call) ?? []
        if (!mk.includes(a.modules[i]!.key)) mk.push(a.modules[i]!.key)
        this.moduleInstances.set(call, mk)
      }
    }
  }

  /** The configuration module at a module path (instance keys ignored). */
  module(modules: readonly TfModuleStep[]): ConfigModule | undefined {
    let m = this.root
    for (const step of modules) m = m?.calls.get(step.name)?.module
    return m
  }

  /** The configuration of a resource instance, if the plan has one. */
  resource(a: TfAddress): ConfigResource | undefined {
    return this.module(a.modules)?.resources.get(configKey(a))
  }


  /**
   * Resources the references of one expression name. Terraform lists each reference from the
   * longest traversal to the bare object (`aws_s3_bucket.b["phi"].id`, `aws_s3_bucket.b["phi"]`,
   * `aws_s3_bucket.b`); the shorter entries repeat the first and are skipped.
   */
  resolve(references: readonly string[] | undefined, ctx: RefContext, depth = 0): TfTarget[] {
    const out: TfTarget[] = []
    if (!references || depth > MAX_DEPTH) return out
    const seen = new Set<string>()
    const push = (t: TfTarget): void => {
      const k = `${t.address}\u0000${t.attr ?? ''}`
      if (seen.has(k)) return
      seen.add(k)
      out.push(t)
    }
    const usesOwnKey = references.includes('each.key') || references.includes('count.index')
    let previous: string | undefined
    for (const ref of references) {
      if (previous !== undefined && (previous.startsWith(`${ref}.`) || previous.startsWith(`${ref}[`))) continue
      previous = ref
      const steps = parseTraversal(ref)
      if (!steps) continue
      const head = 'name' in steps[0]! ? steps[0].name : undefined
      if (head === 'var') {
        const name = nameAt(steps, 1)
        if (!name || ctx.modules.length === 0) continue
        const parent = ctx.modules.slice(0, -1)
        const last = ctx.modules[ctx.modules.length - 1]!
        const call = this.module(parent)?.calls.get(last.name)
        const e = call ? expression(call.expressions[name]) : undefined
        if (!e?.references) continue
        const attr = nameAt(steps, 2)
        const callCtx: RefContext = { modules: parent, ...(last.key !== undefined ? { key: last.key } : {}), ...(call?.forEach ? { forEach: call.forEach } : {}) }
        for (const t of this.resolve(e.references, callCtx, depth + 1)) push(attr ? { ...t, attr } : t)
      } else if (head === 'each') {
        if (nameAt(steps, 1) !== 'value' || !ctx.forEach?.references) continue
        const attr = nameAt(steps, 2)
        const all = this.resolve(ctx.forEach.references, { modules: ctx.modules }, depth + 1)
        for (const t of all) {
          if (keyOfAddress(t.address) !== ctx.key) continue
          push(attr ? { ...t, attr } : t)
        }
      } else if (head === 'module') {
        const name = nameAt(steps, 1)
        if (!name) continue
        let i = 2
        let key: TfKey | undefined
        const k = steps[i]
        if (k && 'index' in k && k.index !== '*') {
          key = k.index
          i++
        }
        const output = nameAt(steps, i)
        const call = this.module(ctx.modules)?.calls.get(name)
        const e = output ? call?.module.outputs.get(output) : undefined
        if (!e?.references) continue
        const attr = nameAt(steps, i + 1)
        const callAddr = `${formatModules(ctx.modules)}module.${name}`
        const known = this.moduleInstances.get(callAddr) ?? [undefined]
        const keys = key !== undefined ? [key] : known.includes(undefined) ? [undefined] : usesOwnKey && ctx.key !== undefined && known.includes(ctx.key) ? [ctx.key] : known
        for (const mk of keys) {
          const childCtx: RefContext = { modules: [...ctx.modules, { name, ...(mk !== undefined ? { key: mk } : {}) }] }
          for (const t of this.resolve(e.references, childCtx, depth + 1)) push(attr ? { ...t, attr } : t)
        }
      } else if (head === 'local' || head === 'path' || head === 'terraform' || head === 'self' || head === 'count') {
        continue
      } else {
        const data = head === 'data'
        const o = data ? 1 : 0
        const type = nameAt(steps, o)
        const rname = nameAt(steps, o + 1)
        if (!type || !rname) continue
        let i = o + 2
        let key: TfKey | undefined
        const k = steps[i]
        if (k && 'index' in k && k.index !== '*') {
          key = k.index
          i++
        } else if (k && 'index' in k) i++
        const attr = nameAt(steps, i)
        const mode = data ? 'data' : 'managed'
        const base = `${formatModules(ctx.modules)}${configKey({ mode, type, name: rname })}`
        const known = this.instances.get(base)
        let keys: (TfKey | undefined)[]
        if (key !== undefined) keys = [key]
        else if (!known || known.includes(undefined)) keys = [undefined]
        else if (usesOwnKey && ctx.key !== undefined && known.includes(ctx.key)) keys = [ctx.key]
        else keys = known
        for (const ik of keys) {
          push({ address: base + formatKey(ik), mode, type, ...(attr ? { attr } : {}), inPlan: !!known && known.includes(ik) })
        }
      }
    }
    return out
  }
}

function nameAt(steps: TfStep[], i: number): string | undefined {
  const s = steps[i]
  return s && 'name' in s ? s.name : undefined
}

/** Instance key of an address string (`aws_s3_bucket.b["phi"]` → `phi`). */
function keyOfAddress(address: string): TfKey | undefined {
  const m = /\[(-?\d+|"(?:[^"\\]|\\.)*")\]$/.exec(address)
  if (!m) return undefined
  return m[1]!.startsWith('"') ? (JSON.parse(m[1]!) as string) : Number(m[1])
}

/**
 * The expression written for a value path of a resource (`vpc_config.0.subnet_ids`), and the
 * part of the path inside it. `found` is false when the configuration does not set the
 * attribute at all (so an unknown value there is a provider-computed default). Nested blocks
 * that are sets have no stable order, so with several blocks their expressions are combined.
 */
export function expressionAt(expressions: unknown, path: readonly (string | number)[]): { found: boolean; expression?: TfExpression; inside: (string | number)[] } {
  let nodes: unknown[] = [expressions]
  for (let i = 0; i < path.length; i++) {
    const exprs = nodes.filter(isExpression)
    if (exprs.length) return { found: true, expression: mergeExpressions(exprs), inside: path.slice(i) }
    const seg = path[i]!
    const next: unknown[] = []
    for (const n of nodes) {
      if (Array.isArray(n)) {
        if (typeof seg === 'number') next.push(...(n.length === 1 ? [n[0]] : n))
        else for (const el of n) if (isObj(el) && seg in el) next.push(el[seg])
      } else if (isObj(n) && typeof seg === 'string' && seg in n) next.push(n[seg])
    }
    nodes = next.filter((x) => x !== undefined)
    if (!nodes.length) return { found: false, inside: [] }
  }
  const exprs = nodes.filter(isExpression)
  return exprs.length ? { found: true, expression: mergeExpressions(exprs), inside: [] } : { found: true, inside: [] }
}

function mergeExpressions(list: TfExpression[]): TfExpression {
  if (list.length === 1) return list[0]!
  const refs = list.flatMap((e) => e.references ?? [])
  return refs.length ? { references: refs } : {}
}
