import type { Diagnostic, ResourceSuppression } from '../../model/index.js'
import { parseJsonLocated, parseYamlLocated, registerPropertyLines, type LocatedDocuments } from '../located/index.js'
import type { SourceDocument, SourceResource } from '../types.js'
import { propertyLines } from './prop-lines.js'
import { expandSam, usesSam } from './sam.js'
import { detectCycles, readTemplate, type CfnResource, type TemplateOptions } from './template.js'

/** Parse text as YAML (CloudFormation tags) or JSON, by its first character. */
export function parseTemplateText(text: string, file: string): LocatedDocuments {
  const first = text.trimStart().charAt(0)
  return first === '{' ? parseJsonLocated(text, { file }) : parseYamlLocated(text, { file, tags: 'cloudformation', schema: 'yaml11' })
}

/** Does a parsed document look like a CloudFormation or SAM template? */
export function looksLikeCloudFormation(doc: unknown): boolean {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return false
  const d = doc as Record<string, unknown>
  if ('AWSTemplateFormatVersion' in d) return true
  const t = d['Transform']
  if (typeof t === 'string' && t.startsWith('AWS::')) return true
  if (Array.isArray(t) && t.some((x) => typeof x === 'string' && x.startsWith('AWS::'))) return true
  const res = d['Resources']
  if (res && typeof res === 'object' && !Array.isArray(res)) {
    const values = Object.values(res as Record<string, unknown>)
    return values.length > 0 && values.some((v) => v !== null && typeof v === 'object' && typeof (v as Record<string, unknown>)['Type'] === 'string')
  }
  return false
}

/**
 * Suppressions in a resource's Metadata: PhiWall's own
 * (`Metadata: { phiwall: { suppressions: [{ id, reason, owner, expires }] } }`) and cdk-nag's
 * (`Metadata: { cdk_nag: { rules_to_suppress: [{ id, reason }] } }`), so teams moving from cdk-nag
 * keep their reviewed exceptions. A suppression without a reason is ignored.
 */
export function suppressionsOf(metadata: Record<string, unknown> | undefined): ResourceSuppression[] {
  if (!metadata) return []
  const out: ResourceSuppression[] = []
  const pw = metadata['phiwall']
  const pwList = pw && typeof pw === 'object' ? (pw as Record<string, unknown>)['suppressions'] : undefined
  for (const s of Array.isArray(pwList) ? pwList : []) {
    if (!s || typeof s !== 'object') continue
    const o = s as Record<string, unknown>
    if (typeof o['id'] !== 'string' || typeof o['reason'] !== 'string' || !o['reason'].trim()) continue
    out.push({ id: o['id'], reason: o['reason'], source: 'template metadata (phiwall)', ...(typeof o['owner'] === 'string' ? { owner: o['owner'] } : {}), ...(typeof o['expires'] === 'string' ? { expires: o['expires'] } : {}) })
  }
  const nag = metadata['cdk_nag']
  const nagList = nag && typeof nag === 'object' ? (nag as Record<string, unknown>)['rules_to_suppress'] : undefined
  for (const s of Array.isArray(nagList) ? nagList : []) {
    if (!s || typeof s !== 'object') continue
    const o = s as Record<string, unknown>
    if (typeof o['id'] !== 'string' || typeof o['reason'] !== 'string' || !o['reason'].trim()) continue
    out.push({ id: o['id'], reason: o['reason'], source: 'template metadata (cdk_nag)' })
  }
  return out
}

/** Convert template resources to the source shape, skipping those whose condition is false. */
export function toSourceResources(resources: CfnResource[], lines: import('../located/index.js').LineMap): SourceResource[] {
  const out: SourceResource[] = []
  for (const r of resources) {
    if (r.conditionValue === false) continue
    const s: SourceResource = {
      sourceId: r.logicalId,
      type: r.type,
      properties: r.properties,
      propLines: propertyLines(r.properties, lines),
      dependsOn: r.dependsOn,
    }
    registerPropertyLines(r.properties, lines)
    if (r.line !== undefined) s.line = r.line
    if (r.generatedFrom !== undefined) s.generatedFrom = r.generatedFrom
    if (r.condition !== undefined) s.condition = { name: r.condition, value: r.conditionValue }
    const sup = suppressionsOf(r.metadata)
    if (sup.length) s.suppressions = sup
    out.push(s)
  }
  return out
}

/**
 * Reads a CloudFormation or SAM template (YAML or JSON): validates it, resolves what can be
 * resolved statically and expands SAM, giving CloudFormation-shaped resources.
 */
export function readCloudFormation(doc: Record<string, unknown>, located: LocatedDocuments, file: string, options: TemplateOptions = {}): SourceDocument {
  const diagnostics: Diagnostic[] = [...located.diagnostics]
  const tpl = readTemplate(doc, located.lines, file, options)
  diagnostics.push(...tpl.diagnostics)
  let resources = tpl.resources
  let origin: SourceDocument['origin'] = 'cloudformation'
  if (usesSam(tpl)) {
    const sam = expandSam(tpl)
    resources = sam.resources
    diagnostics.push(...sam.diagnostics)
    origin = 'sam'
  }
  detectCycles(resources, file, diagnostics)
  const stageParam = ['Stage', 'StageName', 'Environment', 'Env', 'EnvironmentName', 'DeploymentStage'].find((n) => tpl.ctx.params.has(n))
  const stage = stageParam ? tpl.ctx.params.get(stageParam) : undefined
  const context: SourceDocument['context'] = {}
  if (tpl.ctx.paramNames.size) context.parameters = [...tpl.ctx.paramNames]
  if (typeof stage === 'string') context.stage = stage
  if (options.region) context.region = options.region
  if (options.accountId) context.account = options.accountId
  const g = tpl.globals['Function']
  if (g && typeof g === 'object' && !Array.isArray(g)) {
    const tags = (g as Record<string, unknown>)['Tags']
    if (tags && typeof tags === 'object' && !Array.isArray(tags)) {
      context.tags = Object.fromEntries(Object.entries(tags).filter(([, v]) => typeof v === 'string')) as Record<string, string>
    }
  }
  return { file, origin, resources: toSourceResources(resources, located.lines), diagnostics, context }
}
