import type { Context } from 'hono'
import { getConnInfo } from '@hono/node-server/conninfo'
import type { Store } from '../../store/index.js'
import { retryLater } from '../router.js'
import type { AppEnv, ServerContext } from '../types.js'
import { ms, type UserRow } from './db.js'

/** Consecutive failed passwords or codes before an account locks. */
export const MAX_FAILURES = 5
/** How long a lock lasts. */
export const LOCK_MS = 15 * 60_000
/** Sign-in attempts per client address and minute. */
export const ADDRESS_LIMIT = 20
const ADDRESS_WINDOW_MS = 60_000

/** The socket address of the client ('unknown' when the request did not come through a socket, as in tests). */
export function clientAddress(c: Context<AppEnv>): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown'
  } catch {
    return 'unknown'
  }
}

/** Per-address sliding-window counters of sign-in attempts, one set per server (in memory). */
const windows = new WeakMap<ServerContext, Map<string, number[]>>()

/** Counts a sign-in attempt from `address`; throws 429 (Retry-After) past {@link ADDRESS_LIMIT} a minute. */
export function countAddressAttempt(ctx: ServerContext, address: string): void {
  let m = windows.get(ctx)
  if (!m) windows.set(ctx, (m = new Map()))
  const now = ctx.clock().getTime()
  if (m.size > 10_000) for (const [k, v] of m) if (v.every((t) => now - t >= ADDRESS_WINDOW_MS)) m.delete(k)
  const hits = (m.get(address) ?? []).filter((t) => now - t < ADDRESS_WINDOW_MS)
  if (hits.length >= ADDRESS_LIMIT) {
    m.set(address, hits)
    throw retryLater('PW_ERR_RATE_LIMITED', 'Too many sign-in attempts from this address; wait a minute.', (hits[0]! + ADDRESS_WINDOW_MS - now) / 1000)
  }
  hits.push(now)
  m.set(address, hits)
}

/** Seconds a user's lock still holds, or null. */
export function lockedFor(user: Pick<UserRow, 'locked_until'>, now: Date): number | null {
  const until = ms(user.locked_until)
  return until !== null && until > now.getTime() ? (until - now.getTime()) / 1000 : null
}

/** The 429 of a locked account. */
export function lockedError(seconds: number): Error {
  return retryLater('PW_ERR_RATE_LIMITED', 'Too many failed attempts: the account is locked for 15 minutes (an admin can unlock it).', seconds)
}

/**
 * Records a failed password or code (audited as user.login.failed with `reason`); the
 * {@link MAX_FAILURES}th in a row locks the account (audited as user.locked). Returns the lock's
 * seconds when this failure locked it, else null. Call inside the transaction, throw after it commits.
 */
export async function recordFailure(ctx: ServerContext, tx: Store, user: UserRow, reason: string, extra: Record<string, string> = {}): Promise<number | null> {
  const rows = await tx.query<{ failed_attempts: number }>('UPDATE auth_users SET failed_attempts = failed_attempts + 1 WHERE id = $1 RETURNING failed_attempts', [user.id])
  const failures = Number(rows[0]?.failed_attempts ?? 0)
  const target = `user:${user.username}`
  await ctx.audit.append({ actor: target, action: 'user.login.failed', target, payload: { reason, failures, ...extra } }, tx)
  if (failures < MAX_FAILURES) return null
  const until = new Date(ctx.clock().getTime() + LOCK_MS)
  await tx.query('UPDATE auth_users SET failed_attempts = 0, locked_until = $2 WHERE id = $1', [user.id, until.toISOString()])
  await ctx.audit.append({ actor: 'system', action: 'user.locked', target, payload: { failures, until: until.toISOString() } }, tx)
  return LOCK_MS / 1000
}

/** Failures of usernames that do not exist, per server (in memory): they lock like real accounts, so 429s reveal no user. */
const phantoms = new WeakMap<ServerContext, Map<string, { failures: number; lockedUntil: number }>>()

/**
 * Counts a failed sign-in for a username that does not exist, mirroring the lockout of real
 * accounts. Returns the lock's remaining seconds when the name is (now) locked, else null.
 */
export function recordUnknownUserFailure(ctx: ServerContext, username: string, count: boolean): number | null {
  let m = phantoms.get(ctx)
  if (!m) phantoms.set(ctx, (m = new Map()))
  const now = ctx.clock().getTime()
  const key = username.trim().toLowerCase()
  const entry = m.get(key) ?? { failures: 0, lockedUntil: 0 }
  if (entry.lockedUntil > now) return (entry.lockedUntil - now) / 1000
  if (!count) return null
  if (m.size > 10_000) m.clear()
  entry.failures++
  if (entry.failures >= MAX_FAILURES) {
    entry.failures = 0
    entry.lockedUntil = now + LOCK_MS
  }
  m.set(key, entry)
  return entry.lockedUntil > now ? LOCK_MS / 1000 : null
}
