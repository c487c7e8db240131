import { afterAll, describe, expect, it } from 'vitest'
import type { Store } from '../../store/index.js'
import { createApp } from '../app.js'
import { testBackends, testClock, testContext } from '../test-support.js'
import type { ServerConfig } from '../types.js'
import { ADDRESS_LIMIT, bootstrapAdmin } from './index.js'
import { completeFirstSignIn, TestBrowser, totpCode, type Recorded } from './test-browser.js'

const backends = await testBackends('authlimits')
afterAll(async () => {
  for (const b of backends) await b.cleanup()
})

for (const backend of backends) {
  describe(backend.name, () => {
    async function setup(config: Partial<ServerConfig> = {}) {
      const clock = testClock()
      const store: Store = await backend.open()
      const ctx = await testContext(store, { clock: clock.now, config })
      const app = createApp(ctx)
      const transcript: Recorded[] = []
      const admin = new TestBrowser(app, transcript)
      const first = (await bootstrapAdmin(ctx))!
      const adminTotp = await completeFirstSignIn(admin, 'admin', first.oneTimePassword, 'north-ward-telemetry-2026', clock.now)
      return { clock, store, ctx, app, admin, adminTotp, transcript }
    }

    it(`answers 429 past ${ADDRESS_LIMIT} sign-in attempts a minute from one address`, async () => {
      const { clock, store, app, transcript } = await setup()
      clock.advance(61_000)
      const b = new TestBrowser(app, transcript)
      const statuses: number[] = []
      for (let i = 0; i < ADDRESS_LIMIT; i++) statuses.push((await b.req('POST', '/auth/login', { username: `guess${i}`, password: 'spray-attempt-password' })).status)
      expect(statuses.every((s) => s === 401)).toBe(true)
      const over = await b.req('POST', '/auth/login', { username: 'admin', password: 'north-ward-telemetry-2026' })
      expect(over.status).toBe(429)
      expect(over.body.error.code).toBe('PW_ERR_RATE_LIMITED')
      expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0)
      clock.advance(61_000)
      expect((await b.req('POST', '/auth/login', { username: 'admin', password: 'north-ward-telemetry-2026' })).body).toEqual({ next: 'totp' })
      await store.close()
    })

    it('refuses bad login bodies naming the field, and keeps pending sessions to their step', async () => {
      const { clock, store, app, admin, transcript } = await setup()
      const b = new TestBrowser(app, transcript)
      expect((await b.req('POST', '/auth/login', { password: 'x' })).body.error).toMatchObject({ code: 'PW_ERR_BAD_REQUEST', field: 'username' })
      expect((await b.req('POST', '/auth/login', { username: 'admin', password: 42 })).body.error.field).toBe('password')
      const created = await admin.req('POST', '/users', { username: 'erin.engineer', role: 'engineer' })
      const erin = new TestBrowser(app, transcript)
      const erinTotp = await completeFirstSignIn(erin, 'erin.engineer', created.body.oneTimePassword, 'rotating-cedar-pipeline-7', clock.now)
      await erin.req('POST', '/auth/logout')
      clock.advance(30_000)
      expect((await erin.login('erin.engineer', 'rotating-cedar-pipeline-7')).body).toEqual({ next: 'totp' })
      // a password alone does not allow changing the password, nor other routes
      expect((await erin.req('POST', '/auth/password', { currentPassword: 'rotating-cedar-pipeline-7', newPassword: 'something-else-entirely' })).status).toBe(409)
      const tokens = await erin.req('GET', '/tokens')
      expect(tokens.status).toBe(401)
      expect(tokens.body.error.code).toBe('PW_ERR_MFA_REQUIRED')
      expect((await erin.req('GET', '/auth/totp/enrol')).status).toBe(409)
      // a signed-in user changes the password with the current one; other sessions end
      expect((await erin.req('POST', '/auth/totp', { code: totpCode(erinTotp.secret, clock.now()) })).body).toEqual({ next: 'done' })
      await erin.me()
      const other = new TestBrowser(app, transcript)
      clock.advance(30_000)
      await other.login('erin.engineer', 'rotating-cedar-pipeline-7')
      await other.req('POST', '/auth/totp', { code: totpCode(erinTotp.secret, clock.now()) })
      expect((await other.me()).status).toBe(200)
      expect((await erin.req('POST', '/auth/password', { currentPassword: 'rotating-cedar-pipeline-7', newPassword: 'rotating-cedar-pipeline-8' })).body).toEqual({ next: 'done' })
      expect((await erin.me()).status).toBe(200)
      expect((await other.req('GET', '/auth/me')).status).toBe(401)
      await store.close()
    })

    it('locks unknown usernames like real ones, so a 429 reveals no account', async () => {
      const { clock, store, app, admin, transcript } = await setup()
      clock.advance(61_000)
      await admin.req('POST', '/users', { username: 'real.user', role: 'engineer' })
      const b = new TestBrowser(app, transcript)
      const statuses = async (username: string): Promise<number[]> => {
        const out: number[] = []
        for (let i = 0; i < 6; i++) out.push((await b.req('POST', '/auth/login', { username, password: `sprayed-password-${i}` })).status)
        return out
      }
      expect(await statuses('real.user')).toEqual([401, 401, 401, 401, 429, 429])
      expect(await statuses('ghost.user')).toEqual([401, 401, 401, 401, 429, 429])
      clock.advance(15 * 60_000 + 1000)
      expect((await b.req('POST', '/auth/login', { username: 'ghost.user', password: 'sprayed-password-x' })).status).toBe(401)
      await store.close()
    })

    it('marks the cookie Secure when the server says so', async () => {
      const clock = testClock()
      const store = await backend.open()
      const ctx = await testContext(store, { clock: clock.now, config: { secureCookies: true } })
      const first = (await bootstrapAdmin(ctx))!
      const res = await createApp(ctx).request('/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: first.oneTimePassword }) })
      expect(res.status).toBe(200)
      expect(res.headers.get('set-cookie')).toMatch(/^phiwall_session=[A-Za-z0-9_-]{43}; Max-Age=43200; Path=\/; HttpOnly; Secure; SameSite=Strict$/)
      await store.close()
    })

    it('ends sessions at their absolute lifetime even when active', async () => {
      const { clock, store, admin } = await setup({ sessionIdleMs: 30 * 60_000, sessionMaxMs: 2 * 3600_000 })
      for (let i = 0; i < 5; i++) {
        clock.advance(20 * 60_000)
        expect((await admin.req('GET', '/auth/me')).status).toBe(200)
      }
      clock.advance(20 * 60_000 + 1)
      expect((await admin.req('GET', '/auth/me')).status).toBe(401)
      await store.close()
    })

    it('updates a token last use at most once a minute', async () => {
      const { clock, store, admin, transcript, app } = await setup()
      const tok = await admin.req('POST', '/tokens', { name: 'ci', scopes: ['read'], expiresInDays: 1 })
      const bot = new TestBrowser(app, transcript)
      const t0 = clock.now().toISOString()
      await bot.req('GET', '/auth/me', undefined, { bearer: tok.body.secret })
      clock.advance(30_000)
      await bot.req('GET', '/auth/me', undefined, { bearer: tok.body.secret })
      expect((await admin.req('GET', '/tokens')).body.items[0].lastUsedAt).toBe(t0)
      clock.advance(31_000)
      await bot.req('GET', '/auth/me', undefined, { bearer: tok.body.secret })
      expect((await admin.req('GET', '/tokens')).body.items[0].lastUsedAt).toBe(clock.now().toISOString())
      await store.close()
    })

    it('documents the auth and audit routes in the OpenAPI document', async () => {
      const { store, app } = await setup()
      const doc = (await (await app.request('/api/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> }
      for (const [path, method] of [['/api/v1/auth/login', 'post'], ['/api/v1/auth/password', 'post'], ['/api/v1/auth/totp/enrol', 'get'], ['/api/v1/auth/totp/enrol', 'post'], ['/api/v1/auth/totp', 'post'], ['/api/v1/auth/logout', 'post'], ['/api/v1/auth/me', 'get'], ['/api/v1/users', 'get'], ['/api/v1/users', 'post'], ['/api/v1/users/{id}', 'patch'], ['/api/v1/users/{id}/reset', 'post'], ['/api/v1/tokens', 'get'], ['/api/v1/tokens', 'post'], ['/api/v1/tokens/{id}', 'delete'], ['/api/v1/audit', 'get'], ['/api/v1/audit/verify', 'get']] as const) {
        expect(doc.paths[path]?.[method], `${method} ${path}`).toBeDefined()
      }
      await store.close()
    })

    if (backend.name === 'postgres') {
      it('creates the first admin once under concurrent starts', async () => {
        const clock = testClock()
        const store = await backend.open()
        const ctx = await testContext(store, { clock: clock.now })
        const results = await Promise.all([bootstrapAdmin(ctx), bootstrapAdmin(ctx), bootstrapAdmin(ctx)])
        expect(results.filter((r) => r !== null)).toHaveLength(1)
        const rows = await store.query<{ username: string }>('SELECT username FROM auth_users')
        expect(rows).toEqual([{ username: 'admin' }])
        expect(await ctx.audit.list({ action: 'user.create' })).toHaveLength(1)
        await store.close()
      })
    }
  })
}
