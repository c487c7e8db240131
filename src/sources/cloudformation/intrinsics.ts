import type { Diagnostic } from '../../model/index.js'
import type { LineMap } from '../located/index.js'

/** Marker for `Ref: AWS::NoValue`: the enclosing key or list item is removed. */
export const NO_VALUE: unique symbol = Symbol('AWS::NoValue')

/** Names that `Ref` may point to besides parameters and resources. */
export const PSEUDO_PARAMETERS = [
  'AWS::AccountId',
  'AWS::NotificationARNs',
  'AWS::NoValue',
  'AWS::Partition',
  'AWS::Region',
  'AWS::StackId',
  'AWS::StackName',
  'AWS::URLSuffix',
] as const

/** What the resolver knows about a template. */
export interface ResolveContext {
  file: string
  lines: LineMap
  /** Parameter values known statically (default or override); absent = unknown at scan time. */
  params: Map<string, unknown>
  /** All declared parameter names, known or not. */
  paramNames: Set<string>
  /** Pseudo parameters whose value is known (AWS::Partition, AWS::URLSuffix, and any given). */
  pseudo: Map<string, unknown>
  mappings: Record<string, unknown>
  /** Condition values: true / false, or undefined when they depend on unknown values. */
  conditions: Map<string, boolean | undefined>
  resources: Set<string>
  diagnostics: Diagnostic[]
  /** Names already reported as undefined, so each is reported once. */
  reported: Set<string>
  /** Names a transform will create (SAM), which references may use before they exist. */
  generatedName?: (name: string) => boolean
}

const INTRINSIC_KEYS = new Set([
  'Ref',
  'Condition',
  'Fn::GetAtt',
  'Fn::Sub',
  'Fn::Join',
  'Fn::If',
  'Fn::Equals',
  'Fn::And',
  'Fn::Or',
  'Fn::Not',
  'Fn::Select',
  'Fn::Split',
  'Fn::FindInMap',
  'Fn::GetAZs',
  'Fn::ImportValue',
  'Fn::Base64',
  'Fn::Cidr',
  'Fn::Transform',
  'Fn::Length',
  'Fn::ToJsonString',
])

/** Is the value a single-key object whose key names an intrinsic function? */
export function isIntrinsic(v: unknown): boolean {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false
  const key = onlyOwnKey(v)
  return key !== undefined && INTRINSIC_KEYS.has(key)
}

/**
 * The key of an object with exactly one own enumerable key (the shape of an intrinsic,
 * `{ "Ref": … }`), else undefined: counted without building a key array, as the readers ask it
 * of every object of a template.
 */
export function onlyOwnKey(obj: object): string | undefined {
  let only: string | undefined
  let count = 0
  for (const k in obj) {
    if (!Object.prototype.hasOwnProperty.call(obj, k)) continue
    only = k
    if (++count > 1) return undefined
  }
  return only
}

/** Is a value fully known: no intrinsic left anywhere inside it? */
export function isResolved(v: unknown): boolean {
  if (v === null || typeof v !== 'object') return true
  if (Array.isArray(v)) return v.every(isResolved)
  if (isIntrinsic(v)) return false
  return Object.values(v).every(isResolved)
}

/**
 * Resolves intrinsic functions as far as static knowledge allows: parameters with defaults,
 * pseudo parameters, mappings, conditions, `Fn::Sub`, `Fn::Join`, `Fn::Select`, `Fn::Split`,
 * `Fn::If`. What depends on deploy-time values (`!GetAtt`, `!Ref` to a resource, a parameter
 * without default) is kept as the intrinsic, so checks can see the reference and answer
 * `manual` where the value matters. Mutates containers in place to keep their recorded lines.
 */
export function resolveValue(v: unknown, ctx: ResolveContext, path: string): unknown {
  if (v === null || typeof v !== 'object') return v
  if (Array.isArray(v)) {
    let write = 0
    for (let i = 0; i < v.length; i++) {
      const r = resolveValue(v[i], ctx, `${path}[${i}]`)
      if (r === NO_VALUE) continue
      v[write++] = r
    }
    v.length = write
    return v
  }
  const obj = v as Record<string, unknown>
  const keys = Object.keys(obj)
  if (keys.length === 1 && INTRINSIC_KEYS.has(keys[0]!) && keys[0] !== 'Condition') {
    return resolveIntrinsic(keys[0]!, obj[keys[0]!], obj, ctx, path)
  }
  for (const k of keys) {
    const r = resolveValue(obj[k], ctx, `${path}.${k}`)
    if (r === NO_VALUE) delete obj[k]
    else if (r !== obj[k]) obj[k] = r
  }
  return obj
}

