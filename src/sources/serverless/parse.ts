import { z } from 'zod'
import type { Diagnostic } from '../../model/index.js'
import { detectCycles, readTemplate, toSourceResources } from '../cloudformation/index.js'
import type { LocatedDocuments } from '../located/index.js'
import type { SourceDocument } from '../types.js'
import { compileServerless, normalizeFunctionName } from './compile.js'
import { hasUnresolvedVariable, resolveVariables, type VariableContext } from './variables.js'

/** Options for reading a serverless.yml. */
export interface ServerlessOptions {
  /** `--stage` (defaults to provider.stage, then `dev`). */
  stage?: string
  /** `--region` (defaults to provider.region, then `us-east-1`). */
  region?: string
  /** Reads a file relative to the service directory for `${file(…)}`, confined to the scan root. */
  readFile?: (relPath: string) => unknown
}

/** Does a parsed document look like a Serverless Framework service? */
export function looksLikeServerless(doc: unknown): boolean {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return false
  const d = doc as Record<string, unknown>
  if (!('service' in d)) return false
  const provider = d['provider']
  return (provider !== null && typeof provider === 'object' && (provider as Record<string, unknown>)['name'] !== undefined) || 'functions' in d
}

const serverlessSchema = z.looseObject({
  service: z.union([z.string(), z.looseObject({ name: z.string() })]),
  provider: z.looseObject({ name: z.string().optional() }).optional(),
  functions: z.union([z.record(z.string(), z.unknown()), z.null()]).optional(),
  resources: z.union([z.record(z.string(), z.unknown()), z.array(z.unknown()), z.null()]).optional(),
})

/**
 * Reads a Serverless Framework service: validates it, resolves static variables, compiles it
 * to the CloudFormation the framework deploys, and reads that template like any other.
 */
export function readServerless(doc: Record<string, unknown>, located: LocatedDocuments, file: string, options: ServerlessOptions = {}): SourceDocument {
  const diagnostics: Diagnostic[] = [...located.diagnostics]
  const lines = located.lines
  const parsed = serverlessSchema.safeParse(doc)
  if (!parsed.success) {
    for (const issue of parsed.error.issues.slice(0, 5)) {
      const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))
      const line = lines.lineOfPath(doc, path)
      // a whole section written as a variable (`functions: ${file(functions.yml)}`): say so, not "Invalid input"
      let value: unknown = doc
      for (const p of path) value = value && typeof value === 'object' ? (value as Record<string | number, unknown>)[p] : undefined
      const variable = typeof value === 'string' && /^\$\{[^}]+\}$/.test(value.trim()) ? value.trim() : undefined
      const why = variable
        ? `it is the variable ${variable.length > 80 ? `${variable.slice(0, 80)}…` : variable}, which PhiWall does not expand for a whole section; its content is not scanned (inline it, or scan the template \`serverless package\` writes to .serverless/)`
        : issue.message
      diagnostics.push({
        code: 'PW_ERR_SERVERLESS_INVALID',
        level: 'error',
        message: `serverless.yml section ${path.join('.') || '(root)'} is invalid in ${file}${line !== undefined ? ` at line ${line}` : ''}: ${why}.`,
        file,
        ...(line !== undefined ? { line } : {}),
      })
    }
    return { file, origin: 'serverless', resources: [], diagnostics, context: {} }
  }
  const provider = (doc['provider'] ?? {}) as Record<string, unknown>
  if (!doc['provider']) {
    doc['provider'] = provider
    lines.setContainer(provider, 1)
  }
  if (typeof provider['name'] === 'string' && provider['name'] !== 'aws') {
    diagnostics.push({
      code: 'PW_ERR_SERVERLESS_INVALID',
      level: 'warning',
      message: `serverless.yml in ${file} targets provider ${provider['name']}; only the aws provider is scanned.`,
      file,
      ...(lines.lineOf(provider, 'name') !== undefined ? { line: lines.lineOf(provider, 'name')! } : {}),
    })
    return { file, origin: 'serverless', resources: [], diagnostics, context: {} }
  }
  if (doc['functions'] === null) doc['functions'] = {}

  const ctx: VariableContext = {
    file,
    self: doc,
    stage: 'dev',
    region: 'us-east-1',
    options: { ...(options.stage ? { stage: options.stage } : {}), ...(options.region ? { region: options.region } : {}) },
    params: {},
    diagnostics,
    reported: new Set(),
    ...(options.readFile ? { readFile: options.readFile } : {}),
  }
  // stage and region first: other variables depend on them
  const stageRaw = options.stage ?? resolveVariables(provider['stage'] ?? 'dev', ctx)
  const stage = typeof stageRaw === 'string' && !hasUnresolvedVariable(stageRaw) ? stageRaw : 'dev'
  const regionRaw = options.region ?? resolveVariables(provider['region'] ?? 'us-east-1', ctx)
  const region = typeof regionRaw === 'string' && !hasUnresolvedVariable(regionRaw) ? regionRaw : 'us-east-1'
  ctx.stage = stage
  ctx.region = region
  provider['stage'] = stage
  provider['region'] = region
  const params = doc['params']
  if (params && typeof params === 'object') {
    const p = params as Record<string, unknown>
    ctx.params = { ...((p['default'] as Record<string, unknown>) ?? {}), ...((p[stage] as Record<string, unknown>) ?? {}) }
  }
  // resolve each top-level section; diagnostics name the line of the value holding the variable
  ctx.lineOf = (container, key) => lines.lineOf(container, key)
  for (const key of Object.keys(doc)) {
    ctx.line = lines.lineOf(doc, key)
    doc[key] = resolveVariables(doc[key], ctx)
  }
  delete ctx.line
  delete ctx.lineOf

  const compiled = compileServerless(doc, lines, file, stage, region, diagnostics)
  const tpl = readTemplate(compiled.template, lines, file, { region, stackName: `${compiled.service}-${stage}` })
  diagnostics.push(...tpl.diagnostics)
  detectCycles(tpl.resources, file, diagnostics)
  const resources = toSourceResources(tpl.resources, lines)
  const functions = (doc['functions'] ?? {}) as Record<string, unknown>
  const byLogical = new Map(Object.keys(functions).map((k) => [`${normalizeFunctionName(k)}LambdaFunction`, k]))
  for (const r of resources) {
    const fnKey = byLogical.get(r.sourceId)
    const from = compiled.generatedFrom.get(r.sourceId)
    if (fnKey !== undefined) r.sourceId = fnKey
    else if (from !== undefined) r.generatedFrom = from
  }
  const tags: Record<string, string> = {}
  for (const src of [provider['stackTags'], provider['tags']]) {
    if (src && typeof src === 'object') for (const [k, v] of Object.entries(src)) if (typeof v === 'string') tags[k] = v
  }
  return {
    file,
    origin: 'serverless',
    resources,
    diagnostics,
    context: { stage, region, service: compiled.service, ...(Object.keys(tags).length ? { tags } : {}) },
  }
}
