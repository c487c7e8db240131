import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { PhiwallError } from '../../model/index.js'
import type { Store } from '../../store/index.js'
import { crc32c, crc32cBase64 } from './crc32c.js'
import { ensureVulnDb } from './ensure.js'
import { importOsv, type ImportResult } from './import.js'

/** The public OSV export: `<base>/<ECOSYSTEM>/all.zip`. */
export const DEFAULT_OSV_BASE_URL = 'https://osv-vulnerabilities.storage.googleapis.com'

/** Progress of {@link updateOsv}: bytes while downloading, records while importing. */
export interface UpdateProgress {
  ecosystem: string
  phase: 'download' | 'import'
  done: number
  total?: number
}

/** Options of {@link updateOsv}. */
export interface UpdateOptions {
  /** OSV ecosystems to fetch, e.g. `['npm', 'PyPI', 'Debian']`. */
  ecosystems: string[]
  baseUrl?: string
  /** Where downloads (and partial downloads) are kept. */
  cacheDir: string
  /** The fetch to use (tests pass their own); default the global one. */
  fetch?: typeof fetch
  onProgress?: (p: UpdateProgress) => void
  /** Attempts per file on network errors (default 4). */
  attempts?: number
  /** First back-off delay in ms, doubled each retry (default 500). */
  retryDelayMs?: number
}

/** What {@link updateOsv} did for one ecosystem. */
export interface EcosystemUpdate {
  ecosystem: string
  url: string
  /** `unchanged`: the server answered 304 to the stored ETag; nothing imported. */
  status: 'updated' | 'unchanged'
  etag?: string
  sha256?: string
  /** Resumed from a partial download at this byte offset. */
  resumedFrom?: number
  import?: ImportResult
}

/** What a partial download needs to resume: the validator and hashes the server announced. */
interface PartState {
  url: string
  etag?: string
  googHash?: string
}

/** The `crc32c` and `md5` of an `x-goog-hash` header (`crc32c=<b64>,md5=<b64>`). */
export function parseGoogHash(header: string | null | undefined): { crc32c?: string; md5?: string } {
  const out: { crc32c?: string; md5?: string } = {}
  for (const part of (header ?? '').split(',')) {
    const i = part.indexOf('=')
    if (i < 0) continue
    const key = part.slice(0, i).trim().toLowerCase()
    const value = part.slice(i + 1).trim()
    if (key === 'crc32c' || key === 'md5') out[key] = value
  }
  return out
}

/** The digests of a file, computed in one streaming pass. */
export async function fileDigests(file: string): Promise<{ md5: string; crc32c: string; sha256: string }> {
  const md5 = createHash('md5')
  const sha = createHash('sha256')
  let crc = 0
  for await (const chunk of fs.createReadStream(file)) {
    const b = chunk as Buffer
    md5.update(b)
    sha.update(b)
    crc = crc32c(b, crc)
  }
  return { md5: md5.digest('base64'), crc32c: crc32cBase64(crc), sha256: sha.digest('hex') }
}

/** A file name for an ecosystem (`Ubuntu:22.04:LTS` → `Ubuntu_22.04_LTS`). */
function safeName(ecosystem: string): string {
  return ecosystem.replace(/[^A-Za-z0-9._-]/g, '_')
}

function readState(file: string): PartState | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as PartState
  } catch {
    return undefined
  }
}

function removeQuietly(...files: string[]): void {
  for (const f of files) fs.rmSync(f, { force: true })
}

/** Network-level failures and 5xx / 408 / 429 answers are worth retrying; other HTTP errors are not. */
class RetryableError extends Error {}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Downloads `url` to `dest`, resumably: the body goes to `<dest>.part` (with `<dest>.part.json`
 * holding the ETag and announced hashes); a retry asks for the rest with `Range` + `If-Range`
 * (206 appends, 200 starts over). `If-None-Match` with `knownEtag` lets the server answer 304.
 * The complete file is checked against the `x-goog-hash` md5 and crc32c; a mismatch discards it
 * (PW_ERR_VULNDB_INTEGRITY). Network errors are retried with exponential back-off, then PW_ERR_VULNDB_DOWNLOAD.
 */
