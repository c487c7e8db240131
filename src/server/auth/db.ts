import type { Migration, Store } from '../../store/index.js'
import type { Role, TokenScope } from '../types.js'

/** The tables of users, sessions, recovery codes and API tokens. */
export const AUTH_MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'users-sessions-tokens',
    sql: `CREATE TABLE auth_users (
  id text PRIMARY KEY,
  username text NOT NULL UNIQUE,
  role text NOT NULL CHECK (role IN ('admin', 'engineer', 'auditor', 'app-team')),
  team text,
  password_hash text NOT NULL,
  must_change_password boolean NOT NULL,
  totp_secret text,
  totp_pending_secret text,
  totp_last_step bigint,
  disabled boolean NOT NULL DEFAULT false,
  failed_attempts integer NOT NULL DEFAULT 0,
  locked_until timestamptz,
  last_login_at timestamptz,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE TABLE auth_recovery_codes (
  user_id text NOT NULL REFERENCES auth_users (id) ON DELETE CASCADE,
  code_hash text NOT NULL,
  used_at timestamptz,
  PRIMARY KEY (user_id, code_hash)
);
CREATE TABLE auth_sessions (
  id_hash text PRIMARY KEY,
  user_id text NOT NULL REFERENCES auth_users (id) ON DELETE CASCADE,
  stage text NOT NULL CHECK (stage IN ('password', 'enrol', 'totp', 'done')),
  csrf_token text NOT NULL,
  created_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL
);
CREATE INDEX auth_sessions_user ON auth_sessions (user_id);
CREATE TABLE auth_tokens (
  id text PRIMARY KEY,
  user_id text NOT NULL REFERENCES auth_users (id) ON DELETE CASCADE,
  name text NOT NULL,
  scopes jsonb NOT NULL,
  prefix text NOT NULL,
  secret_hash text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  last_used_at timestamptz
);
CREATE INDEX auth_tokens_user ON auth_tokens (user_id);`,
  },
]

/** A row of auth_users. */
export interface UserRow {
  id: string
  username: string
  role: Role
  team: string | null
  password_hash: string
  must_change_password: boolean
  totp_secret: string | null
  totp_pending_secret: string | null
  totp_last_step: number | string | null
  disabled: boolean
  failed_attempts: number
  locked_until: Date | string | null
  last_login_at: Date | string | null
  created_at: Date | string
}

/** A session stage: what the sign-in still needs ('done' = signed in). */
export type Stage = 'password' | 'enrol' | 'totp' | 'done'

/** A row of auth_sessions. */
export interface SessionRow {
  id_hash: string
  user_id: string
  stage: Stage
  csrf_token: string
  created_at: Date | string
  last_seen_at: Date | string
}

/** A row of auth_tokens with its owner's username. */
export interface TokenRow {
  id: string
  user_id: string
  name: string
  scopes: TokenScope[] | string
  prefix: string
  created_at: Date | string
  expires_at: Date | string
  last_used_at: Date | string | null
  owner: string
}

/** The API's User shape. */
export interface ApiUser {
  id: string
  username: string
  role: Role
  team: string | null
  disabled: boolean
  totpEnrolled: boolean
  lockedUntil: string | null
  lastLoginAt: string | null
  createdAt: string
}

/** The API's Token shape. */
export interface ApiToken {
  id: string
  name: string
  scopes: TokenScope[]
  prefix: string
  createdAt: string
  expiresAt: string
  lastUsedAt: string | null
  owner: string
}

/** ISO string of a timestamptz value, or null. */
export function iso(v: Date | string | null | undefined): string | null {
  return v === null || v === undefined ? null : new Date(v).toISOString()
}

/** The time of a timestamptz value in ms, or null. */
export function ms(v: Date | string | null | undefined): number | null {
  return v === null || v === undefined ? null : new Date(v).getTime()
}

/** The User answer of a row (`now` decides whether a lock still holds). */
export function apiUser(u: UserRow, now: Date): ApiUser {
  const locked = ms(u.locked_until)
  return {
    id: u.id,
    username: u.username,
    role: u.role,
    team: u.team,
    disabled: u.disabled,
    totpEnrolled: u.totp_secret !== null,
    lockedUntil: locked !== null && locked > now.getTime() ? iso(u.locked_until) : null,
    lastLoginAt: iso(u.last_login_at),
    createdAt: iso(u.created_at)!,
  }
}

/** The Token answer of a row. */
export function apiToken(t: TokenRow): ApiToken {
  return {
    id: t.id,
    name: t.name,
    scopes: typeof t.scopes === 'string' ? (JSON.parse(t.scopes) as TokenScope[]) : t.scopes,
    prefix: t.prefix,
    createdAt: iso(t.created_at)!,
    expiresAt: iso(t.expires_at)!,
    lastUsedAt: iso(t.last_used_at),
    owner: t.owner,
  }
}

/** The user with `id`, or null. */
export async function userById(db: Store, id: string): Promise<UserRow | null> {
  return (await db.query<UserRow>('SELECT * FROM auth_users WHERE id = $1', [id]))[0] ?? null
}

/** The user named `username` (case-insensitive), or null. */
export async function userByName(db: Store, username: string): Promise<UserRow | null> {
  return (await db.query<UserRow>('SELECT * FROM auth_users WHERE username = $1', [username.toLowerCase()]))[0] ?? null
}

/** The first step a user's sign-in needs after the password. */
export function stageAfterPassword(u: Pick<UserRow, 'must_change_password' | 'totp_secret'>): Stage {
  if (u.must_change_password) return 'password'
  return u.totp_secret === null ? 'enrol' : 'totp'
}

/** Serialises changes to users (last-admin checks, bootstrap) on PostgreSQL; PGlite has one connection. */
export async function lockUsers(tx: Store): Promise<void> {
  if (tx.kind === 'postgres') await tx.query(`SELECT pg_advisory_xact_lock(hashtext('phiwall:auth:users:' || current_schema()))`)
}
