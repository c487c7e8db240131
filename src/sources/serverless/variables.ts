import type { Diagnostic } from '../../model/index.js'

/** What static variable resolution may use. */
export interface VariableContext {
  file: string
  /** The whole serverless.yml (for `${self:…}`). */
  self: Record<string, unknown>
  stage: string
  region: string
  /** `--opt` values from the command line (`stage`, `region`, others). */
  options: Record<string, string>
  /** Values of `params:` for the stage (Serverless v4). */
  params: Record<string, unknown>
  /** Reads a file relative to the service directory, confined to the scan root; undefined if absent. */
  readFile?: (relPath: string) => unknown
  diagnostics: Diagnostic[]
  reported: Set<string>
  /** Line of the value being resolved, for diagnostics. */
  line?: number
  /** Lines of the document's keys: with it, each value's own line is reported, not its section's. */
  lineOf?: (container: unknown, key: string | number) => number | undefined
  /** Expressions evaluated so far; resolution stops at a budget so self-referencing variables cannot blow up. */
  evaluations?: number
}

/** Most variable expressions one file may evaluate. */
const EVALUATION_BUDGET = 20_000

const VAR = /\$\{((?:[^${}]|\$\{[^{}]*\})*)\}/

/** Sources whose values exist only at deploy time. */
const DEPLOY_TIME = /^(ssm|cf|s3|secrets|sls:instanceId|construct|aws:accountId|terraform|vault|doppler)/

/**
 * Resolves Serverless Framework variables (`${self:…}`, `${opt:stage, 'dev'}`, `${sls:stage}`,
 * `${param:…}`, `${file(./x.yml):key}`, `${aws:region}`) where they are static. Deploy-time
 * sources (SSM, CloudFormation outputs, secrets, environment variables of the deploying shell)
 * stay as written and are reported once each; environment variables of the scanning machine
 * are never read, so a scan does not depend on (or leak) the scanner's environment.
 */
export function resolveVariables(value: unknown, ctx: VariableContext, depth = 0): unknown {
  if (depth > 30) return value
  if (typeof value === 'string') return resolveString(value, ctx, depth)
  const outer = ctx.line
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      ctx.line = ctx.lineOf?.(value, i) ?? outer
      value[i] = resolveVariables(value[i], ctx, depth)
    }
    ctx.line = outer
    return value
  }
  if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>
    for (const k of Object.keys(obj)) {
      ctx.line = ctx.lineOf?.(obj, k) ?? outer
      obj[k] = resolveVariables(obj[k], ctx, depth)
    }
    ctx.line = outer
    return obj
  }
  return value
}

function resolveString(s: string, ctx: VariableContext, depth: number): unknown {
  if (!s.includes('${')) return s
  if (depth > 30) return s
  let guard = 0
  let current = s
  while (guard++ < 50) {
    const m = findInnermost(current)
    if (!m) break
    const [start, end, inner] = m
    const resolved = resolveExpression(inner, ctx, depth)
    if (resolved === UNRESOLVED) {
      // keep the expression, marked so it is not tried again
      current = current.slice(0, start) + '$\u0000{' + inner + '}' + current.slice(end)
      continue
    }
    if (start === 0 && end === current.length && typeof resolved !== 'string') return restore(resolved)
    current = current.slice(0, start) + (typeof resolved === 'string' ? resolved : JSON.stringify(resolved)) + current.slice(end)
  }
  return restore(current)
}

function restore(v: unknown): unknown {
  return typeof v === 'string' ? v.replaceAll('$\u0000{', '${') : v
}

/** Find the innermost `${…}` (no nested `${` inside), returning [start, end, inner]. */
function findInnermost(s: string): [number, number, string] | undefined {
  let i = s.lastIndexOf('${')
  while (i !== -1) {
    const close = s.indexOf('}', i + 2)
    if (close !== -1) return [i, close + 1, s.slice(i + 2, close)]
    // lastIndexOf with a negative start searches from 0 again: stop at the beginning
    if (i === 0) break
    i = s.lastIndexOf('${', i - 1)
  }
  return undefined
}

const UNRESOLVED = Symbol('unresolved')

