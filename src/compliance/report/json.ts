import { randomBytes } from 'node:crypto'
import type { ControlResult, Diagnostic, Finding, ScanResult } from '../../model/index.js'
import { SEVERITIES } from '../../model/index.js'

/** Version of the JSON report contract; bumped on any change other tools would notice. */
export const REPORT_SCHEMA_VERSION = '1.3.0'

/** The JSON report: a documented, versioned contract (docs/report-format.md, schemas/report-v1.schema.json). */
export interface JsonReport {
  $schema: string
  schemaVersion: string
  tool: { name: 'phiwall'; version: string }
  generatedAt: string
  durationMs: number
  inputs: string[]
  summary: {
    resources: number
    resourcesByKind: Record<string, number>
    holdsPhi: { yes: number; no: number; unknown: number }
    findings: { pass: number; fail: number; manual: number; error: number; suppressed: number }
    failuresBySeverity: Record<string, number>
    files: { ok: number; error: number; skipped: number }
    /** Third-party components and their vulnerabilities (1.1): present when the scan found components. */
    components?: {
      total: number
      byEcosystem: Record<string, number>
      /** Components with at least one unsuppressed vulnerability. */
      vulnerable: number
      vulnerabilities: { open: number; suppressed: number; bySeverity: Record<string, number> }
      /** The database they were judged against; absent when there was none. */
      database?: { total: number; lastUpdated?: string; ageDays?: number; stale: boolean }
    }
  }
  resources: {
    id: string
    kind: string
    type: string
    name: string
    provider: string
    environment: string
    holdsPhi: string
    owner?: string
    sourceId: string
    origin: string
    /** Kubernetes namespace (1.2). */
    namespace?: string
    generatedFrom?: string
    location: { file: string; line?: number }
    labels: Record<string, string>
    evidence: { phi: { source: string; detail: string; from?: string }[]; environment: { source: string; detail: string }[] }
  }[]
  edges: { from: string; to: string; kind: string; source: string; evidence: string; port?: number; protocol?: string }[]
  /**
   * Findings with the controls and peer references of their check (1.3), so that a gate can read
   * `findings[].controls.hipaa` without a join; the check's title, rationale and remediation are
   * in `checks[]`, once per check.
   */
  findings: Omit<Finding, 'title' | 'remediation'>[]
  controls: ControlResult[]
  checks: ScanResult['checks']
  files: { file: string; status: string; format?: string; resources: number; components?: number }[]
  errors: { file: string; line?: number; code: string; level: string; message: string }[]
}

/**
 * Builds the JSON report. Resources are listed without their properties: properties can hold
 * secrets (environment values, user data), and reports carry only types, locations and masked forms.
 */
export function buildJsonReport(result: ScanResult): JsonReport {
  const errors: JsonReport['errors'] = []
  const pushDiag = (d: Diagnostic): void => {
    errors.push({ file: d.file, ...(d.line !== undefined ? { line: d.line } : {}), code: d.code, level: d.level, message: d.message })
  }
  for (const f of result.files) f.diagnostics.forEach(pushDiag)
  result.diagnostics.filter((d) => !result.files.some((f) => f.diagnostics.includes(d))).forEach(pushDiag)
  return {
    $schema: 'https://phiwall.dev/schemas/report-v1.schema.json',
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: result.tool,
    generatedAt: result.startedAt,
    durationMs: result.durationMs,
    inputs: result.inputs,
    summary: jsonSummary(result),
    resources: result.inventory.resources.map(jsonResource),
    edges: result.inventory.edges.map(jsonEdge),
    findings: result.findings.map(jsonFinding),
    controls: result.controls,
    checks: result.checks,
    files: result.files.map((f) => ({ file: f.file, status: f.status, ...(f.format ? { format: f.format } : {}), resources: f.resources, ...(f.components !== undefined ? { components: f.components } : {}) })),
    errors,
  }
}

