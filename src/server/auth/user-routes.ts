import { randomUUID } from 'node:crypto'
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi'
import { PhiwallError } from '../../model/index.js'
import type { Store } from '../../store/index.js'
import { actorOf, assertCan, requirePermission } from '../authz.js'
import { FieldError } from '../router.js'
import type { AppEnv, Role, ServerContext } from '../types.js'
import { apiUser, lockUsers, userById, type UserRow } from './db.js'
import { forgetTokens } from './middleware.js'
import { generateOneTimePassword, hashPassword } from './passwords.js'
import { errorResponses, jsonBody, jsonResponse, RoleSchema, TeamSchema, UserSchema, UsernameSchema } from './schemas.js'

const IdParam = z.object({ id: z.string().min(1).max(100).openapi({ param: { name: 'id', in: 'path' } }) })

/** Count of active admins other than `exceptId`. */
async function otherActiveAdmins(db: Store, exceptId: string): Promise<number> {
  const [row] = await db.query<{ n: number | string }>(`SELECT count(*) AS n FROM auth_users WHERE role = 'admin' AND NOT disabled AND id <> $1`, [exceptId])
  return Number(row?.n ?? 0)
}

/** Registers the admin's user management routes: list, create, update, reset. */
export function registerUserRoutes(r: OpenAPIHono<AppEnv>, ctx: ServerContext): void {
  r.openapi(
    createRoute({
      method: 'get',
      middleware: [requirePermission('admin')] as const,
      path: '/users',
      tags: ['users'],
      summary: 'Every user (admin)',
      responses: { 200: jsonResponse(z.object({ items: z.array(UserSchema) }), 'The users, by username'), ...errorResponses(401, 403) },
    }),
    async (c) => {
      assertCan(c, 'admin')
      const rows = await ctx.store.query<UserRow>('SELECT * FROM auth_users ORDER BY username')
      const now = ctx.clock()
      return c.json({ items: rows.map((u) => apiUser(u, now)) }, 200)
    },
  )

  r.openapi(
    createRoute({
      method: 'post',
      middleware: [requirePermission('admin')] as const,
      path: '/users',
      tags: ['users'],
      summary: 'Creates a user with a one-time password (admin)',
      request: jsonBody(z.object({ username: UsernameSchema, role: RoleSchema, team: TeamSchema.nullable().optional() })),
      responses: {
        200: jsonResponse(z.object({ user: UserSchema, oneTimePassword: z.string().openapi({ description: 'Shown once; changed at first sign-in' }) }), 'The new user'),
        ...errorResponses(400, 401, 403, 409),
      },
    }),
    async (c) => {
      const p = assertCan(c, 'admin')
      const body = c.req.valid('json')
      const team = body.team ?? null
      if (body.role === 'app-team' && !team) throw new FieldError('team', 'App-team users need a team.')
      const oneTimePassword = generateOneTimePassword()
      const passwordHash = await hashPassword(oneTimePassword)
      const now = ctx.clock().toISOString()
      const id = randomUUID()
      const user = await ctx.store.transaction(async (tx) => {
        await lockUsers(tx)
        const taken = await tx.query('SELECT 1 FROM auth_users WHERE username = $1', [body.username])
        if (taken.length) throw new PhiwallError('PW_ERR_CONFLICT', `User ${body.username} exists already.`)
        const [row] = await tx.query<UserRow>(
          'INSERT INTO auth_users (id, username, role, team, password_hash, must_change_password, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, true, $6, $6) RETURNING *',
          [id, body.username, body.role, team, passwordHash, now],
        )
        await ctx.audit.append({ actor: actorOf(p), action: 'user.create', target: `user:${body.username}`, payload: { role: body.role, team } }, tx)
        return row!
      })
      return c.json({ user: apiUser(user, ctx.clock()), oneTimePassword }, 200)
    },
  )

  r.openapi(
    createRoute({
      method: 'patch',
      middleware: [requirePermission('admin')] as const,
      path: '/users/{id}',
      tags: ['users'],
      summary: 'Changes role or team, disables/enables or unlocks a user (admin)',
      request: { params: IdParam, ...jsonBody(z.object({ role: RoleSchema.optional(), team: TeamSchema.nullable().optional(), disabled: z.boolean().optional(), unlock: z.boolean().optional().openapi({ description: 'true clears a lockout' }) })) },
      responses: { 200: jsonResponse(z.object({ user: UserSchema }), 'The user'), ...errorResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const p = assertCan(c, 'admin')
      const { id } = c.req.valid('param')
      const body = c.req.valid('json')
      const user = await ctx.store.transaction(async (tx) => {
        await lockUsers(tx)
        const u = await userById(tx, id)
        if (!u) throw new PhiwallError('PW_ERR_NOT_FOUND', 'No such user.')
        const role: Role = body.role ?? u.role
        const team = body.team === undefined ? u.team : body.team
        const disabled = body.disabled ?? u.disabled
        if (role === 'app-team' && !team) throw new FieldError('team', 'App-team users need a team.')
        const losesAdmin = u.role === 'admin' && !u.disabled && (role !== 'admin' || disabled)
        if (losesAdmin && (await otherActiveAdmins(tx, u.id)) === 0) throw new PhiwallError('PW_ERR_CONFLICT', 'This is the last active admin: make another user admin first.')
        const changes: Record<string, { from: unknown; to: unknown }> = {}
        if (role !== u.role) changes['role'] = { from: u.role, to: role }
        if (team !== u.team) changes['team'] = { from: u.team, to: team }
        if (disabled !== u.disabled) changes['disabled'] = { from: u.disabled, to: disabled }
        const unlock = body.unlock === true
        const [row] = await tx.query<UserRow>(
          `UPDATE auth_users SET role = $2, team = $3, disabled = $4, updated_at = $5,
             failed_attempts = CASE WHEN $6 THEN 0 ELSE failed_attempts END, locked_until = CASE WHEN $6 THEN NULL ELSE locked_until END
           WHERE id = $1 RETURNING *`,
          [u.id, role, team, disabled, ctx.clock().toISOString(), unlock],
        )
        // a disabled user's sessions end now (its tokens stop working by the owner check)
        if (disabled && !u.disabled) await tx.query('DELETE FROM auth_sessions WHERE user_id = $1', [u.id])
        await ctx.audit.append({ actor: actorOf(p), action: 'user.update', target: `user:${u.username}`, payload: { changes, unlocked: unlock } }, tx)
        return row!
      })
      // the user's tokens act with its new role and team (or stop, when disabled) from the next request
      forgetTokens(ctx)
      return c.json({ user: apiUser(user, ctx.clock()) }, 200)
    },
  )

  r.openapi(
    createRoute({
      method: 'post',
      middleware: [requirePermission('admin')] as const,
      path: '/users/{id}/reset',
      tags: ['users'],
      summary: 'Gives a user a new one-time password and clears its TOTP enrolment (admin)',
      request: { params: IdParam },
      responses: { 200: jsonResponse(z.object({ oneTimePassword: z.string() }), 'Shown once'), ...errorResponses(401, 403, 404) },
    }),
    async (c) => {
      const p = assertCan(c, 'admin')
      const { id } = c.req.valid('param')
      const oneTimePassword = generateOneTimePassword()
      const passwordHash = await hashPassword(oneTimePassword)
      await ctx.store.transaction(async (tx) => {
        const u = await userById(tx, id)
        if (!u) throw new PhiwallError('PW_ERR_NOT_FOUND', 'No such user.')
        await tx.query(
          `UPDATE auth_users SET password_hash = $2, must_change_password = true, totp_secret = NULL, totp_pending_secret = NULL, totp_last_step = NULL,
             failed_attempts = 0, locked_until = NULL, updated_at = $3 WHERE id = $1`,
          [u.id, passwordHash, ctx.clock().toISOString()],
        )
        await tx.query('DELETE FROM auth_recovery_codes WHERE user_id = $1', [u.id])
        await tx.query('DELETE FROM auth_sessions WHERE user_id = $1', [u.id])
        await ctx.audit.append({ actor: actorOf(p), action: 'user.reset', target: `user:${u.username}`, payload: { totpCleared: true } }, tx)
      })
      forgetTokens(ctx)
      return c.json({ oneTimePassword }, 200)
    },
  )
}
