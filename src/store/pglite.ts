import path from 'node:path'
import { PGlite, type Transaction } from '@electric-sql/pglite'
import { PhiwallError } from '../model/index.js'
import { acquireDirLock } from './lock.js'
import { bulkCopySql, bulkInsertSql, checkIdentifier, errorMessage, sqlHead } from './sql.js'
import type { BulkColumn, Store } from './types.js'

/** Subdirectory of the data directory that holds the PostgreSQL cluster. */
export const PGDATA_DIR = 'pgdata'

type Runner = Pick<Transaction, 'query' | 'exec'>

function storeError(what: string, sql: string, err: unknown): PhiwallError {
  if (err instanceof PhiwallError) return err
  return new PhiwallError('PW_ERR_STORE', `${what} failed (${sqlHead(sql)}): ${errorMessage(err)}`, { cause: err })
}

/** A {@link Store} over a PGlite instance or one of its transactions. */
function wrap(runner: Runner, db: PGlite, inTx: boolean, onClose: () => Promise<void>): Store {
  const store: Store = {
    kind: 'pglite',
    async query<T>(sql: string, params?: unknown[]): Promise<T[]> {
      try {
        const res = await runner.query<T>(sql, params)
        return res.rows
      } catch (err) {
        throw storeError('Query', sql, err)
      }
    },
    async exec(sql: string): Promise<void> {
      try {
        await runner.exec(sql)
      } catch (err) {
        throw storeError('Statement', sql, err)
      }
    },
    async transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
      if (inTx) return fn(store)
      try {
        return await db.transaction((tx) => fn(wrap(tx, db, true, onClose)))
      } catch (err) {
        throw storeError('Transaction', 'BEGIN', err)
      }
    },
    async bulkInsert(table: string, columns: BulkColumn[], rows: unknown[][], options?: { onConflict?: string }): Promise<number> {
      if (rows.length === 0) return 0
      if (options?.onConflict) {
        const { sql, params } = bulkInsertSql(table, columns, rows, options.onConflict)
        await store.query(sql, params)
        return rows.length
      }
      const { sql, data } = bulkCopySql(table, columns, rows)
      try {
        await runner.query(sql, [], { blob: new Blob([data]) })
      } catch (err) {
        throw storeError('Bulk insert', sql, err)
      }
      return rows.length
    },
    close: onClose,
  }
  return store
}

/**
 * Opens PGlite: in memory without `dataDir`, else on `<dataDir>/pgdata`, guarded by a lock
 * file with this process's pid so that a second process cannot open (and corrupt) the same directory.
 */
export async function openPglite(dataDir: string | undefined, schema: string | undefined): Promise<Store> {
  const release = dataDir ? acquireDirLock(dataDir) : () => undefined
  let db: PGlite
  try {
    db = dataDir ? await PGlite.create(path.join(path.resolve(dataDir), PGDATA_DIR)) : await PGlite.create()
  } catch (err) {
    release()
    throw new PhiwallError('PW_ERR_STORE', `Cannot open the embedded database${dataDir ? ` in ${path.resolve(dataDir)}` : ''}: ${errorMessage(err)}`, { cause: err })
  }
  let closed = false
  const close = async (): Promise<void> => {
    if (closed) return
    closed = true
    try {
      await db.close()
    } finally {
      release()
    }
  }
  const store = wrap(db, db, false, close)
  if (schema) {
    try {
      const s = checkIdentifier(schema, 'schema name')
      await store.exec(`CREATE SCHEMA IF NOT EXISTS ${s}; SET search_path TO ${s}`)
    } catch (err) {
      await close()
      throw err
    }
  }
  return store
}
