import pg from 'pg'
import { checkIdentifier } from './sql.js'

/**
 * Helpers for tests that run against both backends. PostgreSQL is at
 * `PHIWALL_TEST_DATABASE_URL` (default `postgres://postgres@127.0.0.1:5432/test`, trust auth);
 * its tests are skipped when it is unreachable, except in CI (`CI=true`) where they must run and fail.
 */
export const TEST_DATABASE_URL = process.env['PHIWALL_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test'

/** True when a PostgreSQL server answers at `url` within 3 s. */
export async function postgresReachable(url = TEST_DATABASE_URL): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 })
  client.on('error', () => undefined)
  try {
    await client.connect()
    await client.query('SELECT 1')
    return true
  } catch {
    return false
  } finally {
    await client.end().catch(() => undefined)
  }
}

/** Whether the PostgreSQL leg of the tests runs: when the server answers, and always in CI. */
export async function runPostgresTests(): Promise<boolean> {
  return process.env['CI'] === 'true' || (await postgresReachable())
}

/** A schema name unique to this test file and process, e.g. `t_vulndb_1234_k3x9`. */
export function uniqueSchema(prefix: string): string {
  return checkIdentifier(`t_${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`, 'schema name')
}

/** Drops a test schema and everything in it. */
export async function dropSchema(schema: string, url = TEST_DATABASE_URL): Promise<void> {
  const client = new pg.Client({ connectionString: url })
  client.on('error', () => undefined)
  await client.connect()
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${checkIdentifier(schema, 'schema name')} CASCADE`)
  } finally {
    await client.end()
  }
}
