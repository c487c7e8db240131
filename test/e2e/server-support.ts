/**
 * Helpers for the server's end-to-end tests: start `phiwall serve` as a user would (the built CLI),
 * read the one-time admin password it prints, and sign in through the API (password change,
 * TOTP enrolment with codes computed by otpauth) the way the dashboard does.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import * as OTPAuth from 'otpauth'

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
export const bin = path.join(root, 'bin/phiwall.js')

/** A `phiwall serve` child process on a free loopback port. */
export interface ServeProcess {
  url: string
  admin: { username: string; password: string }
  dataDir: string
  output(): string
  stop(): Promise<number | null>
}

/** Starts `phiwall serve --port 0` on a fresh data directory (or the given args) and waits for its URL. */
export async function startServe(extraArgs: string[] = [], env: Record<string, string> = {}, reuseDataDir?: string): Promise<ServeProcess> {
  const dataDir = reuseDataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'phiwall-serve-'))
  const child: ChildProcess = spawn(process.execPath, [bin, 'serve', '--port', '0', '--data-dir', dataDir, ...extraArgs], { cwd: root, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()))
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const deadline = Date.now() + 60_000
  while (!/PhiWall is listening on (\S+)/.test(out) || (!reuseDataDir && !/one-time password (\S+)/.test(out))) {
    if (child.exitCode !== null) throw new Error(`phiwall serve exited ${child.exitCode}: ${out}`)
    if (Date.now() > deadline) throw new Error(`phiwall serve did not start: ${out}`)
    await new Promise((r) => setTimeout(r, 50))
  }
  const url = /PhiWall is listening on (\S+)/.exec(out)![1]!
  const m = /created user "([^"]+)" with one-time password (\S+)/.exec(out)
  return {
    url,
    admin: { username: m?.[1] ?? '', password: m?.[2] ?? '' },
    dataDir,
    output: () => out,
    stop: async () => {
      child.kill('SIGTERM')
      return exited
    },
  }
}

/** A signed-in API client holding the session cookie and CSRF token, like the dashboard. */
export class ApiClient {
  cookie = ''
  csrf = ''
  constructor(
    readonly base: string,
    private readonly bearer?: string,
  ) {}

  async request(method: string, route: string, body?: unknown): Promise<{ status: number; json: any; headers: Headers }> {
    const headers: Record<string, string> = {}
    if (body !== undefined) headers['content-type'] = 'application/json'
    if (this.cookie) headers['cookie'] = this.cookie
    if (this.csrf && method !== 'GET') headers['x-csrf-token'] = this.csrf
    if (this.bearer) headers['authorization'] = `Bearer ${this.bearer}`
    const res = await fetch(new URL(route, this.base), { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}), redirect: 'manual' })
    const set = res.headers.getSetCookie()
    for (const c of set) {
      const [pair] = c.split(';')
      if (pair!.startsWith('phiwall_session=')) this.cookie = pair!.endsWith('=') ? '' : pair!
    }
    const text = await res.text()
    let json: any = text
    try {
      json = JSON.parse(text)
    } catch {
      /* not JSON */
    }
    return { status: res.status, json, headers: res.headers }
  }
}

/** A TOTP generator for an enrolled secret (base32). */
export function totpFor(secret: string, label = 'user'): OTPAuth.TOTP {
  return new OTPAuth.TOTP({ issuer: 'PhiWall', label, algorithm: 'SHA1', digits: 6, period: 30, secret: OTPAuth.Secret.fromBase32(secret) })
}

/**
 * Signs in a user who has a one-time password: changes it to `newPassword`, enrols TOTP and
 * returns the client, the TOTP generator and the recovery codes.
 */
export async function firstSignIn(base: string, username: string, oneTimePassword: string, newPassword: string): Promise<{ client: ApiClient; totp: OTPAuth.TOTP; recoveryCodes: string[] }> {
  const client = new ApiClient(base)
  let r = await client.request('POST', '/api/v1/auth/login', { username, password: oneTimePassword })
  if (r.status !== 200 || r.json.next !== 'password') throw new Error(`login: ${r.status} ${JSON.stringify(r.json)}`)
  const me = await client.request('GET', '/api/v1/auth/me')
  client.csrf = me.json.csrfToken ?? ''
  r = await client.request('POST', '/api/v1/auth/password', { currentPassword: oneTimePassword, newPassword })
  if (r.status !== 200 || r.json.next !== 'enrol') throw new Error(`password: ${r.status} ${JSON.stringify(r.json)}`)
  const enrol = await client.request('GET', '/api/v1/auth/totp/enrol')
  if (enrol.status !== 200) throw new Error(`enrol: ${enrol.status} ${JSON.stringify(enrol.json)}`)
  const totp = totpFor(enrol.json.secret, username)
  r = await client.request('POST', '/api/v1/auth/totp/enrol', { code: totp.generate() })
  if (r.status !== 200 || r.json.next !== 'done') throw new Error(`enrol confirm: ${r.status} ${JSON.stringify(r.json)}`)
  const me2 = await client.request('GET', '/api/v1/auth/me')
  client.csrf = me2.json.csrfToken
  return { client, totp, recoveryCodes: r.json.recoveryCodes }
}
