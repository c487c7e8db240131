import { createHash } from 'node:crypto'
import { strToU8, zipSync } from 'fflate'
import { exportAuditNdjson } from '../../audit/index.js'
import { renderReport, rollupControls, type ReportFormat } from '../../compliance/index.js'
import type { ScanResult } from '../../model/index.js'
import type { ServerContext } from '../types.js'
import { findingKeys } from './ingest.js'
import type { StoredScan } from './inventory.js'

/** Formats of GET /reports/latest: every report renderer's format but the terminal text, and the zip of them all. */
export const SERVER_REPORT_FORMATS = ['html', 'sarif', 'oscal', 'json', 'csv', 'bundle'] as const
/** A format of {@link SERVER_REPORT_FORMATS}. */
export type ServerReportFormat = (typeof SERVER_REPORT_FORMATS)[number]

const MEDIA_TYPES: Record<ServerReportFormat, string> = {
  html: 'text/html; charset=utf-8',
  sarif: 'application/sarif+json',
  oscal: 'application/json',
  json: 'application/json',
  csv: 'text/csv; charset=utf-8',
  bundle: 'application/zip',
}

/**
 * The scan result as the server sees it now: active server suppressions marked on their failing
 * findings (so reports show what the dashboard shows) and the controls rolled up again; for an
 * app-team user only their team's resources, the findings about them and the edges among them.
 */
export async function effectiveResult(ctx: ServerContext, scan: StoredScan, team: string | null): Promise<ScanResult> {
  const now = ctx.clock()
  const rows = await ctx.store.query<{ finding_key: string; reason: string; expires_at: unknown; by_actor: string }>('SELECT finding_key, reason, expires_at, by_actor FROM posture_suppressions WHERE expires_at > $1', [now.toISOString()])
  const active = new Map(rows.map((r) => [r.finding_key, r]))
  const keys = findingKeys(scan.sourceName, scan.result.findings)
  let findings = scan.result.findings.map((f, i) => {
    const s = active.get(keys[i]!)
    if (!s || f.status !== 'fail' || f.suppressed) return f
    const expires = s.expires_at instanceof Date ? s.expires_at.toISOString() : String(s.expires_at)
    return { ...f, suppressed: { reason: s.reason, owner: s.by_actor, expires, source: 'phiwall server' } }
  })
  let inventory = scan.result.inventory
  let extra: Partial<ScanResult> = {}
  if (team !== null) {
    const resources = inventory.resources.filter((r) => r.owner === team)
    const ids = new Set(resources.map((r) => r.id))
    inventory = { resources, edges: inventory.edges.filter((e) => ids.has(e.from) && ids.has(e.to)) }
    findings = findings.filter((f) => ids.has(f.resourceId))
    const files = new Set(resources.map((r) => r.location.file))
    // other teams' files, components and diagnostics would leak what they run
    extra = { files: scan.result.files.filter((f) => files.has(f.file)), diagnostics: [] }
  }
  const result: ScanResult = { ...scan.result, ...extra, inventory, findings, controls: rollupControls(findings, scan.result.checks) }
  if (team !== null) delete result.components
  return result
}

/** The audit trail as NDJSON, oldest first (the audit module's export). */
export async function auditNdjson(ctx: ServerContext): Promise<string> {
  let text = ''
  for await (const line of exportAuditNdjson(ctx.store)) text += line
  return text
}

function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex')
}

/** A rendered report file. */
export interface ReportFile {
  filename: string
  mediaType: string
  body: Uint8Array | string
}

/**
 * Renders the report of a stored scan in one format; `bundle` is a zip of report.html,
 * report.sarif, report.oscal.json, report.json, findings.csv, the audit trail (when
 * `withAudit`) and a manifest.json with the SHA-256 of each file.
 */
export async function renderServerReport(ctx: ServerContext, scan: StoredScan, format: ServerReportFormat, team: string | null, withAudit: boolean): Promise<ReportFile> {
  const result = await effectiveResult(ctx, scan, team)
  const date = scan.receivedAt.toISOString().slice(0, 10)
  if (format !== 'bundle') {
    const { text, extension } = renderReport(result, format as ReportFormat)
    return { filename: `phiwall-report-${date}.${extension}`, mediaType: MEDIA_TYPES[format], body: text }
  }
  const files: Record<string, Uint8Array> = {
    'report.html': strToU8(renderReport(result, 'html').text),
    'report.sarif': strToU8(renderReport(result, 'sarif').text),
    'report.oscal.json': strToU8(renderReport(result, 'oscal').text),
    'report.json': strToU8(renderReport(result, 'json').text),
    'findings.csv': strToU8(renderReport(result, 'csv').text),
  }
  if (withAudit) files['audit-trail.ndjson'] = strToU8(await auditNdjson(ctx))
  const manifest = {
    schema: 'phiwall.report-bundle/v1',
    scanId: scan.id,
    source: scan.sourceName,
    scannedAt: result.startedAt,
    generatedAt: ctx.clock().toISOString(),
    ...(team !== null ? { team } : {}),
    files: Object.entries(files).map(([name, data]) => ({ name, bytes: data.length, sha256: sha256(data) })),
  }
  files['manifest.json'] = strToU8(`${JSON.stringify(manifest, null, 2)}\n`)
  const zipped = zipSync(files, { level: 6, mtime: scan.receivedAt })
  return { filename: `phiwall-report-${date}.zip`, mediaType: MEDIA_TYPES.bundle, body: zipped }
}
