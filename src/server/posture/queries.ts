import { rollupControls } from '../../compliance/index.js'
import type { CheckInfo, Finding } from '../../model/index.js'
import type { Store } from '../../store/index.js'
import { decodeCursor, encodeCursor, iso, isoOrNull } from './cursor.js'
import { sevOrder, STATUS_ORDER, type StoredSummary, type Tally } from './ingest.js'
import type { FindingRow, PostureOverview, ResourceRow, ScanSummary, VulnerabilityRow } from './schemas.js'

/** Memoises a value by key (the routes pass the posture read cache); the default computes every time. */
export type Memo = <T>(key: string, compute: () => Promise<T>) => Promise<T>
const noMemo: Memo = (_key, compute) => compute()

/** One page of a list route. */
export interface Page<T> {
  items: T[]
  total: number
  nextCursor: string | null
}

/** Collects `$n` parameters while a statement is built. */
class Params {
  readonly values: unknown[] = []
  add(v: unknown): string {
    this.values.push(v)
    return `$${this.values.length}`
  }
}

/** Filters of the findings list; `team` = only findings of resources this team owns (null = all). */
export interface FindingFilter {
  severity?: string[]
  status?: string[]
  checkId?: string
  resourceId?: string
  environment?: string
  q?: string
  team: string | null
}

interface FindingDbRow {
  key: string
  status_order: number
  sev_order: number
  check_id: string
  title: string
  severity: FindingRow['severity']
  status: FindingRow['status']
  resource_id: string
  resource_name: string
  resource_kind: string
  environment: string
  owner: string | null
  message: string
  loc_file: string
  loc_line: number | null
  controls: string
  remediation: string
  source_name: string
  file_suppression: string | null
  s_reason: string | null
  s_expires: unknown
  s_by: string | null
  s_at: unknown
}

const FINDING_SELECT = `SELECT f.key, f.status_order, f.sev_order, f.check_id, f.title, f.severity, f.status, f.resource_id, f.resource_name,
  f.resource_kind, f.environment, f.owner, f.message, f.loc_file, f.loc_line, tc.body AS controls, tr.body AS remediation, f.source_name, f.file_suppression,
  s.reason AS s_reason, s.expires_at AS s_expires, s.by_actor AS s_by, s.at AS s_at
FROM posture_findings f JOIN posture_texts tc ON tc.hash = f.controls_ref JOIN posture_texts tr ON tr.hash = f.remediation_ref
  LEFT JOIN posture_suppressions s ON s.finding_key = f.key AND s.expires_at > $1`

function findingRow(r: FindingDbRow): FindingRow {
  const suppression = r.s_reason !== null ? { reason: r.s_reason, expiresAt: isoOrNull(r.s_expires), by: r.s_by ?? '', at: isoOrNull(r.s_at) } : r.file_suppression ? (JSON.parse(r.file_suppression) as FindingRow['suppression']) : null
  return {
    id: r.key,
    checkId: r.check_id,
    title: r.title,
    severity: r.severity,
    status: r.status,
    resourceId: r.resource_id,
    resourceName: r.resource_name,
    resourceKind: r.resource_kind,
    environment: r.environment,
    owner: r.owner,
    message: r.message,
    location: r.loc_line !== null ? { file: r.loc_file, line: Number(r.loc_line) } : { file: r.loc_file },
    controls: JSON.parse(r.controls) as FindingRow['controls'],
    remediation: r.remediation,
    source: r.source_name,
    suppression,
  }
}

function findingConditions(filter: FindingFilter, p: Params): string[] {
  const where: string[] = []
  if (filter.team !== null) where.push(`f.owner = ${p.add(filter.team)}`)
  // on the sort columns, so the list index serves the filter as a range
  if (filter.status?.length) where.push(`f.status_order IN (${filter.status.map((s) => p.add(STATUS_ORDER[s] ?? -1)).join(', ')})`)
  if (filter.severity?.length) where.push(`f.sev_order IN (${filter.severity.map((s) => p.add(sevOrder(s))).join(', ')})`)
  if (filter.checkId) where.push(`f.check_id = ${p.add(filter.checkId)}`)
  if (filter.resourceId) where.push(`f.resource_id = ${p.add(filter.resourceId)}`)
  if (filter.environment) where.push(`f.environment = ${p.add(filter.environment)}`)
  if (filter.q) {
    const q = p.add(filter.q.toLowerCase())
    where.push(`(strpos(lower(f.title), ${q}) > 0 OR strpos(lower(f.message), ${q}) > 0 OR strpos(lower(f.resource_name), ${q}) > 0)`)
  }
  return where
}

