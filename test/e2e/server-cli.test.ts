import { execFileSync, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import https from 'node:https'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dropSchema, runPostgresTests, TEST_DATABASE_URL, uniqueSchema } from '../../src/store/test-support.js'
import { ApiClient, bin, firstSignIn, root, startServe, type ServeProcess } from './server-support.js'

const NEW_PASSWORD = 'correct horse battery staple 42'

function phiwall(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env }, maxBuffer: 64 * 1024 * 1024 })
  return { code: r.status, out: r.stdout, err: r.stderr }
}

describe('phiwall serve (the built CLI, embedded PGlite)', () => {
  let server: ServeProcess
  let admin: ApiClient
  let token = ''

  beforeAll(async () => {
    server = await startServe()
    admin = (await firstSignIn(server.url, server.admin.username, server.admin.password, NEW_PASSWORD)).client
  })
  afterAll(async () => {
    await server?.stop()
  })

  it('listens on loopback and prints the first admin once', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(server.admin.username).toBe('admin')
    expect(server.admin.password.length).toBeGreaterThanOrEqual(16)
    expect(server.output().match(/one-time password/g)).toHaveLength(1)
  })

  it('answers health, the OpenAPI 3.1 document and strict security headers', async () => {
    const health = await fetch(`${server.url}/api/health`)
    expect(health.status).toBe(200)
    expect(await health.json()).toMatchObject({ status: 'ok', store: 'pglite' })
    const csp = health.headers.get('content-security-policy')!
    expect(csp).toContain("script-src 'self'")
    expect(csp).not.toContain('unsafe-inline')
    expect(health.headers.get('x-frame-options')).toBe('DENY')
    expect(health.headers.get('x-content-type-options')).toBe('nosniff')
    const doc = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as { openapi: string; paths: Record<string, unknown> }
    expect(doc.openapi).toBe('3.1.0')
    for (const p of ['/api/v1/auth/login', '/api/v1/findings', '/api/v1/scans', '/api/v1/ingest/agent', '/api/v1/policy/approve', '/api/v1/audit/verify']) expect(Object.keys(doc.paths)).toContain(p)
  })

  it('refuses the API without credentials and with a wrong token', async () => {
    const anon = await new ApiClient(server.url).request('GET', '/api/v1/findings')
    expect(anon.status).toBe(401)
    expect(anon.json.error.code).toBe('PW_ERR_UNAUTHENTICATED')
    const bad = await new ApiClient(server.url, 'pw_notarealtoken').request('GET', '/api/v1/findings')
    expect(bad.status).toBe(401)
  })

  it('takes `phiwall scan --upload` with a scoped token, once per upload', async () => {
    const created = await admin.request('POST', '/api/v1/tokens', { name: 'ci', scopes: ['scans:write', 'read'], expiresInDays: 30 })
    expect(created.status).toBe(200)
    token = created.json.secret
    expect(token).toMatch(/^pw_/)
    const expected = JSON.parse(phiwall(['scan', 'examples/clinic-intake', '--format', 'json', '--fail-on', 'none', '--no-progress']).out) as { summary: { findings: { pass: number; fail: number; manual: number; error: number; suppressed: number } } }
    const r = phiwall(['scan', 'examples/clinic-intake', '--upload', server.url, '--source-name', 'clinic-intake', '--fail-on', 'none', '--no-progress', '-q'], { PHIWALL_TOKEN: token })
    expect(r.err).toMatch(/Uploaded to http:\/\/127\.0\.0\.1:\d+: scan \S+/)
    expect(r.code).toBe(0)
    expect(r.err + r.out).not.toContain(token)
    const reader = new ApiClient(server.url, token)
    const failing = await reader.request('GET', '/api/v1/findings?status=fail&limit=1')
    expect(failing.status).toBe(200)
    expect(failing.json.total).toBe(expected.summary.findings.fail + expected.summary.findings.suppressed)
    const scans = await reader.request('GET', '/api/v1/scans')
    expect(scans.json.items).toHaveLength(1)
    expect(scans.json.items[0].source).toMatchObject({ name: 'clinic-intake' })
  })

  it('refuses an upload without a token, and a token without the scope', async () => {
    const none = phiwall(['scan', 'examples/clinic-intake', '--upload', server.url, '--no-progress', '-q', '--fail-on', 'none'], { PHIWALL_TOKEN: '' })
    expect(none.code).toBe(2)
    expect(none.err).toContain('PW_ERR_UPLOAD')
    const ro = await admin.request('POST', '/api/v1/tokens', { name: 'read-only', scopes: ['read'], expiresInDays: 1 })
    const denied = phiwall(['scan', 'examples/clinic-intake', '--upload', server.url, '--no-progress', '-q', '--fail-on', 'none'], { PHIWALL_TOKEN: ro.json.secret })
    expect(denied.code).toBe(2)
    expect(denied.err).toContain('HTTP 403 PW_ERR_FORBIDDEN')
    expect(denied.err).not.toContain(ro.json.secret)
  })

  it('takes the host agent\'s batches: `phiwall agent --once --server` with a flows:write token', async () => {
    const created = await admin.request('POST', '/api/v1/tokens', { name: 'agent-host-1', scopes: ['flows:write', 'read'], expiresInDays: 30 })
    const agentToken = created.json.secret as string
    // a connection the agent must see: this test process listens and connects to itself
    const listener = net.createServer((sock) => sock.on('data', () => undefined))
    await new Promise<void>((r) => listener.listen(0, '127.0.0.1', () => r()))
    const port = (listener.address() as net.AddressInfo).port
    const client = net.connect(port, '127.0.0.1')
    await new Promise<void>((r) => client.once('connect', () => r()))
    // and a call between two different programs: this node process → the PostgreSQL server
    const db = new pg.Client({ connectionString: TEST_DATABASE_URL })
    await db.connect()
    try {
      const r = phiwall(['agent', '--once', '--no-conntrack', '--server', server.url], { PHIWALL_AGENT_TOKEN: agentToken })
      expect(r.code, r.err).toBe(0)
      expect(r.err).toMatch(/server: 1 batches sent, 0 pending, 0 dropped/)
      expect(r.err + r.out).not.toContain(agentToken)
    } finally {
      client.destroy()
      listener.close()
      await db.end()
    }
    const reader = new ApiClient(server.url, agentToken)
    const baseline = await reader.request('GET', '/api/v1/baseline?limit=500')
    expect(baseline.status).toBe(200)
    const edge = (baseline.json.items as { port: number; protocol: string; sources: string[]; to: { id: string } }[]).find((e) => e.port === port && e.protocol === 'tcp')
    expect(edge, JSON.stringify(baseline.json.items.map((e: { key: string }) => e.key))).toBeDefined()
    expect(edge!.sources).toEqual(['agent'])
    expect(edge!.to.id).toContain('/node')
    // the topology draws the observed call, between the processes the agent identified
    const topology = await reader.request('GET', '/api/v1/topology')
    expect(topology.status).toBe(200)
    const drawn = (topology.json.edges as { from: string; to: string; source: string; port?: number }[]).filter((e) => e.source === 'observed' && e.port === 5432)
    expect(drawn.length, JSON.stringify(topology.json.edges)).toBeGreaterThanOrEqual(1)
    const nodes = new Map((topology.json.nodes as { id: string; name: string }[]).map((n) => [n.id, n.name]))
    expect(drawn.some((e) => /postgres/.test(nodes.get(e.to) ?? '') && /node/.test(nodes.get(e.from) ?? '')), JSON.stringify(drawn)).toBe(true)
    expect(topology.headers.get('content-security-policy')).toContain("default-src 'self'")
    const audit = await admin.request('GET', '/api/v1/audit?action=ingest.agent')
    expect(audit.json.items.length).toBeGreaterThanOrEqual(1)
  })

  it('keeps its data across a restart and does not create a second admin', async () => {
    await server.stop()
    server = await startServe([], {}, server.dataDir)
    expect(server.output()).not.toContain('one-time password')
    const reader = new ApiClient(server.url, token)
    const scans = await reader.request('GET', '/api/v1/scans')
    expect(scans.status).toBe(200)
    expect(scans.json.items).toHaveLength(1)
    admin = Object.assign(new ApiClient(server.url), { cookie: admin.cookie, csrf: admin.csrf })
    const audit = await admin.request('GET', '/api/v1/audit/verify')
    // the old session survived the restart (sessions live in the database)
    expect(audit.status).toBe(200)
    expect(audit.json.ok).toBe(true)
    expect(audit.json.count).toBeGreaterThan(3)
  })
})

