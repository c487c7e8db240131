import { randomBytes } from 'node:crypto'
import { AUDIT_MIGRATIONS, createAuditLog } from '../audit/index.js'
import { migrate, type Store } from '../store/index.js'
import { AUTH_MIGRATIONS } from './auth/index.js'
import { POSTURE_MIGRATIONS } from './posture/index.js'
import { SEGMENTATION_MIGRATIONS } from './segmentation/index.js'
import type { ServerConfig, ServerContext } from './types.js'

/** Defaults of {@link ServerConfig}. */
export const DEFAULT_SERVER_CONFIG: Omit<ServerConfig, 'secretKey'> = {
  secureCookies: true,
  maxBodyBytes: 32 * 1024 * 1024,
  sessionIdleMs: 30 * 60_000,
  sessionMaxMs: 12 * 3600_000,
  maxConcurrentIngest: 4,
}

/** Each domain's tables, migrated in this order. */
export const SERVER_DOMAINS = [
  ['audit', AUDIT_MIGRATIONS],
  ['auth', AUTH_MIGRATIONS],
  ['posture', POSTURE_MIGRATIONS],
  ['segmentation', SEGMENTATION_MIGRATIONS],
] as const

/**
 * Brings the store's server tables up to date and builds the context every route uses.
 *
 * @example
 * const ctx = await openServerContext({ store: await openStore(), config: { secureCookies: false } })
 * const app = createApp(ctx)
 */
export async function openServerContext(options: { store: Store; config?: Partial<ServerConfig>; clock?: () => Date; log?: (line: string) => void }): Promise<ServerContext> {
  for (const [domain, migrations] of SERVER_DOMAINS) await migrate(options.store, domain, [...migrations])
  const clock = options.clock ?? (() => new Date())
  return {
    store: options.store,
    audit: createAuditLog(options.store, clock),
    clock,
    // without a key (tests, embedding) the context gets a fresh one: secrets sealed under it live as long as the process
    config: { ...DEFAULT_SERVER_CONFIG, secretKey: randomBytes(32), ...options.config },
    log: options.log ?? ((line) => process.stderr.write(`${line}\n`)),
  }
}