/** The summary block of the report. */
function jsonSummary(result: ScanResult): JsonReport['summary'] {
  const byKind: Record<string, number> = {}
  const phi = { yes: 0, no: 0, unknown: 0 }
  for (const r of result.inventory.resources) {
    byKind[r.kind] = (byKind[r.kind] ?? 0) + 1
    phi[r.holdsPhi]++
  }
  const counts = { pass: 0, fail: 0, manual: 0, error: 0, suppressed: 0 }
  const bySeverity: Record<string, number> = Object.fromEntries(SEVERITIES.map((s) => [s, 0]))
  for (const f of result.findings) {
    if (f.status === 'fail' && f.suppressed) counts.suppressed++
    else counts[f.status]++
    if (f.status === 'fail' && !f.suppressed) bySeverity[f.severity] = (bySeverity[f.severity] ?? 0) + 1
  }
  const files = { ok: 0, error: 0, skipped: 0 }
  for (const f of result.files) files[f.status]++
  return {
    resources: result.inventory.resources.length,
    resourcesByKind: Object.fromEntries(Object.entries(byKind).sort(([a], [b]) => a.localeCompare(b))),
    holdsPhi: phi,
    findings: counts,
    failuresBySeverity: bySeverity,
    files,
    ...(result.components?.length ? { components: componentSummary(result) } : {}),
  }
}

/** Components by ecosystem, and the vulnerability findings about them. */
function componentSummary(result: ScanResult): NonNullable<JsonReport['summary']['components']> {
  const byEcosystem: Record<string, number> = {}
  for (const c of result.components ?? []) byEcosystem[c.ecosystem] = (byEcosystem[c.ecosystem] ?? 0) + 1
  const vulns = result.findings.filter((f) => f.checkId === 'vulns/known-vulnerability' && f.status === 'fail')
  const open = vulns.filter((f) => !f.suppressed)
  const bySeverity: Record<string, number> = Object.fromEntries(SEVERITIES.map((s) => [s, 0]))
  for (const f of open) bySeverity[f.severity] = (bySeverity[f.severity] ?? 0) + 1
  const db = result.vulnerabilityDb
  return {
    total: result.components?.length ?? 0,
    byEcosystem: Object.fromEntries(Object.entries(byEcosystem).sort(([a], [b]) => a.localeCompare(b))),
    vulnerable: new Set(open.map((f) => f.resourceId)).size,
    vulnerabilities: { open: open.length, suppressed: vulns.length - open.length, bySeverity },
    ...(db ? { database: { total: db.total, stale: db.stale, ...(db.lastUpdated ? { lastUpdated: db.lastUpdated } : {}), ...(db.ageDays !== undefined ? { ageDays: db.ageDays } : {}) } } : {}),
  }
}

/** A resource as the report lists it: no properties (they can hold secrets). */
function jsonResource(r: ScanResult['inventory']['resources'][number]): JsonReport['resources'][number] {
  // built key by key, in the report's key order (no spreads: tens of thousands of resources)
  const out: JsonReport['resources'][number] = { id: r.id, kind: r.kind, type: r.type, name: r.name, provider: r.provider, environment: r.environment, holdsPhi: r.holdsPhi } as JsonReport['resources'][number]
  if (r.owner) out.owner = r.owner
  out.sourceId = r.sourceId
  out.origin = r.origin
  if (r.namespace) out.namespace = r.namespace
  if (r.generatedFrom) out.generatedFrom = r.generatedFrom
  out.location = r.location
  out.labels = r.labels
  out.evidence = r.evidence
  return out
}

function jsonEdge(e: ScanResult['inventory']['edges'][number]): JsonReport['edges'][number] {
  const out: JsonReport['edges'][number] = { from: e.from, to: e.to, kind: e.kind, source: e.source, evidence: e.evidence }
  if (e.port !== undefined) out.port = e.port
  if (e.protocol) out.protocol = e.protocol
  return out
}

/**
 * A finding as the report lists it: with its check's controls and peer references (the contract
 * other tools read), without the title, rationale and remediation, which `checks[]` carries once
 * per check (a 500-file scan has ~90,000 results).
 */
function jsonFinding(f: Finding): JsonReport['findings'][number] {
  const out: JsonReport['findings'][number] = { checkId: f.checkId, resourceId: f.resourceId, status: f.status, severity: f.severity, message: f.message, evidence: f.evidence, location: f.location, controls: f.controls, references: f.references }
  if (f.suppressed) out.suppressed = f.suppressed
  return out
}

