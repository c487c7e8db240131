import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { PassThrough } from 'node:stream'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { AgentBatch, AgentRecord } from '../flows/index.js'
import { HttpSink, ingestUrl, NdjsonSink, SinkOpenError, Spool } from './sinks.js'
import { TestClock } from './test-support.js'

const rec = (i: number): AgentRecord => ({
  schema: 'phiwall.agent/v1',
  kind: 'listen',
  host: 'h1',
  hostAddresses: ['10.0.0.5'],
  protocol: 'tcp',
  local: { ip: '0.0.0.0', port: 1000 + i },
  source: 'procfs',
  firstSeen: 1,
  lastSeen: 2,
  count: 1,
})

let dir: string
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phiwall-agent-sinks-'))
})
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }))

describe('NdjsonSink', () => {
  it('appends one JSON record per line to a file created 0600', async () => {
    const file = path.join(dir, 'agent.ndjson')
    const a = new NdjsonSink(file)
    await a.write([rec(1), rec(2)])
    await a.close()
    expect(fs.statSync(file).mode & 0o777).toBe(0o600)
    const b = new NdjsonSink(file)
    await b.write([rec(3)])
    await b.close()
    const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n')
    expect(lines.map((l) => (JSON.parse(l) as AgentRecord).local.port)).toEqual([1001, 1002, 1003])
  })

  it('makes an existing, wider file private', async () => {
    const file = path.join(dir, 'old.ndjson')
    fs.writeFileSync(file, '', { mode: 0o644 })
    fs.chmodSync(file, 0o644)
    await new NdjsonSink(file).close()
    expect(fs.statSync(file).mode & 0o777).toBe(0o600)
  })

  it('`-` writes to standard output', async () => {
    const stdout = new PassThrough()
    let text = ''
    stdout.on('data', (d: Buffer) => (text += d.toString()))
    const s = new NdjsonSink('-', stdout)
    await s.write([rec(7)])
    expect(JSON.parse(text.trim())).toEqual(rec(7))
  })

  it('an unwritable target is a SinkOpenError naming it', () => {
    expect(() => new NdjsonSink(path.join(dir, 'missing-dir', 'x.ndjson'))).toThrow(SinkOpenError)
  })
})

const batch = (id: string, records: number): AgentBatch => ({
  schema: 'phiwall.agent-batch/v1',
  batchId: id,
  host: 'h1',
  sentAt: '2026-01-01T00:00:00.000Z',
  records: Array.from({ length: records }, (_, i) => rec(i)),
})

describe('Spool', () => {
  it('drops the oldest batches beyond its bound, counted and said', () => {
    const logs: string[] = []
    const one = JSON.stringify(batch('00000000-0000-4000-8000-000000000001', 3)).length
    const s = new Spool(one * 2 + 10, (l) => logs.push(l))
    s.push(batch('00000000-0000-4000-8000-000000000001', 3))
    s.push(batch('00000000-0000-4000-8000-000000000002', 3))
    s.push(batch('00000000-0000-4000-8000-000000000003', 3))
    expect(s.length).toBe(2)
    expect(s.oldest()!.batchId).toBe('00000000-0000-4000-8000-000000000002')
    expect(s.stats).toMatchObject({ dropped: 1, droppedRecords: 3 })
    expect(logs).toHaveLength(1)
    expect(logs[0]).toMatch(/dropped the oldest unsent batch \(3 records\); 1 batch\(es\) \/ 3 records dropped so far/)
  })

  it('keeps batches on disk (0600) and reads them back, oldest first, at the next start', () => {
    const spoolDir = path.join(dir, 'spool')
    const a = new Spool(1e9, () => undefined, spoolDir)
    a.push(batch('00000000-0000-4000-8000-00000000000a', 1))
    a.push(batch('00000000-0000-4000-8000-00000000000b', 2))
    a.remove('00000000-0000-4000-8000-00000000000a')
    a.push(batch('00000000-0000-4000-8000-00000000000c', 1))
    const files = fs.readdirSync(spoolDir)
    expect(files).toHaveLength(2)
    for (const f of files) expect(fs.statSync(path.join(spoolDir, f)).mode & 0o777).toBe(0o600)
    expect(fs.statSync(spoolDir).mode & 0o777).toBe(0o700)
    fs.writeFileSync(path.join(spoolDir, '000000000099-00000000-0000-4000-8000-0000000000ff.json'), '{not json')
    const logs: string[] = []
    const b = new Spool(1e9, (l) => logs.push(l), spoolDir)
    expect(b.length).toBe(2)
    expect(b.oldest()!.batchId).toBe('00000000-0000-4000-8000-00000000000b')
    expect(b.stats).toMatchObject({ loaded: 2, corrupt: 1 })
    b.push(batch('00000000-0000-4000-8000-00000000000d', 1))
    // new files sort after the loaded ones
    expect(fs.readdirSync(spoolDir).sort().at(-1)).toMatch(/^000000000100-.*0d\.json$/)
  })
})

interface Received {
  auth: string | undefined
  url: string
  body: AgentBatch
}

