/**
 * @module store
 * One database for the whole product: embedded PGlite (a data directory on disk) by default,
 * PostgreSQL when a `DATABASE_URL` is given — same SQL, same migrations.
 */
import type { Store, StoreOptions } from './types.js'

export type { Store, StoreOptions, BulkColumn, Migration } from './types.js'
export { migrate } from './migrate.js'
export type { MigrateResult } from './migrate.js'
export { maskDatabaseUrl } from './sql.js'

/**
 * Opens the store: PostgreSQL when `databaseUrl` is set, else PGlite on `dataDir` (in memory
 * when neither is given). Fails with `PhiwallError` `PW_ERR_STORE`.
 *
 * @example
 * const store = await openStore({ dataDir: '.phiwall/db' })
 * const rows = await store.query<{ n: number }>('SELECT 1 AS n')
 */
export async function openStore(options: StoreOptions = {}): Promise<Store> {
  // each driver is loaded when first used: PGlite's WebAssembly and pg cost start-up time no scan should pay
  if (options.databaseUrl) return (await import('./postgres.js')).openPostgres(options.databaseUrl, options.schema)
  return (await import('./pglite.js')).openPglite(options.dataDir, options.schema)
}