describe('phiwall serve options', () => {
  it('refuses plain HTTP off loopback', () => {
    const r = phiwall(['serve', '--host', '0.0.0.0', '--port', '0', '--data-dir', fs.mkdtempSync(path.join(os.tmpdir(), 'pw-'))])
    expect(r.code).toBe(2)
    expect(r.err).toContain('PW_ERR_SERVER_CONFIG')
  })

  it('serves HTTPS with a given certificate, and sets Secure cookies', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-tls-'))
    const cert = path.join(dir, 'cert.pem')
    const key = path.join(dir, 'key.pem')
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' })
    const s = await startServe(['--tls-cert', cert, '--tls-key', key])
    try {
      expect(s.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
      const answer = await new Promise<{ status: number; headers: Record<string, string | string[] | undefined> }>((resolve, reject) => {
        const req = https.request(`${s.url}/api/v1/auth/login`, { method: 'POST', ca: fs.readFileSync(cert), headers: { 'content-type': 'application/json' } }, (res) => {
          res.resume()
          resolve({ status: res.statusCode!, headers: res.headers })
        })
        req.on('error', reject)
        req.end(JSON.stringify({ username: s.admin.username, password: s.admin.password }))
      })
      expect(answer.status).toBe(200)
      const cookie = String(answer.headers['set-cookie'])
      expect(cookie).toMatch(/phiwall_session=/)
      expect(cookie).toMatch(/; *Secure/i)
      expect(cookie).toMatch(/HttpOnly/i)
      expect(cookie).toMatch(/SameSite=Strict/i)
      expect(answer.headers['strict-transport-security']).toContain('max-age=')
    } finally {
      await s.stop()
    }
  })
})

