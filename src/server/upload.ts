import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import { PhiwallError, type ScanResult } from '../model/index.js'

/** Options of {@link uploadScan}. */
export interface UploadOptions {
  /** The server's base URL (https://, or http:// to a loopback address). */
  server: string
  /** API token with the `scans:write` scope. Read from the environment by the CLI, never from argv. */
  token: string
  /** Name of this source on the server (default: the scanned paths). */
  sourceName: string
  /** Retries after 429/503/network errors (default 5), with exponential backoff from `retryBaseMs`. */
  retries?: number
  retryBaseMs?: number
  fetch?: typeof fetch
}

/** What the server answered. */
export interface UploadResult {
  scanId: string
  duplicate: boolean
  uploadId: string
  attempts: number
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost'])

/** The scans endpoint of a server base URL; refuses credentials in the URL and plain HTTP off loopback. */
export function scansUrl(server: string): URL {
  let base: URL
  try {
    base = new URL(server)
  } catch {
    throw new PhiwallError('PW_ERR_UPLOAD', `--upload ${JSON.stringify(server.slice(0, 80))} is not a URL.`)
  }
  if (base.username || base.password) throw new PhiwallError('PW_ERR_UPLOAD', '--upload must not contain credentials; put the token in PHIWALL_TOKEN.')
  if (base.protocol !== 'https:' && !(base.protocol === 'http:' && LOOPBACK_HOSTS.has(base.hostname))) {
    throw new PhiwallError('PW_ERR_UPLOAD', `--upload needs https:// (plain http:// only to a loopback address), got ${base.protocol}//${base.host}.`)
  }
  if (!base.pathname.endsWith('/')) base.pathname += '/'
  return new URL('api/v1/scans', base)
}

/**
 * Uploads a scan result to a PhiWall server (`phiwall scan … --upload URL`). The upload id is
 * fixed before the first attempt, so a retry after a lost answer is not counted twice.
 */
export async function uploadScan(result: ScanResult, options: UploadOptions): Promise<UploadResult> {
  const url = scansUrl(options.server)
  const uploadId = randomUUID()
  const body = JSON.stringify({ schema: 'phiwall.scan-upload/v1', uploadId, source: { name: options.sourceName, host: hostname() }, result })
  const doFetch = options.fetch ?? fetch
  const retries = options.retries ?? 5
  const base = options.retryBaseMs ?? 500
  let lastError = ''
  for (let attempt = 1; attempt <= retries + 1; attempt++) {
    let res: Response
    try {
      res = await doFetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', authorization: `Bearer ${options.token}` } })
    } catch (e) {
      lastError = `network error (${e instanceof Error ? ((e.cause as NodeJS.ErrnoException | undefined)?.code ?? e.message) : 'unknown'})`
      if (attempt <= retries) await sleep(base * 2 ** (attempt - 1))
      continue
    }
    const text = await res.text()
    let json: { scanId?: string; duplicate?: boolean; error?: { code?: string; message?: string } } = {}
    try {
      json = JSON.parse(text) as typeof json
    } catch {
      /* not JSON */
    }
    if (res.ok && typeof json.scanId === 'string') return { scanId: json.scanId, duplicate: Boolean(json.duplicate), uploadId, attempts: attempt }
    lastError = `HTTP ${res.status}${json.error?.code ? ` ${json.error.code}` : ''}${json.error?.message ? `: ${json.error.message}` : ''}`
    if (res.status === 429 || res.status === 503 || res.status >= 500) {
      const retryAfter = Number(res.headers.get('retry-after'))
      if (attempt <= retries) await sleep(Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(retryAfter * 1000, 60_000) : base * 2 ** (attempt - 1))
      continue
    }
    break
  }
  throw new PhiwallError('PW_ERR_UPLOAD', `Upload to ${url.origin} failed: ${lastError}.`)
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms))
}
