import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi'
import type { FlowEvidence } from '../../flows/index.js'
import { PhiwallError } from '../../model/index.js'
import { actorOf, assertCan, visibleTeam, requirePermission } from '../authz.js'
import { FieldError } from '../router.js'
import type { AppEnv, ServerContext } from '../types.js'
import type { InventorySource } from './routes-ingest.js'
import { ERRORS, alertRowSchema, jsonBody, jsonResponse, listQuery } from './schemas.js'
import { auditTarget, decodeCursor, encodeCursor, teamWorkloads } from './scope.js'

type AlertRow = z.infer<typeof alertRowSchema>

interface AlertDb {
  id: string
  key: string
  type: AlertRow['type']
  severity: AlertRow['severity']
  workload: string
  edge_key: string
  mode: string
  message: string
  suggestion: string
  count: number
  first_seen: number
  last_seen: number
  evidence: FlowEvidence[]
  state: AlertRow['state']
  ack_by: string | null
  ack_at: Date | string | null
  ack_note: string | null
}

const ALERT_COLUMNS = 'id, key, type, severity, workload, edge_key, mode, message, suggestion, count, first_seen, last_seen, evidence, state, ack_by, ack_at, ack_note'

function alertRow(a: AlertDb): AlertRow {
  return {
    id: a.id,
    type: a.type,
    severity: a.severity,
    workload: a.workload,
    key: a.key,
    edgeKey: a.edge_key,
    mode: a.mode,
    message: a.message,
    count: Number(a.count),
    firstSeen: new Date(Number(a.first_seen)).toISOString(),
    lastSeen: new Date(Number(a.last_seen)).toISOString(),
    state: a.state,
    suggestion: a.suggestion,
    evidence: a.evidence,
    acknowledged: a.ack_by && a.ack_at ? { by: a.ack_by, at: new Date(a.ack_at).toISOString(), note: a.ack_note } : null,
  }
}

/** GET /alerts and POST /alerts/{id}/ack. */
export function registerAlertRoutes(r: OpenAPIHono<AppEnv>, ctx: ServerContext, inventoryOf: InventorySource): void {
  r.openapi(
    createRoute({
      method: 'get',
      middleware: [requirePermission('read')] as const,
      path: '/alerts',
      tags: ['Segmentation'],
      summary: 'Deviation alerts, grouped by key, newest first',
      request: {
        query: z.object({
          state: z.enum(['open', 'acknowledged', 'resolved']).optional(),
          type: z.enum(['new-edge', 'new-port', 'new-external-destination', 'unknown-binary', 'phi-internet-egress', 'denied-edge']).optional(),
          ...listQuery,
        }),
      },
      responses: {
        200: jsonResponse(z.object({ items: z.array(alertRowSchema), total: z.number().int(), nextCursor: z.string().nullable() }), 'Alerts'),
        400: ERRORS[400],
        401: ERRORS[401],
        403: ERRORS[403],
      },
    }),
    async (c) => {
      const principal = assertCan(c, 'read')
      const q = c.req.valid('query')
      const where: string[] = []
      const params: unknown[] = []
      const p = (v: unknown): string => {
        params.push(v)
        return `$${params.length}`
      }
      if (q.state) where.push(`state = ${p(q.state)}`)
      if (q.type) where.push(`type = ${p(q.type)}`)
      const team = visibleTeam(principal)
      if (team !== null) where.push(`workload IN (SELECT jsonb_array_elements_text(${p(JSON.stringify([...teamWorkloads(await inventoryOf(ctx), team)]))}::jsonb))`)
      const filter = where.length ? `WHERE ${where.join(' AND ')}` : ''
      const total = Number((await ctx.store.query<{ n: number }>(`SELECT count(*)::int AS n FROM flow_alerts ${filter}`, params))[0]?.n ?? 0)
      const after = decodeCursor(q.cursor)
      if (q.cursor && (!after || typeof after[0] !== 'number' || typeof after[1] !== 'string')) throw new FieldError('cursor', 'cursor: not a cursor of this list.')
      const page = [...where, ...(after ? [`(last_seen < ${p(after[0])} OR (last_seen = $${params.length} AND id > ${p(after[1])}))`] : [])]
      const rows = await ctx.store.query<AlertDb>(`SELECT ${ALERT_COLUMNS} FROM flow_alerts ${page.length ? `WHERE ${page.join(' AND ')}` : ''} ORDER BY last_seen DESC, id LIMIT ${p(q.limit + 1)}`, params)
      const items = rows.slice(0, q.limit)
      const last = items.at(-1)
      return c.json({ items: items.map(alertRow), total, nextCursor: rows.length > q.limit && last ? encodeCursor([Number(last.last_seen), last.id]) : null }, 200)
    },
  )

  r.openapi(
    createRoute({
      method: 'post',
      middleware: [requirePermission('write')] as const,
      path: '/alerts/{id}/ack',
      tags: ['Segmentation'],
      summary: 'Acknowledge an alert (it keeps counting repeats)',
      request: { params: z.object({ id: z.string().min(1).max(100) }), ...jsonBody(z.object({ note: z.string().trim().max(2000).optional() })) },
      responses: { 200: jsonResponse(z.object({ alert: alertRowSchema }), 'Acknowledged'), 400: ERRORS[400], 401: ERRORS[401], 403: ERRORS[403], 404: ERRORS[404], 409: ERRORS[409] },
    }),
    async (c) => {
      const principal = assertCan(c, 'write')
      const { id } = c.req.valid('param')
      const { note } = c.req.valid('json')
      const now = ctx.clock().toISOString()
      return ctx.store.transaction(async (tx) => {
        const rows = await tx.query<AlertDb>(`SELECT ${ALERT_COLUMNS} FROM flow_alerts WHERE id = $1 FOR UPDATE`, [id])
        const before = rows[0]
        if (!before) throw new PhiwallError('PW_ERR_NOT_FOUND', `Alert ${id} does not exist.`)
        if (before.state === 'resolved') throw new PhiwallError('PW_ERR_CONFLICT', `Alert ${id} is already resolved.`)
        const updated = await tx.query<AlertDb>(`UPDATE flow_alerts SET state = 'acknowledged', ack_by = $2, ack_at = $3, ack_note = $4, updated_at = $3 WHERE id = $1 RETURNING ${ALERT_COLUMNS}`, [id, principal.username, now, note ?? null])
        await ctx.audit.append({ actor: actorOf(principal), action: 'alert.ack', target: auditTarget(`alert:${id}`), payload: { type: before.type, workload: before.workload, key: before.key, ...(note ? { note } : {}) } }, tx)
        return c.json({ alert: alertRow(updated[0]!) }, 200)
      })
    },
  )
}
