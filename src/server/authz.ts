import type { Context, MiddlewareHandler } from 'hono'
import { PhiwallError } from '../model/index.js'
import type { AppEnv, Permission, Principal, TokenScope } from './types.js'

const ROLE_PERMISSIONS: Record<Principal['role'], ReadonlySet<Permission>> = {
  admin: new Set<Permission>(['read', 'export', 'write', 'admin', 'ingest:scans', 'ingest:flows', 'ingest:fingerprints', 'ingest:phi']),
  engineer: new Set<Permission>(['read', 'export', 'write', 'ingest:scans', 'ingest:flows', 'ingest:fingerprints', 'ingest:phi']),
  auditor: new Set<Permission>(['read', 'export']),
  'app-team': new Set<Permission>(['read', 'export']),
}

const SCOPE_PERMISSIONS: Record<TokenScope, Permission[]> = {
  read: ['read', 'export'],
  'scans:write': ['ingest:scans'],
  'flows:write': ['ingest:flows'],
  'fingerprints:write': ['ingest:fingerprints'],
  'phi:write': ['ingest:phi'],
}

/** Whether `principal` holds `permission`: its role must allow it and, for a token, one of its scopes too. */
export function can(principal: Principal | null, permission: Permission): boolean {
  if (!principal) return false
  if (!ROLE_PERMISSIONS[principal.role].has(permission)) return false
  if (principal.kind === 'token') return (principal.scopes ?? []).some((s) => SCOPE_PERMISSIONS[s].includes(permission))
  return true
}

/** The principal of a request, or 401. */
export function principalOf(c: Context<AppEnv>): Principal {
  const p = c.get('principal')
  if (!p) throw new PhiwallError('PW_ERR_UNAUTHENTICATED', 'Sign in or send an API token.')
  return p
}

/** Throws 401 without a principal, 403 without the permission. */
export function assertCan(c: Context<AppEnv>, permission: Permission): Principal {
  const p = principalOf(c)
  if (!can(p, permission)) throw new PhiwallError('PW_ERR_FORBIDDEN', `Your ${p.kind === 'token' ? 'token' : `role (${p.role})`} does not allow ${permission}.`)
  return p
}

/** Middleware form of {@link assertCan}. */
export function requirePermission(permission: Permission): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    assertCan(c, permission)
    await next()
  }
}

/**
 * The team whose workloads a principal may see: `null` = every workload (admin, engineer, auditor),
 * a team name = only resources whose `owner` is that team (app-team users, and tokens they own).
 * An app-team user without a team sees nothing: the empty string matches no owner.
 */
export function visibleTeam(principal: Principal): string | null {
  return principal.role === 'app-team' ? (principal.team ?? '') : null
}

/** The audit actor of a principal. */
export function actorOf(principal: Principal | null): string {
  if (!principal) return 'anonymous'
  return principal.kind === 'token' ? `token:${principal.tokenId ?? '?'}(${principal.username})` : `user:${principal.username}`
}
