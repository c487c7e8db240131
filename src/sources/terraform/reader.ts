import { parseYamlLocated } from '../located/index.js'
import { safeSet } from '../located/index.js'
import { parseAddress } from './address.js'
import { expressionAt, isExpression, type TfExpression, type TfTarget } from './config.js'
import type { TfPlanContext, TfReader, TfResource } from './types.js'

type Obj = Record<string, unknown>
type Path = (string | number)[]
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v)

/** `execution_arn` → `ExecutionArn`: the attribute name of an `Fn::GetAtt`. */
function pascal(attr: string): string {
  return attr.replace(/(^|_)([a-z0-9])/g, (_m, _s: string, c: string) => c.toUpperCase())
}

/**
 * The intrinsic standing for a reference: `{ Ref }` for the resource's id or name (what `Ref`
 * returns in CloudFormation), `Fn::GetAtt` for any other attribute.
 */
export function intrinsicFor(t: Pick<TfTarget, 'address' | 'attr' | 'mode'>): Record<string, unknown> {
  if (t.mode === 'managed' && (!t.attr || t.attr === 'id' || t.attr === 'name' || t.attr === 'bucket')) return { Ref: t.address }
  return { 'Fn::GetAtt': [t.address, pascal(t.attr ?? 'id')] }
}

/** An `Fn::GetAtt` of the resource itself: a value only AWS knows, after apply. */
function selfUnknown(res: TfResource, path: readonly (string | number)[]): Record<string, unknown> {
  return { 'Fn::GetAtt': [res.address, path.join('.')] }
}

function split(attr: string): Path {
  return attr.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s))
}

function at(node: unknown, path: readonly (string | number)[]): unknown {
  let n = node
  for (const seg of path) {
    if (n === null || typeof n !== 'object') return undefined
    n = (n as Record<string | number, unknown>)[seg]
  }
  return n
}

/** `after_unknown` at a path: `true` when the value or one of its ancestors is unknown. */
function unknownAt(tree: unknown, path: readonly (string | number)[]): unknown {
  let n = tree
  for (const seg of path) {
    if (n === true) return true
    if (n === null || typeof n !== 'object') return undefined
    n = (n as Record<string | number, unknown>)[seg]
  }
  return n
}

/** Words of a map key that name the kind of resource it holds (`PATIENTS_TABLE` → DynamoDB). */
const KEY_HINTS: [RegExp, RegExp][] = [
  [/TABLE/i, /^aws_dynamodb_table$/],
  [/BUCKET/i, /^aws_s3_bucket$/],
  [/QUEUE/i, /^aws_sqs_queue$/],
  [/TOPIC/i, /^aws_sns_topic$/],
  [/SECRET/i, /^aws_secretsmanager_secret$/],
  [/STREAM/i, /^aws_kinesis_stream$/],
  [/KEY/i, /^aws_kms_key$/],
  [/FUNCTION|LAMBDA/i, /^aws_lambda_function$/],
  [/ROLE/i, /^aws_iam_role$/],
  [/(LOG_?GROUP|LOGS)/i, /^aws_cloudwatch_log_group$/],
  [/(STATE_?MACHINE|WORKFLOW)/i, /^aws_sfn_state_machine$/],
]

/**
 * Ids AWS generates (`sg-0123…`, `subnet-…`, UUIDs, API Gateway's ten-character ids, detector
 * ids): unique across types, unlike names, which may be shared by a role and a function.
 */
const GENERATED_ID = /^(?:[a-z]+(?:-[a-z]+)*-[0-9a-f]{8,17}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32}|(?=[a-z0-9]*\d)[a-z0-9]{10})$/

/** Reader over one resource (path `[]`) or one nested block of it. */
class Reader implements TfReader {
  constructor(
    readonly res: TfResource,
    readonly plan: TfPlanContext,
    readonly path: readonly (string | number)[],
  ) {}

  private full(attr: string): Path {
    return [...this.path, ...split(attr)]
  }

  raw(attr: string): unknown {
    return at(this.res.values, this.full(attr))
  }

  private expr(path: Path): { found: boolean; expression?: TfExpression; inside: Path } | undefined {
    if (!this.res.config) return undefined
    return expressionAt(this.res.config.expressions, path)
  }

  private resolve(e: TfExpression | undefined): TfTarget[] {
    return e?.references ? this.plan.config.resolve(e.references, this.res.ctx) : []
  }

