import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import https from 'node:https'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { serve, type ServerType } from '@hono/node-server'
import { z } from 'zod'
import { PhiwallError } from '../model/index.js'
import { openStore, maskDatabaseUrl, type Store } from '../store/index.js'
import { createApp } from './app.js'
import { bootstrapAdmin } from './auth/index.js'
import { openServerContext } from './context.js'
import { startScheduler } from './posture/index.js'
import type { ServerContext } from './types.js'

/** Options of {@link startServer} (the flags of `phiwall serve`). */
export interface ServeOptions {
  /** Default 8443 with TLS, 8080 without. 0 = any free port. */
  port?: number
  /** Default 127.0.0.1 (loopback only). */
  host?: string
  /** PGlite data directory; default `.phiwall/server` under the working directory. */
  dataDir?: string
  /** PostgreSQL instead of PGlite (`DATABASE_URL`). */
  databaseUrl?: string
  /** PostgreSQL schema to work in (tests). */
  schema?: string
  /** PEM certificate chain and key: the server speaks HTTPS itself. */
  tlsCert?: string
  tlsKey?: string
  /** TLS is terminated by a reverse proxy in front: cookies get `Secure`, plain HTTP is accepted on any host. */
  behindProxy?: boolean
  /** Largest request body in MiB (default 32). */
  maxBodyMb?: number
  /** Directory of the built dashboard; default `dist/web` of this package. */
  webRoot?: string
  /** File holding the server's secret key (base64 of 32 bytes); default `<data-dir>.key`, or `.phiwall/server.key` with PostgreSQL. Created 0600 when missing. `PHIWALL_SECRET_KEY` takes precedence. */
  secretKeyFile?: string
  /** Do not cache list answers (measure or debug the database path). */
  noAnswerCache?: boolean
  /** Check parameters for the scans of scheduled sources (`--check-param`); validated by the caller. */
  checkParams?: Record<string, Record<string, string>>
  /** Do not run scheduled rescans (tests, read replicas). */
  noScheduler?: boolean
  /** Server log lines (never PHI or secrets). Default: stderr. */
  log?: (line: string) => void
  /** Time source (tests). */
  clock?: () => Date
}

/** A running server. */
export interface RunningServer {
  url: string
  ctx: ServerContext
  /** The first-start admin, when this start created it: print the password once. */
  createdAdmin: { username: string; oneTimePassword: string } | null
  close(): Promise<void>
}

const optionsSchema = z.object({
  port: z.number().int().min(0).max(65535).optional(),
  host: z.string().min(1).optional(),
  tlsCert: z.string().optional(),
  tlsKey: z.string().optional(),
  maxBodyMb: z.number().positive().max(1024).optional(),
})

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost'])

/** Where the built dashboard is: `dist/web` next to this package's package.json. */
export function defaultWebRoot(): string | undefined {
  let dir = path.dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 6; i++) {
    const pkg = path.join(dir, 'package.json')
    if (fs.existsSync(pkg)) {
      try {
        if ((JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: string }).name === 'phiwall') return path.join(dir, 'dist', 'web')
      } catch {
        /* not ours */
      }
    }
    dir = path.dirname(dir)
  }
  return undefined
}

function readPem(file: string, what: string): Buffer {
  try {
    const text = fs.readFileSync(file)
    if (!text.includes('-----BEGIN')) throw new Error('no PEM block')
    return text
  } catch (e) {
    throw new PhiwallError('PW_ERR_SERVER_CONFIG', `${what} ${file} cannot be read as PEM (${e instanceof Error && 'code' in e ? String((e as NodeJS.ErrnoException).code) : 'no PEM block'}).`)
  }
}

/** Decodes a key given as base64, base64url or hex; it must be 32 bytes. */
function decodeKey(text: string, where: string): Buffer {
  const t = text.trim()
  const key = /^[0-9a-f]{64}$/i.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64')
  if (key.length !== 32) throw new PhiwallError('PW_ERR_SERVER_CONFIG', `${where} must hold 32 random bytes as base64 or hex (e.g. \`openssl rand -base64 32\`).`)
  return key
}

/**
 * The server's secret key: PHIWALL_SECRET_KEY, else the key file (created with a fresh random key,
 * mode 0600, on first start). Servers sharing one PostgreSQL database must share the key.
 */
export function loadSecretKey(file: string, log: (line: string) => void): Buffer {
  const fromEnv = process.env['PHIWALL_SECRET_KEY']
  if (fromEnv) return decodeKey(fromEnv, 'PHIWALL_SECRET_KEY')
  try {
    return decodeKey(fs.readFileSync(file, 'utf8'), `The key file ${file}`)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e instanceof PhiwallError ? e : new PhiwallError('PW_ERR_SERVER_CONFIG', `The key file ${file} cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'}).`)
  }
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 })
  const key = randomBytes(32)
  fs.writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' })
  log(`phiwall serve: created the secret key ${file} (mode 0600); back it up with the database — TOTP enrolments cannot be read without it`)
  return key
}

