import { describe, expect, it } from 'vitest'
import { ApiClient, ApiError, classifyError, errorText, fieldError, queryString, reportUrl, toApiError } from './api'

type Call = { url: string; init: RequestInit | undefined }

/** A fetch stub answering from a list of (matcher → response) rules, recording every call. */
function stub(routes: [RegExp, (init: RequestInit | undefined, n: number) => Response][]): { fetch: (u: string, i?: RequestInit) => Promise<Response>; calls: Call[] } {
  const calls: Call[] = []
  const counts = new Map<RegExp, number>()
  return {
    calls,
    fetch: async (url, init) => {
      calls.push({ url, init })
      const method = init?.method ?? 'GET'
      for (const [re, answer] of routes) {
        if (re.test(`${method} ${url}`)) {
          const n = (counts.get(re) ?? 0) + 1
          counts.set(re, n)
          return answer(init, n)
        }
      }
      return json(404, { error: { code: 'PW_ERR_NOT_FOUND', message: 'No such API route.' } })
    },
  }
}
const json = (status: number, body: unknown, headers: Record<string, string> = {}): Response => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } })
const header = (c: Call, name: string): string | undefined => (c.init?.headers as Record<string, string> | undefined)?.[name]
const ME = { user: { id: 'u1', username: 'alice', role: 'engineer', team: null, totpEnrolled: true }, csrfToken: 'csrf-1', pending: null }

describe('toApiError', () => {
  it('keeps the code, message and field of a JSON error answer', async () => {
    const e = await toApiError(json(400, { error: { code: 'PW_ERR_BAD_REQUEST', message: 'The reason must be at least 10 characters.', field: 'reason' } }))
    expect(e).toBeInstanceOf(ApiError)
    expect([e.status, e.code, e.message, e.field]).toEqual([400, 'PW_ERR_BAD_REQUEST', 'The reason must be at least 10 characters.', 'reason'])
  })
  it('reads Retry-After of 429 and 503 answers', async () => {
    const e = await toApiError(json(429, { error: { code: 'PW_ERR_RATE_LIMITED', message: 'Too many attempts.' } }, { 'Retry-After': '30' }))
    expect(e.retryAfter).toBe(30)
    expect(errorText(e)).toBe('Too many attempts. Try again in 30 s.')
  })
  it('falls back to a code from the status when the body is not a PhiWall error (a proxy page)', async () => {
    const e = await toApiError(new Response('<html>Bad gateway</html>', { status: 503, statusText: 'Service Unavailable' }))
    expect(e.code).toBe('PW_ERR_BUSY')
    expect(e.message).toBe('The server answered 503 Service Unavailable.')
    const f = await toApiError(new Response('', { status: 403 }))
    expect(f.code).toBe('PW_ERR_FORBIDDEN')
  })
})

describe('classifyError / errorText / fieldError', () => {
  it('sends 401 to sign-in and 401 MFA to the second factor', () => {
    expect(classifyError(new ApiError(401, 'PW_ERR_UNAUTHENTICATED', 'Sign in.'))).toBe('signin')
    expect(classifyError(new ApiError(401, 'PW_ERR_MFA_REQUIRED', 'Second factor.'))).toBe('mfa')
  })
  it('turns 403 into the role message but keeps CSRF apart', () => {
    const forbidden = new ApiError(403, 'PW_ERR_FORBIDDEN', 'Role auditor may not write.')
    expect(classifyError(forbidden)).toBe('forbidden')
    expect(errorText(forbidden)).toBe('Your role does not allow this.')
    expect(classifyError(new ApiError(403, 'PW_ERR_CSRF', 'Bad token.'))).toBe('csrf')
  })
  it('matches a field by its last path segment', () => {
    const e = new ApiError(400, 'PW_ERR_BAD_REQUEST', 'Too long.', 'body.reason')
    expect(classifyError(e)).toBe('field')
    expect(fieldError(e, 'reason')).toBe('Too long.')
    expect(fieldError(e, 'expiresAt')).toBeUndefined()
    expect(fieldError(new ApiError(400, 'PW_ERR_BAD_REQUEST', 'Bad limit.', 'query.limit'), 'limit')).toBe('Bad limit.')
    expect(fieldError(new Error('x'), 'reason')).toBeUndefined()
  })
  it('explains network failures in words', () => {
    expect(errorText(new TypeError('Failed to fetch'))).toMatch(/could not be reached/)
  })
})

describe('queryString / reportUrl', () => {
  it('drops empty values and encodes the rest', () => {
    expect(queryString({ q: 'lab results', severity: '', cursor: null, limit: 50, phi: undefined })).toBe('?q=lab+results&limit=50')
    expect(queryString({})).toBe('')
  })
  it('links the latest report by format', () => {
    expect(reportUrl('sarif')).toBe('/api/v1/reports/latest?format=sarif')
  })
})