  /** Is the value at a path unknown? Without `after_unknown`, in a plan, a key missing from its object is. */
  private unknown(path: Path): boolean {
    if (this.res.unknown) return unknownAt(this.res.unknown, path) === true
    if (!this.res.absentIsUnknown) return false
    // the value, or an object on the way to it, is left out of the planned values
    let node: unknown = this.res.values
    for (const seg of path) {
      if (isObj(node)) {
        if (typeof seg === 'string' && !(seg in node)) return true
        node = node[seg as string]
      } else if (Array.isArray(node)) node = node[seg as number]
      else return false
    }
    return false
  }

  isUnknown(attr: string): boolean {
    return this.unknown(this.full(attr))
  }

  targets(attr: string): TfTarget[] {
    const e = this.expr(this.full(attr))
    return e?.found ? this.resolve(e.expression) : []
  }

  /**
   * What an unknown value at `path` stands for. `hint` places a list element or map entry among
   * the expression's references (the second unknown subnet is the second subnet referenced).
   */
  private unknownValue(path: Path, hint?: { ordinal: number; count: number } | { key: string }): unknown {
    const e = this.expr(path)
    if (!e) return selfUnknown(this.res, path)
    if (!e.found) {
      // not set in the configuration: a default the provider computes (AWS's default applies) —
      // unless the enclosing block is itself missing from the configuration while its value is
      // known, which is what a `dynamic` block looks like
      const top = path[0]!
      if (typeof top === 'string' && top in this.res.config!.expressions) return undefined
      if (path.length > 1 && at(this.res.values, [top]) !== undefined) return selfUnknown(this.res, path)
      return undefined
    }
    const targets = this.resolve(e.expression)
    if (targets.length === 0) return selfUnknown(this.res, path)
    if (e.inside.length === 0 || targets.length === 1) return intrinsicFor(targets[0]!)
    if (hint && 'ordinal' in hint && targets.length === hint.count) return intrinsicFor(targets[hint.ordinal]!)
    if (hint && 'key' in hint) {
      const byName = targets.filter((t) => hint.key.toLowerCase().split(/[^a-z0-9]+/).includes(parseAddress(t.address)?.name.toLowerCase() ?? ''))
      if (byName.length === 1) return intrinsicFor(byName[0]!)
      const hinted = KEY_HINTS.filter(([k]) => k.test(hint.key)).map(([, type]) => targets.filter((t) => type.test(t.type)))
      const one = hinted.find((l) => l.length === 1)
      if (one) return intrinsicFor(one[0]!)
    }
    return selfUnknown(this.res, path)
  }

  /** The value at `path` with its unknown parts replaced. */
  private patch(v: unknown, u: unknown, path: Path): unknown {
    if (u === true) return this.unknownValue(path)
    if (Array.isArray(v)) {
      const unknownIdx = Array.isArray(u) ? u.map((x, i) => (x === true ? i : -1)).filter((i) => i >= 0) : []
      const out: unknown[] = []
      v.forEach((x, i) => {
        const ui = Array.isArray(u) ? u[i] : undefined
        if (ui === true) {
          const val = this.unknownValue([...path, i], { ordinal: unknownIdx.indexOf(i), count: unknownIdx.length })
          if (val !== undefined) out.push(val)
        } else if (x !== null) out.push(this.patch(x, ui, [...path, i]))
      })
      return out
    }
    if (isObj(v)) {
      const out: Obj = {}
      for (const [k, x] of Object.entries(v)) {
        const uk = isObj(u) ? u[k] : undefined
        if (uk === true) {
          const val = this.unknownValue([...path, k], { key: k })
          if (val !== undefined) safeSet(out, k, val)
        } else if (x !== null) safeSet(out, k, this.patch(x, uk, [...path, k]))
      }
      if (isObj(u)) {
        for (const [k, uk] of Object.entries(u)) {
          if (k in v || uk !== true) continue
          const val = this.unknownValue([...path, k], { key: k })
          if (val !== undefined) safeSet(out, k, val)
        }
      }
      return out
    }
    return v
  }

  get(attr: string): unknown {
    const path = this.full(attr)
    if (this.unknown(path)) return this.unknownValue(path)
    const v = at(this.res.values, path)
    if (v === undefined || v === null) return undefined
    return this.patch(v, this.res.unknown ? unknownAt(this.res.unknown, path) : undefined, path)
  }

  getOr(attr: string, fallback: unknown): unknown {
    const v = this.get(attr)
    return v === undefined && !this.isUnknown(attr) ? fallback : v
  }

  /** Managed resources of the plan a whole attribute is configured from. */
  private planTargets(path: Path): TfTarget[] {
    const e = this.expr(path)
    if (!e?.found || e.inside.length) return []
    return this.resolve(e.expression).filter((t) => t.mode === 'managed' && t.inPlan)
  }