export async function downloadFile(
  url: string,
  dest: string,
  options: { knownEtag?: string; fetch?: typeof fetch; attempts?: number; retryDelayMs?: number; onProgress?: (done: number, total?: number) => void },
): Promise<{ status: 'unchanged' } | { status: 'downloaded'; etag?: string; sha256: string; md5: string; crc32c: string; resumedFrom?: number }> {
  const doFetch = options.fetch ?? fetch
  const attempts = options.attempts ?? 4
  const delay = options.retryDelayMs ?? 500
  const part = `${dest}.part`
  const stateFile = `${dest}.part.json`
  fs.mkdirSync(path.dirname(dest), { recursive: true })
  let lastError: unknown
  let resumedFrom: number | undefined
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (attempt > 0) await sleep(delay * 2 ** (attempt - 1))
    try {
      let state = readState(stateFile)
      let have = fs.existsSync(part) ? fs.statSync(part).size : 0
      if (!state || state.url !== url || !state.etag) {
        removeQuietly(part, stateFile)
        have = 0
        state = undefined
      }
      const headers: Record<string, string> = {}
      if (have > 0 && state?.etag) {
        headers['Range'] = `bytes=${have}-`
        headers['If-Range'] = state.etag
      } else if (options.knownEtag) headers['If-None-Match'] = options.knownEtag
      let res: Response
      try {
        res = await doFetch(url, { headers })
      } catch (err) {
        throw new RetryableError(`request failed: ${(err as Error).message}${(err as { cause?: Error }).cause ? ` (${(err as { cause: Error }).cause.message})` : ''}`)
      }
      if (res.status === 304) {
        await res.body?.cancel()
        return { status: 'unchanged' }
      }
      if (res.status === 416) {
        // our partial file does not fit the object any more: start over
        await res.body?.cancel()
        removeQuietly(part, stateFile)
        throw new RetryableError('HTTP 416 for the resumed range')
      }
      if (res.status !== 200 && res.status !== 206) {
        await res.body?.cancel()
        const msg = `HTTP ${res.status} ${res.statusText}`.trim()
        if (res.status >= 500 || res.status === 408 || res.status === 429) throw new RetryableError(msg)
        throw new PhiwallError('PW_ERR_VULNDB_DOWNLOAD', `Download of ${url} failed: ${msg}.`)
      }
      let append = false
      let total: number | undefined
      const length = Number(res.headers.get('content-length') ?? NaN)
      if (res.status === 206) {
        const m = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(res.headers.get('content-range') ?? '')
        if (!m || Number(m[1]) !== have) {
          await res.body?.cancel()
          removeQuietly(part, stateFile)
          throw new RetryableError(`unexpected Content-Range ${JSON.stringify(res.headers.get('content-range'))} for a resume at ${have}`)
        }
        append = true
        resumedFrom = have
        total = m[3] === '*' ? undefined : Number(m[3])
      } else {
        have = 0
        total = Number.isFinite(length) ? length : undefined
        state = { url, ...(res.headers.get('etag') ? { etag: res.headers.get('etag')! } : {}), ...(res.headers.get('x-goog-hash') ? { googHash: res.headers.get('x-goog-hash')! } : {}) }
        fs.writeFileSync(stateFile, JSON.stringify(state))
      }
      if (res.headers.get('x-goog-hash')) state = { ...state!, googHash: res.headers.get('x-goog-hash')! }
      const out = fs.createWriteStream(part, { flags: append ? 'a' : 'w' })
      let done = have
      try {
        if (res.body) {
          for await (const chunk of res.body) {
            const b = chunk as Uint8Array
            if (!out.write(b)) await new Promise<void>((resolve) => out.once('drain', () => resolve()))
            done += b.length
            options.onProgress?.(done, total)
          }
        }
      } catch (err) {
        throw new RetryableError(`connection lost after ${done} bytes: ${(err as Error).message}`)
      } finally {
        await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())))
      }
      if (total !== undefined && done !== total) throw new RetryableError(`body ended after ${done} of ${total} bytes`)
      // complete: check what the server announced
      const digests = await fileDigests(part)
      const expected = parseGoogHash(state?.googHash)
      const bad = [expected.md5 && expected.md5 !== digests.md5 ? `md5 ${digests.md5} ≠ announced ${expected.md5}` : '', expected.crc32c && expected.crc32c !== digests.crc32c ? `crc32c ${digests.crc32c} ≠ announced ${expected.crc32c}` : '']
        .filter(Boolean)
        .join(', ')
      if (bad) {
        removeQuietly(part, stateFile)
        throw new PhiwallError('PW_ERR_VULNDB_INTEGRITY', `Download of ${url} failed its integrity check (${bad}); the file was discarded.`)
      }
      fs.renameSync(part, dest)
      removeQuietly(stateFile)
      return { status: 'downloaded', ...(state?.etag ? { etag: state.etag } : {}), ...digests, ...(resumedFrom !== undefined ? { resumedFrom } : {}) }
    } catch (err) {
      if (!(err instanceof RetryableError)) throw err
      lastError = err
    }
  }
  throw new PhiwallError('PW_ERR_VULNDB_DOWNLOAD', `Download of ${url} failed after ${attempts} attempts: ${(lastError as Error).message}.`, { cause: lastError })
}

