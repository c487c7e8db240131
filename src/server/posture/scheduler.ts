import os from 'node:os'
import { ERROR_CATALOG, PhiwallError, type ScanResult } from '../../model/index.js'
import type { ServerContext } from '../types.js'
import { iso, isoOrNull } from './cursor.js'
import { ingestScan, newId } from './ingest.js'
import { SCAN_UPLOAD_SCHEMA, type JobRow, type ScanUpload, type SourceRow } from './schemas.js'

/** How often the scheduler looks for due sources. */
export const SCHEDULER_INTERVAL_MS = 30_000

/** The scan a job runs: `scan([path])` of src/scan by default; tests may pass another. */
export type Scanner = (path: string) => Promise<ScanResult>

/** The scan `phiwall scan PATH` runs, with the server's check parameters (`phiwall serve --check-param`). */
const defaultScanner = (ctx: ServerContext): Scanner => async (p) => (await import('../../scan/index.js')).scan([p], ctx.config.checkParams ? { checkParams: ctx.config.checkParams } : {})

interface SourceDbRow {
  id: string
  name: string
  path: string
  interval_minutes: number
  last_run_at: unknown
  last_status: string | null
  next_run_at: unknown
}

/** The API shape of a source row. */
export function sourceRow(r: SourceDbRow): SourceRow {
  return { id: r.id, name: r.name, path: r.path, intervalMinutes: Number(r.interval_minutes), lastRunAt: isoOrNull(r.last_run_at), lastStatus: r.last_status, nextRunAt: iso(r.next_run_at) }
}

interface JobDbRow {
  id: string
  source_id: string
  source_name: string
  path: string
  state: JobRow['state']
  progress: number
  message: string
  scan_id: string | null
  created_at: unknown
  finished_at: unknown
}

/** The API shape of a job row. */
export function jobRow(r: JobDbRow): JobRow {
  return {
    id: r.id,
    sourceId: r.source_id,
    state: r.state,
    progress: Number(r.progress),
    message: r.message,
    ...(r.scan_id ? { scanId: r.scan_id } : {}),
    createdAt: iso(r.created_at),
    finishedAt: isoOrNull(r.finished_at),
  }
}

/** Every scheduled source, by name. */
export async function listSources(ctx: ServerContext): Promise<SourceRow[]> {
  const rows = await ctx.store.query<SourceDbRow>('SELECT id, name, path, interval_minutes, last_run_at, last_status, next_run_at FROM posture_sources ORDER BY name')
  return rows.map(sourceRow)
}

/** A job by id, or null. */
export async function getJob(ctx: ServerContext, id: string): Promise<JobRow | null> {
  const rows = await ctx.store.query<JobDbRow>('SELECT id, source_id, source_name, path, state, progress, message, scan_id, created_at, finished_at FROM posture_jobs WHERE id = $1', [id])
  return rows[0] ? jobRow(rows[0]) : null
}

/** Queues a run of a source (in the caller's transaction when given); returns the job id. */
export async function enqueueJob(ctx: ServerContext, source: { id: string; name: string; path: string }, store = ctx.store): Promise<string> {
  const id = newId('job')
  await store.query(`INSERT INTO posture_jobs (id, source_id, source_name, path, state, progress, message, created_at) VALUES ($1, $2, $3, $4, 'queued', 0, 'Waiting for the scheduler.', $5)`, [
    id,
    source.id,
    source.name,
    source.path,
    ctx.clock().toISOString(),
  ])
  return id
}

interface WorkerState {
  running: Promise<number> | null
  scanner: Scanner
}

const workers = new WeakMap<ServerContext, WorkerState>()

function workerOf(ctx: ServerContext): WorkerState {
  return workers.get(ctx) ?? workers.set(ctx, { running: null, scanner: defaultScanner(ctx) }).get(ctx)!
}

/** Replaces the scanner jobs of this context run (tests: a canned or failing scan). */
export function setScanner(ctx: ServerContext, scanner: Scanner): void {
  workerOf(ctx).scanner = scanner
}

async function setJob(ctx: ServerContext, id: string, fields: { state?: JobRow['state']; progress: number; message: string; scanId?: string; finished?: boolean; started?: boolean }): Promise<void> {
  const now = ctx.clock().toISOString()
  await ctx.store.query(
    `UPDATE posture_jobs SET state = coalesce($2, state), progress = $3, message = $4, scan_id = coalesce($5, scan_id),
       started_at = CASE WHEN $6::boolean THEN $8::timestamptz ELSE started_at END, finished_at = CASE WHEN $7::boolean THEN $8::timestamptz ELSE finished_at END WHERE id = $1`,
    [id, fields.state ?? null, fields.progress, fields.message, fields.scanId ?? null, fields.started ?? false, fields.finished ?? false, now],
  )
}

/** A failure message without file contents: the error code's title, and the code. */
function failureMessage(err: unknown): string {
  if (err instanceof PhiwallError) return `Scan failed: ${ERROR_CATALOG[err.code].title} (${err.code}).`
  return 'Scan failed: internal error (see the server log).'
}