function lineOf(ctx: ResolveContext, node: object): number | undefined {
  return ctx.lines.lineOf(node)
}

/** How an intrinsic is written, for a message: `Ref DbPassword`, `Fn::Sub`, `Fn::Join`; never a value. */
function intrinsicName(v: unknown): string {
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const keys = Object.keys(v)
    if (keys.length === 1) {
      const k = keys[0]!
      const a = (v as Record<string, unknown>)[k]
      if (k === 'Ref' && typeof a === 'string' && /^[A-Za-z0-9:._-]{1,255}$/.test(a)) return `Ref ${a}`
      if (/^(Fn::[A-Za-z]+|Condition)$/.test(k)) return k
    }
  }
  return 'an expression'
}

function report(ctx: ResolveContext, node: object, code: 'PW_ERR_UNRESOLVED_REFERENCE' | 'PW_ERR_INTRINSIC_INVALID', message: string, key: string): void {
  if (ctx.reported.has(key)) return
  ctx.reported.add(key)
  const line = lineOf(ctx, node)
  ctx.diagnostics.push({
    code,
    level: 'error',
    message: `${message} in ${ctx.file}${line !== undefined ? ` at line ${line}` : ''}.`,
    file: ctx.file,
    ...(line !== undefined ? { line } : {}),
  })
}

function resolveRef(name: unknown, node: Record<string, unknown>, ctx: ResolveContext): unknown {
  if (typeof name !== 'string') {
    report(ctx, node, 'PW_ERR_INTRINSIC_INVALID', 'Ref takes the name of a parameter or resource', `ref-shape:${lineOf(ctx, node)}`)
    return node
  }
  if (name === 'AWS::NoValue') return NO_VALUE
  if (ctx.params.has(name)) return ctx.params.get(name)
  if (ctx.pseudo.has(name)) return ctx.pseudo.get(name)
  if (ctx.paramNames.has(name) || ctx.resources.has(name) || (PSEUDO_PARAMETERS as readonly string[]).includes(name)) return node
  if (ctx.generatedName?.(name)) return node
  report(ctx, node, 'PW_ERR_UNRESOLVED_REFERENCE', `Ref to undefined name "${name}"`, `ref:${name}`)
  return node
}

