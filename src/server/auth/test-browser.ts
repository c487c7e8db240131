/** Test helper: a cookie-keeping client of the whole app that records every answer (for the secrets scan). */
import type { OpenAPIHono } from '@hono/zod-openapi'
import { Secret, TOTP } from 'otpauth'
import type { AppEnv } from '../types.js'

/** One recorded answer. */
export interface Recorded {
  method: string
  path: string
  status: number
  text: string
}

/** An answer: status, parsed JSON body, headers. */
export interface Answer {
  status: number
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any
  headers: Headers
}

/** A browser-like client: keeps the session cookie, sends the CSRF token it learnt from /auth/me. */
export class TestBrowser {
  cookie: string | null = null
  csrf: string | null = null
  constructor(private readonly app: OpenAPIHono<AppEnv>, private readonly transcript: Recorded[]) {}

  /** Sends a request to /api/v1 + `path`. */
  async req(method: string, path: string, body?: unknown, opts: { csrf?: boolean | string; bearer?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
    const headers: Record<string, string> = { ...opts.headers }
    if (body !== undefined) headers['content-type'] = 'application/json'
    if (this.cookie && !opts.bearer) headers['cookie'] = `phiwall_session=${this.cookie}`
    if (opts.bearer) headers['authorization'] = `Bearer ${opts.bearer}`
    const csrf = typeof opts.csrf === 'string' ? opts.csrf : opts.csrf === false ? null : this.csrf
    if (csrf && method !== 'GET') headers['x-csrf-token'] = csrf
    const res = await this.app.request(`/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
    const text = await res.text()
    this.transcript.push({ method, path, status: res.status, text })
    const set = res.headers.get('set-cookie')
    if (set) {
      const m = /phiwall_session=([^;]*)/.exec(set)
      if (m) this.cookie = m[1] && !/Max-Age=0/i.test(set) ? m[1] : null
    }
    let parsed: unknown = null
    try {
      parsed = JSON.parse(text)
    } catch {
      parsed = text
    }
    return { status: res.status, body: parsed, headers: res.headers }
  }

  /** GET /auth/me and remember its CSRF token. */
  async me(): Promise<Answer> {
    const a = await this.req('GET', '/auth/me')
    if (a.status === 200) this.csrf = a.body.csrfToken
    return a
  }

  /** POST /auth/login (and learn the pending session's CSRF token). */
  async login(username: string, password: string): Promise<Answer> {
    const a = await this.req('POST', '/auth/login', { username, password })
    if (a.status === 200) await this.me()
    return a
  }
}

/** The current TOTP code of a base32 secret at `now`. */
export function totpCode(secret: string, now: Date): string {
  return TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: now.getTime() })
}

/** A first sign-in through password change and TOTP enrolment; returns the TOTP secret and recovery codes. */
export async function completeFirstSignIn(b: TestBrowser, username: string, oneTimePassword: string, newPassword: string, now: () => Date): Promise<{ secret: string; recoveryCodes: string[] }> {
  const login = await b.login(username, oneTimePassword)
  if (login.body?.next !== 'password') throw new Error(`login answered ${login.status} ${JSON.stringify(login.body)}`)
  await b.req('POST', '/auth/password', { currentPassword: oneTimePassword, newPassword })
  const enrol = await b.req('GET', '/auth/totp/enrol')
  const done = await b.req('POST', '/auth/totp/enrol', { code: totpCode(enrol.body.secret, now()) })
  if (done.status !== 200) throw new Error(`enrol answered ${done.status}`)
  await b.me()
  return { secret: enrol.body.secret, recoveryCodes: done.body.recoveryCodes }
}
