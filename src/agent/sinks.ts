/**
 * Where flushed records go: NDJSON lines to a file or standard output, or `AgentBatch` posts to
 * a PhiWall server with retries and a bounded spool (memory, and disk when a spool directory is
 * given), so a server outage loses nothing until the bound.
 */
import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type { AgentBatch, AgentRecord } from '../flows/index.js'
import type { Clock } from './processes.js'

export interface RecordSink {
  write(records: AgentRecord[]): Promise<void>
  /** Deliver what can still be delivered, then release resources. */
  close(): Promise<void>
}

/** Raised when a sink cannot be opened; the caller turns it into a PhiwallError. */
export class SinkOpenError extends Error {
  constructor(
    message: string,
    readonly target: string,
    readonly errno?: string,
  ) {
    super(message)
  }
}

/** NDJSON to a file (appended, created 0600) or, for `-`, to standard output. */
export class NdjsonSink implements RecordSink {
  private fd: number | undefined
  records = 0

  constructor(
    private readonly target: string,
    private readonly stdout: NodeJS.WritableStream = process.stdout,
  ) {
    if (target === '-') return
    try {
      this.fd = fs.openSync(target, 'a', 0o600)
      // an existing regular file is made private too (never a device such as /dev/null)
      const st = fs.fstatSync(this.fd)
      if (st.isFile() && (st.mode & 0o077) !== 0) fs.fchmodSync(this.fd, 0o600)
    } catch (err) {
      throw new SinkOpenError(`Cannot open ${target} for appending`, target, (err as NodeJS.ErrnoException).code)
    }
  }

  async write(records: AgentRecord[]): Promise<void> {
    if (records.length === 0) return
    let text = ''
    for (const r of records) text += `${JSON.stringify(r)}\n`
    this.records += records.length
    if (this.fd !== undefined) {
      const buf = Buffer.from(text)
      let off = 0
      while (off < buf.length) off += fs.writeSync(this.fd, buf, off)
      return
    }
    await new Promise<void>((resolve, reject) => {
      this.stdout.write(text, (err) => (err ? reject(err) : resolve()))
    })
  }

  async close(): Promise<void> {
    if (this.fd !== undefined) fs.closeSync(this.fd)
    this.fd = undefined
  }
}

export interface SpoolStats {
  /** Batches dropped (oldest first) to stay under the bound. */
  dropped: number
  droppedRecords: number
  /** Batches found in the spool directory at start. */
  loaded: number
  /** Spool files that could not be read back. */
  corrupt: number
}

interface SpoolEntry {
  batch: AgentBatch
  bytes: number
  file?: string
}

/** Unsent batches, oldest first, bounded in bytes; mirrored to `dir` when given. */
export class Spool {
  readonly stats: SpoolStats = { dropped: 0, droppedRecords: 0, loaded: 0, corrupt: 0 }
  private readonly entries: SpoolEntry[] = []
  private total = 0
  private seq = 0

  constructor(
    private readonly maxBytes: number,
    private readonly log: (line: string) => void,
    readonly dir?: string,
  ) {
    if (dir) {
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 })
      this.load(dir)
    }
  }

  get length(): number {
    return this.entries.length
  }

  get bytes(): number {
    return this.total
  }

  get records(): number {
    return this.entries.reduce((n, e) => n + e.batch.records.length, 0)
  }

  private load(dir: string): void {
    const names = fs.readdirSync(dir).filter((n) => /^\d{12}-[0-9a-f-]{36}\.json$/.test(n)).sort()
    for (const name of names) {
      const file = path.join(dir, name)
      try {
        const text = fs.readFileSync(file, 'utf8')
        const batch = JSON.parse(text) as AgentBatch
        if (batch?.schema !== 'phiwall.agent-batch/v1' || typeof batch.batchId !== 'string' || !Array.isArray(batch.records)) throw new Error('not a batch')
        this.entries.push({ batch, bytes: Buffer.byteLength(text), file })
        this.total += Buffer.byteLength(text)
        this.stats.loaded++
      } catch {
        this.stats.corrupt++
        fs.rmSync(file, { force: true })
      }
      this.seq = Math.max(this.seq, Number(name.slice(0, 12)) + 1)
    }
    if (this.stats.loaded) this.log(`spool: ${this.stats.loaded} unsent batch(es) from ${dir} will be sent first`)
    if (this.stats.corrupt) this.log(`spool: ${this.stats.corrupt} unreadable file(s) in ${dir} removed`)
    this.enforce()
  }

  push(batch: AgentBatch): void {
    const text = JSON.stringify(batch)
    const entry: SpoolEntry = { batch, bytes: Buffer.byteLength(text) }
    if (this.dir) {
      const file = path.join(this.dir, `${String(this.seq++).padStart(12, '0')}-${batch.batchId}.json`)
      try {
        fs.writeFileSync(`${file}.tmp`, text, { mode: 0o600 })
        fs.renameSync(`${file}.tmp`, file)
        entry.file = file
      } catch (err) {
        this.log(`spool: cannot write ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'}); the batch is kept in memory only`)
      }
    }
    this.entries.push(entry)
    this.total += entry.bytes
    this.enforce()
  }

  private enforce(): void {
    while (this.total > this.maxBytes && this.entries.length > 0) {
      const e = this.entries.shift()!
      this.total -= e.bytes
      if (e.file) fs.rmSync(e.file, { force: true })
      this.stats.dropped++
      this.stats.droppedRecords += e.batch.records.length
      this.log(
        `spool over ${(this.maxBytes / 1024 / 1024).toFixed(1)} MB: dropped the oldest unsent batch (${e.batch.records.length} records); ${this.stats.dropped} batch(es) / ${this.stats.droppedRecords} records dropped so far`,
      )
    }
  }

  oldest(): AgentBatch | undefined {
    return this.entries[0]?.batch
  }

  remove(batchId: string): void {
    const i = this.entries.findIndex((e) => e.batch.batchId === batchId)
    if (i < 0) return
    const [e] = this.entries.splice(i, 1)
    this.total -= e!.bytes
    if (e!.file) fs.rmSync(e!.file, { force: true })
  }
}

