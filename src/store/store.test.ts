import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { spawn } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PhiwallError } from '../model/index.js'
import { maskDatabaseUrl, migrate, openStore, type Store } from './index.js'
import { bulkInsertSql } from './sql.js'
import { LOCK_FILE } from './lock.js'
import { dropSchema, runPostgresTests, TEST_DATABASE_URL, uniqueSchema } from './test-support.js'

const runPg = await runPostgresTests()
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'phiwall-store-'))
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }))

const MIGRATIONS = [
  { version: 1, name: 'items', sql: 'CREATE TABLE items (id text PRIMARY KEY, n integer NOT NULL, at timestamptz)' },
  { version: 2, name: 'items-note', sql: 'ALTER TABLE items ADD COLUMN note text' },
]

/** The same behaviour, asserted on each backend. */
function contract(name: 'pglite' | 'postgres', open: () => Promise<Store>, cleanup: () => Promise<void>): void {
  describe(`store contract on ${name}`, () => {
    let store: Store
    beforeAll(async () => {
      store = await open()
    })
    afterAll(async () => {
      await store?.close()
      await cleanup()
    })

    it('reports its kind and answers a query with parameters', async () => {
      expect(store.kind).toBe(name)
      expect(await store.query<{ n: number; s: string }>('SELECT $1::int + 1 AS n, $2::text AS s', [41, 'x'])).toEqual([{ n: 42, s: 'x' }])
    })

    it('migrates once, records the versions, and is idempotent', async () => {
      expect(await migrate(store, 'test', MIGRATIONS)).toEqual({ applied: [1, 2], version: 2 })
      expect(await migrate(store, 'test', MIGRATIONS)).toEqual({ applied: [], version: 2 })
      const rows = await store.query<{ version: number; name: string }>("SELECT version, name FROM schema_migrations WHERE domain = 'test' ORDER BY version")
      expect(rows).toEqual([
        { version: 1, name: 'items' },
        { version: 2, name: 'items-note' },
      ])
    })

    it('refuses a database newer than the code', async () => {
      const err = await migrate(store, 'test', MIGRATIONS.slice(0, 1)).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(PhiwallError)
      expect((err as PhiwallError).code).toBe('PW_ERR_STORE')
      expect((err as PhiwallError).message).toBe("The database's test tables are at version 2, newer than this PhiWall knows (1); upgrade PhiWall or use another database.")
    })

    it('rolls a failing migration back entirely', async () => {
      const bad = [...MIGRATIONS, { version: 3, name: 'half', sql: 'CREATE TABLE half (x int); SELECT no_such_function()' }]
      await expect(migrate(store, 'test', bad)).rejects.toMatchObject({ code: 'PW_ERR_STORE' })
      expect(await store.query("SELECT to_regclass('half') AS t")).toEqual([{ t: null }])
      expect(await store.query("SELECT max(version) AS v FROM schema_migrations WHERE domain = 'test'")).toEqual([{ v: 2 }])
    })

    it('bulk-inserts with one JSON parameter, nulls, verbatim JSON text and ON CONFLICT', async () => {
      const cols = [
        { name: 'id', type: 'text' },
        { name: 'n', type: 'integer' },
        { name: 'at', type: 'timestamptz' },
        { name: 'note', type: 'text' },
      ]
      const rows = Array.from({ length: 1000 }, (_, i) => [`k${i}`, i, '2024-01-02T03:04:05Z', i % 2 ? null : `n'${i}"`])
      expect(await store.bulkInsert('items', cols, rows)).toBe(1000)
      await store.bulkInsert('items', cols, [['k1', 7, null, 'dup']], { onConflict: 'ON CONFLICT (id) DO NOTHING' })
      await store.bulkInsert('items', [{ name: 'id', type: 'text' }, { name: 'n', type: 'int' }, { name: 'note', type: 'text', json: true }], [['j1', 0, '{"b": 1, "a": [true]}']])
      const r = await store.query<{ c: number; s: number; notes: number }>("SELECT count(*)::int AS c, sum(n)::int AS s, count(note)::int AS notes FROM items")
      expect(r).toEqual([{ c: 1001, s: 499500, notes: 501 }])
      expect(await store.query("SELECT note FROM items WHERE id = 'j1'")).toEqual([{ note: '{"b": 1, "a": [true]}' }])
      expect(await store.query("SELECT note, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') AS at FROM items WHERE id = 'k10'")).toEqual([{ note: `n'10"`, at: '2024-01-02 03:04:05' }])
    })

    it('commits a transaction and rolls back on error', async () => {
      await store.transaction(async (tx) => {
        await tx.query("INSERT INTO items (id, n) VALUES ('t1', 1)")
        await tx.transaction(async (inner) => inner.query("INSERT INTO items (id, n) VALUES ('t2', 2)"))
      })
      const err = await store
        .transaction(async (tx) => {
          await tx.query("INSERT INTO items (id, n) VALUES ('t3', 3)")
          throw new Error('boom')
        })
        .catch((e: unknown) => e)
      expect((err as PhiwallError).code).toBe('PW_ERR_STORE')
      expect((err as PhiwallError).message).toBe('Transaction failed (BEGIN): boom')
      expect(await store.query("SELECT id FROM items WHERE id LIKE 't_' ORDER BY id")).toEqual([{ id: 't1' }, { id: 't2' }])
    })

    it('wraps SQL errors as PW_ERR_STORE naming the statement', async () => {
      const err = await store.query('SELECT * FROM no_such_table').catch((e: unknown) => e)
      expect(err).toBeInstanceOf(PhiwallError)
      expect((err as PhiwallError).code).toBe('PW_ERR_STORE')
      expect((err as PhiwallError).message).toBe('Query failed (SELECT * FROM no_such_table): relation "no_such_table" does not exist')
    })
  })
}