  /**
   * Without a configuration (a state), an id written as a value names the plan resource with that
   * id, if exactly one has it — as a template would write `!Ref`. ARNs need no help: the
   * inventory matches them.
   */
  private byId(v: unknown): unknown {
    if (this.res.config || typeof v !== 'string' || !GENERATED_ID.test(v)) return v
    let hits = (this.plan.ids.get(v) ?? []).filter((a) => a !== this.res.address)
    // a resource configuring another shares its id (`aws_s3_bucket_policy` has the bucket's): keep the configured one
    const typeOf = (a: string): string => parseAddress(a)?.type ?? a
    if (hits.length > 1) hits = hits.filter((a) => !hits.some((b) => b !== a && typeOf(a).startsWith(`${typeOf(b)}_`)))
    return hits.length === 1 ? { Ref: hits[0] } : v
  }

  ref(attr: string): unknown {
    const t = this.planTargets(this.full(attr))
    return t.length ? intrinsicFor(t[0]!) : this.byId(this.get(attr))
  }

  refList(attr: string): unknown {
    const path = this.full(attr)
    const v = this.get(attr)
    const t = this.planTargets(path)
    if (!t.length) return Array.isArray(v) ? v.map((x) => this.byId(x)) : v
    if (v === undefined || !Array.isArray(v)) return t.map(intrinsicFor)
    // every element comes from a reference: name the resources, not their ids
    if (v.length === t.length) return t.map(intrinsicFor)
    return v
  }

  json(attr: string): unknown {
    const path = this.full(attr)
    if (this.unknown(path)) {
      const e = this.expr(path)
      if (e && !e.found) return this.unknownValue(path)
      for (const t of this.resolve(e?.expression)) {
        if (t.mode === 'data' && t.type === 'aws_iam_policy_document') {
          const doc = policyFromDataSource(t.address, this.plan)
          if (doc !== undefined) return doc
        }
      }
      // a document known only after apply is unknown as a whole, not the resource it names
      return selfUnknown(this.res, path)
    }
    const v = at(this.res.values, path)
    if (v === null || v === undefined) return undefined
    return parseJsonOrYaml(v, false)
  }

  block(attr: string): TfReader | undefined {
    return this.blocks(attr)[0]
  }

  blocks(attr: string): TfReader[] {
    const path = this.full(attr)
    if (this.unknown(path)) {
      // a block known only after apply, but written in the configuration: its settings are unknown
      const e = this.expr(path)
      return !e || e.found ? [new Reader(this.res, this.plan, [...path, 0])] : []
    }
    const v = at(this.res.values, path)
    if (Array.isArray(v)) return v.map((x, i) => (isObj(x) ? new Reader(this.res, this.plan, [...path, i]) : undefined)).filter((x): x is Reader => !!x)
    if (isObj(v)) return [new Reader(this.res, this.plan, path)]
    return []
  }

  tagMap(): Record<string, unknown> | undefined {
    if (this.path.length) return undefined
    const all = this.get('tags_all')
    const own = this.get('tags')
    const merged = { ...(isObj(all) ? all : {}), ...(isObj(own) ? own : {}) }
    return Object.keys(merged).length ? merged : undefined
  }

  tags(): { Key: string; Value: unknown }[] | undefined {
    return tagList(this.tagMap())
  }
}

/** Builds the reader a converter uses for a resource. */
export function tfReader(res: TfResource, plan: TfPlanContext): TfReader {
  return new Reader(res, plan, [])
}

/**
 * The document an `aws_iam_policy_document` data source renders: its `json` when it was read
 * while planning, else rebuilt from its `statement` blocks in the configuration, with the
 * resources it names as references (as a template would write `!GetAtt Bucket.Arn`).
 */