describe('ApiClient', () => {
  it('sends the session cookie and no CSRF header on GET', async () => {
    const s = stub([[/^GET \/api\/v1\/posture$/, () => json(200, { latestScanAt: null })]])
    const api = new ApiClient(s.fetch)
    await api.posture()
    expect(s.calls).toHaveLength(1)
    expect(s.calls[0]!.init?.credentials).toBe('same-origin')
    expect(header(s.calls[0]!, 'X-CSRF-Token')).toBeUndefined()
  })

  it('fetches the CSRF token from /auth/me before the first state-changing request and sends it', async () => {
    const s = stub([
      [/^GET \/api\/v1\/auth\/me$/, () => json(200, ME)],
      [/^POST \/api\/v1\/findings\/f-1\/suppress$/, () => json(200, { finding: { id: 'f-1' } })],
    ])
    const api = new ApiClient(s.fetch)
    await api.suppress('f-1', 'Compensating control documented in RISK-12.', '2027-03-01T23:59:59.000Z')
    expect(s.calls.map((c) => `${c.init?.method} ${c.url}`)).toEqual(['GET /api/v1/auth/me', 'POST /api/v1/findings/f-1/suppress'])
    const post = s.calls[1]!
    expect(header(post, 'X-CSRF-Token')).toBe('csrf-1')
    expect(header(post, 'Content-Type')).toBe('application/json')
    expect(JSON.parse(String(post.init?.body))).toEqual({ reason: 'Compensating control documented in RISK-12.', expiresAt: '2027-03-01T23:59:59.000Z' })
  })

  it('does not ask for a CSRF token to sign in', async () => {
    const s = stub([[/^POST \/api\/v1\/auth\/login$/, () => json(200, { next: 'totp' })]])
    const api = new ApiClient(s.fetch)
    expect(await api.login('alice', 'correct horse battery')).toEqual({ next: 'totp' })
    expect(s.calls).toHaveLength(1)
    expect(header(s.calls[0]!, 'X-CSRF-Token')).toBeUndefined()
  })

  it('refreshes a stale CSRF token once and retries', async () => {
    let token = 'old'
    const s = stub([
      [/^GET \/api\/v1\/auth\/me$/, () => json(200, { ...ME, csrfToken: token })],
      [
        /^POST \/api\/v1\/alerts\/a1\/ack$/,
        (init) =>
          (init?.headers as Record<string, string>)['X-CSRF-Token'] === 'new'
            ? json(200, { alert: { id: 'a1', state: 'acknowledged' } })
            : json(403, { error: { code: 'PW_ERR_CSRF', message: 'The CSRF token is missing or wrong.' } }),
      ],
    ])
    const api = new ApiClient(s.fetch)
    await api.me()
    token = 'new'
    const r = await api.ack('a1')
    expect(r.alert.state).toBe('acknowledged')
    expect(s.calls.map((c) => `${c.init?.method} ${c.url}`)).toEqual(['GET /api/v1/auth/me', 'POST /api/v1/alerts/a1/ack', 'GET /api/v1/auth/me', 'POST /api/v1/alerts/a1/ack'])
  })

  it('does not retry a 403 that is not about CSRF', async () => {
    const s = stub([
      [/^GET \/api\/v1\/auth\/me$/, () => json(200, ME)],
      [/^POST \/api\/v1\/policy\/approve$/, () => json(403, { error: { code: 'PW_ERR_FORBIDDEN', message: 'Role auditor may not write.' } })],
    ])
    const api = new ApiClient(s.fetch)
    const err = await api.approve('sha256:abc', 'reviewed').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect((err as ApiError).code).toBe('PW_ERR_FORBIDDEN')
    expect(s.calls.filter((c) => c.url.endsWith('/policy/approve'))).toHaveLength(1)
  })

  it('builds list queries with cursor and filters, leaving empty filters out', async () => {
    const s = stub([[/^GET \/api\/v1\/findings/, () => json(200, { items: [], total: 0, nextCursor: null })]])
    const api = new ApiClient(s.fetch)
    await api.findings({ severity: 'high', status: '', q: 'bucket', limit: 50, cursor: 'c2' })
    expect(s.calls[0]!.url).toBe('/api/v1/findings?severity=high&q=bucket&limit=50&cursor=c2')
  })

  it('encodes path ids', async () => {
    const s = stub([
      [/^GET \/api\/v1\/auth\/me$/, () => json(200, ME)],
      [/^PUT /, () => json(200, { workload: { id: 'k8s:clinic/api', mode: 'alert' } })],
    ])
    const api = new ApiClient(s.fetch)
    await api.setMode('k8s:clinic/api', 'alert')
    expect(s.calls[1]!.url).toBe('/api/v1/baseline/workloads/k8s%3Aclinic%2Fapi/mode')
    expect(JSON.parse(String(s.calls[1]!.init?.body))).toEqual({ mode: 'alert' })
  })

  it('forgets the CSRF token after signing out', async () => {
    const s = stub([
      [/^GET \/api\/v1\/auth\/me$/, () => json(200, ME)],
      [/^POST \/api\/v1\/auth\/logout$/, () => json(200, { ok: true })],
      [/^POST \/api\/v1\/tokens$/, () => json(401, { error: { code: 'PW_ERR_UNAUTHENTICATED', message: 'Sign in first.' } })],
    ])
    const api = new ApiClient(s.fetch)
    await api.me()
    await api.logout()
    const err = await api.createToken({ name: 'ci', scopes: ['scans:write'], expiresInDays: 30 }).catch((e: unknown) => e)
    expect(classifyError(err)).toBe('signin')
    // the token was dropped, so the client asked /auth/me again before the POST
    expect(s.calls.map((c) => `${c.init?.method} ${c.url}`)).toEqual(['GET /api/v1/auth/me', 'POST /api/v1/auth/logout', 'GET /api/v1/auth/me', 'POST /api/v1/tokens'])
  })

  it('sends only the workloads asked for to simulate', async () => {
    const s = stub([
      [/^GET \/api\/v1\/auth\/me$/, () => json(200, ME)],
      [/^POST \/api\/v1\/policy\/simulate$/, () => json(200, { result: { flows: 0 }, digest: 'd' })],
    ])
    const api = new ApiClient(s.fetch)
    await api.simulate()
    await api.simulate(['w1'])
    expect(JSON.parse(String(s.calls[1]!.init?.body))).toEqual({})
    expect(JSON.parse(String(s.calls[2]!.init?.body))).toEqual({ workloads: ['w1'] })
  })
})