const ARRAY_KEYS = new Set(['resources', 'edges', 'findings'])
const JSON_BATCH = 1000

/**
 * Findings serialized a batch at a time with their check's controls and references written once
 * per check: each finding carries a placeholder string in their place — a random nonce no input
 * can know, and the index of the pair's JSON — which one `replace` per batch swaps for the text
 * `JSON.stringify` gives the pair. The output is exactly that of `JSON.stringify` on the full
 * findings (tested), at a third of the cost of serializing the same ~30 strings per result again.
 */
class FindingWriter {
  private readonly nonce = randomBytes(16).toString('hex')
  private readonly placeholder = new RegExp(`"controls":"${this.nonce}(\\d+)"`, 'g')
  private readonly texts: string[] = []
  private readonly byControls = new Map<Finding['controls'], Map<Finding['references'], string>>()

  /** The finding with a placeholder where its controls and references go. */
  readonly map = (f: Finding): unknown => {
    let byRefs = this.byControls.get(f.controls)
    if (!byRefs) this.byControls.set(f.controls, (byRefs = new Map()))
    let mark = byRefs.get(f.references)
    if (mark === undefined) {
      const pair = JSON.stringify({ controls: f.controls, references: f.references })
      this.texts.push(pair.slice(1, -1))
      mark = this.nonce + String(this.texts.length - 1)
      byRefs.set(f.references, mark)
    }
    const out: Record<string, unknown> = { checkId: f.checkId, resourceId: f.resourceId, status: f.status, severity: f.severity, message: f.message, evidence: f.evidence, location: f.location, controls: mark }
    if (f.suppressed) out.suppressed = f.suppressed
    return out
  }

  /** A batch's JSON with the placeholders replaced. */
  fill(text: string): string {
    return text.replace(this.placeholder, (_, i: string) => this.texts[Number(i)]!)
  }
}

/**
 * The JSON report as a sequence of text chunks that join to exactly `JSON.stringify(report)`:
 * the large arrays are serialized element by element, so a scan with tens of thousands of
 * findings is written without building one huge string (or a second copy of the findings).
 */
export function* jsonReportChunks(result: ScanResult): Generator<string> {
  const empty: ScanResult = { ...result, inventory: { resources: [], edges: [] }, findings: [] }
  const shell = buildJsonReport(empty)
  // the summary must count the real scan
  shell.summary = jsonSummary(result)
  const findings = new FindingWriter()
  const arrays: Record<string, { items: readonly unknown[]; map: (x: never) => unknown; fill?: (text: string) => string }> = {
    resources: { items: result.inventory.resources, map: jsonResource as (x: never) => unknown },
    edges: { items: result.inventory.edges, map: jsonEdge as (x: never) => unknown },
    findings: { items: result.findings, map: findings.map as (x: never) => unknown, fill: (text) => findings.fill(text) },
  }
  let first = true
  for (const [key, value] of Object.entries(shell)) {
    const head = `${first ? '{' : ','}${JSON.stringify(key)}:`
    first = false
    if (!ARRAY_KEYS.has(key)) {
      yield head + JSON.stringify(value)
      continue
    }
    const { items, map, fill } = arrays[key]!
    let buf = head + '['
    // serialized a batch at a time (one JSON.stringify per thousand items is a quarter cheaper
    // than one per item), the batch's brackets cut off
    for (let i = 0; i < items.length; i += JSON_BATCH) {
      const batch: unknown[] = []
      for (let j = i; j < items.length && j < i + JSON_BATCH; j++) batch.push(map(items[j] as never))
      const text = fill ? fill(JSON.stringify(batch)) : JSON.stringify(batch)
      buf += (i ? ',' : '') + text.slice(1, -1)
      if (buf.length > 1 << 20) {
        yield buf
        buf = ''
      }
    }
    yield buf + ']'
  }
  yield '}\n'
}

/**
 * The JSON report as text: compact (a 10,000-resource scan gives tens of thousands of findings;
 * indentation would double the size), one line. `jq .` pretty-prints it.
 */
export function renderJson(result: ScanResult): string {
  return [...jsonReportChunks(result)].join('')
}