/** Runs one claimed job: scan the path, ingest the result as an upload `job:<id>`, record the outcome on the job and its source. */
async function runJob(ctx: ServerContext, job: JobDbRow, scanner: Scanner): Promise<void> {
  let status: 'done' | 'failed' = 'failed'
  try {
    await setJob(ctx, job.id, { progress: 0.1, message: `Scanning source ${job.source_name}.`, started: true })
    const result = await scanner(job.path)
    await setJob(ctx, job.id, { progress: 0.7, message: `Storing ${result.findings.length} findings.` })
    const upload: ScanUpload = { schema: SCAN_UPLOAD_SCHEMA, uploadId: `job:${job.id}`, source: { name: job.source_name, host: os.hostname() }, result: result as unknown as ScanUpload['result'] }
    const outcome = await ingestScan(ctx, upload, 'system')
    await setJob(ctx, job.id, { state: 'done', progress: 1, message: `Scan stored: ${result.findings.length} findings on ${result.inventory.resources.length} resources.`, scanId: outcome.scanId, finished: true })
    status = 'done'
  } catch (err) {
    ctx.log(`posture job ${job.id} (source ${job.source_name}) failed: ${err instanceof PhiwallError ? err.code : err instanceof Error ? err.name : 'error'}`)
    await setJob(ctx, job.id, { state: 'failed', progress: 1, message: failureMessage(err), finished: true }).catch(() => undefined)
  }
  await ctx.store.query('UPDATE posture_sources SET last_run_at = $2, last_status = $3 WHERE id = $1', [job.source_id, ctx.clock().toISOString(), status]).catch(() => undefined)
}

/** Claims the oldest queued job (one server only, even with several on one PostgreSQL). */
async function claimJob(ctx: ServerContext): Promise<JobDbRow | null> {
  const rows = await ctx.store.query<JobDbRow>(
    `UPDATE posture_jobs SET state = 'running', progress = 0.05, message = 'Starting.'
     WHERE id = (SELECT id FROM posture_jobs WHERE state = 'queued' ORDER BY seq LIMIT 1 FOR UPDATE SKIP LOCKED)
     RETURNING id, source_id, source_name, path, state, progress, message, scan_id, created_at, finished_at`,
  )
  return rows[0] ?? null
}

/**
 * Runs queued jobs one after the other until none is left; concurrent callers share the run
 * (at most one job at a time per server). Resolves to the number of jobs run by this drain.
 */
export async function drainJobs(ctx: ServerContext): Promise<number> {
  const w = workerOf(ctx)
  while (w.running) await w.running.catch(() => undefined)
  const run = (async () => {
    let n = 0
    for (;;) {
      const job = await claimJob(ctx)
      if (!job) return n
      await runJob(ctx, job, w.scanner)
      n++
    }
  })()
  w.running = run
  try {
    return await run
  } finally {
    if (w.running === run) w.running = null
  }
}

/**
 * Queues a job for every source whose `next_run_at` has come (moving it one interval on, in the
 * same statement, so two servers on one PostgreSQL never both take it), then runs the queued
 * jobs. What the scheduler's timer calls; tests call it with their clock.
 */
export async function runDueSources(ctx: ServerContext): Promise<number> {
  const now = ctx.clock().toISOString()
  await ctx.store.transaction(async (tx) => {
    const due = await tx.query<{ id: string; name: string; path: string }>(
      `UPDATE posture_sources SET next_run_at = $1::timestamptz + interval_minutes * interval '1 minute'
       WHERE id IN (SELECT id FROM posture_sources WHERE next_run_at <= $1::timestamptz FOR UPDATE SKIP LOCKED)
       RETURNING id, name, path`,
      [now],
    )
    for (const s of due) await enqueueJob(ctx, s, tx)
  })
  return drainJobs(ctx)
}

/** Starts the scheduled rescans: a timer every 30 s runs {@link runDueSources}. Returns a stop function that waits for the running job. */
export function startScheduler(ctx: ServerContext): () => Promise<void> {
  let stopped = false
  let inflight: Promise<unknown> | null = null
  const tick = (): void => {
    if (stopped || inflight) return
    const run = runDueSources(ctx)
      .catch((err: unknown) => ctx.log(`posture scheduler: ${err instanceof PhiwallError ? err.code : err instanceof Error ? err.name : 'error'}`))
      .finally(() => {
        if (inflight === run) inflight = null
      })
    inflight = run
  }
  // jobs left running by a server that stopped mid-scan never finish: fail them so the source shows it
  ctx.store
    .query(`UPDATE posture_jobs SET state = 'failed', progress = 1, message = 'Interrupted: the server stopped during the scan.', finished_at = $1 WHERE state = 'running' AND started_at < $2`, [
      ctx.clock().toISOString(),
      new Date(ctx.clock().getTime() - 3600_000).toISOString(),
    ])
    .catch(() => undefined)
  const timer = setInterval(tick, SCHEDULER_INTERVAL_MS)
  timer.unref()
  tick()
  return async () => {
    stopped = true
    clearInterval(timer)
    if (inflight) await inflight
    const running = workers.get(ctx)?.running
    if (running) await running.catch(() => undefined)
  }
}
