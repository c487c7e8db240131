import type { OpenAPIHono } from '@hono/zod-openapi'
import { newRouter } from '../router.js'
import type { AppEnv, ServerContext } from '../types.js'
import { registerSignInRoutes } from './signin-routes.js'
import { registerTokenRoutes } from './token-routes.js'
import { registerUserRoutes } from './user-routes.js'

/** The routes of sign-in, users and API tokens, to mount under /api/v1. */
export function authRoutes(ctx: ServerContext): OpenAPIHono<AppEnv> {
  const r = newRouter()
  registerSignInRoutes(r, ctx)
  registerUserRoutes(r, ctx)
  registerTokenRoutes(r, ctx)
  return r
}
