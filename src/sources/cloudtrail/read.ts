import type { FlowReadContext, FlowReader, IngestStats } from '../../flows/index.js'
import { emptyStats, noteMalformed } from '../../flows/index.js'
import { attribute, assumedRole, inferredOf, knowsFunctions } from './attribute.js'
import { grantsOf, iamService } from './grants.js'
import type { ResourceEnv } from './grants.js'
import { cloudTrailEventSchema } from './schema.js'

/*
 * File shapes (recognised by content, each tested in cloudtrail.test.ts):
 *
 * - Documents: CloudTrail's S3 delivery files (`{"Records": [event, …]}`), `aws cloudtrail
 *   lookup-events` output (`{"Events": [{"CloudTrailEvent": "<event as a JSON string>", …}]}`),
 *   `aws logs filter-log-events` output (`{"events": [{"message": "<event>"}]}`), CloudWatch Logs
 *   subscription payloads (`{"logEvents": [{"message": …}]}`), a JSON array of any of these or of
 *   events, or one pretty-printed event. A document is parsed whole with JSON.parse, up to
 *   `maxDocumentBytes` (256 MiB; beyond it the file is reported malformed, "file too large", and
 *   not read further). A malformed record's line is the line its array element starts on,
 *   found by a scan of the text that runs only when some record is malformed.
 * - NDJSON: one value per line — a bare event (CloudWatch Logs exports, with or without their
 *   leading timestamp), an EventBridge event (`"detail-type": "AWS API Call via CloudTrail"`,
 *   the event in `detail`), or any of the document shapes written on one line.
 *
 * A file whose first key is `Records`/`Events` but that does not parse as one document, while
 * its first line does parse, is read as NDJSON (several compact delivery files concatenated
 * with newlines).
 *
 * Counting: `lines` is events read (records, entries, NDJSON lines that are not an envelope of
 * several), `flows` the events attributed to a workload (one event may need two IAM actions,
 * e.g. S3 CopyObject), `skipped` the events of no workload PhiWall attributes and the denied
 * ones, `unresolved` the skipped events whose role session looked like a workload the resolver
 * does not know, `malformed` what cannot be read (not JSON, not a CloudTrail event, an invalid
 * eventTime, an eventSource or eventName that names no IAM service or action).
 */

/** Largest JSON document (or line) parsed at once. */
export const MAX_DOCUMENT_BYTES = 256 * 1024 * 1024
/** Bytes looked at to tell a document from NDJSON. */
const HEAD_BYTES = 4096
/** Envelopes inside envelopes (a log event whose message is an EventBridge event) are read this deep. */
const MAX_DEPTH = 3

