import { PhiwallError } from '../model/index.js'
import type { Migration, Store } from './types.js'

/** The bookkeeping table of {@link migrate}. */
const MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  domain text NOT NULL,
  version integer NOT NULL,
  name text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (domain, version)
)`

/** What {@link migrate} did. */
export interface MigrateResult {
  /** Versions applied by this call, in order. */
  applied: number[]
  /** The domain's version after the call. */
  version: number
}

/**
 * Brings a domain's tables up to date: applies, in one transaction, every migration newer than
 * the ones recorded in `schema_migrations(domain, version, name, applied_at)`. Idempotent; refuses
 * (PW_ERR_STORE) a database migrated by a newer PhiWall, and a migration list with duplicate versions.
 */
export async function migrate(store: Store, domain: string, migrations: Migration[]): Promise<MigrateResult> {
  const sorted = [...migrations].sort((a, b) => a.version - b.version)
  for (let i = 0; i < sorted.length; i++) {
    const m = sorted[i]!
    if (!Number.isInteger(m.version) || m.version < 1) throw new PhiwallError('PW_ERR_STORE', `Migration ${domain}/${m.name}: version must be a positive integer, got ${m.version}.`)
    if (i > 0 && sorted[i - 1]!.version === m.version) throw new PhiwallError('PW_ERR_STORE', `Migrations of ${domain} repeat version ${m.version}.`)
  }
  const latest = sorted.at(-1)?.version ?? 0
  await store.exec(MIGRATIONS_TABLE)
  return store.transaction(async (tx) => {
    // serialise concurrent migrators of the same domain (PostgreSQL; PGlite is single-connection anyway)
    if (tx.kind === 'postgres') await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`phiwall:migrate:${domain}`])
    const rows = await tx.query<{ version: number }>('SELECT version FROM schema_migrations WHERE domain = $1', [domain])
    const done = new Set(rows.map((r) => Number(r.version)))
    const current = Math.max(0, ...done)
    if (current > latest) {
      throw new PhiwallError('PW_ERR_STORE', `The database's ${domain} tables are at version ${current}, newer than this PhiWall knows (${latest}); upgrade PhiWall or use another database.`)
    }
    const applied: number[] = []
    for (const m of sorted) {
      if (done.has(m.version)) continue
      await tx.exec(m.sql)
      await tx.query('INSERT INTO schema_migrations (domain, version, name) VALUES ($1, $2, $3)', [domain, m.version, m.name])
      applied.push(m.version)
    }
    return { applied, version: Math.max(current, ...applied) }
  })
}