contract(
  'pglite',
  () => openStore({ dataDir: path.join(tmp, 'contract'), schema: 'isolated' }),
  async () => undefined,
)

const pgSchema = uniqueSchema('store')
describe.skipIf(!runPg)('postgres', () => {
  contract(
    'postgres',
    () => openStore({ databaseUrl: TEST_DATABASE_URL, schema: pgSchema }),
    () => dropSchema(pgSchema),
  )

  it('masks the password of an unreachable server', async () => {
    const err = await openStore({ databaseUrl: 'postgres://app:s3cret@127.0.0.1:1/db' }).catch((e: unknown) => e)
    expect((err as PhiwallError).code).toBe('PW_ERR_STORE')
    expect((err as PhiwallError).message).toMatch(/^Cannot connect to PostgreSQL at postgres:\/\/app:\*\*\*\*@127\.0\.0\.1:1\/db: .*ECONNREFUSED/)
    expect((err as PhiwallError).message).not.toContain('s3cret')
  })
})

describe('PGlite data directory', () => {
  it('persists across reopen', async () => {
    const dir = path.join(tmp, 'persist')
    const a = await openStore({ dataDir: dir })
    await a.exec("CREATE TABLE kept (v text); INSERT INTO kept VALUES ('yes')")
    await a.close()
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false)
    const b = await openStore({ dataDir: dir })
    expect(await b.query('SELECT v FROM kept')).toEqual([{ v: 'yes' }])
    await b.close()
  })

  it('refuses a directory locked by another live process, then takes the lock over once it is gone', async () => {
    const dir = path.join(tmp, 'locked')
    fs.mkdirSync(dir, { recursive: true })
    const lock = path.join(dir, LOCK_FILE)
    // another process takes the lock the way openStore does (exclusive create with its pid) and stays alive
    const child = spawn(process.execPath, ['-e', `require('fs').writeFileSync(${JSON.stringify(lock)}, process.pid + '\\n', { flag: 'wx' }); console.log('locked'); setTimeout(() => {}, 60000)`])
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()))
    const err = await openStore({ dataDir: dir }).catch((e: unknown) => e)
    expect((err as PhiwallError).code).toBe('PW_ERR_STORE')
    expect((err as PhiwallError).message).toBe(`The data directory ${path.resolve(dir)} is in use by another PhiWall process (pid ${child.pid}); stop it or use another --data-dir. If no such process runs, delete ${lock}.`)
    child.kill('SIGKILL')
    await new Promise((resolve) => child.once('exit', resolve))
    // its lock is now stale: taken over
    const s = await openStore({ dataDir: dir })
    expect(fs.readFileSync(lock, 'utf8')).toBe(`${process.pid}\n`)
    const twice = await openStore({ dataDir: dir }).catch((e: unknown) => e)
    expect((twice as PhiwallError).message).toContain('is already open in this process')
    await s.close()
  })
})

/** The built store (npm test builds before testing), to open the same directory from a second real process. */
const builtStore = new URL('../../dist/store/index.js', import.meta.url)

describe('PGlite data directory across processes', () => {
  it.skipIf(!fs.existsSync(builtStore))('a second PhiWall process opening the same directory gets PW_ERR_STORE', async () => {
    const dir = path.join(tmp, 'two-processes')
    const s = await openStore({ dataDir: dir })
    await s.exec('CREATE TABLE t (x int)')
    const script = `import { openStore } from ${JSON.stringify(builtStore.href)}
try { await openStore({ dataDir: ${JSON.stringify(dir)} }); console.log('opened') } catch (e) { console.log(e.code + ': ' + e.message) }`
    const child = spawn(process.execPath, ['--input-type=module', '-e', script])
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    await new Promise((resolve) => child.once('exit', resolve))
    expect(out.trim()).toBe(`PW_ERR_STORE: The data directory ${path.resolve(dir)} is in use by another PhiWall process (pid ${process.pid}); stop it or use another --data-dir. If no such process runs, delete ${path.join(path.resolve(dir), LOCK_FILE)}.`)
    // the first process is unharmed
    expect(await s.query('SELECT count(*)::int AS n FROM t')).toEqual([{ n: 0 }])
    await s.close()
  })
})

describe('helpers', () => {
  it('masks passwords in connection strings', () => {
    expect(maskDatabaseUrl('postgres://app:s3cret@db:5432/phiwall?sslmode=require')).toBe('postgres://app:****@db:5432/phiwall?sslmode=require')
    expect(maskDatabaseUrl('postgres://db/x?password=abc')).toBe('postgres://db/x?password=****')
    expect(maskDatabaseUrl('postgres://db/x')).toBe('postgres://db/x')
  })

  it('builds the json_to_recordset statement and refuses unsafe identifiers', () => {
    expect(bulkInsertSql('t', [{ name: 'id', type: 'text' }, { name: 'n', type: 'int' }, { name: 'doc', type: 'jsonb', json: true }], [['a"', 1, '{"x": [1]}'], ['b', undefined, null]])).toEqual({
      sql: 'INSERT INTO t (id, n, doc) SELECT id, n, doc::jsonb FROM json_to_recordset($1::json) AS x(id text, n int, doc json)',
      params: ['[{"id":"a\\"","n":1,"doc":{"x": [1]}},{"id":"b","n":null,"doc":null}]'],
    })
    expect(() => bulkInsertSql('t; drop', [{ name: 'id', type: 'text' }], [])).toThrow('Invalid SQL table name')
  })
})