/**
 * Updates the database from the public OSV export: for each ecosystem, a conditional, resumable,
 * integrity-checked download of `<baseUrl>/<ECOSYSTEM>/all.zip` into `cacheDir`, then
 * {@link importOsv} of the verified zip and the ecosystem's `vulndb_meta` row (URL, ETag, hashes,
 * times). A 304 answer to the stored ETag only marks the ecosystem as checked now.
 */
export async function updateOsv(store: Store, options: UpdateOptions): Promise<EcosystemUpdate[]> {
  await ensureVulnDb(store)
  const base = (options.baseUrl ?? DEFAULT_OSV_BASE_URL).replace(/\/+$/, '')
  const results: EcosystemUpdate[] = []
  for (const ecosystem of options.ecosystems) {
    const url = `${base}/${encodeURIComponent(ecosystem)}/all.zip`
    const dest = path.join(options.cacheDir, safeName(ecosystem), 'all.zip')
    const [meta] = await store.query<{ etag: string | null }>('SELECT etag FROM vulndb_meta WHERE ecosystem = $1', [ecosystem])
    const got = await downloadFile(url, dest, {
      ...(meta?.etag ? { knownEtag: meta.etag } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.attempts !== undefined ? { attempts: options.attempts } : {}),
      ...(options.retryDelayMs !== undefined ? { retryDelayMs: options.retryDelayMs } : {}),
      onProgress: (done, total) => options.onProgress?.({ ecosystem, phase: 'download', done, ...(total !== undefined ? { total } : {}) }),
    })
    if (got.status === 'unchanged') {
      await store.query('UPDATE vulndb_meta SET updated_at = now() WHERE ecosystem = $1', [ecosystem])
      results.push({ ecosystem, url, status: 'unchanged', ...(meta?.etag ? { etag: meta.etag } : {}) })
      continue
    }
    const imported = await importOsv(store, [dest], {
      source: url,
      onProgress: (done, total) => options.onProgress?.({ ecosystem, phase: 'import', done, ...(total !== undefined ? { total } : {}) }),
    })
    await store.query(
      `INSERT INTO vulndb_meta (ecosystem, source, imported_at, updated_at, etag, sha256, md5, crc32c, record_count)
       VALUES ($1, $2, now(), now(), $3, $4, $5, $6, (SELECT count(DISTINCT record_id)::int FROM vulndb_affected WHERE ecosystem = $1))
       ON CONFLICT (ecosystem) DO UPDATE SET source = EXCLUDED.source, imported_at = EXCLUDED.imported_at, updated_at = EXCLUDED.updated_at,
         etag = EXCLUDED.etag, sha256 = EXCLUDED.sha256, md5 = EXCLUDED.md5, crc32c = EXCLUDED.crc32c, record_count = EXCLUDED.record_count`,
      [ecosystem, url, got.etag ?? null, got.sha256, got.md5, got.crc32c],
    )
    results.push({ ecosystem, url, status: 'updated', ...(got.etag ? { etag: got.etag } : {}), sha256: got.sha256, ...(got.resumedFrom !== undefined ? { resumedFrom: got.resumedFrom } : {}), import: imported })
  }
  return results
}
