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

/**
 * How long a resolved token is trusted without reading the database again. Revoking a token or
 * disabling / changing its owner on this server takes effect at once ({@link forgetTokens}); on
 * another server sharing the PostgreSQL database within this time.
 */
export const TOKEN_CACHE_MS = 5_000
const TOKEN_CACHE_MAX = 10_000

interface CachedToken {
  principal: Principal
  expiresAt: number
  lastUsedAt: number | null
  /** performance.now() when read from the database. */
  readAt: number
}

/** Resolved tokens per server context, by SHA-256 of the secret (an agent fleet or CI polls with a handful of tokens). */
const tokenCaches = new WeakMap<ServerContext, Map<string, CachedToken>>()

/** Drops every resolved token of this server: called when a token is revoked or a user changed. */
export function forgetTokens(ctx: ServerContext): void {
  tokenCaches.get(ctx)?.clear()
}

/** The principal of a bearer token, or null (unknown, expired, owner disabled). */
async function tokenPrincipal(ctx: ServerContext, secret: string): Promise<Principal | null> {
  const hash = sha256(secret)
  const cache = tokenCaches.get(ctx) ?? tokenCaches.set(ctx, new Map()).get(ctx)!
  const now = ctx.clock().getTime()
  let entry = cache.get(hash)
  if (!entry || performance.now() - entry.readAt > TOKEN_CACHE_MS) {
    cache.delete(hash)
    const rows = await ctx.store.query<TokenRow & { role: Role; team: string | null; disabled: boolean }>(
      `SELECT t.*, u.username AS owner, u.role, u.team, u.disabled FROM auth_tokens t JOIN auth_users u ON u.id = t.user_id WHERE t.secret_hash = $1`,
      [hash],
    )
    const t = rows[0]
    if (!t || t.disabled) return null
    const scopes = typeof t.scopes === 'string' ? (JSON.parse(t.scopes) as TokenScope[]) : t.scopes
    entry = {
      principal: { kind: 'token', userId: t.user_id, username: t.owner, role: t.role, team: t.team, scopes, tokenId: t.id },
      expiresAt: ms(t.expires_at)!,
      lastUsedAt: ms(t.last_used_at),
      readAt: performance.now(),
    }
    if (cache.size >= TOKEN_CACHE_MAX) cache.clear()
    cache.set(hash, entry)
  }
  if (entry.expiresAt <= now) return null
  if (entry.lastUsedAt === null || now - entry.lastUsedAt >= 60_000) {
    entry.lastUsedAt = now
    await ctx.store.query('UPDATE auth_tokens SET last_used_at = $2 WHERE id = $1', [entry.principal.tokenId, new Date(now).toISOString()])
  }
  return { ...entry.principal, scopes: [...(entry.principal.scopes ?? [])] }
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
