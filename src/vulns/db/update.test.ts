import { createHash } from 'node:crypto'
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { PhiwallError } from '../../model/index.js'
import { openStore, type Store } from '../../store/index.js'
import { crc32c, dbStatus, downloadFile, lookupAdvisories, packageKey, parseGoogHash, updateOsv } from './index.js'
import { crc32cBase64 } from './crc32c.js'

const here = path.dirname(fileURLToPath(import.meta.url))
/** The shared OSV test data: beside the repository, or at /work/shared. */
const VULNDB = [path.resolve(here, '../../../../shared/vulndb'), '/work/shared/vulndb'].find((d) => fs.existsSync(d)) ?? path.resolve(here, '../../../../shared/vulndb')
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'phiwall-update-'))

/** What the fake GCS bucket does on the next requests. */
interface Behaviour {
  /** Cut the connection after this many body bytes, on the next full (non-range) response. */
  cutAfter?: number
  /** Serve a body with one byte changed (headers still announce the real hashes). */
  corrupt?: boolean
  /** Answer 503 to this many requests first. */
  fail503?: number
}

interface Served {
  body: Buffer
  etag: string
  googHash: string
}

const files = new Map<string, Served>()
const requests: { url: string; headers: http.IncomingHttpHeaders; status: number }[] = []
let behaviour: Behaviour = {}
let server: http.Server
let baseUrl: string

function serve(rel: string): Served {
  const body = fs.readFileSync(path.join(VULNDB, rel))
  const md5 = createHash('md5').update(body).digest('base64')
  return { body, etag: `"${createHash('md5').update(body).digest('hex')}"`, googHash: `crc32c=${crc32cBase64(crc32c(body))},md5=${md5}` }
}

beforeAll(async () => {
  files.set('/npm/all.zip', serve('npm/all.zip'))
  files.set('/crates.io/all.zip', serve('crates.io/all.zip'))
  files.set('/PyPI/all.zip', serve('PyPI/all.zip'))
  // `Ubuntu:22.04:LTS` must arrive URL-encoded
  files.set('/Ubuntu%3A22.04%3ALTS/all.zip', serve('npm/all.zip'))
  server = http.createServer((req, res) => {
    const log = (status: number): void => void requests.push({ url: req.url ?? '', headers: req.headers, status })
    if (behaviour.fail503 && behaviour.fail503 > 0) {
      behaviour.fail503--
      log(503)
      res.writeHead(503).end()
      return
    }
    const f = files.get(req.url ?? '')
    if (!f) {
      log(404)
      res.writeHead(404).end()
      return
    }
    const common = { ETag: f.etag, 'x-goog-hash': f.googHash, 'Accept-Ranges': 'bytes' }
    if (req.headers['if-none-match'] === f.etag) {
      log(304)
      res.writeHead(304, common).end()
      return
    }
    const range = /^bytes=(\d+)-$/.exec(req.headers['range'] ?? '')
    if (range && req.headers['if-range'] === f.etag) {
      const start = Number(range[1])
      if (start >= f.body.length) {
        log(416)
        res.writeHead(416, { 'Content-Range': `bytes */${f.body.length}` }).end()
        return
      }
      log(206)
      res.writeHead(206, { ...common, 'Content-Range': `bytes ${start}-${f.body.length - 1}/${f.body.length}`, 'Content-Length': f.body.length - start })
      res.end(f.body.subarray(start))
      return
    }
    log(200)
    let body = f.body
    if (behaviour.corrupt) {
      behaviour.corrupt = false
      body = Buffer.from(f.body)
      body[1000] = body[1000]! ^ 0x01
    }
    res.writeHead(200, { ...common, 'Content-Length': body.length })
    if (behaviour.cutAfter !== undefined) {
      const n = behaviour.cutAfter
      behaviour.cutAfter = undefined
      res.write(body.subarray(0, n), () => setTimeout(() => res.destroy(), 200))
      return
    }
    res.end(body)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve))
  fs.rmSync(tmp, { recursive: true, force: true })
})

beforeEach(() => {
  requests.length = 0
  behaviour = {}
})

