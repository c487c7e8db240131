/**
 * Every route of the OpenAPI document, generically: without credentials it answers 401; with an
 * auditor's read token every state-changing route answers 403 (or 401 where a signed-in session is
 * required) and every read route is allowed or, for admin-only reads, 403; bodies that are not JSON
 * objects answer 400 naming a field. New routes are covered as soon as they are declared.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openStore, type Store } from '../store/index.js'
import { createApp } from './app.js'
import { bootstrapAdmin } from './auth/index.js'
import { completeFirstSignIn, TestBrowser, type Recorded } from './auth/test-browser.js'
import { testClock, testContext } from './test-support.js'

interface Operation {
  method: string
  path: string
}

const PUBLIC = new Set(['POST /api/v1/auth/login'])
/** Sign-in steps of a pending session validate their body first (a pending session is not a principal). */
const SIGN_IN_STEPS = new Set(['POST /api/v1/auth/password', 'POST /api/v1/auth/totp/enrol', 'POST /api/v1/auth/totp'])
/** Routes that continue or end the sign-in of the session itself (not posture state). */
const SIGN_IN = /^\/api\/v1\/auth\//
/** Reads an auditor may not make. */
const ADMIN_READS = new Set(['GET /api/v1/users'])

describe('every API route', () => {
  let store: Store
  let app: ReturnType<typeof createApp>
  let operations: Operation[] = []
  let auditorToken = ''
  let adminBrowser: TestBrowser
  const transcript: Recorded[] = []

  beforeAll(async () => {
    store = await openStore({})
    const clock = testClock()
    const ctx = await testContext(store, { clock: clock.now })
    app = createApp(ctx)
    const doc = (await (await app.request('/api/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> }
    operations = Object.entries(doc.paths).flatMap(([p, methods]) => Object.keys(methods).map((m) => ({ method: m.toUpperCase(), path: p })))
    const admin = await bootstrapAdmin(ctx)
    const a = new TestBrowser(app, transcript)
    adminBrowser = a
    await completeFirstSignIn(a, admin!.username, admin!.oneTimePassword, 'admin passphrase that is long', clock.now)
    const created = await a.req('POST', '/users', { username: 'ada.auditor', role: 'auditor' })
    clock.advance(31_000)
    const b = new TestBrowser(app, transcript)
    await completeFirstSignIn(b, 'ada.auditor', created.body.oneTimePassword, 'auditor passphrase that is long', clock.now)
    const token = await b.req('POST', '/tokens', { name: 'auditor-read', scopes: ['read'], expiresInDays: 5 })
    auditorToken = token.body.secret
  })
  afterAll(async () => {
    await store.close()
  })

  const concrete = (p: string): string => p.replace(/\{[^}]+\}/g, 'no-such-id')

  it('keeps TOTP seeds sealed in the database', async () => {
    const rows = await store.query<{ username: string; totp_secret: string }>('SELECT username, totp_secret FROM auth_users ORDER BY username')
    expect(rows.map((r) => r.username)).toEqual(['ada.auditor', 'admin'])
    for (const r of rows) expect(r.totp_secret).toMatch(/^v1:/)
    expect(rows.some((r) => /^[A-Z2-7]{16,}=*$/.test(r.totp_secret))).toBe(false)
  })

  it('documents the routes of every domain', () => {
    const paths = new Set(operations.map((o) => o.path))
    for (const p of ['/api/v1/auth/login', '/api/v1/users', '/api/v1/tokens', '/api/v1/audit', '/api/v1/scans', '/api/v1/findings', '/api/v1/findings/{id}/suppress', '/api/v1/resources', '/api/v1/topology', '/api/v1/reports/latest', '/api/v1/sources', '/api/v1/ingest/agent', '/api/v1/baseline/review', '/api/v1/policy/approve', '/api/v1/alerts']) {
      expect(paths, p).toContain(p)
    }
    expect(operations.length).toBeGreaterThan(35)
  })

  it('answers 401 to every route without credentials', async () => {
    const wrong: string[] = []
    for (const op of operations) {
      const id = `${op.method} ${op.path}`
      if (PUBLIC.has(id)) continue
      const res = await app.request(concrete(op.path), { method: op.method, headers: { 'content-type': 'application/json' }, body: op.method === 'GET' ? undefined : '{}' })
      const body = (await res.json()) as { error?: { code: string } }
      const ok = res.status === 401 || (SIGN_IN_STEPS.has(id) && res.status === 400)
      if (!ok || !body.error?.code.startsWith('PW_ERR_')) wrong.push(`${id} → ${res.status} ${body.error?.code}`)
    }
    expect(wrong).toEqual([])
  })

  it("refuses every state-changing route to an auditor's read token, and allows its reads", async () => {
    const wrong: string[] = []
    for (const op of operations) {
      const id = `${op.method} ${op.path}`
      if (PUBLIC.has(id) || SIGN_IN.test(op.path)) continue
      const res = await app.request(concrete(op.path), { method: op.method, headers: { authorization: `Bearer ${auditorToken}`, 'content-type': 'application/json' }, body: op.method === 'GET' ? undefined : '{}' })
      const code = ((await res.json()) as { error?: { code: string } }).error?.code
      if (op.method === 'GET') {
        // allowed reads answer 200, or 404 for an id that does not exist
        const expected = ADMIN_READS.has(id) ? [403] : op.path === '/api/v1/tokens' ? [401, 403] : op.path === '/api/v1/policy/export' ? [400] : [200, 404]
        if (!expected.includes(res.status)) wrong.push(`${id} → ${res.status} ${code}`)
      } else if (op.path.startsWith('/api/v1/tokens')) {
        // token management needs a signed-in session, or the token's own owner
        if (![400, 401, 403, 404].includes(res.status)) wrong.push(`${id} → ${res.status} ${code}`)
      } else if (id === 'POST /api/v1/policy/simulate') {
        // a simulation changes nothing: readers may run it
        if (res.status !== 200) wrong.push(`${id} → ${res.status} ${code}`)
      } else if (res.status !== 403 || code !== 'PW_ERR_FORBIDDEN') {
        wrong.push(`${id} → ${res.status} ${code}`)
      }
    }
    expect(wrong).toEqual([])
  })

  it("answers 400 naming a field to every body that is not the route's JSON object (a signed-in admin)", async () => {
    const wrong: string[] = []
    const doc = (await (await app.request('/api/openapi.json')).json()) as { paths: Record<string, Record<string, { requestBody?: unknown }>> }
    let checked = 0
    for (const [p, methods] of Object.entries(doc.paths)) {
      for (const [m, op] of Object.entries(methods)) {
        // the sign-in steps of a finished session answer 409 (wrong stage) before reading a body
        if (!op.requestBody || SIGN_IN.test(p)) continue
        const res = await adminBrowser.req(m.toUpperCase(), concrete(p).replace(/^\/api\/v1/, ''), [1, 2])
        checked++
        if (!(res.status === 400 && res.body?.error?.code === 'PW_ERR_BAD_REQUEST' && typeof res.body.error.field === 'string')) wrong.push(`${m} ${p} → ${res.status} ${JSON.stringify(res.body?.error)}`)
      }
    }
    expect(wrong).toEqual([])
    expect(checked).toBeGreaterThan(12)
  })
})
