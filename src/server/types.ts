import type { AuditLog } from '../audit/index.js'
import type { Store } from '../store/index.js'

/** Roles of dashboard users (design.md "Security of PhiWall itself"). */
export const ROLES = ['admin', 'engineer', 'auditor', 'app-team'] as const
export type Role = (typeof ROLES)[number]

/** Scopes of API tokens. `read` lets a token read what its owner's role may read. */
export const TOKEN_SCOPES = ['read', 'scans:write', 'flows:write', 'fingerprints:write', 'phi:write'] as const
export type TokenScope = (typeof TOKEN_SCOPES)[number]

/**
 * What a route may require. `read` and `export` are filtered by team for app-team users;
 * `write` changes posture state (suppress, review, approve, modes, sources); `admin` manages users;
 * `ingest:*` accepts data from the CLI and agents.
 */
export type Permission = 'read' | 'export' | 'write' | 'admin' | 'ingest:scans' | 'ingest:flows' | 'ingest:fingerprints' | 'ingest:phi'

/** Who is calling: a signed-in user (session cookie, second factor done) or an API token. */
export interface Principal {
  kind: 'session' | 'token'
  userId: string
  username: string
  role: Role
  /** The app team of an `app-team` user (its workloads are the resources whose owner is this team). */
  team: string | null
  /** Token principals only: the token's scopes. */
  scopes?: TokenScope[]
  tokenId?: string
  sessionId?: string
}

/** Options of the running server (from `phiwall serve`'s flags). */
export interface ServerConfig {
  /** Cookies get `Secure` (true behind TLS or a TLS-terminating proxy; false only for plain-HTTP loopback). */
  secureCookies: boolean
  /** Largest accepted request body, bytes. */
  maxBodyBytes: number
  /** Idle session lifetime, ms. */
  sessionIdleMs: number
  /** Absolute session lifetime, ms. */
  sessionMaxMs: number
  /** Directory holding the built dashboard (index.html + assets); absent: the API only. */
  webRoot?: string
  /** Data directory (PGlite) — shown on the settings page; absent with PostgreSQL or in memory. */
  dataDir?: string
  /** Cache list answers per posture version (default true; off only to measure or debug the database path). */
  answerCache?: boolean
  /** AES-256 key (32 bytes) sealing the secrets the server reads back (TOTP seeds); from PHIWALL_SECRET_KEY or the key file. */
  secretKey: Buffer
  /** Concurrent ingest requests before answering 503 + Retry-After. */
  maxConcurrentIngest: number
  /** Check parameters of the scans the server runs itself (scheduled sources), as `phiwall scan --check-param` gives them. */
  checkParams?: Record<string, Record<string, string>>
}

/** Everything a route needs: plain data and the store. One per server. */
export interface ServerContext {
  store: Store
  audit: AuditLog
  clock: () => Date
  config: ServerConfig
  /** One line, no PHI or secrets. */
  log: (line: string) => void
}

/** Hono variables set by the middleware. */
export interface AppEnv {
  Variables: {
    principal: Principal | null
    requestId: string
  }
}