function resolveIntrinsic(fn: string, arg: unknown, node: Record<string, unknown>, ctx: ResolveContext, path: string): unknown {
  switch (fn) {
    case 'Ref':
      return resolveRef(arg, node, ctx)
    case 'Fn::GetAtt': {
      const parts = typeof arg === 'string' ? splitGetAtt(arg) : arg
      if (!Array.isArray(parts) || parts.length < 2 || typeof parts[0] !== 'string') {
        report(ctx, node, 'PW_ERR_INTRINSIC_INVALID', 'Fn::GetAtt takes [LogicalName, AttributeName]', `getatt:${lineOf(ctx, node)}`)
        return node
      }
      if (!ctx.resources.has(parts[0]) && !ctx.generatedName?.(parts[0])) {
        report(ctx, node, 'PW_ERR_UNRESOLVED_REFERENCE', `Fn::GetAtt of undefined resource "${parts[0]}"`, `getatt:${parts[0]}`)
      }
      const attr = resolveValue(parts[1], ctx, path)
      node['Fn::GetAtt'] = [parts[0], attr]
      return node
    }
    case 'Fn::Sub':
      return resolveSub(arg, node, ctx, path)
    case 'Fn::Join': {
      if (!Array.isArray(arg) || arg.length !== 2) {
        report(ctx, node, 'PW_ERR_INTRINSIC_INVALID', 'Fn::Join takes [delimiter, [values]]', `join:${lineOf(ctx, node)}`)
        return node
      }
      const delim = resolveValue(arg[0], ctx, path)
      const list = resolveValue(arg[1], ctx, path)
      arg[0] = delim
      arg[1] = list
      if (typeof delim === 'string' && Array.isArray(list) && list.every((x) => typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean')) {
        return list.join(delim)
      }
      return node
    }
    case 'Fn::Select': {
      if (!Array.isArray(arg) || arg.length !== 2) {
        report(ctx, node, 'PW_ERR_INTRINSIC_INVALID', 'Fn::Select takes [index, [values]]', `select:${lineOf(ctx, node)}`)
        return node
      }
      const idx = resolveValue(arg[0], ctx, path)
      const list = resolveValue(arg[1], ctx, path)
      arg[0] = idx
      arg[1] = list
      const i = typeof idx === 'number' ? idx : typeof idx === 'string' && /^\d+$/.test(idx) ? Number(idx) : NaN
      if (Array.isArray(list) && Number.isInteger(i)) {
        if (i >= 0 && i < list.length) return list[i]
        report(ctx, node, 'PW_ERR_INTRINSIC_INVALID', `Fn::Select index ${i} is out of range`, `select-range:${lineOf(ctx, node)}`)
      }
      return node
    }
    case 'Fn::Split': {
      if (!Array.isArray(arg) || arg.length !== 2) {
        report(ctx, node, 'PW_ERR_INTRINSIC_INVALID', 'Fn::Split takes [delimiter, string]', `split:${lineOf(ctx, node)}`)
        return node
      }
      const delim = resolveValue(arg[0], ctx, path)
      const s = resolveValue(arg[1], ctx, path)
      arg[0] = delim
      arg[1] = s
      if (typeof delim === 'string' && typeof s === 'string' && delim.length > 0) return s.split(delim)
      return node
    }
    case 'Fn::FindInMap': {
      if (!Array.isArray(arg) || arg.length < 3) {
        report(ctx, node, 'PW_ERR_INTRINSIC_INVALID', 'Fn::FindInMap takes [MapName, TopLevelKey, SecondLevelKey]', `findinmap:${lineOf(ctx, node)}`)
        return node
      }
      // a key as written names itself; one an intrinsic computed (a parameter's value, NoEcho
      // included) is named by where it came from, never by its value
      const written = [0, 1, 2].map((i) => arg[i])
      const label = (i: number, value: string): string => (typeof written[i] === 'string' || typeof written[i] === 'number' ? `"${value}"` : `(the value of ${intrinsicName(written[i])})`)
      const keys = [0, 1, 2].map((i) => resolveValue(arg[i], ctx, path))
      keys.forEach((k, i) => (arg[i] = k))
      if (arg.length > 3) arg[3] = resolveValue(arg[3], ctx, path)
      if (keys.every((k) => typeof k === 'string' || typeof k === 'number')) {
        const [m, a, b] = keys.map(String) as [string, string, string]
        const map = ctx.mappings[m]
        if (map === undefined) {
          report(ctx, node, 'PW_ERR_UNRESOLVED_REFERENCE', `Fn::FindInMap of undefined mapping ${label(0, m)}`, `map:${m}`)
          return node
        }
        const top = (map as Record<string, unknown>)[a]
        const val = top && typeof top === 'object' ? (top as Record<string, unknown>)[b] : undefined
        if (val !== undefined) return val
        const dflt = arg[3] && typeof arg[3] === 'object' ? (arg[3] as Record<string, unknown>)['DefaultValue'] : undefined
        if (dflt !== undefined) return dflt
        report(ctx, node, 'PW_ERR_UNRESOLVED_REFERENCE', `Fn::FindInMap key ${label(1, a)}/${label(2, b)} is not in mapping ${label(0, m)}`, `mapkey:${m}:${a}:${b}`)
      }
      return node
    }
    case 'Fn::If': {
      if (!Array.isArray(arg) || arg.length !== 3 || typeof arg[0] !== 'string') {
        report(ctx, node, 'PW_ERR_INTRINSIC_INVALID', 'Fn::If takes [ConditionName, valueIfTrue, valueIfFalse]', `if:${lineOf(ctx, node)}`)
        return node
      }
      const cond = arg[0]
      if (!ctx.conditions.has(cond)) {
        report(ctx, node, 'PW_ERR_UNRESOLVED_REFERENCE', `Fn::If names undefined condition "${cond}"`, `cond:${cond}`)
      }
      const value = ctx.conditions.get(cond)
      if (value === true) return resolveValue(arg[1], ctx, path)
      if (value === false) return resolveValue(arg[2], ctx, path)
      const t = resolveValue(arg[1], ctx, path)
      const f = resolveValue(arg[2], ctx, path)
      arg[1] = t === NO_VALUE ? { Ref: 'AWS::NoValue' } : t
      arg[2] = f === NO_VALUE ? { Ref: 'AWS::NoValue' } : f
      return node
    }
    case 'Fn::Length': {
      const list = resolveValue(arg, ctx, path)
      if (Array.isArray(list)) return list.length
      node[fn] = list
      return node
    }
    case 'Fn::ToJsonString': {
      const inner = resolveValue(arg, ctx, path)
      if (isResolved(inner)) return JSON.stringify(inner)
      node[fn] = inner
      return node
    }
    default: {
      // Fn::Base64, Fn::GetAZs, Fn::ImportValue, Fn::Cidr, Fn::Transform and condition functions
      // depend on deploy-time values: resolve their arguments, keep the function.
      const inner = resolveValue(arg, ctx, path)
      node[fn] = inner === NO_VALUE ? { Ref: 'AWS::NoValue' } : inner
      return node
    }
  }
}

function splitGetAtt(s: string): string[] {
  const dot = s.indexOf('.')
  return dot > 0 ? [s.slice(0, dot), s.slice(dot + 1)] : [s]
}

const SUB_VAR = /\$\{([^}]*)\}/g

