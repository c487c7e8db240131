import { createHash, randomBytes } from 'node:crypto'
import path from 'node:path'
import { gunzipSync, gzipSync } from 'node:zlib'
import type { Finding, Resource, ScanResult, Severity } from '../../model/index.js'
import { SEVERITIES } from '../../model/index.js'
import type { BulkColumn, Store } from '../../store/index.js'
import { retryLater } from '../router.js'
import { bumpVersion, touchVersion } from './cache.js'
import type { ServerContext } from '../types.js'
import type { ScanUpload } from './schemas.js'

/** Check id of vulnerability findings (src/vulns): the compliance reports key on the same literal. */
export const VULN_CHECK_ID = 'vulns/known-vulnerability'

/** Scans per source whose full ScanResult is kept (reports); older ones keep their summary only. */
export const RESULT_RETENTION = 10

/** Finding counts of a scan, or of one owner's part of it. */
export interface Tally {
  resources: number
  phiResources: number
  findings: { pass: number; fail: number; manual: number; error: number; suppressed: number }
  failuresBySeverity: Record<Severity, number>
}

/** The summary stored with each scan: its counts, and the same per owner team (what app-team users see). */
export interface StoredSummary extends Tally {
  byOwner: Record<string, Tally>
}

/** Sort rank of a severity: critical 0 … info 4. */
export function sevOrder(s: string): number {
  const i = SEVERITIES.indexOf(s as Severity)
  return i === -1 ? SEVERITIES.length : i
}

/** Sort rank of a status: failures first. */
export const STATUS_ORDER: Record<string, number> = { fail: 0, error: 1, manual: 2, pass: 3 }

/**
 * The stable key of a finding: a hash of the source name, check id and resource id (and, for a
 * vulnerability finding, the vulnerability id, since one component can have several), so that a
 * suppression set on it survives rescans.
 */
export function findingKey(sourceName: string, f: Pick<Finding, 'checkId' | 'resourceId' | 'evidence'>): string {
  const vuln = f.checkId === VULN_CHECK_ID && typeof f.evidence?.['vulnerability'] === 'string' ? (f.evidence['vulnerability'] as string) : ''
  return createHash('sha256').update(`${sourceName}\u0000${f.checkId}\u0000${f.resourceId}\u0000${vuln}`).digest('hex').slice(0, 32)
}

/** The keys of a scan's findings, in order: {@link findingKey}, made distinct when a check judges the same resource twice. */
export function findingKeys(sourceName: string, findings: readonly Pick<Finding, 'checkId' | 'resourceId' | 'evidence'>[]): string[] {
  const seen = new Set<string>()
  return findings.map((f) => {
    let key = findingKey(sourceName, f)
    for (let n = 2; seen.has(key); n++) key = createHash('sha256').update(`${key}#${n}`).digest('hex').slice(0, 32)
    seen.add(key)
    return key
  })
}