describe('CRC-32C and x-goog-hash', () => {
  it('computes the Castagnoli check values, also in pieces', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283)
    expect(crc32c(Buffer.alloc(32))).toBe(0x8a9136aa)
    expect(crc32c(Buffer.alloc(32, 0xff))).toBe(0x62a8ab43)
    expect(crc32c(Buffer.from('56789'), crc32c(Buffer.from('1234')))).toBe(0xe3069283)
    expect(crc32cBase64(0xe3069283)).toBe('4waSgw==')
  })

  it('parses the header GCS sends', () => {
    expect(parseGoogHash('crc32c=n03x6A==,md5=Ojk9c3dhfxgoKVVHYwFbHQ==')).toEqual({ crc32c: 'n03x6A==', md5: 'Ojk9c3dhfxgoKVVHYwFbHQ==' })
    expect(parseGoogHash('crc32c=n03x6A==, md5=Ojk9c3dhfxgoKVVHYwFbHQ==')).toEqual({ crc32c: 'n03x6A==', md5: 'Ojk9c3dhfxgoKVVHYwFbHQ==' })
    expect(parseGoogHash(null)).toEqual({})
  })
})

describe('downloadFile', () => {
  it('resumes after a cut connection with Range + If-Range, and the hashes match', async () => {
    const dest = path.join(tmp, 'resume', 'all.zip')
    behaviour = { cutAfter: 100_000 }
    const progress: number[] = []
    const r = await downloadFile(`${baseUrl}/npm/all.zip`, dest, { retryDelayMs: 10, onProgress: (d) => progress.push(d) })
    const f = files.get('/npm/all.zip')!
    expect(r).toMatchObject({ status: 'downloaded', etag: f.etag, resumedFrom: 100_000, md5: createHash('md5').update(f.body).digest('base64') })
    expect(fs.readFileSync(dest).equals(f.body)).toBe(true)
    expect(fs.existsSync(`${dest}.part`)).toBe(false)
    expect(requests.map((q) => [q.status, q.headers['range'], q.headers['if-range']])).toEqual([
      [200, undefined, undefined],
      [206, 'bytes=100000-', f.etag],
    ])
    expect(progress.at(-1)).toBe(f.body.length)
  })

  it('discards a corrupted body: PW_ERR_VULNDB_INTEGRITY, nothing left behind', async () => {
    const dest = path.join(tmp, 'corrupt', 'all.zip')
    behaviour = { corrupt: true }
    const err = await downloadFile(`${baseUrl}/npm/all.zip`, dest, { retryDelayMs: 10 }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(PhiwallError)
    expect((err as PhiwallError).code).toBe('PW_ERR_VULNDB_INTEGRITY')
    const f = files.get('/npm/all.zip')!
    expect((err as PhiwallError).message).toContain(`failed its integrity check (md5 `)
    expect((err as PhiwallError).message).toContain(`≠ announced ${parseGoogHash(f.googHash).md5}, crc32c `)
    expect(fs.readdirSync(path.dirname(dest))).toEqual([])
  })

  it('retries server errors with back-off, then gives up with PW_ERR_VULNDB_DOWNLOAD', async () => {
    behaviour = { fail503: 2 }
    const ok = await downloadFile(`${baseUrl}/crates.io/all.zip`, path.join(tmp, 'retry', 'all.zip'), { retryDelayMs: 10 })
    expect(ok.status).toBe('downloaded')
    expect(requests.map((q) => q.status)).toEqual([503, 503, 200])
    behaviour = { fail503: 10 }
    const err = await downloadFile(`${baseUrl}/crates.io/all.zip`, path.join(tmp, 'retry2', 'all.zip'), { retryDelayMs: 10, attempts: 3 }).catch((e: unknown) => e)
    expect((err as PhiwallError).code).toBe('PW_ERR_VULNDB_DOWNLOAD')
    expect((err as PhiwallError).message).toBe(`Download of ${baseUrl}/crates.io/all.zip failed after 3 attempts: HTTP 503 Service Unavailable.`)
    behaviour = {}
    const gone = await downloadFile(`${baseUrl}/nope/all.zip`, path.join(tmp, 'nope', 'all.zip'), { retryDelayMs: 10 }).catch((e: unknown) => e)
    expect((gone as PhiwallError).message).toBe(`Download of ${baseUrl}/nope/all.zip failed: HTTP 404 Not Found.`)
    const closed = http.createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as AddressInfo).port
    await new Promise((resolve) => closed.close(resolve))
    const refused = await downloadFile(`http://127.0.0.1:${port}/npm/all.zip`, path.join(tmp, 'refused', 'all.zip'), { retryDelayMs: 10, attempts: 2 }).catch((e: unknown) => e)
    expect((refused as PhiwallError).code).toBe('PW_ERR_VULNDB_DOWNLOAD')
    expect((refused as PhiwallError).message).toBe(`Download of http://127.0.0.1:${port}/npm/all.zip failed after 2 attempts: request failed: fetch failed (connect ECONNREFUSED 127.0.0.1:${port}).`)
  })
})