/**
 * A page of the current findings (the latest scan of each source): failures first, then by
 * severity, check and resource; keyset pagination, so pages neither repeat nor skip rows while
 * the list changes. One indexed statement for the page, one count.
 */
export async function listFindings(store: Store, now: Date, filter: FindingFilter, limit: number, cursor?: string, memo: Memo = noMemo): Promise<Page<FindingRow>> {
  const after = decodeCursor(cursor, ['n', 'n', 's', 's', 's'])
  const p = new Params()
  p.add(now.toISOString())
  const where = findingConditions(filter, p)
  const countParams = new Params()
  const countWhere = findingConditions(filter, countParams)
  if (after) where.push(`(f.status_order, f.sev_order, f.check_id, f.resource_id, f.key) > (${after.map((v) => p.add(v)).join(', ')})`)
  const sql = `${FINDING_SELECT}${where.length ? ` WHERE ${where.join(' AND ')}` : ''}
ORDER BY f.status_order, f.sev_order, f.check_id, f.resource_id, f.key LIMIT ${limit + 1}`
  const [rows, count] = await Promise.all([
    store.query<FindingDbRow>(sql, p.values),
    // the count does not depend on the page: one per filter
    memo(`findings-count\u0000${JSON.stringify(filter)}`, () =>
      // without a resource or text filter, the total sums the ingest-time aggregate (same columns, same conditions)
      store.query<{ n: number }>(
        filter.resourceId || filter.q
          ? `SELECT count(*)::int AS n FROM posture_findings f${countWhere.length ? ` WHERE ${countWhere.join(' AND ')}` : ''}`
          : `SELECT coalesce(sum(f.n), 0)::int AS n FROM posture_finding_counts f${countWhere.length ? ` WHERE ${countWhere.join(' AND ')}` : ''}`,
        countParams.values,
      ),
    ),
  ])
  const page = rows.slice(0, limit)
  const last = page.at(-1)
  return {
    items: page.map(findingRow),
    total: Number(count[0]?.n ?? 0),
    nextCursor: rows.length > limit && last ? encodeCursor([Number(last.status_order), Number(last.sev_order), last.check_id, last.resource_id, last.key]) : null,
  }
}

/** One current finding by its key, or null (also when `team` does not own its resource). */
export async function getFinding(store: Store, now: Date, key: string, team: string | null): Promise<FindingRow | null> {
  const p = new Params()
  p.add(now.toISOString())
  const where = [`f.key = ${p.add(key)}`, ...findingConditions({ team }, p)]
  const rows = await store.query<FindingDbRow>(`${FINDING_SELECT} WHERE ${where.join(' AND ')}`, p.values)
  return rows[0] ? findingRow(rows[0]) : null
}

/** Filters of the resources list. */
export interface ResourceFilter {
  environment?: string
  team?: string
  phi?: string
  kind?: string
  q?: string
  /** The caller's visible team (app-team users), null = all. */
  visible: string | null
}

interface ResourceDbRow {
  id: string
  scan_id: string
  kind: string
  type: string
  name: string
  provider: string
  environment: string
  owner: string | null
  holds_phi: ResourceRow['holdsPhi']
  namespace: string | null
  loc_file: string
  loc_line: number | null
  source_name: string
  failing: number
}