export interface HttpSinkOptions {
  /** Server base URL; batches go to `<server>/api/v1/ingest/agent`. */
  server: string
  token: string
  host: string
  spool: Spool
  log: (line: string) => void
  clock: Clock
  retryBaseMs?: number
  retryMaxMs?: number
  /** Per-request timeout. */
  timeoutMs?: number
  /** How long `close` keeps trying to deliver. */
  closeDeadlineMs?: number
  maxRecordsPerBatch?: number
  fetchImpl?: typeof fetch
}

export interface HttpSinkStats {
  batches: number
  sent: number
  sentRecords: number
  /** Failed attempts that will be retried. */
  failures: number
  /** Batches the server refused as invalid (400, 413, 422): dropped, never retried. */
  rejected: number
  lastError?: string
}

/** The ingest URL for a server base URL. */
export function ingestUrl(server: string): URL {
  const base = new URL(server)
  if (!base.pathname.endsWith('/')) base.pathname += '/'
  return new URL('api/v1/ingest/agent', base)
}

type Outcome = 'sent' | 'rejected' | 'retry'

/** Posts batches, oldest first, retrying with exponential backoff; the same batchId on every retry. */
export class HttpSink implements RecordSink {
  readonly stats: HttpSinkStats = { batches: 0, sent: 0, sentRecords: 0, failures: 0, rejected: 0 }
  private readonly url: URL
  private timer: NodeJS.Timeout | undefined
  private pumping: Promise<void> | undefined
  private attempt = 0
  private closed = false

  constructor(private readonly opts: HttpSinkOptions) {
    this.url = ingestUrl(opts.server)
    if (opts.spool.length) this.kick()
  }

  async write(records: AgentRecord[]): Promise<void> {
    const max = this.opts.maxRecordsPerBatch ?? 5000
    for (let i = 0; i < records.length; i += max) {
      const batch: AgentBatch = {
        schema: 'phiwall.agent-batch/v1',
        batchId: randomUUID(),
        host: this.opts.host,
        sentAt: new Date(this.opts.clock.now()).toISOString(),
        records: records.slice(i, i + max),
      }
      this.stats.batches++
      this.opts.spool.push(batch)
    }
    this.kick()
  }

  private kick(): void {
    if (this.closed || this.pumping || this.timer) return
    this.pumping = this.pump().finally(() => {
      this.pumping = undefined
    })
  }

  private async pump(): Promise<void> {
    for (;;) {
      const batch = this.opts.spool.oldest()
      if (!batch) return
      const outcome = await this.send(batch)
      if (outcome === 'retry') {
        this.attempt++
        if (this.closed) return
        const base = this.opts.retryBaseMs ?? 1000
        const delay = Math.min(this.opts.retryMaxMs ?? 60_000, base * 2 ** (this.attempt - 1)) * (0.8 + Math.random() * 0.4)
        this.timer = setTimeout(() => {
          this.timer = undefined
          this.kick()
        }, delay)
        return
      }
      this.attempt = 0
      this.opts.spool.remove(batch.batchId)
    }
  }

  private async send(batch: AgentBatch): Promise<Outcome> {
    const fetchImpl = this.opts.fetchImpl ?? fetch
    try {
      const res = await fetchImpl(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.opts.token}` },
        body: JSON.stringify(batch),
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 15_000),
      })
      // drain the body so the connection can be reused
      await res.arrayBuffer().catch(() => undefined)
      if (res.ok) {
        this.stats.sent++
        this.stats.sentRecords += batch.records.length
        return 'sent'
      }
      if (res.status === 400 || res.status === 413 || res.status === 422) {
        this.stats.rejected++
        this.opts.log(`server refused batch ${batch.batchId} (${batch.records.length} records) with HTTP ${res.status}; dropped`)
        return 'rejected'
      }
      this.failed(`HTTP ${res.status}`)
      return 'retry'
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } }
      this.failed(e.name === 'TimeoutError' ? 'timeout' : (e.cause?.code ?? e.name ?? 'network error'))
      return 'retry'
    }
  }

  private failed(why: string): void {
    this.stats.failures++
    // say it when the server first fails, not on every retry
    if (this.attempt === 0) this.opts.log(`cannot reach ${this.url.origin} (${why}); keeping batches and retrying with backoff`)
    this.stats.lastError = why
  }

  /** Stop retrying on a timer; try each remaining batch until the deadline; say what was not delivered. */
  async close(): Promise<void> {
    this.closed = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    if (this.pumping) await this.pumping
    const deadline = Date.now() + (this.opts.closeDeadlineMs ?? 5000)
    for (;;) {
      const batch = this.opts.spool.oldest()
      if (!batch || Date.now() >= deadline) break
      const outcome = await this.send(batch)
      if (outcome === 'retry') break
      this.opts.spool.remove(batch.batchId)
    }
    const left = this.opts.spool.length
    if (left) {
      const records = this.opts.spool.records
      this.opts.log(
        this.opts.spool.dir
          ? `${left} batch(es) (${records} records) not delivered; kept in ${this.opts.spool.dir} for the next start`
          : `${left} batch(es) (${records} records) not delivered and lost (no --spool-dir)`,
      )
    }
  }
}
