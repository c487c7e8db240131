import { randomUUID } from 'node:crypto'
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { PhiwallError } from '../../model/index.js'
import { actorOf, can, principalOf } from '../authz.js'
import { FieldError } from '../router.js'
import type { AppEnv, Permission, Principal, ServerContext, TokenScope } from '../types.js'
import { apiToken, type TokenRow } from './db.js'
import { forgetTokens } from './middleware.js'
import { errorResponses, jsonBody, jsonResponse, ScopeSchema, TokenSchema } from './schemas.js'
import { randomSecret, sha256 } from './secrets.js'

/** What each scope lets a token do (a token may only carry scopes its owner's role can use). */
const SCOPE_NEEDS: Record<TokenScope, Permission> = {
  read: 'read',
  'scans:write': 'ingest:scans',
  'flows:write': 'ingest:flows',
  'fingerprints:write': 'ingest:fingerprints',
  'phi:write': 'ingest:phi',
}

const TOKEN_SELECT = 'SELECT t.*, u.username AS owner FROM auth_tokens t JOIN auth_users u ON u.id = t.user_id'

/** The session principal of a request: tokens cannot list or mint tokens. */
function sessionPrincipal(c: Context<AppEnv>): Principal {
  const p = principalOf(c)
  if (p.kind !== 'session') throw new PhiwallError('PW_ERR_FORBIDDEN', 'API tokens are managed from a signed-in session.')
  return p
}

/** Registers the API token routes: list, create, revoke. */
export function registerTokenRoutes(r: OpenAPIHono<AppEnv>, ctx: ServerContext): void {
  r.openapi(
    createRoute({
      method: 'get',
      path: '/tokens',
      tags: ['tokens'],
      summary: "The caller's API tokens (an admin sees all)",
      responses: { 200: jsonResponse(z.object({ items: z.array(TokenSchema) }), 'Tokens, newest first'), ...errorResponses(401, 403) },
    }),
    async (c) => {
      const p = sessionPrincipal(c)
      const rows = p.role === 'admin'
        ? await ctx.store.query<TokenRow>(`${TOKEN_SELECT} ORDER BY t.created_at DESC, t.id`)
        : await ctx.store.query<TokenRow>(`${TOKEN_SELECT} WHERE t.user_id = $1 ORDER BY t.created_at DESC, t.id`, [p.userId])
      return c.json({ items: rows.map(apiToken) }, 200)
    },
  )

  r.openapi(
    createRoute({
      method: 'post',
      path: '/tokens',
      tags: ['tokens'],
      summary: 'Creates an API token; the secret is shown once',
      request: jsonBody(z.object({
        name: z.string().trim().min(1).max(100),
        scopes: z.array(ScopeSchema).min(1).max(10),
        expiresInDays: z.number().int().min(1).max(365),
      })),
      responses: { 200: jsonResponse(z.object({ token: TokenSchema, secret: z.string().openapi({ description: '`pw_…`, shown once' }) }), 'The token'), ...errorResponses(400, 401, 403) },
    }),
    async (c) => {
      const p = sessionPrincipal(c)
      const body = c.req.valid('json')
      const scopes = [...new Set(body.scopes)]
      scopes.forEach((s, i) => {
        if (!can(p, SCOPE_NEEDS[s])) throw new FieldError(`scopes[${i}]`, `Your role (${p.role}) cannot use scope ${s}.`)
      })
      const secret = `pw_${randomSecret(32)}`
      const now = ctx.clock()
      const expiresAt = new Date(now.getTime() + body.expiresInDays * 86_400_000)
      const id = randomUUID()
      const row = await ctx.store.transaction(async (tx) => {
        await tx.query(
          'INSERT INTO auth_tokens (id, user_id, name, scopes, prefix, secret_hash, created_at, expires_at) VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, $8)',
          [id, p.userId, body.name, JSON.stringify(scopes), secret.slice(0, 10), sha256(secret), now.toISOString(), expiresAt.toISOString()],
        )
        await ctx.audit.append({ actor: actorOf(p), action: 'token.create', target: `token:${id}`, payload: { name: body.name, scopes, expiresAt: expiresAt.toISOString(), prefix: secret.slice(0, 10) } }, tx)
        return (await tx.query<TokenRow>(`${TOKEN_SELECT} WHERE t.id = $1`, [id]))[0]!
      })
      return c.json({ token: apiToken(row), secret }, 200)
    },
  )

  r.openapi(
    createRoute({
      method: 'delete',
      path: '/tokens/{id}',
      tags: ['tokens'],
      summary: 'Revokes an API token (its owner or an admin)',
      request: { params: z.object({ id: z.string().min(1).max(100).openapi({ param: { name: 'id', in: 'path' } }) }) },
      responses: { 200: jsonResponse(z.object({ ok: z.literal(true) }), 'Revoked'), ...errorResponses(401, 403, 404) },
    }),
    async (c) => {
      const p = principalOf(c)
      const { id } = c.req.valid('param')
      await ctx.store.transaction(async (tx) => {
        const [t] = await tx.query<TokenRow>(`${TOKEN_SELECT} WHERE t.id = $1`, [id])
        // someone else's token answers 404, as if it did not exist
        const mayRevoke = t && (t.user_id === p.userId || (p.role === 'admin' && p.kind === 'session'))
        if (!t || !mayRevoke) throw new PhiwallError('PW_ERR_NOT_FOUND', 'No such token.')
        await tx.query('DELETE FROM auth_tokens WHERE id = $1', [id])
        await ctx.audit.append({ actor: actorOf(p), action: 'token.revoke', target: `token:${id}`, payload: { name: t.name, owner: t.owner, prefix: t.prefix } }, tx)
      })
      forgetTokens(ctx)
      return c.json({ ok: true as const }, 200)
    },
  )
}