/** A page of the current resources, by name, with the number of open (unsuppressed) failing findings of each. */
export async function listResources(store: Store, now: Date, filter: ResourceFilter, limit: number, cursor?: string, memo: Memo = noMemo): Promise<Page<ResourceRow>> {
  const after = decodeCursor(cursor, ['s', 's', 's'])
  const build = (p: Params): string[] => {
    const where: string[] = []
    if (filter.visible !== null) where.push(`r.owner = ${p.add(filter.visible)}`)
    if (filter.team) where.push(`r.owner = ${p.add(filter.team)}`)
    if (filter.environment) where.push(`r.environment = ${p.add(filter.environment)}`)
    if (filter.phi) where.push(`r.holds_phi = ${p.add(filter.phi)}`)
    if (filter.kind) where.push(`r.kind = ${p.add(filter.kind)}`)
    if (filter.q) {
      const q = p.add(filter.q.toLowerCase())
      where.push(`(strpos(lower(r.name), ${q}) > 0 OR strpos(lower(r.id), ${q}) > 0)`)
    }
    return where
  }
  const p = new Params()
  const nowParam = p.add(now.toISOString())
  const where = build(p)
  if (after) where.push(`(r.name, r.id, r.scan_id) > (${after.map((v) => p.add(v)).join(', ')})`)
  const cp = new Params()
  const countWhere = build(cp)
  const sql = `SELECT r.id, r.scan_id, r.kind, r.type, r.name, r.provider, r.environment, r.owner, r.holds_phi, r.namespace, r.loc_file, r.loc_line, r.source_name,
  (SELECT count(*) FROM posture_findings f LEFT JOIN posture_suppressions s ON s.finding_key = f.key AND s.expires_at > ${nowParam}
    WHERE f.scan_id = r.scan_id AND f.resource_id = r.id AND f.status = 'fail' AND f.file_suppression IS NULL AND s.finding_key IS NULL)::int AS failing
FROM posture_resources r${where.length ? ` WHERE ${where.join(' AND ')}` : ''}
ORDER BY r.name, r.id, r.scan_id LIMIT ${limit + 1}`
  const [rows, count] = await Promise.all([
    store.query<ResourceDbRow>(sql, p.values),
    memo(`resources-count\u0000${JSON.stringify(filter)}`, () => store.query<{ n: number }>(`SELECT count(*)::int AS n FROM posture_resources r${countWhere.length ? ` WHERE ${countWhere.join(' AND ')}` : ''}`, cp.values)),
  ])
  const page = rows.slice(0, limit)
  const last = page.at(-1)
  return {
    items: page.map((r) => ({
      id: r.id,
      kind: r.kind,
      type: r.type,
      name: r.name,
      provider: r.provider,
      environment: r.environment,
      owner: r.owner,
      holdsPhi: r.holds_phi,
      ...(r.namespace !== null ? { namespace: r.namespace } : {}),
      location: r.loc_line !== null ? { file: r.loc_file, line: Number(r.loc_line) } : { file: r.loc_file },
      source: r.source_name,
      failing: Number(r.failing),
    })),
    total: Number(count[0]?.n ?? 0),
    nextCursor: rows.length > limit && last ? encodeCursor([last.name, last.id, last.scan_id]) : null,
  }
}

interface VulnDbRow {
  key: string
  sev_order: number
  vuln_id: string
  component: string
  version: string
  ecosystem: string
  severity: VulnerabilityRow['severity']
  cvss: number | null
  fixed_in: string | null
  resources: { id: string; owner: string | null }[]
}

/** A page of the known vulnerabilities of the latest scans' components, most severe first; app-team users see those affecting their resources. */
export async function listVulnerabilities(store: Store, filter: { severity?: string[]; team: string | null }, limit: number, cursor?: string): Promise<Page<VulnerabilityRow>> {
  const after = decodeCursor(cursor, ['n', 's', 's', 's', 's'])
  const build = (p: Params): string[] => {
    const where: string[] = []
    if (filter.team !== null) where.push(`v.owners @> jsonb_build_array(${p.add(filter.team)}::text)`)
    if (filter.severity?.length) where.push(`v.sev_order IN (${filter.severity.map((s) => p.add(sevOrder(s))).join(', ')})`)
    return where
  }
  const p = new Params()
  const where = build(p)
  if (after) where.push(`(v.sev_order, v.vuln_id, v.component, v.version, v.key) > (${after.map((v) => p.add(v)).join(', ')})`)
  const cp = new Params()
  const countWhere = build(cp)
  const [rows, count] = await Promise.all([
    store.query<VulnDbRow>(
      `SELECT v.key, v.sev_order, v.vuln_id, v.component, v.version, v.ecosystem, v.severity, v.cvss, v.fixed_in, v.resources FROM posture_vulns v${where.length ? ` WHERE ${where.join(' AND ')}` : ''}
ORDER BY v.sev_order, v.vuln_id, v.component, v.version, v.key LIMIT ${limit + 1}`,
      p.values,
    ),
    store.query<{ n: number }>(`SELECT count(*)::int AS n FROM posture_vulns v${countWhere.length ? ` WHERE ${countWhere.join(' AND ')}` : ''}`, cp.values),
  ])
  const page = rows.slice(0, limit)
  const last = page.at(-1)
  return {
    items: page.map((v) => ({
      id: v.vuln_id,
      component: v.component,
      version: v.version,
      ecosystem: v.ecosystem,
      severity: v.severity,
      cvss: v.cvss === null ? null : Number(v.cvss),
      fixedIn: v.fixed_in,
      resourceIds: v.resources.filter((r) => filter.team === null || r.owner === filter.team).map((r) => r.id),
    })),
    total: Number(count[0]?.n ?? 0),
    nextCursor: rows.length > limit && last ? encodeCursor([Number(last.sev_order), last.vuln_id, last.component, last.version, last.key]) : null,
  }
}

