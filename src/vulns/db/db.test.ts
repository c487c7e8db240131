import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openStore, type Store } from '../../store/index.js'
import { dropSchema, runPostgresTests, TEST_DATABASE_URL, uniqueSchema } from '../../store/test-support.js'
import { dbStatus, importOsv, lookupAdvisories, packageKey, relatedIds } from './index.js'

const here = path.dirname(fileURLToPath(import.meta.url))
const testdata = path.join(here, 'testdata')
/** The shared OSV test data: beside the repository, or at /work/shared. */
const VULNDB = [path.resolve(here, '../../../../shared/vulndb'), '/work/shared/vulndb'].find((d) => fs.existsSync(d)) ?? path.resolve(here, '../../../../shared/vulndb')
const ZIPS = ['Go', 'crates.io', 'PyPI', 'npm'].map((e) => path.join(VULNDB, e, 'all.zip'))
const runPg = await runPostgresTests()
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'phiwall-vulndb-'))
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }))

/** Ids of the advisories found for one package. */
async function ids(store: Store, ecosystem: string, name: string, release?: string): Promise<string[]> {
  const m = await lookupAdvisories(store, [{ ecosystem, name, ...(release !== undefined ? { release } : {}) }])
  return (m.get(packageKey(ecosystem, name)) ?? []).map((r) => r.id)
}

/** A copy of the npm zip with the compressed bytes of its first entry damaged. */
function zipWithBadEntry(): { file: string; entry: string } {
  const buf = Buffer.from(fs.readFileSync(ZIPS[3]!))
  expect(buf.readUInt32LE(0)).toBe(0x04034b50)
  const nameLen = buf.readUInt16LE(26)
  const entry = buf.subarray(30, 30 + nameLen).toString()
  const data = 30 + nameLen + buf.readUInt16LE(28)
  for (let i = 0; i < 16; i++) buf[data + 10 + i] = buf[data + 10 + i]! ^ 0xff
  const file = path.join(tmp, 'npm-bad-entry.zip')
  fs.writeFileSync(file, buf)
  return { file, entry }
}

