import type { Context } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import type { Store } from '../../store/index.js'
import type { AppEnv, ServerContext } from '../types.js'
import { ms, type SessionRow, type Stage, type UserRow } from './db.js'
import { randomSecret, sha256 } from './secrets.js'

/** Name of the session cookie. */
export const SESSION_COOKIE = 'phiwall_session'

/** A live session with its user, as the middleware found it. */
export interface ActiveSession {
  idHash: string
  stage: Stage
  csrfToken: string
  user: UserRow
}

/** Sessions the middleware resolved, per request (pending ones too, which set no principal). */
const byRequest = new WeakMap<Request, ActiveSession>()

/** Remembers the session of a request for the auth routes. */
export function rememberSession(c: Context<AppEnv>, s: ActiveSession): void {
  byRequest.set(c.req.raw, s)
}

/** The session (any stage) of the request, as resolved by `authenticate`; null without one. */
export function sessionOf(c: Context<AppEnv>): ActiveSession | null {
  return byRequest.get(c.req.raw) ?? null
}

function writeCookie(ctx: ServerContext, c: Context<AppEnv>, value: string): void {
  setCookie(c, SESSION_COOKIE, value, {
    httpOnly: true,
    sameSite: 'Strict',
    path: '/',
    secure: ctx.config.secureCookies,
    maxAge: Math.floor(ctx.config.sessionMaxMs / 1000),
  })
}

/** Ends the cookie in the browser. */
export function clearSessionCookie(ctx: ServerContext, c: Context<AppEnv>): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: ctx.config.secureCookies, httpOnly: true, sameSite: 'Strict' })
}

/** Starts a session at `stage` for `userId` and sets its cookie; only the SHA-256 of the id is stored. */
export async function createSession(ctx: ServerContext, c: Context<AppEnv>, tx: Store, userId: string, stage: Stage): Promise<void> {
  const id = randomSecret(32)
  const now = ctx.clock().toISOString()
  await tx.query('INSERT INTO auth_sessions (id_hash, user_id, stage, csrf_token, created_at, last_seen_at) VALUES ($1, $2, $3, $4, $5, $5)', [sha256(id), userId, stage, randomSecret(32), now])
  writeCookie(ctx, c, id)
}

/** Moves a session to `stage`. Reaching 'done' rotates its id (new cookie) and its CSRF token. */
export async function advanceSession(ctx: ServerContext, c: Context<AppEnv>, tx: Store, s: ActiveSession, stage: Stage): Promise<void> {
  if (stage !== 'done') {
    await tx.query('UPDATE auth_sessions SET stage = $2 WHERE id_hash = $1', [s.idHash, stage])
    return
  }
  const id = randomSecret(32)
  await tx.query('UPDATE auth_sessions SET id_hash = $2, stage = $3, csrf_token = $4, last_seen_at = $5 WHERE id_hash = $1', [s.idHash, sha256(id), stage, randomSecret(32), ctx.clock().toISOString()])
  writeCookie(ctx, c, id)
}

/**
 * The live session of a cookie value, or null (unknown, idle or past its absolute lifetime, user
 * disabled: such sessions are deleted). Refreshes last_seen_at at most every minute.
 */
export async function loadSession(ctx: ServerContext, cookie: string): Promise<ActiveSession | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(cookie)) return null
  const idHash = sha256(cookie)
  const rows = await ctx.store.query<SessionRow & { u: UserRow }>('SELECT s.*, row_to_json(u) AS u FROM auth_sessions s JOIN auth_users u ON u.id = s.user_id WHERE s.id_hash = $1', [idHash])
  const row = rows[0]
  if (!row) return null
  const now = ctx.clock().getTime()
  const lastSeen = ms(row.last_seen_at)!
  const user = typeof row.u === 'string' ? (JSON.parse(row.u) as UserRow) : row.u
  if (now - lastSeen > ctx.config.sessionIdleMs || now - ms(row.created_at)! > ctx.config.sessionMaxMs || user.disabled) {
    await ctx.store.query('DELETE FROM auth_sessions WHERE id_hash = $1', [idHash])
    return null
  }
  if (now - lastSeen > Math.min(60_000, ctx.config.sessionIdleMs / 10)) {
    await ctx.store.query('UPDATE auth_sessions SET last_seen_at = $2 WHERE id_hash = $1', [idHash, new Date(now).toISOString()])
  }
  return { idHash, stage: row.stage, csrfToken: row.csrf_token, user }
}
