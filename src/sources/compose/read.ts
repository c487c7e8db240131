import path from 'node:path'
import type { z } from 'zod'
import type { Diagnostic } from '../../model/index.js'
import { parseYamlLocated, registerPropertyLines, type LineMap } from '../located/index.js'
import type { SourceDocument, SourceResource } from '../types.js'
import { composeDependsOn } from './helpers.js'
import { interpolateInPlace } from './interpolate.js'
import { composeSchema, serviceSchema, TOP_LEVEL_KEYS } from './schema.js'

/** Resource types of a Compose file (inventory kinds `docker:compose:service`, `…:network`, `…:volume`, `…:secret`). */
export const COMPOSE_SERVICE_TYPE = 'Docker::Compose::Service'
export const COMPOSE_NETWORK_TYPE = 'Docker::Compose::Network'
export const COMPOSE_VOLUME_TYPE = 'Docker::Compose::Volume'
export const COMPOSE_SECRET_TYPE = 'Docker::Compose::Secret'

/** `compose.yaml`, `compose.override.yml`, `docker-compose.yml`, `docker-compose.prod.yaml`, `docker-compose-dev.yml`, `clinic.compose.yaml`. */
export function isComposeName(fileName: string): boolean {
  const base = fileName.slice(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1)
  return /^(docker-)?compose([.-][\w.-]+)?\.ya?ml$/i.test(base) || /.\.compose\.ya?ml$/i.test(base)
}

/**
 * Does a text look like a Compose file? A cheap look: a top-level `services:` mapping, and either
 * a Compose file name or a service entry with `image:` or `build:`. Kubernetes manifests,
 * serverless.yml and CloudFormation templates are not claimed (their top-level keys say what they
 * are), nor a GitLab CI `services:` list.
 */
