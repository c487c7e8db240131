import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { PhiwallError } from '../model/index.js'
import { assertCan } from './authz.js'
import { newRouter } from './router.js'
import type { AppEnv, Principal, ServerContext } from './types.js'

const AuditEventSchema = z
  .object({
    seq: z.number().int(),
    at: z.string(),
    actor: z.string(),
    action: z.string(),
    target: z.string(),
    payload: z.unknown(),
    payloadDigest: z.string(),
    prevHash: z.string(),
    hash: z.string(),
  })
  .openapi('AuditEvent')

const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string(), field: z.string().optional(), requestId: z.string().optional() }) })
const errors = {
  400: { description: 'Invalid query (`field` names it)', content: { 'application/json': { schema: ErrorBody } } },
  401: { description: 'Not signed in', content: { 'application/json': { schema: ErrorBody } } },
  403: { description: 'Only admins and auditors read the audit trail', content: { 'application/json': { schema: ErrorBody } } },
}

/** Admins and auditors (sessions, or tokens with `read` of such an owner) read the audit trail. */
function assertAuditReader(c: Context<AppEnv>): Principal {
  const p = assertCan(c, 'read')
  if (p.role !== 'admin' && p.role !== 'auditor') throw new PhiwallError('PW_ERR_FORBIDDEN', `Your role (${p.role}) does not allow reading the audit trail.`)
  return p
}

/** `GET /audit` (newest first, paged by `beforeSeq`) and `GET /audit/verify`, for admins and auditors. */
export function auditRoutes(ctx: ServerContext): OpenAPIHono<AppEnv> {
  const r = newRouter()
  r.openapi(
    createRoute({
      method: 'get',
      path: '/audit',
      tags: ['audit'],
      summary: 'Audit trail entries, newest first',
      request: {
        query: z.object({
          limit: z.coerce.number().int().min(1).max(500).default(50),
          beforeSeq: z.coerce.number().int().min(1).optional().openapi({ description: 'Entries with seq below this (the previous answer\'s nextCursor)' }),
          actor: z.string().min(1).max(500).optional().openapi({ description: 'Exact actor, e.g. user:alice' }),
          action: z.string().min(1).max(200).optional().openapi({ description: 'Action prefix, e.g. user.login' }),
        }),
      },
      responses: {
        200: { description: 'A page of entries', content: { 'application/json': { schema: z.object({ items: z.array(AuditEventSchema), nextCursor: z.string().nullable() }) } } },
        ...errors,
      },
    }),
    async (c) => {
      assertAuditReader(c)
      const q = c.req.valid('query')
      const rows = await ctx.audit.list({ limit: q.limit + 1, beforeSeq: q.beforeSeq, actor: q.actor, action: q.action })
      const items = rows.slice(0, q.limit)
      const nextCursor = rows.length > q.limit ? String(items[items.length - 1]!.seq) : null
      return c.json({ items, nextCursor }, 200)
    },
  )
  r.openapi(
    createRoute({
      method: 'get',
      path: '/audit/verify',
      tags: ['audit'],
      summary: 'Re-computes the hash chain of the whole audit trail',
      responses: {
        200: {
          description: 'The verdict; `head` is the hash to anchor elsewhere',
          content: { 'application/json': { schema: z.object({ ok: z.boolean(), count: z.number().int(), head: z.string().nullable(), brokenAt: z.object({ seq: z.number().int(), reason: z.string() }).optional() }) } },
        },
        ...errors,
      },
    }),
    async (c) => {
      assertAuditReader(c)
      return c.json(await ctx.audit.verify(), 200)
    },
  )
  return r
}