interface ScanDbRow {
  id: string
  seq: string | number
  source_name: string
  source_host: string | null
  received_at: unknown
  started_at: unknown
  duration_ms: number
  summary: StoredSummary
}

const emptyTally = (): Tally => ({ resources: 0, phiResources: 0, findings: { pass: 0, fail: 0, manual: 0, error: 0, suppressed: 0 }, failuresBySeverity: { critical: 0, high: 0, medium: 0, low: 0, info: 0 } })

/** The counts of a scan as `team` sees them (null = the whole scan). */
function tallyFor(summary: StoredSummary, team: string | null): Tally {
  return team === null ? summary : (summary.byOwner[team] ?? emptyTally())
}

function scanSummary(r: ScanDbRow, team: string | null): ScanSummary {
  const t = tallyFor(r.summary, team)
  return {
    id: r.id,
    source: { name: r.source_name, host: r.source_host },
    receivedAt: iso(r.received_at),
    startedAt: isoOrNull(r.started_at),
    durationMs: Number(r.duration_ms),
    resources: t.resources,
    findings: t.findings,
    failuresBySeverity: t.failuresBySeverity,
  }
}

/** A page of the scan history, newest first; app-team users see their team's counts. */
export async function listScans(store: Store, team: string | null, limit: number, cursor?: string, source?: string): Promise<Page<ScanSummary>> {
  const after = decodeCursor(cursor, ['n'])
  const p = new Params()
  const where: string[] = []
  if (source) where.push(`source_name = ${p.add(source)}`)
  const countWhere = [...where]
  if (after) where.push(`seq < ${p.add(after[0])}`)
  const [rows, count] = await Promise.all([
    store.query<ScanDbRow>(`SELECT id, seq, source_name, source_host, received_at, started_at, duration_ms, summary FROM posture_scans${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ${limit + 1}`, p.values),
    store.query<{ n: number }>(`SELECT count(*)::int AS n FROM posture_scans${countWhere.length ? ` WHERE ${countWhere.join(' AND ')}` : ''}`, source ? [source] : []),
  ])
  const page = rows.slice(0, limit)
  const last = page.at(-1)
  return { items: page.map((r) => scanSummary(r, team)), total: Number(count[0]?.n ?? 0), nextCursor: rows.length > limit && last ? encodeCursor([Number(last.seq)]) : null }
}

const CSF_FUNCTION_NAMES = { ID: 'Identify', PR: 'Protect', DE: 'Detect', RS: 'Respond', RC: 'Recover' } as const
const TREND_SCANS = 100

/** Check infos of a scan (immutable once stored), cached by scan id. */
const checksCache = new Map<string, CheckInfo[]>()

async function checksOf(store: Store, scanIds: string[]): Promise<CheckInfo[]> {
  const missing = scanIds.filter((id) => !checksCache.has(id))
  if (missing.length) {
    const rows = await store.query<{ id: string; checks: CheckInfo[] | null }>(`SELECT id, checks FROM posture_scans WHERE id IN (${missing.map((_, i) => `$${i + 1}`).join(', ')})`, missing)
    for (const r of rows) {
      if (checksCache.size > 200) checksCache.delete(checksCache.keys().next().value!)
      checksCache.set(r.id, (r.checks ?? []).map((c) => ({ id: c.id, title: '', severity: 'info', resourceKinds: [], controls: c.controls, rationale: '', remediation: { text: '' }, references: { awsConfig: [], cdkNag: [], prowler: [] } })))
    }
  }
  const byId = new Map<string, CheckInfo>()
  for (const id of scanIds) for (const c of checksCache.get(id) ?? []) if (!byId.has(c.id)) byId.set(c.id, c)
  return [...byId.values()]
}