function resolveSub(arg: unknown, node: Record<string, unknown>, ctx: ResolveContext, path: string): unknown {
  let template: unknown
  let vars: Record<string, unknown> = {}
  if (typeof arg === 'string') template = arg
  else if (Array.isArray(arg) && arg.length === 2 && typeof arg[0] === 'string' && arg[1] && typeof arg[1] === 'object') {
    template = arg[0]
    vars = resolveValue(arg[1], ctx, path) as Record<string, unknown>
    arg[1] = vars
  } else {
    report(ctx, node, 'PW_ERR_INTRINSIC_INVALID', 'Fn::Sub takes a string or [string, {variables}]', `sub:${lineOf(ctx, node)}`)
    return node
  }
  let unresolved = false
  const out = (template as string).replace(SUB_VAR, (whole, name: string) => {
    if (name.startsWith('!')) return whole // literal ${!x} stays for the final unescape
    if (Object.prototype.hasOwnProperty.call(vars, name)) {
      const v = vars[name]
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v)
      unresolved = true
      return whole
    }
    if (ctx.params.has(name)) {
      const v = ctx.params.get(name)
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v)
      if (Array.isArray(v)) return v.join(',')
    }
    if (ctx.pseudo.has(name)) return String(ctx.pseudo.get(name))
    const base = name.split('.')[0]!
    if (!ctx.paramNames.has(name) && !ctx.resources.has(base) && !(PSEUDO_PARAMETERS as readonly string[]).includes(name) && !ctx.generatedName?.(base)) {
      report(ctx, node, 'PW_ERR_UNRESOLVED_REFERENCE', `Fn::Sub names undefined variable "${name}"`, `sub:${name}`)
    }
    unresolved = true
    return whole
  })
  if (!unresolved) return out.replace(/\$\{!/g, '${')
  if (typeof arg === 'string') node['Fn::Sub'] = out
  else (arg as unknown[])[0] = out
  return node
}

