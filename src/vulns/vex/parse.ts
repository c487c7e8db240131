import { z } from 'zod'
import type { Diagnostic } from '../../model/index.js'
import { parseJsonLocated } from '../../sources/located/index.js'
import type { LineMap } from '../../sources/located/index.js'
import { CYCLONEDX_JUSTIFICATIONS, OPENVEX_JUSTIFICATIONS } from './types.js'
import type { VexJustification, VexStatement, VexStatus } from './types.js'

/** What {@link parseVex} read from one document. */
export interface VexParseResult {
  statements: VexStatement[]
  diagnostics: Diagnostic[]
}

const CODE = 'PW_ERR_VEX_INVALID'

interface Ctx {
  file: string
  root: unknown
  lines: LineMap
  diagnostics: Diagnostic[]
}

function lineAt(ctx: Ctx, path: readonly (string | number)[]): number | undefined {
  return ctx.lines.lineOfPath(ctx.root, path)
}

function report(ctx: Ctx, level: Diagnostic['level'], message: string, path: readonly (string | number)[]): void {
  const line = lineAt(ctx, path)
  const where = line === undefined ? '' : ` at line ${line}`
  ctx.diagnostics.push({
    code: CODE,
    level,
    message: `${message} (${ctx.file}${where})`,
    file: ctx.file,
    ...(line === undefined ? {} : { line }),
    ...(path.length ? { path: path.join('.') } : {}),
  })
}

/** First zod issue as `path: message`, keeping values out of the text. */
function describeIssue(error: z.ZodError): { message: string; path: (string | number)[] } {
  const issue = error.issues[0]
  const path = (issue?.path ?? []).filter((p): p is string | number => typeof p !== 'symbol')
  return { message: `${path.length ? path.join('.') + ': ' : ''}${issue?.message ?? 'invalid'}`, path }
}

function isPurl(s: string): boolean {
  return /^pkg:[A-Za-z.+-]+\//.test(s)
}

// ---------------------------------------------------------------------------------------------
// OpenVEX (https://github.com/openvex/spec, v0.2.0; v0.0.x string forms accepted)

const openVexIdentifiers = z.object({ purl: z.string().optional() }).loose()
const openVexComponent = z.union([
  z.string(),
  z.object({ '@id': z.string().optional(), identifiers: openVexIdentifiers.optional() }).loose(),
])
const openVexProduct = z.union([
  z.string(),
  z
    .object({
      '@id': z.string().optional(),
      identifiers: openVexIdentifiers.optional(),
      subcomponents: z.array(openVexComponent).optional(),
    })
    .loose(),
])
const openVexStatement = z
  .object({
    vulnerability: z.union([
      z.string().min(1),
      z.object({ name: z.string().min(1).optional(), '@id': z.string().min(1).optional(), aliases: z.array(z.string()).optional() }).loose(),
    ]),
    products: z.array(openVexProduct).optional(),
    status: z.enum(['not_affected', 'affected', 'fixed', 'under_investigation']),
    justification: z.enum(OPENVEX_JUSTIFICATIONS).optional(),
    impact_statement: z.string().optional(),
    status_notes: z.string().optional(),
    action_statement: z.string().optional(),
    timestamp: z.string().optional(),
  })
  .loose()
const openVexDocument = z
  .object({
    '@context': z.string().regex(/^https:\/\/openvex\.dev\/ns/, 'not an OpenVEX context'),
    timestamp: z.string().optional(),
    statements: z.array(z.unknown()),
  })
  .loose()

type OpenVexComponent = z.infer<typeof openVexComponent>

function componentPurl(c: OpenVexComponent): string | undefined {
  if (typeof c === 'string') return isPurl(c) ? c : undefined
  const id = c['@id']
  if (id !== undefined && isPurl(id)) return id
  const purl = c.identifiers?.purl
  return purl !== undefined && isPurl(purl) ? purl : undefined
}