describe('updateOsv', () => {
  let store: Store
  beforeAll(async () => {
    store = await openStore({})
  })
  afterAll(async () => {
    await store.close()
  })

  it('downloads, verifies and imports each ecosystem, then 304 leaves it unchanged', async () => {
    const cacheDir = path.join(tmp, 'cache')
    behaviour = { cutAfter: 50_000 }
    const events = new Set<string>()
    const r = await updateOsv(store, { ecosystems: ['npm', 'crates.io'], baseUrl: `${baseUrl}/`, cacheDir, retryDelayMs: 10, onProgress: (p) => events.add(`${p.ecosystem}:${p.phase}`) })
    expect(r.map((u) => [u.ecosystem, u.url, u.status, u.resumedFrom, u.import?.imported, u.import?.invalid])).toEqual([
      ['npm', `${baseUrl}/npm/all.zip`, 'updated', 50_000, 463, 0],
      ['crates.io', `${baseUrl}/crates.io/all.zip`, 'updated', undefined, 1206, 0],
    ])
    expect([...events]).toEqual(['npm:download', 'npm:import', 'crates.io:download', 'crates.io:import'])
    const npm = files.get('/npm/all.zip')!
    expect(await store.query("SELECT source, etag, sha256, record_count FROM vulndb_meta WHERE ecosystem = 'npm'")).toEqual([
      { source: `${baseUrl}/npm/all.zip`, etag: npm.etag, sha256: createHash('sha256').update(npm.body).digest('hex'), record_count: 463 },
    ])
    expect((await lookupAdvisories(store, [{ ecosystem: 'npm', name: 'lodash' }])).get(packageKey('npm', 'lodash'))!.map((x) => x.id)).toEqual(['NSWG-ECO-368', 'NSWG-ECO-493', 'NSWG-ECO-516'])

    requests.length = 0
    await store.query("UPDATE vulndb_meta SET updated_at = '2020-01-01T00:00:00Z'")
    const again = await updateOsv(store, { ecosystems: ['npm'], baseUrl, cacheDir })
    expect(again).toEqual([{ ecosystem: 'npm', url: `${baseUrl}/npm/all.zip`, status: 'unchanged', etag: npm.etag }])
    expect(requests.map((q) => [q.status, q.headers['if-none-match']])).toEqual([[304, npm.etag]])
    const status = await dbStatus(store, new Date(Date.now() + 60_000))
    expect(status.stale).toBe(false) // the 304 counts as a fresh check for npm
    expect(status.total).toBe(463 + 1206)
  })

  it('URL-encodes ecosystems such as Ubuntu:22.04:LTS and keeps a bad download out of the database', async () => {
    const cacheDir = path.join(tmp, 'cache2')
    const r = await updateOsv(store, { ecosystems: ['Ubuntu:22.04:LTS'], baseUrl, cacheDir })
    expect(r[0]!.url).toBe(`${baseUrl}/Ubuntu%3A22.04%3ALTS/all.zip`)
    expect(fs.existsSync(path.join(cacheDir, 'Ubuntu_22.04_LTS', 'all.zip'))).toBe(true)
    behaviour = { corrupt: true }
    const before = await store.query('SELECT count(*)::int AS n FROM vulndb_records')
    await expect(updateOsv(store, { ecosystems: ['PyPI'], baseUrl, cacheDir: path.join(tmp, 'cache3') })).rejects.toMatchObject({ code: 'PW_ERR_VULNDB_INTEGRITY' })
    expect(fs.readdirSync(path.join(tmp, 'cache3', 'PyPI'))).toEqual([])
    expect(await store.query('SELECT count(*)::int AS n FROM vulndb_records')).toEqual(before)
  })
})
