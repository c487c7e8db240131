/** Options of {@link openStore}. */
export interface StoreOptions {
  /** PGlite data directory (embedded store). Ignored when `databaseUrl` is given. Omitted: in memory. */
  dataDir?: string
  /** `postgres://…` URL of a PostgreSQL server; when given, PostgreSQL is used instead of PGlite. */
  databaseUrl?: string
  /** PostgreSQL schema (`search_path`) to work in; created when missing. Lets tests isolate themselves. */
  schema?: string
}

/** A column of {@link Store.bulkInsert}: its name and PostgreSQL type (`text`, `timestamptz`, `int`, `jsonb`, …). */
export interface BulkColumn {
  name: string
  type: string
  /** The values are JSON texts, stored verbatim (as `text`, `json` or `jsonb` per `type`). */
  json?: boolean
}

/**
 * One database for the whole product: PGlite (embedded) or PostgreSQL, same SQL.
 * Every failure is a `PhiwallError` with code `PW_ERR_STORE`.
 */
export interface Store {
  readonly kind: 'pglite' | 'postgres'
  /** Runs one statement with `$1…` parameters and returns its rows. */
  query<T>(sql: string, params?: unknown[]): Promise<T[]>
  /** Runs one or more statements without parameters. */
  exec(sql: string): Promise<void>
  /** Runs `fn` in a transaction: committed when it resolves, rolled back when it throws. Nested calls join the outer one. */
  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T>
  /**
   * Inserts many rows in one round trip: on PGlite without `onConflict` through `COPY … FROM` (fastest),
   * otherwise one `INSERT … SELECT … FROM json_to_recordset($1::json)`. `onConflict` is appended as is (e.g. `ON CONFLICT (id) DO NOTHING`).
   * Returns the number of rows given.
   */
  bulkInsert(table: string, columns: BulkColumn[], rows: unknown[][], options?: { onConflict?: string }): Promise<number>
  /** Closes the connection (and releases the data directory lock). Idempotent. */
  close(): Promise<void>
}

/** One migration of a domain: applied once, in version order. */
export interface Migration {
  version: number
  name: string
  sql: string
}
