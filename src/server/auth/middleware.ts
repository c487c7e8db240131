import type { MiddlewareHandler } from 'hono'
import { getCookie } from 'hono/cookie'
import { PhiwallError } from '../../model/index.js'
import type { AppEnv, Principal, Role, ServerContext, TokenScope } from '../types.js'
import { ms, type TokenRow } from './db.js'
import { safeEqual, sha256 } from './secrets.js'
import { loadSession, rememberSession, SESSION_COOKIE } from './sessions.js'

/** An API token secret: `pw_` + 32 random bytes base64url. */
export const TOKEN_PATTERN = /^pw_[A-Za-z0-9_-]{43}$/

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/** The principal of a bearer token, or null (unknown, expired, owner disabled). */
async function tokenPrincipal(ctx: ServerContext, secret: string): Promise<Principal | null> {
  const rows = await ctx.store.query<TokenRow & { role: Role; team: string | null; disabled: boolean }>(
    `SELECT t.*, u.username AS owner, u.role, u.team, u.disabled FROM auth_tokens t JOIN auth_users u ON u.id = t.user_id WHERE t.secret_hash = $1`,
    [sha256(secret)],
  )
  const t = rows[0]
  const now = ctx.clock().getTime()
  if (!t || t.disabled || ms(t.expires_at)! <= now) return null
  const lastUsed = ms(t.last_used_at)
  if (lastUsed === null || now - lastUsed >= 60_000) {
    await ctx.store.query('UPDATE auth_tokens SET last_used_at = $2 WHERE id = $1', [t.id, new Date(now).toISOString()])
  }
  const scopes = typeof t.scopes === 'string' ? (JSON.parse(t.scopes) as TokenScope[]) : t.scopes
  return { kind: 'token', userId: t.user_id, username: t.owner, role: t.role, team: t.team, scopes, tokenId: t.id }
}

/**
 * Sets `c.var.principal` from `Authorization: Bearer pw_…` or from a signed-in session cookie.
 * Missing, unknown or expired credentials leave it null (routes answer 401); a malformed
 * Authorization header is 401 here. A pending session (second factor not done) reaches only
 * /api/v1/auth/*; elsewhere it is 401 PW_ERR_MFA_REQUIRED. Unsafe methods with a session need
 * `X-CSRF-Token` (except POST /api/v1/auth/login) → else 403 PW_ERR_CSRF.
 */
export function authenticate(ctx: ServerContext): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const authorization = c.req.header('authorization')
    if (authorization !== undefined) {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization.trim())
      if (!m || !TOKEN_PATTERN.test(m[1]!)) throw new PhiwallError('PW_ERR_UNAUTHENTICATED', 'Malformed Authorization header: send "Authorization: Bearer pw_…" with an API token.')
      c.set('principal', await tokenPrincipal(ctx, m[1]!))
      return next()
    }
    const cookie = getCookie(c, SESSION_COOKIE)
    const session = cookie ? await loadSession(ctx, cookie) : null
    if (session) {
      rememberSession(c, session)
      const path = c.req.path
      if (session.stage !== 'done' && path.startsWith('/api/v1/') && !path.startsWith('/api/v1/auth/')) {
        throw new PhiwallError('PW_ERR_MFA_REQUIRED', 'Finish signing in (second factor) first.')
      }
      if (UNSAFE_METHODS.has(c.req.method) && !(c.req.method === 'POST' && path === '/api/v1/auth/login')) {
        const sent = c.req.header('x-csrf-token')
        if (!sent || !safeEqual(sent, session.csrfToken)) throw new PhiwallError('PW_ERR_CSRF', 'Missing or wrong X-CSRF-Token header (take csrfToken from GET /api/v1/auth/me).')
      }
      if (session.stage === 'done') {
        const u = session.user
        c.set('principal', { kind: 'session', userId: u.id, username: u.username, role: u.role, team: u.team, sessionId: session.idHash.slice(0, 16) })
      }
    }
    return next()
  }
}
