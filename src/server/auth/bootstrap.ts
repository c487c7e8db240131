import { randomUUID } from 'node:crypto'
import type { ServerContext } from '../types.js'
import { lockUsers } from './db.js'
import { generateOneTimePassword, hashPassword } from './passwords.js'

/**
 * Creates user `admin` (role admin, a one-time password to change at first sign-in) when no user
 * exists, and returns its password for the caller to print once; null otherwise. Safe when several
 * servers start at once on one PostgreSQL database (only one creates it).
 */
export async function bootstrapAdmin(ctx: ServerContext): Promise<{ username: string; oneTimePassword: string } | null> {
  const [{ n } = { n: 0 }] = await ctx.store.query<{ n: number | string }>('SELECT count(*) AS n FROM auth_users')
  if (Number(n) > 0) return null
  const oneTimePassword = generateOneTimePassword()
  const passwordHash = await hashPassword(oneTimePassword)
  return ctx.store.transaction(async (tx) => {
    await lockUsers(tx)
    const [{ n: again } = { n: 0 }] = await tx.query<{ n: number | string }>('SELECT count(*) AS n FROM auth_users')
    if (Number(again) > 0) return null
    const now = ctx.clock().toISOString()
    await tx.query(
      `INSERT INTO auth_users (id, username, role, team, password_hash, must_change_password, created_at, updated_at) VALUES ($1, 'admin', 'admin', NULL, $2, true, $3, $3)`,
      [randomUUID(), passwordHash, now],
    )
    await ctx.audit.append({ actor: 'system', action: 'user.create', target: 'user:admin', payload: { role: 'admin', team: null, bootstrap: true } }, tx)
    return { username: 'admin', oneTimePassword }
  })
}