/**
 * The posture overview: totals over the current findings and resources (server suppressions
 * applied), the HIPAA controls and CSF functions rolled up from the latest scan of each source,
 * and the pass/fail/manual trend of the last scans. App-team users get their team's share.
 */
export async function postureOverview(store: Store, now: Date, team: string | null): Promise<PostureOverview> {
  const latest = await store.query<{ id: string; received_at: unknown }>('SELECT id, received_at FROM posture_scans WHERE is_latest ORDER BY seq')
  const teamCond = team !== null ? ' AND f.owner = $2' : ''
  const params = team !== null ? [now.toISOString(), team] : [now.toISOString()]
  const [resources, groups, trendRows] = await Promise.all([
    store.query<{ n: number; phi: number }>(`SELECT count(*)::int AS n, count(*) FILTER (WHERE holds_phi = 'yes')::int AS phi FROM posture_resources${team !== null ? ' WHERE owner = $1' : ''}`, team !== null ? [team] : []),
    store.query<{ check_id: string; status: Finding['status']; severity: Finding['severity']; suppressed: boolean; n: number }>(
      `SELECT f.check_id, f.status, f.severity, (f.file_suppression IS NOT NULL OR s.finding_key IS NOT NULL) AS suppressed, count(*)::int AS n
       FROM posture_findings f LEFT JOIN posture_suppressions s ON s.finding_key = f.key AND s.expires_at > $1
       WHERE true${teamCond} GROUP BY 1, 2, 3, 4`,
      params,
    ),
    store.query<ScanDbRow>(`SELECT id, seq, source_name, source_host, received_at, started_at, duration_ms, summary FROM posture_scans ORDER BY seq DESC LIMIT ${TREND_SCANS}`),
  ])
  const bySeverity: Record<string, number> = { critical: 0, high: 0, medium: 0, low: 0, info: 0 }
  let failing = 0
  // the roll-up counts findings per check: one stand-in finding per counted row is all it needs
  const findings: Finding[] = []
  for (const g of groups) {
    if (g.status === 'fail' && !g.suppressed) {
      failing += Number(g.n)
      bySeverity[g.severity] = (bySeverity[g.severity] ?? 0) + Number(g.n)
    }
    const stand = { checkId: g.check_id, status: g.status, ...(g.suppressed ? { suppressed: { reason: '', source: 'server' } } : {}) } as Finding
    for (let i = 0; i < Number(g.n); i++) findings.push(stand)
  }
  const checks = await checksOf(store, latest.map((l) => l.id))
  const controls = latest.length ? rollupControls(findings, checks) : []
  const hipaa = controls.filter((c) => c.framework === 'hipaa').map((c) => ({ id: c.id, title: c.title, status: c.status, pass: c.counts.pass, fail: c.counts.fail + c.counts.error, manual: c.counts.manual, suppressed: c.counts.suppressed }))
  const csfFunctions = (Object.keys(CSF_FUNCTION_NAMES) as (keyof typeof CSF_FUNCTION_NAMES)[]).map((id) => {
    const row = { id, name: CSF_FUNCTION_NAMES[id], pass: 0, fail: 0, manual: 0 }
    for (const c of controls) {
      if (c.framework !== 'csf' || !c.id.startsWith(`${id}.`)) continue
      row.pass += c.counts.pass
      row.fail += c.counts.fail + c.counts.error
      row.manual += c.counts.manual
    }
    return row
  })
  const trend = trendRows.reverse().map((r) => {
    const t = tallyFor(r.summary, team)
    return { scanId: r.id, source: r.source_name, at: iso(r.received_at), pass: t.findings.pass, fail: t.findings.fail + t.findings.error, manual: t.findings.manual }
  })
  const latestAt = latest.map((l) => iso(l.received_at)).sort().at(-1) ?? null
  return { latestScanAt: latestAt, totals: { resources: Number(resources[0]?.n ?? 0), phiResources: Number(resources[0]?.phi ?? 0), failing, bySeverity }, hipaa, csfFunctions, trend }
}
