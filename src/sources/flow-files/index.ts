/**
 * @module sources/flow-files
 * Reads flow records from files and directories: plain or gzip, each file recognised by content
 * (VPC Flow Logs, Cilium Hubble JSON, PhiWall agent NDJSON) unless a format is forced. Agent files
 * are read in two passes over all of them (hosts and listeners first), so a connection from one
 * host resolves to the process listening on another whatever the file order.
 */
import fs from 'node:fs'
import { createGunzip } from 'node:zlib'
import type { Diagnostic } from '../../model/index.js'
import type { FlowReadContext, FlowReader, FlowSourceKind, IngestStats } from '../../flows/index.js'
import { emptyStats, noteMalformed } from '../../flows/index.js'
import { walkInputs } from '../walk.js'
import { looksLikeVpcFlowLog, readVpcFlowLog } from '../vpc-flow/index.js'
import { looksLikeHubble, readHubbleFlows } from '../hubble/index.js'
import { looksLikeAgentNdjson, readAgentRecords, scanAgentHosts } from '../agent-flows/index.js'
import { looksLikeCloudTrail, readCloudTrail } from '../cloudtrail/index.js'

/** Extensions walked in directories (gzip of each too). */
const FLOW_EXTENSIONS = /\.(log|txt|json|ndjson|jsonl|csv|flows?)(\.gz)?$|\.gz$/i

export interface FlowFileOptions {
  /** Force a format instead of recognising each file by content. */
  format?: FlowSourceKind
  /** Where addresses resolve and edges aggregate; `file` is filled per file. */
  context: Omit<FlowReadContext, 'file'>
}

export interface FlowFilesResult {
  stats: IngestStats[]
  /** Files that could not be read or recognised: a clear message naming the file, and the rest goes on. */
  diagnostics: Diagnostic[]
}

const READERS: Record<FlowSourceKind, FlowReader> = { vpc: readVpcFlowLog, hubble: readHubbleFlows, agent: readAgentRecords, cloudtrail: readCloudTrail }

function isGzip(abs: string): boolean {
  const fd = fs.openSync(abs, 'r')
  try {
    const b = Buffer.alloc(2)
    return fs.readSync(fd, b, 0, 2, 0) === 2 && b[0] === 0x1f && b[1] === 0x8b
  } finally {
    fs.closeSync(fd)
  }
}

/** The file's bytes, decompressed when it is gzip (recognised by its magic bytes, not its name). */
function chunksOf(abs: string): AsyncIterable<Buffer> {
  const raw = fs.createReadStream(abs, { highWaterMark: 1 << 20 })
  return isGzip(abs) ? raw.pipe(createGunzip({ chunkSize: 1 << 18 })) : raw
}

/** The first few kilobytes of text, for recognition. */
async function headOf(abs: string): Promise<string> {
  const parts: Buffer[] = []
  let n = 0
  const stream = chunksOf(abs)
  for await (const c of stream) {
    parts.push(c)
    n += c.length
    if (n >= 8192) break
  }
  ;(stream as unknown as { destroy?: () => void }).destroy?.()
  return Buffer.concat(parts).subarray(0, 8192).toString('utf8')
}

/** The reader of a format, for streams that are not files (standard input, a followed file). */
export function flowReader(format: FlowSourceKind): FlowReader {
  return READERS[format]
}

/**
 * The bytes of a file as it grows (`tail -F`): what is there, then what is appended, until the
 * signal aborts. A file truncated or replaced (log rotation) is read again from its start.
 */
export async function* followFile(file: string, signal: AbortSignal, pollMs = 500): AsyncIterable<Buffer> {
  let pos = 0
  let ino = -1
  const buf = Buffer.alloc(1 << 20)
  while (!signal.aborted) {
    let fd: number
    try {
      fd = fs.openSync(file, 'r')
    } catch {
      await sleep(pollMs, signal)
      continue
    }
    try {
      const st = fs.fstatSync(fd)
      if (st.ino !== ino || st.size < pos) {
        ino = st.ino
        pos = 0
      }
      let n: number
      while ((n = fs.readSync(fd, buf, 0, buf.length, pos)) > 0) {
        pos += n
        yield Buffer.from(buf.subarray(0, n))
        if (signal.aborted) return
      }
    } finally {
      fs.closeSync(fd)
    }
    await sleep(pollMs, signal)
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms)
    signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true })
  })
}