async function server(answer: (n: number, body: AgentBatch) => number): Promise<{ url: string; received: Received[]; accepted: Map<string, number>; close: () => Promise<void> }> {
  const received: Received[] = []
  const accepted = new Map<string, number>()
  const srv = http.createServer((req, res) => {
    let text = ''
    req.on('data', (d: Buffer) => (text += d.toString()))
    req.on('end', () => {
      const body = JSON.parse(text) as AgentBatch
      received.push({ auth: req.headers.authorization, url: req.url ?? '', body })
      const status = answer(received.length, body)
      // an idempotent server: a batch id is counted once
      if (status < 300 && !accepted.has(body.batchId)) accepted.set(body.batchId, body.records.length)
      res.writeHead(status, { 'content-type': 'application/json' }).end('{}')
    })
  })
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r))
  const { port } = srv.address() as AddressInfo
  return { url: `http://127.0.0.1:${port}`, received, accepted, close: () => new Promise((r) => srv.close(() => r())) }
}

const until = async (cond: () => boolean, ms = 5000): Promise<void> => {
  const end = Date.now() + ms
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 10))
  }
}

describe('HttpSink', () => {
  it('ingestUrl appends the ingest path to the base, keeping a base path', () => {
    expect(ingestUrl('https://phiwall.example.org').href).toBe('https://phiwall.example.org/api/v1/ingest/agent')
    expect(ingestUrl('https://example.org/phiwall/').href).toBe('https://example.org/phiwall/api/v1/ingest/agent')
  })

  it('posts an AgentBatch with the bearer token; a 503 is retried with the same batchId and the batch arrives once', async () => {
    const srv = await server((n) => (n === 1 ? 503 : 202))
    const logs: string[] = []
    const sink = new HttpSink({ server: srv.url, token: 's3cret-token', host: 'h1', spool: new Spool(1e9, () => undefined), log: (l) => logs.push(l), clock: new TestClock(), retryBaseMs: 20 })
    await sink.write([rec(1), rec(2)])
    await until(() => sink.stats.sent === 1)
    await sink.close()
    expect(srv.received).toHaveLength(2)
    expect(srv.received.map((r) => r.auth)).toEqual(['Bearer s3cret-token', 'Bearer s3cret-token'])
    expect(srv.received.map((r) => r.url)).toEqual(['/api/v1/ingest/agent', '/api/v1/ingest/agent'])
    expect(srv.received[0]!.body.batchId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(srv.received[1]!.body).toEqual(srv.received[0]!.body)
    expect(srv.received[0]!.body).toMatchObject({ schema: 'phiwall.agent-batch/v1', host: 'h1', records: [rec(1), rec(2)] })
    expect([...srv.accepted.values()]).toEqual([2])
    expect(sink.stats).toMatchObject({ batches: 1, sent: 1, sentRecords: 2, failures: 1, rejected: 0 })
    expect(logs).toEqual([expect.stringMatching(/cannot reach http:\/\/127\.0\.0\.1:\d+ \(HTTP 503\); keeping batches and retrying with backoff/)])
    expect(logs.join('\n')).not.toContain('s3cret-token')
    await srv.close()
  })

  it('a server outage loses nothing: batches wait in order and are all delivered when it returns', async () => {
    let up = false
    const srv = await server(() => (up ? 200 : 502))
    const spool = new Spool(1e9, () => undefined)
    const sink = new HttpSink({ server: srv.url, token: 't', host: 'h1', spool, log: () => undefined, clock: new TestClock(), retryBaseMs: 10, retryMaxMs: 40 })
    await sink.write([rec(1)])
    await sink.write([rec(2)])
    await sink.write([rec(3)])
    await until(() => srv.received.length >= 4)
    expect(spool.length).toBe(3)
    up = true
    await until(() => sink.stats.sent === 3)
    await sink.close()
    expect([...srv.accepted.values()]).toEqual([1, 1, 1])
    const order = [...srv.accepted.keys()].map((id) => srv.received.find((r) => r.body.batchId === id)!.body.records[0]!.local.port)
    expect(order).toEqual([1001, 1002, 1003])
    await srv.close()
  })

  it('a batch the server refuses as invalid (400) is dropped, not retried forever', async () => {
    const srv = await server((n) => (n === 1 ? 400 : 200))
    const logs: string[] = []
    const sink = new HttpSink({ server: srv.url, token: 't', host: 'h1', spool: new Spool(1e9, () => undefined), log: (l) => logs.push(l), clock: new TestClock(), retryBaseMs: 10 })
    await sink.write([rec(1)])
    await sink.write([rec(2)])
    await until(() => sink.stats.sent === 1)
    await sink.close()
    expect(sink.stats.rejected).toBe(1)
    expect(srv.received).toHaveLength(2)
    expect(logs[0]).toMatch(/refused batch .* \(1 records\) with HTTP 400; dropped/)
    await srv.close()
  })

  it('undelivered batches stay in the spool directory and go first at the next start', async () => {
    const srv = await server(() => 200)
    await srv.close()
    const spoolDir = path.join(dir, 'spool')
    const logs: string[] = []
    const a = new HttpSink({ server: srv.url, token: 't', host: 'h1', spool: new Spool(1e9, () => undefined, spoolDir), log: (l) => logs.push(l), clock: new TestClock(), retryBaseMs: 10_000, closeDeadlineMs: 200 })
    await a.write([rec(1), rec(2)])
    await a.close()
    expect(logs.at(-1)).toBe(`1 batch(es) (2 records) not delivered; kept in ${spoolDir} for the next start`)
    const srv2 = await server(() => 200)
    const b = new HttpSink({ server: srv2.url, token: 't', host: 'h1', spool: new Spool(1e9, () => undefined, spoolDir), log: () => undefined, clock: new TestClock() })
    await until(() => b.stats.sent === 1)
    await b.close()
    expect(srv2.received[0]!.body.records).toHaveLength(2)
    expect(fs.readdirSync(spoolDir)).toEqual([])
    await srv2.close()
  })
})