export function policyFromDataSource(address: string, plan: TfPlanContext): unknown {
  const known = plan.dataValues.get(address)
  if (known && typeof known['json'] === 'string') return parseJsonOrYaml(known['json'], false)
  const a = parseAddress(address)
  if (!a) return undefined
  const cfg = plan.config.resource(a)
  if (!cfg) return undefined
  const ctx = { modules: a.modules, ...(a.key !== undefined ? { key: a.key } : {}), ...(cfg.forEach ? { forEach: cfg.forEach } : {}) }
  const value = (node: unknown): unknown => {
    if (!isExpression(node)) return undefined
    if ('constant_value' in node) return node.constant_value ?? undefined
    const t = plan.config.resolve(node.references ?? [], ctx)
    if (!t.length) return { 'Fn::GetAtt': [address, 'json'] }
    return t.length === 1 ? intrinsicFor(t[0]!) : t.map(intrinsicFor)
  }
  const principals = (list: unknown): unknown => {
    if (!Array.isArray(list) || !list.length) return undefined
    const out: Obj = {}
    for (const p of list) {
      if (!isObj(p)) continue
      const type = value(p['type'])
      const ids = value(p['identifiers'])
      if (type === '*' && (ids === '*' || (Array.isArray(ids) && ids.length === 1 && ids[0] === '*'))) return '*'
      if (typeof type === 'string') safeSet(out, type, ids)
    }
    return out
  }
  const statements = Array.isArray(cfg.expressions['statement']) ? cfg.expressions['statement'] : []
  const Statement = statements.filter(isObj).map((s) => {
    const conditions: Obj = {}
    for (const c of Array.isArray(s['condition']) ? s['condition'] : []) {
      if (!isObj(c)) continue
      const test = value(c['test'])
      const variable = value(c['variable'])
      if (typeof test !== 'string' || typeof variable !== 'string') continue
      const byVariable = isObj(conditions[test]) ? (conditions[test] as Obj) : {}
      safeSet(byVariable, variable, value(c['values']))
      safeSet(conditions, test, byVariable)
    }
    return compact({
      Sid: value(s['sid']) || undefined,
      Effect: value(s['effect']) ?? 'Allow',
      Principal: principals(s['principals']),
      NotPrincipal: principals(s['not_principals']),
      Action: value(s['actions']),
      NotAction: value(s['not_actions']),
      Resource: value(s['resources']),
      NotResource: value(s['not_resources']),
      Condition: Object.keys(conditions).length ? conditions : undefined,
    })
  })
  return { Version: value(cfg.expressions['version']) ?? '2012-10-17', Statement }
}

/**
 * A JSON (or, with `yaml`, YAML) document held in a string attribute, parsed; anything else,
 * or text that does not parse, as it is.
 */
export function parseJsonOrYaml(v: unknown, yaml: boolean): unknown {
  if (typeof v !== 'string') return v
  const text = v.trim()
  if (!text) return v
  try {
    return JSON.parse(text) as unknown
  } catch {
    if (!yaml) return v
  }
  // an API body in OpenAPI YAML: the same reader as templates (never throws; aliases bounded)
  const parsed = parseYamlLocated(text, { file: 'terraform attribute', tags: 'cloudformation', schema: 'core', maxAliasExpansion: 10_000 })
  const doc = parsed.diagnostics.some((d) => d.level === 'error') ? undefined : parsed.documents[0]
  return doc !== null && typeof doc === 'object' ? doc : v
}

/** Parse a JSON policy document string, keeping it as is when it is not JSON (e.g. unknown). */
export function policyDoc(v: unknown): unknown {
  return parseJsonOrYaml(v, false)
}



/** Terraform `tags` map → CloudFormation `Tags` list. */
export function tagList(tags: unknown): { Key: string; Value: unknown }[] | undefined {
  if (!tags || typeof tags !== 'object' || Array.isArray(tags)) return undefined
  const list = Object.entries(tags as Record<string, unknown>).map(([Key, Value]) => ({ Key, Value }))
  return list.length ? list : undefined
}

/** Drop undefined values (and empty objects) so converted properties read like a template's. */
export function compact<T extends Record<string, unknown>>(o: T): T {
  for (const k of Object.keys(o)) {
    const v = o[k]
    if (v === undefined || (isObj(v) && Object.keys(v).length === 0)) delete o[k]
  }
  return o
}

/** `compact`, and undefined when nothing is left: for optional nested properties. */
export function nested(o: Record<string, unknown>): Record<string, unknown> | undefined {
  const c = compact(o)
  return Object.keys(c).length ? c : undefined
}

/** A list without elements as undefined (an unknown list, an intrinsic, stays as it is). */
export function nonEmpty<T>(v: T): T | undefined {
  if (Array.isArray(v)) return v.length ? v : undefined
  return v ?? undefined
}


/** Numbers CloudFormation declares as strings (`AllocatedStorage`, `Port` of an instance). */
export function numString(v: unknown): unknown {
  return typeof v === 'number' ? String(v) : v
}

/** `"true"` / `"false"` strings (launch template attributes) as booleans; other values as they are. */
export function boolish(v: unknown): unknown {
  if (v === 'true') return true
  if (v === 'false') return false
  if (v === '') return undefined
  return v
}

/** An empty string (Terraform's "not set" for many string attributes) as undefined. */
export function nonBlank(v: unknown): unknown {
  return v === '' ? undefined : v
}