export function looksLikeCompose(head: string, fileName: string): boolean {
  const first = head.trimStart().charAt(0)
  if (first === '{' || first === '[') return false
  const services = /^services[ \t]*:[ \t]*(#.*)?\r?$/m.exec(head)
  if (!services) return false
  if (/^(AWSTemplateFormatVersion|Resources|Transform)\s*:/m.test(head)) return false
  if (/^apiVersion\s*:\s*\S/m.test(head) && /^kind\s*:\s*\S/m.test(head)) return false
  if (/^service\s*:/m.test(head) && /^(provider|functions)\s*:/m.test(head)) return false
  // the first entry under services: must be an indented mapping key, not a list item
  const after = head.slice(services.index + services[0].length)
  for (const l of after.split(/\r?\n/).slice(1)) {
    if (/^\s*(#.*)?$/.test(l)) continue
    const m = /^[ \t]+(\S)/.exec(l)
    if (!m || m[1] === '-') return false
    break
  }
  if (isComposeName(fileName)) return true
  // an image reference on the line (Helm values write `image:` as a mapping of repository and tag)
  return /^[ \t]+image[ \t]*:[ \t]*['"]?[\w${][^\s'"]*['"]?[ \t]*(#.*)?\r?$/m.test(after) || /^[ \t]+build[ \t]*:/m.test(after)
}

/** Project name of a Compose file: its `name:`, else the directory name (as Compose does). */
function projectName(doc: Record<string, unknown>, file: string): string | undefined {
  const n = doc['name']
  if (typeof n === 'string' && n && !n.includes('$')) return n
  const dir = path.posix.basename(path.posix.dirname(file.replace(/\\/g, '/')))
  return dir && dir !== '.' && dir !== '/' ? dir.toLowerCase().replace(/[^a-z0-9_-]/g, '') || undefined : undefined
}

/** Environment word of `docker-compose.prod.yml` / `compose.staging.yaml`, as the document's stage. */
function stageFromName(file: string): string | undefined {
  const base = file.slice(file.lastIndexOf('/') + 1)
  const m = /^(?:docker-)?compose[.-]([a-z0-9]+)\.ya?ml$/i.exec(base) ?? /^([a-z0-9]+)\.compose\.ya?ml$/i.exec(base)
  const w = m?.[1]?.toLowerCase()
  return w && /^(prod|production|prd|staging|stage|stg|uat|preprod|dev|development|local|test|testing|qa|ci)$/.test(w) ? w : undefined
}

/**
 * Reads a Compose file: every service becomes a `Docker::Compose::Service` whose properties are
 * the service mapping as written (after static interpolation, see `interpolate.ts`; short and long
 * syntaxes are not normalised — use the `compose*` helpers for normalised views); top-level
 * networks, volumes and secrets become resources of their own. The document context's `service`
 * is the project name. Structure errors are `PW_ERR_COMPOSE_INVALID` diagnostics with the line of
 * the key; the rest of the file is read. `.env` and `env_file` files are not read.
 */
export function readCompose(text: string, file: string): SourceDocument {
  const located = parseYamlLocated(text, { file, tags: 'none', schema: 'core' })
  const diagnostics: Diagnostic[] = [...located.diagnostics]
  const lines = located.lines
  const doc: SourceDocument = { file, origin: 'compose', resources: [], diagnostics, context: {} }
  const diag = (level: Diagnostic['level'], message: string, line: number | undefined, p?: string): void => {
    diagnostics.push({ code: 'PW_ERR_COMPOSE_INVALID', level, message, file, ...(line !== undefined ? { line } : {}), ...(p ? { path: p } : {}) })
  }
  const docs = located.documents.filter((d) => d !== null && d !== undefined)
  if (located.diagnostics.some((d) => d.level === 'error') && docs.length === 0) return doc
  if (docs.length === 0) {
    diag('error', `Compose file ${file} is empty.`, 1)
    return doc
  }
  if (docs.length > 1) diag('warning', `Compose file ${file} holds ${docs.length} YAML documents; Compose reads one, so only the first is read.`, lines.lineOf(docs[1]))
  const root = docs[0]
  if (typeof root !== 'object' || Array.isArray(root)) {
    diag('error', `Compose file ${file} is not a mapping of top-level keys (services, networks, volumes, …); it is not read.`, lines.lineOf(root) ?? 1)
    return doc
  }
  const top = root as Record<string, unknown>
  interpolateInPlace(top)
  const parsed = composeSchema.safeParse(top)
  if (!parsed.success) {
    for (const issue of parsed.error.issues.slice(0, 5)) {
      const where = issue.path.map(String)
      diag('error', `Compose file ${file}: ${where.join('.') || 'the document'} ${describeIssue(issue)}.`, lineAt(lines, top, where) ?? 1, where.join('.'))
    }
  }
  for (const k of Object.keys(top)) {
    if (!TOP_LEVEL_KEYS.has(k) && !k.startsWith('x-')) diag('warning', `Compose file ${file} has an unknown top-level key ${printable(k)}; Compose rejects it (extension keys start with x-).`, lines.keyLine(top, k))
  }
  const name = projectName(top, file)
  if (name) doc.context.service = name
  const stage = stageFromName(file)
  if (stage) doc.context.stage = stage

  const services = top['services']
  if (services === undefined || services === null || typeof services !== 'object' || Array.isArray(services)) {
    if (services === undefined || services === null) diag('warning', `Compose file ${file} defines no services.`, lines.keyLine(top, 'services') ?? 1)
  } else {
    const svc = services as Record<string, unknown>
    for (const [key, value] of Object.entries(svc)) {
      const line = lines.keyLine(svc, key)
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        diag('error', `Compose service ${printable(key)} in ${file} is not a mapping; it is skipped.`, line, `services.${key}`)
        continue
      }
      const props = value as Record<string, unknown>
      const check = serviceSchema.safeParse(props)
      if (!check.success) {
        for (const issue of check.error.issues.slice(0, 5)) {
          const where = issue.path.map(String)
          diag('error', `Compose service ${printable(key)} in ${file}: ${where.join('.')} ${describeIssue(issue)}; checks that need it may be manual or skip it.`, lineAt(lines, props, where) ?? line, `services.${key}.${where.join('.')}`)
        }
      }
      if (props['image'] === undefined && props['build'] === undefined && props['extends'] === undefined) {
        diag('warning', `Compose service ${printable(key)} in ${file} has neither image nor build.`, line, `services.${key}`)
      }
      doc.resources.push(resource(COMPOSE_SERVICE_TYPE, key, props, line, lines, composeDependsOn(props).map((d) => d.service)))
    }
  }
  const sections: [string, string][] = [
    ['networks', COMPOSE_NETWORK_TYPE],
    ['volumes', COMPOSE_VOLUME_TYPE],
    ['secrets', COMPOSE_SECRET_TYPE],
  ]
  for (const [section, type] of sections) {
    const m = top[section]
    if (m === null || typeof m !== 'object' || Array.isArray(m)) continue
    const entries = m as Record<string, unknown>
    for (const [key, value] of Object.entries(entries)) {
      const line = lines.keyLine(entries, key)
      let props: Record<string, unknown>
      if (value === null || value === undefined) {
        // `backend:` with nothing under it: a resource with default settings
        props = {}
        if (line !== undefined) lines.setContainer(props, line)
      } else if (typeof value === 'object' && !Array.isArray(value)) props = value as Record<string, unknown>
      else continue // reported by the schema
      doc.resources.push(resource(type, key, props, line, lines, []))
    }
  }
  return doc
}

function resource(type: string, sourceId: string, props: Record<string, unknown>, line: number | undefined, lines: LineMap, dependsOn: string[]): SourceResource {
  registerPropertyLines(props, lines)
  const propLines: Record<string, number> = {}
  for (const [k, v] of Object.entries(props)) {
    const l = lines.keyLine(props, k)
    if (l !== undefined) propLines[k] = l
    if (v && typeof v === 'object') {
      const keys: (string | number)[] = Array.isArray(v) ? v.map((_, i) => i) : Object.keys(v)
      for (const k2 of keys) {
        const l2 = lines.keyLine(v, k2)
        if (l2 !== undefined) propLines[`${k}.${k2}`] = l2
      }
    }
  }
  return { sourceId, type, properties: props, propLines, dependsOn, ...(line !== undefined ? { line } : {}) }
}

/** A key safe to print: service and network names are identifiers; anything else is not quoted. */
function printable(k: string): string {
  return /^[\w.-]{1,64}$/.test(k) ? k : '(unprintable name)'
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') return `must be ${issue.expected === 'object' ? 'a mapping' : issue.expected === 'array' ? 'a list' : `a ${issue.expected}`}`
  if (issue.code === 'invalid_union') return 'has a shape Compose does not accept'
  return issue.message.replace(/^Invalid input: /, '').toLowerCase()
}

/** Line of the deepest key of a path that was recorded. */
function lineAt(lines: LineMap, root: object, where: readonly string[]): number | undefined {
  let node: unknown = root
  let best: number | undefined
  for (const seg of where) {
    if (node === null || typeof node !== 'object') break
    const key = Array.isArray(node) ? Number(seg) : seg
    const l = lines.keyLine(node, key)
    if (l !== undefined) best = l
    node = (node as Record<string | number, unknown>)[key as string]
  }
  return best
}