export interface CloudTrailReaderOptions {
  /** Largest document or line parsed (bytes); default `MAX_DOCUMENT_BYTES`. */
  maxDocumentBytes?: number
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/

function parseTime(s: string): number | undefined {
  if (!RFC3339.test(s)) return undefined
  const ms = Date.parse(s)
  return Number.isFinite(ms) ? ms : undefined
}

/** The path of the first schema issue (`userIdentity.arn`): where, never the value. */
function schemaReason(issues: readonly { path: readonly PropertyKey[] }[]): string {
  const path = issues[0]?.path.map(String).join('.')
  return path ? `not a CloudTrail event: invalid field ${path}` : 'not a CloudTrail event'
}

const WRAPPERS = ['Records', 'Events', 'events', 'logEvents'] as const
/** The leading timestamp CloudWatch Logs exports put before each message. */
const CLOUDWATCH_PREFIX = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z[ \t]+(?=[{[])/

/** A line number, or how to find it (documents look lines up only for malformed records). */
type LineRef = number | (() => number)

const lineOf = (ref: LineRef): number => (typeof ref === 'number' ? ref : ref())

/** Reads events out of parsed values and hands them to the aggregator; keeps the counts. */
class EventSink {
  private readonly knownFunctions: boolean

  constructor(
    private readonly ctx: FlowReadContext,
    readonly stats: IngestStats,
  ) {
    this.knownFunctions = knowsFunctions(ctx.resolver)
  }

  /** Count one unreadable event (or line) and why. */
  malformed(line: LineRef, reason: string): void {
    this.stats.lines++
    noteMalformed(this.stats, lineOf(line), reason)
  }

  /** A parsed value: an envelope of events (a top-level array only at depth 0) or an event. */
  value(v: unknown, line: LineRef, depth = 0): void {
    if (Array.isArray(v) && depth === 0) {
      for (const e of v) this.value(e, line, 1)
      return
    }
    if (!isObject(v)) return this.malformed(line, 'not a JSON object')
    if (depth > MAX_DEPTH) return this.malformed(line, 'envelopes nested too deeply')
    for (const key of WRAPPERS) {
      const list = v[key]
      if (!Array.isArray(list)) continue
      for (const e of list) this.value(e, line, depth + 1)
      return
    }
    if ('detail-type' in v && 'detail' in v) {
      const type = v['detail-type']
      // EventBridge: other events of the bus (scheduled events, state changes) are no API calls
      if (typeof type !== 'string' || !/ via CloudTrail$/.test(type)) {
        this.stats.lines++
        this.stats.skipped++
        return
      }
      return this.value(v['detail'], line, depth + 1)
    }
    if ('CloudTrailEvent' in v || ('EventId' in v && !('eventSource' in v))) return this.nested(v['CloudTrailEvent'], line, depth, 'lookup-events entry without a CloudTrailEvent string')
    if (typeof v['message'] === 'string' && !('eventSource' in v)) return this.nested(v['message'], line, depth, 'log event without a message')
    this.event(v, line)
  }

  /** An event carried as a JSON string (lookup-events' CloudTrailEvent, a log event's message). */
  private nested(text: unknown, line: LineRef, depth: number, missing: string): void {
    if (typeof text !== 'string') return this.malformed(line, missing)
    let v: unknown
    try {
      v = JSON.parse(text)
    } catch {
      return this.malformed(line, 'embedded event is not JSON')
    }
    this.value(v, line, depth + 1)
  }

  private event(v: Record<string, unknown>, line: LineRef): void {
    const parsed = cloudTrailEventSchema.safeParse(v)
    if (!parsed.success) return this.malformed(line, schemaReason(parsed.error.issues))
    const ev = parsed.data
    const at = parseTime(ev.eventTime)
    if (at === undefined) return this.malformed(line, 'eventTime is not an RFC 3339 time')
    this.stats.lines++
    const who = attribute(ev, this.ctx.resolver, this.knownFunctions)
    if ('skip' in who) {
      this.stats.skipped++
      if (who.skip === 'unknown-workload') this.stats.unresolved++
      return
    }
    const service = iamService(ev.eventSource)
    if (!service) return noteMalformed(this.stats, lineOf(line), 'eventSource is not an AWS service endpoint')
    const session = assumedRole(ev.userIdentity?.arn)
    const account = ev.userIdentity?.accountId ?? session?.account ?? ev.recipientAccountId
    const env: ResourceEnv = {
      partition: session?.partition ?? 'aws',
      region: ev.awsRegion && /^[a-z0-9-]+$/.test(ev.awsRegion) ? ev.awsRegion : '*',
      account: account && /^\d{12}$/.test(account) ? account : '*',
    }
    const grants = grantsOf(service, ev, env)
    if (!grants) return noteMalformed(this.stats, lineOf(line), 'eventName is not an IAM action name')
    if (who.infer) {
      this.ctx.resolver.register(who.infer)
      inferredOf(this.ctx.resolver).add(who.infer.id)
    }
    // a function's execution-role session names the function: with the region and account, its ARN
    const functionArn =
      who.workload.startsWith('aws:lambda:') && session && /^[A-Za-z0-9_-]{1,64}$/.test(session.session) && env.region !== '*' && env.account !== '*'
        ? `arn:${env.partition}:lambda:${env.region}:${env.account}:function:${session.session}`
        : undefined
    for (const g of grants) this.ctx.apiCalls?.add(who.workload, service, g.action, g.resources, at, functionArn)
    this.stats.flows++
  }
}

/** One physical line: its 1-based number and its text (undefined when longer than the bound). */
interface NumberedLine {
  line: number
  text: string | undefined
}

/** Split a byte stream into lines at `\n` whatever the chunk boundaries; a line longer than `max` bytes comes out as undefined. */
async function* numberedLines(chunks: AsyncIterable<Buffer>, max: number): AsyncGenerator<NumberedLine> {
  let pending: Buffer[] = []
  let pendingBytes = 0
  let tooLong = false
  let line = 0
  const finish = (last: Buffer): NumberedLine => {
    line++
    let text: string | undefined
    if (tooLong || pendingBytes + last.length > max) text = undefined
    else text = (pending.length ? Buffer.concat([...pending, last]) : last).toString('utf8')
    pending = []
    pendingBytes = 0
    tooLong = false
    if (text !== undefined && line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1)
    return { line, text }
  }
  for await (const chunk of chunks) {
    let start = 0
    while (start < chunk.length) {
      const nl = chunk.indexOf(10, start)
      if (nl < 0) {
        const part = chunk.subarray(start)
        if (!tooLong && pendingBytes + part.length > max) {
          tooLong = true
          pending = []
          pendingBytes = 0
        } else if (!tooLong) {
          pending.push(Buffer.from(part))
          pendingBytes += part.length
        }
        break
      }
      yield finish(chunk.subarray(start, nl))
      start = nl + 1
    }
  }
  if (pendingBytes > 0 || tooLong) yield finish(Buffer.alloc(0))
}

/** One NDJSON line. */
function readLine(sink: EventSink, line: number, text: string | undefined, max: number): void {
  if (text === undefined) return sink.malformed(line, `line longer than ${Math.floor(max / (1 << 20))} MiB`)
  const t = text.trim().replace(CLOUDWATCH_PREFIX, '')
  if (t === '') return
  let v: unknown
  try {
    v = JSON.parse(t)
  } catch {
    return sink.malformed(line, 'not JSON')
  }
  sink.value(v, line)
}

/** Does the head start a JSON document (rather than one value per line)? */
function startsDocument(head: string): boolean {
  const t = (head.charCodeAt(0) === 0xfeff ? head.slice(1) : head).trimStart()
  if (t.startsWith('[')) return true
  if (!t.startsWith('{')) return false
  if (/^\{\s*"(Records|Events|events|logEvents)"\s*:/.test(t)) return true
  const nl = t.indexOf('\n')
  return (nl < 0 ? t : t.slice(0, nl)).trim() === '{' // pretty-printed
}

/**
 * The 1-based line on which each element of the document's event array starts: the array under
 * `key` of the top-level object, or the top-level array itself. Valid JSON only (it has parsed):
 * raw newlines never occur inside strings, so counting them is exact.
 */
export function elementLines(text: string, key: string | undefined): number[] {
  const out: number[] = []
  let line = 1
  let depth = 0
  let inString = false
  let strStart = 0
  let lastKey: string | undefined
  let target = -1
  let expect = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 10) {
      line++
      continue
    }
    if (inString) {
      if (c === 92) i++
      else if (c === 34) {
        inString = false
        if (depth === 1) lastKey = text.slice(strStart, i)
      }
      continue
    }
    if (c === 32 || c === 9 || c === 13) continue
    if (expect && depth === target && c !== 93) {
      out.push(line)
      expect = false
    }
    if (c === 34) {
      inString = true
      strStart = i + 1
    } else if (c === 123 || c === 91) {
      depth++
      if (c === 91 && target < 0 && ((key === undefined && depth === 1) || (key !== undefined && depth === 2 && lastKey === key))) {
        target = depth
        expect = true
      }
    } else if (c === 125 || c === 93) {
      if (c === 93 && depth === target) return out
      depth--
    } else if (c === 44 && depth === target) expect = true
  }
  return out
}

/** The line of a JSON.parse error, from the position V8 reports (never from the message's text). */
function errorLine(text: string, err: unknown): number {
  const msg = err instanceof Error ? err.message : ''
  const pos = /at position (\d+)/.exec(msg)
  if (pos) {
    let line = 1
    const end = Math.min(Number(pos[1]), text.length)
    for (let i = text.indexOf('\n'); i >= 0 && i < end; i = text.indexOf('\n', i + 1)) line++
    return line
  }
  const ln = /\(line (\d+) column \d+\)/.exec(msg)
  if (ln) return Number(ln[1])
  return /end of JSON input/.test(msg) ? text.trimEnd().split('\n').length : 1
}

function readDocument(sink: EventSink, text: string): void {
  let doc: unknown
  try {
    doc = JSON.parse(text)
  } catch (err) {
    const first = /^\s*([^\n]*)/.exec(text)![1]!.trim()
    let firstParses = false
    try {
      JSON.parse(first)
      firstParses = true
    } catch {
      /* a document cut short or corrupt */
    }
    if (firstParses) {
      text.split('\n').forEach((l, i) => readLine(sink, i + 1, l, Number.MAX_SAFE_INTEGER))
      return
    }
    sink.malformed(errorLine(text, err), 'not valid JSON (a truncated or corrupt document)')
    return
  }
  let start = 1
  for (let i = 0; i < text.length && /\s/.test(text[i]!); i++) if (text[i] === '\n') start++
  if (!isObject(doc) && !Array.isArray(doc)) return sink.malformed(start, 'not a JSON object')
  const key = isObject(doc) ? WRAPPERS.find((k) => Array.isArray(doc[k])) : undefined
  if (isObject(doc) && key === undefined) return sink.value(doc, start) // one event
  const list = (key === undefined ? doc : (doc as Record<string, unknown>)[key]) as unknown[]
  // each record's line is found only when some record is malformed: one scan of the text then
  let lines: number[] | undefined
  list.forEach((e, i) =>
    sink.value(e, () => {
      lines ??= elementLines(text, key)
      return lines[i] ?? start
    }, 1),
  )
}

/** Yield `head` (chunks already read) and then the rest of `it`; closes `it` when the consumer stops early. */
async function* resume(head: Buffer[], it: AsyncIterator<Buffer>, ended: boolean): AsyncGenerator<Buffer> {
  try {
    yield* head
    if (ended) return
    for (;;) {
      const r = await it.next()
      if (r.done) {
        ended = true
        return
      }
      yield r.value
    }
  } finally {
    if (!ended) await it.return?.()
  }
}

/** A CloudTrail reader with its own bounds (tests use small ones). */
export function createCloudTrailReader(opts: CloudTrailReaderOptions = {}): FlowReader {
  const max = opts.maxDocumentBytes ?? MAX_DOCUMENT_BYTES
  return async (chunks, ctx) => {
    const stats = emptyStats(ctx.file, 'cloudtrail')
    const sink = new EventSink(ctx, stats)
    const it = chunks[Symbol.asyncIterator]()
    const head: Buffer[] = []
    let headBytes = 0
    let ended = false
    while (headBytes < HEAD_BYTES) {
      const r = await it.next()
      if (r.done) {
        ended = true
        break
      }
      head.push(r.value)
      headBytes += r.value.length
    }
    const headText = Buffer.concat(head, Math.min(headBytes, HEAD_BYTES)).toString('utf8')
    const rest = resume(head, it, ended)
    if (!startsDocument(headText)) {
      for await (const { line, text } of numberedLines(rest, max)) readLine(sink, line, text, max)
      return stats
    }
    const parts: Buffer[] = []
    let size = 0
    for await (const c of rest) {
      size += c.length
      if (size > max) {
        noteMalformed(stats, 0, `file too large (a JSON document over ${Math.floor(max / (1 << 20))} MiB is not read)`)
        return stats
      }
      parts.push(c)
    }
    let text = Buffer.concat(parts).toString('utf8')
    parts.length = 0
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
    readDocument(sink, text)
    return stats
  }
}

/**
 * Read CloudTrail records (S3 delivery files, lookup-events output, NDJSON from CloudWatch Logs
 * or EventBridge) into `ctx.apiCalls`: per workload, the IAM actions and resources its calls
 * needed. See attribute.ts for who a call belongs to and grants.ts for actions and resources.
 */
export const readCloudTrail: FlowReader = createCloudTrailReader()

const EVENT_SOURCE = /\\?"eventSource\\?"\s*:\s*\\?"[a-z0-9][a-z0-9.-]*\.amazonaws\.com\\?"/
const EVENT_NAME = /\\?"eventName\\?"\s*:\s*\\?"/
const EVENTBRIDGE = /"detail-type"\s*:\s*"AWS [A-Za-z ]+ via CloudTrail"/

/**
 * Content sniffing: does a file that begins with `head` (its first ~8 KB, decompressed) hold
 * CloudTrail events? It starts with JSON (`{` or `[`, after a CloudWatch Logs export's timestamp)
 * and shows an event's `"eventSource": "<service>.amazonaws.com"` and `"eventName"` (also
 * JSON-escaped, as lookup-events and log messages carry them), or an EventBridge
 * `"detail-type": "AWS … via CloudTrail"`. S3 event notifications (`"eventSource": "aws:s3"`),
 * CloudTrail digest files and flow logs do not match.
 */
export function looksLikeCloudTrail(head: string): boolean {
  const t = (head.charCodeAt(0) === 0xfeff ? head.slice(1) : head).trimStart().replace(CLOUDWATCH_PREFIX, '')
  if (!t.startsWith('{') && !t.startsWith('[')) return false
  if (EVENTBRIDGE.test(t)) return true
  return EVENT_SOURCE.test(t) && EVENT_NAME.test(t)
}