function suite(kind: 'pglite' | 'postgres', open: () => Promise<Store>, cleanup: () => Promise<void>): void {
  describe(`vulnerability database on ${kind}`, () => {
    let store: Store
    beforeAll(async () => {
      store = await open()
    })
    afterAll(async () => {
      await store?.close()
      await cleanup()
    })

    it('imports the four real OSV exports: every record valid, counted per ecosystem', async () => {
      const progress: [number, number | undefined][] = []
      const r = await importOsv(store, ZIPS, { onProgress: (done, total) => progress.push([done, total]) })
      expect(r).toEqual({ imported: 8621, updated: 0, unchanged: 0, invalid: 0, diagnostics: [], byEcosystem: { Go: 4291, 'crates.io': 1206, PyPI: 2661, npm: 463 } })
      expect(progress.at(-1)).toEqual([8621, 8621])
      const [counts] = await store.query<{ n: number; withdrawn: number; aliases: number }>(
        'SELECT (SELECT count(*)::int FROM vulndb_records) AS n, (SELECT count(*)::int FROM vulndb_records WHERE withdrawn IS NOT NULL) AS withdrawn, (SELECT count(DISTINCT record_id)::int FROM vulndb_aliases) AS aliases',
      )
      expect(counts!.n).toBe(8621)
      expect(counts!.withdrawn).toBe(40)
      // the stored record is the record imported (compact JSON of the same document)
      const [row] = await store.query<{ record: string; source: string; summary: string }>("SELECT record, source, summary FROM vulndb_records WHERE id = 'NSWG-ECO-22'")
      expect(JSON.parse(row!.record)).toMatchObject({ id: 'NSWG-ECO-22', modified: '2016-04-29T00:00:00.000Z', aliases: ['CVE-2014-1850', 'CVE-2014-3743'] })
      expect(row!.source).toBe(ZIPS[3])
      expect(row!.summary).toBe('Multiple Content Injection Vulnerabilities')
    })

    it('re-importing the same exports changes nothing', async () => {
      const r = await importOsv(store, ZIPS)
      expect(r).toEqual({ imported: 0, updated: 0, unchanged: 8621, invalid: 0, diagnostics: [], byEcosystem: { Go: 4291, 'crates.io': 1206, PyPI: 2661, npm: 463 } })
      expect(await store.query('SELECT count(*)::int AS n FROM vulndb_affected WHERE record_id = $1', ['NSWG-ECO-22'])).toEqual([{ n: 1 }])
    })

    it('looks up hand-checked packages, PEP 503 names, and leaves withdrawn records out', async () => {
      expect(await ids(store, 'npm', 'lodash')).toEqual(['NSWG-ECO-368', 'NSWG-ECO-493', 'NSWG-ECO-516'])
      expect(await ids(store, 'npm', 'marked')).toEqual(['NSWG-ECO-101', 'NSWG-ECO-22', 'NSWG-ECO-23', 'NSWG-ECO-24'])
      expect(await ids(store, 'crates.io', 'smallvec')).toEqual(['RUSTSEC-2018-0003', 'RUSTSEC-2018-0018', 'RUSTSEC-2019-0009', 'RUSTSEC-2019-0012', 'RUSTSEC-2021-0003'])
      expect((await ids(store, 'PyPI', 'Django')).length).toBe(116)
      expect(await ids(store, 'PyPI', 'Flask_CORS')).toEqual(['PYSEC-2020-43', 'PYSEC-2024-71'])
      expect(await ids(store, 'PyPI', 'JW-Util')).toEqual(['PYSEC-2020-341']) // stored as `jw.util`
      expect(await ids(store, 'npm', 'Lodash')).toEqual([]) // npm names are not folded
      const k8s = await ids(store, 'Go', 'k8s.io/kubernetes')
      expect(k8s.length).toBe(44) // 45 records name it; GO-2022-0617 is withdrawn
      expect(k8s).not.toContain('GO-2022-0617')
      expect(k8s.slice(0, 3)).toEqual(['GO-2021-0066', 'GO-2022-0701', 'GO-2022-0703'])
    })

    it('answers 3,700 packages in one round trip (its speed is measured in bench/vulns.mjs)', async () => {
      const names = await store.query<{ ecosystem: string; name: string }>(
        'SELECT DISTINCT a.ecosystem, a.name FROM vulndb_affected a JOIN vulndb_records r ON r.id = a.record_id WHERE r.withdrawn IS NULL ORDER BY a.ecosystem, a.name LIMIT 3000',
      )
      const packages = [...names, ...Array.from({ length: 700 }, (_, i) => ({ ecosystem: 'npm', name: `no-such-package-${i}` }))]
      const found = await lookupAdvisories(store, packages)
      expect(found.size).toBe(3700)
      expect(found.get(packageKey('npm', 'no-such-package-0'))).toEqual([])
      expect([...found.values()].filter((l) => l.length > 0).length).toBe(3000)
    })

    it('a newer `modified` replaces a record and its index rows; an older one does not', async () => {
      const dir = path.join(tmp, 'newer')
      fs.mkdirSync(dir, { recursive: true })
      const base = { schema_version: '1.7.0', id: 'NSWG-ECO-22', published: '2014-01-31T00:00:00.000Z', aliases: ['CVE-2014-1850'], affected: [{ package: { ecosystem: 'npm', name: 'marked-renamed' }, versions: ['0.3.0'] }] }
      fs.writeFileSync(path.join(dir, 'NSWG-ECO-22.json'), JSON.stringify({ ...base, modified: '2024-01-01T00:00:00Z', summary: 'newer' }))
      expect(await importOsv(store, [dir])).toMatchObject({ imported: 0, updated: 1, unchanged: 0, invalid: 0 })
      expect(await ids(store, 'npm', 'marked')).toEqual(['NSWG-ECO-101', 'NSWG-ECO-23', 'NSWG-ECO-24'])
      const [renamed] = (await lookupAdvisories(store, [{ ecosystem: 'npm', name: 'marked-renamed' }])).values()
      expect(renamed!.map((r) => [r.id, r.summary, r.modified])).toEqual([['NSWG-ECO-22', 'newer', '2024-01-01T00:00:00Z']])
      expect(await relatedIds(store, ['NSWG-ECO-22'])).toEqual(['CVE-2014-1850', 'NSWG-ECO-22'])
      fs.writeFileSync(path.join(dir, 'NSWG-ECO-22.json'), JSON.stringify({ ...base, modified: '2020-01-01T00:00:00Z', summary: 'older' }))
      expect(await importOsv(store, [dir])).toMatchObject({ imported: 0, updated: 0, unchanged: 1, invalid: 0 })
      expect(await store.query("SELECT summary FROM vulndb_records WHERE id = 'NSWG-ECO-22'")).toEqual([{ summary: 'newer' }])
      // the original export is older again: unchanged, the newer record stays
      expect(await importOsv(store, [ZIPS[3]!])).toMatchObject({ imported: 0, updated: 0, unchanged: 463 })
    })

    it('reports bad records as diagnostics and stores the rest', async () => {
      const dir = path.join(testdata, 'bad')
      const r = await importOsv(store, [dir])
      const rel = (f: string): string => path.join(dir, f)
      expect(r.imported).toBe(1)
      expect(r.invalid).toBe(4)
      expect(r.diagnostics.map((d) => [d.code, d.file, d.message])).toEqual([
        ['PW_ERR_VULNDB_RECORD_INVALID', rel('BADRANGE-0005.json'), `OSV record ${rel('BADRANGE-0005.json')} is invalid at affected.0.ranges.0.events: Too small: expected array to have >=1 items`],
        ['PW_ERR_VULNDB_RECORD_INVALID', rel('BADTIME-0004.json'), `OSV record ${rel('BADTIME-0004.json')} is invalid at modified: "yesterday" is not an RFC 3339 time.`],
        ['PW_ERR_VULNDB_RECORD_INVALID', rel('BROKEN-0002.json'), `OSV record ${rel('BROKEN-0002.json')} is not JSON: Unexpected end of JSON input`],
        ['PW_ERR_VULNDB_RECORD_INVALID', rel('NOMOD-0003.json'), `OSV record ${rel('NOMOD-0003.json')} is invalid at modified: Invalid input: expected string, received undefined`],
      ])
      expect(await ids(store, 'npm', 'good-pkg')).toEqual(['GOOD-0001'])
    })

    it('reports a corrupt zip and a damaged entry, and reads the rest of the zip', async () => {
      const truncated = path.join(tmp, 'truncated.zip')
      fs.writeFileSync(truncated, fs.readFileSync(ZIPS[2]!).subarray(0, 100_000))
      const { file, entry } = zipWithBadEntry()
      const r = await importOsv(store, [truncated, file])
      expect(r.diagnostics).toEqual([
        { code: 'PW_ERR_VULNDB_RECORD_INVALID', level: 'error', file: truncated, message: `Cannot read the zip ${truncated}: End of central directory record signature not found. Either not a zip file, or file is truncated.` },
        { code: 'PW_ERR_VULNDB_RECORD_INVALID', level: 'error', file, path: entry, message: expect.stringMatching(new RegExp(`^Cannot read entry ${entry.replace('.', '\\.')} of ${file.replace(/[.]/g, '\\.')}: `)) },
      ])
      expect(r).toMatchObject({ imported: 0, updated: 0, unchanged: 462, invalid: 1 })
    })

    it('matches OS advisories by release, including Ubuntu `22.04:LTS` and point releases', async () => {
      const r = await importOsv(store, [path.join(testdata, 'os')])
      expect(r).toMatchObject({ imported: 9, invalid: 0, byEcosystem: { Debian: 4, Ubuntu: 2, Alpine: 1, PyPI: 2, npm: 1 } })
      expect(await ids(store, 'Debian', 'openssl', '12')).toEqual(['DEBIAN-CVE-2024-0001', 'DEBIAN-CVE-2024-0003'])
      expect(await ids(store, 'Debian', 'openssl', '12.5')).toEqual(['DEBIAN-CVE-2024-0001', 'DEBIAN-CVE-2024-0003'])
      expect(await ids(store, 'Debian', 'openssl', '11')).toEqual(['DEBIAN-CVE-2024-0002', 'DEBIAN-CVE-2024-0003'])
      expect(await ids(store, 'Debian', 'openssl')).toEqual(['DEBIAN-CVE-2024-0001', 'DEBIAN-CVE-2024-0002', 'DEBIAN-CVE-2024-0003'])
      expect(await ids(store, 'Ubuntu', 'openssl', '22.04')).toEqual(['UBUNTU-CVE-2024-0004'])
      expect(await ids(store, 'Ubuntu', 'openssl', '20.04:LTS')).toEqual(['UBUNTU-CVE-2024-0005'])
      expect(await ids(store, 'Alpine', 'openssl', 'v3.19')).toEqual(['ALPINE-CVE-2024-0006'])
      expect(await ids(store, 'Alpine', 'openssl', '3.19.1')).toEqual(['ALPINE-CVE-2024-0006'])
      expect(await ids(store, 'Alpine', 'openssl', '3.1')).toEqual([])
      expect(await ids(store, 'PyPI', 'zope-interface-extra')).toEqual(['PYSEC-2099-1'])
      // one record, two affected entries for the same package (two spellings), one for npm
      const m = await lookupAdvisories(store, [
        { ecosystem: 'PyPI', name: 'twin.a' },
        { ecosystem: 'npm', name: 'twin-b' },
        { ecosystem: 'Debian', name: 'openssl', release: '11' },
        { ecosystem: 'Debian', name: 'openssl', release: '12' },
      ])
      expect([...m.entries()].map(([k, v]) => [k, v.map((x) => x.id)])).toEqual([
        ['PyPI\u0000twin-a', ['GHSA-2099-twin']],
        ['npm\u0000twin-b', ['GHSA-2099-twin']],
        ['Debian\u0000openssl', ['DEBIAN-CVE-2024-0001', 'DEBIAN-CVE-2024-0002', 'DEBIAN-CVE-2024-0003']],
      ])
      expect(await relatedIds(store, ['CVE-2099-0001'])).toEqual(['CVE-2099-0001', 'GHSA-2099-twin', 'PYSEC-2099-1'])
      expect(await relatedIds(store, ['PYSEC-2019-217'])).toEqual(['CVE-2019-10906', 'GHSA-462w-v97r-4m45', 'PYSEC-2019-217'])
    })

    it('tells counts and age, stale after 7 days on a fixed clock', async () => {
      await store.query("UPDATE vulndb_meta SET updated_at = '2026-01-01T00:00:00Z', imported_at = '2026-01-01T00:00:00Z'")
      const s = await dbStatus(store, new Date('2026-01-08T00:00:00Z'))
      expect(s.ecosystems.map((e) => [e.ecosystem, e.records, e.importedAt])).toEqual([
        ['Alpine', 1, '2026-01-01T00:00:00.000Z'],
        ['Debian', 4, '2026-01-01T00:00:00.000Z'],
        ['Go', 4291, '2026-01-01T00:00:00.000Z'],
        ['PyPI', 2663, '2026-01-01T00:00:00.000Z'],
        ['Ubuntu', 2, '2026-01-01T00:00:00.000Z'],
        ['crates.io', 1206, '2026-01-01T00:00:00.000Z'],
        ['npm', 465, '2026-01-01T00:00:00.000Z'],
      ])
      expect(s.ecosystems.find((e) => e.ecosystem === 'Go')!.source).toBe(ZIPS[0])
      expect({ total: s.total, lastUpdated: s.lastUpdated, ageDays: s.ageDays, stale: s.stale }).toEqual({ total: 8621 + 1 + 9, lastUpdated: '2026-01-01T00:00:00.000Z', ageDays: 7, stale: false })
      expect(await dbStatus(store, new Date('2026-01-08T00:00:01Z'))).toMatchObject({ ageDays: 7, stale: true })
      expect(await dbStatus(store, new Date('2026-01-31T12:00:00Z'))).toMatchObject({ ageDays: 30, stale: true })
    })
  })
}

suite('pglite', () => openStore({ dataDir: path.join(tmp, 'pglite') }), async () => undefined)

const schema = uniqueSchema('vulndb')
describe.skipIf(!runPg)('postgres', () => {
  suite('postgres', () => openStore({ databaseUrl: TEST_DATABASE_URL, schema }), () => dropSchema(schema))
})

describe('an empty database', () => {
  it('is stale, with no ecosystems, and looks up nothing', async () => {
    const store = await openStore({})
    try {
      expect(await dbStatus(store, new Date('2026-01-01T00:00:00Z'))).toEqual({ ecosystems: [], total: 0, stale: true })
      expect([...(await lookupAdvisories(store, [{ ecosystem: 'npm', name: 'lodash' }])).entries()]).toEqual([['npm\u0000lodash', []]])
    } finally {
      await store.close()
    }
  })
})