/** Names a value refers to: `Ref`, `Fn::GetAtt` and `${Name}` / `${Name.Attr}` inside `Fn::Sub`. */
export function referencedNames(v: unknown, out: Set<string> = new Set()): Set<string> {
  if (v === null || typeof v !== 'object') return out
  if (Array.isArray(v)) {
    for (const x of v) referencedNames(x, out)
    return out
  }
  const obj = v as Record<string, unknown>
  const only = onlyOwnKey(obj)
  if (only !== undefined) {
    if (only === 'Ref' && typeof obj['Ref'] === 'string') {
      out.add(obj['Ref'])
      return out
    }
    if (only === 'Fn::GetAtt') {
      const a = obj['Fn::GetAtt']
      const name = typeof a === 'string' ? a.split('.')[0] : Array.isArray(a) ? a[0] : undefined
      if (typeof name === 'string') out.add(name)
      return out
    }
    if (only === 'Fn::Sub') {
      const a = obj['Fn::Sub']
      const tpl = typeof a === 'string' ? a : Array.isArray(a) ? a[0] : undefined
      const vars = Array.isArray(a) && a[1] && typeof a[1] === 'object' ? (a[1] as Record<string, unknown>) : {}
      if (typeof tpl === 'string') {
        for (const m of tpl.matchAll(SUB_VAR)) {
          const name = m[1]!
          if (name.startsWith('!') || name in vars) continue
          out.add(name.split('.')[0]!)
        }
      }
      referencedNames(vars, out)
      return out
    }
  }
  for (const k in obj) if (Object.prototype.hasOwnProperty.call(obj, k)) referencedNames(obj[k], out)
  return out
}

/**
 * Evaluates the template's Conditions with three-valued logic: true, false, or undefined when
 * a condition depends on a value unknown at scan time. Cycles are reported.
 */
export function evaluateConditions(conditions: Record<string, unknown>, ctx: ResolveContext): void {
  const state = new Map<string, 'visiting' | 'done'>()
  const evalNamed = (name: string, from: object): boolean | undefined => {
    if (state.get(name) === 'done') return ctx.conditions.get(name)
    if (state.get(name) === 'visiting') {
      const line = ctx.lines.lineOf(conditions, name)
      ctx.diagnostics.push({
        code: 'PW_ERR_CIRCULAR_DEPENDENCY',
        level: 'error',
        message: `Condition "${name}" depends on itself in ${ctx.file}${line ? ` at line ${line}` : ''}.`,
        file: ctx.file,
        ...(line ? { line } : {}),
      })
      return undefined
    }
    if (!(name in conditions)) {
      report(ctx, from, 'PW_ERR_UNRESOLVED_REFERENCE', `Condition "${name}" is not defined`, `cond:${name}`)
      return undefined
    }
    state.set(name, 'visiting')
    const v = evalExpr(conditions[name])
    ctx.conditions.set(name, v)
    state.set(name, 'done')
    return v
  }
  const evalExpr = (e: unknown): boolean | undefined => {
    if (typeof e === 'boolean') return e
    if (e === 'true') return true
    if (e === 'false') return false
    if (!e || typeof e !== 'object' || Array.isArray(e)) return undefined
    const obj = e as Record<string, unknown>
    const [k] = Object.keys(obj)
    const a = obj[k!]
    switch (k) {
      case 'Condition':
        return typeof a === 'string' ? evalNamed(a, obj) : undefined
      case 'Fn::Equals': {
        if (!Array.isArray(a) || a.length !== 2) return undefined
        const x = resolveValue(structuredClone(a[0]), ctx, 'Conditions')
        const y = resolveValue(structuredClone(a[1]), ctx, 'Conditions')
        if (!isResolved(x) || !isResolved(y)) return undefined
        return JSON.stringify(normalizeScalar(x)) === JSON.stringify(normalizeScalar(y))
      }
      case 'Fn::Not': {
        const inner = Array.isArray(a) ? evalExpr(a[0]) : undefined
        return inner === undefined ? undefined : !inner
      }
      case 'Fn::And': {
        if (!Array.isArray(a)) return undefined
        const vals = a.map(evalExpr)
        if (vals.includes(false)) return false
        return vals.includes(undefined) ? undefined : true
      }
      case 'Fn::Or': {
        if (!Array.isArray(a)) return undefined
        const vals = a.map(evalExpr)
        if (vals.includes(true)) return true
        return vals.includes(undefined) ? undefined : false
      }
      default:
        return undefined
    }
  }
  for (const name of Object.keys(conditions)) {
    if (!ctx.conditions.has(name)) ctx.conditions.set(name, undefined)
  }
  for (const name of Object.keys(conditions)) evalNamed(name, conditions)
}

function normalizeScalar(v: unknown): unknown {
  return typeof v === 'number' || typeof v === 'boolean' ? String(v) : v
}
