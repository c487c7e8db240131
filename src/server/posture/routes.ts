import fs from 'node:fs'
import path from 'node:path'
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi'
import type { MiddlewareHandler } from 'hono'
import { PhiwallError, SEVERITIES } from '../../model/index.js'
import { buildTopology, topologyJson } from '../../topology/index.js'
import { actorOf, principalOf, requirePermission, visibleTeam } from '../authz.js'
import { FieldError, newRouter } from '../router.js'
import type { AppEnv, Principal, ServerContext } from '../types.js'
import { bumpVersion, cached, cachedJson, touchVersion } from './cache.js'
import { ingestScan, newId, withIngestGate } from './ingest.js'
import { inventoryOfTeam, latestInventory, reportScan } from './inventory.js'
import { getFinding, type Memo, listFindings, listResources, listScans, listVulnerabilities, postureOverview } from './queries.js'
import { renderServerReport, SERVER_REPORT_FORMATS } from './reports.js'
import { drainJobs, enqueueJob, getJob, listSources, sourceRow } from './scheduler.js'
import {
  ErrorSchema,
  FindingRowSchema,
  JobRowSchema,
  listOf,
  pageQuery,
  PostureSchema,
  ResourceRowSchema,
  ScanSummarySchema,
  scanUploadSchema,
  SourceRowSchema,
  VulnerabilityRowSchema,
} from './schemas.js'

const MAX_SUPPRESSION_MS = 366 * 24 * 3600_000
const FINDING_STATUSES = ['pass', 'fail', 'manual', 'error'] as const

const errors = (...codes: number[]) => Object.fromEntries(codes.map((c) => [c, { description: 'Error', content: { 'application/json': { schema: ErrorSchema } } }]))
const jsonBody = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } })

/** A comma-separated list parameter, each value one of `allowed`; 400 naming the parameter otherwise. */
function listParam(value: string | undefined, allowed: readonly string[], field: string): string[] | undefined {
  if (value === undefined || value === '') return undefined
  const values = value.split(',').map((v) => v.trim()).filter(Boolean)
  const bad = values.find((v) => !allowed.includes(v))
  if (bad !== undefined) throw new FieldError(field, `${field}: ${JSON.stringify(bad)} is not one of ${allowed.join(', ')}.`)
  return values
}

const tag = ['Posture']
const text = (max: number, name: string) => z.string().max(max).optional().openapi({ param: { name, in: 'query' } })

/**
 * The posture routes (docs/api.md "Posture"): scan ingest, scan history, posture overview,
 * findings and suppressions, resources, topology, vulnerabilities, reports, scheduled rescans.
 *
 * @example
 * app.route('/api/v1', postureRoutes(ctx))
 */
