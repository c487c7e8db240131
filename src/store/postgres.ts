import pg from 'pg'
import { PhiwallError } from '../model/index.js'
import { bulkInsertSql, checkIdentifier, errorMessage, maskDatabaseUrl, sqlHead } from './sql.js'
import type { BulkColumn, Store } from './types.js'

type Runner = Pick<pg.PoolClient, 'query'>

function storeError(what: string, sql: string, err: unknown): PhiwallError {
  if (err instanceof PhiwallError) return err
  return new PhiwallError('PW_ERR_STORE', `${what} failed (${sqlHead(sql)}): ${errorMessage(err)}`, { cause: err })
}

/** A {@link Store} over a pool (each call takes any connection) or one client holding a transaction. */
function wrap(runner: Runner, pool: pg.Pool, inTx: boolean, onClose: () => Promise<void>): Store {
  const store: Store = {
    kind: 'postgres',
    async query<T>(sql: string, params?: unknown[]): Promise<T[]> {
      try {
        const res = await runner.query(sql, params)
        return res.rows as T[]
      } catch (err) {
        throw storeError('Query', sql, err)
      }
    },
    async exec(sql: string): Promise<void> {
      try {
        await runner.query(sql)
      } catch (err) {
        throw storeError('Statement', sql, err)
      }
    },
    async transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
      if (inTx) return fn(store)
      let client: pg.PoolClient
      try {
        client = await pool.connect()
      } catch (err) {
        throw storeError('Connection', 'BEGIN', err)
      }
      try {
        await client.query('BEGIN')
        const result = await fn(wrap(client, pool, true, onClose))
        await client.query('COMMIT')
        return result
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined)
        throw storeError('Transaction', 'BEGIN', err)
      } finally {
        client.release()
      }
    },
    async bulkInsert(table: string, columns: BulkColumn[], rows: unknown[][], options?: { onConflict?: string }): Promise<number> {
      if (rows.length === 0) return 0
      const { sql, params } = bulkInsertSql(table, columns, rows, options?.onConflict)
      await store.query(sql, params)
      return rows.length
    },
    close: onClose,
  }
  return store
}

/**
 * Connects to PostgreSQL at `url` (a pool of up to 4 connections). With `schema`, the schema is
 * created when missing and every connection starts with it as `search_path`. Fails with
 * `PW_ERR_STORE` (the URL's password masked) when the server cannot be reached.
 */
export async function openPostgres(url: string, schema: string | undefined): Promise<Store> {
  const masked = maskDatabaseUrl(url)
  const s = schema ? checkIdentifier(schema, 'schema name') : undefined
  const pool = new pg.Pool({ connectionString: url, max: 4, connectionTimeoutMillis: 10_000, ...(s ? { options: `-c search_path=${s}` } : {}) })
  pool.on('error', () => undefined) // an idle client lost its connection: the next query reconnects or fails itself
  try {
    const client = await pool.connect()
    try {
      if (s) await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`)
    } finally {
      client.release()
    }
  } catch (err) {
    await pool.end().catch(() => undefined)
    throw new PhiwallError('PW_ERR_STORE', `Cannot connect to PostgreSQL at ${masked}: ${errorMessage(err)}`, { cause: err })
  }
  let closed = false
  const close = async (): Promise<void> => {
    if (closed) return
    closed = true
    await pool.end()
  }
  return wrap(pool, pool, false, close)
}