describe.skipIf(!(await runPostgresTests()))('phiwall serve on PostgreSQL (same migrations)', () => {
  const schema = uniqueSchema('serve_e2e')
  let server: ServeProcess | undefined
  afterAll(async () => {
    await server?.stop()
    await dropSchema(schema)
  })

  it('starts on a fresh schema, signs in, takes an upload and lists it', async () => {
    server = await startServe(['--database-url', TEST_DATABASE_URL, '--database-schema', schema, '--secret-key-file', path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pw-key-')), 'server.key')])
    expect(server.output()).toContain('PostgreSQL')
    const admin = (await firstSignIn(server.url, server.admin.username, server.admin.password, NEW_PASSWORD)).client
    const health = await admin.request('GET', '/api/health')
    expect(health.json.store).toBe('postgres')
    const tok = await admin.request('POST', '/api/v1/tokens', { name: 'ci', scopes: ['scans:write', 'read'], expiresInDays: 1 })
    const r = phiwall(['scan', 'examples/clinic-intake', '--upload', server.url, '--fail-on', 'none', '--no-progress', '-q'], { PHIWALL_TOKEN: tok.json.secret })
    expect(r.code).toBe(0)
    const list = await new ApiClient(server.url, tok.json.secret).request('GET', '/api/v1/findings?limit=5')
    expect(list.status).toBe(200)
    expect(list.json.items).toHaveLength(5)
    expect(list.json.total).toBeGreaterThan(5)
  })
})
