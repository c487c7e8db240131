/**
 * Helpers for the server's tests: both store backends, a context with a fixed clock, and an app
 * that runs one route module as a given principal (so a domain's routes are tested without the
 * sign-in flow; the auth tests and test/e2e cover that end to end).
 */
import type { OpenAPIHono } from '@hono/zod-openapi'
import { PhiwallError } from '../model/index.js'
import { openStore, type Store } from '../store/index.js'
import { dropSchema, runPostgresTests, TEST_DATABASE_URL, uniqueSchema } from '../store/test-support.js'
import { openServerContext } from './context.js'
import { errorResponse, newRouter } from './router.js'
import type { AppEnv, Principal, ServerConfig, ServerContext } from './types.js'

/** A backend the server tests run on: PGlite in memory always; PostgreSQL when reachable, and always in CI. */
export interface TestBackend {
  name: 'pglite' | 'postgres'
  open(): Promise<Store>
  /** Drops what `open` created. */
  cleanup(): Promise<void>
}

/** The backends of this run. Use with `describe.each(await testBackends('posture'))`. */
export async function testBackends(prefix: string): Promise<TestBackend[]> {
  const out: TestBackend[] = [{ name: 'pglite', open: () => openStore({}), cleanup: async () => undefined }]
  if (await runPostgresTests()) {
    const schemas: string[] = []
    out.push({
      name: 'postgres',
      open: async () => {
        const schema = uniqueSchema(prefix)
        schemas.push(schema)
        return openStore({ databaseUrl: TEST_DATABASE_URL, schema })
      },
      cleanup: async () => {
        for (const s of schemas.splice(0)) await dropSchema(s)
      },
    })
  }
  return out
}

/** A settable clock for tests. */
export function testClock(start = '2026-12-07T09:00:00.000Z'): { now: () => Date; set(iso: string): void; advance(ms: number): void } {
  let t = Date.parse(start)
  return { now: () => new Date(t), set: (iso) => void (t = Date.parse(iso)), advance: (ms) => void (t += ms) }
}

/** A migrated server context on `store`, cookies without Secure (tests speak plain HTTP), log lines collected. */
export async function testContext(store: Store, options: { clock?: () => Date; config?: Partial<ServerConfig> } = {}): Promise<ServerContext & { logLines: string[] }> {
  const logLines: string[] = []
  const ctx = await openServerContext({ store, clock: options.clock ?? testClock().now, config: { secureCookies: false, ...options.config }, log: (l) => logLines.push(l) })
  return Object.assign(ctx, { logLines })
}

/** Principals of each role, for {@link appAs}. */
export const PRINCIPALS = {
  admin: { kind: 'session', userId: 'u-admin', username: 'alice.admin', role: 'admin', team: null, sessionId: 's-admin' },
  engineer: { kind: 'session', userId: 'u-eng', username: 'erin.engineer', role: 'engineer', team: null, sessionId: 's-eng' },
  auditor: { kind: 'session', userId: 'u-aud', username: 'arthur.auditor', role: 'auditor', team: null, sessionId: 's-aud' },
  appTeam: (team: string): Principal => ({ kind: 'session', userId: `u-team-${team}`, username: `${team}.dev`, role: 'app-team', team, sessionId: `s-team-${team}` }),
  token: (scopes: Principal['scopes'], role: Principal['role'] = 'engineer'): Principal => ({ kind: 'token', userId: 'u-ci', username: 'ci-bot', role, team: null, scopes, tokenId: 'tok-1' }),
} satisfies Record<string, Principal | ((...a: never[]) => Principal)>

/**
 * An app serving `routes` under /api/v1 as `principal` (null = anonymous), with the server's error
 * answers. For domain route tests only: it skips the authentication middleware.
 *
 * @example
 * const res = await appAs(postureRoutes(ctx), PRINCIPALS.auditor).request('/api/v1/findings')
 */
export function appAs(routes: OpenAPIHono<AppEnv>, principal: Principal | null): OpenAPIHono<AppEnv> {
  const app = newRouter()
  app.use('*', async (c, next) => {
    c.set('requestId', 'test-request')
    c.set('principal', principal)
    await next()
  })
  app.onError((err, c) => errorResponse(c, err))
  app.route('/api/v1', routes)
  app.all('*', () => {
    throw new PhiwallError('PW_ERR_NOT_FOUND', 'No such API route.')
  })
  return app
}

/** JSON request options for `app.request(path, json('POST', body))`. */
export function json(method: string, body: unknown, headers: Record<string, string> = {}): RequestInit {
  return { method, body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } }
}
