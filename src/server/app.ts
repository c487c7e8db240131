import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { serveStatic } from '@hono/node-server/serve-static'
import type { OpenAPIHono } from '@hono/zod-openapi'
import { bodyLimit } from 'hono/body-limit'
import { secureHeaders } from 'hono/secure-headers'
import { PhiwallError, phiwallVersion } from '../model/index.js'
import { authenticate, authRoutes } from './auth/index.js'
import { errorResponse, newRouter } from './router.js'
import { postureRoutes } from './posture/index.js'
import { segmentationRoutes, withObservedTopology } from './segmentation/index.js'
import { visibleTeam } from './authz.js'
import type { Topology } from '../topology/index.js'
import { auditRoutes } from './audit-routes.js'
import type { AppEnv, ServerContext } from './types.js'

/** Content-Security-Policy of every answer: no inline script or style, nothing from other origins. */
export const CSP = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  fontSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
}

/**
 * The whole HTTP application: security headers, request ids, body limits, authentication and CSRF,
 * the API under /api/v1 (documented at /api/openapi.json) and the dashboard's files.
 * A plain function of its context, so tests call `app.request()` without a socket.
 */
export function createApp(ctx: ServerContext): OpenAPIHono<AppEnv> {
  const app = newRouter()
  app.use('*', async (c, next) => {
    c.set('requestId', randomUUID())
    c.set('principal', null)
    await next()
  })
  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: CSP,
      strictTransportSecurity: ctx.config.secureCookies ? 'max-age=31536000; includeSubDomains' : false,
      xFrameOptions: 'DENY',
      referrerPolicy: 'no-referrer',
      crossOriginOpenerPolicy: 'same-origin',
      crossOriginResourcePolicy: 'same-origin',
      permissionsPolicy: { camera: [], microphone: [], geolocation: [] },
    }),
  )
  app.use('/api/*', async (c, next) => {
    await next()
    if (!c.res.headers.has('Cache-Control')) c.header('Cache-Control', 'no-store')
  })
  app.use(
    '/api/*',
    bodyLimit({
      maxSize: ctx.config.maxBodyBytes,
      onError: () => {
        throw new PhiwallError('PW_ERR_PAYLOAD_TOO_LARGE', `Request bodies are limited to ${Math.round(ctx.config.maxBodyBytes / 1048576)} MiB.`)
      },
    }),
  )
  app.use('/api/*', authenticate(ctx))
  app.onError((err, c) => {
    if (!(err instanceof PhiwallError)) ctx.log(`request ${c.get('requestId')} ${c.req.method} ${new URL(c.req.url).pathname} failed: ${err instanceof Error ? err.name : 'error'}`)
    return errorResponse(c, err)
  })

  // the topology page draws declared calls (posture, cached per scan) and observed ones (flows, live)
  app.use('/api/v1/topology', async (c, next) => {
    await next()
    const principal = c.get('principal')
    if (c.req.method !== 'GET' || c.res.status !== 200 || !principal) return
    const topology = (await c.res.json()) as Topology
    const merged = await withObservedTopology(ctx, topology, visibleTeam(principal) !== null)
    c.res = new Response(JSON.stringify(merged), { status: 200, headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' } })
  })
  app.get('/api/health', (c) => c.json({ status: 'ok', version: phiwallVersion(), store: ctx.store.kind }))
  app.route('/api/v1', authRoutes(ctx))
  app.route('/api/v1', auditRoutes(ctx))
  app.route('/api/v1', postureRoutes(ctx))
  app.route('/api/v1', segmentationRoutes(ctx))

  app.openAPIRegistry.registerComponent('securitySchemes', 'session', { type: 'apiKey', in: 'cookie', name: 'phiwall_session' })
  app.openAPIRegistry.registerComponent('securitySchemes', 'token', { type: 'http', scheme: 'bearer' })
  app.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'PhiWall API', version: phiwallVersion(), description: 'Posture, inventory, flows and policy of a PhiWall server. Errors are `{ error: { code, message, field? } }` with the codes of docs/errors.md.' },
    security: [{ session: [] }, { token: [] }],
  })
  app.all('/api/*', () => {
    throw new PhiwallError('PW_ERR_NOT_FOUND', 'No such API route.')
  })

  const webRoot = ctx.config.webRoot
  if (webRoot && fs.existsSync(path.join(webRoot, 'index.html'))) {
    app.use('/assets/*', async (c, next) => {
      await next()
      if (c.res.status === 200) c.header('Cache-Control', 'public, max-age=31536000, immutable')
    })
    app.use('*', serveStatic({ root: webRoot }))
    // the dashboard routes on the client: any other GET answers index.html
    const index = fs.readFileSync(path.join(webRoot, 'index.html'), 'utf8')
    app.get('*', (c) => {
      c.header('Cache-Control', 'no-cache')
      return c.html(index)
    })
  }
  return app
}
