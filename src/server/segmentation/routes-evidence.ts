import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi'
import { actorOf, assertCan, requirePermission } from '../authz.js'
import { FieldError } from '../router.js'
import type { AppEnv, ServerContext } from '../types.js'
import { ERRORS, jsonBody, jsonResponse, listQuery, sha256Schema, uploadIdSchema } from './schemas.js'
import { auditTarget, decodeCursor, encodeCursor } from './scope.js'

/** `maskValue` of src/model: `****(<length> chars, fp <8 hex>)`. */
const CANONICAL_MASK = /^\*{4}\(\d+ chars, fp [0-9a-f]{8}\)$/

/**
 * Is a finding's `masked` field really masked? The scanner's own form always is; anything else
 * must not hold a run of 4 or more digits (an MRN, phone or SSN) nor an e-mail address —
 * defence in depth against a report built by hand or by a broken tool.
 */
export function isMasked(v: string): boolean {
  if (CANONICAL_MASK.test(v)) return true
  return !/\d{4,}/.test(v) && !/@/.test(v)
}

const manifestSchema = z
  .looseObject({
    name: z.string().max(200).optional(),
    commit: z.string().max(100).optional(),
    builtAt: z.string().max(64).optional(),
    artifacts: z
      .array(z.looseObject({ path: z.string().min(1).max(4096), sha256: sha256Schema, size: z.number().int().min(0).optional() }))
      .min(1)
      .max(100_000),
  })
  .openapi('FingerprintManifest')

const phiReportSchema = z
  .looseObject({
    files: z.array(z.looseObject({ file: z.string().min(1).max(4096), status: z.enum(['scanned', 'skipped', 'error']), containsPhi: z.boolean() })).max(1_000_000),
    findings: z
      .array(
        z.looseObject({
          type: z.string().regex(/^[A-Z][A-Z0-9_]{0,63}$/, 'expected a PHI type such as SSN or MRN'),
          file: z.string().min(1).max(4096),
          line: z.number().int().min(1),
          column: z.number().int().min(1),
          length: z.number().int().min(0),
          confidence: z.number().min(0).max(1),
          masked: z.string().max(200).refine(isMasked, 'not masked: it holds a run of 4+ digits or an e-mail address; send `phiwall phi scan --format json` output, which never holds values'),
        }),
      )
      .max(1_000_000),
  })
  .openapi('PhiScanReport')

const stored = z.object({ stored: z.boolean(), duplicate: z.boolean() })

const DUP = { stored: false, duplicate: true }
const NEW = { stored: true, duplicate: false }