function resolveExpression(expr: string, ctx: VariableContext, depth: number): unknown {
  ctx.evaluations = (ctx.evaluations ?? 0) + 1
  if (ctx.evaluations > EVALUATION_BUDGET) return UNRESOLVED
  const parts = splitFallbacks(expr)
  for (const part of parts) {
    const v = resolveSingle(part.trim(), ctx, depth)
    if (v !== UNRESOLVED && v !== undefined && v !== null) return v
  }
  const first = parts[0]?.trim() ?? expr
  const key = first.split(':')[0] ?? first
  if (!ctx.reported.has(first)) {
    ctx.reported.add(first)
    const deployTime = DEPLOY_TIME.test(first) || first.startsWith('env:')
    ctx.diagnostics.push({
      code: 'PW_ERR_SERVERLESS_VARIABLE',
      level: 'warning',
      message: `Variable \${${first.length > 80 ? first.slice(0, 80) + '…' : first}} in ${ctx.file}${ctx.line ? ` at line ${ctx.line}` : ''} ${deployTime ? `comes from ${key} at deploy time` : 'cannot be resolved statically'}; values that depend on it are judged manual.`,
      file: ctx.file,
      ...(ctx.line ? { line: ctx.line } : {}),
    })
  }
  return UNRESOLVED
}

function splitFallbacks(expr: string): string[] {
  const out: string[] = []
  let depthParen = 0
  let quote: string | undefined
  let cur = ''
  for (const ch of expr) {
    if (quote) {
      cur += ch
      if (ch === quote) quote = undefined
      continue
    }
    if (ch === '"' || ch === "'") quote = ch
    if (ch === '(') depthParen++
    if (ch === ')') depthParen--
    if (ch === ',' && depthParen === 0) {
      out.push(cur)
      cur = ''
      continue
    }
    cur += ch
  }
  out.push(cur)
  return out
}

function resolveSingle(ref: string, ctx: VariableContext, depth: number): unknown {
  if (/^(['"]).*\1$/s.test(ref)) return ref.slice(1, -1)
  if (/^-?\d+(\.\d+)?$/.test(ref)) return Number(ref)
  if (ref === 'true' || ref === 'false') return ref === 'true'
  if (ref.includes('$\u0000{')) return UNRESOLVED
  const colon = ref.indexOf(':')
  const source = colon === -1 ? ref : ref.slice(0, colon)
  const address = colon === -1 ? '' : ref.slice(colon + 1)
  switch (source) {
    case 'self':
      return lookup(ctx.self, address, ctx, depth)
    case 'opt':
      return address === 'stage' ? ctx.options['stage'] ?? undefined : address === 'region' ? ctx.options['region'] ?? undefined : ctx.options[address]
    case 'sls':
      return address === 'stage' ? ctx.stage : UNRESOLVED
    case 'aws':
      return address === 'region' ? ctx.region : UNRESOLVED
    case 'param':
      return ctx.params[address] === undefined ? UNRESOLVED : resolveVariables(structuredClone(ctx.params[address]), ctx, depth + 1)
    case 'strToBool':
      return UNRESOLVED
    default: {
      const file = /^file\(([^)]+)\)(?::(.*))?$/.exec(ref)
      if (file && ctx.readFile) {
        const content = ctx.readFile(file[1]!.trim())
        if (content === undefined) return UNRESOLVED
        return file[2] ? lookup(content, file[2], ctx, depth) : content
      }
      return UNRESOLVED
    }
  }
}

function lookup(root: unknown, address: string, ctx: VariableContext, depth: number): unknown {
  // `${self:}` would copy the whole document into itself
  if (address === '') return root === ctx.self ? UNRESOLVED : root
  let node: unknown = root
  for (const key of address.split('.')) {
    if (node === null || typeof node !== 'object') return UNRESOLVED
    node = (node as Record<string, unknown>)[key]
    if (node === undefined) return UNRESOLVED
  }
  if (typeof node === 'string' && node.includes('${')) return resolveString(node, ctx, depth + 1)
  if (node && typeof node === 'object') return resolveVariables(structuredClone(node), ctx, depth + 1)
  return node
}

/** Does a value still hold an unresolved Serverless variable? */
export function hasUnresolvedVariable(v: unknown): boolean {
  return typeof v === 'string' && VAR.test(v)
}