/** Which flow format a file holds, by content; undefined when none. */
export function sniffFlowFormat(head: string): FlowSourceKind | undefined {
  if (looksLikeAgentNdjson(head)) return 'agent'
  if (looksLikeCloudTrail(head)) return 'cloudtrail'
  if (looksLikeHubble(head)) return 'hubble'
  if (looksLikeVpcFlowLog(head)) return 'vpc'
  return undefined
}

/**
 * Read every flow file under `paths` into the context's aggregator. Missing paths and files of
 * no known format become diagnostics; a malformed line is counted in its file's stats.
 */
export async function readFlowFiles(paths: string[], opts: FlowFileOptions): Promise<FlowFilesResult> {
  const diagnostics: Diagnostic[] = []
  for (const p of paths) {
    if (!fs.existsSync(p)) diagnostics.push({ code: 'PW_ERR_PATH_NOT_FOUND', level: 'error', message: `${p} does not exist.`, file: p })
  }
  const files = walkInputs(paths.filter((p) => fs.existsSync(p)), diagnostics, undefined, (name) => FLOW_EXTENSIONS.test(name))
  const typed: { abs: string; rel: string; format: FlowSourceKind }[] = []
  for (const f of files) {
    let format = opts.format
    if (!format) {
      let head: string
      try {
        head = await headOf(f.abs)
      } catch (err) {
        diagnostics.push({ code: 'PW_ERR_SOURCE_UNREADABLE', level: 'error', message: `${f.rel} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}).`, file: f.rel })
        continue
      }
      format = sniffFlowFormat(head)
      if (!format) {
        if (f.explicit) diagnostics.push({ code: 'PW_ERR_FLOW_FORMAT', level: 'error', message: `${f.rel} is not a VPC flow log, Hubble JSON or PhiWall agent NDJSON file; name the format with --format.`, file: f.rel })
        continue
      }
    }
    typed.push({ abs: f.abs, rel: f.rel, format })
  }
  const stats: IngestStats[] = []
  // pass 1 over every agent file: hosts and listening processes
  for (const f of typed.filter((t) => t.format === 'agent')) {
    try {
      await scanAgentHosts(chunksOf(f.abs), { ...opts.context, file: f.rel })
    } catch (err) {
      diagnostics.push(unreadable(f.rel, err))
    }
  }
  for (const f of typed) {
    try {
      // a read that breaks off (a truncated gzip, an I/O error) ends the file: what was read is
      // counted and aggregated, and the break is one malformed line after the last one read
      const broke: { err?: unknown } = {}
      const s = await READERS[f.format](untilError(chunksOf(f.abs), broke), { ...opts.context, file: f.rel })
      if (broke.err !== undefined) {
        diagnostics.push(unreadable(f.rel, broke.err))
        noteMalformed(s, s.lines + 1, 'file could not be read to the end (truncated gzip or I/O error)')
      }
      stats.push(s)
    } catch (err) {
      diagnostics.push(unreadable(f.rel, err))
      stats.push({ ...emptyStats(f.rel, f.format), malformed: 1, malformedSamples: [{ line: 0, reason: 'file could not be read to the end (truncated gzip or I/O error)' }] })
    }
  }
  return { stats, diagnostics }
}

/** The chunks of `src` until one cannot be read; the error is kept in `broke`, not thrown. */
async function* untilError(src: AsyncIterable<Buffer>, broke: { err?: unknown }): AsyncGenerator<Buffer> {
  try {
    for await (const c of src) yield c
  } catch (err) {
    broke.err = err
  }
}

function unreadable(file: string, err: unknown): Diagnostic {
  const code = (err as NodeJS.ErrnoException).code
  return { code: 'PW_ERR_SOURCE_UNREADABLE', level: 'error', message: `${file} could not be read to the end (${code === 'Z_BUF_ERROR' || code === 'Z_DATA_ERROR' ? 'truncated or corrupt gzip' : code ?? 'error'}); what was read before is kept.`, file }
}