export function postureRoutes(ctx: ServerContext): OpenAPIHono<AppEnv> {
  const r = newRouter()
  const gate: MiddlewareHandler<AppEnv> = (_c, next) => withIngestGate(ctx, () => next())
  // answers are cached per posture version unless the server was started with the cache off (`--no-answer-cache`)
  const useCache = ctx.config.answerCache !== false
  const memo = (now: Date): Memo => (key, compute) => (useCache ? cached(ctx.store, now, key, compute) : compute())
  const cj: typeof cachedJson = (store, now, key, compute) =>
    useCache ? cachedJson(store, now, key, compute) : compute().then((v) => new Response(JSON.stringify(v), { status: 200, headers: { 'Content-Type': 'application/json' } }))

  r.openapi(
    createRoute({
      method: 'post',
      path: '/scans',
      tags: tag,
      summary: 'Upload a scan result (idempotent by uploadId)',
      middleware: [requirePermission('ingest:scans'), gate] as const,
      request: { body: { required: true, content: { 'application/json': { schema: scanUploadSchema } } } },
      responses: {
        201: jsonBody(z.object({ scanId: z.string(), duplicate: z.literal(false) }), 'Stored'),
        200: jsonBody(z.object({ scanId: z.string(), duplicate: z.literal(true) }), 'Already stored'),
        ...errors(400, 401, 403, 413, 503),
      },
    }),
    async (c) => {
      const principal = principalOf(c)
      const outcome = await ingestScan(ctx, c.req.valid('json'), actorOf(principal))
      if (outcome.duplicate) return c.json({ scanId: outcome.scanId, duplicate: true as const }, 200)
      return c.json({ scanId: outcome.scanId, duplicate: false as const }, 201)
    },
  )

  r.openapi(
    createRoute({
      method: 'get',
      path: '/scans',
      tags: tag,
      summary: 'Scan history, newest first',
      middleware: [requirePermission('read')] as const,
      request: { query: z.object({ ...pageQuery, source: text(200, 'source') }) },
      responses: { 200: jsonBody(listOf(ScanSummarySchema, 'ScanList'), 'Scans'), ...errors(400, 401, 403) },
    }),
    async (c) => {
      const q = c.req.valid('query')
      const team = visibleTeam(principalOf(c))
      return (await cj(ctx.store, ctx.clock(), `scans\u0000${JSON.stringify([team, q])}`, () => listScans(ctx.store, team, q.limit, q.cursor, q.source))) as never
    },
  )

  r.openapi(
    createRoute({
      method: 'get',
      path: '/posture',
      tags: tag,
      summary: 'Posture overview of the latest scans',
      middleware: [requirePermission('read')] as const,
      responses: { 200: jsonBody(PostureSchema, 'Posture'), ...errors(401, 403) },
    }),
    async (c) => {
      const team = visibleTeam(principalOf(c))
      const now = ctx.clock()
      return (await cj(ctx.store, now, `posture\u0000${team}`, () => postureOverview(ctx.store, now, team))) as never
    },
  )

  r.openapi(
    createRoute({
      method: 'get',
      path: '/findings',
      tags: tag,
      summary: 'Findings of the latest scan of each source',
      middleware: [requirePermission('read')] as const,
      request: {
        query: z.object({
          ...pageQuery,
          severity: text(100, 'severity').openapi({ description: 'One or more of critical,high,medium,low,info (comma-separated).' }),
          status: text(100, 'status').openapi({ description: 'One or more of fail,pass,manual,error (comma-separated).' }),
          checkId: text(300, 'checkId'),
          resourceId: text(4096, 'resourceId'),
          environment: text(50, 'environment'),
          q: text(200, 'q'),
        }),
      },
      responses: { 200: jsonBody(listOf(FindingRowSchema, 'FindingList'), 'Findings'), ...errors(400, 401, 403) },
    }),
    async (c) => {
      const q = c.req.valid('query')
      const filter = {
        severity: listParam(q.severity, SEVERITIES, 'severity'),
        status: listParam(q.status, FINDING_STATUSES, 'status'),
        checkId: q.checkId || undefined,
        resourceId: q.resourceId || undefined,
        environment: q.environment || undefined,
        q: q.q || undefined,
        team: visibleTeam(principalOf(c)),
      }
      const now = ctx.clock()
      return (await cj(ctx.store, now, `findings\u0000${JSON.stringify([filter, q.limit, q.cursor ?? null])}`, () => listFindings(ctx.store, now, filter, q.limit, q.cursor, memo(now)))) as never
    },
  )

  const findingParams = z.object({ id: z.string().regex(/^[0-9a-f]{32}$/, 'id: a finding id (32 hex characters)').openapi({ param: { name: 'id', in: 'path' } }) })
  const findingResponse = jsonBody(z.object({ finding: FindingRowSchema }), 'The finding')

  r.openapi(
    createRoute({
      method: 'post',
      path: '/findings/{id}/suppress',
      tags: tag,
      summary: 'Suppress a failing finding until a date (survives rescans); audited',
      middleware: [requirePermission('write')] as const,
      request: {
        params: findingParams,
        body: { required: true, content: { 'application/json': { schema: z.object({ reason: z.string().trim().min(10, 'reason: at least 10 characters').max(2000), expiresAt: z.iso.datetime({ offset: true }) }) } } },
      },
      responses: { 200: findingResponse, ...errors(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const principal = principalOf(c)
      const { id } = c.req.valid('param')
      const body = c.req.valid('json')
      const now = ctx.clock()
      const expires = new Date(body.expiresAt)
      if (expires.getTime() <= now.getTime()) throw new FieldError('expiresAt', 'expiresAt: must be in the future.')
      if (expires.getTime() - now.getTime() > MAX_SUPPRESSION_MS) throw new FieldError('expiresAt', 'expiresAt: at most one year from now; review the finding again then.')
      const finding = await visibleFinding(ctx, principal, id)
      if (finding.status !== 'fail') throw new PhiwallError('PW_ERR_CONFLICT', `Finding ${id} is ${finding.status}; only failing findings can be suppressed.`)
      const actor = actorOf(principal)
      await ctx.store.transaction(async (tx) => {
        await tx.query(
          `INSERT INTO posture_suppressions (finding_key, reason, expires_at, by_actor, at) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (finding_key) DO UPDATE SET reason = excluded.reason, expires_at = excluded.expires_at, by_actor = excluded.by_actor, at = excluded.at`,
          [id, body.reason, expires.toISOString(), actor, now.toISOString()],
        )
        await bumpVersion(ctx.store, tx)
        await ctx.audit.append({ actor, action: 'finding.suppress', target: `finding:${id}`, payload: { reason: body.reason, expiresAt: expires.toISOString(), checkId: finding.checkId, resourceId: finding.resourceId, source: finding.source } }, tx)
      })
      touchVersion(ctx.store)
      return c.json({ finding: await visibleFinding(ctx, principal, id) }, 200)
    },
  )

  r.openapi(
    createRoute({
      method: 'delete',
      path: '/findings/{id}/suppress',
      tags: tag,
      summary: "Remove a finding's suppression; audited",
      middleware: [requirePermission('write')] as const,
      request: { params: findingParams },
      responses: { 200: findingResponse, ...errors(400, 401, 403, 404) },
    }),
    async (c) => {
      const principal = principalOf(c)
      const { id } = c.req.valid('param')
      const finding = await visibleFinding(ctx, principal, id)
      const actor = actorOf(principal)
      await ctx.store.transaction(async (tx) => {
        const removed = await tx.query<{ reason: string }>('DELETE FROM posture_suppressions WHERE finding_key = $1 RETURNING reason', [id])
        if (!removed[0]) throw new PhiwallError('PW_ERR_NOT_FOUND', `Finding ${id} has no suppression set on the server.`)
        await bumpVersion(ctx.store, tx)
        await ctx.audit.append({ actor, action: 'finding.unsuppress', target: `finding:${id}`, payload: { reason: removed[0].reason, checkId: finding.checkId, resourceId: finding.resourceId, source: finding.source } }, tx)
      })
      touchVersion(ctx.store)
      return c.json({ finding: await visibleFinding(ctx, principal, id) }, 200)
    },
  )

  r.openapi(
    createRoute({
      method: 'get',
      path: '/resources',
      tags: tag,
      summary: 'Resources of the latest scan of each source',
      middleware: [requirePermission('read')] as const,
      request: {
        query: z.object({
          ...pageQuery,
          environment: text(50, 'environment'),
          team: text(200, 'team'),
          phi: z.enum(['yes', 'no', 'unknown']).optional().openapi({ param: { name: 'phi', in: 'query' } }),
          kind: text(200, 'kind'),
          q: text(200, 'q'),
        }),
      },
      responses: { 200: jsonBody(listOf(ResourceRowSchema, 'ResourceList'), 'Resources'), ...errors(400, 401, 403) },
    }),
    async (c) => {
      const q = c.req.valid('query')
      const filter = { environment: q.environment || undefined, team: q.team || undefined, phi: q.phi, kind: q.kind || undefined, q: q.q || undefined, visible: visibleTeam(principalOf(c)) }
      const now = ctx.clock()
      return (await cj(ctx.store, now, `resources\u0000${JSON.stringify([filter, q.limit, q.cursor ?? null])}`, () => listResources(ctx.store, now, filter, q.limit, q.cursor, memo(now)))) as never
    },
  )

  r.openapi(
    createRoute({
      method: 'get',
      path: '/topology',
      tags: tag,
      summary: 'Declared topology of the latest scans (as `phiwall topology --format json`)',
      middleware: [requirePermission('read')] as const,
      responses: {
        200: jsonBody(z.object({ schemaVersion: z.string(), nodes: z.array(z.looseObject({ id: z.string(), kind: z.string(), name: z.string() })), edges: z.array(z.looseObject({ from: z.string(), to: z.string(), kind: z.string() })) }).openapi('Topology'), 'Topology'),
        ...errors(401, 403),
      },
    }),
    async (c) => {
      const team = visibleTeam(principalOf(c))
      const now = ctx.clock()
      return (await cj(ctx.store, now, `topology\u0000${team}`, async () => JSON.parse(topologyJson(buildTopology(inventoryOfTeam(await latestInventory(ctx), team)))) as unknown)) as never
    },
  )

  r.openapi(
    createRoute({
      method: 'get',
      path: '/vulnerabilities',
      tags: tag,
      summary: 'Known vulnerabilities of the components of the latest scans',
      middleware: [requirePermission('read')] as const,
      request: { query: z.object({ ...pageQuery, severity: text(100, 'severity') }) },
      responses: { 200: jsonBody(listOf(VulnerabilityRowSchema, 'VulnerabilityList'), 'Vulnerabilities'), ...errors(400, 401, 403) },
    }),
    async (c) => {
      const q = c.req.valid('query')
      const filter = { severity: listParam(q.severity, SEVERITIES, 'severity'), team: visibleTeam(principalOf(c)) }
      return (await cj(ctx.store, ctx.clock(), `vulns\u0000${JSON.stringify([filter, q.limit, q.cursor ?? null])}`, () => listVulnerabilities(ctx.store, filter, q.limit, q.cursor))) as never
    },
  )

  r.openapi(
    createRoute({
      method: 'get',
      path: '/reports/latest',
      tags: tag,
      summary: 'Report of the latest scan as a file (bundle: a zip of every format with the audit trail)',
      middleware: [requirePermission('export')] as const,
      request: { query: z.object({ format: z.enum(SERVER_REPORT_FORMATS).default('html').openapi({ param: { name: 'format', in: 'query' } }), source: text(200, 'source') }) },
      responses: {
        200: { description: 'The report file (Content-Disposition: attachment)', content: { 'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) } } },
        ...errors(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const principal = principalOf(c)
      const q = c.req.valid('query')
      const scan = await reportScan(ctx, q.source || undefined)
      if (!scan) throw new PhiwallError('PW_ERR_NOT_FOUND', q.source ? `No stored scan of source ${q.source}.` : 'No scan has been uploaded yet.')
      const team = visibleTeam(principal)
      const file = await renderServerReport(ctx, scan, q.format, team, team === null)
      c.header('Content-Type', file.mediaType)
      c.header('Content-Disposition', `attachment; filename="${file.filename}"`)
      c.header('X-Content-Type-Options', 'nosniff')
      return c.body(typeof file.body === 'string' ? file.body : (file.body as Uint8Array<ArrayBuffer>), 200) as never
    },
  )

  r.openapi(
    createRoute({
      method: 'get',
      path: '/sources',
      tags: tag,
      summary: 'Scheduled rescans',
      middleware: [requirePermission('read')] as const,
      responses: { 200: jsonBody(z.object({ items: z.array(SourceRowSchema) }), 'Sources'), ...errors(401, 403) },
    }),
    async (c) => {
      const p = principalOf(c)
      // paths on the server are for those who manage scanning, not for app teams
      if (visibleTeam(p) !== null) return c.json({ items: [] }, 200)
      return c.json({ items: await listSources(ctx) }, 200)
    },
  )

  r.openapi(
    createRoute({
      method: 'post',
      path: '/sources',
      tags: tag,
      summary: 'Schedule rescans of a path on the server; audited',
      middleware: [requirePermission('write')] as const,
      request: {
        body: {
          required: true,
          content: { 'application/json': { schema: z.object({ name: z.string().trim().min(1).max(200), path: z.string().min(1).max(4096), intervalMinutes: z.number().int().min(5).max(10080) }) } },
        },
      },
      responses: { 201: jsonBody(z.object({ source: SourceRowSchema }), 'Created'), ...errors(400, 401, 403, 409) },
    }),
    async (c) => {
      const principal = principalOf(c)
      const body = c.req.valid('json')
      if (!path.isAbsolute(body.path)) throw new FieldError('path', 'path: must be an absolute path on the server.')
      if (!fs.existsSync(body.path)) throw new FieldError('path', 'path: does not exist on the server.')
      const now = ctx.clock().toISOString()
      const actor = actorOf(principal)
      const id = newId('src')
      const source = await ctx.store.transaction(async (tx) => {
        const rows = await tx.query<Parameters<typeof sourceRow>[0]>(
          `INSERT INTO posture_sources (id, name, path, interval_minutes, created_at, created_by, next_run_at) VALUES ($1, $2, $3, $4, $5, $6, $5)
           ON CONFLICT (name) DO NOTHING RETURNING id, name, path, interval_minutes, last_run_at, last_status, next_run_at`,
          [id, body.name, path.resolve(body.path), body.intervalMinutes, now, actor],
        )
        if (!rows[0]) throw new PhiwallError('PW_ERR_CONFLICT', `A source named ${body.name} already exists.`)
        await ctx.audit.append({ actor, action: 'source.create', target: `source:${id}`, payload: { name: body.name, path: path.resolve(body.path), intervalMinutes: body.intervalMinutes } }, tx)
        return sourceRow(rows[0])
      })
      return c.json({ source }, 201)
    },
  )

  const sourceParams = z.object({ id: z.string().min(1).max(100).openapi({ param: { name: 'id', in: 'path' } }) })

  r.openapi(
    createRoute({
      method: 'delete',
      path: '/sources/{id}',
      tags: tag,
      summary: 'Stop scheduled rescans of a source (its scans stay); audited',
      middleware: [requirePermission('write')] as const,
      request: { params: sourceParams },
      responses: { 200: jsonBody(z.object({ ok: z.literal(true) }), 'Deleted'), ...errors(401, 403, 404) },
    }),
    async (c) => {
      const actor = actorOf(principalOf(c))
      const { id } = c.req.valid('param')
      await ctx.store.transaction(async (tx) => {
        const rows = await tx.query<{ name: string }>('DELETE FROM posture_sources WHERE id = $1 RETURNING name', [id])
        if (!rows[0]) throw new PhiwallError('PW_ERR_NOT_FOUND', `No source ${id}.`)
        await tx.query(`UPDATE posture_jobs SET state = 'failed', progress = 1, message = 'Source deleted before the job ran.', finished_at = $2 WHERE source_id = $1 AND state = 'queued'`, [id, ctx.clock().toISOString()])
        await ctx.audit.append({ actor, action: 'source.delete', target: `source:${id}`, payload: { name: rows[0].name } }, tx)
      })
      return c.json({ ok: true as const }, 200)
    },
  )

  r.openapi(
    createRoute({
      method: 'post',
      path: '/sources/{id}/run',
      tags: tag,
      summary: 'Rescan a source now; audited',
      middleware: [requirePermission('write')] as const,
      request: { params: sourceParams },
      responses: { 202: jsonBody(z.object({ jobId: z.string() }), 'Queued'), ...errors(401, 403, 404) },
    }),
    async (c) => {
      const actor = actorOf(principalOf(c))
      const { id } = c.req.valid('param')
      const jobId = await ctx.store.transaction(async (tx) => {
        const rows = await tx.query<{ id: string; name: string; path: string }>('SELECT id, name, path FROM posture_sources WHERE id = $1', [id])
        if (!rows[0]) throw new PhiwallError('PW_ERR_NOT_FOUND', `No source ${id}.`)
        const job = await enqueueJob(ctx, rows[0], tx)
        await ctx.audit.append({ actor, action: 'source.run', target: `source:${id}`, payload: { name: rows[0].name, jobId: job } }, tx)
        return job
      })
      drainJobs(ctx).catch((err: unknown) => ctx.log(`posture jobs: ${err instanceof PhiwallError ? err.code : err instanceof Error ? err.name : 'error'}`))
      return c.json({ jobId }, 202)
    },
  )

  r.openapi(
    createRoute({
      method: 'get',
      path: '/jobs/{id}',
      tags: tag,
      summary: 'State and progress of a rescan job',
      middleware: [requirePermission('read')] as const,
      request: { params: sourceParams },
      responses: { 200: jsonBody(JobRowSchema, 'Job'), ...errors(401, 403, 404) },
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      const job = await getJob(ctx, id)
      if (!job) throw new PhiwallError('PW_ERR_NOT_FOUND', `No job ${id}.`)
      return c.json(job, 200)
    },
  )

  return r
}

/** The current finding `id` as `principal` may see it, or 404. */
async function visibleFinding(ctx: ServerContext, principal: Principal, id: string) {
  const finding = await getFinding(ctx.store, ctx.clock(), id, visibleTeam(principal))
  if (!finding) throw new PhiwallError('PW_ERR_NOT_FOUND', `No current finding ${id}.`)
  return finding
}
