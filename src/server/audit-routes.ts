import type { OpenAPIHono } from '@hono/zod-openapi'
import { newRouter } from './router.js'
import type { AppEnv, ServerContext } from './types.js'

/** PLACEHOLDER — replaced by the audit routes. */
export function auditRoutes(_ctx: ServerContext): OpenAPIHono<AppEnv> {
  return newRouter()
}