/**
 * Starts `phiwall serve`: opens the store (PGlite data directory, or PostgreSQL), migrates it,
 * creates the first admin when there is no user, starts scheduled rescans and listens.
 * Plain HTTP is only allowed on loopback unless `behindProxy` says a TLS proxy is in front.
 *
 * @example
 * const server = await startServer({ port: 0 })
 * console.log(server.url, server.createdAdmin?.oneTimePassword)
 * await server.close()
 */
export async function startServer(options: ServeOptions = {}): Promise<RunningServer> {
  const parsed = optionsSchema.safeParse(options)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    throw new PhiwallError('PW_ERR_SERVER_CONFIG', `--${String(issue.path[0] ?? 'option')}: ${issue.message}`)
  }
  const host = options.host ?? '127.0.0.1'
  const tls = Boolean(options.tlsCert || options.tlsKey)
  if (tls && !(options.tlsCert && options.tlsKey)) throw new PhiwallError('PW_ERR_SERVER_CONFIG', 'Give both --tls-cert and --tls-key.')
  if (!tls && !options.behindProxy && !LOOPBACK.has(host)) {
    throw new PhiwallError('PW_ERR_SERVER_CONFIG', `Plain HTTP on ${host} would send session cookies and tokens in clear text: give --tls-cert/--tls-key, or --behind-proxy when a TLS-terminating proxy is in front.`)
  }
  const cert = tls ? readPem(options.tlsCert!, 'Certificate') : undefined
  const key = tls ? readPem(options.tlsKey!, 'Key') : undefined
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`))
  const dataDir = options.databaseUrl ? undefined : path.resolve(options.dataDir ?? path.join('.phiwall', 'server'))
  if (dataDir) fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 })

  let store: Store | undefined
  try {
    store = await openStore(options.databaseUrl ? { databaseUrl: options.databaseUrl, ...(options.schema ? { schema: options.schema } : {}) } : { dataDir: dataDir! })
    const secretKey = loadSecretKey(path.resolve(options.secretKeyFile ?? (dataDir ? `${dataDir}.key` : path.join('.phiwall', 'server.key'))), log)
    const ctx = await openServerContext({
      store,
      log,
      ...(options.clock ? { clock: options.clock } : {}),
      config: {
        secureCookies: tls || Boolean(options.behindProxy),
        secretKey,
        maxBodyBytes: Math.round((options.maxBodyMb ?? 32) * 1024 * 1024),
        ...(options.noAnswerCache ? { answerCache: false } : {}),
        ...(options.checkParams ? { checkParams: options.checkParams } : {}),
        ...(options.webRoot !== undefined ? { webRoot: options.webRoot } : defaultWebRoot() ? { webRoot: defaultWebRoot()! } : {}),
        ...(dataDir ? { dataDir } : {}),
      },
    })
    const createdAdmin = await bootstrapAdmin(ctx)
    const app = createApp(ctx)
    const port = options.port ?? (tls ? 8443 : 8080)
    const server: ServerType = await new Promise((resolve, reject) => {
      const s = serve(
        { fetch: app.fetch, port, hostname: host, ...(tls ? { createServer: https.createServer, serverOptions: { key, cert } } : {}) },
        () => resolve(s),
      )
      s.once('error', (e: NodeJS.ErrnoException) => reject(new PhiwallError('PW_ERR_SERVER_CONFIG', `Cannot listen on ${host}:${port} (${e.code ?? e.message}).`)))
    })
    const addr = server.address() as AddressInfo
    const shownHost = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address
    const url = `${tls ? 'https' : 'http'}://${shownHost}:${addr.port}`
    const stopScheduler = options.noScheduler ? async () => undefined : startScheduler(ctx)
    log(`phiwall serve: listening on ${url} (store: ${options.databaseUrl ? `PostgreSQL ${maskDatabaseUrl(options.databaseUrl)}` : `PGlite ${dataDir}`}${ctx.config.webRoot ? '' : '; dashboard not built — API only'})`)
    let closed = false
    return {
      url,
      ctx,
      createdAdmin,
      close: async () => {
        if (closed) return
        closed = true
        await stopScheduler()
        await new Promise<void>((resolve) => {
          server.close(() => resolve())
          ;(server as { closeAllConnections?: () => void }).closeAllConnections?.()
        })
        await store!.close()
      },
    }
  } catch (e) {
    await store?.close().catch(() => undefined)
    throw e
  }
}
