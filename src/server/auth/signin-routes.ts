import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { maskValue, PhiwallError } from '../../model/index.js'
import type { Store } from '../../store/index.js'
import { FieldError } from '../router.js'
import type { AppEnv, ServerContext } from '../types.js'
import { stageAfterPassword, userById, userByName, type Stage, type UserRow } from './db.js'
import { clientAddress, countAddressAttempt, lockedError, lockedFor, recordFailure, recordUnknownUserFailure } from './limits.js'
import { checkPasswordPolicy, hashPassword, MAX_PASSWORD_LENGTH, verifyPassword } from './passwords.js'
import { openSecret, sealSecret } from './secret-box.js'
import { errorResponses, jsonBody, jsonResponse, RoleSchema, StageSchema } from './schemas.js'
import { advanceSession, clearSessionCookie, createSession, sessionOf, type ActiveSession } from './sessions.js'
import { checkTotp, newRecoveryCodes, newTotpEnrolment, recoveryCodeHash } from './totp.js'

const NextBody = z.object({ next: StageSchema })
const BAD_LOGIN = 'Invalid username or password.'

/** The session of the request at one of `stages`: 401 without a session, 409 at another step. */
function requireStage(c: Context<AppEnv>, ...stages: Stage[]): ActiveSession {
  const s = sessionOf(c)
  if (!s) throw new PhiwallError('PW_ERR_UNAUTHENTICATED', 'Sign in first (POST /api/v1/auth/login).')
  if (!stages.includes(s.stage)) throw new PhiwallError('PW_ERR_CONFLICT', `This sign-in step is not expected now; the next step is "${s.stage}".`)
  return s
}

/** Throws 429 while the user is locked. */
function assertNotLocked(ctx: ServerContext, user: UserRow): void {
  const secs = lockedFor(user, ctx.clock())
  if (secs !== null) throw lockedError(secs)
}

/** Ends a successful second factor: session done (rotated), failures cleared, user.login audited. */
async function finishSignIn(ctx: ServerContext, c: Context<AppEnv>, tx: Store, s: ActiveSession, method: string): Promise<void> {
  await advanceSession(ctx, c, tx, s, 'done')
  await tx.query('UPDATE auth_users SET failed_attempts = 0, last_login_at = $2 WHERE id = $1', [s.user.id, ctx.clock().toISOString()])
  await ctx.audit.append({ actor: `user:${s.user.username}`, action: 'user.login', target: `user:${s.user.username}`, payload: { method, address: clientAddress(c) } }, tx)
}