/** A random id with a prefix, e.g. `scan_3f…`. */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString('hex')}`
}

const emptyTally = (): Tally => ({
  resources: 0,
  phiResources: 0,
  findings: { pass: 0, fail: 0, manual: 0, error: 0, suppressed: 0 },
  failuresBySeverity: { critical: 0, high: 0, medium: 0, low: 0, info: 0 },
})

/** The lockfile or archive a component location belongs to (`image.tar!/var/lib/dpkg/status` → `image.tar`). */
function sourceFile(file: string): string {
  const i = file.indexOf('!/')
  return i === -1 ? file : file.slice(0, i)
}

/**
 * The inventory resources a component affects: those declared in the directory of the file that
 * lists it (a Dockerfile beside package-lock.json), else in the nearest parent directory that
 * declares any (the template of the functions whose code the lockfile belongs to).
 */
function affectedResources(files: string[], byDir: Map<string, Resource[]>): Resource[] {
  const out = new Map<string, Resource>()
  for (const file of files) {
    let dir = path.posix.dirname(sourceFile(file))
    for (;;) {
      const found = byDir.get(dir)
      if (found?.length) {
        for (const r of found) out.set(r.id, r)
        break
      }
      const up = path.posix.dirname(dir)
      if (up === dir) break
      dir = up
    }
  }
  return [...out.values()]
}

/** The single value of a list, or null when it has none or several. */
function single<T>(values: (T | undefined)[]): T | null {
  const set = new Set(values.filter((v): v is T => v !== undefined))
  return set.size === 1 ? [...set][0]! : null
}

/** Rows of one scan for the store, and its summary. */
export interface ScanRows {
  /** Distinct long texts of the findings (remediation, controls JSON): `[hash, body]`. */
  texts: unknown[][]
  findings: unknown[][]
  resources: unknown[][]
  vulns: unknown[][]
  summary: StoredSummary
}

/** Columns of posture_texts. */
export const TEXT_COLUMNS: BulkColumn[] = [
  { name: 'hash', type: 'text' },
  { name: 'body', type: 'text' },
]

/** Columns of posture_findings, in the order of {@link scanRows}' finding rows. */
export const FINDING_COLUMNS: BulkColumn[] = [
  { name: 'scan_id', type: 'text' },
  { name: 'key', type: 'text' },
  { name: 'source_name', type: 'text' },
  { name: 'status_order', type: 'smallint' },
  { name: 'sev_order', type: 'smallint' },
  { name: 'check_id', type: 'text' },
  { name: 'title', type: 'text' },
  { name: 'severity', type: 'text' },
  { name: 'status', type: 'text' },
  { name: 'resource_id', type: 'text' },
  { name: 'resource_name', type: 'text' },
  { name: 'resource_kind', type: 'text' },
  { name: 'environment', type: 'text' },
  { name: 'owner', type: 'text' },
  { name: 'message', type: 'text' },
  { name: 'loc_file', type: 'text' },
  { name: 'loc_line', type: 'integer' },
  { name: 'controls_ref', type: 'text' },
  { name: 'remediation_ref', type: 'text' },
  { name: 'file_suppression', type: 'text' },
]

/** Columns of posture_resources, in the order of {@link scanRows}' resource rows. */
export const RESOURCE_COLUMNS: BulkColumn[] = [
  { name: 'scan_id', type: 'text' },
  { name: 'id', type: 'text' },
  { name: 'source_name', type: 'text' },
  { name: 'kind', type: 'text' },
  { name: 'type', type: 'text' },
  { name: 'name', type: 'text' },
  { name: 'provider', type: 'text' },
  { name: 'environment', type: 'text' },
  { name: 'owner', type: 'text' },
  { name: 'holds_phi', type: 'text' },
  { name: 'namespace', type: 'text' },
  { name: 'loc_file', type: 'text' },
  { name: 'loc_line', type: 'integer' },
]

/** Columns of posture_vulns, in the order of {@link scanRows}' vulnerability rows. */
export const VULN_COLUMNS: BulkColumn[] = [
  { name: 'scan_id', type: 'text' },
  { name: 'key', type: 'text' },
  { name: 'source_name', type: 'text' },
  { name: 'sev_order', type: 'smallint' },
  { name: 'vuln_id', type: 'text' },
  { name: 'component', type: 'text' },
  { name: 'version', type: 'text' },
  { name: 'ecosystem', type: 'text' },
  { name: 'severity', type: 'text' },
  { name: 'cvss', type: 'double precision' },
  { name: 'fixed_in', type: 'text' },
  { name: 'resources', type: 'jsonb' },
  { name: 'owners', type: 'jsonb' },
]

/**
 * Splits a scan into the rows the list routes read (one per finding, resource and vulnerability)
 * and its summary counts. Pure: the same result always gives the same rows.
 */
export function scanRows(scanId: string, sourceName: string, receivedAt: string, result: ScanResult): ScanRows {
  const resources = result.inventory.resources
  const byId = new Map(resources.map((r) => [r.id, r]))
  const byDir = new Map<string, Resource[]>()
  for (const r of resources) {
    const d = path.posix.dirname(r.location?.file ?? '')
    ;(byDir.get(d) ?? byDir.set(d, []).get(d)!).push(r)
  }
  const components = new Map((result.components ?? []).map((c) => [c.purl, c]))
  const affectedCache = new Map<string, Resource[]>()
  const affectedBy = (purl: string, evidence: Record<string, unknown>): Resource[] => {
    let a = affectedCache.get(purl)
    if (!a) {
      const files = components.get(purl)?.locations.map((l) => l.file) ?? (Array.isArray(evidence['locations']) ? (evidence['locations'] as unknown[]).map((l) => String(l).replace(/:\d+( \(layer .*\))?$/, '')) : [])
      a = affectedResources(files, byDir)
      affectedCache.set(purl, a)
    }
    return a
  }

  const summary: StoredSummary = { ...emptyTally(), byOwner: {} }
  const tallyOf = (owner: string | null | undefined): Tally[] => {
    if (!owner) return [summary]
    const t = summary.byOwner[owner] ?? (summary.byOwner[owner] = emptyTally())
    return [summary, t]
  }
  const resourceRows: unknown[][] = []
  const seenResources = new Set<string>()
  for (const r of resources) {
    if (seenResources.has(r.id)) continue
    seenResources.add(r.id)
    for (const t of tallyOf(r.owner)) {
      t.resources++
      if (r.holdsPhi === 'yes') t.phiResources++
    }
    resourceRows.push([scanId, r.id, sourceName, r.kind, r.type ?? '', r.name ?? r.id, r.provider ?? '', r.environment ?? 'unknown', r.owner ?? null, r.holdsPhi ?? 'unknown', r.namespace ?? null, r.location?.file ?? '', r.location?.line ?? null])
  }

  const findingRows: unknown[][] = []
  const vulnRows: unknown[][] = []
  const seenVulns = new Set<string>()
  const texts = new Map<string, string>()
  const textRef = (body: string): string => {
    let hash = texts.get(body)
    if (!hash) {
      hash = createHash('sha256').update(body).digest('hex').slice(0, 32)
      texts.set(body, hash)
    }
    return hash
  }
  const keys = findingKeys(sourceName, result.findings)
  for (const [i, f] of result.findings.entries()) {
    const evidence = (f.evidence ?? {}) as Record<string, unknown>
    const key = keys[i]!
    const r = byId.get(f.resourceId)
    let name = r?.name ?? f.resourceId
    let kind = r?.kind ?? (f.resourceId.startsWith('file:') ? 'file' : 'unknown')
    let environment: string = r?.environment ?? 'unknown'
    let owner: string | null = r?.owner ?? null
    if (!r && f.checkId === VULN_CHECK_ID) {
      const affected = affectedBy(f.resourceId, evidence)
      if (typeof evidence['package'] === 'string') {
        name = `${evidence['package']} ${String(evidence['version'] ?? '')}`.trim()
        kind = 'package'
      }
      owner = single(affected.map((a) => a.owner))
      environment = single(affected.map((a) => a.environment)) ?? 'unknown'
      if (f.status === 'fail' && !f.suppressed) {
        const vulnId = typeof evidence['vulnerability'] === 'string' ? evidence['vulnerability'] : f.checkId
        const vkey = `${vulnId}\u0000${f.resourceId}`
        if (!seenVulns.has(vkey)) {
          seenVulns.add(vkey)
          const cvss = evidence['cvss'] as { score?: unknown } | undefined
          const fixed = typeof evidence['fix'] === 'string' ? evidence['fix'] : Array.isArray(evidence['fixedVersions']) && evidence['fixedVersions'].length ? (evidence['fixedVersions'] as unknown[]).map(String).join(', ') : null
          const comp = components.get(f.resourceId)
          vulnRows.push([
            scanId,
            createHash('sha256').update(`${sourceName}\u0000${vkey}`).digest('hex').slice(0, 32),
            sourceName,
            sevOrder(f.severity),
            vulnId,
            comp?.name ?? String(evidence['package'] ?? f.resourceId),
            comp?.version ?? String(evidence['version'] ?? ''),
            comp?.ecosystem ?? String(evidence['ecosystem'] ?? ''),
            f.severity,
            typeof cvss?.score === 'number' ? cvss.score : null,
            fixed,
            affected.map((a) => ({ id: a.id, owner: a.owner ?? null })),
            [...new Set(affected.map((a) => a.owner).filter((o): o is string => !!o))],
          ])
        }
      }
    }
    for (const t of tallyOf(owner)) {
      if (f.status === 'fail' && f.suppressed) t.findings.suppressed++
      else t.findings[f.status]++
      if (f.status === 'fail' && !f.suppressed) t.failuresBySeverity[f.severity]++
    }
    const fileSuppression = f.suppressed ? { reason: f.suppressed.reason, expiresAt: f.suppressed.expires ?? null, by: f.suppressed.owner ?? f.suppressed.source, at: receivedAt } : null
    findingRows.push([
      scanId,
      key,
      sourceName,
      STATUS_ORDER[f.status] ?? 9,
      sevOrder(f.severity),
      f.checkId,
      f.title,
      f.severity,
      f.status,
      f.resourceId,
      name,
      kind,
      environment,
      owner,
      f.message,
      f.location?.file ?? '',
      f.location?.line ?? null,
      textRef(JSON.stringify({ csf: f.controls.csf, hipaa: f.controls.hipaa, ferpa: f.controls.ferpa })),
      textRef(f.remediation),
      fileSuppression ? JSON.stringify(fileSuppression) : null,
    ])
  }
  return { texts: [...texts].map(([body, hash]) => [hash, body]), findings: findingRows, resources: resourceRows, vulns: vulnRows, summary }
}

const gates = new WeakMap<ServerContext, { active: number }>()

/**
 * Runs `fn` while holding one of the context's `maxConcurrentIngest` ingest slots; when all are
 * taken, fails at once with 503 PW_ERR_BUSY and a Retry-After (the CLI retries with the same upload id).
 */
export async function withIngestGate<T>(ctx: ServerContext, fn: () => Promise<T>): Promise<T> {
  const gate = gates.get(ctx) ?? gates.set(ctx, { active: 0 }).get(ctx)!
  if (gate.active >= ctx.config.maxConcurrentIngest) throw retryLater('PW_ERR_BUSY', 'The server is processing other scan uploads; retry shortly with the same uploadId.', 2)
  gate.active++
  try {
    return await fn()
  } finally {
    gate.active--
  }
}

const ESCAPED_NUL = /(?<!\\)((?:\\\\)*)\\u0000/g

/**
 * The JSON text of a scan result the store accepts: PostgreSQL text cannot hold U+0000 (a NUL
 * read from a binary-ish input file), so each becomes U+FFFD. Returns the text, and the result
 * itself or, when something was replaced, the cleaned copy.
 */
export function storableResult(result: ScanResult): { text: string; result: ScanResult } {
  const text = JSON.stringify(result)
  if (!text.includes('\\u0000')) return { text, result }
  const cleaned = text.replace(ESCAPED_NUL, '$1\\ufffd')
  return { text: cleaned, result: JSON.parse(cleaned) as ScanResult }
}

/** The stored form of a scan result: gzip of its JSON text (level 1: fast, still ~10× smaller). */
export function packResult(text: string): Buffer {
  return gzipSync(Buffer.from(text, 'utf8'), { level: 1 })
}

/** The scan result of {@link packResult}'s bytes. */
export function unpackResult(data: Uint8Array): ScanResult {
  return JSON.parse(gunzipSync(data).toString('utf8')) as ScanResult
}

/** What {@link ingestScan} did. */
export interface IngestOutcome {
  scanId: string
  duplicate: boolean
  findings: number
  resources: number
}

/**
 * Stores an uploaded scan: the scan row (result and summary), and its findings, resources and
 * vulnerabilities as the current rows of its source, replacing the previous scan's, in one
 * transaction with its audit entry. Idempotent by upload id: a repeat (even a concurrent one,
 * through the unique constraint) changes nothing and answers `duplicate: true`.
 */
export async function ingestScan(ctx: ServerContext, upload: ScanUpload, actor: string): Promise<IngestOutcome> {
  const existing = await ctx.store.query<{ id: string }>('SELECT id FROM posture_scans WHERE upload_id = $1', [upload.uploadId])
  if (existing[0]) return { scanId: existing[0].id, duplicate: true, findings: 0, resources: 0 }
  const { text, result } = storableResult(upload.result as unknown as ScanResult)
  const sourceName = upload.source.name.replaceAll('\u0000', '\ufffd')
  const scanId = newId('scan')
  const receivedAt = ctx.clock().toISOString()
  const rows = scanRows(scanId, sourceName, receivedAt, result)
  const outcome = await ctx.store.transaction(async (tx): Promise<IngestOutcome> => {
    // one ingest per source at a time: the rows of the latest scan are replaced, not merged
    if (tx.kind === 'postgres') await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`phiwall:posture:${sourceName}`])
    const inserted = await tx.query<{ id: string }>(
      `INSERT INTO posture_scans (id, upload_id, source_name, source_host, received_at, started_at, duration_ms, is_latest, summary, checks, result_gz)
       VALUES ($1, $2, $3, $4, $5, $6, $7, true, $8::jsonb, $9::jsonb, $10) ON CONFLICT (upload_id) DO NOTHING RETURNING id`,
      [scanId, upload.uploadId, sourceName, upload.source.host ?? null, receivedAt, result.startedAt, Math.round(result.durationMs ?? 0), JSON.stringify(rows.summary), JSON.stringify((result.checks ?? []).map((c) => ({ id: c.id, controls: c.controls }))), packResult(text)],
    )
    if (!inserted[0]) {
      const other = await tx.query<{ id: string }>('SELECT id FROM posture_scans WHERE upload_id = $1', [upload.uploadId])
      return { scanId: other[0]?.id ?? scanId, duplicate: true, findings: 0, resources: 0 }
    }
    await replaceCurrentRows(tx, sourceName, scanId, rows)
    await bumpVersion(ctx.store, tx)
    await ctx.audit.append(
      {
        actor,
        action: 'scan.upload',
        target: `scan:${scanId}`,
        payload: { uploadId: upload.uploadId, source: { name: sourceName, host: upload.source.host ?? null }, resources: result.inventory.resources.length, findings: result.findings.length, failing: rows.summary.findings.fail },
      },
      tx,
    )
    return { scanId, duplicate: false, findings: rows.findings.length, resources: rows.resources.length }
  })
  if (!outcome.duplicate) touchVersion(ctx.store)
  return outcome
}

async function replaceCurrentRows(tx: Store, sourceName: string, scanId: string, rows: ScanRows): Promise<void> {
  await tx.query('UPDATE posture_scans SET is_latest = false WHERE source_name = $1 AND is_latest AND id <> $2', [sourceName, scanId])
  await tx.query('DELETE FROM posture_findings WHERE source_name = $1', [sourceName])
  await tx.query('DELETE FROM posture_resources WHERE source_name = $1', [sourceName])
  await tx.query('DELETE FROM posture_vulns WHERE source_name = $1', [sourceName])
  await tx.bulkInsert('posture_texts', TEXT_COLUMNS, rows.texts, { onConflict: 'ON CONFLICT (hash) DO NOTHING' })
  await tx.bulkInsert('posture_findings', FINDING_COLUMNS, rows.findings)
  // the list's totals come from this aggregate (a few thousand rows) instead of counting every finding
  await tx.query('DELETE FROM posture_finding_counts WHERE source_name = $1', [sourceName])
  await tx.query(
    `INSERT INTO posture_finding_counts (source_name, status_order, sev_order, environment, owner, check_id, n)
       SELECT source_name, status_order, sev_order, environment, owner, check_id, count(*)::int FROM posture_findings WHERE source_name = $1
       GROUP BY source_name, status_order, sev_order, environment, owner, check_id`,
    [sourceName],
  )
  await tx.bulkInsert('posture_resources', RESOURCE_COLUMNS, rows.resources)
  await tx.bulkInsert('posture_vulns', VULN_COLUMNS, rows.vulns)
  // reports need the full result of recent scans only; older scans keep their summary for the history
  await tx.query(
    `UPDATE posture_scans SET result_gz = NULL WHERE source_name = $1 AND result_gz IS NOT NULL
       AND seq < (SELECT min(seq) FROM (SELECT seq FROM posture_scans WHERE source_name = $1 ORDER BY seq DESC LIMIT ${RESULT_RETENTION}) AS recent)`,
    [sourceName],
  )
}