/** POST /ingest/fingerprints, POST /ingest/phi, GET /fingerprints, GET /phi-evidence. */
export function registerEvidenceRoutes(r: OpenAPIHono<AppEnv>, ctx: ServerContext): void {
  r.openapi(
    createRoute({
      method: 'post',
      middleware: [requirePermission('ingest:fingerprints')] as const,
      path: '/ingest/fingerprints',
      tags: ['Segmentation'],
      summary: 'Store a CI fingerprint manifest (artifact paths and SHA-256); known binaries are not alerted as unknown',
      request: jsonBody(z.object({ uploadId: uploadIdSchema, manifest: manifestSchema })),
      responses: { 201: jsonResponse(stored, 'Stored'), 200: jsonResponse(stored, 'This uploadId was already stored'), 400: ERRORS[400], 401: ERRORS[401], 403: ERRORS[403] },
    }),
    async (c) => {
      const principal = assertCan(c, 'ingest:fingerprints')
      const { uploadId, manifest } = c.req.valid('json')
      const seen = new Set<string>()
      manifest.artifacts.forEach((a, i) => {
        if (seen.has(a.path)) throw new FieldError(`manifest.artifacts[${i}].path`, `manifest.artifacts[${i}].path: listed twice.`)
        seen.add(a.path)
      })
      const now = ctx.clock().toISOString()
      const isNew = await ctx.store.transaction(async (tx) => {
        const rows = await tx.query<{ upload_id: string }>(
          'INSERT INTO fingerprint_uploads (upload_id, name, commit_sha, built_at, manifest, artifacts, actor, received_at) VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8) ON CONFLICT (upload_id) DO NOTHING RETURNING upload_id',
          [uploadId, manifest.name ?? null, manifest.commit ?? null, manifest.builtAt ?? null, JSON.stringify(manifest), manifest.artifacts.length, actorOf(principal), now],
        )
        if (!rows.length) return false
        await tx.bulkInsert(
          'fingerprint_artifacts',
          [
            { name: 'upload_id', type: 'text' },
            { name: 'path', type: 'text' },
            { name: 'sha256', type: 'text' },
            { name: 'size', type: 'double precision' },
          ],
          manifest.artifacts.map((a) => [uploadId, a.path, a.sha256, a.size ?? null]),
        )
        await ctx.audit.append({ actor: actorOf(principal), action: 'fingerprints.ingest', target: `fingerprints:${uploadId}`, payload: { uploadId, name: manifest.name ?? null, commit: manifest.commit ?? null, artifacts: manifest.artifacts.length } }, tx)
        return true
      })
      return isNew ? c.json(NEW, 201) : c.json(DUP, 200)
    },
  )

  r.openapi(
    createRoute({
      method: 'post',
      middleware: [requirePermission('ingest:phi')] as const,
      path: '/ingest/phi',
      tags: ['Segmentation'],
      summary: 'Store a PHI scan report (`phiwall phi scan --format json`); findings must be masked',
      request: jsonBody(z.object({ uploadId: uploadIdSchema, target: z.string().min(1).max(500).optional(), report: phiReportSchema })),
      responses: { 201: jsonResponse(stored, 'Stored'), 200: jsonResponse(stored, 'This uploadId was already stored'), 400: ERRORS[400], 401: ERRORS[401], 403: ERRORS[403] },
    }),
    async (c) => {
      const principal = assertCan(c, 'ingest:phi')
      const { uploadId, target, report } = c.req.valid('json')
      const now = ctx.clock().toISOString()
      const withPhi = report.files.filter((f) => f.containsPhi).length
      const isNew = await ctx.store.transaction(async (tx) => {
        const rows = await tx.query<{ upload_id: string }>(
          'INSERT INTO phi_evidence (upload_id, target, report, files, files_with_phi, findings, actor, received_at) VALUES ($1, $2, $3::jsonb, $4, $5, $6, $7, $8) ON CONFLICT (upload_id) DO NOTHING RETURNING upload_id',
          [uploadId, target ?? null, JSON.stringify(report), report.files.length, withPhi, report.findings.length, actorOf(principal), now],
        )
        if (!rows.length) return false
        // a list, not an object keyed by type: audit payload keys are checked for secret names
        const counts = new Map<string, number>()
        for (const f of report.findings) counts.set(f.type, (counts.get(f.type) ?? 0) + 1)
        const byType = [...counts.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([type, count]) => ({ type, count }))
        await ctx.audit.append({ actor: actorOf(principal), action: 'phi.ingest', target: auditTarget(target ? `target:${target}` : `phi:${uploadId}`), payload: { uploadId, files: report.files.length, filesWithPhi: withPhi, findings: report.findings.length, byType } }, tx)
        return true
      })
      return isNew ? c.json(NEW, 201) : c.json(DUP, 200)
    },
  )

  const page = (q: { cursor?: string | undefined }): [string, string] | undefined => {
    const after = decodeCursor(q.cursor)
    if (q.cursor && (!after || typeof after[0] !== 'string' || typeof after[1] !== 'string')) throw new FieldError('cursor', 'cursor: not a cursor of this list.')
    return after ? [after[0] as string, after[1] as string] : undefined
  }

  r.openapi(
    createRoute({
      method: 'get',
      middleware: [requirePermission('read')] as const,
      path: '/fingerprints',
      tags: ['Segmentation'],
      summary: 'Stored fingerprint manifests, newest first',
      request: { query: z.object(listQuery) },
      responses: {
        200: jsonResponse(z.object({ items: z.array(z.object({ uploadId: z.string(), name: z.string().nullable(), commit: z.string().nullable(), builtAt: z.string().nullable(), artifacts: z.number().int(), by: z.string(), receivedAt: z.string() })), total: z.number().int(), nextCursor: z.string().nullable() }), 'Manifests'),
        400: ERRORS[400],
        401: ERRORS[401],
        403: ERRORS[403],
      },
    }),
    async (c) => {
      assertCan(c, 'read')
      const q = c.req.valid('query')
      const after = page(q)
      const total = Number((await ctx.store.query<{ n: number }>('SELECT count(*)::int AS n FROM fingerprint_uploads'))[0]?.n ?? 0)
      const rows = await ctx.store.query<{ upload_id: string; name: string | null; commit_sha: string | null; built_at: string | null; artifacts: number; actor: string; received_at: Date | string }>(
        `SELECT upload_id, name, commit_sha, built_at, artifacts, actor, received_at FROM fingerprint_uploads ${after ? 'WHERE (received_at < $2::timestamptz OR (received_at = $2::timestamptz AND upload_id > $3))' : ''} ORDER BY received_at DESC, upload_id LIMIT $1`,
        after ? [q.limit + 1, after[0], after[1]] : [q.limit + 1],
      )
      const items = rows.slice(0, q.limit).map((r) => ({ uploadId: r.upload_id, name: r.name, commit: r.commit_sha, builtAt: r.built_at, artifacts: Number(r.artifacts), by: r.actor, receivedAt: new Date(r.received_at).toISOString() }))
      const last = items.at(-1)
      return c.json({ items, total, nextCursor: rows.length > q.limit && last ? encodeCursor([last.receivedAt, last.uploadId]) : null }, 200)
    },
  )

  r.openapi(
    createRoute({
      method: 'get',
      middleware: [requirePermission('read')] as const,
      path: '/phi-evidence',
      tags: ['Segmentation'],
      summary: 'Stored PHI scan reports, newest first (summaries; findings are masked)',
      request: { query: z.object(listQuery) },
      responses: {
        200: jsonResponse(
          z.object({ items: z.array(z.object({ uploadId: z.string(), target: z.string().nullable(), files: z.number().int(), filesWithPhi: z.number().int(), findings: z.number().int(), byType: z.record(z.string(), z.number()), by: z.string(), receivedAt: z.string() })), total: z.number().int(), nextCursor: z.string().nullable() }),
          'Reports',
        ),
        400: ERRORS[400],
        401: ERRORS[401],
        403: ERRORS[403],
      },
    }),
    async (c) => {
      assertCan(c, 'read')
      const q = c.req.valid('query')
      const after = page(q)
      const total = Number((await ctx.store.query<{ n: number }>('SELECT count(*)::int AS n FROM phi_evidence'))[0]?.n ?? 0)
      const rows = await ctx.store.query<{ upload_id: string; target: string | null; files: number; files_with_phi: number; findings: number; by_type: Record<string, number> | null; actor: string; received_at: Date | string }>(
        `SELECT upload_id, target, files, files_with_phi, findings, actor, received_at,
           (SELECT jsonb_object_agg(t, n) FROM (SELECT f->>'type' AS t, count(*)::int AS n FROM jsonb_array_elements(report->'findings') AS x(f) GROUP BY 1) s) AS by_type
         FROM phi_evidence ${after ? 'WHERE (received_at < $2::timestamptz OR (received_at = $2::timestamptz AND upload_id > $3))' : ''} ORDER BY received_at DESC, upload_id LIMIT $1`,
        after ? [q.limit + 1, after[0], after[1]] : [q.limit + 1],
      )
      const items = rows.slice(0, q.limit).map((r) => ({ uploadId: r.upload_id, target: r.target, files: Number(r.files), filesWithPhi: Number(r.files_with_phi), findings: Number(r.findings), byType: r.by_type ?? {}, by: r.actor, receivedAt: new Date(r.received_at).toISOString() }))
      const last = items.at(-1)
      return c.json({ items, total, nextCursor: rows.length > q.limit && last ? encodeCursor([last.receivedAt, last.uploadId]) : null }, 200)
    },
  )
}