/** Registers the sign-in routes: login, password change, TOTP enrolment and check, logout, me. */
export function registerSignInRoutes(r: OpenAPIHono<AppEnv>, ctx: ServerContext): void {
  r.openapi(
    createRoute({
      method: 'post',
      path: '/auth/login',
      tags: ['auth'],
      summary: 'Checks username and password and starts a (pending) session',
      request: jsonBody(z.object({ username: z.string().min(1).max(200), password: z.string().min(1).max(4096) })),
      responses: { 200: jsonResponse(NextBody, 'The next sign-in step; the session cookie is set'), ...errorResponses(400, 401, 429) },
    }),
    async (c) => {
      const { username, password } = c.req.valid('json')
      const address = clientAddress(c)
      countAddressAttempt(ctx, address)
      const user = await userByName(ctx.store, username.trim())
      // unknown usernames lock like real ones (in memory), so that neither timing nor a 429 reveals which names exist
      const lockSecs = user ? lockedFor(user, ctx.clock()) : recordUnknownUserFailure(ctx, username, false)
      if (lockSecs !== null) {
        const target = user ? `user:${user.username}` : 'user:?'
        const payload = user ? { reason: 'locked', address } : { reason: 'unknown-user', username: maskValue(username), address }
        await ctx.audit.append({ actor: user ? target : 'anonymous', action: 'user.login.failed', target, payload })
        throw lockedError(lockSecs)
      }
      const ok = password.length <= MAX_PASSWORD_LENGTH && (await verifyPassword(user?.password_hash, password))
      if (!user) {
        // the username may be a mistyped password: only its masked form is recorded
        await ctx.audit.append({ actor: 'anonymous', action: 'user.login.failed', target: 'user:?', payload: { reason: 'unknown-user', username: maskValue(username), address } })
        const locked = recordUnknownUserFailure(ctx, username, true)
        if (locked !== null) throw lockedError(locked)
        throw new PhiwallError('PW_ERR_UNAUTHENTICATED', BAD_LOGIN)
      }
      const outcome = await ctx.store.transaction(async (tx): Promise<{ next: Stage } | { lockedSecs: number | null }> => {
        if (!ok) return { lockedSecs: await recordFailure(ctx, tx, user, 'bad-password', { address }) }
        if (user.disabled) {
          await ctx.audit.append({ actor: `user:${user.username}`, action: 'user.login.failed', target: `user:${user.username}`, payload: { reason: 'disabled', address } }, tx)
          return { lockedSecs: null }
        }
        const old = sessionOf(c)
        if (old) await tx.query('DELETE FROM auth_sessions WHERE id_hash = $1', [old.idHash])
        await tx.query('UPDATE auth_users SET failed_attempts = 0 WHERE id = $1', [user.id])
        const next = stageAfterPassword(user)
        await createSession(ctx, c, tx, user.id, next)
        return { next }
      })
      if ('next' in outcome) return c.json({ next: outcome.next }, 200)
      if (outcome.lockedSecs !== null) throw lockedError(outcome.lockedSecs)
      throw new PhiwallError('PW_ERR_UNAUTHENTICATED', BAD_LOGIN)
    },
  )

  r.openapi(
    createRoute({
      method: 'post',
      path: '/auth/password',
      tags: ['auth'],
      summary: 'Changes the password (required after a one-time password)',
      request: jsonBody(z.object({ currentPassword: z.string().min(1).max(4096), newPassword: z.string().max(4096) })),
      responses: { 200: jsonResponse(NextBody, 'The next sign-in step'), ...errorResponses(400, 401, 403, 409, 429) },
    }),
    async (c) => {
      // not at 'enrol' or 'totp': a password alone must not be enough to change the password of an enrolled user
      const s = requireStage(c, 'password', 'done')
      const { currentPassword, newPassword } = c.req.valid('json')
      assertNotLocked(ctx, s.user)
      const problem = checkPasswordPolicy(newPassword, s.user.username)
      if (problem) throw new FieldError('newPassword', problem)
      if (newPassword === currentPassword) throw new FieldError('newPassword', 'The new password must differ from the current one.')
      const ok = await verifyPassword(s.user.password_hash, currentPassword)
      const newHash = ok ? await hashPassword(newPassword) : ''
      const outcome = await ctx.store.transaction(async (tx): Promise<{ next: Stage } | { lockedSecs: number | null }> => {
        if (!ok) return { lockedSecs: await recordFailure(ctx, tx, s.user, 'bad-password') }
        await tx.query('UPDATE auth_users SET password_hash = $2, must_change_password = false, failed_attempts = 0, updated_at = $3 WHERE id = $1', [s.user.id, newHash, ctx.clock().toISOString()])
        // other sessions of the user end with the old password
        await tx.query('DELETE FROM auth_sessions WHERE user_id = $1 AND id_hash <> $2', [s.user.id, s.idHash])
        const target = `user:${s.user.username}`
        await ctx.audit.append({ actor: target, action: 'user.password.change', target, payload: { oneTimePasswordReplaced: s.user.must_change_password } }, tx)
        const next = s.stage === 'done' ? 'done' : stageAfterPassword({ must_change_password: false, totp_secret: s.user.totp_secret })
        if (next !== s.stage) await advanceSession(ctx, c, tx, s, next)
        return { next }
      })
      if ('next' in outcome) return c.json({ next: outcome.next }, 200)
      if (outcome.lockedSecs !== null) throw lockedError(outcome.lockedSecs)
      throw new FieldError('currentPassword', 'The current password is not correct.')
    },
  )

  r.openapi(
    createRoute({
      method: 'get',
      path: '/auth/totp/enrol',
      tags: ['auth'],
      summary: 'A new TOTP secret to enrol (pending session at step "enrol")',
      responses: {
        200: jsonResponse(z.object({ secret: z.string(), otpauthUrl: z.string(), qrSvg: z.string().openapi({ description: 'An SVG document of the QR code' }) }), 'The secret, shown once'),
        ...errorResponses(401, 409),
      },
    }),
    async (c) => {
      const s = requireStage(c, 'enrol')
      const enrolment = await newTotpEnrolment(s.user.username)
      // TOTP seeds are sealed under the server's key: a database dump alone cannot mint codes
      await ctx.store.query('UPDATE auth_users SET totp_pending_secret = $2 WHERE id = $1', [s.user.id, sealSecret(ctx.config.secretKey, s.user.id, enrolment.secret)])
      return c.json(enrolment, 200)
    },
  )

  r.openapi(
    createRoute({
      method: 'post',
      path: '/auth/totp/enrol',
      tags: ['auth'],
      summary: 'Confirms TOTP enrolment with a first code; answers the recovery codes (shown once)',
      request: jsonBody(z.object({ code: z.string().trim().regex(/^\d{6}$/, 'Six digits') })),
      responses: { 200: jsonResponse(z.object({ next: z.literal('done'), recoveryCodes: z.array(z.string()) }), 'Signed in'), ...errorResponses(400, 401, 403, 409, 429) },
    }),
    async (c) => {
      const s = requireStage(c, 'enrol')
      const { code } = c.req.valid('json')
      assertNotLocked(ctx, s.user)
      const fresh = await userById(ctx.store, s.user.id)
      const pending = fresh?.totp_pending_secret
      if (!fresh || !pending) throw new PhiwallError('PW_ERR_CONFLICT', 'Fetch a secret with GET /api/v1/auth/totp/enrol first.')
      const step = checkTotp(openSecret(ctx.config.secretKey, fresh.id, pending), code, ctx.clock(), null)
      const outcome = await ctx.store.transaction(async (tx): Promise<{ codes: string[] } | { lockedSecs: number | null }> => {
        if (step === null) return { lockedSecs: await recordFailure(ctx, tx, fresh, 'bad-totp') }
        const updated = await tx.query('UPDATE auth_users SET totp_secret = $2, totp_pending_secret = NULL, totp_last_step = $3, updated_at = $4 WHERE id = $1 AND totp_pending_secret = $2 RETURNING id', [fresh.id, pending, step, ctx.clock().toISOString()])
        if (updated.length === 0) throw new PhiwallError('PW_ERR_CONFLICT', 'The enrolment changed meanwhile; fetch a new secret.')
        const codes = newRecoveryCodes()
        await tx.query('DELETE FROM auth_recovery_codes WHERE user_id = $1', [fresh.id])
        for (const rc of codes) await tx.query('INSERT INTO auth_recovery_codes (user_id, code_hash) VALUES ($1, $2)', [fresh.id, recoveryCodeHash(fresh.id, rc)])
        const target = `user:${fresh.username}`
        await ctx.audit.append({ actor: target, action: 'user.totp.enrol', target, payload: { recoveryCodesIssued: codes.length } }, tx)
        await finishSignIn(ctx, c, tx, s, 'totp-enrol')
        return { codes }
      })
      if ('codes' in outcome) return c.json({ next: 'done' as const, recoveryCodes: outcome.codes }, 200)
      if (outcome.lockedSecs !== null) throw lockedError(outcome.lockedSecs)
      throw new FieldError('code', 'The code is not valid; check the authenticator app and the device clock.')
    },
  )

  r.openapi(
    createRoute({
      method: 'post',
      path: '/auth/totp',
      tags: ['auth'],
      summary: 'The second factor: a TOTP code or a recovery code (pending session at step "totp")',
      request: jsonBody(z.object({ code: z.string().trim().regex(/^\d{6}$/, 'Six digits').optional(), recoveryCode: z.string().trim().min(1).max(64).optional() })),
      responses: { 200: jsonResponse(z.object({ next: z.literal('done') }), 'Signed in'), ...errorResponses(400, 401, 403, 409, 429) },
    }),
    async (c) => {
      const s = requireStage(c, 'totp')
      const body = c.req.valid('json')
      if ((body.code === undefined) === (body.recoveryCode === undefined)) throw new FieldError('code', 'Send either code or recoveryCode.')
      assertNotLocked(ctx, s.user)
      const now = ctx.clock()
      const outcome = await ctx.store.transaction(async (tx): Promise<{ done: true } | { lockedSecs: number | null }> => {
        const user = (await userById(tx, s.user.id))!
        const target = `user:${user.username}`
        if (body.code !== undefined) {
          const lastStep = user.totp_last_step === null ? null : Number(user.totp_last_step)
          const step = user.totp_secret ? checkTotp(openSecret(ctx.config.secretKey, user.id, user.totp_secret), body.code, now, lastStep) : null
          // the conditional update makes a code single-use even under concurrent requests
          const used = step === null ? [] : await tx.query('UPDATE auth_users SET totp_last_step = $2 WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2) RETURNING id', [user.id, step])
          if (used.length === 0) return { lockedSecs: await recordFailure(ctx, tx, user, 'bad-totp') }
          await finishSignIn(ctx, c, tx, s, 'totp')
          return { done: true }
        }
        const used = await tx.query('UPDATE auth_recovery_codes SET used_at = $3 WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL RETURNING code_hash', [user.id, recoveryCodeHash(user.id, body.recoveryCode!), now.toISOString()])
        if (used.length === 0) return { lockedSecs: await recordFailure(ctx, tx, user, 'bad-recovery-code') }
        const [left] = await tx.query<{ n: number | string }>('SELECT count(*) AS n FROM auth_recovery_codes WHERE user_id = $1 AND used_at IS NULL', [user.id])
        await ctx.audit.append({ actor: target, action: 'user.recovery-code.used', target, payload: { remaining: Number(left?.n ?? 0) } }, tx)
        await finishSignIn(ctx, c, tx, s, 'recovery-code')
        return { done: true }
      })
      if ('done' in outcome) return c.json({ next: 'done' as const }, 200)
      if (outcome.lockedSecs !== null) throw lockedError(outcome.lockedSecs)
      throw new PhiwallError('PW_ERR_UNAUTHENTICATED', body.code !== undefined ? 'The code is not valid or was already used.' : 'The recovery code is not valid or was already used.')
    },
  )

  r.openapi(
    createRoute({
      method: 'post',
      path: '/auth/logout',
      tags: ['auth'],
      summary: 'Ends the session',
      responses: { 200: jsonResponse(z.object({ ok: z.literal(true) }), 'Signed out'), ...errorResponses(401, 403) },
    }),
    async (c) => {
      const s = sessionOf(c)
      if (!s) throw new PhiwallError('PW_ERR_UNAUTHENTICATED', 'No session to end.')
      await ctx.store.transaction(async (tx) => {
        await tx.query('DELETE FROM auth_sessions WHERE id_hash = $1', [s.idHash])
        const target = `user:${s.user.username}`
        await ctx.audit.append({ actor: target, action: 'user.logout', target, payload: { stage: s.stage } }, tx)
      })
      clearSessionCookie(ctx, c)
      return c.json({ ok: true as const }, 200)
    },
  )

  r.openapi(
    createRoute({
      method: 'get',
      path: '/auth/me',
      tags: ['auth'],
      summary: 'Who is signed in, the CSRF token of the session, and the pending sign-in step',
      responses: {
        200: jsonResponse(
          z.object({
            user: z.object({ id: z.string(), username: z.string(), role: RoleSchema, team: z.string().nullable(), totpEnrolled: z.boolean() }),
            csrfToken: z.string().nullable().openapi({ description: 'Send as X-CSRF-Token on POST/PUT/PATCH/DELETE; null for API tokens' }),
            pending: z.enum(['password', 'enrol', 'totp']).nullable(),
          }),
          'The caller',
        ),
        ...errorResponses(401),
      },
    }),
    async (c) => {
      const s = sessionOf(c)
      const p = c.get('principal')
      if (p?.kind === 'token') {
        const u = await userById(ctx.store, p.userId)
        if (!u) throw new PhiwallError('PW_ERR_UNAUTHENTICATED', 'The token owner no longer exists.')
        return c.json({ user: { id: u.id, username: u.username, role: u.role, team: u.team, totpEnrolled: u.totp_secret !== null }, csrfToken: null, pending: null }, 200)
      }
      if (!s) throw new PhiwallError('PW_ERR_UNAUTHENTICATED', 'Sign in or send an API token.')
      const u = s.user
      return c.json({ user: { id: u.id, username: u.username, role: u.role, team: u.team, totpEnrolled: u.totp_secret !== null }, csrfToken: s.csrfToken, pending: s.stage === 'done' ? null : s.stage }, 200)
    },
  )
}