function vulnerabilityName(v: z.infer<typeof openVexStatement>['vulnerability']): { name: string; aliases: string[] } | undefined {
  if (typeof v === 'string') return { name: v, aliases: [] }
  const aliases = v.aliases ?? []
  if (v.name) return { name: v.name, aliases }
  // an IRI such as https://nvd.nist.gov/vuln/detail/CVE-2021-44228 names the vulnerability by its last segment
  const id = v['@id']
  if (!id) return undefined
  const last = id.split(/[/#]/).filter(Boolean).pop()
  return last ? { name: last, aliases } : undefined
}

function parseOpenVex(ctx: Ctx, doc: unknown): VexStatement[] {
  const parsed = openVexDocument.safeParse(doc)
  if (!parsed.success) {
    const { message, path } = describeIssue(parsed.error)
    report(ctx, 'error', `OpenVEX document is invalid: ${message}`, path)
    return []
  }
  const out: VexStatement[] = []
  parsed.data.statements.forEach((raw, i) => {
    const at = ['statements', i]
    const st = openVexStatement.safeParse(raw)
    if (!st.success) {
      const { message, path } = describeIssue(st.error)
      report(ctx, 'error', `OpenVEX statement ${i + 1} is invalid and not applied: ${message}`, [...at, ...path])
      return
    }
    const s = st.data
    const vuln = vulnerabilityName(s.vulnerability)
    if (!vuln) {
      report(ctx, 'error', `OpenVEX statement ${i + 1} names no vulnerability and is not applied`, [...at, 'vulnerability'])
      return
    }
    if (s.status === 'not_affected' && !s.justification && !s.impact_statement) {
      report(ctx, 'error', `OpenVEX statement ${i + 1} is not_affected without a justification or impact_statement and is not applied`, at)
      return
    }
    const products: string[] = []
    for (const p of s.products ?? []) {
      const own = componentPurl(p)
      if (own) products.push(own)
      if (typeof p !== 'string') for (const sub of p.subcomponents ?? []) {
        const purl = componentPurl(sub)
        if (purl) products.push(purl)
      }
    }
    if (products.length === 0) {
      report(ctx, 'warning', `OpenVEX statement ${i + 1} names no product by Package URL and applies to nothing`, [...at, 'products'])
    }
    const timestamp = s.timestamp ?? parsed.data.timestamp
    const detail = s.impact_statement ?? s.status_notes
    const line = lineAt(ctx, at)
    out.push({
      vulnerability: vuln.name,
      aliases: vuln.aliases,
      products: [...new Set(products)],
      status: s.status,
      ...(s.justification ? { justification: s.justification } : {}),
      ...(detail !== undefined ? { detail } : {}),
      ...(s.action_statement !== undefined ? { action: s.action_statement } : {}),
      ...(timestamp !== undefined ? { timestamp } : {}),
      source: { file: ctx.file, format: 'openvex', ...(line === undefined ? {} : { line }) },
    })
  })
  return out
}

// ---------------------------------------------------------------------------------------------
// CycloneDX VEX (https://cyclonedx.org/capabilities/vex/, spec 1.4–1.6 `vulnerabilities[]`)

const CDX_STATE: Readonly<Record<string, VexStatus>> = {
  not_affected: 'not_affected',
  false_positive: 'not_affected',
  resolved: 'fixed',
  resolved_with_pedigree: 'fixed',
  exploitable: 'affected',
  in_triage: 'under_investigation',
}

const cdxVulnerability = z
  .object({
    id: z.string().min(1),
    references: z.array(z.object({ id: z.string() }).loose()).optional(),
    updated: z.string().optional(),
    published: z.string().optional(),
    analysis: z
      .object({
        state: z.enum(['resolved', 'resolved_with_pedigree', 'exploitable', 'in_triage', 'false_positive', 'not_affected']).optional(),
        justification: z.string().optional(),
        response: z.union([z.array(z.string()), z.string()]).optional(),
        detail: z.string().optional(),
        firstIssued: z.string().optional(),
        lastUpdated: z.string().optional(),
      })
      .loose()
      .optional(),
    affects: z.array(z.object({ ref: z.string().min(1), versions: z.array(z.unknown()).optional() }).loose()).optional(),
  })
  .loose()
const cdxDocument = z
  .object({
    bomFormat: z.literal('CycloneDX'),
    specVersion: z.string().regex(/^1\.[4-7]$/, 'specVersion must be 1.4 to 1.6 (VEX needs 1.4 or later)'),
    metadata: z.object({ timestamp: z.string().optional() }).loose().optional(),
    vulnerabilities: z.array(z.unknown()).optional(),
  })
  .loose()

/** bom-ref → purl of every component (nested ones too) and of metadata.component. */
function bomRefPurls(doc: Record<string, unknown>): Map<string, string> {
  const refs = new Map<string, string>()
  const visit = (value: unknown, depth: number): void => {
    if (depth > 32 || value === null || typeof value !== 'object' || Array.isArray(value)) return
    const c = value as Record<string, unknown>
    const ref = c['bom-ref']
    const purl = c['purl']
    if (typeof ref === 'string' && typeof purl === 'string' && isPurl(purl)) refs.set(ref, purl)
    if (Array.isArray(c['components'])) for (const child of c['components']) visit(child, depth + 1)
  }
  const metadata = doc['metadata']
  if (metadata !== null && typeof metadata === 'object') visit((metadata as Record<string, unknown>)['component'], 0)
  if (Array.isArray(doc['components'])) for (const c of doc['components']) visit(c, 0)
  return refs
}

/**
 * An `affects[].ref`: a purl; a BOM-Link (`urn:cdx:<serial>/<version>#<bom-ref>`) whose fragment
 * is a purl or a bom-ref of this document; or a bom-ref of this document's components.
 */
function resolveRef(ref: string, refs: ReadonlyMap<string, string>): string | undefined {
  if (isPurl(ref)) return ref
  if (ref.startsWith('urn:cdx:')) {
    const hash = ref.indexOf('#')
    if (hash === -1) return undefined
    let fragment = ref.slice(hash + 1)
    try {
      fragment = decodeURIComponent(fragment)
    } catch {
      return undefined
    }
    return isPurl(fragment) ? fragment : refs.get(fragment)
  }
  return refs.get(ref)
}

function parseCycloneDx(ctx: Ctx, doc: unknown): VexStatement[] {
  const parsed = cdxDocument.safeParse(doc)
  if (!parsed.success) {
    const { message, path } = describeIssue(parsed.error)
    report(ctx, 'error', `CycloneDX VEX document is invalid: ${message}`, path)
    return []
  }
  const refs = bomRefPurls(parsed.data)
  const out: VexStatement[] = []
  ;(parsed.data.vulnerabilities ?? []).forEach((raw, i) => {
    const at = ['vulnerabilities', i]
    const v = cdxVulnerability.safeParse(raw)
    if (!v.success) {
      const { message, path } = describeIssue(v.error)
      report(ctx, 'error', `CycloneDX vulnerability ${i + 1} is invalid and not applied: ${message}`, [...at, ...path])
      return
    }
    const vuln = v.data
    const state = vuln.analysis?.state
    // a vulnerability without an analysis state is a plain listing, not a VEX statement
    if (!state) return
    const status = CDX_STATE[state] ?? 'under_investigation'
    let justification: VexJustification | undefined
    const rawJustification = vuln.analysis?.justification
    if (rawJustification !== undefined) {
      if ((CYCLONEDX_JUSTIFICATIONS as readonly string[]).includes(rawJustification)) justification = rawJustification as VexJustification
      else report(ctx, 'warning', `CycloneDX vulnerability ${i + 1} has an unknown justification; it is ignored`, [...at, 'analysis', 'justification'])
    }
    const products: string[] = []
    ;(vuln.affects ?? []).forEach((affect, j) => {
      if (affect.versions !== undefined) {
        report(ctx, 'warning', `CycloneDX vulnerability ${i + 1}, affects ${j + 1}: version ranges are not evaluated; this entry is not applied`, [...at, 'affects', j, 'versions'])
        return
      }
      const purl = resolveRef(affect.ref, refs)
      if (purl) products.push(purl)
      else report(ctx, 'warning', `CycloneDX vulnerability ${i + 1}, affects ${j + 1}: the ref names no component with a Package URL`, [...at, 'affects', j, 'ref'])
    })
    const response = vuln.analysis?.response
    const action = Array.isArray(response) ? (response.length ? response.join(', ') : undefined) : response
    const timestamp = vuln.analysis?.lastUpdated ?? vuln.analysis?.firstIssued ?? vuln.updated ?? vuln.published ?? parsed.data.metadata?.timestamp
    const detail = vuln.analysis?.detail
    const line = lineAt(ctx, at)
    out.push({
      vulnerability: vuln.id,
      aliases: [...new Set((vuln.references ?? []).map((r) => r.id).filter((id) => id !== '' && id !== vuln.id))],
      products: [...new Set(products)],
      status,
      ...(justification ? { justification } : {}),
      ...(detail !== undefined ? { detail } : {}),
      ...(action !== undefined ? { action } : {}),
      ...(timestamp !== undefined ? { timestamp } : {}),
      source: { file: ctx.file, format: 'cyclonedx', ...(line === undefined ? {} : { line }) },
    })
  })
  return out
}

// ---------------------------------------------------------------------------------------------

/**
 * Reads an OpenVEX (v0.2.0; `@context` `https://openvex.dev/ns…`) or CycloneDX VEX (a 1.4–1.6 JSON
 * BOM with `vulnerabilities[].analysis`) document. Never throws: an unreadable document, or a
 * statement that cannot be trusted (no vulnerability, unknown status, `not_affected` without a
 * justification or impact statement), becomes a `PW_ERR_VEX_INVALID` diagnostic naming the file and
 * line, and the other statements are still read. Parts that apply to nothing (no purl, unresolved
 * `affects` refs, CycloneDX `affects[].versions` ranges, which are not evaluated) are warnings.
 */
export function parseVex(file: string, text: string): VexParseResult {
  const located = parseJsonLocated(text, { file })
  const diagnostics: Diagnostic[] = located.diagnostics.map((d) => ({
    ...d,
    code: CODE,
    message: `VEX document is not valid JSON: ${d.message}`,
  }))
  if (located.diagnostics.some((d) => d.level === 'error')) return { statements: [], diagnostics }
  const root = located.documents[0]
  const ctx: Ctx = { file, root, lines: located.lines, diagnostics }
  if (root === null || typeof root !== 'object' || Array.isArray(root)) {
    report(ctx, 'error', 'VEX document is not a JSON object', [])
    return { statements: [], diagnostics }
  }
  const doc = root as Record<string, unknown>
  if ('@context' in doc) return { statements: parseOpenVex(ctx, doc), diagnostics }
  if ('bomFormat' in doc) return { statements: parseCycloneDx(ctx, doc), diagnostics }
  report(ctx, 'error', 'Not an OpenVEX document (no @context) nor a CycloneDX BOM (no bomFormat)', [])
  return { statements: [], diagnostics }
}
